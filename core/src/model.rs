//! The domain model: levels, areas, issuers, categories, tiers, listings, officials.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// A fixed list of named values, each with a wire name and Chinese and English words.
pub trait Named: Sized + Copy + 'static {
    /// Every value with its wire name.
    const ALL: &'static [(&'static str, Self)];
    /// What the value is, in Chinese and English (for error messages).
    const WHAT: (&'static str, &'static str);
    /// The wire name.
    fn name(self) -> &'static str;
    /// Looks a value up by its wire name.
    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, v)| *v)
    }
    /// The wire names, comma-separated, for messages.
    fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident, $what_zh:literal, $what_en:literal, { $($(#[$vm:meta])* $var:ident = $wire:literal),+ $(,)? }) => {
        $(#[$m])*
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl Named for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($wire, $name::$var)),+];
            const WHAT: (&'static str, &'static str) = ($what_zh, $what_en);
            fn name(self) -> &'static str { match self { $($name::$var => $wire),+ } }
        }
    };
}

named_enum!(
    /// Administrative levels, from the top: 国家 > 省 > 市/州 > 县/市/区 > 乡镇/街道/园区 > 村/社区.
    Level, "行政层级", "administrative level", {
    /// 国家
    National = "national",
    /// 省、自治区、直辖市
    Province = "province",
    /// 市、州 (prefecture level)
    Prefecture = "prefecture",
    /// 县、县级市、区
    County = "county",
    /// 乡镇、街道、园区
    Township = "township",
    /// 村、社区
    Village = "village",
    /// A unit that is not an area: a department, a committee member unit, a school (单位、部门、学校).
    Unit = "unit",
});

impl Level {
    /// The level in Chinese.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Level::National => "国家",
            Level::Province => "省",
            Level::Prefecture => "市（州）",
            Level::County => "县（市、区）",
            Level::Township => "乡镇（街道、园区）",
            Level::Village => "村（社区）",
            Level::Unit => "单位（部门、学校）",
        }
    }
}

named_enum!(
    /// The library's canonical tiers, mildest to most severe. Each rulebook
    /// names them in its own words (Hengyang county: 重点督办, 重点整治).
    Tier, "整治级别", "tier", {
    /// Not listed.
    None = "none",
    /// 重点关注
    Watch = "watch",
    /// 重点督办 / 通报警示
    Supervise = "supervise",
    /// 重点整治 / 挂牌整治
    Rectify = "rectify",
});

named_enum!(
    /// Where a listing stands.
    ListingStatus, "挂牌状态", "listing status", {
    /// In its original term (or in a new term after its tier was lowered).
    Active = "active",
    /// In an extended term (第十三条 or 第三十一条).
    Extended = "extended",
    /// Continued after a rectify term and its extension ran out unmet (第十三条: 继续挂牌整治).
    Continued = "continued",
    /// Cancelled (取消整治, 摘牌).
    Cancelled = "cancelled",
});

named_enum!(
    /// The persons responsible for drug-control work in an area
    /// (衡阳县禁毒重点整治工作方案 四(五)).
    Role, "责任人类别", "role", {
    /// 第一责任人: the principal head (主要负责人).
    FirstResponsible = "first_responsible",
    /// 直接责任人: the head in charge of drug-control work (分管负责人).
    DirectResponsible = "direct_responsible",
});

named_enum!(
    /// How binding a rule or measure is, as the text words it.
    Modality, "强制程度", "modality", {
    /// 应当、必须, or a plain declarative (予以、直接挂牌整治): must.
    Must = "must",
    /// 原则上: in principle, exceptions possible.
    InPrinciple = "in_principle",
    /// 可以、视情: may, as the case warrants; reported as available, never as imposed.
    May = "may",
});

named_enum!(
    /// On what basis a listing decision is taken.
    Basis, "评定依据", "basis", {
    /// The area's own annual application (第十五条).
    Application = "application",
    /// The office found it and proposes it though the area did not apply (第十六条).
    OfficeProposal = "office_proposal",
    /// The office's annual comprehensive assessment (第十九条).
    AnnualReview = "annual_review",
    /// Serious rebound after removal (第二十条).
    Rebound = "rebound",
});

named_enum!(
    /// What an area applies for at a review (第十五条、第十八条).
    Application, "申请事项", "application", {
    /// 延长 (第十三条, 第十八条)
    Extend = "extend",
    /// 降低级别 (第十四条)
    Lower = "lower",
    /// 取消整治 (第十四条)
    Cancel = "cancel",
});

/// An area: a township, village, county…
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The caller's identifier (an administrative code, say); optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name (三湖镇).
    pub name: String,
    /// The administrative level.
    pub level: Level,
}

/// An issuing body: the drug-control committee (禁毒委员会) of a level.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// The committee's level (a county committee lists townships).
    pub level: Level,
    /// Its name (衡阳县禁毒委员会); optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A listing: an area on an issuer's list at a tier.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// The caller's identifier; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The listed area.
    pub area: Area,
    /// Who listed it.
    pub issuer: Issuer,
    /// The tier.
    pub tier: Tier,
    /// The problem categories (第十条), keys of the rulebook's categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The day of the listing decision.
    pub listed_on: Date,
    /// The current last day of the term; computed from the rulebook when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
    /// Extensions already granted.
    #[serde(default)]
    pub extensions_used: u8,
    /// Where the listing stands.
    #[serde(default = "default_status")]
    pub status: ListingStatus,
}

const fn default_status() -> ListingStatus {
    ListingStatus::Active
}

/// An official responsible for drug-control work in the listed area.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Official {
    /// The name.
    pub name: String,
    /// First or direct responsible.
    pub role: Role,
    /// Since when the official has held this post in this area.
    pub in_post_since: Date,
    /// The caller's finding that the official's neglect of drug-control work
    /// led to the serious situation (因不重视禁毒工作、履职不力导致毒情严重,
    /// 第三十条第三项). A judgement for people: absent means not found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neglect_led_to_severity: Option<bool>,
}
