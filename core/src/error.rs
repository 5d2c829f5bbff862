//! Errors: every input error has a stable snake_case code, a path to the field
//! and a message in Chinese and in English that names the bad value and what
//! was expected. All errors of a request come back together.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of an input error. Its [`ErrorCode::as_str`] is the stable,
/// documented code that callers match on; see [`error_catalogue`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The text is not JSON at all.
    InvalidJson,
    /// A field the operation needs is absent (or `null`).
    MissingField,
    /// A field the operation does not know; rejected so that a typo never goes unnoticed.
    UnknownField,
    /// A value of the wrong JSON type (a string where a number is expected…).
    WrongType,
    /// A date not written `YYYY-MM-DD`.
    InvalidDate,
    /// A date written correctly that does not exist (2019-02-29).
    NoSuchDay,
    /// A name outside the fixed list of values (a tier, a category, a role…).
    UnknownValue,
    /// A number outside its allowed range (negative, fractional, too large, not finite).
    OutOfRange,
    /// Dates that contradict each other (a review before the listing…).
    DateOutOfOrder,
    /// A list that must not be empty is empty, or a text that must not be blank is blank.
    Empty,
    /// The same entry twice where entries must be distinct.
    Duplicate,
    /// Facts that contradict each other (a listing cancelled but reviewed, two tiers at once…).
    Inconsistent,
    /// The operation is not one the library has.
    UnknownOperation,
    /// No rulebook has that id.
    UnknownRulebook,
    /// No rulebook is in force for that jurisdiction on that date.
    NoRulebookInForce,
    /// The chosen rulebook is not in force on that date.
    RulebookNotInForce,
    /// The area's administrative level is not one the rulebook lists.
    LevelOutOfScope,
    /// The tier is not one this rulebook has (Hengyang county has no 重点关注 of its own).
    TierNotInRulebook,
    /// More extensions used than the rulebook allows.
    ExtensionsExceeded,
    /// The rulebook has no rules for that operation (no assessment rules, no rectification rules).
    NotInRulebook,
    /// A failure of the library itself, not of the input (a front end's last
    /// resort, e.g. a caught panic); report it as a bug.
    InternalError,
}

impl ErrorCode {
    /// Every code, in catalogue order.
    pub const ALL: [ErrorCode; 21] = [
        ErrorCode::InvalidJson,
        ErrorCode::MissingField,
        ErrorCode::UnknownField,
        ErrorCode::WrongType,
        ErrorCode::InvalidDate,
        ErrorCode::NoSuchDay,
        ErrorCode::UnknownValue,
        ErrorCode::OutOfRange,
        ErrorCode::DateOutOfOrder,
        ErrorCode::Empty,
        ErrorCode::Duplicate,
        ErrorCode::Inconsistent,
        ErrorCode::UnknownOperation,
        ErrorCode::UnknownRulebook,
        ErrorCode::NoRulebookInForce,
        ErrorCode::RulebookNotInForce,
        ErrorCode::LevelOutOfScope,
        ErrorCode::TierNotInRulebook,
        ErrorCode::ExtensionsExceeded,
        ErrorCode::NotInRulebook,
        ErrorCode::InternalError,
    ];

    /// The stable snake_case code.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::WrongType => "wrong_type",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::NoSuchDay => "no_such_day",
            ErrorCode::UnknownValue => "unknown_value",
            ErrorCode::OutOfRange => "out_of_range",
            ErrorCode::DateOutOfOrder => "date_out_of_order",
            ErrorCode::Empty => "empty",
            ErrorCode::Duplicate => "duplicate",
            ErrorCode::Inconsistent => "inconsistent",
            ErrorCode::UnknownOperation => "unknown_operation",
            ErrorCode::UnknownRulebook => "unknown_rulebook",
            ErrorCode::NoRulebookInForce => "no_rulebook_in_force",
            ErrorCode::RulebookNotInForce => "rulebook_not_in_force",
            ErrorCode::LevelOutOfScope => "level_out_of_scope",
            ErrorCode::TierNotInRulebook => "tier_not_in_rulebook",
            ErrorCode::ExtensionsExceeded => "extensions_exceeded",
            ErrorCode::NotInRulebook => "not_in_rulebook",
            ErrorCode::InternalError => "internal_error",
        }
    }

    /// What the code means, in Chinese and in English.
    #[must_use]
    pub const fn describe(self) -> (&'static str, &'static str) {
        match self {
            ErrorCode::InvalidJson => ("请求不是有效的 JSON", "the request is not valid JSON"),
            ErrorCode::MissingField => ("缺少必填字段", "a required field is missing"),
            ErrorCode::UnknownField => ("未知字段", "a field the operation does not know"),
            ErrorCode::WrongType => ("字段类型错误", "a value of the wrong type"),
            ErrorCode::InvalidDate => ("日期格式错误，应为 YYYY-MM-DD", "a date not written YYYY-MM-DD"),
            ErrorCode::NoSuchDay => ("日历上不存在该日期", "a date that does not exist in the calendar"),
            ErrorCode::UnknownValue => ("取值不在允许范围内", "a name outside the allowed values"),
            ErrorCode::OutOfRange => ("数值超出允许范围", "a number outside its allowed range"),
            ErrorCode::DateOutOfOrder => ("日期先后顺序矛盾", "dates in an impossible order"),
            ErrorCode::Empty => ("不得为空", "must not be empty"),
            ErrorCode::Duplicate => ("重复的条目", "a duplicate entry"),
            ErrorCode::Inconsistent => ("事实相互矛盾", "facts that contradict each other"),
            ErrorCode::UnknownOperation => ("未知的操作", "an unknown operation"),
            ErrorCode::UnknownRulebook => ("未知的规则集", "no rulebook has that id"),
            ErrorCode::NoRulebookInForce => ("该日期无有效规则集", "no rulebook in force on that date"),
            ErrorCode::RulebookNotInForce => ("所选规则集在该日期未生效", "the chosen rulebook is not in force on that date"),
            ErrorCode::LevelOutOfScope => ("该行政层级不在规则集评定范围内", "the rulebook does not list areas of that level"),
            ErrorCode::TierNotInRulebook => ("规则集没有该整治级别", "the rulebook has no such tier"),
            ErrorCode::ExtensionsExceeded => ("已用延期次数超过规则集上限", "more extensions than the rulebook allows"),
            ErrorCode::NotInRulebook => ("规则集没有该操作的规则", "the rulebook has no rules for that operation"),
            ErrorCode::InternalError => ("程序内部错误（请报告）", "an internal failure of the library (please report it)"),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of a path to a field: a key or a list index.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocSeg {
    /// An object key.
    Key(String),
    /// A position in a list, from 0.
    Index(usize),
}

/// One input error: what is wrong, where, in two languages.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, thiserror::Error)]
#[error("{path}: {msg_en}")]
pub struct FieldError {
    /// The stable code.
    pub code: ErrorCode,
    /// The path to the field, as segments (`["listing", "listed_on"]`).
    pub loc: Vec<LocSeg>,
    /// The same path as text (`listing.listed_on`, `reviews[2].on`); empty for the whole request.
    pub path: String,
    /// The message in Chinese.
    pub msg_zh: String,
    /// The message in English.
    pub msg_en: String,
}

impl FieldError {
    /// Makes an error at a path given as text (`listing.listed_on`, `reviews[1].on`).
    #[must_use]
    pub fn at(code: ErrorCode, path: &str, msg_zh: String, msg_en: String) -> FieldError {
        FieldError {
            code,
            loc: parse_path(path),
            path: path.to_owned(),
            msg_zh,
            msg_en,
        }
    }
}

fn parse_path(path: &str) -> Vec<LocSeg> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            let (key, idx) = rest.split_at(i);
            if !key.is_empty() {
                out.push(LocSeg::Key(key.to_owned()));
            }
            rest = idx;
            for chunk in rest.split('[').filter(|c| !c.is_empty()) {
                let n = chunk.trim_end_matches(']');
                match n.parse::<usize>() {
                    Ok(n) => out.push(LocSeg::Index(n)),
                    Err(_) => out.push(LocSeg::Key(n.to_owned())),
                }
            }
        } else {
            out.push(LocSeg::Key(rest.to_owned()));
        }
    }
    out
}

/// Every input error of one request, in the order they were found.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize, thiserror::Error)]
#[error("{} input error(s); first: {}", .errors.len(), .errors.first().map(ToString::to_string).unwrap_or_default())]
pub struct InputErrors {
    /// The errors.
    pub errors: Vec<FieldError>,
}

/// One problem of a rulebook's content, in Chinese and English; each names
/// the item it is about (`indicator awareness_rate`, `term for tier rectify`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct RulebookProblem {
    /// The problem in Chinese.
    pub msg_zh: String,
    /// The problem in English.
    pub msg_en: String,
}

impl RulebookProblem {
    /// A problem in both languages.
    #[must_use]
    pub fn new(msg_zh: String, msg_en: String) -> RulebookProblem {
        RulebookProblem { msg_zh, msg_en }
    }
}

impl std::fmt::Display for RulebookProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.msg_en, self.msg_zh)
    }
}

/// An error from loading or checking a rulebook file.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RulebookError {
    /// The rulebook text is not valid JSON of the rulebook format.
    #[error("rulebook is not valid: {0}")]
    Format(String),
    /// Checks of the rulebook's content failed: every problem found.
    #[error("rulebook {id}: {}", .problems.iter().map(|p| p.msg_en.as_str()).collect::<Vec<_>>().join("; "))]
    Check {
        /// The rulebook id.
        id: String,
        /// What is wrong, each in Chinese and English.
        problems: Vec<RulebookProblem>,
    },
}

/// Any error of the library.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request has input errors.
    #[error(transparent)]
    Input(#[from] InputErrors),
    /// A rulebook is invalid.
    #[error(transparent)]
    Rulebook(#[from] RulebookError),
}

/// One entry of the error catalogue.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct CatalogueEntry {
    /// The code.
    pub code: &'static str,
    /// Meaning in Chinese.
    pub zh: &'static str,
    /// Meaning in English.
    pub en: &'static str,
}

/// The catalogue of every error code the library can return.
///
/// # Example
/// ```
/// let codes: Vec<_> = jindu::error_catalogue().iter().map(|e| e.code).collect();
/// assert!(codes.contains(&"missing_field"));
/// ```
#[must_use]
pub fn error_catalogue() -> Vec<CatalogueEntry> {
    ErrorCode::ALL
        .iter()
        .map(|c| {
            let (zh, en) = c.describe();
            CatalogueEntry { code: c.as_str(), zh, en }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        let e = FieldError::at(ErrorCode::MissingField, "reviews[2].facts.on", String::new(), String::new());
        assert_eq!(
            e.loc,
            vec![
                LocSeg::Key("reviews".into()),
                LocSeg::Index(2),
                LocSeg::Key("facts".into()),
                LocSeg::Key("on".into())
            ]
        );
    }

    #[test]
    fn codes_are_unique() {
        let mut v: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        assert_eq!(v.len(), ErrorCode::ALL.len());
    }
}
