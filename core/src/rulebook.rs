//! Rulebooks: the law as data. A rulebook file (JSON, in `spec/rulebooks/`)
//! holds the wording, citations, tier names, terms, criteria, conditions and
//! measures of one document; the code holds the logic that reads them.

use crate::date::{Date, Period, PeriodStart};
use crate::error::{RulebookError, RulebookProblem};
use crate::model::{Level, Modality, Named, Tier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Chinese and English words.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// Where a rule stands in its document: 第N条 第N款 第N项.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The document, when not the rulebook's own (民法典 for the period rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// 条 (article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<u16>,
    /// 款 (paragraph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u16>,
    /// 项 (item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u16>,
    /// A section of a document that is not in articles (一、工作目标 （二）).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

/// One rule of a rulebook: an id that reads like its article, a citation, a
/// modality where the text has one, the original wording and a translation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// The id (`art13.p1.rectify`: 第十三条第一款, the rectify clause).
    pub id: String,
    /// Where it stands.
    pub citation: Citation,
    /// How binding it is, where the text says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// The original wording (Chinese) and an English rendering.
    pub text: Text,
    /// A note on how the library reads it, where a reading was needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Text>,
}

/// The issuing body of a rulebook.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerDef {
    /// Its level.
    pub level: Level,
    /// Its name.
    pub name: Text,
}

/// The source document of a rulebook.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    /// Its title (《衡阳县禁毒重点整治工作办法》).
    pub title: Text,
    /// The file under `shared/sources/` it was read from.
    pub source: String,
    /// The day it was issued, when the text gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<Date>,
}

/// The territory a rulebook governs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// A key for selection (`cn-hn-hengyang-county`).
    pub key: String,
    /// Its name.
    pub name: Text,
}

/// When a rulebook is in force.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InForce {
    /// First day in force; absent when the source does not date itself
    /// (the Sinan speech's "20xx"): the caller's date is then used and the
    /// answer says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Why the start is unknown, where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_unknown: Option<Text>,
    /// Last day in force, where the text sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The rule that sets the start (第三十四条).
    pub rule: String,
}

/// A tier the rulebook has, with its local name.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierDef {
    /// The canonical tier.
    pub tier: Tier,
    /// The local name (重点整治).
    pub name: Text,
    /// The rule that defines it (第十一条第一项).
    pub rule: String,
}

/// Which areas the rulebook lists and which body lists them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeDef {
    /// The level of the listed area.
    pub level: Level,
    /// The level of the committee that lists it.
    pub issuer_level: Level,
    /// Whether this rulebook sets the terms for such listings (第十三条第二款
    /// leaves villages' terms to the township).
    pub terms_apply: bool,
    /// The modality of listing such areas (第十七条: 视情).
    pub modality: Modality,
    /// The rule.
    pub rule: String,
}

/// The rules of a tier's term: its length, its extension and what follows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermDef {
    /// The tier.
    pub tier: Tier,
    /// The term (一年限期整治).
    pub period: Period,
    /// The rule that sets it.
    pub rule: String,
    /// The extension, if the text allows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionDef>,
    /// What follows when the term (and its extensions) ran out unmet.
    pub after: AfterDef,
}

/// An extension of a term.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDef {
    /// Its length (延长一年).
    pub period: Period,
    /// How many times it may be granted.
    pub max: u8,
    /// The rule (特殊情况可以延长一年).
    pub rule: String,
}

/// What follows a term that ran out unmet with no extension left.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterOutcome {
    /// 继续挂牌整治.
    ContinueListing,
    /// The text says nothing.
    NotProvided,
    /// The listing goes to the body of the level above (`escalate_to`).
    Escalate,
}

/// The rule for what follows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterDef {
    /// The outcome.
    pub outcome: AfterOutcome,
    /// The rule that says it, or that is silent.
    pub rule: String,
    /// For `escalate`: the level of the body the listing goes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_to: Option<Level>,
}

/// How periods are counted.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PeriodsDef {
    /// Whether the start day counts (民法典 第二百零一条: it does not).
    #[serde(default)]
    pub start: PeriodStart,
    /// The rule for the start and end of periods.
    #[serde(default)]
    pub rule: String,
    /// 民法典 第二百零三条: a last day on a statutory holiday moves to the day after.
    #[serde(default)]
    pub holiday_shift: bool,
    /// The rule for the shift.
    #[serde(default)]
    pub holiday_rule: String,
    /// Rest days (法定休假日), by year: a year absent here is not covered.
    #[serde(default)]
    pub calendar: Vec<CalendarYear>,
}

/// The rest days of one year.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    /// The year.
    pub year: u16,
    /// Where the list comes from.
    pub source: String,
    /// Every rest day of that year (weekends included unless they are working days).
    pub rest_days: Vec<Date>,
}

/// A problem category (第十条).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    /// Its key (`outflow_trafficking`).
    pub key: String,
    /// Its name.
    pub name: Text,
    /// The rule (第十条第四项).
    pub rule: String,
}

/// A fact the caller supplies (a judgement the text leaves to people).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDef {
    /// Its key.
    pub key: String,
    /// What it says, in the text's words and in English.
    pub text: Text,
}

/// A listing criterion: a tier holds when all its facts hold.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    /// The tier it leads to.
    pub tier: Tier,
    /// The facts that must all hold.
    pub all_of: Vec<String>,
    /// The rule.
    pub rule: String,
}

/// The procedures of a listing decision.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDef {
    /// On which basis.
    pub basis: crate::model::Basis,
    /// Who proposes.
    pub proposer: Text,
    /// Who decides.
    pub decider: Text,
    /// The rule.
    pub rule: String,
    /// For a rebound: the tier it leads to directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_tier: Option<Tier>,
}

static EMPTY_LISTING: ListingDef = ListingDef::EMPTY;
static DEFAULT_PERIODS: PeriodsDef = PeriodsDef {
    start: PeriodStart::NextDay,
    rule: String::new(),
    holiday_shift: false,
    holiday_rule: String::new(),
    calendar: Vec::new(),
};
static EMPTY_DELISTING: DelistingDef = DelistingDef::EMPTY;
static EMPTY_REVIEW_RULES: ReviewRules = ReviewRules::EMPTY;

impl ListingDef {
    /// No listing rules.
    pub const EMPTY: ListingDef = ListingDef {
        categories_rule: String::new(),
        facts: Vec::new(),
        criteria: Vec::new(),
        procedures: Vec::new(),
    };
}

impl DelistingDef {
    /// No delisting rules.
    pub const EMPTY: DelistingDef = DelistingDef {
        rule: String::new(),
        conditions: Vec::new(),
    };
}

impl ReviewRules {
    /// No review rules.
    pub const EMPTY: ReviewRules = ReviewRules {
        application: String::new(),
        at_expiry: String::new(),
        decision: String::new(),
        negligent_extension: String::new(),
        tenured_negligent_extension: String::new(),
        tenure_before_listing: Period::Years(0),
        tenure_rule: String::new(),
    };
}

/// Listing rules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingDef {
    /// The rule that defines a 毒品问题严重 area by its categories (第十条).
    pub categories_rule: String,
    /// The facts the criteria read.
    pub facts: Vec<FactDef>,
    /// The criteria, most severe first.
    pub criteria: Vec<CriterionDef>,
    /// The procedures.
    pub procedures: Vec<ProcedureDef>,
}

/// A sub-point of a delisting condition.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubPointDef {
    /// Its key.
    pub key: String,
    /// Its words.
    pub text: Text,
}

/// A delisting condition (第十四条第一项…).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    /// Its key (`organisation_leadership`).
    pub key: String,
    /// Its heading (组织领导到位), for forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// The rule.
    pub rule: String,
    /// Its sub-points, all of which must hold.
    pub sub_points: Vec<SubPointDef>,
}

/// Delisting rules.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelistingDef {
    /// The rule that requires every condition at once (同时符合).
    pub rule: String,
    /// The conditions.
    pub conditions: Vec<ConditionDef>,
}

/// What makes a measure apply: each is computed by code from the inputs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The area is on a list at one of the measure's tiers.
    Listed,
    /// An official held the post two years or more before the listing, and
    /// the caller found their neglect led to the serious situation (第三十条第三项).
    TenuredNeglect,
    /// The original deadline was missed through negligence (第三十一条第一款).
    NegligentMiss,
    /// An extended rectify term was missed through negligence (第三十一条第一款).
    NegligentMissExtended,
    /// The original deadline was missed through negligence by officials of
    /// 第三十条第三项 (第三十一条第二款).
    TenuredNegligentMiss,
    /// The annual assessment was failed (第三十二条).
    FailedAnnualAssessment,
    /// Any accountability measure applies (第三十三条: report it).
    AnyAccountability,
}

/// On whom a measure falls.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The listed area (its party committee and government).
    Area,
    /// The first and direct responsible persons.
    ResponsiblePersons,
    /// The officials the trigger names (第三十条第三项).
    NamedOfficials,
    /// The county drug-control committee or its office.
    CountyCommittee,
}

/// A measure (a duty or an accountability measure) and when it applies.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDef {
    /// Its key (`notified_criticism`).
    pub key: String,
    /// The rule.
    pub rule: String,
    /// What makes it apply.
    pub trigger: Trigger,
    /// The tiers it applies to.
    pub tiers: Vec<Tier>,
    /// The levels of listing bodies it applies to (市、县禁毒委员会).
    pub issuer_levels: Vec<Level>,
    /// On whom it falls.
    pub target: Target,
    /// How binding it is.
    pub modality: Modality,
    /// Whether it is an accountability measure (第五章 责任追究), which
    /// 第三十三条 requires to be reported.
    #[serde(default)]
    pub accountability: bool,
    /// The measure in words.
    pub text: Text,
}

/// A rulebook file as written.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulebookFile {
    /// Format version of the file; 1.
    pub format: u8,
    /// The id (`hengyang-county-2018-rectification`).
    pub id: String,
    /// The title.
    pub title: Text,
    /// The source document.
    pub document: DocumentDef,
    /// The issuing body.
    pub issuer: IssuerDef,
    /// The territory.
    pub jurisdiction: Jurisdiction,
    /// When in force.
    pub in_force: InForce,
    /// The tiers it has (rectification rulebooks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierDef>,
    /// Which areas it lists, by which body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeDef>,
    /// How periods are counted (民法典 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<PeriodsDef>,
    /// The rulebook this one extends (a county's over its city's): every
    /// section or keyed entry it does not give is taken from that one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// The terms per tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermDef>,
    /// The categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryDef>,
    /// Listing rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<ListingDef>,
    /// Delisting rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delisting: Option<DelistingDef>,
    /// The rules on reviews and accountability that the code applies by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_rules: Option<ReviewRules>,
    /// Measures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<MeasureDef>,
    /// Assessment rules (考评): indicators, trends, vetoes, rankings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<crate::assess::AssessmentDef>,
    /// Dated duties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<crate::duties::DutyDef>,
    /// Every rule, with citation and wording.
    pub rules: Vec<RuleDef>,
}

/// Rule ids the review logic cites.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRules {
    /// The annual application and review (第十五条).
    pub application: String,
    /// The report and application at expiry (第十八条).
    pub at_expiry: String,
    /// The committee's decision on the office's assessment (第十九条).
    pub decision: String,
    /// Mandatory extension for a negligent miss (第三十一条第一款).
    pub negligent_extension: String,
    /// Mandatory extension for officials of 第三十条第三项 (第三十一条第二款).
    pub tenured_negligent_extension: String,
    /// How long an official must have held the post before the listing
    /// (第三十条第三项: 两年以上（含两年）).
    pub tenure_before_listing: Period,
    /// The rule that sets that tenure.
    pub tenure_rule: String,
}

/// Rule id → index. Rule ids are short strings looked up many times per
/// answer; SipHash (the std default, made to resist flooding by untrusted
/// keys) cost a tenth of a `validate` call. The keys come from the rulebook,
/// a few hundred at most, so a multiply-rotate hash (the one rustc uses)
/// does the job at a fraction of the cost.
pub(crate) type RuleIndex = HashMap<String, usize, std::hash::BuildHasherDefault<FxHasher>>;

/// The hasher of the sets of a caller's names (a ranking's cohort), as the
/// call tree's crate hashes an object's keys.
pub(crate) use jindu_tree::KeyState as SetState;

/// The Fx hash (rustc's), shared with the call tree's crate.
pub(crate) use jindu_tree::FxHasher;

/// A checked rulebook, ready to evaluate: rule ids resolved to indices.
#[derive(Clone, Debug)]
pub struct Rulebook {
    file: RulebookFile,
    hash: String,
    rule_index: RuleIndex,
    citation_text: Vec<String>,
}

/// A handle to one rule of a rulebook, resolved at load time.
pub type RuleIx = usize;

impl Rulebook {
    /// Loads and checks a rulebook from its JSON text.
    ///
    /// # Errors
    /// [`RulebookError::Format`] for JSON that is not a rulebook,
    /// [`RulebookError::Check`] listing every problem of its content
    /// (a rule id cited but not defined, a tier twice, a term missing…).
    ///
    /// # Example
    /// ```
    /// let text = jindu::builtin_rulebook_text("hengyang-county-2018-rectification").unwrap();
    /// let rb = jindu::Rulebook::from_json(text).unwrap();
    /// assert_eq!(rb.id(), "hengyang-county-2018-rectification");
    /// ```
    pub fn from_json(text: &str) -> Result<Rulebook, RulebookError> {
        let file: RulebookFile = serde_json::from_str(text).map_err(|e| RulebookError::Format(e.to_string()))?;
        Rulebook::from_file(file)
    }

    /// Checks a rulebook already parsed.
    ///
    /// # Errors
    /// [`RulebookError::Check`] listing every problem found.
    pub fn from_file(file: RulebookFile) -> Result<Rulebook, RulebookError> {
        let problems = check_file(&file);
        if !problems.is_empty() {
            return Err(RulebookError::Check { id: file.id.clone(), problems });
        }
        let hash = Rulebook::canonical_hash(&file)?;
        Ok(Rulebook::assemble(file, hash))
    }

    /// A rulebook from a file whose checks passed: rule ids indexed,
    /// citations put in words, with the hash of its canonical JSON.
    ///
    /// The built-in rulebooks come this way, without their checks at every
    /// start: the tests run [`Rulebook::from_file`] on each of them (so the
    /// WASM package does not carry the checks, which only user rulebooks need).
    fn assemble(file: RulebookFile, hash: String) -> Rulebook {
        let rule_index: RuleIndex = file.rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let citation_text = file.rules.iter().map(|r| citation_words(&file.document.title.zh, &r.citation)).collect();
        Rulebook {
            file,
            hash,
            rule_index,
            citation_text,
        }
    }

    /// The SHA-256 of a rulebook's canonical JSON (its serialisation), in hex.
    fn canonical_hash(file: &RulebookFile) -> Result<String, RulebookError> {
        let canonical = serde_json::to_vec(file).map_err(|e| RulebookError::Format(e.to_string()))?;
        Ok(hex(&Sha256::digest(&canonical)))
    }

    /// The id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.file.id
    }
    /// The file as written (after parsing).
    #[must_use]
    pub fn file(&self) -> &RulebookFile {
        &self.file
    }
    /// The SHA-256 of the rulebook's canonical JSON, in hex.
    #[must_use]
    pub fn hash(&self) -> &str {
        &self.hash
    }
    /// Whether the rulebook is in force on `on`.
    #[must_use]
    pub fn in_force_on(&self, on: Date) -> bool {
        self.file.in_force.from.is_none_or(|f| on >= f) && self.file.in_force.until.is_none_or(|u| on <= u)
    }
    /// The index of a rule by id.
    #[must_use]
    pub fn rule_ix(&self, id: &str) -> Option<RuleIx> {
        self.rule_index.get(id).copied()
    }
    /// The rule at an index.
    #[must_use]
    pub fn rule(&self, ix: RuleIx) -> Option<&RuleDef> {
        self.file.rules.get(ix)
    }
    /// A rule by id.
    #[must_use]
    pub fn rule_by_id(&self, id: &str) -> Option<&RuleDef> {
        self.rule_ix(id).and_then(|i| self.rule(i))
    }
    /// The citation of a rule in words (衡阳县禁毒重点整治工作办法 第十三条第一款).
    #[must_use]
    pub fn citation_text(&self, id: &str) -> &str {
        self.rule_ix(id).and_then(|i| self.citation_text.get(i)).map_or("", String::as_str)
    }
    /// How periods are counted (民法典 第二百零一、二百零二条 unless the rulebook says otherwise).
    #[must_use]
    pub fn periods(&self) -> &PeriodsDef {
        self.file.periods.as_ref().unwrap_or(&DEFAULT_PERIODS)
    }

    /// Whether the rulebook has rules for an operation (`list`, `assess`, `duties`…).
    #[must_use]
    pub fn supports(&self, operation: &str) -> bool {
        match operation {
            "list" | "review" | "consequences" | "timeline" => self.has_rectification(),
            "assess" | "rank" => self.file.assessment.is_some(),
            "duties" => !self.file.duties.is_empty(),
            _ => false,
        }
    }

    /// Whether the rulebook has rectification rules (listing, terms, delisting).
    #[must_use]
    pub fn has_rectification(&self) -> bool {
        self.file.listing.is_some() && self.file.delisting.is_some() && self.file.review_rules.is_some()
    }
    /// The listing rules (empty when the rulebook has none; see [`Rulebook::has_rectification`]).
    #[must_use]
    pub fn listing_def(&self) -> &ListingDef {
        self.file.listing.as_ref().unwrap_or(&EMPTY_LISTING)
    }
    /// The delisting rules (empty when the rulebook has none).
    #[must_use]
    pub fn delisting(&self) -> &DelistingDef {
        self.file.delisting.as_ref().unwrap_or(&EMPTY_DELISTING)
    }
    /// The review rules (empty when the rulebook has none).
    #[must_use]
    pub fn review_rules(&self) -> &ReviewRules {
        self.file.review_rules.as_ref().unwrap_or(&EMPTY_REVIEW_RULES)
    }
    /// The tier definition, if the rulebook has the tier.
    #[must_use]
    pub fn tier(&self, tier: Tier) -> Option<&TierDef> {
        self.file.tiers.iter().find(|t| t.tier == tier)
    }
    /// The term of a tier.
    #[must_use]
    pub fn term(&self, tier: Tier) -> Option<&TermDef> {
        self.file.terms.iter().find(|t| t.tier == tier)
    }
    /// The scope entry for an area level.
    #[must_use]
    pub fn scope(&self, level: Level) -> Option<&ScopeDef> {
        self.file.scope.iter().find(|s| s.level == level)
    }
    /// The next milder tier the rulebook has, if any.
    #[must_use]
    pub fn lower_tier(&self, tier: Tier) -> Option<Tier> {
        self.file.tiers.iter().map(|t| t.tier).filter(|t| *t < tier && *t != Tier::None).max()
    }
    /// The local name of a tier (`none` has no name).
    #[must_use]
    pub fn tier_name(&self, tier: Tier) -> Option<&Text> {
        self.tier(tier).map(|t| &t.name)
    }
}

/// Every problem of a rulebook's content (empty when it passes its checks).
fn check_file(file: &RulebookFile) -> Vec<RulebookProblem> {
    let mut problems: Vec<RulebookProblem> = Vec::new();
    let mut rule_index = RuleIndex::default();
    for (i, r) in file.rules.iter().enumerate() {
        if r.id.trim().is_empty() {
            problems.push(RulebookProblem::new(format!("第 {i} 条规则的 id 为空"), format!("rule #{i} has an empty id")));
        }
        if rule_index.insert(r.id.clone(), i).is_some() {
            problems.push(RulebookProblem::new(
                format!("规则 id {} 重复定义", r.id),
                format!("rule id {} is defined twice", r.id),
            ));
        }
        if r.citation.article.is_none() && r.citation.section.is_none() {
            problems.push(RulebookProblem::new(
                format!("规则 {} 没有出处（条、款或节）", r.id),
                format!("rule {} has no citation (article or section)", r.id),
            ));
        }
        if r.text.zh.trim().is_empty() || r.text.en.trim().is_empty() {
            problems.push(RulebookProblem::new(
                format!("规则 {} 需要中英文表述", r.id),
                format!("rule {} needs wording in Chinese and English", r.id),
            ));
        }
    }
    if file.format != 1 {
        problems.push(RulebookProblem::new(
            format!("不支持格式版本 {}（应为 1）", file.format),
            format!("format {} is not supported (expected 1)", file.format),
        ));
    }
    match (file.in_force.from, file.in_force.until) {
        (Some(from), Some(until)) if until < from => problems.push(RulebookProblem::new(
            format!("失效日期 {until} 早于生效日期 {from}"),
            format!("in force until {until} is before in force from {from}"),
        )),
        (None, _) if file.in_force.date_unknown.is_none() => problems.push(RulebookProblem::new(
            "生效：请给出 from，或以 date_unknown 说明原文为何没有日期".to_owned(),
            "in force: give from, or date_unknown saying why the source has no date".to_owned(),
        )),
        _ => {}
    }
    let mut cited: Vec<&str> = vec![&file.in_force.rule];
    let rect = file.listing.is_some() || file.delisting.is_some() || file.review_rules.is_some() || !file.tiers.is_empty();
    if rect {
        match (&file.listing, &file.delisting, &file.review_rules) {
            (Some(l), Some(d), Some(r)) => {
                cited.extend([
                    file.periods.as_ref().map_or("", |p| p.rule.as_str()),
                    &l.categories_rule,
                    &d.rule,
                    &r.application,
                    &r.at_expiry,
                    &r.decision,
                    &r.negligent_extension,
                    &r.tenured_negligent_extension,
                    &r.tenure_rule,
                ]);
                if let Some(p) = file.periods.as_ref().filter(|p| p.holiday_shift) {
                    cited.push(&p.holiday_rule);
                }
            }
            _ => problems.push(RulebookProblem::new(
                "整治规则集须同时具备 listing、delisting 与 review_rules".to_owned(),
                "a rectification rulebook needs listing, delisting and review_rules together".to_owned(),
            )),
        }
    }
    let mut seen_tiers = Vec::new();
    for t in &file.tiers {
        if t.tier == Tier::None {
            problems.push(RulebookProblem::new(
                "级别 none 不能作为挂牌级别".to_owned(),
                "tier none cannot be listed as a tier".to_owned(),
            ));
        }
        if seen_tiers.contains(&t.tier) {
            problems.push(RulebookProblem::new(
                format!("级别 {} 重复定义", t.tier.name()),
                format!("tier {} is defined twice", t.tier.name()),
            ));
        }
        seen_tiers.push(t.tier);
        cited.push(&t.rule);
    }
    for t in &file.terms {
        if !seen_tiers.contains(&t.tier) {
            problems.push(RulebookProblem::new(
                format!("期限所属级别 {} 不在本规则集中", t.tier.name()),
                format!("term for tier {} which the rulebook does not have", t.tier.name()),
            ));
        }
        cited.push(&t.rule);
        cited.push(&t.after.rule);
        if let Some(e) = &t.extension {
            cited.push(&e.rule);
            if matches!(e.period, Period::Years(0) | Period::Months(0) | Period::Days(0)) {
                problems.push(RulebookProblem::new(
                    format!("级别 {} 的期限：延期长度为零", t.tier.name()),
                    format!("term for tier {}: the extension has zero length", t.tier.name()),
                ));
            }
            if e.max == 0 {
                problems.push(RulebookProblem::new(
                    format!("级别 {} 的期限：延期次数为 0（原文不允许延期时请省略 extension）", t.tier.name()),
                    format!(
                        "term for tier {}: the extension may be granted 0 times (leave the extension out where the text allows none)",
                        t.tier.name()
                    ),
                ));
            }
        }
        if t.after.outcome == AfterOutcome::Escalate && t.after.escalate_to.is_none() {
            problems.push(RulebookProblem::new(
                format!("级别 {} 的期限：escalate 须给出 escalate_to（上一级）", t.tier.name()),
                format!("term for tier {}: escalate needs escalate_to (the level above)", t.tier.name()),
            ));
        }
        if matches!(t.period, Period::Years(0) | Period::Months(0) | Period::Days(0)) {
            problems.push(RulebookProblem::new(
                format!("级别 {} 的期限长度为零", t.tier.name()),
                format!("term for tier {} has zero length", t.tier.name()),
            ));
        }
    }
    for t in &seen_tiers {
        if !file.terms.iter().any(|x| x.tier == *t) {
            problems.push(RulebookProblem::new(
                format!("级别 {} 没有期限", t.name()),
                format!("tier {} has no term", t.name()),
            ));
        }
    }
    for s in &file.scope {
        cited.push(&s.rule);
    }
    for c in &file.categories {
        cited.push(&c.rule);
    }
    let empty = ListingDef::EMPTY;
    let listing = file.listing.as_ref().unwrap_or(&empty);
    let fact_keys: Vec<&str> = listing.facts.iter().map(|f| f.key.as_str()).collect();
    for c in &listing.criteria {
        cited.push(&c.rule);
        if !seen_tiers.contains(&c.tier) {
            problems.push(RulebookProblem::new(
                format!("标准 {} 指向的级别 {} 不在本规则集中", c.rule, c.tier.name()),
                format!("criterion {} leads to tier {} which the rulebook does not have", c.rule, c.tier.name()),
            ));
        }
        for f in &c.all_of {
            if !fact_keys.contains(&f.as_str()) {
                problems.push(RulebookProblem::new(
                    format!("标准 {} 读取的事实 {f} 未定义", c.rule),
                    format!("criterion {} reads fact {f} which is not defined", c.rule),
                ));
            }
        }
        if c.all_of.is_empty() {
            problems.push(RulebookProblem::new(
                format!("标准 {} 未读取任何事实", c.rule),
                format!("criterion {} reads no fact", c.rule),
            ));
        }
    }
    for p in &listing.procedures {
        cited.push(&p.rule);
    }
    for c in file.delisting.iter().flat_map(|d| &d.conditions) {
        cited.push(&c.rule);
        if c.sub_points.is_empty() {
            problems.push(RulebookProblem::new(
                format!("条件 {} 没有细项", c.key),
                format!("condition {} has no sub-points", c.key),
            ));
        }
    }
    for m in &file.measures {
        cited.push(&m.rule);
    }
    if let Some(a) = &file.assessment {
        crate::assess::check(a, &rule_index, &mut problems);
    }
    for d in &file.duties {
        cited.push(&d.rule);
    }
    for id in cited {
        if !rule_index.contains_key(id) {
            problems.push(RulebookProblem::new(
                format!("引用的规则 {id} 未定义"),
                format!("rule {id} is cited but not defined"),
            ));
        }
    }
    problems
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        s.push(char::from(DIGITS.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
    }
    s
}

/// SHA-256 of bytes, in hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A number in Chinese numerals, as article numbers are written (十三, 一百一十, 一千二百五十九).
#[must_use]
pub fn chinese_number(n: u16) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |k: u16| D.get(usize::from(k)).copied().unwrap_or("");
    let (k, h, t, u) = (n / 1000, (n / 100) % 10, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if k > 0 {
        s.push_str(&chinese_number(k));
        s.push('千');
        if h == 0 && (t != 0 || u != 0) {
            s.push('零');
        }
    }
    if h > 0 {
        s.push_str(digit(h));
        s.push('百');
        if t == 0 && u != 0 {
            s.push('零');
        }
    }
    if t > 0 {
        if !(t == 1 && h == 0 && k == 0) {
            s.push_str(digit(t));
        }
        s.push('十');
    }
    if u > 0 || n == 0 {
        s.push_str(digit(u));
    }
    s
}

fn citation_words(default_doc: &str, c: &Citation) -> String {
    let doc = c.document.as_deref().unwrap_or(default_doc);
    let mut s = format!("《{doc}》");
    if let Some(sec) = &c.section {
        s.push(' ');
        s.push_str(sec);
    }
    if let Some(a) = c.article {
        s.push_str(&format!("第{}条", chinese_number(a)));
    }
    if let Some(p) = c.paragraph {
        s.push_str(&format!("第{}款", chinese_number(p)));
    }
    if let Some(i) = c.item {
        s.push_str(&format!("第{}项", chinese_number(i)));
    }
    s
}

fn overlaps(a: &InForce, b: &InForce) -> bool {
    let lo = |x: &InForce| x.from.map_or(i64::MIN, Date::to_days);
    let hi = |x: &InForce| x.until.map_or(i64::MAX, Date::to_days);
    lo(a) <= hi(b) && lo(b) <= hi(a)
}

fn replace_or_push<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T, &T) -> bool) {
    if let Some(x) = list.iter_mut().find(|x| same(x, &item)) {
        *x = item;
    } else {
        list.push(item);
    }
}

fn merge_by<T>(base: &mut Vec<T>, child: Vec<T>, same: impl Fn(&T, &T) -> bool) {
    for c in child {
        replace_or_push(base, c, &same);
    }
}

/// A rulebook that extends another: the child's header, the base's sections
/// where the child gives none, keyed entries (rules, terms, indicators…)
/// replaced one by one. Each indicator remembers the rulebook it came from.
fn merge(base: &RulebookFile, c: RulebookFile) -> RulebookFile {
    let mut out = base.clone();
    let base_doc = base.document.title.zh.clone();
    for r in &mut out.rules {
        if r.citation.document.is_none() {
            r.citation.document = Some(base_doc.clone());
        }
    }
    merge_by(&mut out.rules, c.rules, |a, b| a.id == b.id);
    out.format = c.format;
    out.id = c.id.clone();
    out.title = c.title;
    out.document = c.document;
    out.issuer = c.issuer;
    out.jurisdiction = c.jurisdiction;
    out.in_force = c.in_force;
    out.extends = Some(base.id.clone());
    if !c.tiers.is_empty() {
        merge_by(&mut out.tiers, c.tiers, |a, b| a.tier == b.tier);
    }
    if !c.scope.is_empty() {
        out.scope = c.scope;
    }
    if c.periods.is_some() {
        out.periods = c.periods;
    }
    merge_by(&mut out.terms, c.terms, |a, b| a.tier == b.tier);
    merge_by(&mut out.categories, c.categories, |a, b| a.key == b.key);
    if c.listing.is_some() {
        out.listing = c.listing;
    }
    if c.delisting.is_some() {
        out.delisting = c.delisting;
    }
    if c.review_rules.is_some() {
        out.review_rules = c.review_rules;
    }
    merge_by(&mut out.measures, c.measures, |a, b| a.key == b.key && a.rule == b.rule);
    merge_by(&mut out.duties, c.duties, |a, b| a.key == b.key);
    if let Some(ca) = c.assessment {
        let mut a = out.assessment.take().unwrap_or_default();
        for i in &mut a.indicators {
            if i.origin.is_none() {
                i.origin = Some(base.id.clone());
            }
        }
        let child_id = c.id;
        let indicators: Vec<crate::assess::IndicatorDef> = ca
            .indicators
            .into_iter()
            .map(|mut i| {
                i.origin = Some(child_id.clone());
                i
            })
            .collect();
        merge_by(&mut a.indicators, indicators, |x, y| x.key == y.key);
        merge_by(&mut a.trends, ca.trends, |x, y| x.key == y.key);
        merge_by(&mut a.inputs, ca.inputs, |x, y| x.key == y.key);
        merge_by(&mut a.judgements, ca.judgements, |x, y| x.key == y.key);
        merge_by(&mut a.vetoes, ca.vetoes, |x, y| x.key == y.key);
        merge_by(&mut a.outcomes, ca.outcomes, |x, y| x.key == y.key);
        merge_by(&mut a.rankings, ca.rankings, |x, y| x.key == y.key);
        merge_by(&mut a.labels, ca.labels, |x, y| x.group == y.group);
        merge_by(&mut a.brackets, ca.brackets, |x, y| x.key == y.key);
        if ca.verdict_rule.is_some() {
            a.verdict_rule = ca.verdict_rule;
        }
        out.assessment = Some(a);
    }
    out
}

/// A built-in rulebook: its id and its image (its JSON file in the compact
/// form `build.rs` makes of it; see [`crate::image`]), and the SHA-256 of its
/// canonical JSON ([`Rulebook::hash`], written in receipts).
struct Builtin {
    id: &'static str,
    image: &'static [u8],
    /// The hash, pinned: the WASM build takes it from here rather than
    /// serialising the whole rulebook and hashing it at start-up (that code
    /// was 7 KB gzip of the package, and most of its start-up time); native
    /// builds compute it, and a test keeps the two equal. Editing a rulebook
    /// (or the serialisation of its types) changes it: the test says the new one.
    hash: &'static str,
}

macro_rules! builtin {
    ($id:literal, $hash:literal) => {
        Builtin {
            id: $id,
            image: include_bytes!(concat!(env!("OUT_DIR"), "/", $id, ".jbin")),
            hash: $hash,
        }
    };
}

const BUILTINS: [Builtin; 6] = [
    builtin!(
        "hengyang-county-2018-rectification",
        "635db7d20fdd0768fd535b48be86500c459ab24fe8c60203be8c049488ac8437"
    ),
    builtin!(
        "hengyang-county-2018-work-plan",
        "f68ae6075235d7ed99e35d6524ef4fecb63811a0e402699bbf40752e96f7e33e"
    ),
    builtin!(
        "pingxiang-2018-demonstration-city",
        "99a13c563d36117209ea65c8a4cc142c0267ea36e77493aa1e9724c695f6c3e4"
    ),
    builtin!(
        "sinan-county-20xx-assessment",
        "926b24ac7fdeab82f546085c15ef67e816f85a61211e4cab597626898728dd18"
    ),
    builtin!("qianxinan-2018-dispatch", "26b7fdf5c18fffd6162ea2dd6118bf503515a0da9e6370b44839ffe58f2685ca"),
    builtin!("guiyang-2018-goal-frame", "652b4e41de463e6b28e5a8ddccb4fb07b9df37c878e63e11caec6ed49668e084"),
];

/// The ids of the built-in rulebooks.
#[must_use]
pub fn builtin_rulebook_ids() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.id).collect()
}

/// The JSON text of a built-in rulebook: its file in `spec/rulebooks/`, byte
/// for byte (written back from the image once, on the first request).
#[must_use]
pub fn builtin_rulebook_text(id: &str) -> Option<&'static str> {
    static TEXTS: [std::sync::OnceLock<Option<String>>; BUILTINS.len()] = [const { std::sync::OnceLock::new() }; BUILTINS.len()];
    let (b, text) = BUILTINS.iter().zip(&TEXTS).find(|(b, _)| b.id == id)?;
    text.get_or_init(|| crate::image::json_text(b.image).ok()).as_deref()
}

/// A set of rulebooks to select from: the built-in ones, plus any the caller adds.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    books: Vec<Rulebook>,
}

impl Registry {
    /// The built-in rulebooks, loaded once per process.
    ///
    /// # Errors
    /// [`RulebookError`] if a built-in rulebook fails its checks (a build defect,
    /// caught by the test suite).
    pub fn builtin() -> Result<&'static Registry, RulebookError> {
        static REG: std::sync::OnceLock<Result<Registry, RulebookError>> = std::sync::OnceLock::new();
        REG.get_or_init(|| {
            let mut r = Registry::default();
            for b in &BUILTINS {
                let file = match crate::image::decode(b.image) {
                    Ok(file) => file,
                    Err(e) => {
                        // Not dropped: the drop of the rulebooks decoded so far
                        // would be their whole drop code in the WASM package, for
                        // a build defect that the tests catch.
                        std::mem::forget(r);
                        return Err(RulebookError::Format(format!("{}: {e}", b.id)));
                    }
                };
                // WASM: the pinned hash (see `Builtin::hash`); elsewhere computed.
                let hash = if cfg!(target_arch = "wasm32") {
                    b.hash.to_owned()
                } else {
                    Rulebook::canonical_hash(&file)?
                };
                r.books.push(Rulebook::assemble(file, hash));
            }
            Ok(r)
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// An empty registry.
    #[must_use]
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds a rulebook.
    ///
    /// # Errors
    /// [`RulebookError::Check`] when a rulebook with the same id is present, or
    /// one of the same jurisdiction whose validity overlaps.
    pub fn add(&mut self, rb: Rulebook) -> Result<(), RulebookError> {
        let mut problems = Vec::new();
        for b in &self.books {
            if b.id() == rb.id() {
                problems.push(RulebookProblem::new(
                    "已加载同一 id 的规则集".to_owned(),
                    "a rulebook with this id is already loaded".to_owned(),
                ));
            } else if b.file.jurisdiction.key == rb.file.jurisdiction.key && overlaps(&b.file.in_force, &rb.file.in_force) {
                let shared: Vec<&str> = ["list", "assess", "duties"]
                    .into_iter()
                    .filter(|op| b.supports(op) && rb.supports(op))
                    .collect();
                if !shared.is_empty() {
                    problems.push(RulebookProblem::new(
                        format!(
                            "其有效期与同一辖区 {1} 、同一操作（{2}）的规则集 {0} 重叠：按日期选择将不确定",
                            b.id(),
                            rb.file.jurisdiction.key,
                            shared.join(", ")
                        ),
                        format!(
                            "its validity overlaps that of {} for the same jurisdiction {} and the same operations ({}): selection by date would be ambiguous",
                            b.id(),
                            rb.file.jurisdiction.key,
                            shared.join(", ")
                        ),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(RulebookError::Check {
                id: rb.id().to_owned(),
                problems,
            });
        }
        self.books.push(rb);
        Ok(())
    }

    /// Reads a rulebook, resolves `extends` against the rulebooks already
    /// here, and checks it, without adding it: what `jindu rulebook check` runs.
    ///
    /// # Errors
    /// [`RulebookError::Format`] for text that is not a rulebook;
    /// [`RulebookError::Check`] with every problem found (an unknown base, a
    /// rule cited but not defined, a comparison word that does not fit its
    /// operator, overlapping or gapped bands and brackets, a missing citation,
    /// validity overlapping another rulebook of the jurisdiction…).
    ///
    /// # Example
    /// ```
    /// let reg = jindu::Registry::builtin().unwrap();
    /// let text = r#"{"format": 1, "id": "x-county", "extends": "pingxiang-2018-demonstration-city",
    ///   "title": {"zh": "某县", "en": "A county"},
    ///   "document": {"title": {"zh": "某县方案", "en": "A county plan"}, "source": "user"},
    ///   "issuer": {"level": "county", "name": {"zh": "某县禁毒委", "en": "A county committee"}},
    ///   "jurisdiction": {"key": "x-county", "name": {"zh": "某县", "en": "A county"}},
    ///   "in_force": {"from": "2019-01-01", "rule": "x1"},
    ///   "assessment": {"indicators": [{"key": "awareness_rate", "name": {"zh": "知晓率", "en": "awareness"},
    ///       "rule": "x1", "unit": "percent", "comparison": {"op": "gte", "word": "超过", "threshold": {"value": 90}}}]},
    ///   "rules": [{"id": "x1", "citation": {"article": 1}, "text": {"zh": "知晓率超过90%", "en": "awareness above 90%"}}]}"#;
    /// let e = reg.check_json(text).unwrap_err().to_string();
    /// assert!(e.contains("does not fit"));
    /// ```
    pub fn check_json(&self, text: &str) -> Result<Rulebook, RulebookError> {
        let rb = self.resolve_json(text)?;
        let mut probe = Registry {
            books: self.books.iter().filter(|b| b.id() != rb.id()).cloned().collect(),
        };
        probe.add(rb.clone())?;
        if self.get(rb.id()).is_some() {
            return Err(RulebookError::Check {
                id: rb.id().to_owned(),
                problems: vec![RulebookProblem::new(
                    "已加载同一 id 的规则集".to_owned(),
                    "a rulebook with this id is already loaded".to_owned(),
                )],
            });
        }
        Ok(rb)
    }

    /// Reads a rulebook and resolves its `extends` against the rulebooks here,
    /// checking its content but not its place among them (a new version of a
    /// loaded rulebook may share its id): what `jindu rulebook diff` reads.
    ///
    /// # Errors
    /// As [`Rulebook::from_json`], and an unknown base.
    pub fn resolve_json(&self, text: &str) -> Result<Rulebook, RulebookError> {
        let file: RulebookFile = serde_json::from_str(text).map_err(|e| RulebookError::Format(e.to_string()))?;
        let file = match &file.extends {
            None => file,
            Some(base_id) => {
                let Some(base) = self.get(base_id) else {
                    return Err(RulebookError::Check {
                        id: file.id.clone(),
                        problems: vec![RulebookProblem::new(
                            format!("所扩展的规则集 {base_id} 未加载"),
                            format!("it extends {base_id}, which is not loaded"),
                        )],
                    });
                };
                merge(base.file(), file)
            }
        };
        Rulebook::from_file(file)
    }

    /// Checks a rulebook text (see [`Registry::check_json`]) and adds it.
    ///
    /// # Errors
    /// As [`Registry::check_json`].
    pub fn load_json(&mut self, text: &str) -> Result<&Rulebook, RulebookError> {
        let rb = self.check_json(text)?;
        self.books.push(rb);
        self.books.last().ok_or_else(|| RulebookError::Format("empty registry".into()))
    }

    /// Every rulebook.
    #[must_use]
    pub fn all(&self) -> &[Rulebook] {
        &self.books
    }

    /// A rulebook by id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Rulebook> {
        self.books.iter().find(|b| b.id() == id)
    }

    /// The rulebooks of a jurisdiction in force on a date.
    #[must_use]
    pub fn in_force(&self, jurisdiction: &str, on: Date) -> Vec<&Rulebook> {
        self.books
            .iter()
            .filter(|b| b.file.jurisdiction.key == jurisdiction && b.in_force_on(on))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(chinese_number(13), "十三");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(31), "三十一");
        assert_eq!(chinese_number(201), "二百零一");
        assert_eq!(chinese_number(1259), "一千二百五十九");
        assert_eq!(chinese_number(110), "一百一十");
    }

    #[test]
    fn builtins_load() {
        let reg = Registry::builtin();
        assert!(reg.is_ok(), "{reg:?}");
    }

    /// Each built-in image gives the rulebook and the text its JSON file
    /// gives, and passes the checks (which the registry does not run).
    #[test]
    fn builtin_images_are_their_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/rulebooks");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut ids: Vec<String> = builtin_rulebook_ids().into_iter().map(|id| format!("{id}.json")).collect();
        ids.sort();
        assert_eq!(ids, files, "every file of spec/rulebooks is built in");
        let mut stale = Vec::new();
        for b in &BUILTINS {
            let text = std::fs::read_to_string(dir.join(format!("{}.json", b.id))).unwrap_or_default();
            assert_eq!(builtin_rulebook_text(b.id), Some(text.as_str()), "{}: text written back", b.id);
            let from_text: Result<RulebookFile, _> = serde_json::from_str(&text);
            let from_image: Result<RulebookFile, _> = crate::image::decode(b.image);
            assert!(from_text.is_ok(), "{}: {from_text:?}", b.id);
            assert_eq!(from_image.ok(), from_text.ok(), "{}: decoded", b.id);
            let checked = crate::image::decode(b.image).map_err(|e| e.to_string()).map(Rulebook::from_file);
            assert!(matches!(checked, Ok(Ok(_))), "{}: passes its checks: {checked:?}", b.id);
            let hash = checked.ok().and_then(Result::ok).map(|rb| rb.hash().to_owned()).unwrap_or_default();
            if b.hash != hash {
                stale.push(format!("builtin!({:?}, {hash:?}),", b.id));
            }
            let reg = Registry::builtin().map_err(|e| e.to_string());
            let rb = reg.as_ref().ok().and_then(|r| r.get(b.id)).map(|rb| (rb.hash().to_owned(), rb.file().clone()));
            let parsed = Rulebook::from_json(&text).map(|rb| (rb.hash().to_owned(), rb.file().clone()));
            assert_eq!(rb, parsed.ok(), "{}: hash and file in the registry", b.id);
        }
        assert!(
            stale.is_empty(),
            "hashes changed: pin them in BUILTINS (core/src/rulebook.rs):\n{}",
            stale.join("\n")
        );
    }
}
