//! A compact JSON writer for answers and receipts: the same bytes as
//! `serde_json::to_string` (its compact formatter), several times faster on
//! the long texts answers carry.
//!
//! serde_json escapes a string one byte at a time through a lookup table;
//! answers are mostly Chinese and English prose (citations, trail messages,
//! notes), so that loop was a third of a whole `review` call. Here a string
//! is scanned eight bytes at a time for the only bytes JSON escapes (`"`,
//! `\`, controls below 0x20) and copied in runs. The output goes to a
//! [`Sink`]: a `String` (the answer text; every piece written is `str`, so no
//! UTF-8 check of the whole), or natively a SHA-256 hasher (the receipt's
//! request hash, without building the text; the WASM package builds it, see
//! [`sha256`]). Numbers are written by serde_json itself, so
//! they cannot differ.

use serde::ser::{self, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::{self, Display};

/// Where JSON text goes.
pub(crate) trait Sink {
    /// Appends text.
    fn put(&mut self, s: &str);
    /// Appends text between double quotes.
    #[inline]
    fn put_quoted(&mut self, s: &str) {
        self.put("\"");
        self.put(s);
        self.put("\"");
    }
    /// Appends text between double quotes and a colon (an object key).
    #[inline]
    fn put_key(&mut self, s: &str) {
        self.put("\"");
        self.put(s);
        self.put("\":");
    }
}

impl Sink for String {
    #[inline]
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
    #[inline]
    fn put_quoted(&mut self, s: &str) {
        self.reserve(s.len() + 2);
        self.push('"');
        self.push_str(s);
        self.push('"');
    }
    #[inline]
    fn put_key(&mut self, s: &str) {
        self.reserve(s.len() + 3);
        self.push('"');
        self.push_str(s);
        self.push_str("\":");
    }
}

/// Feeds SHA-256 through a small buffer (the hasher's own `update` is slow on
/// the one-byte pieces JSON is made of). Not in the WASM package: see [`sha256`].
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct HashSink {
    hasher: Sha256,
    buf: [u8; 256],
    len: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl HashSink {
    pub(crate) fn new() -> HashSink {
        HashSink {
            hasher: Sha256::new(),
            buf: [0; 256],
            len: 0,
        }
    }

    fn flush(&mut self) {
        if let Some(b) = self.buf.get(..self.len) {
            self.hasher.update(b);
        }
        self.len = 0;
    }

    /// The digest of everything written.
    pub(crate) fn finish(mut self) -> [u8; 32] {
        self.flush();
        self.hasher.finalize().into()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Sink for HashSink {
    #[inline]
    fn put(&mut self, s: &str) {
        let b = s.as_bytes();
        let end = self.len + b.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(b);
            self.len = end;
            return;
        }
        self.flush();
        if let Some(dst) = self.buf.get_mut(..b.len()) {
            dst.copy_from_slice(b);
            self.len = b.len();
        } else {
            self.hasher.update(b);
        }
    }
}

/// A serialisation error (only from a `Serialize` impl that fails, or a map
/// key that is not a string: answers have neither). Natively it carries
/// serde_json's message; in the WASM package it is zero-sized, with one fixed
/// message: a `String` in every `Result` of the writer was 2.5 KB gzip of the
/// package, for errors no answer can produce (DESIGN.md, "The built-in
/// rulebooks in the WASM package").
#[derive(Debug)]
pub(crate) struct Error(#[cfg(not(target_arch = "wasm32"))] String);

impl Error {
    #[cfg(not(target_arch = "wasm32"))]
    fn new(msg: impl Display) -> Error {
        Error(msg.to_string())
    }
    #[cfg(target_arch = "wasm32")]
    #[inline]
    fn new(_: impl Display) -> Error {
        Error()
    }
}

impl Display for Error {
    #[cfg(not(target_arch = "wasm32"))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
    #[cfg(target_arch = "wasm32")]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value could not be written as JSON")
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Error {
        Error::new(msg)
    }
}

fn key_must_be_a_string() -> Error {
    Error::new("key must be a string")
}

/// Writes a value as compact JSON.
pub(crate) fn write<S: Sink, T: ?Sized + Serialize>(out: &mut S, v: &T) -> Result<(), Error> {
    v.serialize(&mut Ser { out })
}

/// A value as compact JSON text (`serde_json::to_string`, faster).
pub(crate) fn to_string<T: ?Sized + Serialize>(v: &T) -> Result<String, Error> {
    let mut s = String::with_capacity(256);
    write(&mut s, v)?;
    Ok(s)
}

/// SHA-256 of a value's compact JSON text, without building the text.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn sha256<T: ?Sized + Serialize>(v: &T) -> Result<[u8; 32], Error> {
    let mut h = HashSink::new();
    write(&mut h, v)?;
    Ok(h.finish())
}

/// SHA-256 of a value's compact JSON text, built first: in the WASM package
/// every type is then written through one sink (`String`), not a second copy
/// of the writer and of every request type's `Serialize` for `HashSink`
/// (1 KB gzip of the package, for a receipt no slower there).
#[cfg(target_arch = "wasm32")]
pub(crate) fn sha256<T: ?Sized + Serialize>(v: &T) -> Result<[u8; 32], Error> {
    let text = to_string(v)?;
    Ok(Sha256::digest(text.as_bytes()).into())
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of eight bytes is one JSON escapes: below 0x20, `"` or `\`.
#[inline]
fn any_to_escape(w: u64) -> bool {
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(ONES) & !b;
    (control | quote | backslash) & HIGH != 0
}

/// The escape of a byte, if JSON escapes it (serde_json's table).
#[inline]
fn escape_of(b: u8) -> Option<&'static str> {
    const CONTROL: [&str; 32] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007", "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e",
        "\\u000f", "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a", "\\u001b",
        "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ];
    match b {
        b'"' => Some("\\\""),
        b'\\' => Some("\\\\"),
        _ => CONTROL.get(usize::from(b)).copied(),
    }
}

/// Writes the contents of a string, escaped (no quotes).
#[inline]
pub(crate) fn escape_into<S: Sink>(out: &mut S, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(Ok(chunk)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
            if !any_to_escape(u64::from_le_bytes(chunk)) {
                i += 8;
                continue;
            }
        }
        let b = bytes.get(i).copied().unwrap_or(0);
        if let Some(e) = escape_of(b) {
            // `i` is at an ASCII byte and `start` just after one: both are char boundaries.
            out.put(s.get(start..i).unwrap_or(""));
            out.put(e);
            start = i + 1;
        }
        i += 1;
    }
    out.put(s.get(start..).unwrap_or(""));
}

/// Whether a string holds a byte JSON escapes. On x86-64 a long string is
/// tested in blocks of 32 bytes without early exit inside a block, which the
/// compiler vectorises (SSE2, always there); elsewhere (WASM without SIMD)
/// eight bytes at a time in a `u64`.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if b.len() >= 32 {
        return needs_escape_blocks(b);
    }
    needs_escape_swar(b)
}

#[cfg_attr(not(any(target_arch = "x86_64", test)), allow(dead_code))]
fn needs_escape_blocks(b: &[u8]) -> bool {
    b.chunks(32).any(|c| c.iter().fold(false, |a, &x| a | (x < 0x20) | (x == b'"') | (x == b'\\')))
}

/// [`needs_escape`] eight bytes at a time.
#[inline]
fn needs_escape_swar(b: &[u8]) -> bool {
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).map_or(0, u64::from_le_bytes);
    if b.len() < 8 {
        // padded with spaces, which are not escaped
        let w = b.iter().fold(ONES * 0x20, |w, &c| (w << 8) | u64::from(c));
        return any_to_escape(w);
    }
    let mut chunks = b.chunks_exact(8);
    if chunks.by_ref().any(|c| any_to_escape(word(c))) {
        return true;
    }
    // the last eight bytes, overlapping the last whole chunk
    !chunks.remainder().is_empty() && b.get(b.len() - 8..).is_some_and(|c| any_to_escape(word(c)))
}

/// A struct field's name and the colon after it.
#[inline]
fn field_name<S: Sink>(out: &mut S, k: &str) {
    if needs_escape_swar(k.as_bytes()) {
        string(out, k);
        out.put(":");
    } else {
        out.put_key(k);
    }
}

#[inline]
fn string<S: Sink>(out: &mut S, s: &str) {
    if needs_escape(s.as_bytes()) {
        out.put("\"");
        escape_into(out, s);
        out.put("\"");
    } else {
        out.put_quoted(s);
    }
}

/// A whole number in decimal.
#[inline]
fn uint<S: Sink>(out: &mut S, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            // n % 10 < 10
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.put(buf.get(i..).and_then(|d| std::str::from_utf8(d).ok()).unwrap_or(""));
}

#[inline]
fn int<S: Sink>(out: &mut S, n: i64) {
    if n < 0 {
        out.put("-");
    }
    uint(out, n.unsigned_abs());
}

/// A number written by serde_json (floats through ryu, 128-bit integers),
/// so that it is byte for byte what serde_json writes.
fn via_serde_json<S: Sink, T: Serialize>(out: &mut S, v: T) -> Result<(), Error> {
    let mut buf = [0u8; 64];
    let mut cur = std::io::Cursor::new(&mut buf[..]);
    serde_json::to_writer(&mut cur, &v).map_err(Error::new)?;
    let n = usize::try_from(cur.position()).unwrap_or(0);
    out.put(buf.get(..n).and_then(|d| std::str::from_utf8(d).ok()).unwrap_or(""));
    Ok(())
}

struct Ser<'a, S> {
    out: &'a mut S,
}

/// A sequence, map or struct being written.
pub(crate) struct Compound<'a, 'b, S> {
    ser: &'b mut Ser<'a, S>,
    first: bool,
    /// Closes a variant's wrapping object.
    variant: bool,
}

impl<S: Sink> Compound<'_, '_, S> {
    #[inline]
    fn sep(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.ser.out.put(",");
        }
    }
}

impl<'a, 'b, S: Sink> ser::Serializer for &'b mut Ser<'a, S> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b, S>;
    type SerializeTuple = Compound<'a, 'b, S>;
    type SerializeTupleStruct = Compound<'a, 'b, S>;
    type SerializeTupleVariant = Compound<'a, 'b, S>;
    type SerializeMap = Compound<'a, 'b, S>;
    type SerializeStruct = Compound<'a, 'b, S>;
    type SerializeStructVariant = Compound<'a, 'b, S>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.put(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        int(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        int(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        int(self.out, i64::from(v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        int(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        via_serde_json(self.out, v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        uint(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        uint(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        uint(self.out, u64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        uint(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        via_serde_json(self.out, v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        via_serde_json(self.out, v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        via_serde_json(self.out, v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        string(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.out.put("[");
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.put(",");
            }
            uint(self.out, u64::from(*b));
        }
        self.out.put("]");
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.put("null");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.put("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.out.put("null");
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        string(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, variant: &'static str, v: &T) -> Result<(), Error> {
        self.out.put("{");
        string(self.out, variant);
        self.out.put(":");
        v.serialize(&mut *self)?;
        self.out.put("}");
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, 'b, S>, Error> {
        self.out.put("[");
        Ok(Compound {
            ser: self,
            first: true,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'b, S>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'b, S>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Compound<'a, 'b, S>, Error> {
        self.out.put("{");
        string(self.out, variant);
        self.out.put(":[");
        Ok(Compound {
            ser: self,
            first: true,
            variant: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, 'b, S>, Error> {
        self.out.put("{");
        Ok(Compound {
            ser: self,
            first: true,
            variant: false,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'b, S>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Compound<'a, 'b, S>, Error> {
        self.out.put("{");
        string(self.out, variant);
        self.out.put(":{");
        Ok(Compound {
            ser: self,
            first: true,
            variant: true,
        })
    }
    fn collect_str<T: ?Sized + Display>(self, v: &T) -> Result<(), Error> {
        struct Escaping<'o, S>(&'o mut S);
        impl<S: Sink> fmt::Write for Escaping<'_, S> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                escape_into(self.0, s);
                Ok(())
            }
        }
        self.out.put("\"");
        fmt::write(&mut Escaping(&mut *self.out), format_args!("{v}")).map_err(|_| Error::new("Display returned an error"))?;
        self.out.put("\"");
        Ok(())
    }
}

impl<S: Sink> ser::SerializeSeq for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        self.sep();
        v.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.out.put("]");
        Ok(())
    }
}

impl<S: Sink> ser::SerializeTuple for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl<S: Sink> ser::SerializeTupleStruct for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeSeq::end(self)
    }
}

impl<S: Sink> ser::SerializeTupleVariant for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.out.put(if self.variant { "]}" } else { "]" });
        Ok(())
    }
}

impl<S: Sink> ser::SerializeMap for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Error> {
        self.sep();
        k.serialize(MapKey { out: &mut *self.ser.out })
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
        self.ser.out.put(":");
        v.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.out.put("}");
        Ok(())
    }
}

impl<S: Sink> ser::SerializeStruct for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.sep();
        field_name(self.ser.out, key);
        v.serialize(&mut *self.ser)
    }
    fn end(self) -> Result<(), Error> {
        self.ser.out.put(if self.variant { "}}" } else { "}" });
        Ok(())
    }
}

impl<S: Sink> ser::SerializeStructVariant for Compound<'_, '_, S> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), Error> {
        ser::SerializeStruct::end(self)
    }
}

/// A map key: strings, and numbers and booleans quoted (as serde_json does).
struct MapKey<'o, S> {
    out: &'o mut S,
}

impl<S: Sink> MapKey<'_, S> {
    fn quoted(self, f: impl FnOnce(&mut S) -> Result<(), Error>) -> Result<(), Error> {
        self.out.put("\"");
        f(self.out)?;
        self.out.put("\"");
        Ok(())
    }
}

impl<S: Sink> ser::Serializer for MapKey<'_, S> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        string(self.out, v);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        string(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(|o| {
            o.put(if v { "true" } else { "false" });
            Ok(())
        })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(|o| {
            int(o, v);
            Ok(())
        })
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.quoted(|o| via_serde_json(o, v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(|o| {
            uint(o, v);
            Ok(())
        })
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.quoted(|o| via_serde_json(o, v))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(Error::new("float key must be finite"));
        }
        self.quoted(|o| via_serde_json(o, v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(Error::new("float key must be finite"));
        }
        self.quoted(|o| via_serde_json(o, v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        string(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn collect_str<T: ?Sized + Display>(self, v: &T) -> Result<(), Error> {
        string(self.out, &v.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{json, Value};

    fn same(v: &Value) {
        assert_eq!(to_string(v).unwrap(), serde_json::to_string(v).unwrap());
        let want: [u8; 32] = Sha256::digest(serde_json::to_vec(v).unwrap()).into();
        assert_eq!(sha256(v).unwrap(), want);
    }

    #[test]
    fn like_serde_json() {
        same(&json!(null));
        same(&json!({"a": [1, -2, 3.5, 1e300, -0.0, 18446744073709551615_u64, -9223372036854775808_i64], "b": {}, "c": [], "d": true}));
        let all: String = (0u8..128).map(char::from).collect();
        same(&json!({ all.clone(): all }));
        same(&json!("中文\"引号\"\\反斜杠\n换行\u{7f}\u{1f}é€😀"));
        same(&json!("x".repeat(300) + "中" + &"\"".repeat(300)));
    }

    #[test]
    fn both_scans_agree() {
        for len in 0..80 {
            for at in 0..len {
                for c in [b'"', b'\\', b'\n', 0, 0x1f, b' ', 0xe4, 0x7f, 0x80, 0xff] {
                    let s: Vec<u8> = (0..len).map(|i| if i == at { c } else { b'a' }).collect();
                    let want = c < 0x20 || c == b'"' || c == b'\\';
                    assert_eq!(needs_escape_swar(&s), want);
                    assert_eq!(needs_escape_blocks(&s), want);
                }
            }
        }
    }

    #[test]
    fn every_escape_at_every_place() {
        for len in 0..70 {
            for at in 0..len {
                for c in ['"', '\\', '\n', '\u{0}', '\u{1f}', ' ', '中', '\u{7f}'] {
                    let s: String = (0..len).map(|i| if i == at { c } else { 'a' }).collect();
                    same(&json!(s));
                }
            }
        }
    }

    #[test]
    fn variants_keys_and_bytes_like_serde_json() {
        #[derive(Serialize)]
        enum E {
            U,
            N(u8),
            T(u8, i8),
            S { a: char },
        }
        #[derive(Serialize)]
        struct W<'a> {
            e: Vec<E>,
            m: std::collections::BTreeMap<i32, bool>,
            k: std::collections::BTreeMap<bool, ()>,
            #[serde(with = "serde_bytes_like")]
            b: &'a [u8],
            t: (u128, i128, f32),
            o: Option<Option<u8>>,
        }
        mod serde_bytes_like {
            pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(b)
            }
        }
        let w = W {
            e: vec![E::U, E::N(3), E::T(1, -1), E::S { a: '"' }],
            m: [(-3, true), (7, false)].into_iter().collect(),
            k: [(true, ())].into_iter().collect(),
            b: &[0, 255, 7],
            t: (u128::MAX, i128::MIN, 0.1),
            o: Some(None),
        };
        assert_eq!(to_string(&w).unwrap(), serde_json::to_string(&w).unwrap());
        let bad: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
        assert_eq!(to_string(&bad).unwrap_err().to_string(), serde_json::to_string(&bad).unwrap_err().to_string());
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\\x00-\\x7f中é\"\\\\]{0,40}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..8).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_like_serde_json(v in arb_value()) {
            prop_assert_eq!(to_string(&v).unwrap(), serde_json::to_string(&v).unwrap());
            let want: [u8; 32] = Sha256::digest(serde_json::to_vec(&v).unwrap()).into();
            prop_assert_eq!(sha256(&v).unwrap(), want);
        }
    }
}
