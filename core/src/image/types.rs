//! The reader of each rulebook type (see [`super`] for why they are written
//! by hand). Field names are the Rust names, as serde uses them (no rulebook
//! type renames a field); a test checks them, and which ones must be there,
//! against `spec/schema/rulebook.schema.json`.

use super::{FromImage, Obj, Reader};
use crate::assess::{
    AssessmentDef, Band, BracketDef, Comparison, CutoffDef, Direction, IndicatorDef, InputCondition, InputDef, LabelDef, ListingOutcome, Op, OutcomeDef,
    RankOutcome, RankingDef, Threshold, TrendDef, TrendMeasure, Unit, VetoDef, When,
};
use crate::date::{Date, Period, PeriodStart};
use crate::duties::{BeforeReading, Due, DutyDef};
use crate::model::{Basis, Level, Modality, Named, Tier};
use crate::rulebook::{
    AfterDef, AfterOutcome, CalendarYear, CategoryDef, Citation, ConditionDef, CriterionDef, DelistingDef, DocumentDef, ExtensionDef, FactDef, InForce,
    IssuerDef, Jurisdiction, ListingDef, MeasureDef, PeriodsDef, ProcedureDef, ReviewRules, RuleDef, RulebookFile, ScopeDef, SubPointDef, Target, TermDef,
    Text, TierDef, Trigger,
};

impl FromImage for String {
    fn read(r: &mut Reader<'_>) -> Self {
        r.str().to_owned()
    }
}

impl FromImage for bool {
    fn read(r: &mut Reader<'_>) -> Self {
        r.bool()
    }
}

impl FromImage for u8 {
    fn read(r: &mut Reader<'_>) -> Self {
        u8::try_from(r.uint(u8::MAX.into())).unwrap_or_default()
    }
}

impl FromImage for u16 {
    fn read(r: &mut Reader<'_>) -> Self {
        u16::try_from(r.uint(u16::MAX.into())).unwrap_or_default()
    }
}

impl FromImage for u32 {
    fn read(r: &mut Reader<'_>) -> Self {
        u32::try_from(r.uint(u32::MAX.into())).unwrap_or_default()
    }
}

impl FromImage for f64 {
    fn read(r: &mut Reader<'_>) -> Self {
        r.f64()
    }
}

/// As its `Deserialize`: a string that [`Date::parse`] reads.
impl FromImage for Date {
    fn read(r: &mut Reader<'_>) -> Self {
        let s = r.str();
        Date::parse(s).unwrap_or_else(|_| {
            r.fail();
            Date::FIRST
        })
    }
}

impl<T: FromImage> FromImage for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Self {
        let n = r.array();
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(T::read(r));
        }
        v
    }
}

// `req`, `opt` and `def` are not inlined into each field's read (one copy per
// field type instead of one per field): 1.4 KB gzip of the WASM package, for
// a call per field when the registry starts.
impl Reader<'_> {
    /// The next field of `o`, which must be there.
    #[inline(never)]
    fn req<T: FromImage>(&mut self, o: &mut Obj) -> T {
        self.need(o);
        T::read(self)
    }

    /// The next field of `o`, an `Option`: `None` when absent or `null`.
    #[inline(never)]
    fn opt<T: FromImage>(&mut self, o: &mut Obj) -> Option<T> {
        if self.field(o) && !self.null() {
            Some(T::read(self))
        } else {
            None
        }
    }

    /// The next field of `o`, `#[serde(default)]`.
    #[inline(never)]
    fn def<T: FromImage + Default>(&mut self, o: &mut Obj) -> T {
        if self.field(o) {
            T::read(self)
        } else {
            T::default()
        }
    }
}

/// How a struct's field is read: `req` (must be there), `opt` (an `Option`,
/// absent is `None`), `def` (`#[serde(default)]`), `or(value)` (`#[serde(default = …)]`).
macro_rules! field {
    ($r:ident, $o:ident, req) => {
        $r.req(&mut $o)
    };
    ($r:ident, $o:ident, opt) => {
        $r.opt(&mut $o)
    };
    ($r:ident, $o:ident, def) => {
        $r.def(&mut $o)
    };
    ($r:ident, $o:ident, or($d:expr)) => {
        if $r.field(&mut $o) {
            FromImage::read($r)
        } else {
            $d
        }
    };
}

#[cfg(test)]
macro_rules! is_req {
    (req) => {
        true
    };
    ($($x:tt)*) => {
        false
    };
}

/// The reader of each struct, and (for the tests) each one's name, fields
/// and which fields must be there.
macro_rules! structs {
    ($($ty:ident { $($f:ident: $how:ident $(($d:expr))?),+ $(,)? })+) => {
        $(
            impl FromImage for $ty {
                fn read(r: &mut Reader<'_>) -> Self {
                    let mut o = r.obj(&[$(stringify!($f)),+]);
                    let v = $ty { $($f: field!(r, o, $how $(($d))?)),+ };
                    r.close(&o);
                    v
                }
            }
        )+
        /// Every struct: its name, its fields, and whether each one must be there.
        #[cfg(test)]
        pub(super) const STRUCTS: &[(&str, &[&str], &[bool])] = &[
            $((stringify!($ty), &[$(stringify!($f)),+], &[$(is_req!($how)),+])),+
        ];
    };
}

structs! {
    Text { zh: req, en: req }
    Citation { document: opt, article: opt, paragraph: opt, item: opt, section: opt }
    RuleDef { id: req, citation: req, modality: opt, text: req, reading: opt }
    IssuerDef { level: req, name: req }
    DocumentDef { title: req, source: req, issued_on: opt }
    Jurisdiction { key: req, name: req }
    InForce { from: opt, date_unknown: opt, until: opt, rule: req }
    TierDef { tier: req, name: req, rule: req }
    ScopeDef { level: req, issuer_level: req, terms_apply: req, modality: req, rule: req }
    TermDef { tier: req, period: req, rule: req, extension: opt, after: req }
    ExtensionDef { period: req, max: req, rule: req }
    AfterDef { outcome: req, rule: req, escalate_to: opt }
    PeriodsDef { start: def, rule: def, holiday_shift: def, holiday_rule: def, calendar: def }
    CalendarYear { year: req, source: req, rest_days: req }
    CategoryDef { key: req, name: req, rule: req }
    FactDef { key: req, text: req }
    CriterionDef { tier: req, all_of: req, rule: req }
    ProcedureDef { basis: req, proposer: req, decider: req, rule: req, direct_tier: opt }
    ListingDef { categories_rule: req, facts: req, criteria: req, procedures: req }
    SubPointDef { key: req, text: req }
    ConditionDef { key: req, name: opt, rule: req, sub_points: req }
    DelistingDef { rule: req, conditions: req }
    MeasureDef {
        key: req, rule: req, trigger: req, tiers: req, issuer_levels: req, target: req, modality: req, accountability: def, text: req,
    }
    RulebookFile {
        format: req, id: req, title: req, document: req, issuer: req, jurisdiction: req, in_force: req, tiers: def, scope: def, periods: opt,
        extends: opt, terms: def, categories: def, listing: opt, delisting: opt, review_rules: opt, measures: def, assessment: opt, duties: def,
        rules: req,
    }
    ReviewRules {
        application: req, at_expiry: req, decision: req, negligent_extension: req, tenured_negligent_extension: req, tenure_before_listing: req,
        tenure_rule: req,
    }
    InputDef { key: req, text: req, unit: or(Unit::Number) }
    Comparison { op: req, word: req, threshold: req, reading: opt }
    Band { from: req, below: opt, points: req }
    IndicatorDef { key: req, name: req, rule: req, unit: req, applies_to: opt, comparison: opt, group: opt, bands: def, origin: opt }
    BracketDef { key: req, rule: req, input: req, from: req, to: opt, listing: req }
    TrendDef { key: req, name: req, rule: req, direction: req, measure: req, by_percent: opt, group: opt }
    InputCondition { input: req, op: req, value: req, word: req }
    VetoDef { key: req, rule: req, judgements: def, any_of: def, indicators_unmet: def, score_zero: req, text: req }
    OutcomeDef { key: req, rule: req, when: req, modality: req, text: req, listing: opt }
    ListingOutcome { tier: req, issuer_level: req, name: req }
    LabelDef { group: req, rule: req, note: req }
    CutoffDef { key: req, rule: req, bottom: req, score: opt, consecutive_years: def, outcomes: req }
    RankOutcome { key: req, modality: req, text: req, listing: opt, score_zero: def }
    RankingDef { key: req, name: req, rule: req, cohort: req, cutoffs: req }
    AssessmentDef {
        verdict_rule: opt, indicators: def, trends: def, inputs: def, judgements: def, vetoes: def, outcomes: def, rankings: def, labels: def,
        brackets: def,
    }
    DutyDef { key: req, rule: req, text: req, who: opt, due: req, before: def, from: opt, until: opt }
}

/// The readers of enums whose variants are all unit variants, and (for the
/// tests) their names. The first variant is the value read from a bad image.
macro_rules! unit_enums {
    ($($ty:ident { $first:ident = $first_name:literal $(, $v:ident = $n:literal)* $(,)? })+) => {
        $(
            impl FromImage for $ty {
                fn read(r: &mut Reader<'_>) -> Self {
                    r.pick(&[($first_name, $ty::$first) $(, ($n, $ty::$v))*], $ty::$first)
                }
            }
        )+
        /// Every unit-only enum that is not [`Named`]: its name and its variants' names.
        #[cfg(test)]
        pub(super) const UNIT_ENUMS: &[(&str, &[&str])] = &[$((stringify!($ty), &[$first_name $(, $n)*])),+];
    };
}

unit_enums! {
    AfterOutcome { ContinueListing = "continue_listing", NotProvided = "not_provided", Escalate = "escalate" }
    Trigger {
        Listed = "listed", TenuredNeglect = "tenured_neglect", NegligentMiss = "negligent_miss",
        NegligentMissExtended = "negligent_miss_extended", TenuredNegligentMiss = "tenured_negligent_miss",
        FailedAnnualAssessment = "failed_annual_assessment", AnyAccountability = "any_accountability",
    }
    Target { Area = "area", ResponsiblePersons = "responsible_persons", NamedOfficials = "named_officials", CountyCommittee = "county_committee" }
    Op { Gte = "gte", Gt = "gt", Lte = "lte", Lt = "lt", Eq = "eq" }
    Unit { Percent = "percent", Count = "count", Hours = "hours", Points = "points", Number = "number" }
    Direction { Rise = "rise", Fall = "fall" }
    TrendMeasure { Level = "level", GrowthRate = "growth_rate" }
    BeforeReading { ByEndOfDay = "by_end_of_day", BeforeTheDay = "before_the_day" }
    PeriodStart { NextDay = "next_day", SameDay = "same_day" }
}

/// The [`Named`] enums, by their wire names (serde's names: a test checks
/// them against the schema); in brackets, the value read from a bad image.
macro_rules! named {
    ($($ty:ident($fallback:ident)),+) => {
        $(
            impl FromImage for $ty {
                fn read(r: &mut Reader<'_>) -> Self {
                    r.pick($ty::ALL, $ty::$fallback)
                }
            }
        )+
    };
}

named!(Level(National), Tier(None), Modality(Must), Basis(Application));

/// The variants of the enums with content, as [`Reader::variant`] takes
/// them (name, has content).
pub(super) const PERIOD: &[(&str, bool)] = &[("years", true), ("months", true), ("days", true)];
pub(super) const THRESHOLD: &[(&str, bool)] = &[("value", true), ("input", true), ("per", true)];
pub(super) const WHEN: &[(&str, bool)] = &[
    ("verdict_unmet", false),
    ("veto", true),
    ("indicator_unmet", true),
    ("judgement", true),
    ("input_positive", true),
];
pub(super) const DUE: &[(&str, bool)] = &[
    ("by_date", true),
    ("monthly_day", true),
    ("quarterly", false),
    ("half_yearly", false),
    ("year_end", false),
    ("every_months", true),
    ("weekly", true),
];

/// The fields of the struct variants `Threshold::Per`, `Due::EveryMonths`, `Due::Weekly`.
pub(super) const PER: &[&str] = &["per", "of"];
pub(super) const EVERY_MONTHS: &[&str] = &["months", "from"];
pub(super) const WEEKLY: &[&str] = &["from"];

impl FromImage for Period {
    fn read(r: &mut Reader<'_>) -> Self {
        let i = r.variant(PERIOD);
        let n = u16::read(r);
        match i {
            1 => Period::Months(n),
            2 => Period::Days(n),
            _ => Period::Years(n),
        }
    }
}

impl FromImage for Threshold {
    fn read(r: &mut Reader<'_>) -> Self {
        match r.variant(THRESHOLD) {
            1 => Threshold::Input(String::read(r)),
            2 => {
                let mut o = r.obj(PER);
                let v = Threshold::Per {
                    per: r.req(&mut o),
                    of: r.req(&mut o),
                };
                r.close(&o);
                v
            }
            _ => Threshold::Value(f64::read(r)),
        }
    }
}

impl FromImage for When {
    fn read(r: &mut Reader<'_>) -> Self {
        match r.variant(WHEN) {
            0 => When::VerdictUnmet,
            1 => When::Veto(String::read(r)),
            2 => When::IndicatorUnmet(String::read(r)),
            3 => When::Judgement(String::read(r)),
            _ => When::InputPositive(String::read(r)),
        }
    }
}

impl FromImage for Due {
    fn read(r: &mut Reader<'_>) -> Self {
        match r.variant(DUE) {
            1 => Due::MonthlyDay(u8::read(r)),
            2 => Due::Quarterly,
            3 => Due::HalfYearly,
            4 => Due::YearEnd,
            5 => {
                let mut o = r.obj(EVERY_MONTHS);
                let v = Due::EveryMonths {
                    months: r.req(&mut o),
                    from: r.req(&mut o),
                };
                r.close(&o);
                v
            }
            6 => {
                let mut o = r.obj(WEEKLY);
                let v = Due::Weekly { from: r.req(&mut o) };
                r.close(&o);
                v
            }
            _ => Due::ByDate(Date::read(r)),
        }
    }
}
