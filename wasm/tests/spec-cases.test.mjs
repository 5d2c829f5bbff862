// Runs every conformance case of spec/cases/*.json through the WASM build
// (the `jindu` package, Node entry) and matches the response against the
// case's `expected` pattern (spec/README.md). Where the build also wrote the
// native golden answers (target/jindu-wasm/golden.json, by wasm/build.sh), the
// WASM response must equal the native Rust response byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import * as jindu from 'jindu';
import { loadCases, callOf, root } from './cases.mjs';
import { mismatches } from './matcher.mjs';

const cases = loadCases();
const goldenPath = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'jindu-wasm', 'golden.json');
const golden = existsSync(goldenPath) ? JSON.parse(readFileSync(goldenPath, 'utf8')) : null;
const requireGolden = process.env.JINDU_REQUIRE_GOLDEN === '1';

test('spec cases exist and have unique ids and the required keys', () => {
  assert.ok(cases.length > 0, 'no case found in spec/cases');
  const ids = new Set();
  for (const { file, case: c } of cases) {
    assert.ok(!ids.has(c.id), `duplicate case id ${c.id}`);
    ids.add(c.id);
    for (const k of ['id', 'description', 'operation', 'request', 'expected']) assert.ok(k in c, `${file} ${c.id}: missing ${k}`);
  }
});

for (const { file, case: c } of cases) {
  test(`${file} ${c.id}`, (t) => {
    const call = callOf(c);
    const text = jindu.callJson(JSON.stringify(call));
    const response = JSON.parse(text);
    const why = mismatches(c.expected, response);
    assert.deepEqual(why, [], `${c.description}\nresponse: ${text}`);
    // The object entry point gives the same response.
    assert.deepEqual(jindu.call(call), response);

    const g = golden?.[c.id];
    if (g && isDeepStrictEqual(JSON.parse(g.call), call)) {
      // The very text the native build answered, answered by the WASM build.
      assert.equal(jindu.callJson(g.call), g.response, 'the WASM response differs from the native Rust response');
    } else if (requireGolden) {
      assert.fail(`no current native golden answer for ${c.id} in ${goldenPath}: run wasm/build.sh`);
    } else {
      t.diagnostic(`no current native golden answer (${goldenPath}): matched against the pattern only`);
    }
  });
}
