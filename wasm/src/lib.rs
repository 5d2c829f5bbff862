//! WASM binding (in progress).
