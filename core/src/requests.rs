//! The request types of every operation, and their reading from JSON with all
//! errors collected.

use crate::date::Date;
use crate::error::ErrorCode;
use crate::model::{Application, Area, Basis, Issuer, Level, Listing, ListingStatus, Official, Role, Tier};
use crate::read::{Ctx, Loc};
use crate::rulebook::Rulebook;
use crate::tree::{Json, Obj};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `list`: decide whether and at which tier an area is listed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// The area.
    pub area: Area,
    /// The listing body (a county committee lists townships).
    pub issuer: Issuer,
    /// The day of the decision.
    pub on: Date,
    /// On what basis (application, office proposal, annual review, rebound).
    pub basis: Basis,
    /// The problem categories found (第十条), rulebook keys.
    pub categories: Vec<String>,
    /// The facts of the listing criteria (第十一条), rulebook keys; absent means not supplied.
    #[serde(default)]
    pub facts: BTreeMap<String, bool>,
    /// For a rebound: the earlier removal and the caller's finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rebound: Option<Rebound>,
}

/// An earlier removal and whether the area has seriously rebounded since (第二十条).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rebound {
    /// The day the earlier listing was cancelled.
    pub removed_on: Date,
    /// The tier it had.
    pub removed_tier: Tier,
    /// Who cancelled it.
    pub removed_by: Level,
    /// The caller's finding of a serious rebound (严重反弹); absent means not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serious: Option<bool>,
}

/// A delisting condition as supplied: met or not as a whole, or sub-point by sub-point.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionInput {
    /// The whole condition.
    Whole(bool),
    /// Each sub-point.
    SubPoints(BTreeMap<String, bool>),
}

/// The facts of a review. Every judgement is the caller's; absent means not supplied.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFacts {
    /// Whether the rectification goal is met (实现整治目标).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_met: Option<bool>,
    /// Whether special circumstances exist (特殊情况, 第十三条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_circumstances: Option<bool>,
    /// Whether the goal was missed through insufficient attention, weak measures
    /// or unfulfilled responsibility (重视不够、措施不力、责任不落实, 第三十一条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negligence: Option<bool>,
    /// The delisting conditions (第十四条), by rulebook key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: BTreeMap<String, ConditionInput>,
}

/// `review`: a listing reviewed on a date.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The listing as it stands before the review.
    pub listing: Listing,
    /// The day of the review.
    pub on: Date,
    /// The facts found.
    #[serde(default)]
    pub facts: ReviewFacts,
    /// What the area applies for, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    /// The officials (for 第三十一条第二款).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officials: Vec<Official>,
}

/// Facts for `consequences`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsequenceFacts {
    /// Whether the goal is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_met: Option<bool>,
    /// Whether a miss was due to negligence (第三十一条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negligence: Option<bool>,
    /// Whether the area failed the annual assessment (第三十二条).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_annual_assessment: Option<bool>,
}

/// `consequences`: the measures that follow from a listing on a date.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsequencesRequest {
    /// The listing as it stands.
    pub listing: Listing,
    /// The day.
    pub on: Date,
    /// The officials.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officials: Vec<Official>,
    /// The facts found.
    #[serde(default)]
    pub facts: ConsequenceFacts,
}

/// One review of a timeline.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineReview {
    /// The day.
    pub on: Date,
    /// The facts found.
    #[serde(default)]
    pub facts: ReviewFacts,
    /// What the area applies for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
}

/// `timeline`: a listing and its reviews in date order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineRequest {
    /// The listing at the start.
    pub listing: Listing,
    /// The officials.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officials: Vec<Official>,
    /// The reviews, strictly in date order.
    pub reviews: Vec<TimelineReview>,
}

/// Any request.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "operation", content = "request", rename_all = "snake_case")]
pub enum Request {
    /// `list`
    List(ListRequest),
    /// `review`
    Review(ReviewRequest),
    /// `consequences`
    Consequences(ConsequencesRequest),
    /// `timeline`
    Timeline(TimelineRequest),
    /// `assess`
    Assess(crate::assess::AssessRequest),
    /// `rank`
    Rank(crate::assess::RankRequest),
    /// `duties`
    Duties(crate::duties::DutiesRequest),
}

impl Request {
    /// The operation name.
    #[must_use]
    pub fn operation(&self) -> &'static str {
        match self {
            Request::List(_) => "list",
            Request::Review(_) => "review",
            Request::Consequences(_) => "consequences",
            Request::Timeline(_) => "timeline",
            Request::Assess(_) => "assess",
            Request::Rank(_) => "rank",
            Request::Duties(_) => "duties",
        }
    }

    /// The date that selects the rulebook when the call gives no `as_of`.
    #[must_use]
    pub fn decision_date(&self) -> Date {
        match self {
            Request::List(r) => r.on,
            Request::Review(r) => r.on,
            Request::Consequences(r) => r.on,
            Request::Timeline(r) => r.listing.listed_on,
            Request::Assess(r) => r.on,
            Request::Rank(r) => r.on,
            Request::Duties(r) => r.on,
        }
    }
}

// ---------------------------------------------------------------- reading

/// Reads the date that selects a rulebook, before the rulebook is known, so
/// that the rulebook's keys can then check the rest. `None` when it is unreadable
/// (the full read reports why).
pub(crate) fn peek_decision_date(operation: &str, v: &Json<'_>) -> Option<Date> {
    let get = |o: &Json<'_>, k: &str| o.get(k).and_then(Json::as_str).and_then(|s| Date::parse(s).ok());
    match operation {
        "list" | "review" | "consequences" | "assess" | "rank" | "duties" => get(v, "on"),
        "timeline" => v.get("listing").and_then(|l| get(l, "listed_on")),
        _ => None,
    }
}

pub(crate) fn read_request(ctx: &mut Ctx, rb: &Rulebook, operation: &str, v: &Json<'_>) -> Option<Request> {
    let root = Loc::Root;
    let rect = matches!(operation, "list" | "review" | "consequences" | "timeline");
    let needs = if rect && !rb.has_rectification() {
        Some(("重点整治", "rectification"))
    } else if matches!(operation, "assess" | "rank") && rb.file().assessment.is_none() {
        Some(("考评", "assessment"))
    } else if operation == "duties" && rb.file().duties.is_empty() {
        Some(("限期任务", "dated-duty"))
    } else {
        None
    };
    if let Some((zh, en)) = needs {
        ctx.err(
            ErrorCode::NotInRulebook,
            &Loc::Key(&root, "rulebook"),
            format!("规则集 {} 没有{zh}规则，不能执行 {operation}", rb.id()),
            format!("rulebook {} has no {en} rules for {operation}", rb.id()),
        );
        return None;
    }
    match operation {
        "assess" => crate::assess::read_assess(ctx, rb, v).map(Request::Assess),
        "rank" => crate::assess::read_rank(ctx, rb, v).map(Request::Rank),
        "duties" => crate::duties::read_duties(ctx, rb, v).map(Request::Duties),
        "list" => read_list(ctx, rb, v, &root).map(Request::List),
        "review" => read_review(ctx, rb, v, &root).map(Request::Review),
        "consequences" => read_consequences(ctx, rb, v, &root).map(Request::Consequences),
        "timeline" => read_timeline(ctx, rb, v, &root).map(Request::Timeline),
        _ => None,
    }
}

/// Runs `f` and returns its value only if it added no error.
fn clean<T>(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx) -> Option<T>) -> Option<T> {
    let before = ctx.errors.len();
    let out = f(ctx);
    if ctx.errors.len() == before {
        out
    } else {
        None
    }
}

fn opt_bool(ctx: &mut Ctx, m: &Obj<'_>, loc: &Loc<'_>, key: &str) -> Option<bool> {
    Ctx::opt(m, key).and_then(|v| ctx.bool(v, &loc.key(key)))
}

pub(crate) fn read_area(ctx: &mut Ctx, v: &Json<'_>, loc: &Loc<'_>) -> Option<Area> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["id", "name", "level"])?;
        let id = Ctx::opt(m, "id").and_then(|x| ctx.string(x, &loc.key("id"))).map(str::to_owned);
        let name = ctx.req(m, loc, "name").and_then(|x| ctx.string(x, &loc.key("name"))).map(str::to_owned);
        let level = ctx.req(m, loc, "level").and_then(|x| ctx.named(x, &loc.key("level")));
        Some(Area {
            id,
            name: name?,
            level: level?,
        })
    })
}

fn read_issuer(ctx: &mut Ctx, v: &Json<'_>, loc: &Loc<'_>) -> Option<Issuer> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["level", "name"])?;
        let level = ctx.req(m, loc, "level").and_then(|x| ctx.named(x, &loc.key("level")));
        let name = Ctx::opt(m, "name").and_then(|x| ctx.string(x, &loc.key("name"))).map(str::to_owned);
        Some(Issuer { level: level?, name })
    })
}

fn read_categories(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<Vec<String>> {
    clean(ctx, |ctx| {
        let a = ctx.array(v, loc)?;
        let keys: Vec<&str> = rb.file().categories.iter().map(|c| c.key.as_str()).collect();
        let mut out: Vec<String> = Vec::with_capacity(a.len());
        for (i, x) in a.iter().enumerate() {
            let l = loc.index(i);
            if let Some(k) = ctx.key_of(x, &l, ("问题类别", "problem category"), &keys) {
                if out.iter().any(|o| o == k) {
                    ctx.err(
                        ErrorCode::Duplicate,
                        &l,
                        format!("{} 重复列出类别 {k}", l.render()),
                        format!("{}: category {k} is listed twice", l.render()),
                    );
                } else {
                    out.push(k.to_owned());
                }
            }
        }
        Some(out)
    })
}

pub(crate) fn read_listing(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<Listing> {
    clean(ctx, |ctx| {
        let m = ctx.obj(
            v,
            loc,
            &[
                "id",
                "area",
                "issuer",
                "tier",
                "categories",
                "listed_on",
                "deadline",
                "extensions_used",
                "status",
            ],
        )?;
        let id = Ctx::opt(m, "id").and_then(|x| ctx.string(x, &loc.key("id"))).map(str::to_owned);
        let area = ctx.req(m, loc, "area").and_then(|x| read_area(ctx, x, &loc.key("area")));
        let issuer = ctx.req(m, loc, "issuer").and_then(|x| read_issuer(ctx, x, &loc.key("issuer")));
        let tier: Option<Tier> = ctx.req(m, loc, "tier").and_then(|x| ctx.named(x, &loc.key("tier")));
        let categories = match Ctx::opt(m, "categories") {
            Some(x) => read_categories(ctx, rb, x, &loc.key("categories")),
            None => Some(Vec::new()),
        };
        let listed_on = ctx.req(m, loc, "listed_on").and_then(|x| ctx.date(x, &loc.key("listed_on")));
        let deadline = Ctx::opt(m, "deadline").map(|x| ctx.date(x, &loc.key("deadline")));
        let extensions_used = match Ctx::opt(m, "extensions_used") {
            Some(x) => ctx.uint(x, &loc.key("extensions_used"), 255).and_then(|n| u8::try_from(n).ok()),
            None => Some(0),
        };
        let status = match Ctx::opt(m, "status") {
            Some(x) => ctx.named(x, &loc.key("status")),
            None => Some(ListingStatus::Active),
        };
        check_listing_fields(ctx, tier, listed_on, deadline.flatten(), status, extensions_used, loc);
        let deadline = match deadline {
            Some(d) => Some(d?),
            None => None,
        };
        Some(Listing {
            id,
            area: area?,
            issuer: issuer?,
            tier: tier?,
            categories: categories?,
            listed_on: listed_on?,
            deadline,
            extensions_used: extensions_used?,
            status: status?,
        })
    })
}

fn read_official(ctx: &mut Ctx, v: &Json<'_>, loc: &Loc<'_>) -> Option<Official> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["name", "role", "in_post_since", "neglect_led_to_severity"])?;
        let name = ctx.req(m, loc, "name").and_then(|x| ctx.string(x, &loc.key("name"))).map(str::to_owned);
        let role: Option<Role> = ctx.req(m, loc, "role").and_then(|x| ctx.named(x, &loc.key("role")));
        let since = ctx.req(m, loc, "in_post_since").and_then(|x| ctx.date(x, &loc.key("in_post_since")));
        let neglect = opt_bool(ctx, m, loc, "neglect_led_to_severity");
        Some(Official {
            name: name?,
            role: role?,
            in_post_since: since?,
            neglect_led_to_severity: neglect,
        })
    })
}

fn read_officials(ctx: &mut Ctx, m: &Obj<'_>, loc: &Loc<'_>) -> Option<Vec<Official>> {
    let Some(v) = Ctx::opt(m, "officials") else {
        return Some(Vec::new());
    };
    let l = loc.key("officials");
    clean(ctx, |ctx| {
        let a = ctx.array(v, &l)?;
        let mut out = Vec::with_capacity(a.len());
        for (i, x) in a.iter().enumerate() {
            if let Some(o) = read_official(ctx, x, &l.index(i)) {
                out.push(o);
            }
        }
        Some(out)
    })
}

fn read_conditions(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<BTreeMap<String, ConditionInput>> {
    clean(ctx, |ctx| {
        let defs = &rb.delisting().conditions;
        let keys: Vec<&str> = defs.iter().map(|c| c.key.as_str()).collect();
        let m = ctx.obj(v, loc, &keys)?;
        let mut out = BTreeMap::new();
        for def in defs {
            let Some(x) = Ctx::opt(m, &def.key) else { continue };
            let l = loc.key(&def.key);
            match x {
                Json::Bool(b) => {
                    out.insert(def.key.clone(), ConditionInput::Whole(*b));
                }
                Json::Object(_) => {
                    let subs: Vec<&str> = def.sub_points.iter().map(|s| s.key.as_str()).collect();
                    if let Some(sm) = ctx.obj(x, &l, &subs) {
                        let mut points = BTreeMap::new();
                        for s in &def.sub_points {
                            if let Some(b) = Ctx::opt(sm, &s.key).and_then(|y| ctx.bool(y, &l.key(&s.key))) {
                                points.insert(s.key.clone(), b);
                            }
                        }
                        out.insert(def.key.clone(), ConditionInput::SubPoints(points));
                    }
                }
                _ => {
                    ctx.err(
                        ErrorCode::WrongType,
                        &l,
                        format!("{} 应为布尔值或各分项的布尔值对象，收到 {}", l.render(), crate::read::show(x)),
                        format!(
                            "{} must be a boolean or an object of sub-point booleans, got {}",
                            l.render(),
                            crate::read::show(x)
                        ),
                    );
                }
            }
        }
        Some(out)
    })
}

fn read_review_facts(ctx: &mut Ctx, rb: &Rulebook, m: &Obj<'_>, loc: &Loc<'_>) -> Option<ReviewFacts> {
    let Some(v) = Ctx::opt(m, "facts") else {
        return Some(ReviewFacts::default());
    };
    let loc = loc.key("facts");
    clean(ctx, |ctx| {
        let f = ctx.obj(v, &loc, &["goal_met", "special_circumstances", "negligence", "conditions"])?;
        let goal_met = opt_bool(ctx, f, &loc, "goal_met");
        let special_circumstances = opt_bool(ctx, f, &loc, "special_circumstances");
        let negligence = opt_bool(ctx, f, &loc, "negligence");
        let conditions = match Ctx::opt(f, "conditions") {
            Some(c) => read_conditions(ctx, rb, c, &loc.key("conditions")),
            None => Some(BTreeMap::new()),
        };
        Some(ReviewFacts {
            goal_met,
            special_circumstances,
            negligence,
            conditions: conditions?,
        })
    })
}

fn read_application(ctx: &mut Ctx, m: &Obj<'_>, loc: &Loc<'_>) -> Option<Option<Application>> {
    match Ctx::opt(m, "application") {
        None => Some(None),
        Some(x) => clean(ctx, |ctx| ctx.named(x, &loc.key("application")).map(Some)),
    }
}

fn read_list(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<ListRequest> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["area", "issuer", "on", "basis", "categories", "facts", "rebound"])?;
        let area = ctx.req(m, loc, "area").and_then(|x| read_area(ctx, x, &loc.key("area")));
        let issuer = ctx.req(m, loc, "issuer").and_then(|x| read_issuer(ctx, x, &loc.key("issuer")));
        let on = ctx.req(m, loc, "on").and_then(|x| ctx.date(x, &loc.key("on")));
        let basis = ctx.req(m, loc, "basis").and_then(|x| ctx.named(x, &loc.key("basis")));
        let categories = ctx.req(m, loc, "categories").and_then(|x| read_categories(ctx, rb, x, &loc.key("categories")));
        let facts = match Ctx::opt(m, "facts") {
            None => Some(BTreeMap::new()),
            Some(x) => {
                let l = loc.key("facts");
                clean(ctx, |ctx| {
                    let keys: Vec<&str> = rb.listing_def().facts.iter().map(|f| f.key.as_str()).collect();
                    let fm = ctx.obj(x, &l, &keys)?;
                    let mut out = BTreeMap::new();
                    for k in keys {
                        if let Some(b) = Ctx::opt(fm, k).and_then(|y| ctx.bool(y, &l.key(k))) {
                            out.insert(k.to_owned(), b);
                        }
                    }
                    Some(out)
                })
            }
        };
        let rebound = match Ctx::opt(m, "rebound") {
            None => Some(None),
            Some(x) => {
                let l = loc.key("rebound");
                clean(ctx, |ctx| {
                    let rm = ctx.obj(x, &l, &["removed_on", "removed_tier", "removed_by", "serious"])?;
                    let removed_on = ctx.req(rm, &l, "removed_on").and_then(|y| ctx.date(y, &l.key("removed_on")));
                    let removed_tier = ctx.req(rm, &l, "removed_tier").and_then(|y| ctx.named(y, &l.key("removed_tier")));
                    let removed_by = ctx.req(rm, &l, "removed_by").and_then(|y| ctx.named(y, &l.key("removed_by")));
                    let serious = opt_bool(ctx, rm, &l, "serious");
                    Some(Some(Rebound {
                        removed_on: removed_on?,
                        removed_tier: removed_tier?,
                        removed_by: removed_by?,
                        serious,
                    }))
                })
            }
        };
        if basis == Some(Basis::Rebound) && rebound == Some(None) {
            let l = loc.key("rebound");
            ctx.err(
                ErrorCode::MissingField,
                &l,
                format!("依据为 rebound（第二十条）时须提供 {}：取消日期、原级别、取消机关与是否严重反弹", l.render()),
                format!(
                    "basis rebound (art. 20) needs {}: the removal date, the former tier, who removed it and whether the rebound is serious",
                    l.render()
                ),
            );
        }
        if let (Some(Some(r)), Some(on)) = (&rebound, on) {
            if r.removed_on > on {
                let lr = loc.key("rebound");
                let l = lr.key("removed_on");
                ctx.err(
                    ErrorCode::DateOutOfOrder,
                    &l,
                    format!("{} 的取消日期 {} 晚于决定日 {on}", l.render(), r.removed_on),
                    format!("{}: removal on {} is after the decision date {on}", l.render(), r.removed_on),
                );
            }
        }
        Some(ListRequest {
            area: area?,
            issuer: issuer?,
            on: on?,
            basis: basis?,
            categories: categories?,
            facts: facts?,
            rebound: rebound?,
        })
    })
}

/// The cross-field checks of a listing, shared by the JSON reader and [`check_request`].
fn check_listing_fields(
    ctx: &mut Ctx,
    tier: Option<Tier>,
    listed_on: Option<Date>,
    deadline: Option<Date>,
    status: Option<ListingStatus>,
    extensions_used: Option<u8>,
    loc: &Loc<'_>,
) {
    if tier == Some(Tier::None) {
        let l = loc.key("tier");
        ctx.err(
            ErrorCode::UnknownValue,
            &l,
            format!("{} 不能为 none：挂牌必须有整治级别", l.render()),
            format!("{}: a listing cannot have tier none", l.render()),
        );
    }
    if let (Some(lo), Some(dl)) = (listed_on, deadline) {
        if dl < lo {
            let l = loc.key("deadline");
            ctx.err(
                ErrorCode::DateOutOfOrder,
                &l,
                format!("{} 的截止日 {dl} 早于挂牌日 {lo}", l.render()),
                format!("{}: deadline {dl} is before the listing date {lo}", l.render()),
            );
        }
    }
    if let (Some(ListingStatus::Extended), Some(0)) = (status, extensions_used) {
        let l = loc.key("extensions_used");
        ctx.err(
            ErrorCode::Inconsistent,
            &l,
            format!("{}：状态为 extended（已延期）但已用延期次数为 0", l.render()),
            format!("{}: status is extended but no extension is counted", l.render()),
        );
    }
}

fn check_listing(ctx: &mut Ctx, l: &Listing, loc: &Loc<'_>) {
    check_listing_fields(ctx, Some(l.tier), Some(l.listed_on), l.deadline, Some(l.status), Some(l.extensions_used), loc);
}

/// Runs on a typed request the cross-field checks the JSON reader runs (a
/// review before its listing, a deadline before the listing, an `extended`
/// listing with no extension, an official in post after the date, a review
/// out of order…), so that the typed API rejects exactly what the JSON layer
/// rejects. [`crate::evaluate`] calls it.
///
/// # Errors
/// [`crate::InputErrors`] with every problem found, paths as in the JSON layer.
///
/// # Example
/// ```
/// let req: jindu::Request = serde_json::from_value(serde_json::json!({"operation": "review", "request": {
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "rectify", "listed_on": "2018-06-01"}, "on": "2018-05-01"}})).unwrap();
/// let e = jindu::check_request(&req).unwrap_err();
/// assert_eq!(e.errors[0].path, "on");
/// ```
pub fn check_request(req: &Request) -> Result<(), crate::error::InputErrors> {
    let mut ctx = Ctx::default();
    let root = Loc::Root;
    match req {
        Request::Review(r) => {
            check_listing(&mut ctx, &r.listing, &root.key("listing"));
            check_on_after_listing(&mut ctx, Some(r.on), Some(&r.listing), &root.key("on"));
            check_officials(&mut ctx, Some(&r.officials), Some(r.on), &root);
        }
        Request::Consequences(r) => {
            check_listing(&mut ctx, &r.listing, &root.key("listing"));
            check_on_after_listing(&mut ctx, Some(r.on), Some(&r.listing), &root.key("on"));
            check_officials(&mut ctx, Some(&r.officials), Some(r.on), &root);
        }
        Request::Timeline(r) => {
            check_listing(&mut ctx, &r.listing, &root.key("listing"));
            let rl = root.key("reviews");
            if r.reviews.is_empty() {
                ctx.err(
                    ErrorCode::Empty,
                    &rl,
                    format!("{} 至少需要一次评估", rl.render()),
                    format!("{} needs at least one review", rl.render()),
                );
            }
            let mut prev: Option<Date> = None;
            for (i, t) in r.reviews.iter().enumerate() {
                let li = rl.index(i);
                let lo = li.key("on");
                check_review_order(&mut ctx, prev, t.on, &lo);
                check_on_after_listing(&mut ctx, Some(t.on), Some(&r.listing), &lo);
                prev = Some(t.on);
            }
            check_officials(&mut ctx, Some(&r.officials), prev, &root);
        }
        Request::List(r) => {
            if r.basis == Basis::Rebound && r.rebound.is_none() {
                let l = root.key("rebound");
                ctx.err(
                    ErrorCode::MissingField,
                    &l,
                    format!("依据为 rebound（第二十条）时须提供 {}", l.render()),
                    format!("basis rebound (art. 20) needs {}", l.render()),
                );
            }
            if let Some(rb) = &r.rebound {
                if rb.removed_on > r.on {
                    let lr = root.key("rebound");
                    let l = lr.key("removed_on");
                    ctx.err(
                        ErrorCode::DateOutOfOrder,
                        &l,
                        format!("{} 的取消日期 {} 晚于决定日 {}", l.render(), rb.removed_on, r.on),
                        format!("{}: removal on {} is after the decision date {}", l.render(), rb.removed_on, r.on),
                    );
                }
            }
        }
        Request::Assess(_) | Request::Rank(_) | Request::Duties(_) => {}
    }
    if ctx.errors.is_empty() {
        Ok(())
    } else {
        Err(crate::error::InputErrors { errors: ctx.errors })
    }
}

/// Reviews of a timeline come in strictly increasing date order.
fn check_review_order(ctx: &mut Ctx, prev: Option<Date>, on: Date, lo: &Loc<'_>) {
    if prev.is_some_and(|p| on <= p) {
        let p = prev.map(|d| d.to_string()).unwrap_or_default();
        ctx.err(
            ErrorCode::DateOutOfOrder,
            lo,
            format!("{} 的日期 {on} 不晚于上一次评估 {p}：评估须按日期先后排列且不重复", lo.render()),
            format!(
                "{}: {on} is not after the previous review {p}: reviews must be in strictly increasing date order",
                lo.render()
            ),
        );
    }
}

fn check_on_after_listing(ctx: &mut Ctx, on: Option<Date>, listing: Option<&Listing>, loc: &Loc<'_>) {
    if let (Some(on), Some(l)) = (on, listing) {
        if on < l.listed_on {
            ctx.err(
                ErrorCode::DateOutOfOrder,
                loc,
                format!("{} 的日期 {on} 早于挂牌日 {}", loc.render(), l.listed_on),
                format!("{}: {on} is before the listing date {}", loc.render(), l.listed_on),
            );
        }
    }
}

fn check_officials(ctx: &mut Ctx, officials: Option<&Vec<Official>>, on: Option<Date>, loc: &Loc<'_>) {
    let (Some(os), Some(on)) = (officials, on) else { return };
    let l = loc.key("officials");
    for (i, o) in os.iter().enumerate() {
        if o.in_post_since > on {
            let li = l.index(i);
            let lf = li.key("in_post_since");
            ctx.err(
                ErrorCode::DateOutOfOrder,
                &lf,
                format!("{} 的任职日期 {} 晚于评估日 {on}", lf.render(), o.in_post_since),
                format!("{}: in post since {}, after the date of evaluation {on}", lf.render(), o.in_post_since),
            );
        }
        if os.iter().take(i).any(|p| p.name == o.name && p.role == o.role) {
            let li = l.index(i);
            ctx.err(
                ErrorCode::Duplicate,
                &li,
                format!("{} 重复列出责任人 {}", li.render(), o.name),
                format!("{}: official {} is listed twice", li.render(), o.name),
            );
        }
    }
}

fn read_review(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<ReviewRequest> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["listing", "on", "facts", "application", "officials"])?;
        let listing = ctx.req(m, loc, "listing").and_then(|x| read_listing(ctx, rb, x, &loc.key("listing")));
        let on = ctx.req(m, loc, "on").and_then(|x| ctx.date(x, &loc.key("on")));
        let facts = read_review_facts(ctx, rb, m, loc);
        let application = read_application(ctx, m, loc);
        let officials = read_officials(ctx, m, loc);
        check_on_after_listing(ctx, on, listing.as_ref(), &loc.key("on"));
        check_officials(ctx, officials.as_ref(), on, loc);
        Some(ReviewRequest {
            listing: listing?,
            on: on?,
            facts: facts?,
            application: application?,
            officials: officials?,
        })
    })
}

fn read_consequences(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<ConsequencesRequest> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["listing", "on", "officials", "facts"])?;
        let listing = ctx.req(m, loc, "listing").and_then(|x| read_listing(ctx, rb, x, &loc.key("listing")));
        let on = ctx.req(m, loc, "on").and_then(|x| ctx.date(x, &loc.key("on")));
        let officials = read_officials(ctx, m, loc);
        let facts = match Ctx::opt(m, "facts") {
            None => Some(ConsequenceFacts::default()),
            Some(x) => {
                let l = loc.key("facts");
                clean(ctx, |ctx| {
                    let f = ctx.obj(x, &l, &["goal_met", "negligence", "failed_annual_assessment"])?;
                    Some(ConsequenceFacts {
                        goal_met: opt_bool(ctx, f, &l, "goal_met"),
                        negligence: opt_bool(ctx, f, &l, "negligence"),
                        failed_annual_assessment: opt_bool(ctx, f, &l, "failed_annual_assessment"),
                    })
                })
            }
        };
        check_on_after_listing(ctx, on, listing.as_ref(), &loc.key("on"));
        check_officials(ctx, officials.as_ref(), on, loc);
        Some(ConsequencesRequest {
            listing: listing?,
            on: on?,
            officials: officials?,
            facts: facts?,
        })
    })
}

fn read_timeline(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>, loc: &Loc<'_>) -> Option<TimelineRequest> {
    clean(ctx, |ctx| {
        let m = ctx.obj(v, loc, &["listing", "officials", "reviews"])?;
        let listing = ctx.req(m, loc, "listing").and_then(|x| read_listing(ctx, rb, x, &loc.key("listing")));
        let officials = read_officials(ctx, m, loc);
        let rl = loc.key("reviews");
        let reviews = ctx.req(m, loc, "reviews").and_then(|x| {
            clean(ctx, |ctx| {
                let a = ctx.array(x, &rl)?;
                if a.is_empty() {
                    ctx.err(
                        ErrorCode::Empty,
                        &rl,
                        format!("{} 至少需要一次评估", rl.render()),
                        format!("{} needs at least one review", rl.render()),
                    );
                }
                let mut out: Vec<TimelineReview> = Vec::with_capacity(a.len());
                let mut prev: Option<Date> = None;
                for (i, r) in a.iter().enumerate() {
                    let li = rl.index(i);
                    let got = clean(ctx, |ctx| {
                        let rm = ctx.obj(r, &li, &["on", "facts", "application"])?;
                        let on = ctx.req(rm, &li, "on").and_then(|y| ctx.date(y, &li.key("on")));
                        let facts = read_review_facts(ctx, rb, rm, &li);
                        let application = read_application(ctx, rm, &li);
                        Some(TimelineReview {
                            on: on?,
                            facts: facts?,
                            application: application?,
                        })
                    });
                    if let Some(t) = got {
                        let lo = li.key("on");
                        check_review_order(ctx, prev, t.on, &lo);
                        check_on_after_listing(ctx, Some(t.on), listing.as_ref(), &lo);
                        prev = Some(t.on);
                        out.push(t);
                    }
                }
                Some(out)
            })
        });
        let last = reviews.as_ref().and_then(|r| r.last()).map(|r| r.on);
        check_officials(ctx, officials.as_ref(), last, loc);
        Some(TimelineRequest {
            listing: listing?,
            officials: officials?,
            reviews: reviews?,
        })
    })
}
