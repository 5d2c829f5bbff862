//! The reader against serde_json: on every text, the same tree as
//! `serde_json::from_str` into a `Value` (the same text written back, numbers
//! of the same kind) or the same error (message, line, column).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use super::*;
use proptest::prelude::*;
use std::fmt::Write as _;

/// The reader and serde_json agree on `text`.
fn agree(text: &str) {
    let a = parse(text);
    let b: Result<Value, _> = serde_json::from_str(text);
    match (a, b) {
        (Ok(a), Ok(b)) => {
            assert_eq!(serde_json::to_string(&a).unwrap(), b.to_string(), "{text:?}");
            assert_eq!(Json::from_value(&b), a, "{text:?}");
            borrowed(text, &a);
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{text:?}");
            assert_eq!((a.line(), a.column()), (b.line(), b.column()), "{text:?}");
        }
        (a, b) => panic!("{text:?}: {a:?} vs {b:?}"),
    }
}

/// Every borrowed string of the tree is borrowed from `text`, and has no
/// escape (`strings_borrowed` checks that escaped strings are copied).
fn borrowed(text: &str, v: &Json<'_>) {
    let check = |s: &Cow<'_, str>| {
        let inside = text.as_bytes().as_ptr_range();
        if let Cow::Borrowed(b) = s {
            assert!(inside.contains(&b.as_ptr()) || b.is_empty(), "{text:?}: {b:?} not borrowed from the text");
            assert!(!b.contains('\\'), "{text:?}: {b:?}");
        }
    };
    match v {
        Json::String(s) => check(s),
        Json::Array(a) => a.iter().for_each(|x| borrowed(text, x)),
        Json::Object(m) => {
            for (k, x) in &m.entries {
                check(k);
                borrowed(text, x);
            }
        }
        _ => {}
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
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "-18446744073709551615",
        "-18446744073709551616",
        r#"{"a":{"a":{"a":1},"a":2}}"#,
    ] {
        agree(t);
    }
}

/// Each error serde_json reports, at the places it reports them.
#[test]
fn errors() {
    for t in [
        "",
        " ",
        "\n\n  ",
        "n",
        "nu",
        "nul",
        "nulx",
        "nullx",
        "tru",
        "trux",
        "fals",
        "falsy",
        "x",
        "\u{feff}{}",
        "\u{feff}",
        "é",
        "[é]",
        "{é:1}",
        "[",
        "[1",
        "[1,",
        "[1,]",
        "[1 2]",
        "[,1]",
        "[1,,2]",
        "]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":1",
        "{\"a\":1,",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "{1:1}",
        "{,}",
        "{\"a\":1,2}",
        "}",
        "\"",
        "\"abc",
        "\"a\u{1}b\"",
        "\"a\nb\"",
        "\"\t\"",
        "\"\\",
        "\"\\x\"",
        "\"\\u\"",
        "\"\\u12\"",
        "\"\\u12",
        "\"\\u123g\"",
        "\"\\uD800\"",
        "\"\\uD800",
        "\"\\uD800\\",
        "\"\\uD800x\"",
        "\"\\uD800\\n\"",
        "\"\\uD800\\u\"",
        "\"\\uD800\\u0041\"",
        "\"\\uD800\\uD800\"",
        "\"\\uDC00\"",
        "\"\\uD800\\uDC00\"",
        "\"\\uDBFF\\uDFFF\"",
        "\"\\u00e9\\u00E9\"",
        "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        "\"\\uD800é\"",
        "\"\\ué\"",
        "-",
        "-x",
        "- 1",
        "-é",
        "+1",
        ".5",
        "-.5",
        "01",
        "-01",
        "00",
        "0x1",
        "1.",
        "1.x",
        "1.e5",
        "1e",
        "1e+",
        "1e-",
        "1ex",
        "1e+x",
        "1E5",
        "1e05",
        "1.5e-3",
        "0.0",
        "-0",
        "-0.0",
        "-0e0",
        "1x",
        "1 2",
        "[1]x",
        "[1] ]",
        "{}}",
        "1e400",
        "-1e400",
        "1e-400",
        "-1e-400",
        "1e2147483647",
        "1e2147483648",
        "1e99999999999",
        "0e99999999999",
        "-1e99999999999",
        "1e-99999999999",
        "1e-2147483648",
        "0.0e2147483648",
        "1.5e2147483647",
        "123456789012345678901234567890e2147483648",
        "123456789012345678901234567890e-2147483648",
        "123456789012345678901234567890.5e2147483647",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2.2250738585072014e-308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "9007199254740993",
        "9007199254740993.0",
        "[1,2\n,3,\n]",
        "\r\n[\r\n1\r\n,\r\nx]",
        "{\"a\":1}\n\n x",
        "[\"a\",\n\"b\u{2}\"]",
        "{\"a\":\"\\uD800\\uDC00\",\n\"b\":\"\\uDFFF\"}",
        "[true,false,null]",
        "[ true , false , null ]",
        "{\"\":\"\"}",
        "\"\\u0000\"",
        "[1e-7,1E+7,-0.5E-2]",
    ] {
        agree(t);
    }
}

/// The recursion limit: 127 arrays or objects inside each other, not 128.
#[test]
fn depth() {
    for n in [1, 126, 127, 128, 129, 200, 5000] {
        agree(&("[".repeat(n) + &"]".repeat(n)));
        agree(&"[".repeat(n));
        agree(&"{\"a\":".repeat(n));
        agree(&("{\"a\":".repeat(n) + "1" + &"}".repeat(n)));
        agree(&("[{\"a\":".repeat(n / 2) + "1" + &"}]".repeat(n / 2)));
        agree(&("[1,".repeat(n) + &"]".repeat(n)));
    }
}

/// A repeated key keeps its first place and its last value, in large objects too.
#[test]
fn repeated_keys() {
    for n in [2, 16, 17, 40] {
        let mut t = String::from("{");
        for i in 0..n {
            write!(t, "\"k{}\":{i},", i % (n / 2 + 1)).unwrap();
        }
        t.push_str("\"k0\":\"last\"}");
        agree(&t);
    }
}

/// Strings without escapes are borrowed from the text, with escapes copied.
#[test]
fn strings_borrowed() {
    let t = r#"{"plain":"text é","esc":"a\nb","k\u0041":"\u00e9"}"#;
    let v = parse(t).unwrap();
    let Json::Object(m) = &v else { panic!() };
    let kinds: Vec<(bool, bool)> = m
        .entries
        .iter()
        .map(|(k, v)| (matches!(k, Cow::Borrowed(_)), matches!(v, Json::String(Cow::Borrowed(_)))))
        .collect();
    assert_eq!(kinds, [(true, true), (true, false), (false, false)]);
}

/// A JSON value's text, with whitespace here and there, from the parts below.
fn json_text() -> impl Strategy<Value = String> {
    let ws = prop::sample::select(vec!["", "", "", " ", "\n", "\t", "\r\n", "  "]);
    let leaf = prop_oneof![Just("null".to_owned()), Just("true".to_owned()), Just("false".to_owned()), number(), string(),];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        let ws = ws.clone();
        prop_oneof![
            prop::collection::vec((inner.clone(), ws.clone(), ws.clone()), 0..6).prop_map(|xs| {
                let parts: Vec<String> = xs.into_iter().map(|(x, a, b)| format!("{a}{x}{b}")).collect();
                format!("[{}]", parts.join(","))
            }),
            prop::collection::vec((string(), inner, ws.clone(), ws), 0..6).prop_map(|xs| {
                let parts: Vec<String> = xs.into_iter().map(|(k, x, a, b)| format!("{a}{k}{b}:{a}{x}{b}")).collect();
                format!("{{{}}}", parts.join(","))
            }),
        ]
    })
}

/// A JSON number's text: integers of every size, fractions, exponents.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,3})",
        "-?[1-9][0-9]{15,22}",
        "-?(0|[1-9][0-9]{0,20})\\.[0-9]{1,20}",
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,30})?[eE][+-]?[0-9]{1,3}",
        "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,5})?[eE][+-]?(30[0-9]|32[0-9]|34[0-9]|[0-9]{9,12})",
        any::<f64>().prop_map(|f| if f.is_finite() { format!("{f:e}") } else { "0".to_owned() }),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// A JSON string's text: plain characters, escapes, `\u` escapes (some of
/// them lone surrogates, so not JSON), non-ASCII.
fn string() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[a-z ]{0,6}",
        "[é中😀]",
        prop::sample::select(vec![
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\u00e9",
            "\\uD83D\\uDE00",
            "\\u0000"
        ])
        .prop_map(str::to_owned),
        "\\\\u[0-9a-fA-F]{4}",
        "\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
    ];
    prop::collection::vec(part, 0..5).prop_map(|ps| format!("\"{}\"", ps.concat()))
}

/// Near-JSON: a JSON text cut short, with a character added, removed or
/// replaced, or something after it.
fn near_json() -> impl Strategy<Value = String> {
    let junk = prop::sample::select(vec![
        "", " ", ",", ":", "[", "]", "{", "}", "\"", "\\", "\\u", "\\uD800", "-", "+", ".", "e", "E", "0", "1", "x", "n", "\u{1}", "\u{1f}", "\u{7f}", "\n",
        "é", "\u{feff}", "1e400", "nul", "tru",
    ]);
    (json_text(), any::<prop::sample::Index>(), junk, 0..5u8).prop_map(|(t, at, junk, how)| {
        let cut = {
            let mut i = at.index(t.len() + 1);
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let next = t[cut..].chars().next().map_or(cut, |c| cut + c.len_utf8());
        match how {
            0 => t[..cut].to_owned(),
            1 => format!("{}{junk}{}", &t[..cut], &t[cut..]),
            2 => format!("{}{}", &t[..cut], &t[next..]),
            3 => format!("{}{junk}{}", &t[..cut], &t[next..]),
            _ => format!("{t}{junk}"),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, .. ProptestConfig::default() })]

    #[test]
    fn any_text_like_value(s in r#"[\[\]{}",:0-9a-c \\.eE+\-nutrlfé\n]{0,40}"#) {
        agree(&s);
    }

    #[test]
    fn json_like_value(t in json_text()) {
        agree(&t);
    }

    #[test]
    fn near_json_like_value(t in near_json()) {
        agree(&t);
    }

    #[test]
    fn numbers_like_value(t in "-?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{0,12})?[ x,]?") {
        agree(&t);
    }
}
