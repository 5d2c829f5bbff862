//! The built-in rulebooks as images: `core/build.rs` turns each
//! `spec/rulebooks/*.json` into a compact binary form of the same JSON value
//! ([`encode`] describes it), and this module reads it back with a small serde
//! `Deserializer`.
//!
//! Why: the WASM package is sent over the network, and parsing the rulebooks'
//! JSON at start-up with `serde_json::from_str` was its largest part: the
//! derived `Deserialize` code of every rulebook type instantiated for
//! serde_json's text parser (field names matched as text, structs also read
//! from arrays, whitespace, escapes, number parsing, error positions). This
//! reader has none of that: strings are stored once and borrowed, numbers are
//! stored as parsed, and a struct is handed to the derived code as the
//! sequence of its fields, so the derived field-name matching is not compiled
//! in either. The image holds the value the text parses to, key order and
//! number kinds included, so a rulebook decoded from it is the one
//! `serde_json::from_str` gives (a test compares them, and the text written
//! back from the image with the text in `spec/rulebooks/`, byte for byte).
//!
//! User rulebooks are still read from JSON text ([`crate::Rulebook::from_json`]).

use serde::de::{self, DeserializeSeed, Visitor};
use std::fmt;

#[allow(dead_code)] // `encode` runs in build.rs (which includes the file) and in the tests.
pub(crate) mod encode;
use encode::tag;

/// A built-in rulebook image that does not decode: a build defect, which the
/// tests would catch (they decode every built-in image).
///
/// It is zero-sized in a release build: the derived code of every rulebook
/// type moves the error through each of its fields' error paths, and a
/// message there cost the WASM package 8 KB gzip for an error that cannot
/// happen. Debug builds (the tests) keep serde's message.
#[derive(Debug)]
pub(crate) struct Corrupt {
    #[cfg(debug_assertions)]
    msg: String,
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the built-in rulebook image does not decode")?;
        #[cfg(debug_assertions)]
        write!(f, ": {}", self.msg)?;
        Ok(())
    }
}

impl std::error::Error for Corrupt {}

impl de::Error for Corrupt {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        #[cfg(not(debug_assertions))]
        let _ = msg;
        Corrupt {
            #[cfg(debug_assertions)]
            msg: msg.to_string(),
        }
    }
}

fn corrupt() -> Corrupt {
    Corrupt {
        #[cfg(debug_assertions)]
        msg: "malformed".to_owned(),
    }
}

/// Decodes an image into `T`.
pub(crate) fn decode<'a, T: de::Deserialize<'a>>(image: &'a [u8]) -> Result<T, Corrupt> {
    let mut r = Reader::new(image)?;
    let v = T::deserialize(&mut r)?;
    if r.pos == r.bytes.len() {
        Ok(v)
    } else {
        Err(corrupt())
    }
}

/// The JSON text an image was made from (`spec/rulebooks/` are written as
/// serde_json writes them pretty, so this is that text byte for byte).
///
/// Written straight from the image, as `serde_json::to_string_pretty` of the
/// `Value` it holds would write it (two spaces, `": "`, `[]` and `{}` when
/// empty, serde_json's escapes and numbers), without building that `Value`:
/// the WASM package then contains no `serde_json::Value` (its maps, its
/// serialiser, the pretty formatter). A test compares the text with the file.
pub(crate) fn json_text(image: &[u8]) -> Result<String, Corrupt> {
    let mut r = Reader::new(image)?;
    let mut out = String::with_capacity(image.len().saturating_mul(2));
    r.pretty(&mut out, 0)?;
    if r.pos == r.bytes.len() {
        Ok(out)
    } else {
        Err(corrupt())
    }
}

/// A newline and the indentation of a line at `depth`.
fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A string, quoted and escaped as serde_json escapes it.
fn quoted(out: &mut String, s: &str) {
    out.push('"');
    crate::json::escape_into(out, s);
    out.push('"');
}

/// A reader over one image.
struct Reader<'a> {
    strings: Vec<&'a str>,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Result<Reader<'a>, Corrupt> {
        let mut r = Reader {
            strings: Vec::new(),
            bytes,
            pos: 0,
        };
        let n = r.count()?;
        r.strings.reserve(n);
        for _ in 0..n {
            let len = r.count()?;
            let s = r.take(len)?;
            r.strings.push(std::str::from_utf8(s).map_err(|_| corrupt())?);
        }
        Ok(r)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], Corrupt> {
        let end = self.pos.checked_add(len).ok_or_else(corrupt)?;
        let s = self.bytes.get(self.pos..end).ok_or_else(corrupt)?;
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, Corrupt> {
        let b = self.bytes.get(self.pos).copied().ok_or_else(corrupt)?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, Corrupt> {
        let mut n = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            if shift > 63 {
                return Err(corrupt());
            }
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
            shift += 7;
        }
    }

    fn count(&mut self) -> Result<usize, Corrupt> {
        usize::try_from(self.varint()?).map_err(|_| corrupt())
    }

    fn string(&mut self) -> Result<&'a str, Corrupt> {
        let i = self.count()?;
        self.strings.get(i).copied().ok_or_else(corrupt)
    }

    fn f64(&mut self) -> Result<f64, Corrupt> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(f64::from_le_bytes(b))
    }

    /// Reads a tag and checks it; then the count of an array or object.
    fn open(&mut self, want: u8) -> Result<usize, Corrupt> {
        if self.byte()? == want {
            self.count()
        } else {
            Err(corrupt())
        }
    }

    fn str_value(&mut self) -> Result<&'a str, Corrupt> {
        if self.byte()? == tag::STR {
            self.string()
        } else {
            Err(corrupt())
        }
    }

    /// Reads an object as a struct with these fields: where each field's
    /// value starts ([`ABSENT`] if it is not there), and where the object ends.
    /// Not inlined: it would be copied into every struct's code.
    #[inline(never)]
    fn struct_fields(&mut self, fields: &[&str]) -> Result<([usize; MAX_FIELDS], usize), Corrupt> {
        let n = self.open(tag::OBJECT)?;
        let mut at = [ABSENT; MAX_FIELDS];
        for _ in 0..n {
            let key = self.string()?;
            let i = fields.iter().position(|f| *f == key).ok_or_else(corrupt)?;
            *at.get_mut(i).ok_or_else(corrupt)? = self.pos;
            self.skip()?;
        }
        Ok((at, self.pos))
    }

    /// Reads an enum's variant name, and whether it comes bare (a unit
    /// variant) or as the one key of an object (before its content).
    #[inline(never)]
    fn enum_head(&mut self) -> Result<(&'a str, bool), Corrupt> {
        let unit = match self.byte()? {
            tag::STR => true,
            tag::OBJECT if self.count()? == 1 => false,
            _ => return Err(corrupt()),
        };
        Ok((self.string()?, unit))
    }

    /// Skips one value.
    fn skip(&mut self) -> Result<(), Corrupt> {
        match self.byte()? {
            tag::NULL | tag::FALSE | tag::TRUE => Ok(()),
            tag::UINT | tag::NEGINT | tag::STR => self.varint().map(drop),
            tag::FLOAT => self.take(8).map(drop),
            tag::ARRAY => (0..self.count()?).try_for_each(|_| self.skip()),
            tag::OBJECT => (0..self.count()?).try_for_each(|_| {
                self.varint()?;
                self.skip()
            }),
            _ => Err(corrupt()),
        }
    }

    /// Writes one value as pretty JSON text (see [`json_text`]).
    fn pretty(&mut self, out: &mut String, depth: usize) -> Result<(), Corrupt> {
        match self.byte()? {
            tag::NULL => out.push_str("null"),
            tag::FALSE => out.push_str("false"),
            tag::TRUE => out.push_str("true"),
            tag::UINT => out.push_str(&self.varint()?.to_string()),
            tag::NEGINT => out.push_str(&(!self.varint()? as i64).to_string()),
            tag::FLOAT => out.push_str(&crate::json::to_string(&self.f64()?).map_err(|_| corrupt())?),
            tag::STR => quoted(out, self.string()?),
            tag::ARRAY => {
                let n = self.count()?;
                out.push('[');
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    self.pretty(out, depth + 1)?;
                }
                if n > 0 {
                    newline(out, depth);
                }
                out.push(']');
            }
            tag::OBJECT => {
                let n = self.count()?;
                out.push('{');
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    quoted(out, self.string()?);
                    out.push_str(": ");
                    self.pretty(out, depth + 1)?;
                }
                if n > 0 {
                    newline(out, depth);
                }
                out.push('}');
            }
            _ => return Err(corrupt()),
        }
        Ok(())
    }

    fn number<'de, V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, Corrupt> {
        match self.byte()? {
            tag::UINT => v.visit_u64(self.varint()?),
            tag::NEGINT => v.visit_i64(!self.varint()? as i64),
            tag::FLOAT => v.visit_f64(self.f64()?),
            _ => Err(corrupt()),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Corrupt;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        match self.bytes.get(self.pos).copied() {
            Some(tag::NULL) => {
                self.pos += 1;
                v.visit_unit()
            }
            Some(tag::FALSE | tag::TRUE) => self.deserialize_bool(v),
            Some(tag::UINT | tag::NEGINT | tag::FLOAT) => self.number(v),
            Some(tag::STR) => self.deserialize_str(v),
            Some(tag::ARRAY) => self.deserialize_seq(v),
            Some(tag::OBJECT) => self.deserialize_map(v),
            _ => Err(corrupt()),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        match self.byte()? {
            tag::FALSE => v.visit_bool(false),
            tag::TRUE => v.visit_bool(true),
            _ => Err(corrupt()),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.number(v)
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_str(v)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        v.visit_borrowed_str(self.str_value()?)
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_str(v)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_str(v)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_any(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_any(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        if self.bytes.get(self.pos) == Some(&tag::NULL) {
            self.pos += 1;
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        if self.byte()? == tag::NULL {
            v.visit_unit()
        } else {
            Err(corrupt())
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_unit(v)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, Corrupt> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        let left = self.open(tag::ARRAY)?;
        v.visit_seq(Seq { r: self, left })
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_seq(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, v: V) -> Result<V::Value, Corrupt> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        let left = self.open(tag::OBJECT)?;
        v.visit_map(Map { r: self, left })
    }
    /// A struct is handed to the derived code as the sequence of its fields
    /// in declaration order (`visit_seq`), an absent field as the end of the
    /// sequence at its place, for which the derived code takes the field's
    /// `default` (or reports it missing). So the larger `visit_map` form of
    /// every rulebook type (keys matched one by one, duplicates, unknown
    /// keys) is not compiled in. A key that is not a field is an error.
    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, fields: &'static [&'static str], v: V) -> Result<V::Value, Corrupt> {
        let (at, end) = self.struct_fields(fields)?;
        let value = v.visit_seq(Fields { r: self, at, next: 0 })?;
        self.pos = end;
        Ok(value)
    }

    /// An externally tagged enum, as serde_json writes it: `"variant"`, or
    /// `{"variant": content}`.
    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, variants: &'static [&'static str], v: V) -> Result<V::Value, Corrupt> {
        let (key, unit) = self.enum_head()?;
        v.visit_enum(Variant {
            r: self,
            key,
            names: variants,
            unit,
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        self.skip()?;
        v.visit_unit()
    }
}

/// An object key: a map's key as a string; an enum's variant name as the
/// index of its name in the `variants` list the derived code gives, which is
/// what its `visit_u64` reads (an unknown name becomes an index past the end,
/// which the derived code rejects).
/// The index of a name in a list, or the list's length if it is not there.
#[inline(never)]
fn index_of(names: &[&str], key: &str) -> u64 {
    names.iter().position(|n| *n == key).unwrap_or(names.len()) as u64
}

struct Key<'de> {
    key: &'de str,
    names: &'static [&'static str],
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Corrupt;

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        v.visit_u64(index_of(self.names, self.key))
    }

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Corrupt> {
        v.visit_borrowed_str(self.key)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum ignored_any
    }
}

struct Seq<'r, 'de> {
    r: &'r mut Reader<'de>,
    left: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = Corrupt;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Corrupt> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The most fields a struct of the rulebook format may have.
const MAX_FIELDS: usize = 32;
/// The position of a field that is absent.
const ABSENT: usize = usize::MAX;

/// The fields of a struct: where each one's value starts, in declaration order.
struct Fields<'r, 'de> {
    r: &'r mut Reader<'de>,
    at: [usize; MAX_FIELDS],
    next: usize,
}

impl<'de> de::SeqAccess<'de> for Fields<'_, 'de> {
    type Error = Corrupt;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Corrupt> {
        let pos = self.at.get(self.next).copied().unwrap_or(ABSENT);
        self.next += 1;
        if pos == ABSENT {
            return Ok(None);
        }
        self.r.pos = pos;
        seed.deserialize(&mut *self.r).map(Some)
    }
}

struct Map<'r, 'de> {
    r: &'r mut Reader<'de>,
    left: usize,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = Corrupt;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Corrupt> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.r.string()?;
        seed.deserialize(Key { key, names: &[] }).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Corrupt> {
        seed.deserialize(&mut *self.r)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Variant<'r, 'de> {
    r: &'r mut Reader<'de>,
    key: &'de str,
    names: &'static [&'static str],
    /// Written as a bare string (no content).
    unit: bool,
}

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Corrupt;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), Corrupt> {
        let v = seed.deserialize(Key {
            key: self.key,
            names: self.names,
        })?;
        Ok((v, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Corrupt;

    fn unit_variant(self) -> Result<(), Corrupt> {
        if self.unit {
            Ok(())
        } else {
            de::Deserializer::deserialize_unit(self.r, de::IgnoredAny).map(drop)
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Corrupt> {
        if self.unit {
            return Err(corrupt());
        }
        seed.deserialize(self.r)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Corrupt> {
        if self.unit {
            return Err(corrupt());
        }
        de::Deserializer::deserialize_seq(self.r, v)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], v: V) -> Result<V::Value, Corrupt> {
        if self.unit {
            return Err(corrupt());
        }
        de::Deserializer::deserialize_struct(self.r, "", fields, v)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn values_round_trip() {
        let text = r#"{"b": [true, false, null, 0, 1, 300, -1, -9223372036854775808, 18446744073709551615, 0.5, -2.5e-7, 95.0],
            "a": {"x": "一", "y": "一", "z": {}}, "e": []}"#;
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        let back: serde_json::Value = decode(&encode::encode(&v)).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&v).unwrap());
    }

    #[test]
    fn truncated_images_are_errors() {
        let v: serde_json::Value = serde_json::from_str(r#"{"a": [1, "x", 2.5, {"b": null}]}"#).unwrap();
        let image = encode::encode(&v);
        for n in 0..image.len() {
            assert!(decode::<serde_json::Value>(image.get(..n).unwrap()).is_err());
        }
    }
}
