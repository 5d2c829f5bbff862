//! Whole calls as raw text through `jindu::call_json` (see src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jindu_fuzz::fuzz_call(data));
