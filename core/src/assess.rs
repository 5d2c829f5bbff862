//! Assessment (考评): indicators with the text's own comparison words,
//! year-over-year trends, zero-incident checks, one-vote vetoes, graded
//! points, rankings with an explicit tie rule, and the outcomes that follow.

use crate::date::Date;
use crate::error::{ErrorCode, FieldError, InputErrors, RulebookProblem};
use crate::model::{Area, Level, Modality, Tier};
use crate::num::{Num, Nums};
use crate::ops::Explained;
use crate::read::{Ctx, Loc};
use crate::rulebook::{FactDef, Rulebook, Text};
use crate::trail::{Trail, Val};
use crate::tree::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// ---------------------------------------------------------------- rulebook format

/// A number the caller supplies that is not itself an indicator.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputDef {
    /// Its key.
    pub key: String,
    /// What it is.
    pub text: Text,
    /// Its unit (a count of cases is whole, a rate is 0 to 100).
    #[serde(default = "number_unit")]
    pub unit: Unit,
}

const fn number_unit() -> Unit {
    Unit::Number
}

/// A comparison operator.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// at least (以上、不少于、至少、达、达到): value ≥ threshold
    Gte,
    /// more than (超过、高于): value > threshold
    Gt,
    /// at most (以下、不超过、以内): value ≤ threshold
    Lte,
    /// less than (低于、不满、少于): value < threshold
    Lt,
    /// exactly (不发生、零、全部): value = threshold
    Eq,
}

impl Op {
    pub(crate) fn holds(self, v: f64, t: f64) -> bool {
        match self {
            Op::Gte => v >= t,
            Op::Gt => v > t,
            Op::Lte => v <= t,
            Op::Lt => v < t,
            Op::Eq => (v - t).abs() < 1e-9,
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Op::Gte => "≥",
            Op::Gt => ">",
            Op::Lte => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }
    /// The comparison words the texts use for this operator (DOMAIN.md:
    /// 以上/以下 include the number; 超过/低于/不满 exclude it).
    #[must_use]
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Op::Gte => &["以上", "不少于", "至少", "达", "达到", "不低于", "满"],
            Op::Gt => &["超过", "高于", "多于"],
            Op::Lte => &["以下", "不超过", "以内", "不高于"],
            Op::Lt => &["低于", "不满", "少于", "不足"],
            Op::Eq => &["不发生", "零", "全部", "无"],
        }
    }
}

/// Whether a comparison word fits an operator: the word must be one the
/// operator's list holds, or contain one (达到…以上).
#[must_use]
pub fn word_fits(op: Op, word: &str) -> bool {
    op.words().iter().any(|w| word == *w || word.contains(w))
        && !other_ops(op)
            .iter()
            .any(|o| o.words().iter().any(|w| word.ends_with(w) && !op.words().iter().any(|x| word.ends_with(x))))
}

fn other_ops(op: Op) -> Vec<Op> {
    [Op::Gte, Op::Gt, Op::Lte, Op::Lt, Op::Eq].into_iter().filter(|o| *o != op).collect()
}

/// What the threshold of a comparison is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Threshold {
    /// A number stated in the text (95 for 95%).
    Value(f64),
    /// A number the caller supplies (the national average), by input key.
    Input(String),
    /// A staffing ratio "per:1" of an input (150:1 of actual users): at least
    /// one per `per`, or part of `per`, so the threshold is ⌈input / per⌉.
    Per {
        /// 150 for 150:1.
        per: u32,
        /// The input key (actual users).
        of: String,
    },
}

/// A comparison as the text words it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// The operator.
    pub op: Op,
    /// The text's own word (以上, 超过, 低于, 不少于, 达, 不发生…).
    pub word: String,
    /// The threshold.
    pub threshold: Threshold,
    /// How the library reads a word that is not a plain comparison word
    /// (组织一次 → at least one; 150:1 → one per 150 or part of 150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Text>,
}

/// The unit of an indicator value.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A percentage, 0 to 100.
    Percent,
    /// A whole number of things, 0 or more.
    Count,
    /// Class hours.
    Hours,
    /// Points of a score.
    Points,
    /// Any non-negative number.
    Number,
}

/// Points granted from a value up (graded points by bands).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The lowest value of the band (included).
    pub from: f64,
    /// The first value above the band (excluded); absent for the top band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// The points.
    pub points: f64,
}

/// An indicator: a value compared with a threshold.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Its key.
    pub key: String,
    /// Its name.
    pub name: Text,
    /// The rule.
    pub rule: String,
    /// The unit of its value.
    pub unit: Unit,
    /// To whom it applies, in the text's words (每个社区（村）, 各县区).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<Text>,
    /// The comparison; absent where the text gives no threshold (recorded only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// A group label (五个不发生, 6.27工程).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Graded points by bands, where a rulebook gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    /// The rulebook this indicator comes from, when a rulebook extends another
    /// (set when the rulebooks are merged; not written by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// A bracket of counts leading to a listing (registered users 50–199 → county
/// listing); `from` and `to` are both included.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BracketDef {
    /// Its key.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// The input counted.
    pub input: String,
    /// The lowest count (included).
    pub from: f64,
    /// The highest count (included); absent for no upper end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
    /// The listing it leads to.
    pub listing: ListingOutcome,
}

/// The direction a trend must take.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 上升
    Rise,
    /// 下降
    Fall,
}

/// What a trend compares.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendMeasure {
    /// The value itself, last period against the one before.
    Level,
    /// The growth rate (增幅): needs three periods, two growth rates.
    GrowthRate,
}

/// A trend: a series that must rise or fall.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendDef {
    /// Its key (and the key of its series in a request).
    pub key: String,
    /// Its name.
    pub name: Text,
    /// The rule.
    pub rule: String,
    /// Rise or fall.
    pub direction: Direction,
    /// Of the value or of its growth rate.
    pub measure: TrendMeasure,
    /// A required size of the change, as a share of the earlier value, in percent
    /// (下降50%: 50); absent for any change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_percent: Option<f64>,
    /// A group label (四升四降).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A numeric condition on an input, in the text's words.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputCondition {
    /// The input key.
    pub input: String,
    /// The comparison.
    pub op: Op,
    /// The number.
    pub value: f64,
    /// The text's words (2名, 2人以上).
    pub word: String,
}

/// A one-vote veto (一票否决): overrides the score and the verdict.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoDef {
    /// Its key.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// Judgements (caller's) that must all be true.
    #[serde(default)]
    pub judgements: Vec<String>,
    /// Conditions on inputs of which at least one must hold (empty: none needed).
    #[serde(default)]
    pub any_of: Vec<InputCondition>,
    /// Indicators whose failure triggers the veto (a school failing 6.27).
    #[serde(default)]
    pub indicators_unmet: Vec<String>,
    /// Whether the score becomes zero.
    pub score_zero: bool,
    /// What the veto takes away, in words.
    pub text: Text,
}

/// A consequence of an assessment result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    /// Its key.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// When it follows.
    pub when: When,
    /// How binding.
    pub modality: Modality,
    /// In words.
    pub text: Text,
    /// A listing it leads to, where it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<ListingOutcome>,
}

/// When an outcome follows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum When {
    /// The overall verdict is unmet.
    VerdictUnmet,
    /// A veto applies.
    Veto(String),
    /// An indicator is unmet.
    IndicatorUnmet(String),
    /// A judgement of the caller is true.
    Judgement(String),
    /// An input is above zero (any student drug case).
    InputPositive(String),
}

/// A listing that an outcome leads to.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingOutcome {
    /// The canonical tier.
    pub tier: Tier,
    /// The level of the listing body.
    pub issuer_level: Level,
    /// The local name (挂牌整治).
    pub name: Text,
}

/// A label of a goal frame (四升四降, 五个不发生) and where its items come from.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelDef {
    /// The label as the group key.
    pub group: String,
    /// The rule that names the label.
    pub rule: String,
    /// Where the label and the items come from.
    pub note: Text,
}

/// A cut-off of a ranking (bottom N, optionally with a score bound).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CutoffDef {
    /// Its key.
    pub key: String,
    /// The rule.
    pub rule: String,
    /// The bottom N (后三名: 3).
    pub bottom: u32,
    /// A score bound that must also hold (80分以下: lte 80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<InputCondition>,
    /// Whether the same must have held the year before too (连续两年).
    #[serde(default)]
    pub consecutive_years: u8,
    /// What follows.
    pub outcomes: Vec<RankOutcome>,
}

/// What follows a cut-off.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankOutcome {
    /// Its key.
    pub key: String,
    /// How binding.
    pub modality: Modality,
    /// In words.
    pub text: Text,
    /// A listing it leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<ListingOutcome>,
    /// Whether the score becomes zero and a veto applies.
    #[serde(default)]
    pub score_zero: bool,
}

/// A ranking: a cohort ranked by score, lowest last.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingDef {
    /// Its key.
    pub key: String,
    /// Its name.
    pub name: Text,
    /// The rule that sets it up.
    pub rule: String,
    /// Who is ranked (counties province-wide; townships and member units).
    pub cohort: Text,
    /// The cut-offs.
    pub cutoffs: Vec<CutoffDef>,
}

/// The assessment section of a rulebook.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AssessmentDef {
    /// The rule of the overall verdict (every indicator met and no veto).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_rule: Option<String>,
    /// Indicators.
    #[serde(default)]
    pub indicators: Vec<IndicatorDef>,
    /// Trends.
    #[serde(default)]
    pub trends: Vec<TrendDef>,
    /// Inputs the caller supplies that are not indicators (the national average, actual users, counts of cases).
    #[serde(default)]
    pub inputs: Vec<InputDef>,
    /// Judgements the caller supplies (不认真履行禁毒工作职责).
    #[serde(default)]
    pub judgements: Vec<FactDef>,
    /// Vetoes.
    #[serde(default)]
    pub vetoes: Vec<VetoDef>,
    /// Outcomes of results.
    #[serde(default)]
    pub outcomes: Vec<OutcomeDef>,
    /// Rankings.
    #[serde(default)]
    pub rankings: Vec<RankingDef>,
    /// Goal-frame labels.
    #[serde(default)]
    pub labels: Vec<LabelDef>,
    /// Count brackets that choose a listing.
    #[serde(default)]
    pub brackets: Vec<BracketDef>,
}

/// Checks an assessment section; problems are added to `problems`.
pub(crate) fn check(a: &AssessmentDef, rules: &crate::rulebook::RuleIndex, problems: &mut Vec<RulebookProblem>) {
    let cite = |id: &str, what_zh: &str, what: &str, problems: &mut Vec<RulebookProblem>| {
        if !rules.contains_key(id) {
            problems.push(RulebookProblem::new(
                format!("{what_zh}：引用的规则 {id} 未定义"),
                format!("{what}: rule {id} is cited but not defined"),
            ));
        }
    };
    let inputs: Vec<&str> = a.inputs.iter().map(|f| f.key.as_str()).collect();
    let judgements: Vec<&str> = a.judgements.iter().map(|f| f.key.as_str()).collect();
    let mut keys: Vec<&str> = Vec::new();
    if let Some(r) = &a.verdict_rule {
        cite(r, "总体结论", "verdict", problems);
    }
    for i in &a.indicators {
        cite(&i.rule, &format!("指标 {}", i.key), &format!("indicator {}", i.key), problems);
        if keys.contains(&i.key.as_str()) || inputs.contains(&i.key.as_str()) {
            problems.push(RulebookProblem::new(
                format!("指标键 {} 重复使用", i.key),
                format!("indicator key {} is used twice", i.key),
            ));
        }
        keys.push(&i.key);
        if let Some(c) = &i.comparison {
            if !word_fits(c.op, &c.word) && c.reading.is_none() {
                problems.push(RulebookProblem::new(
                    format!(
                        "指标 {}：比较用语 {:?} 与比较符 {:?} 不符（应为：{}；或给出解读 reading）",
                        i.key,
                        c.word,
                        c.op,
                        c.op.words().join("、")
                    ),
                    format!(
                        "indicator {}: the comparison word {:?} does not fit the operator {:?} (words for it: {}; or give a reading)",
                        i.key,
                        c.word,
                        c.op,
                        c.op.words().join("、")
                    ),
                ));
            }
            match &c.threshold {
                Threshold::Input(k) | Threshold::Per { of: k, .. } if !inputs.contains(&k.as_str()) => {
                    problems.push(RulebookProblem::new(
                        format!("指标 {}：阈值读取的输入项 {k} 未声明", i.key),
                        format!("indicator {}: threshold reads input {k}, which is not declared", i.key),
                    ));
                }
                Threshold::Per { per: 0, .. } => problems.push(RulebookProblem::new(
                    format!("指标 {}：比例不能为 0:1", i.key),
                    format!("indicator {}: a ratio of 0:1", i.key),
                )),
                Threshold::Value(v) if !v.is_finite() => problems.push(RulebookProblem::new(
                    format!("指标 {}：阈值不是有限数值", i.key),
                    format!("indicator {}: threshold is not a number", i.key),
                )),
                Threshold::Value(v) if i.unit == Unit::Percent && !(0.0..=100.0).contains(v) => {
                    problems.push(RulebookProblem::new(
                        format!("指标 {}：百分比阈值 {v} 不在 0 到 100 之间", i.key),
                        format!("indicator {}: a percentage threshold of {v} is outside 0 to 100", i.key),
                    ));
                }
                _ => {}
            }
        }
        check_bands(&i.key, &i.bands, problems);
    }
    for t in &a.trends {
        cite(&t.rule, &format!("趋势 {}", t.key), &format!("trend {}", t.key), problems);
    }
    for v in &a.vetoes {
        cite(&v.rule, &format!("一票否决 {}", v.key), &format!("veto {}", v.key), problems);
        for j in &v.judgements {
            if !judgements.contains(&j.as_str()) {
                problems.push(RulebookProblem::new(
                    format!("一票否决 {}：认定项 {j} 未声明", v.key),
                    format!("veto {}: judgement {j} is not declared", v.key),
                ));
            }
        }
        for c in &v.any_of {
            if !inputs.contains(&c.input.as_str()) {
                problems.push(RulebookProblem::new(
                    format!("一票否决 {}：输入项 {} 未声明", v.key, c.input),
                    format!("veto {}: input {} is not declared", v.key, c.input),
                ));
            }
            if !word_fits(c.op, &c.word) && !c.word.chars().any(|ch| ch.is_ascii_digit()) {
                problems.push(RulebookProblem::new(
                    format!("一票否决 {}：用语 {:?} 与比较符 {:?} 不符", v.key, c.word, c.op),
                    format!("veto {}: the word {:?} does not fit {:?}", v.key, c.word, c.op),
                ));
            }
        }
        for k in &v.indicators_unmet {
            if !a.indicators.iter().any(|i| &i.key == k) {
                problems.push(RulebookProblem::new(
                    format!("一票否决 {}：未知指标 {k}", v.key),
                    format!("veto {}: unknown indicator {k}", v.key),
                ));
            }
        }
    }
    for o in &a.outcomes {
        cite(&o.rule, &format!("后果 {}", o.key), &format!("outcome {}", o.key), problems);
        match &o.when {
            When::IndicatorUnmet(k) if !a.indicators.iter().any(|i| &i.key == k) => problems.push(RulebookProblem::new(
                format!("后果 {}：未知指标 {k}", o.key),
                format!("outcome {}: unknown indicator {k}", o.key),
            )),
            When::Veto(k) if !a.vetoes.iter().any(|v| &v.key == k) => problems.push(RulebookProblem::new(
                format!("后果 {}：未知一票否决 {k}", o.key),
                format!("outcome {}: unknown veto {k}", o.key),
            )),
            When::Judgement(k) if !judgements.contains(&k.as_str()) => problems.push(RulebookProblem::new(
                format!("后果 {}：认定项 {k} 未声明", o.key),
                format!("outcome {}: judgement {k} is not declared", o.key),
            )),
            When::InputPositive(k) if !inputs.contains(&k.as_str()) => problems.push(RulebookProblem::new(
                format!("后果 {}：输入项 {k} 未声明", o.key),
                format!("outcome {}: input {k} is not declared", o.key),
            )),
            _ => {}
        }
        if let Some(l) = &o.listing {
            if l.tier == Tier::None {
                problems.push(RulebookProblem::new(
                    format!("后果 {}：挂牌后果须指定 none 以外的级别", o.key),
                    format!("outcome {}: a listing outcome needs a tier other than none", o.key),
                ));
            }
        }
    }
    for r in &a.rankings {
        cite(&r.rule, &format!("排名 {}", r.key), &format!("ranking {}", r.key), problems);
        for c in &r.cutoffs {
            cite(&c.rule, &format!("分界线 {}", c.key), &format!("cut-off {}", c.key), problems);
            if c.bottom == 0 {
                problems.push(RulebookProblem::new(
                    format!("分界线 {}：后 0 名不选中任何地区", c.key),
                    format!("cut-off {}: bottom 0 selects nobody", c.key),
                ));
            }
            if let Some(s) = &c.score {
                if !word_fits(s.op, &s.word) {
                    problems.push(RulebookProblem::new(
                        format!("分界线 {}：用语 {:?} 与比较符 {:?} 不符", c.key, s.word, s.op),
                        format!("cut-off {}: the word {:?} does not fit {:?}", c.key, s.word, s.op),
                    ));
                }
            }
        }
    }
    for l in &a.labels {
        cite(&l.rule, &format!("标签 {}", l.group), &format!("label {}", l.group), problems);
    }
    check_brackets(a, &inputs, problems);
    for b in &a.brackets {
        cite(&b.rule, &format!("档次 {}", b.key), &format!("bracket {}", b.key), problems);
    }
}

fn check_brackets(a: &AssessmentDef, inputs: &[&str], problems: &mut Vec<RulebookProblem>) {
    let mut by_input: BTreeMap<&str, Vec<&BracketDef>> = BTreeMap::new();
    for b in &a.brackets {
        if !inputs.contains(&b.input.as_str()) {
            problems.push(RulebookProblem::new(
                format!("档次 {}：输入项 {} 未声明", b.key, b.input),
                format!("bracket {}: input {} is not declared", b.key, b.input),
            ));
        }
        if b.to.is_some_and(|t| t < b.from) {
            problems.push(RulebookProblem::new(
                format!("档次 {}：终点早于起点", b.key),
                format!("bracket {}: ends before it starts", b.key),
            ));
        }
        by_input.entry(&b.input).or_default().push(b);
    }
    for (input, mut bs) in by_input {
        bs.sort_by(|x, y| x.from.partial_cmp(&y.from).unwrap_or(std::cmp::Ordering::Equal));
        for w in bs.windows(2) {
            let [x, y] = w else { continue };
            match x.to {
                None => problems.push(RulebookProblem::new(
                    format!("{input} 的档次：{} 没有上限，其后却还有 {}（重叠）", x.key, y.key),
                    format!("brackets of {input}: {} has no upper end but {} follows (overlap)", x.key, y.key),
                )),
                Some(t) if y.from <= t => problems.push(RulebookProblem::new(
                    format!("{input} 的档次：{} 与 {} 在 {} 处重叠", x.key, y.key, y.from),
                    format!("brackets of {input}: {} and {} overlap at {}", x.key, y.key, y.from),
                )),
                Some(t) if y.from > t + 1.0 => problems.push(RulebookProblem::new(
                    format!("{input} 的档次：{t} 与 {} 之间有空档", y.from),
                    format!("brackets of {input}: a gap between {t} and {}", y.from),
                )),
                _ => {}
            }
        }
    }
}

fn check_bands(key: &str, bands: &[Band], problems: &mut Vec<RulebookProblem>) {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by(|a, b| a.from.partial_cmp(&b.from).unwrap_or(std::cmp::Ordering::Equal));
    for (i, b) in sorted.iter().enumerate() {
        if let Some(below) = b.below {
            if below <= b.from {
                problems.push(RulebookProblem::new(
                    format!("指标 {key}：自 {} 起的分段，其终点 {below} 不大于起点", b.from),
                    format!("indicator {key}: band from {} has its end {below} at or below its start", b.from),
                ));
            }
        }
        if let Some(next) = sorted.get(i + 1) {
            match b.below {
                None => problems.push(RulebookProblem::new(
                    format!("指标 {key}：自 {} 起的分段没有上限，其后却还有自 {} 起的分段（重叠）", b.from, next.from),
                    format!(
                        "indicator {key}: band from {} is open-ended but band from {} follows (overlap)",
                        b.from, next.from
                    ),
                )),
                Some(below) if below > next.from => problems.push(RulebookProblem::new(
                    format!("指标 {key}：自 {} 起与自 {} 起的分段重叠", b.from, next.from),
                    format!("indicator {key}: bands from {} and from {} overlap", b.from, next.from),
                )),
                Some(below) if below < next.from => problems.push(RulebookProblem::new(
                    format!("指标 {key}：{below} 与 {} 之间有空档", next.from),
                    format!("indicator {key}: a gap between {below} and {}", next.from),
                )),
                _ => {}
            }
        }
    }
}

// ---------------------------------------------------------------- assess request

/// `assess`: an area's indicator values for a period.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessRequest {
    /// The area.
    pub area: Area,
    /// The day of the assessment.
    pub on: Date,
    /// The period assessed, in the caller's words (2018, 2018年度).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Indicator values and inputs, by key; an indicator not supplied is missing, never zero.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// Series for trends, oldest first, by trend key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series: BTreeMap<String, Vec<f64>>,
    /// The caller's judgements, by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub judgements: BTreeMap<String, bool>,
    /// The area's score, where it has one (a veto may make it zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Only these indicators (keys); all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<Vec<String>>,
}

/// How an indicator, trend or veto stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Met.
    Met,
    /// Not met.
    Unmet,
    /// The value (or an input of its threshold) was not supplied.
    Missing,
    /// The text gives no threshold: the value is recorded only.
    NoThreshold,
    /// A trend whose value did not change: neither a rise nor a fall.
    Unchanged,
    /// A veto or outcome that applies.
    Applies,
    /// A veto or outcome that does not apply.
    DoesNotApply,
    /// Would apply if the caller found a judgement not supplied.
    RequiresJudgement,
}

/// An indicator's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct IndicatorOut<'r> {
    /// Its key.
    pub indicator: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The citation in words.
    pub citation: &'r str,
    /// Its name.
    pub name: &'r Text,
    /// Its status.
    pub status: Status,
    /// The value supplied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<Op>,
    /// The text's comparison word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<&'r str>,
    /// The threshold used (for 150:1, the staff needed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// The unit.
    pub unit: Unit,
    /// Points from bands, where the rulebook grades it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Its group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'r str>,
    /// The rulebook this indicator's threshold comes from (itself, or the one it extends).
    pub source: &'r str,
}

/// A trend's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct TrendOut<'r> {
    /// Its key.
    pub trend: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// Its name.
    pub name: &'r Text,
    /// Rise or fall required.
    pub direction: Direction,
    /// Level or growth rate.
    pub measure: TrendMeasure,
    /// Its status (met, unmet, unchanged, missing).
    pub status: Status,
    /// The compared values: the last two levels, or the last two growth rates (percent).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<f64>,
    /// Its group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'r str>,
}

/// A veto's result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct VetoOut<'r> {
    /// Its key.
    pub veto: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// Applies, does not apply, requires judgement or missing.
    pub status: Status,
    /// What it takes away.
    pub text: &'r Text,
}

/// An outcome that follows.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct OutcomeOut<'r> {
    /// Its key.
    pub outcome: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The citation in words.
    pub citation: &'r str,
    /// The modality.
    pub modality: Modality,
    /// Applies (must), applies in principle, available (may), or requires judgement.
    pub status: crate::ops::MeasureStatus,
    /// In words.
    pub text: &'r Text,
    /// The listing it leads to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<&'r ListingOutcome>,
}

/// A count bracket the area falls in.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct BracketOut<'r> {
    /// Its key.
    pub bracket: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The count.
    pub value: f64,
    /// The listing it leads to.
    pub listing: &'r ListingOutcome,
}

/// The overall verdict.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every indicator and trend met, no veto.
    Met,
    /// Something unmet.
    Unmet,
    /// A veto applies, whatever the score.
    Vetoed,
    /// Nothing unmet, but something missing: no verdict yet.
    Incomplete,
    /// The text sets no threshold for what was assessed: values are recorded, no verdict is given.
    NotProvided,
}

/// The answer of `assess`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct AssessAnswer<'r> {
    /// The verdict.
    pub verdict: Verdict,
    /// The rule of the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_rule: Option<&'r str>,
    /// The score after vetoes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Points from graded indicators, summed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Every indicator.
    pub indicators: Vec<IndicatorOut<'r>>,
    /// Every trend.
    pub trends: Vec<TrendOut<'r>>,
    /// Every veto.
    pub vetoes: Vec<VetoOut<'r>>,
    /// The outcomes that follow.
    pub outcomes: Vec<OutcomeOut<'r>>,
    /// The count brackets the area falls in, with the listing each leads to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub brackets: Vec<BracketOut<'r>>,
    /// Keys of indicators and trends not supplied.
    pub missing: Vec<&'r str>,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

pub(crate) fn not_in_rulebook(rb: &Rulebook, what: &str) -> InputErrors {
    InputErrors {
        errors: vec![FieldError::at(
            ErrorCode::NotInRulebook,
            "rulebook",
            format!("规则集 {} 没有{}规则", rb.id(), what),
            format!("rulebook {} has no {what} rules", rb.id()),
        )],
    }
}

pub(crate) fn number_ok(unit: Unit, v: f64) -> Result<(), (String, String)> {
    if !v.is_finite() {
        return Err(("应为有限数值".into(), "must be a finite number".into()));
    }
    let shown = Num(v);
    if v < 0.0 {
        return Err((format!("不得为负数，收到 {shown}"), format!("must not be negative, got {shown}")));
    }
    match unit {
        Unit::Percent if v > 100.0 => Err((
            format!("百分比应在 0 到 100 之间，收到 {shown}"),
            format!("a percentage must be from 0 to 100, got {shown}"),
        )),
        Unit::Count if v.fract() != 0.0 => Err((format!("应为整数，收到 {shown}"), format!("must be a whole number, got {shown}"))),
        _ => Ok(()),
    }
}

pub(crate) fn read_assess(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>) -> Option<AssessRequest> {
    let root = Loc::Root;
    let a = rb.file().assessment.as_ref()?;
    let m = ctx.obj(v, &root, &["area", "on", "period", "values", "series", "judgements", "score", "only"])?;
    let before = ctx.errors.len();
    let area = ctx.req(m, &root, "area").and_then(|x| crate::requests::read_area(ctx, x, &root.key("area")));
    let on = ctx.req(m, &root, "on").and_then(|x| ctx.date(x, &root.key("on")));
    let period = Ctx::opt(m, "period").and_then(|x| ctx.string(x, &root.key("period"))).map(str::to_owned);
    let mut values = BTreeMap::new();
    if let Some(x) = Ctx::opt(m, "values") {
        let l = root.key("values");
        let ind: Vec<&str> = a
            .indicators
            .iter()
            .map(|i| i.key.as_str())
            .chain(a.inputs.iter().map(|i| i.key.as_str()))
            .collect();
        if let Some(vm) = ctx.obj(x, &l, &ind) {
            for (k, val) in vm {
                if val.is_null() {
                    continue;
                }
                let lk = l.key(k);
                let unit = a
                    .indicators
                    .iter()
                    .find(|i| i.key == k)
                    .map(|i| i.unit)
                    .or_else(|| a.inputs.iter().find(|i| i.key == k).map(|i| i.unit))
                    .unwrap_or(Unit::Number);
                match val.as_f64() {
                    Some(n) if val.is_number() => match number_ok(unit, n) {
                        Ok(()) => {
                            values.insert(k.to_owned(), n);
                        }
                        Err((zh, en)) => ctx.err(ErrorCode::OutOfRange, &lk, format!("{} {zh}", lk.render()), format!("{} {en}", lk.render())),
                    },
                    _ => ctx.err(
                        ErrorCode::WrongType,
                        &lk,
                        format!("{} 应为数值，收到 {}", lk.render(), crate::read::show(val)),
                        format!("{} must be a number, got {}", lk.render(), crate::read::show(val)),
                    ),
                }
            }
        }
    }
    let mut series = BTreeMap::new();
    if let Some(x) = Ctx::opt(m, "series") {
        let l = root.key("series");
        let keys: Vec<&str> = a.trends.iter().map(|t| t.key.as_str()).collect();
        if let Some(sm) = ctx.obj(x, &l, &keys) {
            for (k, val) in sm {
                let lk = l.key(k);
                if let Some(arr) = ctx.array(val, &lk) {
                    let mut out = Vec::with_capacity(arr.len());
                    for (i, y) in arr.iter().enumerate() {
                        let li = lk.index(i);
                        match y.as_f64() {
                            Some(n) if y.is_number() && n >= 0.0 => out.push(n),
                            Some(n) if y.is_number() => ctx.err(
                                ErrorCode::OutOfRange,
                                &li,
                                format!("{} 不得为负数，收到 {}", li.render(), Num(n)),
                                format!("{} must not be negative, got {}", li.render(), Num(n)),
                            ),
                            _ => ctx.err(
                                ErrorCode::WrongType,
                                &li,
                                format!("{} 应为数值，收到 {}", li.render(), crate::read::show(y)),
                                format!("{} must be a number, got {}", li.render(), crate::read::show(y)),
                            ),
                        }
                    }
                    series.insert(k.to_owned(), out);
                }
            }
        }
    }
    let mut judgements = BTreeMap::new();
    if let Some(x) = Ctx::opt(m, "judgements") {
        let l = root.key("judgements");
        let keys: Vec<&str> = a.judgements.iter().map(|t| t.key.as_str()).collect();
        if let Some(jm) = ctx.obj(x, &l, &keys) {
            for (k, val) in jm {
                if let Some(b) = ctx.bool(val, &l.key(k)) {
                    judgements.insert(k.to_owned(), b);
                }
            }
        }
    }
    let score = Ctx::opt(m, "score").and_then(|x| match x.as_f64() {
        Some(n) if x.is_number() && n.is_finite() && n >= 0.0 => Some(n),
        _ => {
            let l = root.key("score");
            ctx.err(
                ErrorCode::OutOfRange,
                &l,
                format!("score 应为非负数值，收到 {}", crate::read::show(x)),
                format!("score must be a non-negative number, got {}", crate::read::show(x)),
            );
            None
        }
    });
    let only = Ctx::opt(m, "only").and_then(|x| {
        let l = root.key("only");
        let arr = ctx.array(x, &l)?;
        let keys: Vec<&str> = a.indicators.iter().map(|i| i.key.as_str()).collect();
        let mut out = Vec::new();
        for (i, y) in arr.iter().enumerate() {
            if let Some(k) = ctx.key_of(y, &l.index(i), ("指标", "indicator"), &keys) {
                out.push(k.to_owned());
            }
        }
        Some(out)
    });
    if ctx.errors.len() != before {
        return None;
    }
    Some(AssessRequest {
        area: area?,
        on: on?,
        period,
        values,
        series,
        judgements,
        score,
        only,
    })
}

/// `assess`: every indicator met or unmet with its threshold, comparison word
/// and citation; trends; vetoes that override the score; the verdict and the
/// outcomes that follow.
///
/// # Errors
/// [`InputErrors`] when the rulebook has no assessment rules, or, all at
/// once, for a value (indicator or input) out of range for its unit, a key
/// the rulebook does not have, a series value that is negative or not
/// finite, a score that is not a finite non-negative number.
///
/// # Example
/// ```
/// use jindu::{Registry, assess::{assess, AssessRequest, Verdict}, Options};
/// let rb = Registry::builtin().unwrap().get("pingxiang-2018-demonstration-city").unwrap();
/// let req: AssessRequest = serde_json::from_value(serde_json::json!({
///     "area": {"name": "安源区", "level": "county"}, "on": "2018-11-15",
///     "values": {"awareness_rate": 95.0}, "only": ["awareness_rate"]
/// })).unwrap();
/// let a = assess(rb, &req, Options::default()).unwrap();
/// assert_eq!(a.verdict, Verdict::Unmet); // 超过95% excludes 95%
/// ```
pub fn assess<'r>(rb: &'r Rulebook, req: &AssessRequest, opts: crate::ops::Options) -> Result<AssessAnswer<'r>, InputErrors> {
    let Some(a) = rb.file().assessment.as_ref() else {
        return Err(not_in_rulebook(rb, "考评 (assessment)"));
    };
    let mut errors = Vec::new();
    for (k, v) in &req.values {
        // An indicator or an input: each checked for its unit, as the JSON path checks it.
        let unit = a
            .indicators
            .iter()
            .find(|i| &i.key == k)
            .map(|i| i.unit)
            .or_else(|| a.inputs.iter().find(|i| &i.key == k).map(|i| i.unit));
        if let Some(unit) = unit {
            if let Err((zh, en)) = number_ok(unit, *v) {
                errors.push(FieldError::at(
                    ErrorCode::OutOfRange,
                    &format!("values.{k}"),
                    format!("values.{k} {zh}"),
                    format!("values.{k} {en}"),
                ));
            }
        } else {
            errors.push(FieldError::at(
                ErrorCode::UnknownField,
                &format!("values.{k}"),
                format!("未知指标 {k}"),
                format!("unknown indicator {k}"),
            ));
        }
    }
    // A typed request is checked as the JSON path checks it: series values
    // finite and not negative, the score a finite non-negative number.
    for (k, s) in &req.series {
        for (i, n) in s.iter().enumerate() {
            if !(n.is_finite() && *n >= 0.0) {
                let path = format!("series.{k}[{i}]");
                errors.push(FieldError::at(
                    ErrorCode::OutOfRange,
                    &path,
                    format!("{path} 应为非负有限数值，收到 {}", Num(*n)),
                    format!("{path} must be a finite non-negative number, got {}", Num(*n)),
                ));
            }
        }
    }
    if let Some(n) = req.score.filter(|n| !(n.is_finite() && *n >= 0.0)) {
        errors.push(FieldError::at(
            ErrorCode::OutOfRange,
            "score",
            format!("score 应为非负数值，收到 {}", Num(n)),
            format!("score must be a non-negative number, got {}", Num(n)),
        ));
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    let mut t = Trail::new(rb, opts.explain);
    note_unknown_date(&mut t);
    let mut indicators = Vec::new();
    let mut missing: Vec<&'r str> = Vec::new();
    let mut points_sum: Option<f64> = None;
    for i in &a.indicators {
        if req.only.as_ref().is_some_and(|o| !o.contains(&i.key)) {
            continue;
        }
        let value = req.values.get(&i.key).copied();
        let rule = t.id(&i.rule);
        let mut threshold = None;
        let mut status = Status::NoThreshold;
        let mut threshold_missing: Option<&str> = None;
        if let Some(c) = &i.comparison {
            threshold = match &c.threshold {
                Threshold::Value(x) => Some(*x),
                Threshold::Input(k) => {
                    let x = req.values.get(k).copied();
                    if x.is_none() {
                        threshold_missing = Some(k);
                    }
                    x
                }
                Threshold::Per { per, of } => {
                    let x = req.values.get(of).copied();
                    if x.is_none() {
                        threshold_missing = Some(of);
                    }
                    x.map(|users| (users / f64::from(*per)).ceil())
                }
            };
            status = match (value, threshold) {
                (Some(v), Some(th)) => {
                    if c.op.holds(v, th) {
                        Status::Met
                    } else {
                        Status::Unmet
                    }
                }
                _ => Status::Missing,
            };
        }
        if value.is_none() {
            missing.push(&i.key);
            if i.comparison.is_some() {
                status = Status::Missing;
            }
        }
        if let Some(k) = threshold_missing {
            t.note(
                "not_supplied",
                Some(&i.rule),
                format!("指标 {} 的阈值取决于未提供的输入 {k}", i.key),
                format!("the threshold of {} depends on input {k}, which was not supplied", i.key),
            );
        }
        let points = match value {
            Some(v) if !i.bands.is_empty() => Some(i.bands.iter().find(|b| v >= b.from && b.below.is_none_or(|e| v < e)).map_or(0.0, |b| b.points)),
            _ => None,
        };
        if let Some(p) = points {
            points_sum = Some(points_sum.unwrap_or(0.0) + p);
        }
        let word = i.comparison.as_ref().map(|c| c.word.as_str());
        let op = i.comparison.as_ref().map(|c| c.op);
        t.step(
            &i.rule,
            match status {
                Status::Met => "met",
                Status::Unmet => "unmet",
                Status::Missing => "missing",
                _ => "recorded",
            },
            || {
                vec![
                    ("value", value.map_or(Val::Bool(None), num)),
                    ("threshold", threshold.map_or(Val::Bool(None), num)),
                ]
            },
            || {
                let v = value.map_or("未提供".to_owned(), |x| Num(x).to_string());
                let ve = value.map_or("not supplied".to_owned(), |x| Num(x).to_string());
                match (op, threshold.map(Num)) {
                    (Some(op), Some(th)) => (
                        format!("{}：{v}，标准：{}{th}（{}）", i.name.zh, op.symbol(), word.unwrap_or("")),
                        format!("{}: {ve}, standard {} {th} ({})", i.name.en, op.symbol(), word.unwrap_or("")),
                    ),
                    _ => (
                        format!("{}：{v}（文本未给出阈值）", i.name.zh),
                        format!("{}: {ve} (the text gives no threshold)", i.name.en),
                    ),
                }
            },
        );
        if i.comparison.is_none() {
            t.note(
                "no_threshold",
                Some(&i.rule),
                format!("{}：文本未规定阈值，仅记录", i.name.zh),
                format!("{}: the text sets no threshold; recorded only", i.name.en),
            );
        }
        indicators.push(IndicatorOut {
            indicator: &i.key,
            rule,
            citation: rb.citation_text(rule),
            name: &i.name,
            status,
            value,
            op,
            word,
            threshold,
            unit: i.unit,
            points,
            group: i.group.as_deref(),
            source: i.origin.as_deref().unwrap_or(rb.id()),
        });
    }
    let mut trends = Vec::new();
    if req.only.is_none() {
        for tr in &a.trends {
            let rule = t.id(&tr.rule);
            let s = req.series.get(&tr.key);
            let (status, compared) = trend_status(tr, s.map(Vec::as_slice));
            if status == Status::Missing {
                missing.push(&tr.key);
                if let Some(s) = s {
                    let need = if tr.measure == TrendMeasure::GrowthRate { 3 } else { 2 };
                    t.note(
                        "not_supplied",
                        Some(&tr.rule),
                        format!("{}：需要至少{need}期数值（收到{}期；增幅须为正的前期值）", tr.name.zh, s.len()),
                        format!(
                            "{}: needs at least {need} periods (got {}; a growth rate needs positive earlier values)",
                            tr.name.en,
                            s.len()
                        ),
                    );
                }
            }
            t.step(
                &tr.rule,
                match status {
                    Status::Met => "met",
                    Status::Unmet => "unmet",
                    Status::Unchanged => "unchanged",
                    _ => "missing",
                },
                || {
                    compared
                        .iter()
                        .enumerate()
                        .map(|(k, x)| (if k == 0 { "earlier" } else { "later" }, num(*x)))
                        .collect()
                },
                || {
                    let dir = match tr.direction {
                        Direction::Rise => ("上升", "rise"),
                        Direction::Fall => ("下降", "fall"),
                    };
                    (
                        format!("{}应{}：{:?}", tr.name.zh, dir.0, Nums(&compared)),
                        format!("{} must {}: {:?}", tr.name.en, dir.1, Nums(&compared)),
                    )
                },
            );
            trends.push(TrendOut {
                trend: &tr.key,
                rule,
                name: &tr.name,
                direction: tr.direction,
                measure: tr.measure,
                status,
                compared,
                group: tr.group.as_deref(),
            });
        }
        for l in &a.labels {
            if indicators.iter().any(|i| i.group == Some(l.group.as_str())) || trends.iter().any(|x| x.group == Some(l.group.as_str())) {
                let note = l.note.clone();
                t.note("label", Some(&l.rule), note.zh, note.en);
            }
        }
    }
    let mut vetoes = Vec::new();
    let mut vetoed = false;
    for v in &a.vetoes {
        let rule = t.id(&v.rule);
        // The caller's judgements: all true, one false, or some not supplied.
        // One judgement found false settles it: "all must be true" fails.
        let judged = judged_all(v.judgements.iter().map(|j| req.judgements.get(j).copied()));
        // The facts: at least one condition of any_of (when there are any) ...
        let any = if v.any_of.is_empty() || v.any_of.iter().any(|c| req.values.get(&c.input).is_some_and(|x| c.op.holds(*x, c.value))) {
            Some(true)
        } else if v.any_of.iter().any(|c| !req.values.contains_key(&c.input)) {
            None
        } else {
            Some(false)
        };
        // ... and the failure of a named indicator (when there are any).
        let ind = if v.indicators_unmet.is_empty()
            || v.indicators_unmet
                .iter()
                .any(|k| indicators.iter().any(|i| i.indicator == k && i.status == Status::Unmet))
        {
            Some(true)
        } else if v
            .indicators_unmet
            .iter()
            .any(|k| !indicators.iter().any(|i| i.indicator == k && i.status == Status::Met))
        {
            None
        } else {
            Some(false)
        };
        let facts = match (any, ind) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
        let status = match (facts, judged) {
            (Some(false), _) | (_, Some(false)) => Status::DoesNotApply,
            (Some(true), Some(true)) => Status::Applies,
            (Some(true), None) => Status::RequiresJudgement,
            (None, _) => Status::Missing,
        };
        if status == Status::Missing {
            for c in &v.any_of {
                if !req.values.contains_key(&c.input) && !missing.contains(&c.input.as_str()) {
                    missing.push(&c.input);
                }
            }
        }
        if status == Status::RequiresJudgement {
            t.note(
                "not_supplied",
                Some(&v.rule),
                format!("一票否决 {} 的条件已具备，但调用方未认定：{}", v.key, v.judgements.join("、")),
                format!(
                    "the conditions of veto {} hold, but the caller's judgement is not supplied: {}",
                    v.key,
                    v.judgements.join(", ")
                ),
            );
        }
        vetoed |= status == Status::Applies;
        t.step(
            &v.rule,
            if status == Status::Applies { "veto" } else { "no_veto" },
            || {
                v.any_of
                    .iter()
                    .map(|c| (c.input.as_str(), req.values.get(&c.input).map_or(Val::Bool(None), |x| num(*x))))
                    .collect()
            },
            || (format!("一票否决：{}", v.text.zh), format!("one-vote veto: {}", v.text.en)),
        );
        vetoes.push(VetoOut {
            veto: &v.key,
            rule,
            status,
            text: &v.text,
        });
    }
    let score = req.score.map(|s| {
        if vetoes
            .iter()
            .any(|v| v.status == Status::Applies && a.vetoes.iter().any(|d| d.key == v.veto && d.score_zero))
        {
            0.0
        } else {
            s
        }
    });
    let any_unmet = indicators.iter().any(|i| i.status == Status::Unmet) || trends.iter().any(|x| matches!(x.status, Status::Unmet | Status::Unchanged));
    let any_missing = indicators.iter().any(|i| i.status == Status::Missing)
        || trends.iter().any(|x| x.status == Status::Missing)
        || vetoes.iter().any(|v| matches!(v.status, Status::Missing | Status::RequiresJudgement));
    let judged_anything =
        indicators.iter().any(|i| i.status != Status::NoThreshold) || !trends.is_empty() || vetoes.iter().any(|v| v.status != Status::DoesNotApply);
    let verdict = if !judged_anything {
        Verdict::NotProvided
    } else if vetoed {
        Verdict::Vetoed
    } else if any_unmet {
        Verdict::Unmet
    } else if any_missing {
        Verdict::Incomplete
    } else {
        Verdict::Met
    };
    if let Some(r) = &a.verdict_rule {
        t.cite(r);
    }
    let mut outcomes = Vec::new();
    for o in &a.outcomes {
        let status = match &o.when {
            When::VerdictUnmet => matches!(verdict, Verdict::Unmet | Verdict::Vetoed).then_some(crate::ops::status_of(o.modality)),
            When::Veto(k) => vetoes.iter().find(|v| v.veto == k).and_then(|v| match v.status {
                Status::Applies => Some(crate::ops::status_of(o.modality)),
                Status::RequiresJudgement => Some(crate::ops::MeasureStatus::RequiresJudgement),
                _ => None,
            }),
            When::IndicatorUnmet(k) => indicators
                .iter()
                .any(|i| i.indicator == k && i.status == Status::Unmet)
                .then_some(crate::ops::status_of(o.modality)),
            When::Judgement(k) => match req.judgements.get(k) {
                Some(true) => Some(crate::ops::status_of(o.modality)),
                _ => None,
            },
            When::InputPositive(k) => req.values.get(k).is_some_and(|x| *x > 0.0).then_some(crate::ops::status_of(o.modality)),
        };
        if let Some(status) = status {
            let rule = t.id(&o.rule);
            t.step(&o.rule, "outcome", Vec::new, || (o.text.zh.clone(), o.text.en.clone()));
            outcomes.push(OutcomeOut {
                outcome: &o.key,
                rule,
                citation: rb.citation_text(rule),
                modality: o.modality,
                status,
                text: &o.text,
                listing: o.listing.as_ref(),
            });
        }
    }
    let mut brackets = Vec::new();
    for b in &a.brackets {
        match req.values.get(&b.input) {
            Some(v) if *v >= b.from && b.to.is_none_or(|t| *v <= t) => {
                let rule = t.id(&b.rule);
                let v = *v;
                t.step(
                    &b.rule,
                    "inside",
                    || vec![("value", num(v))],
                    || {
                        (
                            format!("{} = {}，属于 {} 档：{}", b.input, Num(v), b.key, b.listing.name.zh),
                            format!("{} = {}, in bracket {}: {}", b.input, Num(v), b.key, b.listing.name.en),
                        )
                    },
                );
                brackets.push(BracketOut {
                    bracket: &b.key,
                    rule,
                    value: v,
                    listing: &b.listing,
                });
            }
            Some(_) => {}
            None => {
                if !missing.contains(&b.input.as_str()) {
                    missing.push(&b.input);
                }
            }
        }
    }
    Ok(AssessAnswer {
        verdict,
        brackets,
        verdict_rule: a.verdict_rule.as_deref().map(|r| t.id(r)),
        score,
        points: points_sum,
        indicators,
        trends,
        vetoes,
        outcomes,
        missing,
        explained: t.finish(),
    })
}

/// All of the caller's judgements: false as soon as one is false, unknown
/// while one is not supplied, else true.
pub(crate) fn judged_all(js: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut all = Some(true);
    for j in js {
        match j {
            Some(false) => return Some(false),
            None => all = None,
            Some(true) => {}
        }
    }
    all
}

/// Says so when the rulebook's source gives no date of effect (Sinan's "20xx").
fn note_unknown_date(t: &mut Trail<'_>) {
    let f = t.rb.file();
    if f.in_force.from.is_none() {
        if let Some(why) = &f.in_force.date_unknown {
            t.note("effective_date_unknown", Some(&f.in_force.rule), why.zh.clone(), why.en.clone());
        }
    }
}

fn num(x: f64) -> Val {
    Val::Str(Num(x).to_string())
}

fn trend_status(tr: &TrendDef, s: Option<&[f64]>) -> (Status, Vec<f64>) {
    let Some((earlier, later)) = s.and_then(|s| trend_pair(tr.measure, s)) else {
        return (Status::Missing, Vec::new());
    };
    (trend_judge(tr.direction, tr.by_percent, earlier, later), vec![round6(earlier), round6(later)])
}

/// The two values a trend compares: the last two levels, or the last two
/// growth rates (which need three periods and positive earlier values).
pub(crate) fn trend_pair(measure: TrendMeasure, s: &[f64]) -> Option<(f64, f64)> {
    match measure {
        TrendMeasure::Level => match s {
            [.., a, b] => Some((*a, *b)),
            _ => None,
        },
        TrendMeasure::GrowthRate => match s {
            [.., a, b, c] if *a > 0.0 && *b > 0.0 => Some(((b - a) / a * 100.0, (c - b) / b * 100.0)),
            _ => None,
        },
    }
}

/// Whether a change from `earlier` to `later` is the rise or fall required.
pub(crate) fn trend_judge(direction: Direction, by_percent: Option<f64>, earlier: f64, later: f64) -> Status {
    if (later - earlier).abs() < 1e-9 {
        return Status::Unchanged;
    }
    let ok = match direction {
        Direction::Rise => later > earlier,
        Direction::Fall => later < earlier,
    };
    let ok = ok
        && by_percent.is_none_or(|p| {
            if earlier == 0.0 {
                return false;
            }
            let change = (later - earlier).abs() / earlier * 100.0;
            change + 1e-9 >= p
        });
    if ok {
        Status::Met
    } else {
        Status::Unmet
    }
}

/// Sorts by `f64::total_cmp`, as `sort_by(f64::total_cmp)` does (numbers
/// equal in that order are the same bits, so every correct sort gives the
/// same slice). A heap sort: a few hundred bytes of the WASM package where
/// the standard library's sort is about 4 KB.
fn heap_sort(v: &mut [f64]) {
    fn sift(v: &mut [f64], mut root: usize) {
        loop {
            let mut child = 2 * root + 1;
            let (Some(&c), Some(&r)) = (v.get(child), v.get(root)) else { return };
            let mut big = c;
            if let Some(&c2) = v.get(child + 1) {
                if c2.total_cmp(&c).is_gt() {
                    child += 1;
                    big = c2;
                }
            }
            if big.total_cmp(&r).is_le() {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    for i in (0..v.len() / 2).rev() {
        sift(v, i);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        if let Some(head) = v.get_mut(..end) {
            sift(head, 0);
        }
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

// ---------------------------------------------------------------- rank

/// A member of a ranked cohort.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortMember {
    /// The area or unit.
    pub name: String,
    /// Its score.
    pub score: f64,
    /// Whether a veto already applies (its score counts as zero).
    #[serde(default)]
    pub vetoed: bool,
    /// Last year's place from the bottom and score, for 连续两年.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<LastYear>,
}

/// Last year's result of a cohort member.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastYear {
    /// Place from the bottom (1 = last).
    pub from_bottom: u32,
    /// Score.
    pub score: f64,
}

/// `rank`: a cohort with scores.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankRequest {
    /// The ranking (rulebook key).
    pub ranking: String,
    /// The day of the ranking.
    pub on: Date,
    /// The cohort.
    pub cohort: Vec<CohortMember>,
}

/// A member's ranked result.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RankedOut<'r> {
    /// The name.
    pub name: String,
    /// The score ranked (zero when vetoed).
    pub score: f64,
    /// Rank from the top (1 = best; ties share the better rank).
    pub rank: u32,
    /// Place from the bottom (1 = last; ties share the place nearer the bottom).
    pub from_bottom: u32,
    /// The cut-offs it falls within.
    pub cutoffs: Vec<&'r str>,
    /// The outcomes that follow, each cited.
    pub outcomes: Vec<RankOutcomeOut<'r>>,
}

/// An outcome of a cut-off for a member.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RankOutcomeOut<'r> {
    /// The cut-off.
    pub cutoff: &'r str,
    /// The outcome key.
    pub outcome: &'r str,
    /// The rule.
    pub rule: &'r str,
    /// The citation.
    pub citation: &'r str,
    /// The modality.
    pub modality: Modality,
    /// In words.
    pub text: &'r Text,
    /// A listing it leads to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<&'r ListingOutcome>,
    /// Whether the score becomes zero (and a veto applies).
    pub score_zero: bool,
}

/// The answer of `rank`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RankAnswer<'r> {
    /// The ranking.
    pub ranking: &'r str,
    /// The tie rule, in words.
    pub tie_rule: Text,
    /// Every member, in the order given.
    pub members: Vec<RankedOut<'r>>,
    /// Cited rules, notes, trail.
    #[serde(flatten)]
    pub explained: Explained<'r>,
}

pub(crate) fn read_rank(ctx: &mut Ctx, rb: &Rulebook, v: &Json<'_>) -> Option<RankRequest> {
    let root = Loc::Root;
    let a = rb.file().assessment.as_ref()?;
    let m = ctx.obj(v, &root, &["ranking", "on", "cohort"])?;
    let before = ctx.errors.len();
    let keys: Vec<&str> = a.rankings.iter().map(|r| r.key.as_str()).collect();
    let ranking = ctx
        .req(m, &root, "ranking")
        .and_then(|x| ctx.key_of(x, &root.key("ranking"), ("排名", "ranking"), &keys))
        .map(str::to_owned);
    let on = ctx.req(m, &root, "on").and_then(|x| ctx.date(x, &root.key("on")));
    let l = root.key("cohort");
    let mut cohort = Vec::new();
    let mut names: std::collections::HashSet<String, crate::rulebook::SetState> = std::collections::HashSet::default();
    if let Some(arr) = ctx.req(m, &root, "cohort").and_then(|x| ctx.array(x, &l)) {
        if arr.is_empty() {
            ctx.err(ErrorCode::Empty, &l, "cohort 不得为空".into(), "cohort must not be empty".into());
        }
        for (i, x) in arr.iter().enumerate() {
            let li = l.index(i);
            let Some(mm) = ctx.obj(x, &li, &["name", "score", "vetoed", "last_year"]) else {
                continue;
            };
            let name = ctx.req(mm, &li, "name").and_then(|y| ctx.string(y, &li.key("name"))).map(str::to_owned);
            let score = ctx.req(mm, &li, "score").and_then(|y| score_of(ctx, y, &li.key("score")));
            let vetoed = Ctx::opt(mm, "vetoed").and_then(|y| ctx.bool(y, &li.key("vetoed"))).unwrap_or(false);
            let last_year = Ctx::opt(mm, "last_year").and_then(|y| {
                let ll = li.key("last_year");
                let lm = ctx.obj(y, &ll, &["from_bottom", "score"])?;
                let fb = ctx.req(lm, &ll, "from_bottom").and_then(|z| ctx.uint(z, &ll.key("from_bottom"), 100_000));
                let sc = ctx.req(lm, &ll, "score").and_then(|z| score_of(ctx, z, &ll.key("score")));
                Some(LastYear {
                    from_bottom: u32::try_from(fb?).ok()?,
                    score: sc?,
                })
            });
            if let (Some(name), Some(score)) = (name, score) {
                if !names.insert(name.clone()) {
                    ctx.err(
                        ErrorCode::Duplicate,
                        &li.key("name"),
                        format!("{} 重复：{name}", li.render()),
                        format!("{}: {name} appears twice", li.render()),
                    );
                }
                cohort.push(CohortMember {
                    name,
                    score,
                    vetoed,
                    last_year,
                });
            }
        }
    }
    if ctx.errors.len() != before {
        return None;
    }
    Some(RankRequest {
        ranking: ranking?,
        on: on?,
        cohort,
    })
}

/// A typed cohort checked as the JSON path checks it: not empty, every
/// score (and last year's) a finite non-negative number, no name twice.
fn check_cohort(cohort: &[CohortMember]) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    if cohort.is_empty() {
        errors.push(FieldError::at(
            ErrorCode::Empty,
            "cohort",
            "cohort 不得为空".into(),
            "cohort must not be empty".into(),
        ));
    }
    let bad_score = |path: String, n: f64| {
        FieldError::at(
            ErrorCode::OutOfRange,
            &path,
            format!("{path} 应为非负分数，收到 {}", Num(n)),
            format!("{path} must be a non-negative score, got {}", Num(n)),
        )
    };
    let mut seen: std::collections::HashSet<&str, crate::rulebook::SetState> =
        std::collections::HashSet::with_capacity_and_hasher(cohort.len(), crate::rulebook::SetState::default());
    for (i, m) in cohort.iter().enumerate() {
        if !(m.score.is_finite() && m.score >= 0.0) {
            errors.push(bad_score(format!("cohort[{i}].score"), m.score));
        }
        if let Some(ly) = m.last_year.as_ref().filter(|ly| !(ly.score.is_finite() && ly.score >= 0.0)) {
            errors.push(bad_score(format!("cohort[{i}].last_year.score"), ly.score));
        }
        if !seen.insert(m.name.as_str()) {
            let path = format!("cohort[{i}].name");
            errors.push(FieldError::at(
                ErrorCode::Duplicate,
                &path,
                format!("{path} 重复：{}", m.name),
                format!("{path}: {} appears twice", m.name),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors { errors })
    }
}

fn score_of(ctx: &mut Ctx, v: &Json<'_>, loc: &Loc<'_>) -> Option<f64> {
    match v.as_f64() {
        Some(n) if v.is_number() && n.is_finite() && n >= 0.0 => Some(n),
        _ => {
            ctx.err(
                ErrorCode::OutOfRange,
                loc,
                format!("{} 应为非负分数，收到 {}", loc.render(), crate::read::show(v)),
                format!("{} must be a non-negative score, got {}", loc.render(), crate::read::show(v)),
            );
            None
        }
    }
}

/// `rank`: ranks a cohort and applies the ranking's cut-offs.
///
/// Tie rule: an area's place from the bottom is 1 plus the number of areas
/// with a strictly lower score, so areas tied at a cut-off are all inside it
/// (treated alike); its rank from the top is 1 plus the number with a
/// strictly higher score. A vetoed area ranks with a score of zero.
///
/// # Errors
/// [`InputErrors`] when the rulebook has no such ranking, or, all at once,
/// for an empty cohort, a score (or last year's) that is not a finite
/// non-negative number, a name that appears twice.
///
/// # Example
/// ```
/// use jindu::{Registry, assess::{rank, RankRequest}, Options};
/// let rb = Registry::builtin().unwrap().get("sinan-county-20xx-assessment").unwrap();
/// let req: RankRequest = serde_json::from_value(serde_json::json!({
///     "ranking": "provincial_survey", "on": "2019-12-31",
///     "cohort": [{"name": "甲县", "score": 90}, {"name": "乙县", "score": 70}, {"name": "丙县", "score": 80}]
/// })).unwrap();
/// let a = rank(rb, &req, Options::default()).unwrap();
/// assert_eq!(a.members[1].from_bottom, 1);
/// ```
pub fn rank<'r>(rb: &'r Rulebook, req: &RankRequest, opts: crate::ops::Options) -> Result<RankAnswer<'r>, InputErrors> {
    let Some(a) = rb.file().assessment.as_ref() else {
        return Err(not_in_rulebook(rb, "排名 (ranking)"));
    };
    let Some(r) = a.rankings.iter().find(|r| r.key == req.ranking) else {
        return Err(InputErrors {
            errors: vec![FieldError::at(
                ErrorCode::UnknownValue,
                "ranking",
                format!("规则集没有排名 {}", req.ranking),
                format!("the rulebook has no ranking {}", req.ranking),
            )],
        });
    };
    check_cohort(&req.cohort)?;
    let mut t = Trail::new(rb, opts.explain);
    note_unknown_date(&mut t);
    t.cite(&r.rule);
    let scores: Vec<f64> = req.cohort.iter().map(|m| if m.vetoed { 0.0 } else { m.score }).collect();
    // Places by binary search in the sorted scores (every score is finite,
    // checked above): the same counts as comparing with every member, in
    // n log n rather than n².
    let mut sorted = scores.clone();
    heap_sort(&mut sorted);
    let mut members = Vec::with_capacity(req.cohort.len());
    for (m, &s) in req.cohort.iter().zip(&scores) {
        let lower = sorted.partition_point(|x| *x < s);
        let higher = sorted.len() - sorted.partition_point(|x| *x <= s);
        let from_bottom = u32::try_from(lower + 1).unwrap_or(u32::MAX);
        let rank = u32::try_from(higher + 1).unwrap_or(u32::MAX);
        let mut cutoffs = Vec::new();
        let mut outcomes = Vec::new();
        for c in &r.cutoffs {
            let inside = |fb: u32, sc: f64| fb <= c.bottom && c.score.as_ref().is_none_or(|b| b.op.holds(sc, b.value));
            let mut hit = inside(from_bottom, s);
            if hit && c.consecutive_years > 1 {
                match &m.last_year {
                    Some(ly) => hit = inside(ly.from_bottom, ly.score),
                    None => {
                        hit = false;
                        t.note(
                            "not_supplied",
                            Some(&c.rule),
                            format!("{}：连续年份的条件需要上一年的排名与分数（未提供）", m.name),
                            format!("{}: the consecutive-year condition needs last year's place and score (not supplied)", m.name),
                        );
                    }
                }
            }
            let rule = t.id(&c.rule);
            t.step(
                &c.rule,
                if hit { "inside" } else { "outside" },
                || vec![("from_bottom", Val::Int(i64::from(from_bottom))), ("score", num(s))],
                || {
                    let bound = c.score.as_ref().map(|b| format!("且分数{}{}", Num(b.value), b.word)).unwrap_or_default();
                    let bound_en = c
                        .score
                        .as_ref()
                        .map(|b| format!(" and a score {} {}", b.op.symbol(), Num(b.value)))
                        .unwrap_or_default();
                    (
                        format!("{}：倒数第{}名，分数 {}；标准：后{}名{bound}", m.name, from_bottom, Num(s), c.bottom),
                        format!(
                            "{}: {} from the bottom, score {}; cut-off: bottom {}{bound_en}",
                            m.name,
                            from_bottom,
                            Num(s),
                            c.bottom
                        ),
                    )
                },
            );
            if hit {
                cutoffs.push(c.key.as_str());
                for o in &c.outcomes {
                    outcomes.push(RankOutcomeOut {
                        cutoff: &c.key,
                        outcome: &o.key,
                        rule,
                        citation: rb.citation_text(rule),
                        modality: o.modality,
                        text: &o.text,
                        listing: o.listing.as_ref(),
                        score_zero: o.score_zero,
                    });
                }
            }
        }
        let score = if outcomes.iter().any(|o| o.score_zero) { 0.0 } else { s };
        members.push(RankedOut {
            name: m.name.clone(),
            score,
            rank,
            from_bottom,
            cutoffs,
            outcomes,
        });
    }
    Ok(RankAnswer {
        ranking: &r.key,
        tie_rule: Text {
            zh: "并列者名次相同：倒数名次 = 1 + 分数严格更低者的数目，故在分界线上并列者一并计入".into(),
            en: "ties share a place: place from the bottom = 1 + the number with a strictly lower score, so areas tied at a cut-off are all inside it".into(),
        },
        members,
        explained: t.finish(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fit_operators() {
        assert!(word_fits(Op::Gte, "以上"));
        assert!(word_fits(Op::Gte, "达到…以上"));
        assert!(word_fits(Op::Gt, "超过"));
        assert!(!word_fits(Op::Gte, "超过"));
        assert!(!word_fits(Op::Gt, "以上"));
        assert!(word_fits(Op::Lt, "低于"));
        assert!(!word_fits(Op::Lte, "低于"));
        assert!(word_fits(Op::Lte, "以下"));
        assert!(word_fits(Op::Eq, "不发生"));
    }

    #[test]
    fn heap_sort_is_sort_by_total_cmp() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for n in 0..200 {
            let mut v: Vec<f64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    match seed >> 61 {
                        0 => 0.0,
                        1 => -0.0,
                        2 => f64::from((seed >> 40) as u8 % 4),
                        3 => f64::INFINITY,
                        _ => f64::from_bits(seed >> 2) - 1e300,
                    }
                })
                .collect();
            let mut want = v.clone();
            want.sort_by(f64::total_cmp);
            heap_sort(&mut v);
            assert_eq!(
                v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn bands_overlap_and_gaps() {
        let mut p = Vec::new();
        check_bands(
            "x",
            &[
                Band {
                    from: 95.0,
                    below: Some(98.0),
                    points: 3.0,
                },
                Band {
                    from: 98.0,
                    below: None,
                    points: 5.0,
                },
            ],
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        check_bands(
            "x",
            &[
                Band {
                    from: 95.0,
                    below: Some(99.0),
                    points: 3.0,
                },
                Band {
                    from: 98.0,
                    below: None,
                    points: 5.0,
                },
            ],
            &mut p,
        );
        assert!(p.iter().any(|x| x.msg_en.contains("overlap") && x.msg_zh.contains("重叠")));
        p.clear();
        check_bands(
            "x",
            &[
                Band {
                    from: 90.0,
                    below: Some(95.0),
                    points: 3.0,
                },
                Band {
                    from: 98.0,
                    below: None,
                    points: 5.0,
                },
            ],
            &mut p,
        );
        assert!(p.iter().any(|x| x.msg_en.contains("gap") && x.msg_zh.contains("空档")));
    }

    #[test]
    fn growth_rate_needs_three_periods() {
        let tr = TrendDef {
            key: "k".into(),
            name: Text::default(),
            rule: "r".into(),
            direction: Direction::Fall,
            measure: TrendMeasure::GrowthRate,
            by_percent: None,
            group: None,
        };
        assert_eq!(trend_status(&tr, Some(&[100.0, 120.0])).0, Status::Missing);
        assert_eq!(trend_status(&tr, Some(&[100.0, 120.0, 130.0])).0, Status::Met); // 20% then 8.3%
        assert_eq!(trend_status(&tr, Some(&[100.0, 110.0, 121.0])).0, Status::Unchanged);
        // 10% then 10%
    }
}
