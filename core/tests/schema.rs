//! The checked-in JSON Schemas under spec/schema/ must match the types.
#![cfg(feature = "schema")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

#[test]
fn schemas_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/schema");
    let update = std::env::var("JINDU_UPDATE_SCHEMA").is_ok();
    let mut stale = Vec::new();
    for (name, schema) in jindu::schema::schemas() {
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run JINDU_UPDATE_SCHEMA=1 cargo test -p jindu-core --features schema --test schema"
    );
}
