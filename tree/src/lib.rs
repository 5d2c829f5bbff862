//! # jindu-tree
//!
//! A parsed JSON document for the request reader of `jindu`: strings borrowed from the
//! call's text where they have no escapes, objects as a vector of entries.
//!
//! `serde_json::Value` (with `preserve_order`) gives every object an
//! `IndexMap` with a SipHash table and every string its own allocation; a
//! call's objects have a handful of keys each, read once. Reading into this
//! tree instead was about half of a `validate` call. It keeps `Value`'s
//! meaning: a repeated key keeps its first place and its last value (what
//! `IndexMap::insert` does), numbers are `serde_json::Number` made the way
//! `Value` makes them, and the text of a value (for messages) is the same.
//!
//! It is a crate of its own (used only by `jindu-core`) so that the reading
//! of a call's text, serde_json's parser instantiated for this tree in
//! [`parse`], is compiled at a higher opt-level than the rest of the
//! size-optimised WASM package (`[profile.release-wasm.package.jindu-tree]`):
//! generic code is built in the crate that instantiates it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// Reads JSON text into a tree (serde_json's parser, built in this crate).
///
/// # Errors
/// serde_json's error for text that is not JSON.
pub fn parse(text: &str) -> Result<Json<'_>, serde_json::Error> {
    serde_json::from_str(text)
}

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as `serde_json::Value` makes it.
    Number(Number),
    /// A string, borrowed from the text where it has no escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object.
    Object(Obj<'a>),
}

/// A JSON object: its entries in order, each key once.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Obj<'a> {
    entries: Vec<(Cow<'a, str>, Json<'a>)>,
}

impl<'a> Obj<'a> {
    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// Makes an object from entries in order, a repeated key keeping its
    /// first place and its last value.
    fn from_entries(entries: Vec<(Cow<'a, str>, Json<'a>)>) -> Obj<'a> {
        // (A set rather than sorting the keys: the sort at this crate's
        // opt-level was 9 KB of the WASM package.)
        let repeated = if entries.len() <= 16 {
            entries.iter().enumerate().any(|(i, (k, _))| entries.iter().skip(i + 1).any(|(j, _)| j == k))
        } else {
            let mut keys: std::collections::HashSet<&str, KeyState> = std::collections::HashSet::with_capacity_and_hasher(entries.len(), KeyState::default());
            !entries.iter().all(|(k, _)| keys.insert(k.as_ref()))
        };
        if !repeated {
            return Obj { entries };
        }
        let mut out: Vec<(Cow<'a, str>, Json<'a>)> = Vec::with_capacity(entries.len());
        let mut at: std::collections::HashMap<String, usize, KeyState> = std::collections::HashMap::default();
        for (k, v) in entries {
            match at.get(k.as_ref()) {
                Some(&i) => {
                    if let Some(slot) = out.get_mut(i) {
                        slot.1 = v;
                    }
                }
                None => {
                    at.insert(k.to_string(), out.len());
                    out.push((k, v));
                }
            }
        }
        Obj { entries: out }
    }
}

/// The hasher of sets of a caller's names (the keys of an object above,
/// `jindu-core`'s ranking cohort): SipHash with random keys natively; in
/// WASM (where std's random keys are fixed anyway, so nothing is lost) the
/// Fx hash, so that the package links neither SipHash nor the thread-local
/// state of `RandomState`.
#[cfg(not(target_arch = "wasm32"))]
pub type KeyState = std::collections::hash_map::RandomState;
/// See the native definition.
#[cfg(target_arch = "wasm32")]
pub type KeyState = std::hash::BuildHasherDefault<FxHasher>;

/// The Fx hash (rustc's): per 8-byte word, rotate, xor, multiply. Fast and
/// not keyed: for sets whose keys an attacker cannot choose to collide
/// (rule ids of a checked rulebook), or where std's keys are fixed anyway
/// (WASM). `jindu-core` uses this one too, for its rule index.
#[derive(Default, Clone, Copy, Debug)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl<'o, 'a> IntoIterator for &'o Obj<'a> {
    type Item = (&'o str, &'o Json<'a>);
    type IntoIter = std::iter::Map<std::slice::Iter<'o, (Cow<'a, str>, Json<'a>)>, fn(&'o (Cow<'a, str>, Json<'a>)) -> (&'o str, &'o Json<'a>)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> Json<'a> {
    /// The value of a key of an object.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as `f64`, if this is a number.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// Whether this is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// Whether this is a number.
    #[must_use]
    pub fn is_number(&self) -> bool {
        matches!(self, Json::Number(_))
    }

    /// A tree borrowing from a `Value` (for the entry points that take one).
    pub fn from_value(v: &'a Value) -> Json<'a> {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(a) => Json::Array(a.iter().map(Json::from_value).collect()),
            // a Map's keys are already unique
            Value::Object(m) => Json::Object(Obj {
                entries: m.iter().map(|(k, x)| (Cow::Borrowed(k.as_str()), Json::from_value(x))).collect(),
            }),
        }
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(x) => s.serialize_str(x),
            Json::Array(a) => {
                let mut q = s.serialize_seq(Some(a.len()))?;
                for x in a {
                    q.serialize_element(x)?;
                }
                q.end()
            }
            Json::Object(m) => {
                let mut q = s.serialize_map(Some(m.entries.len()))?;
                for (k, x) in &m.entries {
                    q.serialize_entry(k.as_ref(), x)?;
                }
                q.end()
            }
        }
    }
}

/// A key, borrowed from the text when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json<'de>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any valid JSON value")
            }
            fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
                Ok(Json::Number(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
                // as `Value` does: a float that is not finite is null
                Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Json<'de>, E> {
                Ok(Json::String(Cow::Owned(s)))
            }
            fn visit_none<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
                Deserialize::deserialize(d)
            }
            fn visit_unit<E>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Json<'de>, A::Error> {
                // serde_json gives no size hint: room for a few, as requests have
                let mut out = Vec::with_capacity(a.size_hint().unwrap_or(4).min(64));
                while let Some(x) = a.next_element()? {
                    out.push(x);
                }
                Ok(Json::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Json<'de>, A::Error> {
                let mut out = Vec::with_capacity(a.size_hint().unwrap_or(8).min(64));
                while let Some((Key(k), x)) = a.next_entry::<Key<'de>, Json<'de>>()? {
                    out.push((k, x));
                }
                Ok(Json::Object(Obj::from_entries(out)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    /// Parsing into the tree and into `Value` agree: the same text back, the
    /// same error for text that is not JSON.
    fn agree(text: &str) {
        let a: Result<Json<'_>, _> = serde_json::from_str(text);
        let b: Result<Value, _> = serde_json::from_str(text);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(serde_json::to_string(&a).unwrap(), b.to_string(), "{text}");
                assert_eq!(Json::from_value(&b), a, "{text}");
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text}"),
            (a, b) => panic!("{text}: {a:?} vs {b:?}"),
        }
    }

    #[test]
    fn like_value() {
        for t in [
            r#"{"a":1,"b":[1,2,{"c":null}],"a":2}"#,
            r#"{"x":"\"esc\"\u00e9\ud83d\ude00","y":-0,"z":-0.0,"w":1e400}"#,
            r#"{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":"again","k1":[]}"#,
            r#"{"a":"\ud800"}"#,
            r#"[1,2,"#,
            r#"{"a" 1}"#,
            "",
            "  true  ",
            "1.5e3",
            "18446744073709551616",
            "-9223372036854775809",
            r#"{"a":{"a":{"a":1},"a":2}}"#,
        ] {
            agree(t);
        }
        agree(&("[".repeat(200) + &"]".repeat(200)));
    }

    proptest! {
        #[test]
        fn any_text_like_value(s in r#"[\[\]{}",:0-9a-c \\.eE+\-nutrlf]{0,40}"#) {
            agree(&s);
        }
    }
}
