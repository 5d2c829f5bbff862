//! The explanation trail, the cited rule ids, notes and the receipt.
//!
//! The trail is built only when asked for (`explain`): each step's inputs and
//! messages are made by closures that batch mode never calls, so the hot path
//! records no more than the ids of the rules it applied.

use crate::rulebook::Rulebook;
use serde::{Serialize, Serializer};

/// A value a step read, for the trail.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// A yes/no fact; `None` when the caller did not supply it.
    Bool(Option<bool>),
    /// A date; `None` when there is none.
    Date(Option<crate::date::Date>),
    /// A whole number.
    Int(i64),
    /// A name (a tier, an outcome…).
    Str(String),
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Bool(b) => b.serialize(s),
            Val::Date(d) => d.serialize(s),
            Val::Int(i) => i.serialize(s),
            Val::Str(x) => x.serialize(s),
        }
    }
}

/// The named values a step read; serialised as a JSON object in reading order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Inputs<'r>(pub Vec<(&'r str, Val)>);

impl Serialize for Inputs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Inputs<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Inputs".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let v = g.subschema_for::<Val>();
        schemars::json_schema!({"type": "object", "additionalProperties": v})
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Val {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Val".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": ["boolean", "string", "integer", "null"]})
    }
}

/// One step of the trail: a rule applied to inputs, with its result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Step<'r> {
    /// The rule id.
    pub rule: &'r str,
    /// The citation in words.
    pub citation: &'r str,
    /// The values the step read, by name.
    pub inputs: Inputs<'r>,
    /// What the step found (`met`, `unmet`, `extend`…).
    pub result: &'static str,
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
}

/// A note on the answer: a silence of the text, a reading, a fact not supplied.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Note<'r> {
    /// A stable code (`not_provided`, `not_supplied`, `reading`, `no_holiday_calendar`, `deadline_differs`).
    pub code: &'static str,
    /// The rule it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'r str>,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// Collects the cited rules, the notes and (when explaining) the steps.
pub(crate) struct Trail<'r> {
    pub(crate) rb: &'r Rulebook,
    pub(crate) explain: bool,
    pub(crate) steps: Vec<Step<'r>>,
    pub(crate) cited: Vec<&'r str>,
    pub(crate) notes: Vec<Note<'r>>,
}

impl<'r> Trail<'r> {
    pub(crate) fn new(rb: &'r Rulebook, explain: bool) -> Trail<'r> {
        Trail {
            rb,
            explain,
            steps: Vec::new(),
            cited: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The rule id as borrowed from the rulebook (every id the code cites was
    /// checked to exist when the rulebook was loaded).
    pub(crate) fn id(&self, id: &str) -> &'r str {
        self.rb.rule_by_id(id).map_or("", |r| r.id.as_str())
    }

    pub(crate) fn cite(&mut self, id: &str) -> &'r str {
        let id = self.id(id);
        // Every id cited is the rulebook's own string (from `id`), so the same
        // id is the same string: compared by address, not byte by byte.
        if !id.is_empty() && !self.cited.iter().any(|c| std::ptr::eq(*c, id)) {
            self.cited.push(id);
        }
        id
    }

    /// Records that a rule was applied; the inputs and messages are built only when explaining.
    pub(crate) fn step<I, M>(&mut self, rule: &str, result: &'static str, inputs: I, msg: M)
    where
        I: FnOnce() -> Vec<(&'r str, Val)>,
        M: FnOnce() -> (String, String),
    {
        let id = self.cite(rule);
        if self.explain {
            let (zh, en) = msg();
            self.steps.push(Step {
                rule: id,
                citation: self.rb.citation_text(id),
                inputs: Inputs(inputs()),
                result,
                zh,
                en,
            });
        }
    }

    pub(crate) fn note(&mut self, code: &'static str, rule: Option<&str>, zh: String, en: String) {
        let rule = rule.map(|r| self.cite(r));
        self.notes.push(Note { code, rule, zh, en });
    }

    /// A note quoting a rule's own reading, if it has one.
    pub(crate) fn reading(&mut self, rule: &str) {
        if let Some(r) = self.rb.rule_by_id(rule).and_then(|r| r.reading.as_ref()) {
            let (zh, en) = (r.zh.clone(), r.en.clone());
            if !self.notes.iter().any(|n| n.code == "reading" && n.rule == Some(self.id(rule))) {
                self.note("reading", Some(rule), zh, en);
            }
        }
    }
}

/// What an auditor needs to reproduce a decision.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Receipt<'r> {
    /// The rulebook id.
    pub rulebook: &'r str,
    /// SHA-256 of the rulebook's canonical JSON.
    pub rulebook_hash: &'r str,
    /// The library version.
    pub library_version: &'static str,
    /// SHA-256 of the normalised request (operation, rulebook, as-of date, request).
    pub request_hash: String,
}
