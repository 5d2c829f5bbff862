//! Dated duties: what the texts require by a date or on a schedule
//! (11月15日前, 每月25日, 每季度, 每两个月, 年底前), and what is due or
//! overdue on a given day.

use crate::date::{days_in_month, Date};
use crate::error::{ErrorCode, FieldError, InputErrors};
use crate::model::Area;
use crate::ops::Explained;
use crate::read::{Ctx, Loc};
use crate::rulebook::{Rulebook, Text};
use crate::trail::{Trail, Val};
use crate::tree::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// When a duty falls due.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Due {
    /// Once, by a date (11月15日前).
    ByDate(Date),
    /// Every month on a day (每月25日); the month's last day where it has no such day.
    MonthlyDay(u8),
    /// Every quarter, by its last day (每季度).
    Quarterly,
    /// Every half year, by 30 June and 31 December (每半年).
    HalfYearly,
    /// Every year, by 31 December (年底前, 每年年底).
    YearEnd,
    /// Every `months` months from a date (每两个月).
    EveryMonths {
        /// The interval.
        months: u8,
        /// The first day of the first interval.
        from: Date,
    },
    /// Every week from a date (一周一调度).
    Weekly {
        /// The first day of the first week.
        from: Date,
    },
}

/// How 「X日前」 is read.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BeforeReading {
    /// By the end of day X (the default reading, DOMAIN.md).
    #[default]
    ByEndOfDay,
    /// Before day X begins: the last day is X − 1.
    BeforeTheDay,
}

/// A dated duty.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyDef {
    /// Its key.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// What is due.
    pub text: Text,
    /// Who owes it, in the text's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<Text>,
    /// When.
    pub due: Due,
    /// How 「X日前」 is read for this duty.
    #[serde(default)]
    pub before: BeforeReading,
    /// First day the duty runs (default: the rulebook's start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Last day the duty runs, where the text sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// `duties`: what is due for an area on a day.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutiesRequest {
    /// The area (for the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    /// The day.
    pub on: Date,
    /// When each duty was last done, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub done: BTreeMap<String, Date>,
}

/// How a duty stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    /// Not yet due (the next due date is given).
    Due,
    /// Its last due date passed without it being done.
    Overdue,
    /// Done for the current cycle (or, for a one-off, done).
    Done,
    /// Outside the period the duty runs.
    NotActive,
}

/// A duty's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct DutyOut<'r> {
    /// Its key.
    pub duty: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The citation in words.
    pub citation: &'r str,
    /// What is due.
    pub text: &'r Text,
    /// Its status.
    pub status: DutyStatus,
    /// The due date that passed unmet (overdue), or the next one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_on: Option<Date>,
    /// The due date after it, for recurring duties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_due_on: Option<Date>,
}

/// The answer of `duties`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct DutiesAnswer<'r> {
    /// The day.
    pub on: Date,
    /// Every duty.
    pub duties: Vec<DutyOut<'r>>,
    /// Keys of overdue duties.
    pub overdue: Vec<&'r str>,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

fn month_day(y: u16, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m, d.min(days_in_month(y, m))).ok()
}

/// Every due date of a schedule from `start` to `end` (inclusive), in order.
fn due_dates(due: &Due, start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut push = |d: Date| {
        if d >= start && d <= end {
            out.push(d);
        }
    };
    match due {
        Due::ByDate(d) => push(*d),
        Due::MonthlyDay(day) => {
            let (mut y, mut m) = (start.year(), start.month());
            while let Some(d) = month_day(y, m, *day) {
                if d > end {
                    break;
                }
                push(d);
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        Due::Quarterly | Due::HalfYearly | Due::YearEnd => {
            let months: &[u8] = match due {
                Due::Quarterly => &[3, 6, 9, 12],
                Due::HalfYearly => &[6, 12],
                _ => &[12],
            };
            for y in start.year()..=end.year() {
                for m in months {
                    if let Some(d) = month_day(y, *m, 31) {
                        push(d);
                    }
                }
            }
        }
        Due::EveryMonths { months, from } => {
            let mut k = 1u32;
            while let Ok(d) = from.add_months(u32::from(*months) * k) {
                if d > end || *months == 0 || k > 10_000 {
                    break;
                }
                push(d);
                k += 1;
            }
        }
        Due::Weekly { from } => {
            let mut k = 1i64;
            while let Ok(d) = from.add_days(7 * k) {
                if d > end || k > 100_000 {
                    break;
                }
                push(d);
                k += 1;
            }
        }
    }
    out
}

pub(crate) fn read_duties(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>) -> Option<DutiesRequest> {
    let root = Loc::Root;
    let m = ctx.obj(v, &root, &["area", "on", "done"])?;
    let before = ctx.errors.len();
    let area = Ctx::opt(m, "area").and_then(|x| crate::requests::read_area(ctx, x, &root.key("area")));
    let on = ctx.req(m, &root, "on").and_then(|x| ctx.date(x, &root.key("on")));
    let mut done = BTreeMap::new();
    if let Some(x) = Ctx::opt(m, "done") {
        let l = root.key("done");
        let keys: Vec<&str> = rb.file().duties.iter().map(|d| d.key.as_str()).collect();
        if let Some(dm) = ctx.obj(x, &l, &keys) {
            for (k, val) in dm {
                let lk = l.key(k);
                if let Some(d) = ctx.date(val, &lk) {
                    if on.is_some_and(|o| d > o) {
                        ctx.err(
                            ErrorCode::DateOutOfOrder,
                            &lk,
                            format!("{} 的完成日期 {d} 晚于查询日", lk.render()),
                            format!("{}: done on {d}, after the day asked about", lk.render()),
                        );
                    }
                    done.insert(k.to_owned(), d);
                }
            }
        }
    }
    if ctx.errors.len() != before {
        return None;
    }
    Some(DutiesRequest { area, on: on?, done })
}

/// `duties`: for a day, what is due, when, and what is overdue, each cited.
///
/// # Errors
/// [`InputErrors`] when the rulebook has no dated duties.
///
/// # Example
/// ```
/// use jindu::{Registry, duties::{duties, DutiesRequest, DutyStatus}, Options};
/// let rb = Registry::builtin().unwrap().get("qianxinan-2018-dispatch").unwrap();
/// let req: DutiesRequest = serde_json::from_value(serde_json::json!({"on": "2018-11-16"})).unwrap();
/// let a = duties(rb, &req, Options::default()).unwrap();
/// assert!(a.overdue.contains(&"sunshine_station"));
/// ```
pub fn duties<'r>(rb: &'r Rulebook, req: &DutiesRequest, opts: crate::ops::Options) -> Result<DutiesAnswer<'r>, InputErrors> {
    if rb.file().duties.is_empty() {
        return Err(InputErrors {
            errors: vec![FieldError::at(
                ErrorCode::NotInRulebook,
                "rulebook",
                format!("规则集 {} 没有限期任务", rb.id()),
                format!("rulebook {} has no dated duties", rb.id()),
            )],
        });
    }
    let mut t = Trail::new(rb, opts.explain);
    let on = req.on;
    let mut out = Vec::new();
    for d in &rb.file().duties {
        let rule = t.id(&d.rule);
        let start = d.from.or(rb.file().in_force.from).unwrap_or(on);
        let end = d.until.unwrap_or(Date::new(9999, 12, 31).unwrap_or(on));
        let horizon = on.add_days(800).unwrap_or(on).min(end);
        let shift = |x: Date| {
            if d.before == BeforeReading::BeforeTheDay {
                x.add_days(-1).unwrap_or(x)
            } else {
                x
            }
        };
        let dates: Vec<Date> = due_dates(&d.due, start, horizon).into_iter().map(shift).collect();
        let last = dates.iter().rev().find(|x| **x < on).copied();
        let prev = last.and_then(|l| dates.iter().rev().find(|x| **x < l).copied());
        let next = dates.iter().find(|x| **x >= on).copied();
        let done = req.done.get(&d.key).copied();
        let one_off = matches!(d.due, Due::ByDate(_));
        let (status, due_on, next_due_on) = if on < start || on > end && last.is_none() {
            (DutyStatus::NotActive, next, None)
        } else if one_off {
            match (done, last, next) {
                (Some(_), _, _) => (DutyStatus::Done, last.or(next), None),
                (None, Some(l), _) => (DutyStatus::Overdue, Some(l), None),
                (None, None, n) => (DutyStatus::Due, n, None),
            }
        } else {
            match last {
                Some(l) if done.is_none_or(|x| prev.is_some_and(|p| x <= p)) => (DutyStatus::Overdue, Some(l), next),
                _ if done.is_some_and(|x| last.is_none_or(|l| x > l)) => (DutyStatus::Done, next, None),
                _ => (DutyStatus::Due, next, None),
            }
        };
        t.step(
            &d.rule,
            match status {
                DutyStatus::Due => "due",
                DutyStatus::Overdue => "overdue",
                DutyStatus::Done => "done",
                DutyStatus::NotActive => "not_active",
            },
            || vec![("due_on", Val::Date(due_on)), ("done", Val::Date(done))],
            || {
                let when = due_on.map_or("—".to_owned(), |x| x.to_string());
                (format!("{}：{when}", d.text.zh), format!("{}: {when}", d.text.en))
            },
        );
        out.push(DutyOut {
            duty: &d.key,
            rule,
            citation: rb.citation_text(rule),
            text: &d.text,
            status,
            due_on,
            next_due_on,
        });
    }
    if rb
        .file()
        .duties
        .iter()
        .any(|d| matches!(d.due, Due::ByDate(_)) && d.before == BeforeReading::ByEndOfDay)
    {
        t.note(
            "reading",
            None,
            "「X日前」按“X日当日结束前”理解（规则集可另行规定）".to_owned(),
            "「X日前」 is read as 'by the end of day X' (a rulebook may say otherwise)".to_owned(),
        );
    }
    let overdue = out.iter().filter(|d| d.status == DutyStatus::Overdue).map(|d| d.duty).collect();
    Ok(DutiesAnswer {
        on,
        duties: out,
        overdue,
        explained: t.finish(),
    })
}
