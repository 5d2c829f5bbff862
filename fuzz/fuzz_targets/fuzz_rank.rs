//! `rank` through the JSON call layer: input `[selector] request-json` (see src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jindu_fuzz::fuzz_operation("rank", data));
