//! Rulebook loading (read, resolve `extends`, check, diff) and a call against the loaded rulebook:
//! input `rulebook-json [NUL selector request-json]` (see src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jindu_fuzz::fuzz_rulebook(data));
