//! Turns each built-in rulebook (`spec/rulebooks/*.json`) into an image in
//! `OUT_DIR` (`<id>.jbin`), the compact form the library embeds and decodes
//! at start-up instead of parsing JSON text: see `src/image/mod.rs` for why
//! and `src/image/encode.rs` for the format.

use std::error::Error;
use std::path::{Path, PathBuf};

#[path = "src/image/encode.rs"]
mod encode;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/rulebooks");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-changed=src/image/encode.rs");
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let stem = path.file_stem().ok_or("no file name")?;
        std::fs::write(out.join(stem).with_extension("jbin"), encode::encode(&value))?;
    }
    Ok(())
}
