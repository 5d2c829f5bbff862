//! The built-in rulebooks as images: `core/build.rs` turns each
//! `spec/rulebooks/*.json` into a compact binary form of the same JSON value
//! ([`encode`] describes it), and this module reads it back with a reader
//! written by hand for each rulebook type ([`types`]).
//!
//! Why: the WASM package is sent over the network, and parsing the rulebooks'
//! JSON at start-up with `serde_json::from_str` was its largest part: the
//! derived `Deserialize` code of every rulebook type instantiated for
//! serde_json's text parser (field names matched as text, structs also read
//! from arrays, whitespace, escapes, number parsing, error positions). A
//! small serde `Deserializer` over the image still instantiated the derived
//! code of every type (its visitors, the error moved through every field, the
//! drop of the fields read so far on each early return: 12 KB gzip of the
//! package more than these readers). The readers here are plain functions: each struct
//! finds its fields by name once ([`Reader::obj`]), then reads each one in
//! place; an error does not return early but marks the reader bad and the
//! reading goes on over nothing (every read past the end gives an empty
//! value), so there is no error path in the types' code at all, and the
//! whole image is rejected at the end ([`decode`]).
//!
//! The image holds the value the text parses to, key order and number kinds
//! included, and the readers accept what the derived code accepts for it, so
//! a rulebook decoded from an image is the one `serde_json::from_str` gives:
//! tests compare them for every built-in rulebook and for variants of them
//! with a key removed or a value of another kind, and check the readers'
//! field and variant names against the rulebook's JSON Schema. The text
//! written back from the image is compared with the file, byte for byte.
//!
//! User rulebooks are still read from JSON text ([`crate::Rulebook::from_json`]).

use std::fmt;

#[allow(dead_code)] // `encode` runs in build.rs (which includes the file) and in the tests.
pub(crate) mod encode;
mod types;
use encode::tag;

/// A built-in rulebook image that does not decode: a build defect, which the
/// tests would catch (they decode every built-in image).
#[derive(Debug)]
pub(crate) struct Corrupt;

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("内置规则集映像无法解码 / the built-in rulebook image does not decode")
    }
}

impl std::error::Error for Corrupt {}

/// A type read from an image by hand (see the module's documentation).
pub(crate) trait FromImage: Sized {
    /// Reads one value; on a malformed image, marks the reader bad and
    /// returns some value of the type.
    fn read(r: &mut Reader<'_>) -> Self;
}

/// Decodes an image into `T`.
pub(crate) fn decode<T: FromImage>(image: &[u8]) -> Result<T, Corrupt> {
    let mut r = Reader::new(image);
    let v = T::read(&mut r);
    if !r.bad && r.pos == r.bytes.len() {
        Ok(v)
    } else {
        // Not dropped, as in `Registry::builtin`: no drop code for a defect.
        std::mem::forget(v);
        Err(Corrupt)
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
    let mut r = Reader::new(image);
    let mut out = String::with_capacity(image.len().saturating_mul(2));
    r.pretty(&mut out, 0);
    if !r.bad && r.pos == r.bytes.len() {
        Ok(out)
    } else {
        Err(Corrupt)
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

/// The most fields a struct of the rulebook format may have.
const MAX_FIELDS: usize = 24;
/// The position of a field that is absent.
const ABSENT: usize = usize::MAX;

/// An object read as a struct: where each field's value starts, in the
/// order of the struct's field list ([`ABSENT`] where it is not there).
/// `next` is the field to read next: a struct reads its fields in order.
pub(crate) struct Obj {
    at: [usize; MAX_FIELDS],
    end: usize,
    next: usize,
}

/// A reader over one image. Once `bad`, it stays so, and reads nothing more.
pub(crate) struct Reader<'a> {
    strings: Vec<&'a str>,
    bytes: &'a [u8],
    pos: usize,
    bad: bool,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Reader<'a> {
        let mut r = Reader {
            strings: Vec::new(),
            bytes,
            pos: 0,
            bad: false,
        };
        let n = r.count();
        r.strings.reserve(n);
        for _ in 0..n {
            let len = r.count();
            let s = r.take(len);
            let s = std::str::from_utf8(s).unwrap_or_else(|_| {
                r.fail();
                ""
            });
            r.strings.push(s);
        }
        r
    }

    /// Marks the image malformed: every later read is past the end.
    #[cold]
    #[inline(never)]
    pub(crate) fn fail(&mut self) {
        self.bad = true;
        self.pos = self.bytes.len();
    }

    fn take(&mut self, len: usize) -> &'a [u8] {
        let s = self.pos.checked_add(len).and_then(|end| self.bytes.get(self.pos..end));
        match s {
            Some(s) => {
                self.pos += len;
                s
            }
            None => {
                self.fail();
                &[]
            }
        }
    }

    fn byte(&mut self) -> u8 {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                b
            }
            None => {
                self.fail();
                u8::MAX
            }
        }
    }

    fn varint(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.byte();
            if shift > 63 {
                self.fail();
                return 0;
            }
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return n;
            }
            shift += 7;
        }
    }

    /// A count of items or bytes: no more than the bytes left (every item
    /// takes at least one), so that a bad count cannot allocate or loop much.
    fn count(&mut self) -> usize {
        let n = self.varint();
        let left = self.bytes.len().saturating_sub(self.pos);
        match usize::try_from(n) {
            Ok(n) if n <= left => n,
            _ => {
                self.fail();
                0
            }
        }
    }

    fn string(&mut self) -> &'a str {
        let i = self.varint();
        match usize::try_from(i).ok().and_then(|i| self.strings.get(i)) {
            Some(s) => s,
            None => {
                self.fail();
                ""
            }
        }
    }

    /// Reads a tag; `false` (and the reader bad) if it is not `want`.
    fn expect(&mut self, want: u8) -> bool {
        if self.byte() == want {
            true
        } else {
            self.fail();
            false
        }
    }

    /// Reads the tag of an array or object and its count.
    fn open(&mut self, want: u8) -> usize {
        if self.expect(want) {
            self.count()
        } else {
            0
        }
    }

    /// Whether the next value is `null` (then read).
    pub(crate) fn null(&mut self) -> bool {
        let null = self.bytes.get(self.pos) == Some(&tag::NULL);
        if null {
            self.pos += 1;
        }
        null
    }

    /// A string value.
    pub(crate) fn str(&mut self) -> &'a str {
        if self.expect(tag::STR) {
            self.string()
        } else {
            ""
        }
    }

    /// A boolean.
    pub(crate) fn bool(&mut self) -> bool {
        match self.byte() {
            tag::TRUE => true,
            tag::FALSE => false,
            _ => {
                self.fail();
                false
            }
        }
    }

    /// An unsigned integer of at most `max` (serde's integer visitors take
    /// an integer in range and nothing else).
    pub(crate) fn uint(&mut self, max: u64) -> u64 {
        let n = if self.expect(tag::UINT) { self.varint() } else { 0 };
        if n <= max {
            n
        } else {
            self.fail();
            0
        }
    }

    /// A number as `f64` (serde's `f64` visitor takes integers too, by `as`).
    pub(crate) fn f64(&mut self) -> f64 {
        match self.byte() {
            tag::UINT => self.varint() as f64,
            tag::NEGINT => !self.varint() as i64 as f64,
            tag::FLOAT => self.f64_bits(),
            _ => {
                self.fail();
                0.0
            }
        }
    }

    /// An array: its count (then its items, read by the caller).
    pub(crate) fn array(&mut self) -> usize {
        self.open(tag::ARRAY)
    }

    /// Reads an object as a struct with these fields (`deny_unknown_fields`:
    /// any other key is an error). The reader is left at the object's end.
    #[inline(never)]
    pub(crate) fn obj(&mut self, fields: &[&str]) -> Obj {
        let mut o = Obj {
            at: [ABSENT; MAX_FIELDS],
            end: 0,
            next: 0,
        };
        let n = self.open(tag::OBJECT);
        for _ in 0..n {
            let key = self.string();
            match fields.iter().position(|f| *f == key).and_then(|i| o.at.get_mut(i)) {
                Some(at) => *at = self.pos,
                None => self.fail(),
            }
            self.skip();
        }
        o.end = self.pos;
        o
    }

    /// Moves to the next field's value: `true` if it is there.
    #[inline(never)]
    pub(crate) fn field(&mut self, o: &mut Obj) -> bool {
        let at = o.at.get(o.next).copied().unwrap_or(ABSENT);
        o.next += 1;
        if at == ABSENT || self.bad {
            false
        } else {
            self.pos = at;
            true
        }
    }

    /// Moves to the next field, which must be there.
    #[inline(never)]
    pub(crate) fn need(&mut self, o: &mut Obj) {
        if !self.field(o) {
            self.fail();
        }
    }

    /// Leaves the reader after the object.
    pub(crate) fn close(&mut self, o: &Obj) {
        if !self.bad {
            self.pos = o.end;
        }
    }

    /// An enum's variant, externally tagged as serde_json writes it: a bare
    /// name for a unit variant (`names[i].1` false), `{"name": content}` for
    /// the others (the reader is then at the content). As serde takes it, a
    /// unit variant may also come as `{"name": null}`. The variant's index.
    #[inline(never)]
    pub(crate) fn variant(&mut self, names: &[(&str, bool)]) -> usize {
        let content = match self.byte() {
            tag::STR => false,
            tag::OBJECT if self.varint() == 1 => true,
            _ => {
                self.fail();
                return 0;
            }
        };
        let key = self.string();
        match names.iter().position(|&(n, _)| n == key) {
            Some(i) => {
                let has = names.get(i).is_some_and(|&(_, c)| c);
                if has != content && !(content && self.null()) {
                    self.fail();
                }
                i
            }
            None => {
                self.fail();
                0
            }
        }
    }

    /// A unit-only enum, by its name in `table`.
    pub(crate) fn pick<T: Copy>(&mut self, table: &[(&str, T)], fallback: T) -> T {
        let key = self.str();
        match table.iter().find(|(n, _)| *n == key) {
            Some(&(_, v)) => v,
            None => {
                self.fail();
                fallback
            }
        }
    }

    /// Skips one value.
    fn skip(&mut self) {
        match self.byte() {
            tag::NULL | tag::FALSE | tag::TRUE => {}
            tag::UINT | tag::NEGINT | tag::STR => {
                self.varint();
            }
            tag::FLOAT => {
                self.take(8);
            }
            tag::ARRAY => {
                for _ in 0..self.count() {
                    self.skip();
                }
            }
            tag::OBJECT => {
                for _ in 0..self.count() {
                    self.varint();
                    self.skip();
                }
            }
            _ => self.fail(),
        }
    }

    /// Writes one value as pretty JSON text (see [`json_text`]).
    fn pretty(&mut self, out: &mut String, depth: usize) {
        match self.byte() {
            tag::NULL => out.push_str("null"),
            tag::FALSE => out.push_str("false"),
            tag::TRUE => out.push_str("true"),
            tag::UINT => out.push_str(&self.varint().to_string()),
            tag::NEGINT => out.push_str(&(!self.varint() as i64).to_string()),
            tag::FLOAT => {
                let x = self.f64_bits();
                match crate::json::to_string(&x) {
                    Ok(s) => out.push_str(&s),
                    Err(_) => self.fail(),
                }
            }
            tag::STR => quoted(out, self.string()),
            tag::ARRAY => {
                let n = self.count();
                out.push('[');
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    self.pretty(out, depth + 1);
                }
                if n > 0 {
                    newline(out, depth);
                }
                out.push(']');
            }
            tag::OBJECT => {
                let n = self.count();
                out.push('{');
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    quoted(out, self.string());
                    out.push_str(": ");
                    self.pretty(out, depth + 1);
                }
                if n > 0 {
                    newline(out, depth);
                }
                out.push('}');
            }
            _ => self.fail(),
        }
    }

    /// The 8 bytes of a float, after its tag.
    fn f64_bits(&mut self) -> f64 {
        f64::from_le_bytes(<[u8; 8]>::try_from(self.take(8)).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests;
