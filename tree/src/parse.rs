//! The reader of a call's text into a [`Json`] tree: RFC 8259 JSON, read as
//! `serde_json::from_str` reads it into a `serde_json::Value`, with the same
//! tree and, for text that is not JSON, the same error (message, line and
//! column). See DESIGN.md, "Why jindu reads JSON itself".
//!
//! It follows serde_json's deserializer step by step, so that each error is
//! found at the same byte and reported at the same place: serde_json reports
//! some errors at the byte it has just read and some one byte past the byte
//! it looked at ([`Parser::err`], [`Parser::peek_err`]). Numbers are made as
//! serde_json (with `float_roundtrip`) makes them; floats are read by
//! [`crate::float`]. The tests compare it with serde_json on generated JSON
//! and near-JSON, and `fuzz/` on arbitrary text.

use crate::{Json, Obj};
use serde_json::Number;
use std::borrow::Cow;
use std::fmt;

/// Text that is not JSON: serde_json's error for it, with the same message
/// and position.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: Code,
    line: usize,
    column: usize,
}

impl Error {
    /// The line of the error, from 1.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the error, in bytes from the start of its line (as
    /// serde_json counts it: the byte the error is at is the column-th).
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }
}

/// What is wrong, as serde_json's `ErrorCode` words it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Code {
    EofWhileParsingList,
    EofWhileParsingObject,
    EofWhileParsingString,
    EofWhileParsingValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedSomeIdent,
    ExpectedSomeValue,
    InvalidEscape,
    InvalidNumber,
    NumberOutOfRange,
    ControlCharacterWhileParsingString,
    KeyMustBeAString,
    LoneLeadingSurrogateInHexEscape,
    TrailingComma,
    TrailingCharacters,
    UnexpectedEndOfHexEscape,
    RecursionLimitExceeded,
}

impl Code {
    fn message(self) -> &'static str {
        match self {
            Code::EofWhileParsingList => "EOF while parsing a list",
            Code::EofWhileParsingObject => "EOF while parsing an object",
            Code::EofWhileParsingString => "EOF while parsing a string",
            Code::EofWhileParsingValue => "EOF while parsing a value",
            Code::ExpectedColon => "expected `:`",
            Code::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Code::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Code::ExpectedSomeIdent => "expected ident",
            Code::ExpectedSomeValue => "expected value",
            Code::InvalidEscape => "invalid escape",
            Code::InvalidNumber => "invalid number",
            Code::NumberOutOfRange => "number out of range",
            Code::ControlCharacterWhileParsingString => "control character (\\u0000-\\u001F) found while parsing a string",
            Code::KeyMustBeAString => "key must be a string",
            Code::LoneLeadingSurrogateInHexEscape => "lone leading surrogate in hex escape",
            Code::TrailingComma => "trailing comma",
            Code::TrailingCharacters => "trailing characters",
            Code::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
            Code::RecursionLimitExceeded => "recursion limit exceeded",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.code.message(), self.line, self.column)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({:?}, line: {}, column: {})", self.code.message(), self.line, self.column)
    }
}

impl std::error::Error for Error {}

/// Reads JSON text into a tree.
///
/// # Errors
/// For text that is not JSON, serde_json's error for it (see [`Error`]).
pub fn parse(text: &str) -> Result<Json<'_>, Error> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        depth: 128,
        failed: (Code::ExpectedSomeValue, 0),
    };
    let v = p.value().and_then(|v| match p.ws() {
        Some(_) => Err(p.peek_err(Code::TrailingCharacters)),
        None => Ok(v),
    });
    v.map_err(|Stop| {
        // the line and the column serde_json gives the byte offset
        let (code, i) = p.failed;
        let before = p.bytes.get(..i).unwrap_or(p.bytes);
        let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
        Error {
            code,
            line: 1 + before.iter().take(start).filter(|&&b| b == b'\n').count(),
            column: i - start,
        }
    })
}

/// Reading stopped at an error, which is in [`Parser::failed`]. (A `Result`
/// with this error is no larger than its value: the values, moved up at each
/// return, stay small.)
struct Stop;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    i: usize,
    /// How many more arrays and objects may open (serde_json's limit, 128).
    depth: u8,
    /// The error and its byte offset, once reading has stopped.
    failed: (Code, usize),
}

impl<'a> Parser<'a> {
    /// The error at the byte just read (serde_json's `error`).
    #[cold]
    #[inline(never)]
    fn err(&mut self, code: Code) -> Stop {
        self.failed = (code, self.i);
        Stop
    }

    /// The error at the byte looked at (serde_json's `peek_error`: one past it).
    #[cold]
    #[inline(never)]
    fn peek_err(&mut self, code: Code) -> Stop {
        self.failed = (code, self.bytes.len().min(self.i + 1));
        Stop
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    /// Skips whitespace and returns the next byte, not read.
    #[inline]
    fn ws(&mut self) -> Option<u8> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.i += 1,
                other => return other,
            }
        }
    }

    fn value(&mut self) -> Result<Json<'a>, Stop> {
        let Some(c) = self.ws() else {
            return Err(self.peek_err(Code::EofWhileParsingValue));
        };
        match c {
            b'n' => self.ident(b"null").map(|()| Json::Null),
            b't' => self.ident(b"true").map(|()| Json::Bool(true)),
            b'f' => self.ident(b"false").map(|()| Json::Bool(false)),
            b'-' => {
                self.i += 1;
                self.number(false)
            }
            b'0'..=b'9' => self.number(true),
            b'"' => {
                self.i += 1;
                self.string().map(Json::String)
            }
            b'[' => {
                self.enter()?;
                let v = self.array();
                self.depth += 1;
                v
            }
            b'{' => {
                self.enter()?;
                let v = self.object();
                self.depth += 1;
                v
            }
            _ => Err(self.peek_err(Code::ExpectedSomeValue)),
        }
    }

    /// One level deeper, at the `[` or `{` about to be read.
    fn enter(&mut self) -> Result<(), Stop> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.peek_err(Code::RecursionLimitExceeded));
        }
        self.i += 1;
        Ok(())
    }

    /// The word at the byte looked at (its first byte already matched).
    fn ident(&mut self, word: &[u8]) -> Result<(), Stop> {
        self.i += 1;
        for &b in word.iter().skip(1) {
            match self.peek() {
                None => return Err(self.err(Code::EofWhileParsingValue)),
                Some(c) => {
                    self.i += 1;
                    if c != b {
                        return Err(self.err(Code::ExpectedSomeIdent));
                    }
                }
            }
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Json<'a>, Stop> {
        let mut out = Vec::with_capacity(4);
        loop {
            match self.ws() {
                None => return Err(self.peek_err(Code::EofWhileParsingList)),
                Some(b']') => {
                    self.i += 1;
                    return Ok(Json::Array(out));
                }
                Some(_) if out.is_empty() => {}
                Some(b',') => {
                    self.i += 1;
                    match self.ws() {
                        Some(b']') => return Err(self.peek_err(Code::TrailingComma)),
                        Some(_) => {}
                        None => return Err(self.peek_err(Code::EofWhileParsingValue)),
                    }
                }
                Some(_) => return Err(self.peek_err(Code::ExpectedListCommaOrEnd)),
            }
            out.push(self.value()?);
        }
    }

    fn object(&mut self) -> Result<Json<'a>, Stop> {
        let mut out = Vec::with_capacity(8);
        loop {
            match self.ws() {
                None => return Err(self.peek_err(Code::EofWhileParsingObject)),
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Json::Object(Obj::from_entries(out)));
                }
                Some(b'"') if out.is_empty() => {}
                Some(_) if out.is_empty() => return Err(self.peek_err(Code::KeyMustBeAString)),
                Some(b',') => {
                    self.i += 1;
                    match self.ws() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.peek_err(Code::TrailingComma)),
                        Some(_) => return Err(self.peek_err(Code::KeyMustBeAString)),
                        None => return Err(self.peek_err(Code::EofWhileParsingValue)),
                    }
                }
                Some(_) => return Err(self.peek_err(Code::ExpectedObjectCommaOrEnd)),
            }
            self.i += 1;
            let key = self.string()?;
            match self.ws() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.peek_err(Code::ExpectedColon)),
                None => return Err(self.peek_err(Code::EofWhileParsingObject)),
            }
            let v = self.value()?;
            out.push((key, v));
        }
    }

    /// The text from `start` to the byte looked at (both after or at ASCII
    /// bytes, so on character boundaries).
    fn slice(&self, start: usize) -> &'a str {
        self.text.get(start..self.i).unwrap_or_default()
    }

    /// A string, its opening quote read: borrowed from the text when it has
    /// no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, Stop> {
        // the text not yet copied starts at `run`; `out` once there is an escape
        let mut run = self.i;
        let mut out: Option<String> = None;
        loop {
            self.plain();
            match self.peek() {
                None => return Err(self.err(Code::EofWhileParsingString)),
                Some(b'"') => {
                    let s = self.slice(run);
                    self.i += 1;
                    return Ok(match out {
                        None => Cow::Borrowed(s),
                        Some(mut o) => {
                            o.push_str(s);
                            Cow::Owned(o)
                        }
                    });
                }
                Some(b'\\') => {
                    let o = out.get_or_insert_with(|| String::with_capacity(self.i - run + 16));
                    o.push_str(self.slice(run));
                    self.i += 1;
                    self.escape(o)?;
                    run = self.i;
                }
                Some(_) => {
                    self.i += 1;
                    return Err(self.err(Code::ControlCharacterWhileParsingString));
                }
            }
        }
    }

    /// Skips the bytes of a string that are neither `"`, `\` nor a control
    /// character, eight at a time (a zero byte of `x ^ c` found as serde_json
    /// and the answer writer find it: the lowest flag is exact).
    #[inline]
    fn plain(&mut self) {
        const ONES: u64 = u64::MAX / 255;
        let bytes = self.bytes;
        let mut i = self.i;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let control = w.wrapping_sub(ONES * 0x20) & !w;
            let quote = w ^ (ONES * u64::from(b'"'));
            let quote = quote.wrapping_sub(ONES) & !quote;
            let backslash = w ^ (ONES * u64::from(b'\\'));
            let backslash = backslash.wrapping_sub(ONES) & !backslash;
            let found = (control | quote | backslash) & (ONES << 7);
            if found != 0 {
                self.i = i + (found.trailing_zeros() / 8) as usize;
                return;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            i += 1;
        }
        self.i = i;
    }

    /// An escape, its backslash read.
    fn escape(&mut self, out: &mut String) -> Result<(), Stop> {
        let Some(c) = self.peek() else {
            return Err(self.err(Code::EofWhileParsingString));
        };
        self.i += 1;
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode(out),
            _ => return Err(self.err(Code::InvalidEscape)),
        });
        Ok(())
    }

    /// Four hex digits.
    fn hex(&mut self) -> Result<u32, Stop> {
        let Some(digits) = self.bytes.get(self.i..self.i + 4) else {
            self.i = self.bytes.len();
            return Err(self.err(Code::EofWhileParsingString));
        };
        self.i += 4;
        let mut n = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.err(Code::InvalidEscape)),
            };
            n = (n << 4) | u32::from(v);
        }
        Ok(n)
    }

    /// A `\u` escape, its `u` read; a surrogate must be a leading one
    /// followed by a `\u` escape of a trailing one.
    fn unicode(&mut self, out: &mut String) -> Result<(), Stop> {
        let n = self.hex()?;
        let n = match n {
            0xdc00..=0xdfff => return Err(self.err(Code::LoneLeadingSurrogateInHexEscape)),
            0xd800..=0xdbff => {
                for want in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.err(Code::EofWhileParsingString)),
                        Some(c) => {
                            self.i += 1;
                            if c != want {
                                return Err(self.err(Code::UnexpectedEndOfHexEscape));
                            }
                        }
                    }
                }
                let n2 = self.hex()?;
                if !(0xdc00..=0xdfff).contains(&n2) {
                    return Err(self.err(Code::LoneLeadingSurrogateInHexEscape));
                }
                0x1_0000 + (((n - 0xd800) << 10) | (n2 - 0xdc00))
            }
            _ => n,
        };
        out.push(char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    /// A number, its sign read, made as serde_json makes it.
    fn number(&mut self, positive: bool) -> Result<Json<'a>, Stop> {
        let start = self.i;
        // the integer part's value while it fits in u64
        let mut n = 0u64;
        let mut fits = true;
        match self.peek() {
            None => return Err(self.err(Code::EofWhileParsingValue)),
            Some(b'0') => {
                self.i += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.peek_err(Code::InvalidNumber));
                }
            }
            Some(b'1'..=b'9') => {
                let bytes = self.bytes;
                let mut i = self.i;
                while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
                    i += 1;
                    match n.checked_mul(10).and_then(|n| n.checked_add(u64::from(d - b'0'))) {
                        Some(m) => n = m,
                        None => fits = false,
                    }
                }
                self.i = i;
            }
            Some(_) => {
                self.i += 1;
                return Err(self.err(Code::InvalidNumber));
            }
        }
        let more = matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        if fits && !more {
            // an integer: u64, or i64 if negative, while it fits
            if positive {
                return Ok(Json::Number(n.into()));
            }
            let neg = (n as i64).wrapping_neg();
            // (-0, and below i64::MIN, are floats)
            return Ok(if neg >= 0 { float(-(n as f64)) } else { Json::Number(neg.into()) });
        }
        let int = self.bytes.get(start..self.i).unwrap_or_default();
        let mut frac: &[u8] = &[];
        if self.peek() == Some(b'.') {
            self.i += 1;
            let from = self.i;
            self.digits();
            if self.i == from {
                return Err(self.peek_err(match self.peek() {
                    Some(_) => Code::InvalidNumber,
                    None => Code::EofWhileParsingValue,
                }));
            }
            frac = self.bytes.get(from..self.i).unwrap_or_default();
        }
        let mut exp = 0i32;
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            let negative = match self.peek() {
                Some(b'+') => {
                    self.i += 1;
                    false
                }
                Some(b'-') => {
                    self.i += 1;
                    true
                }
                _ => false,
            };
            match self.peek() {
                None => return Err(self.err(Code::EofWhileParsingValue)),
                Some(d @ b'0'..=b'9') => {
                    self.i += 1;
                    exp = i32::from(d - b'0');
                }
                Some(_) => {
                    self.i += 1;
                    return Err(self.err(Code::InvalidNumber));
                }
            }
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                match exp.checked_mul(10).and_then(|e| e.checked_add(i32::from(d - b'0'))) {
                    Some(e) => exp = e,
                    None => {
                        // serde_json: an exponent beyond i32 is out of range if
                        // positive (for digits not all zero), else the number is zero
                        if !negative && int.iter().chain(frac).any(|&d| d != b'0') {
                            return Err(self.err(Code::NumberOutOfRange));
                        }
                        self.digits();
                        return Ok(float(if positive { 0.0 } else { -0.0 }));
                    }
                }
            }
            if negative {
                exp = -exp;
            }
        }
        let frac_len = i64::try_from(frac.len()).unwrap_or(i64::MAX);
        let f = crate::float::decimal(int, frac, i64::from(exp) - frac_len);
        if f.is_infinite() {
            return Err(self.err(Code::NumberOutOfRange));
        }
        Ok(float(if positive { f } else { -f }))
    }

    /// Skips digits.
    #[inline]
    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }
}

/// A float as `serde_json::Value` makes it (one that is not finite is null;
/// none is here).
fn float<'a>(f: f64) -> Json<'a> {
    Number::from_f64(f).map_or(Json::Null, Json::Number)
}
