//! The operations: `list`, `review`, `consequences`, `timeline`. Each checks
//! its request against the rulebook, applies the rules and returns an answer
//! that cites every rule it applied.

use crate::date::{period_end, Date, Period};
use crate::error::{ErrorCode, FieldError, InputErrors};
use crate::model::{Application, Basis, Listing, ListingStatus, Modality, Named, Official, Role, Tier};
use crate::requests::{ConditionInput, ConsequenceFacts, ConsequencesRequest, ListRequest, ReviewFacts, ReviewRequest, TimelineRequest};
use crate::rulebook::{AfterOutcome, MeasureDef, Rulebook, Target, TermDef, Text, Trigger};
use crate::trail::{Note, Step, Trail, Val};
use serde::Serialize;

/// How to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Build the explanation trail (steps with inputs and messages). Cited
    /// rule ids and notes are always returned; batch runs turn this off.
    pub explain: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { explain: true }
    }
}

/// The parts every answer has.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Explained<'r> {
    /// Every rule applied, in order of first use.
    pub cited: Vec<&'r str>,
    /// Silences of the text, readings, facts not supplied.
    pub notes: Vec<Note<'r>>,
    /// The steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trail: Option<Vec<Step<'r>>>,
}

impl<'r> Trail<'r> {
    pub(crate) fn finish(self) -> Explained<'r> {
        let explain = self.explain;
        Explained {
            cited: self.cited,
            notes: self.notes,
            trail: explain.then_some(self.steps),
        }
    }
}

fn input_error(code: ErrorCode, path: &str, zh: String, en: String) -> InputErrors {
    InputErrors {
        errors: vec![FieldError::at(code, path, zh, en)],
    }
}

// ---------------------------------------------------------------- terms and dates

fn date_err(path: &str) -> InputErrors {
    input_error(
        ErrorCode::OutOfRange,
        path,
        format!("{path}：计算出的日期超出支持范围（公元1年至9999年）"),
        format!("{path}: the computed date falls outside years 1 to 9999"),
    )
}

/// A deadline with the 第二百零三条 shift applied where a calendar covers it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Deadline {
    /// The last day of the term as counted (民法典 第二百零一、二百零二条).
    pub nominal: Date,
    /// The last day after 第二百零三条 (equal to `nominal` when no shift applies).
    pub effective: Date,
}

fn shift_for_holidays(t: &mut Trail<'_>, nominal: Date, path: &str) -> Result<Date, InputErrors> {
    let rb = t.rb;
    let p = rb.periods();
    if !p.holiday_shift {
        return Ok(nominal);
    }
    let rule = p.holiday_rule.as_str();
    let mut d = nominal;
    loop {
        let Some(cal) = t.rb.periods().calendar.iter().find(|c| c.year == d.year()) else {
            let y = d.year();
            if !t.notes.iter().any(|n| n.code == "no_holiday_calendar") {
                t.note(
                    "no_holiday_calendar",
                    Some(rule),
                    format!("规则集未提供{y}年的法定休假日历：不适用民法典第二百零三条顺延，以名义截止日为准"),
                    format!("the rulebook has no holiday calendar for {y}: Civil Code art. 203 is not applied and the nominal deadline stands"),
                );
            }
            return Ok(d);
        };
        if !cal.rest_days.contains(&d) {
            break;
        }
        d = d.add_days(1).map_err(|_| date_err(path))?;
    }
    if d != nominal {
        t.step(
            rule,
            "shifted",
            || vec![("nominal", Val::Date(Some(nominal))), ("effective", Val::Date(Some(d)))],
            || {
                (
                    format!("名义截止日 {nominal} 为法定休假日，顺延至 {d}"),
                    format!("the nominal deadline {nominal} is a statutory holiday; it moves to {d}"),
                )
            },
        );
    }
    Ok(d)
}

fn term_end(t: &mut Trail<'_>, from: Date, period: Period, rule: &str, path: &str) -> Result<Date, InputErrors> {
    let start = t.rb.periods().start;
    let end = period_end(from, period, start).map_err(|_| date_err(path))?;
    let rb = t.rb;
    t.cite(&rb.periods().rule);
    t.step(
        rule,
        "term",
        || {
            vec![
                ("from", Val::Date(Some(from))),
                ("period", Val::Str(period.words().1)),
                ("end", Val::Date(Some(end))),
            ]
        },
        || {
            let (pz, pe) = period.words();
            (
                format!("自 {from} 起算{pz}，期间最后一日为 {end}"),
                format!("{pe} from {from}: the last day is {end}"),
            )
        },
    );
    Ok(end)
}

/// The last day of an extension of a term that ended on `end`: the extension
/// runs on from the day after `end`, counted as the rulebook counts periods.
fn extension_end(t: &mut Trail<'_>, end: Date, period: Period, rule: &str, path: &str) -> Result<Date, InputErrors> {
    match t.rb.periods().start {
        crate::date::PeriodStart::NextDay => term_end(t, end, period, rule, path),
        crate::date::PeriodStart::SameDay => {
            let first = end.add_days(1).map_err(|_| date_err(path))?;
            term_end(t, first, period, rule, path)
        }
    }
}

/// The listing's current deadline: the caller's, or the rulebook's term plus
/// the extensions used. `None` for a continued listing (no term is set) or a
/// listing whose terms this rulebook does not set.
fn current_deadline(t: &mut Trail<'_>, l: &Listing) -> Result<Option<Deadline>, InputErrors> {
    let computed = computed_deadline(t, l)?;
    match (l.deadline, computed) {
        (Some(given), Some(c)) => {
            if given != c.effective {
                t.note(
                    "deadline_differs",
                    None,
                    format!("所给截止日 {given} 与按规则集计算的 {} 不同：以所给截止日为准", c.effective),
                    format!(
                        "the deadline given, {given}, differs from the rulebook's computation, {}: the one given is used",
                        c.effective
                    ),
                );
            }
            Ok(Some(Deadline {
                nominal: given,
                effective: given,
            }))
        }
        (Some(given), None) => Ok(Some(Deadline {
            nominal: given,
            effective: given,
        })),
        (None, c) => Ok(c),
    }
}

fn computed_deadline(t: &mut Trail<'_>, l: &Listing) -> Result<Option<Deadline>, InputErrors> {
    if l.status == ListingStatus::Continued {
        return Ok(None);
    }
    let Some(term) = terms_for(t.rb, l) else { return Ok(None) };
    let mut end = term_end(t, l.listed_on, term.period, &term.rule, "listing.listed_on")?;
    if let Some(ext) = &term.extension {
        for _ in 0..l.extensions_used {
            end = extension_end(t, end, ext.period, &ext.rule, "listing.extensions_used")?;
        }
    }
    let effective = shift_for_holidays(t, end, "listing.listed_on")?;
    Ok(Some(Deadline { nominal: end, effective }))
}

/// The term this rulebook sets for the listing, if it sets one: the issuer
/// must be the body the rulebook's scope names for the area's level.
fn terms_for<'r>(rb: &'r Rulebook, l: &Listing) -> Option<&'r TermDef> {
    let scope = rb.scope(l.area.level)?;
    if !scope.terms_apply || scope.issuer_level != l.issuer.level {
        return None;
    }
    rb.term(l.tier)
}

fn check_scope(rb: &Rulebook, l: &Listing, path: &str, errors: &mut Vec<FieldError>) {
    let Some(scope) = rb.scope(l.area.level) else {
        let levels: Vec<&str> = rb.file().scope.iter().map(|s| s.level.name()).collect();
        errors.push(FieldError::at(
            ErrorCode::LevelOutOfScope,
            &format!("{path}area.level"),
            format!(
                "规则集 {} 不评定{}一级的地区（{}）；可评定：{}",
                rb.id(),
                l.area.level.zh(),
                l.area.level.name(),
                levels.join("、")
            ),
            format!(
                "rulebook {} does not list areas of level {}; it lists: {}",
                rb.id(),
                l.area.level.name(),
                levels.join(", ")
            ),
        ));
        return;
    };
    if scope.issuer_level != l.issuer.level {
        errors.push(FieldError::at(
            ErrorCode::LevelOutOfScope,
            &format!("{path}issuer.level"),
            format!(
                "规则集 {} 只规定{}禁毒委员会对{}的挂牌；{}级机关的挂牌适用其自己的规则集",
                rb.id(),
                scope.issuer_level.zh(),
                l.area.level.zh(),
                l.issuer.level.zh()
            ),
            format!(
                "rulebook {} governs listings of {} areas by the {} committee; a listing by a {} body follows that body's rulebook",
                rb.id(),
                l.area.level.name(),
                scope.issuer_level.name(),
                l.issuer.level.name()
            ),
        ));
        return;
    }
    check_tier(rb, l, path, errors);
}

fn check_tier(rb: &Rulebook, l: &Listing, path: &str, errors: &mut Vec<FieldError>) {
    if l.issuer.level != rb.file().issuer.level {
        return;
    }
    if rb.tier(l.tier).is_none() {
        let tiers: Vec<&str> = rb.file().tiers.iter().map(|t| t.tier.name()).collect();
        errors.push(FieldError::at(
            ErrorCode::TierNotInRulebook,
            &format!("{path}tier"),
            format!("规则集 {} 没有级别 {}；本级机关的级别为：{}", rb.id(), l.tier.name(), tiers.join("、")),
            format!(
                "rulebook {} has no tier {} for its own listings; its tiers are: {}",
                rb.id(),
                l.tier.name(),
                tiers.join(", ")
            ),
        ));
        return;
    }
    if let Some(term) = terms_for(rb, l) {
        let max = term.extension.as_ref().map_or(0, |e| e.max);
        if l.extensions_used > max {
            errors.push(FieldError::at(
                ErrorCode::ExtensionsExceeded,
                &format!("{path}extensions_used"),
                format!("已用延期 {} 次，超过规则集对{}级别的上限 {max} 次", l.extensions_used, l.tier.name()),
                format!(
                    "{} extensions used, more than the {max} the rulebook allows for tier {}",
                    l.extensions_used,
                    l.tier.name()
                ),
            ));
        }
    }
    if l.status == ListingStatus::Continued {
        let after = rb.term(l.tier).map(|t| t.after.outcome);
        if after != Some(AfterOutcome::ContinueListing) {
            errors.push(FieldError::at(
                ErrorCode::Inconsistent,
                &format!("{path}status"),
                format!("状态 continued（继续挂牌）只适用于规则集规定继续挂牌的级别，{} 级别不适用", l.tier.name()),
                format!("status continued applies only to tiers the rulebook continues; tier {} does not", l.tier.name()),
            ));
        }
    }
}

fn needs_rectification(rb: &Rulebook) -> Result<(), InputErrors> {
    if rb.has_rectification() {
        Ok(())
    } else {
        Err(input_error(
            ErrorCode::NotInRulebook,
            "rulebook",
            format!("规则集 {} 没有重点整治规则", rb.id()),
            format!("rulebook {} has no rectification rules", rb.id()),
        ))
    }
}

fn errors_or(errors: Vec<FieldError>) -> Result<(), InputErrors> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors { errors })
    }
}

// ---------------------------------------------------------------- list

/// How a listing criterion stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CriterionStatus {
    /// Every fact holds.
    Met,
    /// A fact does not hold.
    Unmet,
    /// A fact was not supplied.
    NotSupplied,
}

/// A listing criterion's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CriterionOut<'r> {
    /// The rule.
    pub rule: &'r str,
    /// The tier it leads to.
    pub tier: Tier,
    /// Its status.
    pub status: CriterionStatus,
    /// The facts not supplied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'r str>,
}

/// The outcome of `list`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ListOutcome {
    /// Listed at `tier`.
    List,
    /// Not listed: no criterion holds.
    NotListed,
    /// Not a 毒品问题严重 area (no category of 第十条).
    NotEligible,
    /// A fact needed to decide was not supplied.
    InsufficientFacts,
}

/// Who proposes and who decides.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProcedureOut<'r> {
    /// The basis.
    pub basis: Basis,
    /// The rule.
    pub rule: &'r str,
    /// The modality of the procedure (第十六条: the office may propose).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// Who proposes.
    pub proposer: &'r Text,
    /// Who decides.
    pub decider: &'r Text,
}

/// The answer of `list`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ListAnswer<'r> {
    /// The outcome.
    pub outcome: ListOutcome,
    /// The tier (`none` unless listed).
    pub tier: Tier,
    /// The rulebook's name for the tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_name: Option<&'r Text>,
    /// How binding the listing is for this kind of area (第十七条: villages 视情).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// The rule that decides the tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'r str>,
    /// The last day of the term, where this rulebook sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// The procedure.
    pub procedure: ProcedureOut<'r>,
    /// Each criterion's result.
    pub criteria: Vec<CriterionOut<'r>>,
    /// The facts needed for an answer that were not supplied (paths).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_facts: Vec<String>,
    /// The listing as decided, ready for `review` and `consequences`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

/// `list`: whether and at which tier an area is listed.
///
/// # Errors
/// [`InputErrors`] when the area's level or the issuer is outside the
/// rulebook's scope, or the rebound is inconsistent.
///
/// # Example
/// ```
/// use jindu::{Registry, ListRequest, Options, list};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: ListRequest = serde_json::from_value(serde_json::json!({
///     "area": {"name": "三湖镇", "level": "township"},
///     "issuer": {"level": "county"},
///     "on": "2018-06-01", "basis": "application",
///     "categories": ["outflow_trafficking"],
///     "facts": {"hard_to_make_progress": true}
/// })).unwrap();
/// let a = list(rb, &req, Options::default()).unwrap();
/// assert_eq!(a.tier, jindu::Tier::Rectify);
/// assert_eq!(a.deadline.unwrap().nominal.to_string(), "2020-06-01");
/// ```
pub fn list<'r>(rb: &'r Rulebook, req: &ListRequest, opts: Options) -> Result<ListAnswer<'r>, InputErrors> {
    needs_rectification(rb)?;
    let f = rb.file();
    let probe = Listing {
        id: None,
        area: req.area.clone(),
        issuer: req.issuer.clone(),
        tier: Tier::Rectify,
        categories: Vec::new(),
        listed_on: req.on,
        deadline: None,
        extensions_used: 0,
        status: ListingStatus::Active,
    };
    let mut errors = Vec::new();
    let scope = rb.scope(req.area.level);
    if scope.is_none() || scope.is_some_and(|s| s.issuer_level != req.issuer.level) {
        check_scope(rb, &probe, "", &mut errors);
    }
    if let Some(r) = &req.rebound {
        if r.removed_by != f.issuer.level {
            errors.push(FieldError::at(
                ErrorCode::Inconsistent,
                "rebound.removed_by",
                format!("第二十条只适用于被{}禁毒委员会取消的挂牌，收到 {}", f.issuer.level.zh(), r.removed_by.name()),
                format!(
                    "art. 20 applies to listings cancelled by the {} committee; got {}",
                    f.issuer.level.name(),
                    r.removed_by.name()
                ),
            ));
        }
        if rb.tier(r.removed_tier).is_none() {
            errors.push(FieldError::at(
                ErrorCode::TierNotInRulebook,
                "rebound.removed_tier",
                format!("原级别 {} 不是本规则集的级别", r.removed_tier.name()),
                format!("the former tier {} is not a tier of this rulebook", r.removed_tier.name()),
            ));
        }
    }
    errors_or(errors)?;
    let Some(scope) = scope else {
        return Err(input_error(ErrorCode::LevelOutOfScope, "area.level", String::new(), String::new()));
    };
    let mut t = Trail::new(rb, opts.explain);
    let proc_def = rb.listing_def().procedures.iter().find(|p| p.basis == req.basis);
    let procedure = match proc_def {
        Some(p) => {
            let modality = rb.rule_by_id(&p.rule).and_then(|r| r.modality);
            t.step(
                &p.rule,
                req.basis.name(),
                || vec![("basis", Val::Str(req.basis.name().to_owned()))],
                || {
                    (
                        format!("程序：{}提出，{}决定", p.proposer.zh, p.decider.zh),
                        format!("procedure: proposed by {}, decided by {}", p.proposer.en, p.decider.en),
                    )
                },
            );
            ProcedureOut {
                basis: req.basis,
                rule: t.id(&p.rule),
                modality,
                proposer: &p.proposer,
                decider: &p.decider,
            }
        }
        None => {
            return Err(input_error(
                ErrorCode::UnknownValue,
                "basis",
                format!("规则集 {} 没有依据为 {} 的评定程序", rb.id(), req.basis.name()),
                format!("rulebook {} has no procedure for basis {}", rb.id(), req.basis.name()),
            ))
        }
    };
    t.step(
        &scope.rule,
        scope.level.name(),
        || {
            vec![
                ("level", Val::Str(req.area.level.name().to_owned())),
                ("issuer_level", Val::Str(req.issuer.level.name().to_owned())),
            ]
        },
        || {
            (
                format!("{}由{}禁毒委员会评定", req.area.level.zh(), scope.issuer_level.zh()),
                format!("{} areas are listed by the {} committee", req.area.level.name(), scope.issuer_level.name()),
            )
        },
    );

    let mut criteria = Vec::with_capacity(rb.listing_def().criteria.len());
    let mut missing_facts = Vec::new();
    let mut tier = Tier::None;
    let mut rule: Option<&'r str> = None;
    let mut outcome;

    // 第二十条: a serious rebound after removal is listed directly.
    let direct = match (&req.rebound, proc_def.and_then(|p| p.direct_tier)) {
        (Some(r), Some(direct_tier)) if req.basis == Basis::Rebound => match r.serious {
            Some(true) => {
                t.step(
                    procedure.rule,
                    "direct",
                    || vec![("removed_on", Val::Date(Some(r.removed_on))), ("serious", Val::Bool(r.serious))],
                    || {
                        (
                            format!("{} 取消挂牌后出现严重反弹：直接挂牌整治", r.removed_on),
                            format!("serious rebound after removal on {}: listed for rectification directly", r.removed_on),
                        )
                    },
                );
                Some(direct_tier)
            }
            Some(false) => {
                t.note(
                    "not_direct",
                    Some(procedure.rule),
                    "调用方未认定严重反弹：不适用第二十条直接挂牌，按第十一条标准评定".to_owned(),
                    "the caller found no serious rebound: art. 20 does not apply; the criteria of art. 11 decide".to_owned(),
                );
                None
            }
            None => {
                missing_facts.push("rebound.serious".to_owned());
                t.note(
                    "not_supplied",
                    Some(procedure.rule),
                    "未提供是否严重反弹（由调用方认定）".to_owned(),
                    "whether the rebound is serious was not supplied (the caller's judgement)".to_owned(),
                );
                None
            }
        },
        _ => None,
    };

    if let Some(d) = direct {
        tier = d;
        rule = Some(procedure.rule);
        outcome = ListOutcome::List;
    } else {
        // 第十条: a listed area must be a 毒品问题严重 area of some category.
        let eligible = !req.categories.is_empty();
        t.step(
            &rb.listing_def().categories_rule,
            if eligible { "met" } else { "unmet" },
            || vec![("categories", Val::Str(req.categories.join(",")))],
            || {
                if eligible {
                    (
                        format!("属于毒品问题严重乡镇：{}", req.categories.join("、")),
                        format!("an area with a serious drug problem: {}", req.categories.join(", ")),
                    )
                } else {
                    (
                        "未认定第十条任何类别：不属于毒品问题严重乡镇".to_owned(),
                        "no category of art. 10 found: not an area with a serious drug problem".to_owned(),
                    )
                }
            },
        );
        for c in &req.categories {
            if let Some(cd) = f.categories.iter().find(|x| &x.key == c) {
                t.cite(&cd.rule);
            }
        }
        outcome = if eligible { ListOutcome::NotListed } else { ListOutcome::NotEligible };
        if eligible {
            for c in &rb.listing_def().criteria {
                let mut status = CriterionStatus::Met;
                let mut missing = Vec::new();
                for fact in &c.all_of {
                    match req.facts.get(fact) {
                        Some(true) => {}
                        Some(false) => status = CriterionStatus::Unmet,
                        None => {
                            missing.push(fact.as_str());
                            if status == CriterionStatus::Met {
                                status = CriterionStatus::NotSupplied;
                            }
                        }
                    }
                }
                let id = t.id(&c.rule);
                t.step(
                    &c.rule,
                    match status {
                        CriterionStatus::Met => "met",
                        CriterionStatus::Unmet => "unmet",
                        CriterionStatus::NotSupplied => "not_supplied",
                    },
                    || c.all_of.iter().map(|k| (k.as_str(), Val::Bool(req.facts.get(k).copied()))).collect(),
                    || {
                        let tn = rb.tier_name(c.tier).map_or(("", ""), |n| (n.zh.as_str(), n.en.as_str()));
                        match status {
                            CriterionStatus::Met => (format!("符合{}标准", tn.0), format!("meets the {} criterion", tn.1)),
                            CriterionStatus::Unmet => (format!("不符合{}标准", tn.0), format!("does not meet the {} criterion", tn.1)),
                            CriterionStatus::NotSupplied => (format!("{}标准所需事实未提供", tn.0), format!("facts of the {} criterion not supplied", tn.1)),
                        }
                    },
                );
                criteria.push(CriterionOut {
                    rule: id,
                    tier: c.tier,
                    status,
                    missing,
                });
            }
            // From the most severe tier down: a met criterion decides the tier;
            // an unsupplied one leaves it undecided (a more severe tier cannot be
            // ruled out); a tier whose criteria all fail passes to the next.
            // (The tiers of the criteria, each once, most severe first: `Tier::ALL`
            // is mildest first. Not a sort, which would cost the WASM package 3 KB.)
            let tiers = Tier::ALL.iter().rev().map(|&(_, t)| t).filter(|t| criteria.iter().any(|c| c.tier == *t));
            for tr in tiers {
                let of_tier = || criteria.iter().filter(move |c| c.tier == tr);
                if let Some(c) = of_tier().find(|c| c.status == CriterionStatus::Met) {
                    tier = tr;
                    rule = Some(c.rule);
                    outcome = ListOutcome::List;
                    break;
                }
                if of_tier().any(|c| c.status == CriterionStatus::NotSupplied) {
                    for c in of_tier() {
                        for m in &c.missing {
                            let p = format!("facts.{m}");
                            if !missing_facts.contains(&p) {
                                missing_facts.push(p);
                            }
                        }
                    }
                    outcome = ListOutcome::InsufficientFacts;
                    break;
                }
            }
        }
    }
    // A rebound whose seriousness is not supplied could still lead to the
    // direct tier: unless the criteria already give that tier, it is undecided.
    let direct_tier = proc_def.and_then(|p| p.direct_tier);
    if missing_facts.iter().any(|m| m == "rebound.serious") && !(outcome == ListOutcome::List && Some(tier) == direct_tier) {
        outcome = ListOutcome::InsufficientFacts;
        tier = Tier::None;
        rule = None;
    }
    if outcome != ListOutcome::InsufficientFacts {
        missing_facts.clear();
    }
    let modality = (outcome == ListOutcome::List).then_some(scope.modality);
    let mut deadline = None;
    let mut listing = None;
    if outcome == ListOutcome::List {
        let l = Listing {
            id: None,
            area: req.area.clone(),
            issuer: req.issuer.clone(),
            tier,
            categories: req.categories.clone(),
            listed_on: req.on,
            deadline: None,
            extensions_used: 0,
            status: ListingStatus::Active,
        };
        if scope.terms_apply {
            deadline = computed_deadline(&mut t, &l)?;
        } else {
            t.note(
                "not_provided",
                Some(&scope.rule),
                format!("本规则集不规定{}一级挂牌的期限（由下级禁毒委员会参照制定）", req.area.level.zh()),
                format!(
                    "this rulebook sets no term for listings of {} areas (the lower committee sets its own)",
                    req.area.level.name()
                ),
            );
        }
        if scope.modality == Modality::May {
            t.step(&scope.rule, "may", Vec::new, || {
                (
                    "视情给予不同整治级别和扶助措施".to_owned(),
                    "tiers and support are given as the case warrants".to_owned(),
                )
            });
        }
        listing = Some(Listing {
            deadline: deadline.map(|d| d.effective),
            ..l
        });
    }
    if req.basis == Basis::OfficeProposal {
        t.reading(procedure.rule);
    }
    Ok(ListAnswer {
        outcome,
        tier,
        tier_name: rb.tier_name(tier),
        modality,
        rule,
        deadline,
        procedure,
        criteria,
        missing_facts,
        listing,
        explained: t.finish(),
    })
}

// ---------------------------------------------------------------- conditions

/// How a delisting condition stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    /// Met (every sub-point).
    Met,
    /// Not met: named sub-points fail.
    Unmet,
    /// Not supplied (in whole or in part).
    NotSupplied,
}

/// A delisting condition's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ConditionOut<'r> {
    /// Its key.
    pub condition: &'r str,
    /// The rule (第十四条第三项).
    pub rule: &'r str,
    /// Its status.
    pub status: ConditionStatus,
    /// The sub-points that fail.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet_sub_points: Vec<&'r str>,
    /// The sub-points not supplied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_sub_points: Vec<&'r str>,
}

fn evaluate_conditions<'r>(t: &mut Trail<'r>, facts: &ReviewFacts) -> (bool, Vec<ConditionOut<'r>>) {
    let rb = t.rb;
    let d = rb.delisting();
    let mut all = true;
    let mut out = Vec::with_capacity(d.conditions.len());
    for c in &d.conditions {
        let mut unmet = Vec::new();
        let mut missing = Vec::new();
        let given = facts.conditions.get(&c.key);
        match given {
            None => missing.extend(c.sub_points.iter().map(|s| s.key.as_str())),
            Some(ConditionInput::Whole(true)) => {}
            Some(ConditionInput::Whole(false)) => unmet.extend(c.sub_points.iter().map(|s| s.key.as_str())),
            Some(ConditionInput::SubPoints(m)) => {
                for s in &c.sub_points {
                    match m.get(&s.key) {
                        Some(true) => {}
                        Some(false) => unmet.push(s.key.as_str()),
                        None => missing.push(s.key.as_str()),
                    }
                }
            }
        }
        let whole_false = matches!(given, Some(ConditionInput::Whole(false)));
        let status = if !unmet.is_empty() {
            ConditionStatus::Unmet
        } else if !missing.is_empty() {
            ConditionStatus::NotSupplied
        } else {
            ConditionStatus::Met
        };
        all &= status == ConditionStatus::Met;
        let rule = t.id(&c.rule);
        t.step(
            &c.rule,
            match status {
                ConditionStatus::Met => "met",
                ConditionStatus::Unmet => "unmet",
                ConditionStatus::NotSupplied => "not_supplied",
            },
            || {
                vec![
                    ("condition", Val::Str(c.key.clone())),
                    ("unmet", Val::Int(i64::try_from(unmet.len()).unwrap_or(0))),
                    ("missing", Val::Int(i64::try_from(missing.len()).unwrap_or(0))),
                ]
            },
            || {
                let text = rb.rule_by_id(&c.rule).map_or(("", ""), |r| (r.text.zh.as_str(), r.text.en.as_str()));
                match status {
                    ConditionStatus::Met => (format!("符合：{}", text.0), format!("met: {}", text.1)),
                    ConditionStatus::Unmet => (format!("不符合：{}", text.0), format!("not met: {}", text.1)),
                    ConditionStatus::NotSupplied => (format!("未提供：{}", text.0), format!("not supplied: {}", text.1)),
                }
            },
        );
        out.push(ConditionOut {
            condition: &c.key,
            rule,
            status,
            unmet_sub_points: if whole_false { Vec::new() } else { unmet },
            missing_sub_points: missing,
        });
    }
    (all, out)
}

// ---------------------------------------------------------------- measures

/// Whether a measure is imposed, imposed in principle, or available.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// Mandatory (应当): applies.
    Applies,
    /// In principle (原则上): applies unless an exception is made.
    AppliesInPrinciple,
    /// Discretionary (视情、可以): available to the deciding body, not imposed.
    Available,
    /// Would apply if the caller finds a fact the law leaves to judgement.
    RequiresJudgement,
}

/// A measure that follows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct MeasureOut<'r> {
    /// Its key.
    pub measure: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The citation in words.
    pub citation: &'r str,
    /// The modality, as the text words it.
    pub modality: Modality,
    /// What follows from the modality (a discretionary measure is only available).
    pub status: MeasureStatus,
    /// On whom it falls.
    pub target: Target,
    /// The officials it names, where it names any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub officials: Vec<String>,
    /// The measure in words.
    pub text: &'r Text,
}

/// The facts that fire triggers, computed once.
struct Fired {
    listed: bool,
    negligent_miss: bool,
    negligent_miss_extended: bool,
    tenured_negligent_miss: bool,
    failed_annual: bool,
    /// Officials meeting 第三十条第三项 with the neglect found.
    tenured_neglect: Vec<String>,
    /// Officials meeting the tenure whose neglect was not judged.
    tenured_unjudged: Vec<String>,
}

fn tenure_qualifies(t: &mut Trail<'_>, o: &Official, listed_on: Date) -> bool {
    let rb = t.rb;
    let rr = rb.review_rules();
    let (period, rule) = (rr.tenure_before_listing, rr.tenure_rule.as_str());
    let start = t.rb.periods().start;
    let Ok(end) = period_end(o.in_post_since, period, start) else { return false };
    let ok = end <= listed_on;
    t.step(
        rule,
        if ok { "tenure_met" } else { "tenure_unmet" },
        || {
            vec![
                ("official", Val::Str(o.name.clone())),
                ("in_post_since", Val::Date(Some(o.in_post_since))),
                ("listed_on", Val::Date(Some(listed_on))),
                ("tenure_complete_on", Val::Date(Some(end))),
            ]
        },
        || {
            let (pz, pe) = period.words();
            if ok {
                (
                    format!("{} 自 {} 任职，至 {end} 满{pz}，不晚于挂牌日 {listed_on}（含两年）", o.name, o.in_post_since),
                    format!(
                        "{} in post since {}: {pe} complete on {end}, not after the listing on {listed_on} (two years included)",
                        o.name, o.in_post_since
                    ),
                )
            } else {
                (
                    format!("{} 自 {} 任职，至 {end} 方满{pz}，挂牌日 {listed_on} 时未满", o.name, o.in_post_since),
                    format!(
                        "{} in post since {}: {pe} complete only on {end}, after the listing on {listed_on}",
                        o.name, o.in_post_since
                    ),
                )
            }
        },
    );
    ok
}

struct MeasureInput<'a> {
    listing: &'a Listing,
    on: Date,
    officials: &'a [Official],
    goal_met: Option<bool>,
    negligence: Option<bool>,
    failed_annual: Option<bool>,
    deadline: Option<Date>,
    /// Only accountability triggered by the event (a review), not standing duties.
    event_only: bool,
}

fn fire(t: &mut Trail<'_>, m: &MeasureInput<'_>) -> Fired {
    let l = m.listing;
    let active = l.status != ListingStatus::Cancelled;
    let expired = m.deadline.is_some_and(|d| m.on >= d);
    let missed = active && expired && m.goal_met == Some(false);
    let negligent = missed && m.negligence == Some(true);
    let mut tenured_neglect = Vec::new();
    let mut tenured_unjudged = Vec::new();
    if active && l.tier == Tier::Rectify {
        for o in m.officials {
            if tenure_qualifies(t, o, l.listed_on) {
                match o.neglect_led_to_severity {
                    Some(true) => tenured_neglect.push(o.name.clone()),
                    Some(false) => {}
                    None => tenured_unjudged.push(o.name.clone()),
                }
            }
        }
    }
    let negligent_miss = negligent && l.extensions_used == 0;
    Fired {
        listed: active && l.tier != Tier::None,
        negligent_miss,
        negligent_miss_extended: negligent && l.extensions_used >= 1 && l.tier == Tier::Rectify,
        tenured_negligent_miss: negligent_miss && !tenured_neglect.is_empty(),
        failed_annual: m.failed_annual == Some(true),
        tenured_neglect,
        tenured_unjudged,
    }
}

pub(crate) fn status_of(modality: Modality) -> MeasureStatus {
    match modality {
        Modality::Must => MeasureStatus::Applies,
        Modality::InPrinciple => MeasureStatus::AppliesInPrinciple,
        Modality::May => MeasureStatus::Available,
    }
}

fn measures<'r>(t: &mut Trail<'r>, m: &MeasureInput<'_>) -> Vec<MeasureOut<'r>> {
    let rb = t.rb;
    let fired = fire(t, m);
    let mut out: Vec<MeasureOut<'r>> = Vec::new();
    let responsible: Vec<String> = m
        .officials
        .iter()
        .filter(|o| matches!(o.role, Role::FirstResponsible | Role::DirectResponsible))
        .map(|o| o.name.clone())
        .collect();
    let mut any_accountability = false;
    let applies_to = |d: &MeasureDef, l: &Listing| d.tiers.contains(&l.tier) && d.issuer_levels.contains(&l.issuer.level);
    for d in &rb.file().measures {
        if !applies_to(d, m.listing) {
            continue;
        }
        let on = match d.trigger {
            Trigger::Listed => fired.listed && !m.event_only,
            Trigger::TenuredNeglect => !m.event_only && (!fired.tenured_neglect.is_empty() || !fired.tenured_unjudged.is_empty()),
            Trigger::NegligentMiss => fired.negligent_miss,
            Trigger::NegligentMissExtended => fired.negligent_miss_extended,
            Trigger::TenuredNegligentMiss => fired.tenured_negligent_miss,
            Trigger::FailedAnnualAssessment => fired.failed_annual,
            Trigger::AnyAccountability => false,
        };
        if !on {
            continue;
        }
        let mut push = |t: &mut Trail<'r>, status: MeasureStatus, officials: Vec<String>| {
            let rule = t.id(&d.rule);
            t.step(
                &d.rule,
                match status {
                    MeasureStatus::Applies => "applies",
                    MeasureStatus::AppliesInPrinciple => "applies_in_principle",
                    MeasureStatus::Available => "available",
                    MeasureStatus::RequiresJudgement => "requires_judgement",
                },
                || vec![("measure", Val::Str(d.key.clone())), ("tier", Val::Str(m.listing.tier.name().to_owned()))],
                || {
                    let (mz, me) = match d.modality {
                        Modality::Must => ("应当", "must"),
                        Modality::InPrinciple => ("原则上", "in principle"),
                        Modality::May => ("视情（可以）", "may, as the case warrants"),
                    };
                    if status == MeasureStatus::RequiresJudgement {
                        (
                            format!("待认定：{}（{}）", d.text.zh, officials.join("、")),
                            format!("requires the caller's finding: {} ({})", d.text.en, officials.join(", ")),
                        )
                    } else {
                        (format!("{mz}：{}", d.text.zh), format!("{me}: {}", d.text.en))
                    }
                },
            );
            out.push(MeasureOut {
                measure: &d.key,
                rule,
                citation: rb.citation_text(rule),
                modality: d.modality,
                status,
                target: d.target,
                officials,
                text: &d.text,
            });
        };
        match d.target {
            Target::NamedOfficials => {
                let named = fired.tenured_neglect.clone();
                if !named.is_empty() {
                    any_accountability |= d.accountability;
                    push(t, status_of(d.modality), named);
                }
                if d.trigger == Trigger::TenuredNeglect && !fired.tenured_unjudged.is_empty() {
                    push(t, MeasureStatus::RequiresJudgement, fired.tenured_unjudged.clone());
                    t.note(
                        "not_supplied",
                        Some(&d.rule),
                        format!(
                            "任职满两年的责任人 {} 是否“因不重视禁毒工作、履职不力导致毒情严重”未认定（由调用方认定）",
                            fired.tenured_unjudged.join("、")
                        ),
                        format!(
                            "whether neglect by {} (in post two years or more) led to the serious situation was not found (the caller's judgement)",
                            fired.tenured_unjudged.join(", ")
                        ),
                    );
                }
            }
            Target::ResponsiblePersons => {
                any_accountability |= d.accountability;
                push(t, status_of(d.modality), responsible.clone());
            }
            Target::Area | Target::CountyCommittee => {
                any_accountability |= d.accountability;
                push(t, status_of(d.modality), Vec::new());
            }
        }
    }
    if any_accountability {
        for d in rb
            .file()
            .measures
            .iter()
            .filter(|d| d.trigger == Trigger::AnyAccountability && applies_to(d, m.listing))
        {
            let rule = t.id(&d.rule);
            t.step(&d.rule, "applies", Vec::new, || {
                (format!("应当：{}", d.text.zh), format!("must: {}", d.text.en))
            });
            out.push(MeasureOut {
                measure: &d.key,
                rule,
                citation: rb.citation_text(rule),
                modality: d.modality,
                status: status_of(d.modality),
                target: d.target,
                officials: Vec::new(),
                text: &d.text,
            });
        }
    }
    out
}

// ---------------------------------------------------------------- review

/// The outcome of a review.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The listing continues as it is.
    Continue,
    /// The term is extended.
    Extend,
    /// The tier is lowered.
    Lower,
    /// The listing is cancelled.
    Cancel,
    /// The rectify listing continues after its term and extension ran out (继续挂牌整治).
    ContinueListing,
    /// The text does not say what follows.
    NotProvided,
    /// A fact needed to decide was not supplied.
    InsufficientFacts,
    /// The listing goes to the body of the level above.
    Escalate,
}

impl MeasureStatus {
    /// The wire name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            MeasureStatus::Applies => "applies",
            MeasureStatus::AppliesInPrinciple => "applies_in_principle",
            MeasureStatus::Available => "available",
            MeasureStatus::RequiresJudgement => "requires_judgement",
        }
    }
}

impl ReviewOutcome {
    /// The wire name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ReviewOutcome::Continue => "continue",
            ReviewOutcome::Extend => "extend",
            ReviewOutcome::Lower => "lower",
            ReviewOutcome::Cancel => "cancel",
            ReviewOutcome::ContinueListing => "continue_listing",
            ReviewOutcome::NotProvided => "not_provided",
            ReviewOutcome::InsufficientFacts => "insufficient_facts",
            ReviewOutcome::Escalate => "escalate",
        }
    }
}

/// An action available to the deciding body.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OptionOut<'r> {
    /// The action.
    pub action: Application,
    /// Its modality (第十四条: 可以).
    pub modality: Modality,
    /// The rule.
    pub rule: &'r str,
}

/// An action asked for and refused, with why.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Refusal<'r> {
    /// The action.
    pub action: Application,
    /// Why (`conditions_unmet`, `extension_limit_reached`, `no_special_circumstances`, `term_not_expired`, `no_lower_tier`).
    pub reason: &'static str,
    /// The rule.
    pub rule: &'r str,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// The answer of `review`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ReviewAnswer<'r> {
    /// The outcome.
    pub outcome: ReviewOutcome,
    /// Its modality: must (应当/declarative), in principle, or may (可以).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// The rule that decides it.
    pub rule: &'r str,
    /// The day of the review.
    pub on: Date,
    /// Whether the term had run out by the review (a review on the last day counts as at expiry).
    pub expired: bool,
    /// The deadline before the review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_deadline: Option<Date>,
    /// The deadline after the review; absent when the text sets none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// The tier after the review.
    pub tier: Tier,
    /// Its local name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_name: Option<&'r Text>,
    /// The status after the review.
    pub status: ListingStatus,
    /// Extensions used after the review.
    pub extensions_used: u8,
    /// Whether every delisting condition holds at once (同时符合).
    pub conditions_met: bool,
    /// Every condition's result.
    pub conditions: Vec<ConditionOut<'r>>,
    /// The conditions not met or not supplied, by rule id.
    pub unmet_conditions: Vec<&'r str>,
    /// Actions open to the deciding body.
    pub options: Vec<OptionOut<'r>>,
    /// Actions asked for and refused.
    pub refused: Vec<Refusal<'r>>,
    /// Facts needed for an answer that were not supplied (paths).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_facts: Vec<String>,
    /// Accountability triggered by the review (第三十一条).
    pub measures: Vec<MeasureOut<'r>>,
    /// The listing after the review, ready for the next one.
    pub listing: Listing,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

fn check_listing_for_review(rb: &Rulebook, l: &Listing, prefix: &str) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    check_scope(rb, l, prefix, &mut errors);
    if l.status == ListingStatus::Cancelled {
        errors.push(FieldError::at(
            ErrorCode::Inconsistent,
            &format!("{prefix}status"),
            "已取消的挂牌不能再评估".to_owned(),
            "a cancelled listing cannot be reviewed".to_owned(),
        ));
    }
    errors_or(errors)
}

/// `review`: a listing reviewed on a date.
///
/// # Errors
/// [`InputErrors`] when the listing is outside the rulebook's scope, cancelled,
/// or has more extensions than the rulebook allows.
///
/// # Example
/// ```
/// use jindu::{Registry, ReviewRequest, Options, review, ReviewOutcome};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: ReviewRequest = serde_json::from_value(serde_json::json!({
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "rectify", "listed_on": "2018-06-01"},
///     "on": "2020-06-01",
///     "facts": {"goal_met": false, "special_circumstances": true}
/// })).unwrap();
/// let a = review(rb, &req, Options::default()).unwrap();
/// assert_eq!(a.outcome, ReviewOutcome::Extend);
/// assert_eq!(a.deadline.unwrap().nominal.to_string(), "2021-06-01");
/// ```
pub fn review<'r>(rb: &'r Rulebook, req: &ReviewRequest, opts: Options) -> Result<ReviewAnswer<'r>, InputErrors> {
    needs_rectification(rb)?;
    check_listing_for_review(rb, &req.listing, "listing.")?;
    let mut t = Trail::new(rb, opts.explain);
    review_in(&mut t, &req.listing, req.on, &req.facts, req.application, &req.officials).map(|b| b.finish(t))
}

struct ReviewBody<'r> {
    outcome: ReviewOutcome,
    modality: Option<Modality>,
    rule: &'r str,
    on: Date,
    expired: bool,
    previous_deadline: Option<Date>,
    deadline: Option<Deadline>,
    conditions_met: bool,
    conditions: Vec<ConditionOut<'r>>,
    options: Vec<OptionOut<'r>>,
    refused: Vec<Refusal<'r>>,
    missing_facts: Vec<String>,
    measures: Vec<MeasureOut<'r>>,
    listing: Listing,
}

impl<'r> ReviewBody<'r> {
    fn finish(self, t: Trail<'r>) -> ReviewAnswer<'r> {
        let rb = t.rb;
        let unmet_conditions = self.conditions.iter().filter(|c| c.status != ConditionStatus::Met).map(|c| c.rule).collect();
        ReviewAnswer {
            outcome: self.outcome,
            modality: self.modality,
            rule: self.rule,
            on: self.on,
            expired: self.expired,
            previous_deadline: self.previous_deadline,
            deadline: self.deadline,
            tier: self.listing.tier,
            tier_name: rb.tier_name(self.listing.tier),
            status: self.listing.status,
            extensions_used: self.listing.extensions_used,
            conditions_met: self.conditions_met,
            conditions: self.conditions,
            unmet_conditions,
            options: self.options,
            refused: self.refused,
            missing_facts: self.missing_facts,
            measures: self.measures,
            listing: self.listing,
            explained: t.finish(),
        }
    }
}

fn refuse<'r>(t: &mut Trail<'r>, refused: &mut Vec<Refusal<'r>>, action: Application, reason: &'static str, rule: &str, zh: String, en: String) {
    let id = t.cite(rule);
    t.step(
        rule,
        "refused",
        || vec![("action", Val::Str(action.name().to_owned())), ("reason", Val::Str(reason.to_owned()))],
        || (zh.clone(), en.clone()),
    );
    refused.push(Refusal {
        action,
        reason,
        rule: id,
        zh,
        en,
    });
}

#[allow(clippy::too_many_lines)]
fn review_in<'r>(
    t: &mut Trail<'r>,
    l: &Listing,
    on: Date,
    facts: &ReviewFacts,
    application: Option<Application>,
    officials: &[Official],
) -> Result<ReviewBody<'r>, InputErrors> {
    let rb = t.rb;
    let rr = rb.review_rules();
    let term = terms_for(rb, l);
    let current = current_deadline(t, l)?;
    let expired = current.is_some_and(|d| on >= d.effective);
    t.step(
        &rr.application,
        if expired { "at_or_after_expiry" } else { "within_term" },
        || vec![("on", Val::Date(Some(on))), ("deadline", Val::Date(current.map(|d| d.effective)))],
        || match current {
            Some(d) if expired => (
                format!("评估日 {on} 已届整治期限最后一日 {}", d.effective),
                format!("the review on {on} is at or after the last day of the term, {}", d.effective),
            ),
            Some(d) => (
                format!("评估日 {on} 在整治期限内（至 {}）", d.effective),
                format!("the review on {on} is within the term (until {})", d.effective),
            ),
            None => (format!("评估日 {on}：挂牌无截止日"), format!("review on {on}: the listing has no deadline")),
        },
    );
    let (conditions_met, conditions) = evaluate_conditions(t, facts);
    t.step(
        &rb.delisting().rule,
        if conditions_met { "met" } else { "unmet" },
        || vec![("conditions_met", Val::Bool(Some(conditions_met)))],
        || {
            if conditions_met {
                (
                    "六项条件同时符合：可以降低整治级别或者取消整治".to_owned(),
                    "all conditions met at once: the tier may be lowered or the listing cancelled".to_owned(),
                )
            } else {
                (
                    "六项条件未同时符合：不得降低整治级别或者取消整治".to_owned(),
                    "the conditions are not all met at once: no lowering or cancellation".to_owned(),
                )
            }
        },
    );
    let delist_rule = t.id(&rb.delisting().rule);
    let lower = rb.lower_tier(l.tier);
    let mut options = Vec::new();
    if conditions_met {
        if lower.is_some() {
            options.push(OptionOut {
                action: Application::Lower,
                modality: Modality::May,
                rule: delist_rule,
            });
        }
        options.push(OptionOut {
            action: Application::Cancel,
            modality: Modality::May,
            rule: delist_rule,
        });
    }
    let mut refused = Vec::new();
    let mut missing_facts = Vec::new();
    let mut next = l.clone();
    next.deadline = current.map(|d| d.effective);
    let base = ReviewBody {
        outcome: ReviewOutcome::Continue,
        modality: None,
        rule: "",
        on,
        expired,
        previous_deadline: current.map(|d| d.effective),
        deadline: current,
        conditions_met,
        conditions,
        options,
        refused: Vec::new(),
        missing_facts: Vec::new(),
        measures: Vec::new(),
        listing: next,
    };

    // 1. An application to lower or cancel (第十四条).
    if let Some(Application::Lower | Application::Cancel) = application {
        // A form needs every sub-point not yet answered.
        for c in &base.conditions {
            for sp in &c.missing_sub_points {
                missing_facts.push(format!("facts.conditions.{}.{sp}", c.condition));
            }
        }
    }
    if let Some(app @ (Application::Lower | Application::Cancel)) = application {
        if !conditions_met {
            let unmet: Vec<&str> = base.conditions.iter().filter(|c| c.status != ConditionStatus::Met).map(|c| c.rule).collect();
            refuse(
                t,
                &mut refused,
                app,
                "conditions_unmet",
                &rb.delisting().rule,
                format!("第十四条要求六项条件同时符合，未符合或未提供：{}", unmet.join("、")),
                format!("art. 14 requires every condition at once; not met or not supplied: {}", unmet.join(", ")),
            );
        } else if app == Application::Lower && lower.is_none() {
            let rule = rb.tier(l.tier).map_or("", |x| x.rule.as_str());
            refuse(
                t,
                &mut refused,
                app,
                "no_lower_tier",
                rule,
                format!("规则集在{}之下没有更低的本级级别：只能取消整治", l.tier.name()),
                format!("the rulebook has no milder tier of its own below {}: only cancellation is open", l.tier.name()),
            );
        } else if app == Application::Cancel {
            let decision = t.cite(&rr.decision);
            let _ = decision;
            t.step(&rb.delisting().rule, "cancel", Vec::new, || {
                ("取消整治（可以）".to_owned(), "the listing may be cancelled".to_owned())
            });
            let mut body = base;
            body.outcome = ReviewOutcome::Cancel;
            body.modality = Some(Modality::May);
            body.rule = delist_rule;
            body.deadline = None;
            body.listing.status = ListingStatus::Cancelled;
            body.listing.deadline = None;
            body.missing_facts = std::mem::take(&mut missing_facts);
            body.refused = refused;
            return Ok(body);
        } else if let Some(new_tier) = lower {
            t.cite(&rr.decision);
            let new_term = rb.term(new_tier);
            let mut body = base;
            body.outcome = ReviewOutcome::Lower;
            body.modality = Some(Modality::May);
            body.rule = delist_rule;
            body.listing.tier = new_tier;
            body.listing.status = ListingStatus::Active;
            body.listing.extensions_used = 0;
            match new_term {
                Some(nt) => {
                    let end = term_end(t, on, nt.period, &nt.rule, "on")?;
                    let eff = shift_for_holidays(t, end, "on")?;
                    body.deadline = Some(Deadline { nominal: end, effective: eff });
                    body.listing.deadline = Some(eff);
                    body.listing.listed_on = on;
                    t.note(
                        "reading",
                        Some(&nt.rule),
                        format!("降低级别后的期限文本未规定起算日：本库按新级别的期限自降级决定之日（{on}）起算"),
                        format!("the text does not say from when a lowered listing's term runs: the library counts the new tier's term from the lowering decision ({on})"),
                    );
                }
                None => {
                    body.deadline = None;
                    body.listing.deadline = None;
                }
            }
            body.missing_facts = std::mem::take(&mut missing_facts);
            body.refused = refused;
            return Ok(body);
        }
    }

    let mut body = base;
    let term_rule = term.map_or("", |x| x.rule.as_str());
    if !expired {
        if application == Some(Application::Extend) {
            refuse(
                t,
                &mut refused,
                Application::Extend,
                "term_not_expired",
                &rr.at_expiry,
                format!(
                    "整治期限尚未届满（至 {}）：延长申请在整治期满时提出",
                    current.map_or(String::new(), |d| d.effective.to_string())
                ),
                format!(
                    "the term has not run out (until {}): an extension is applied for at expiry",
                    current.map_or(String::new(), |d| d.effective.to_string())
                ),
            );
        }
        let rule = if l.status == ListingStatus::Continued {
            term.map_or("", |x| x.after.rule.as_str())
        } else {
            term_rule
        };
        body.outcome = ReviewOutcome::Continue;
        body.rule = if rule.is_empty() { t.cite(&rr.application) } else { t.cite(rule) };
        body.missing_facts = std::mem::take(&mut missing_facts);
        body.refused = refused;
        if l.status == ListingStatus::Continued {
            t.note(
                "not_provided",
                Some(rule),
                "继续挂牌整治没有文本规定的期限".to_owned(),
                "a continued listing has no term set by the text".to_owned(),
            );
        }
        return Ok(body);
    }

    // At or after expiry (第十八条).
    t.cite(&rr.at_expiry);
    let Some(term) = term else {
        body.outcome = ReviewOutcome::NotProvided;
        body.rule = t.cite(&rr.at_expiry);
        t.note(
            "not_provided",
            Some(&rr.at_expiry),
            "本规则集不规定该挂牌的期限与期满处理".to_owned(),
            "this rulebook sets no term or expiry rule for this listing".to_owned(),
        );
        body.missing_facts = std::mem::take(&mut missing_facts);
        body.refused = refused;
        return Ok(body);
    };
    let ext_left = term.extension.as_ref().is_some_and(|e| l.extensions_used < e.max);
    match facts.goal_met {
        None => {
            body.outcome = ReviewOutcome::InsufficientFacts;
            body.rule = t.cite(&rr.at_expiry);
            missing_facts.push("facts.goal_met".to_owned());
            t.note(
                "not_supplied",
                Some(&rr.at_expiry),
                "整治期满：未提供是否实现整治目标".to_owned(),
                "the term has run out: whether the goal is met was not supplied".to_owned(),
            );
            body.missing_facts = missing_facts;
            body.refused = refused;
            return Ok(body);
        }
        Some(true) => {
            body.outcome = ReviewOutcome::Continue;
            body.rule = t.cite(&rr.at_expiry);
            t.step(
                &rr.at_expiry,
                "goal_met",
                || vec![("goal_met", Val::Bool(Some(true)))],
                || {
                    (
                        "整治期满且实现整治目标：由乡镇提交降低级别或取消整治的申请，须同时符合第十四条条件".to_owned(),
                        "term over and goal met: the township applies to lower or cancel, which needs every condition of art. 14".to_owned(),
                    )
                },
            );
            if application == Some(Application::Extend) {
                refuse(
                    t,
                    &mut refused,
                    Application::Extend,
                    "goal_met",
                    &rr.at_expiry,
                    "已实现整治目标，无需延长".to_owned(),
                    "the goal is met: there is nothing to extend".to_owned(),
                );
            }
            body.missing_facts = std::mem::take(&mut missing_facts);
            body.refused = refused;
            return Ok(body);
        }
        Some(false) => {}
    }

    // The goal is missed at expiry.
    let ext = term.extension.as_ref();
    let tenured: Vec<&Official> = if l.tier == Tier::Rectify && l.extensions_used == 0 {
        officials
            .iter()
            .filter(|o| o.neglect_led_to_severity == Some(true))
            .filter(|o| tenure_qualifies(t, o, l.listed_on))
            .collect()
    } else {
        Vec::new()
    };
    let measures_input = MeasureInput {
        listing: l,
        on,
        officials,
        goal_met: Some(false),
        negligence: facts.negligence,
        failed_annual: None,
        deadline: current.map(|d| d.effective),
        event_only: true,
    };
    body.measures = measures(t, &measures_input);
    if facts.negligence.is_none() {
        t.note(
            "not_supplied",
            Some(&rr.negligent_extension),
            "未提供未按期完成是否因重视不够、措施不力、责任不落实所致：不适用第三十一条".to_owned(),
            "whether the miss is due to insufficient attention, weak measures or unfulfilled responsibility was not supplied: art. 31 is not applied"
                .to_owned(),
        );
    }
    let extend = |t: &mut Trail<'r>, body: &mut ReviewBody<'r>, rule: &str, modality: Modality| -> Result<(), InputErrors> {
        let Some(e) = ext else { return Ok(()) };
        let from = current.map_or(l.listed_on, |d| d.nominal);
        let end = extension_end(t, from, e.period, &e.rule, "listing.deadline")?;
        let eff = shift_for_holidays(t, end, "listing.deadline")?;
        body.outcome = ReviewOutcome::Extend;
        body.modality = Some(modality);
        body.rule = t.cite(rule);
        body.deadline = Some(Deadline { nominal: end, effective: eff });
        body.listing.deadline = Some(eff);
        body.listing.extensions_used = l.extensions_used.saturating_add(1);
        body.listing.status = ListingStatus::Extended;
        Ok(())
    };
    if facts.negligence == Some(true) && ext_left {
        let rule = if tenured.is_empty() {
            rr.negligent_extension.as_str()
        } else {
            rr.tenured_negligent_extension.as_str()
        };
        t.step(
            rule,
            "extend",
            || {
                vec![
                    ("negligence", Val::Bool(Some(true))),
                    ("extensions_used", Val::Int(i64::from(l.extensions_used))),
                ]
            },
            || {
                (
                    "因重视不够、措施不力、责任不落实未按期完成：应当延长期限".to_owned(),
                    "missed through negligence: the term must be extended".to_owned(),
                )
            },
        );
        t.reading(&rr.negligent_extension);
        extend(t, &mut body, rule, Modality::Must)?;
        if let Some(e) = ext {
            t.cite(&e.rule);
        }
        body.missing_facts = std::mem::take(&mut missing_facts);
        body.refused = refused;
        return Ok(body);
    }
    if facts.special_circumstances == Some(true) && ext_left {
        let rule = ext.map_or("", |e| e.rule.as_str());
        t.step(
            rule,
            "extend",
            || {
                vec![
                    ("special_circumstances", Val::Bool(Some(true))),
                    ("extensions_used", Val::Int(i64::from(l.extensions_used))),
                ]
            },
            || {
                (
                    "特殊情况：可以延长一次".to_owned(),
                    "special circumstances: the term may be extended once".to_owned(),
                )
            },
        );
        extend(t, &mut body, rule, Modality::May)?;
        body.missing_facts = std::mem::take(&mut missing_facts);
        body.refused = refused;
        return Ok(body);
    }
    if application == Some(Application::Extend) {
        let rule = ext.map_or(term.rule.as_str(), |e| e.rule.as_str());
        if !ext_left {
            let max = ext.map_or(0, |e| e.max);
            refuse(
                t,
                &mut refused,
                Application::Extend,
                "extension_limit_reached",
                rule,
                format!("已延长 {} 次，规则集只允许延长 {max} 次", l.extensions_used),
                format!("already extended {} time(s); the rulebook allows {max}", l.extensions_used),
            );
        } else {
            refuse(
                t,
                &mut refused,
                Application::Extend,
                "no_special_circumstances",
                rule,
                "未认定特殊情况：不适用延长".to_owned(),
                "no special circumstances found: no extension".to_owned(),
            );
        }
    }
    if facts.special_circumstances.is_none() && ext_left {
        missing_facts.push("facts.special_circumstances".to_owned());
        t.note(
            "not_supplied",
            ext.map(|e| e.rule.as_str()),
            "未提供是否存在特殊情况：不适用延长".to_owned(),
            "whether special circumstances exist was not supplied: no extension is applied".to_owned(),
        );
    }
    if facts.negligence == Some(true) && !ext_left {
        t.note(
            "not_provided",
            Some(&rr.negligent_extension),
            "第三十一条要求延长期限，但延长次数已用尽：文本未规定再次延长".to_owned(),
            "art. 31 requires an extension, but the extensions are spent: the text provides no further one".to_owned(),
        );
    }
    match term.after.outcome {
        AfterOutcome::ContinueListing => {
            let rule = term.after.rule.as_str();
            t.step(
                rule,
                "continue_listing",
                || {
                    vec![
                        ("goal_met", Val::Bool(Some(false))),
                        ("extensions_used", Val::Int(i64::from(l.extensions_used))),
                    ]
                },
                || {
                    (
                        "仍未实现整治目标：继续挂牌整治".to_owned(),
                        "goal still not met: the listing continues".to_owned(),
                    )
                },
            );
            t.reading(rule);
            body.outcome = ReviewOutcome::ContinueListing;
            body.modality = rb.rule_by_id(rule).and_then(|r| r.modality);
            body.rule = t.cite(rule);
            body.deadline = None;
            body.listing.deadline = None;
            body.listing.status = ListingStatus::Continued;
        }
        AfterOutcome::Escalate => {
            let rule = term.after.rule.as_str();
            let to = term.after.escalate_to.unwrap_or(l.issuer.level);
            t.step(
                rule,
                "escalate",
                || vec![("goal_met", Val::Bool(Some(false))), ("to", Val::Str(to.name().to_owned()))],
                || {
                    (
                        format!("仍未实现整治目标：提交{}禁毒委员会", to.zh()),
                        format!("goal still not met: the listing goes to the {} committee", to.name()),
                    )
                },
            );
            t.note(
                "not_provided",
                Some(rule),
                format!("升级后的期限由{}禁毒委员会的规则集规定，本规则集未规定", to.zh()),
                format!("the escalated listing's term is set by the {} committee's rulebook, not this one", to.name()),
            );
            body.outcome = ReviewOutcome::Escalate;
            body.modality = rb.rule_by_id(rule).and_then(|r| r.modality);
            body.rule = t.cite(rule);
            body.deadline = None;
            body.listing.deadline = None;
            body.listing.issuer = crate::model::Issuer { level: to, name: None };
            body.listing.status = ListingStatus::Active;
            body.listing.extensions_used = 0;
        }
        AfterOutcome::NotProvided => {
            let rule = term.after.rule.as_str();
            t.step(
                rule,
                "not_provided",
                || {
                    vec![
                        ("goal_met", Val::Bool(Some(false))),
                        ("extensions_used", Val::Int(i64::from(l.extensions_used))),
                    ]
                },
                || {
                    (
                        "期满仍未实现整治目标：文本未规定如何处理".to_owned(),
                        "term over with the goal unmet: the text does not say what follows".to_owned(),
                    )
                },
            );
            t.note(
                "not_provided",
                Some(rule),
                format!(
                    "{}期满未实现整治目标后的处理，文本未作规定（not provided by the text）",
                    rb.tier_name(l.tier).map_or("", |n| n.zh.as_str())
                ),
                format!(
                    "what follows when a {} term runs out with the goal unmet is not provided by the text",
                    rb.tier_name(l.tier).map_or("", |n| n.en.as_str())
                ),
            );
            body.outcome = ReviewOutcome::NotProvided;
            body.modality = None;
            body.rule = t.cite(rule);
        }
    }
    body.missing_facts = missing_facts;
    body.refused = refused;
    Ok(body)
}

// ---------------------------------------------------------------- consequences

/// The answer of `consequences`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ConsequencesAnswer<'r> {
    /// The day.
    pub on: Date,
    /// The tier.
    pub tier: Tier,
    /// Its local name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_name: Option<&'r Text>,
    /// The status.
    pub status: ListingStatus,
    /// The deadline in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
    /// Whether the term had run out by that day.
    pub expired: bool,
    /// Every measure, in the rulebook's order.
    pub measures: Vec<MeasureOut<'r>>,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

/// `consequences`: every measure that follows from a listing on a date, each
/// cited and with its modality.
///
/// # Errors
/// [`InputErrors`] when the listing's tier is not one of the rulebook's own
/// (for its own listings) or has more extensions than allowed.
///
/// # Example
/// ```
/// use jindu::{Registry, ConsequencesRequest, Options, consequences};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: ConsequencesRequest = serde_json::from_value(serde_json::json!({
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "rectify", "listed_on": "2018-06-01"},
///     "on": "2018-07-01"
/// })).unwrap();
/// let a = consequences(rb, &req, Options::default()).unwrap();
/// assert!(a.measures.iter().any(|m| m.rule == "art30.i1"));
/// ```
pub fn consequences<'r>(rb: &'r Rulebook, req: &ConsequencesRequest, opts: Options) -> Result<ConsequencesAnswer<'r>, InputErrors> {
    needs_rectification(rb)?;
    let mut errors = Vec::new();
    if rb.scope(req.listing.area.level).is_none() {
        check_scope(rb, &req.listing, "listing.", &mut errors);
    } else {
        check_tier(rb, &req.listing, "listing.", &mut errors);
    }
    errors_or(errors)?;
    let mut t = Trail::new(rb, opts.explain);
    let deadline = current_deadline(&mut t, &req.listing)?.map(|d| d.effective);
    let expired = deadline.is_some_and(|d| req.on >= d);
    let ConsequenceFacts {
        goal_met,
        negligence,
        failed_annual_assessment,
    } = req.facts;
    if expired && goal_met.is_none() {
        t.note(
            "not_supplied",
            Some(&rb.review_rules().at_expiry),
            "期限已届满但未提供是否实现整治目标：不适用第三十一条".to_owned(),
            "the term has run out but whether the goal is met was not supplied: art. 31 is not applied".to_owned(),
        );
    }
    let input = MeasureInput {
        listing: &req.listing,
        on: req.on,
        officials: &req.officials,
        goal_met,
        negligence,
        failed_annual: failed_annual_assessment,
        deadline,
        event_only: false,
    };
    let ms = measures(&mut t, &input);
    if req.listing.status == ListingStatus::Cancelled {
        t.note(
            "cancelled",
            None,
            "挂牌已取消：挂牌期间的职责与措施不再适用".to_owned(),
            "the listing is cancelled: the duties and measures of a listing no longer apply".to_owned(),
        );
    }
    if req.listing.tier == Tier::Watch {
        t.note(
            "not_provided",
            Some(&rb.delisting().rule),
            "本规则集第二十四至三十一条只规定重点督办、重点整治的措施：重点关注无规定措施".to_owned(),
            "arts. 24 to 31 of this rulebook set measures for key supervision and key rectification only: none for a watch listing".to_owned(),
        );
    }
    for m in &ms {
        if m.rule == "art30.i1" || m.rule == "art30.i3" {
            t.reading(m.rule);
        }
    }
    Ok(ConsequencesAnswer {
        on: req.on,
        tier: req.listing.tier,
        tier_name: rb.tier_name(req.listing.tier),
        status: req.listing.status,
        deadline,
        expired,
        measures: ms,
        explained: t.finish(),
    })
}

// ---------------------------------------------------------------- timeline

/// One step of a timeline: a review and where it leaves the listing.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimelineStep<'r> {
    /// The review's answer (its `explained` holds that review's rules).
    #[serde(flatten)]
    pub review: ReviewAnswer<'r>,
}

/// The answer of `timeline`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimelineAnswer<'r> {
    /// The listing's standing measures on the listing day.
    pub standing_measures: Vec<MeasureOut<'r>>,
    /// Every review in order.
    pub steps: Vec<TimelineStep<'r>>,
    /// The listing after the last review.
    pub final_listing: Listing,
    /// Cited rules (of the whole timeline), notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

/// `timeline`: a listing through a sequence of dated reviews, for what-if planning.
///
/// # Errors
/// [`InputErrors`] when the listing is outside the rulebook's scope, or a
/// review follows the listing's cancellation.
///
/// # Example
/// ```
/// use jindu::{Registry, TimelineRequest, Options, timeline, ReviewOutcome};
/// let rb = Registry::builtin().unwrap().get("hengyang-county-2018-rectification").unwrap();
/// let req: TimelineRequest = serde_json::from_value(serde_json::json!({
///     "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
///                 "tier": "supervise", "listed_on": "2018-06-01"},
///     "reviews": [
///         {"on": "2019-06-01", "facts": {"goal_met": false, "special_circumstances": true}},
///         {"on": "2020-06-01", "facts": {"goal_met": false}}
///     ]
/// })).unwrap();
/// let a = timeline(rb, &req, Options::default()).unwrap();
/// assert_eq!(a.steps[0].review.outcome, ReviewOutcome::Extend);
/// assert_eq!(a.steps[1].review.outcome, ReviewOutcome::NotProvided);
/// ```
pub fn timeline<'r>(rb: &'r Rulebook, req: &TimelineRequest, opts: Options) -> Result<TimelineAnswer<'r>, InputErrors> {
    needs_rectification(rb)?;
    check_listing_for_review(rb, &req.listing, "listing.")?;
    let mut whole = Trail::new(rb, opts.explain);
    let standing = {
        let input = MeasureInput {
            listing: &req.listing,
            on: req.listing.listed_on,
            officials: &req.officials,
            goal_met: None,
            negligence: None,
            failed_annual: None,
            deadline: None,
            event_only: false,
        };
        measures(&mut whole, &input)
    };
    let mut state = req.listing.clone();
    let mut steps = Vec::with_capacity(req.reviews.len());
    for (i, r) in req.reviews.iter().enumerate() {
        if state.status == ListingStatus::Cancelled {
            return Err(input_error(
                ErrorCode::Inconsistent,
                &format!("reviews[{i}]"),
                format!("第 {} 次评估之前挂牌已被取消：取消后不能再评估", i + 1),
                format!("the listing was cancelled before review {}: no review can follow a cancellation", i + 1),
            ));
        }
        let mut t = Trail::new(rb, opts.explain);
        let body = review_in(&mut t, &state, r.on, &r.facts, r.application, &req.officials)?;
        for c in &t.cited {
            if !whole.cited.contains(c) {
                whole.cited.push(c);
            }
        }
        let answer = body.finish(t);
        state = answer.listing.clone();
        steps.push(TimelineStep { review: answer });
    }
    Ok(TimelineAnswer {
        standing_measures: standing,
        steps,
        final_listing: state,
        explained: whole.finish(),
    })
}
