//! # jindu-wasm
//!
//! The WASM binding of [`jindu`]: it re-exports the core's JSON call layer to
//! JavaScript and does nothing else. Every export takes and returns JSON text
//! (measured faster and smaller than `serde-wasm-bindgen` object conversion;
//! see `wasm/README.md`); the npm package's JavaScript wrapper turns it into
//! objects. No rule logic lives here.
//!
//! Every export is total: [`jindu::call_json`] never panics, and the others
//! only serialise data the core built.

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs one call (JSON text, the shape of `spec/schema/call.schema.json`, or a
/// `validate` call) and returns the response as JSON text:
/// `{"ok": true, "answer": …}` or `{"ok": false, "errors": […]}`.
#[wasm_bindgen(js_name = callJson)]
#[must_use]
pub fn call_json(call: &str) -> String {
    jindu::call_json(call)
}

/// The `swb` variant only (for the benchmark): the same call with objects
/// converted by serde-wasm-bindgen instead of JSON text.
#[cfg(feature = "swb")]
#[wasm_bindgen(js_name = callValue)]
#[must_use]
pub fn call_value(call: wasm_bindgen::JsValue) -> wasm_bindgen::JsValue {
    let v: serde_json::Value = match serde_wasm_bindgen::from_value(call) {
        Ok(v) => v,
        Err(e) => serde_json::json!({"operation": null, "unreadable": e.to_string()}),
    };
    let out = jindu::call_value(&v);
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&out, &ser).unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// The built-in rulebooks, described (JSON text of an array).
#[wasm_bindgen(js_name = rulebooksJson)]
#[must_use]
pub fn rulebooks_json() -> String {
    jindu::rulebooks_json_text()
}

/// The full text of a built-in rulebook (its JSON file), or `undefined`.
#[wasm_bindgen(js_name = rulebookText)]
#[must_use]
pub fn rulebook_text(id: &str) -> Option<String> {
    jindu::builtin_rulebook_text(id).map(str::to_owned)
}

/// The citation in words of every rule of a built-in rulebook, as JSON text
/// of an object `{rule id: citation}` (`衡阳县禁毒重点整治工作办法 第十四条第一项`),
/// or `undefined` for an unknown id.
#[wasm_bindgen(js_name = citationsJson)]
#[must_use]
pub fn citations_json(id: &str) -> Option<String> {
    jindu::citations_json_text(id)
}

/// The catalogue of every error code (JSON text of `[{code, zh, en}]`).
#[wasm_bindgen(js_name = errorCatalogueJson)]
#[must_use]
pub fn error_catalogue_json() -> String {
    jindu::error_catalogue_json()
}

/// The library version written in receipts.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    jindu::VERSION.to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn exports_answer() {
        let v: serde_json::Value = serde_json::from_str(&call_json("{")).unwrap();
        assert_eq!(v["ok"], false);
        let rbs: serde_json::Value = serde_json::from_str(&rulebooks_json()).unwrap();
        let id = rbs[0]["id"].as_str().unwrap();
        assert!(rulebook_text(id).is_some());
        let c: serde_json::Value = serde_json::from_str(&citations_json(id).unwrap()).unwrap();
        assert!(c["art14.i1"].as_str().unwrap().contains("第十四条"));
        assert!(citations_json("nope").is_none());
        assert!(error_catalogue_json().contains("missing_field"));
    }
}
