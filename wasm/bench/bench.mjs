// Size and speed of the WASM package, printed (not asserted):
// - the .wasm after wasm-opt, raw and gzip -9 (target: <= 150 KB gzip);
// - one `validate` and one `review` of a typical request from JS (target:
//   <= 20 µs median), through the object API (JSON text across the boundary)
//   and through callJson (text in, text out);
// - where bench/build-swb.sh has built it, the same call with
//   serde-wasm-bindgen object conversion instead of JSON text.
//
// usage: node bench/bench.mjs [samples=20000]
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import * as jindu from 'jindu';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('jindu/package.json'));
const target = process.env.CARGO_TARGET_DIR ?? join(here, '..', '..', 'target');
const SAMPLES = Number(process.argv[2] ?? 20000);
const RB = 'hengyang-county-2018-rectification';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
function sizes(label, file) {
  const b = readFileSync(file);
  const gz = gzipSync(b, { level: 9 }).length;
  const br = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${label.padEnd(34)} ${kb(b.length).padStart(9)} raw  ${kb(gz).padStart(9)} gzip -9  ${kb(br).padStart(9)} brotli`);
  return gz;
}

// The typical request: the demo's delisting application, every sub-point given.
const rb = jindu.rulebook(RB);
const conditions = Object.fromEntries(rb.delisting.conditions.map((c) => [c.key, Object.fromEntries(c.sub_points.map((s) => [s.key, true]))]));
const request = {
  listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'rectify', listed_on: '2018-06-01', extensions_used: 0 },
  on: '2020-06-01',
  application: 'cancel',
  facts: { goal_met: true, conditions },
  officials: [{ name: '王某', role: 'first_responsible', in_post_since: '2016-03-01' }],
};
const opts = { rulebook: RB };

function time(label, fn) {
  for (let i = 0; i < Math.min(2000, SAMPLES); i++) fn();
  const t = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  const q = (p) => t[Math.min(SAMPLES - 1, Math.floor(p * SAMPLES))];
  const mean = t.reduce((x, y) => x + y, 0) / SAMPLES;
  console.log(`${label.padEnd(52)} median ${q(0.5).toFixed(1).padStart(6)} µs   p90 ${q(0.9).toFixed(1).padStart(6)} µs   mean ${mean.toFixed(1).padStart(6)} µs`);
  return q(0.5);
}

console.log(`jindu ${jindu.version()} · node ${process.version} · ${SAMPLES} samples per line\n`);
console.log('size');
const gz = sizes('web/jindu_wasm_bg.wasm (wasm-opt)', join(pkgDir, 'web', 'jindu_wasm_bg.wasm'));
const swbDir = join(target, 'jindu-wasm', 'swb');
const haveSwb = existsSync(join(swbDir, 'raw.js'));
if (haveSwb) sizes('serde-wasm-bindgen variant (swb)', join(swbDir, 'raw_bg.wasm'));
console.log(`target <= 150 KB gzip: ${gz <= 150 * 1024 ? 'met' : 'NOT met'} (${kb(gz)})\n`);

const v = jindu.validate('review', request, opts);
const r = jindu.review(request, opts);
if (!v.valid || !r.ok) throw new Error(`the typical request must be valid: ${JSON.stringify(v.errors)}`);
console.log(`speed (typical request: review of a delisting application, answer ${r.answer.outcome}, ${r.answer.cited.length} rules cited)`);
const callText = JSON.stringify({ operation: 'review', rulebook: RB, request });
const validateText = JSON.stringify({ operation: 'validate', target: 'review', rulebook: RB, request });
const mv = time('validate(op, request, options)          objects', () => jindu.validate('review', request, opts));
const mr = time('review(request, options)                objects', () => jindu.review(request, opts));
time('review(request, {explain: false})       objects', () => jindu.review(request, { rulebook: RB, explain: false }));
time('callJson(validate call)                 text', () => jindu.callJson(validateText));
time('callJson(review call)                   text', () => jindu.callJson(callText));
// A full indicator return under the Pingxiang plan (section B of the demo):
// every indicator, input and trend supplied.
const PX = 'pingxiang-2018-demonstration-city';
const px = jindu.rulebook(PX).assessment;
const values = { national_new_user_rate: 1, actual_users: 3000 };
for (const i of px.indicators) {
  const op = i.comparison?.op;
  values[i.key] = i.unit === 'percent' ? (op === 'lt' ? 0.5 : 100) : i.unit === 'hours' ? 10 : op === 'eq' || op === 'lt' ? 0 : 20000;
}
const series = Object.fromEntries(px.trends.map((t) => [t.key, t.measure === 'growth_rate' ? [10, 12, 13] : t.direction === 'rise' ? [1, 2] : [3, 2]]));
const assessRequest = { area: { name: '安源区', level: 'county' }, on: '2018-11-15', values, series };
const pxOpts = { rulebook: PX };
const ra = jindu.assess(assessRequest, pxOpts);
if (!ra.ok) throw new Error(`the typical indicator return must be valid: ${JSON.stringify(ra.errors)}`);
console.log(`\nspeed (indicator return: Pingxiang, ${px.indicators.length} indicators and ${px.trends.length} trends, verdict ${ra.answer.verdict})`);
const mav = time('validate(\'assess\', request, options)    objects', () => jindu.validate('assess', assessRequest, pxOpts));
const ma = time('assess(request, options)                objects', () => jindu.assess(assessRequest, pxOpts));
time('assess(request, {explain: false})       objects', () => jindu.assess(assessRequest, { rulebook: PX, explain: false }));
console.log('');
if (haveSwb) {
  const swb = require(join(swbDir, 'raw.js'));
  const call = { operation: 'review', rulebook: RB, request };
  const a = swb.callValue(call);
  if (JSON.stringify(a) !== JSON.stringify(jindu.call(call))) console.log('(the swb variant answers differently!)');
  time('callValue(review call)                  serde-wasm-bindgen', () => swb.callValue(call));
  time('callValue(validate call)                serde-wasm-bindgen', () => swb.callValue({ operation: 'validate', target: 'review', rulebook: RB, request }));
} else {
  console.log('(run bench/build-swb.sh to compare with serde-wasm-bindgen object conversion)');
}
// The same calls through the native core (release build of wasm/examples/native), for scale.
const native = join(target, 'release', 'examples', 'native');
if (existsSync(native)) {
  const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-'));
  for (const [label, text] of [['validate call', validateText], ['review call', callText]]) {
    const f = join(dir, 'call.json');
    writeFileSync(f, text);
    const us = execFileSync(native, ['bench', f, String(Math.min(SAMPLES, 5000))], { encoding: 'utf8' }).trim();
    console.log(`${`native call_json(${label})`.padEnd(52)} median ${Number(us).toFixed(1).padStart(6)} µs`);
  }
} else {
  console.log('(cargo build --release -p jindu-wasm --example native: to compare with the native core)');
}
console.log(`\ntarget <= 20 µs median: validate ${mv <= 20 ? 'met' : 'NOT met'} (${mv.toFixed(1)} µs), review ${mr <= 20 ? 'met' : 'NOT met'} (${mr.toFixed(1)} µs)`);
console.log(`indicator return (no target set): validate ${mav.toFixed(1)} µs, assess ${ma.toFixed(1)} µs`);
