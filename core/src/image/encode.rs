//! The writer of the rulebook image format (see [`super`] for the reader).
//!
//! This file is compiled twice: by `core/build.rs` (with `#[path]`), which
//! turns each `spec/rulebooks/*.json` into an image at build time, and by the
//! library's tests. It uses nothing but `serde_json::Value` and std.
//!
//! ```text
//! image  := count(strings) { count(bytes) utf8 }*  value
//! value  := NULL | FALSE | TRUE
//!         | UINT varint | NEGINT varint(!n) | FLOAT f64-le
//!         | STR varint(string index)
//!         | ARRAY count value*
//!         | OBJECT count { varint(key's string index) value }*
//! count, varint := unsigned LEB128
//! ```
//!
//! Every string (keys and values) is stored once, in order of first use;
//! objects keep their keys in the order of the text (`preserve_order`), and
//! numbers keep the kind serde_json parsed them as (u64, i64 or f64, bit for
//! bit), so the image decodes to the very `Value` the text parses to.

use serde_json::Value;
use std::collections::HashMap;

/// The tag byte of each kind of value.
pub mod tag {
    /// `null`.
    pub const NULL: u8 = 0;
    /// `false`.
    pub const FALSE: u8 = 1;
    /// `true`.
    pub const TRUE: u8 = 2;
    /// An integer ≥ 0: varint.
    pub const UINT: u8 = 3;
    /// An integer < 0: varint of its bitwise complement.
    pub const NEGINT: u8 = 4;
    /// Any other number: the f64, 8 bytes little-endian.
    pub const FLOAT: u8 = 5;
    /// A string: varint index into the string table.
    pub const STR: u8 = 6;
    /// An array: count, then the items.
    pub const ARRAY: u8 = 7;
    /// An object: count, then (key's string index, value) pairs.
    pub const OBJECT: u8 = 8;
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Writer<'v> {
    strings: Vec<&'v str>,
    index: HashMap<&'v str, u64>,
    body: Vec<u8>,
}

impl<'v> Writer<'v> {
    fn string(&mut self, s: &'v str) {
        let next = self.strings.len() as u64;
        let i = *self.index.entry(s).or_insert(next);
        if i == next {
            self.strings.push(s);
        }
        varint(&mut self.body, i);
    }

    fn value(&mut self, v: &'v Value) {
        match v {
            Value::Null => self.body.push(tag::NULL),
            Value::Bool(false) => self.body.push(tag::FALSE),
            Value::Bool(true) => self.body.push(tag::TRUE),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    self.body.push(tag::UINT);
                    varint(&mut self.body, u);
                } else if let Some(i) = n.as_i64() {
                    self.body.push(tag::NEGINT);
                    varint(&mut self.body, !(i as u64));
                } else {
                    self.body.push(tag::FLOAT);
                    self.body.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
                }
            }
            Value::String(s) => {
                self.body.push(tag::STR);
                self.string(s);
            }
            Value::Array(a) => {
                self.body.push(tag::ARRAY);
                varint(&mut self.body, a.len() as u64);
                for x in a {
                    self.value(x);
                }
            }
            Value::Object(m) => {
                self.body.push(tag::OBJECT);
                varint(&mut self.body, m.len() as u64);
                for (k, x) in m {
                    self.string(k);
                    self.value(x);
                }
            }
        }
    }
}

/// The image of a JSON value.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut w = Writer {
        strings: Vec::new(),
        index: HashMap::new(),
        body: Vec::new(),
    };
    w.value(v);
    let mut out = Vec::new();
    varint(&mut out, w.strings.len() as u64);
    for s in &w.strings {
        varint(&mut out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&w.body);
    out
}
