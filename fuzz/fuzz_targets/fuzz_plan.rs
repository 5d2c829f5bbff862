//! A batch by column through the compiled plan's row, column and block paths (see src/lib.rs).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| jindu_fuzz::fuzz_plan(data));
