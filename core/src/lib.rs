//! # jindu
//!
//! Rules-as-code for China's drug-control (禁毒) assessment and
//! key-rectification (重点整治) regime.
//!
//! The rules live in rulebooks (JSON data, in `spec/rulebooks/`, embedded
//! here); the logic that reads them lives in this crate. Every answer carries
//! the ids of the rules it applied, notes where the text is silent or a
//! reading was needed, an optional explanation trail, and a receipt.
//!
//! Two ways in:
//! - typed: [`list`], [`review`], [`consequences`], [`timeline`] with a
//!   [`Rulebook`] from [`Registry::builtin`];
//! - JSON: [`call_json`] / [`call`], the one call/answer layer that the CLI,
//!   the Python package and the WASM package all use.
//!
//! ```
//! let out = jindu::call_json(r#"{
//!   "operation": "review",
//!   "rulebook": "hengyang-county-2018-rectification",
//!   "request": {
//!     "listing": {"area": {"name": "三湖镇", "level": "township"},
//!                 "issuer": {"level": "county"}, "tier": "supervise",
//!                 "listed_on": "2018-06-01", "extensions_used": 1},
//!     "on": "2020-06-01",
//!     "facts": {"goal_met": false}
//!   }
//! }"#);
//! let v: serde_json::Value = serde_json::from_str(&out).unwrap();
//! assert_eq!(v["answer"]["outcome"], "not_provided");
//! assert_eq!(v["answer"]["rule"], "art13.p1.supervise_silence");
//! ```

mod api;
pub mod assess;
pub mod batch;
mod date;
pub mod diff;
pub mod duties;
mod error;
mod image;
mod json;
mod model;
mod num;
mod ops;
pub mod plan;
mod read;
pub mod report;
mod requests;
pub mod rulebook;
#[cfg(feature = "schema")]
pub mod schema;
mod trail;
mod tree;

pub use api::{
    call, call_json, call_json_with, call_value, citations_json_text, error_catalogue_json, evaluate, parse_request, receipt, respond, rulebooks_json,
    rulebooks_json_text, Answer, Body, RulebookInfo, Validation, CALL_FIELDS, OPERATIONS, VERSION,
};
pub use date::{days_in_month, is_leap_year, period_end, Date, DateError, Period, PeriodStart};
pub use error::{error_catalogue, CatalogueEntry, Error, ErrorCode, FieldError, InputErrors, LocSeg, RulebookError, RulebookProblem};
pub use model::{Application, Area, Basis, Issuer, Level, Listing, ListingStatus, Modality, Named, Official, Role, Tier};
pub use ops::{
    consequences, list, review, timeline, ConditionOut, ConditionStatus, ConsequencesAnswer, CriterionOut, CriterionStatus, Deadline, Explained, ListAnswer,
    ListOutcome, MeasureOut, MeasureStatus, OptionOut, Options, ProcedureOut, Refusal, ReviewAnswer, ReviewOutcome, TimelineAnswer, TimelineStep,
};
pub use requests::{
    check_request, ConditionInput, ConsequenceFacts, ConsequencesRequest, ListRequest, Rebound, Request, ReviewFacts, ReviewRequest, TimelineRequest,
    TimelineReview,
};
pub use rulebook::{builtin_rulebook_ids, builtin_rulebook_text, chinese_number, sha256_hex, Registry, RuleDef, Rulebook, RulebookFile, Text};
pub use trail::{Inputs, Note, Receipt, Step, Val};

/// The README's Rust example runs as a doctest, so it cannot go stale.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
