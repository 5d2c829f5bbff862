// Node ESM entry of `jindu` (wasm-bindgen `nodejs` target: the module is
// loaded synchronously on import; init() is there for code shared with browsers).
import { createRequire } from 'node:module';
import { createApi } from './api.mjs';

const raw = createRequire(import.meta.url)('./node/jindu_wasm.js');

export const init = () => Promise.resolve();
export const initSync = () => {};
export const isReady = () => true;

export const {
  call, callJson, list, review, consequences, timeline, assess, rank, duties, validate, rulebooks, rulebook, citations, errorCatalogue, version,
} = createApi(() => raw);
