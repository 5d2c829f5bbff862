#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::types::{DUE, EVERY_MONTHS, PER, PERIOD, STRUCTS, THRESHOLD, UNIT_ENUMS, WEEKLY, WHEN};
use super::*;
use crate::model::{Basis, Level, Modality, Named, Tier};
use crate::rulebook::RulebookFile;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// The JSON files of `spec/rulebooks`, smallest first.
fn rulebooks() -> Vec<(String, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/rulebooks");
    let mut out: Vec<(usize, String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                text.len(),
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by_key(|a| a.0);
    out.into_iter().map(|(_, n, v)| (n, v)).collect()
}

/// What serde's derived code reads from a value, and what the image reader
/// reads from its image.
fn both(v: &Value) -> (Option<RulebookFile>, Option<RulebookFile>) {
    (RulebookFile::deserialize(v).ok(), decode(&encode::encode(v)).ok())
}

#[test]
fn text_round_trips() {
    let text = r#"{"b": [true, false, null, 0, 1, 300, -1, -9223372036854775808, 18446744073709551615, 0.5, -2.5e-7, 95.0],
        "a": {"x": "一", "y": "一\n\"", "z": {}}, "e": []}"#;
    let v: Value = serde_json::from_str(text).unwrap();
    assert_eq!(json_text(&encode::encode(&v)).unwrap(), serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn every_rulebook_decodes_as_serde_reads_it() {
    for (name, v) in rulebooks() {
        let (serde, image) = both(&v);
        assert!(serde.is_some(), "{name}");
        assert_eq!(image, serde, "{name}");
    }
}

#[test]
fn truncated_images_are_errors() {
    let (name, v) = rulebooks().into_iter().next().unwrap();
    let image = encode::encode(&v);
    assert!(decode::<RulebookFile>(&image).is_ok());
    for n in 0..image.len() {
        assert!(decode::<RulebookFile>(&image[..n]).is_err(), "{name}: {n} bytes");
        assert!(json_text(&image[..n]).is_err(), "{name}: {n} bytes");
    }
    let mut longer = image.clone();
    longer.push(tag::NULL);
    assert!(decode::<RulebookFile>(&longer).is_err());
}

/// Every object of every built-in rulebook (once per place in the format and
/// set of keys) with one key removed, one unknown key added, or the value of
/// a key replaced by one of another kind or range: the image reader accepts
/// exactly what serde's derived code accepts, and reads the same rulebook.
/// (Structs written as arrays, which serde also takes, are not tried: the
/// image reader takes objects only, as the files are written.)
#[test]
fn variants_decode_as_serde_reads_them() {
    let others: Vec<Value> = [
        "null",
        "true",
        "0",
        "1",
        "255",
        "256",
        "65536",
        "4294967296",
        "-1",
        "1.5",
        "\"\"",
        "\"x\"",
        "\"2018-02-28\"",
        "\"2018-02-30\"",
        "\"must\"",
        "[]",
        "[\"x\"]",
        "[1]",
        "{}",
        "{\"zh\": \"一\", \"en\": \"one\"}",
        "{\"years\": 1}",
        "{\"quarterly\": null}",
        "{\"veto\": null}",
    ]
    .iter()
    .map(|t| serde_json::from_str(t).unwrap())
    .collect();
    let mut seen = HashSet::new();
    let mut tried = 0usize;
    for (name, mut root) in rulebooks() {
        // The paths of every object, as key/index steps.
        let mut paths: Vec<Vec<Step>> = Vec::new();
        collect(&root, &mut Vec::new(), &mut paths);
        for path in paths {
            let sig = {
                let o = at(&mut root, &path).as_object().unwrap();
                let shape: Vec<String> = path.iter().map(Step::shape).collect();
                (shape.join("."), o.keys().cloned().collect::<Vec<_>>())
            };
            if !seen.insert(sig) {
                continue;
            }
            let keys: Vec<String> = at(&mut root, &path).as_object().unwrap().keys().cloned().collect();
            let mut check = |root: &Value, what: &str| {
                let (serde, image) = both(root);
                assert!(
                    image == serde,
                    "{name}: {what}: read by the image reader {}, by serde {}",
                    image.is_some(),
                    serde.is_some()
                );
                tried += 1;
            };
            // An unknown key.
            at(&mut root, &path).as_object_mut().unwrap().insert("zz".into(), Value::Null);
            check(&root, &format!("{path:?} + zz"));
            at(&mut root, &path).as_object_mut().unwrap().shift_remove("zz");
            for k in &keys {
                let o = at(&mut root, &path).as_object_mut().unwrap();
                let i = o.keys().position(|x| x == k).unwrap();
                let old = o.shift_remove(k).unwrap();
                check(&root, &format!("{path:?} - {k}"));
                for other in &others {
                    // A struct's value as an array is what the reader does not take.
                    if old.is_object() && other.is_array() {
                        continue;
                    }
                    let o = at(&mut root, &path).as_object_mut().unwrap();
                    o.shift_insert(i, k.clone(), other.clone());
                    check(&root, &format!("{path:?}.{k} = {other}"));
                    at(&mut root, &path).as_object_mut().unwrap().shift_remove(k);
                }
                at(&mut root, &path).as_object_mut().unwrap().shift_insert(i, k.clone(), old);
            }
        }
    }
    assert!(tried > 1000, "{tried}");
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    fn shape(&self) -> String {
        match self {
            Step::Key(k) => k.clone(),
            Step::Index(_) => "[]".into(),
        }
    }
}

fn collect(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Object(m) => {
            out.push(path.clone());
            for (k, x) in m {
                path.push(Step::Key(k.clone()));
                collect(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                collect(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => v.get_mut(k.as_str()).unwrap(),
        Step::Index(i) => v.get_mut(*i).unwrap(),
    })
}

/// The readers' field and variant names are the ones in the rulebook's JSON
/// Schema (made from the types' serde attributes, kept current by a test),
/// and so are the fields that must be there.
#[test]
fn the_readers_names_are_the_schemas() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/schema/rulebook.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let defs = schema["$defs"].as_object().unwrap();
    let props = |def: &Value| -> (Vec<String>, HashSet<String>) {
        let names = def["properties"].as_object().unwrap().keys().cloned().collect();
        let required = def
            .get("required")
            .map_or_else(HashSet::new, |r| r.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect());
        (names, required)
    };
    let mut structs = 0;
    for (name, fields, req) in STRUCTS {
        let def = if *name == "RulebookFile" { &schema } else { &defs[*name] };
        let (names, required) = props(def);
        assert_eq!(names, fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>(), "{name}");
        let ours: HashSet<String> = fields.iter().zip(req.iter()).filter(|(_, r)| **r).map(|(f, _)| (*f).to_owned()).collect();
        assert_eq!(ours, required, "{name}: required fields");
        structs += 1;
    }
    // Every def of the schema that is an object is read by a struct reader.
    let objects = defs.values().filter(|d| d.get("properties").is_some()).count() + 1;
    assert_eq!(structs, objects);

    // Enums: (name, has content) of each variant, in order.
    let variants = |name: &str| -> Vec<(String, bool)> {
        defs[name]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| match v.get("const") {
                Some(c) => (c.as_str().unwrap().to_owned(), false),
                None => (v["properties"].as_object().unwrap().keys().next().unwrap().clone(), true),
            })
            .collect()
    };
    let own = |t: &[(&str, bool)]| t.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect::<Vec<_>>();
    let units = |t: &[&str]| t.iter().map(|n| ((*n).to_owned(), false)).collect::<Vec<_>>();
    fn named<T: Named>() -> Vec<&'static str> {
        T::ALL.iter().map(|(n, _)| *n).collect()
    }
    let mut enums = 0;
    for (name, names) in UNIT_ENUMS {
        assert_eq!(variants(name), units(names), "{name}");
        enums += 1;
    }
    for (name, names) in [
        ("Level", named::<Level>()),
        ("Tier", named::<Tier>()),
        ("Modality", named::<Modality>()),
        ("Basis", named::<Basis>()),
    ] {
        assert_eq!(variants(name), units(&names), "{name}");
        enums += 1;
    }
    for (name, table) in [("Period", PERIOD), ("Threshold", THRESHOLD), ("When", WHEN), ("Due", DUE)] {
        assert_eq!(variants(name), own(table), "{name}");
        enums += 1;
    }
    let one_of = defs.values().filter(|d| d.get("oneOf").is_some()).count();
    assert_eq!(enums, one_of);

    // The struct variants' fields.
    let inner = |name: &str, variant: &str| {
        let v = defs[name]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["properties"].get(variant).is_some())
            .unwrap();
        props(&v["properties"][variant])
    };
    let all = |f: &[&str]| {
        (
            f.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            f.iter().map(|s| (*s).to_owned()).collect::<HashSet<_>>(),
        )
    };
    assert_eq!(inner("Threshold", "per"), all(PER));
    assert_eq!(inner("Due", "every_months"), all(EVERY_MONTHS));
    assert_eq!(inner("Due", "weekly"), all(WEEKLY));
}
