//! # jindu-tree
//!
//! A parsed JSON document for the request reader of `jindu`: strings borrowed from the
//! call's text where they have no escapes, objects as a vector of entries,
//! and its reader ([`parse`]).
//!
//! `serde_json::Value` (with `preserve_order`) gives every object an
//! `IndexMap` with a SipHash table and every string its own allocation; a
//! call's objects have a handful of keys each, read once. Reading into this
//! tree instead was about half of a `validate` call. It keeps `Value`'s
//! meaning: a repeated key keeps its first place and its last value (what
//! `IndexMap::insert` does), numbers are `serde_json::Number` made the way
//! `Value` makes them, and the text of a value (for messages) is the same.
//!
//! The reader is our own ([`parse`], in `parse.rs`, floats in `float.rs`),
//! not serde_json's deserializer: the same trees and the same errors
//! (message, line, column) as `serde_json::from_str` into a `Value`, tested
//! against it, without serde_json's float tables, which were the largest
//! part of the WASM package that could go (DESIGN.md, "Why jindu reads JSON
//! itself"). It is a crate of its own (used only by `jindu-core`) so that the
//! reading of a call's text is compiled at a higher opt-level than the rest
//! of the size-optimised WASM package (`[profile.release-wasm.package.jindu-tree]`).

mod float;
mod parse;

pub use parse::{parse, Error};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};
use std::borrow::Cow;

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

#[cfg(test)]
mod tests;
