// Node CommonJS entry of `jindu` (wasm-bindgen `nodejs` target: the module is
// loaded synchronously on require; init() is there for code shared with browsers).
'use strict';
const raw = require('./node/jindu_wasm.js');
const { createApi } = require('./api.cjs');

module.exports = {
  init: () => Promise.resolve(),
  initSync: () => {},
  isReady: () => true,
  ...createApi(() => raw),
};
