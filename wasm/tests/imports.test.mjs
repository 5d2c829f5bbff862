// The package's import paths: Node ESM (`import`), Node CommonJS (`require`),
// each in a consumer process of its own, and the browser entry (`jindu/web`,
// the wasm-bindgen `web` glue) loaded in Node from bytes. All give the same answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esm from 'jindu';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('jindu/package.json'));
const RB = { rulebook: 'hengyang-county-2018-rectification' };
const request = {
  listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'supervise', listed_on: '2018-06-01' },
  on: '2018-12-01',
};

test('import resolves to the Node ESM entry', () => {
  assert.match(import.meta.resolve('jindu'), /\/node\.mjs$/);
  assert.equal(esm.isReady(), true);
  assert.equal(esm.review(request, RB).answer.outcome, 'continue');
});

test('require resolves to the Node CommonJS entry and answers the same', () => {
  assert.match(require.resolve('jindu'), /node\.cjs$/);
  const cjs = require('jindu');
  assert.deepEqual(cjs.review(request, RB), esm.review(request, RB));
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(esm).sort());
});

for (const f of ['consumer.cjs', 'consumer.mjs']) {
  test(`a ${f.endsWith('.cjs') ? 'CommonJS' : 'ES-module'} consumer process`, () => {
    const out = JSON.parse(execFileSync(process.execPath, [join(here, 'fixtures', f)], { encoding: 'utf8' }));
    assert.match(out.resolved, f.endsWith('.cjs') ? /node\.cjs$/ : /node\.mjs$/);
    assert.equal(out.outcome, 'continue');
    assert.equal(out.hash, esm.review(request, RB).answer.receipt.request_hash);
  });
}

test('the browser entry (jindu/web) loads from bytes and answers the same', async () => {
  const web = await import('jindu/web');
  assert.match(import.meta.resolve('jindu/web'), /\/index\.mjs$/);
  assert.equal(web.isReady(), false);
  assert.throws(() => web.review(request, RB), /await init\(\) first/);
  await web.init(readFileSync(join(pkgDir, 'web', 'jindu_wasm_bg.wasm')));
  assert.equal(web.isReady(), true);
  await web.init(); // again: a no-op
  assert.deepEqual(web.review(request, RB), esm.review(request, RB));
  assert.equal(web.callJson('{'), esm.callJson('{'));
});

test('package.json: exports and files point at files that exist', () => {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'jindu');
  assert.ok(!('type' in manifest), 'no package type: each file says its own module kind');
  const targets = [];
  (function walk(x) {
    if (typeof x === 'string') targets.push(x);
    else for (const v of Object.values(x)) walk(v);
  })(manifest.exports);
  for (const t of [...targets, manifest.main, manifest.module, manifest.types]) assert.ok(existsSync(join(pkgDir, t)), t);
  for (const f of manifest.files) assert.ok(existsSync(join(pkgDir, f)), f);
  for (const f of ['README.md', 'types.d.ts', 'web/jindu_wasm_bg.wasm', 'node/jindu_wasm_bg.wasm']) assert.ok(existsSync(join(pkgDir, f)), f);
  assert.equal(JSON.parse(readFileSync(join(pkgDir, 'web', 'package.json'), 'utf8')).type, 'module');
  assert.equal(JSON.parse(readFileSync(join(pkgDir, 'node', 'package.json'), 'utf8')).type, 'commonjs');
});
