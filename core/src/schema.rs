//! JSON Schema of every request and answer type (feature `schema`), for form
//! generators and for the TypeScript types of the WASM package.

use crate::api::{Answer, Validation};
use crate::error::FieldError;
use crate::requests::{ConsequencesRequest, ListRequest, Request, ReviewRequest, TimelineRequest};
use schemars::{JsonSchema, SchemaGenerator};
use serde::{Deserialize, Serialize};

/// A call of the JSON layer, as a type (the shape [`crate::call`] reads).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Call {
    /// The operation and its request.
    #[serde(flatten)]
    pub request: Request,
    /// A rulebook id (or give `jurisdiction`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rulebook: Option<String>,
    /// A jurisdiction key, to select the rulebook in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// The date that selects the rulebook; the request's decision date when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::Date>,
    /// Whether to build the explanation trail (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<bool>,
    /// Whether the answer carries its receipt (default true; false for a
    /// form's intermediate answers, which skips hashing the request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<bool>,
}

/// A response of the JSON layer.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)]
pub enum Response<'r> {
    /// Success.
    Ok {
        /// Always `true`.
        ok: bool,
        /// The answer.
        answer: Answer<'r>,
    },
    /// Input errors.
    Err {
        /// Always `false`.
        ok: bool,
        /// Every error.
        errors: Vec<FieldError>,
    },
}

/// Every schema the library exports, by file name.
#[must_use]
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn one<T: JsonSchema>() -> serde_json::Value {
        let g = SchemaGenerator::default();
        serde_json::to_value(g.into_root_schema_for::<T>()).unwrap_or_default()
    }
    vec![
        ("call.schema.json", one::<Call>()),
        ("list-request.schema.json", one::<ListRequest>()),
        ("review-request.schema.json", one::<ReviewRequest>()),
        ("consequences-request.schema.json", one::<ConsequencesRequest>()),
        ("timeline-request.schema.json", one::<TimelineRequest>()),
        ("assess-request.schema.json", one::<crate::assess::AssessRequest>()),
        ("rank-request.schema.json", one::<crate::assess::RankRequest>()),
        ("duties-request.schema.json", one::<crate::duties::DutiesRequest>()),
        ("rulebook.schema.json", one::<crate::rulebook::RulebookFile>()),
        ("response.schema.json", one::<Response<'static>>()),
        ("validation.schema.json", one::<Validation>()),
    ]
}
