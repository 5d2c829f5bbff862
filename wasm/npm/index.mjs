// Browser and bundler entry of `jindu` (ESM, wasm-bindgen `web` target).
// Call `await init()` once before anything else; it fetches the .wasm next to
// this file (bundlers such as Vite copy it as an asset).
import initWasm, * as raw from './web/jindu_wasm.js';
import { createApi } from './api.mjs';

let ready = false;
let pending;

/** Loads the module. `input`: a URL, Response, bytes or WebAssembly.Module; default the bundled .wasm. */
export function init(input) {
  if (ready) return Promise.resolve();
  if (!pending) {
    pending = initWasm(input === undefined ? undefined : { module_or_path: input }).then(
      () => {
        ready = true;
      },
      (e) => {
        pending = undefined;
        throw e;
      },
    );
  }
  return pending;
}

/** Loads the module synchronously from bytes or a WebAssembly.Module. */
export function initSync(module) {
  if (!ready) {
    raw.initSync({ module });
    ready = true;
  }
}

/** Whether the module is loaded. */
export const isReady = () => ready;

function need() {
  if (!ready) throw new Error('jindu: the WASM module is not loaded yet: await init() first');
  return raw;
}

export const {
  call, callJson, list, review, consequences, timeline, assess, rank, duties, validate, rulebooks, rulebook, citations, errorCatalogue, version,
} = createApi(need);
