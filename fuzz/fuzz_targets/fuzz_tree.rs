//! Any text through jindu-tree's JSON reader and serde_json's (see src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jindu_fuzz::fuzz_tree(data));
