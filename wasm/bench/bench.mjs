// Size and speed of the WASM package, printed (not asserted):
// - the .wasm after wasm-opt, raw, gzip -9 and brotli (target: <= 150 KB gzip);
// - one `validate` and one `review` of a typical request from JS (target:
//   <= 20 µs median), through the object API and through callJson (text in,
//   text out), and where it is built the native core on the same call text;
// - where the boundary goes: JSON.stringify of the call, the WASM call with
//   its string in and out, UTF-8 decoding of the answer, JSON.parse;
// - every operation, and validate of it, over the spec cases that answer it
//   (the median of the per-case medians), object API, callJson and native;
// - where bench/build-swb.sh has built it, the same call with
//   serde-wasm-bindgen object conversion instead of JSON text.
//
// usage: node bench/bench.mjs [samples=20000] [samples per spec case=200]
// (the native figures need `cargo build --release -p jindu-wasm --example native`)
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import * as jindu from 'jindu';
import { loadCases, callOf } from '../tests/cases.mjs';
import { RB, typicalRequest } from './typical.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('jindu/package.json'));
const raw = require(join(pkgDir, 'node', 'jindu_wasm.js'));
const target = process.env.CARGO_TARGET_DIR ?? join(here, '..', '..', 'target');
const SAMPLES = Number(process.argv[2] ?? 20000);
const PER_CASE = Number(process.argv[3] ?? 200);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
function sizes(label, file) {
  const b = readFileSync(file);
  const gz = gzipSync(b, { level: 9 }).length;
  const br = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${label.padEnd(34)} ${String(b.length).padStart(7)} B = ${kb(b.length).padStart(8)} raw  ${String(gz).padStart(7)} B = ${kb(gz).padStart(8)} gzip -9  ${kb(br).padStart(8)} brotli`);
  return gz;
}

// Median µs of fn over n samples (after a warm-up).
function median(fn, n) {
  for (let i = 0; i < Math.min(2000, n); i++) fn();
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  return { q: (p) => t[Math.min(n - 1, Math.floor(p * n))], mean: t.reduce((x, y) => x + y, 0) / n };
}
function time(label, fn, n = SAMPLES) {
  const m = median(fn, n);
  console.log(`${label.padEnd(56)} median ${m.q(0.5).toFixed(1).padStart(6)} µs   p90 ${m.q(0.9).toFixed(1).padStart(6)} µs   mean ${m.mean.toFixed(1).padStart(6)} µs`);
  return m.q(0.5);
}

// The native core (release build of wasm/examples/native) on call texts: medians in µs.
const nativeBin = join(target, 'release', 'examples', 'native');
const haveNative = existsSync(nativeBin);
function nativeMedians(texts, n) {
  const dir = mkdtempSync(join(tmpdir(), 'jindu-bench-'));
  const f = join(dir, 'calls.json');
  writeFileSync(f, JSON.stringify(texts));
  return JSON.parse(execFileSync(nativeBin, ['bench-many', f, String(n)], { encoding: 'utf8' }));
}
const fmt = (x) => (x === undefined ? '     -' : x.toFixed(1).padStart(6));

console.log(`jindu ${jindu.version()} · node ${process.version} · ${SAMPLES} samples per line, ${PER_CASE} per spec case\n`);
console.log('size');
const gz = sizes('web/jindu_wasm_bg.wasm (wasm-opt)', join(pkgDir, 'web', 'jindu_wasm_bg.wasm'));
const swbDir = join(target, 'jindu-wasm', 'swb');
const haveSwb = existsSync(join(swbDir, 'raw.js'));
if (haveSwb) sizes('serde-wasm-bindgen variant (swb)', join(swbDir, 'raw_bg.wasm'));
console.log(`target <= 150 KB gzip: ${gz <= 150 * 1024 ? 'met' : 'NOT met'} (${kb(gz)})\n`);

// The typical request: the demo's delisting application, every sub-point given.
const request = typicalRequest(jindu.rulebook(RB));
const opts = { rulebook: RB };
const v = jindu.validate('review', request, opts);
const r = jindu.review(request, opts);
if (!v.valid || !r.ok) throw new Error(`the typical request must be valid: ${JSON.stringify(v.errors)}`);
const callText = JSON.stringify({ operation: 'review', rulebook: RB, request });
const quietText = JSON.stringify({ operation: 'review', rulebook: RB, explain: false, request });
const leanText = JSON.stringify({ operation: 'review', rulebook: RB, explain: false, receipt: false, request });
const validateText = JSON.stringify({ operation: 'validate', target: 'review', rulebook: RB, request });
const answerText = jindu.callJson(callText);
const answerBytes = Buffer.byteLength(answerText);
console.log(`speed (typical request: review of a delisting application, answer ${r.answer.outcome}, ${r.answer.cited.length} rules cited;`);
console.log(`       call ${Buffer.byteLength(callText)} B of JSON, answer ${answerBytes} B (${Buffer.byteLength(jindu.callJson(quietText))} B without the trail))`);
const mv = time('validate(op, request, options)          objects', () => jindu.validate('review', request, opts));
const mr = time('review(request, options)                objects', () => jindu.review(request, opts));
time('review(request, {explain: false})       objects', () => jindu.review(request, { rulebook: RB, explain: false }));
time('callJson(validate call)                 text', () => jindu.callJson(validateText));
time('callJson(review call)                   text', () => jindu.callJson(callText));
time('callJson(review call, explain false)    text', () => jindu.callJson(quietText));
// a form's intermediate review, as the application is typed: no trail, no receipt
time('review(request, {no trail, no receipt})   objects', () => jindu.review(request, { rulebook: RB, explain: false, receipt: false }));
time('callJson(review call, no trail, no receipt) text', () => jindu.callJson(leanText));
if (haveNative) {
  const [nv, nr, nq] = nativeMedians([validateText, callText, quietText], Math.min(SAMPLES, 5000));
  console.log(`${'native call_json(validate call)'.padEnd(56)} median ${fmt(nv)} µs`);
  console.log(`${'native call_json(review call)'.padEnd(56)} median ${fmt(nr)} µs`);
  console.log(`${'native call_json(review call, explain false)'.padEnd(56)} median ${fmt(nq)} µs`);
} else {
  console.log('(cargo build --release -p jindu-wasm --example native: to compare with the native core)');
}

console.log('\nwhere the time of review(request, options) goes (the parts, one by one)');
const call = { operation: 'review', rulebook: RB, request };
time('JSON.stringify(call)                    JS', () => JSON.stringify(call));
time('callJson(text): WASM, string in and out', () => raw.callJson(callText));
const dec = new TextDecoder('utf-8', { ignoreBOM: true });
const bytes = new TextEncoder().encode(answerText);
time(`TextDecoder.decode(answer, ${answerBytes} B UTF-8)      JS`, () => dec.decode(bytes));
time('JSON.parse(answer)                      JS', () => JSON.parse(answerText));
time('callJson("null"): the fixed cost of a call (error path)', () => raw.callJson('null'));
time('version(): a bare boundary crossing', () => raw.version());

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

// Every operation over the spec cases that answer it, and validate of the same requests.
console.log(`\nper operation: median over the spec cases that answer it of each case's median (µs), ${PER_CASE} samples a case`);
console.log(`${'operation'.padEnd(22)} cases   objects  callJson    native`);
const byOp = new Map();
for (const { case: c } of loadCases()) {
  if (c.expected?.ok !== true || c.operation === 'validate') continue;
  const callObj = callOf(c);
  for (const [name, obj] of [
    [c.operation, callObj],
    [`validate ${c.operation}`, { ...callObj, operation: 'validate', target: c.operation }],
  ]) {
    if (!byOp.has(name)) byOp.set(name, []);
    byOp.get(name).push({ obj, text: JSON.stringify(obj) });
  }
}
const mid = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
const names = [...byOp.keys()].sort((a, b) => a.replace('validate ', '') .localeCompare(b.replace('validate ', '')) || a.length - b.length);
for (const name of names) {
  const calls = byOp.get(name);
  const objs = calls.map(({ obj }) => median(() => jindu.call(obj), PER_CASE).q(0.5));
  const texts = calls.map(({ text }) => median(() => jindu.callJson(text), PER_CASE).q(0.5));
  const nat = haveNative ? nativeMedians(calls.map((x) => x.text), PER_CASE) : [];
  console.log(`${name.padEnd(22)} ${String(calls.length).padStart(5)}    ${fmt(mid(objs))}    ${fmt(mid(texts))}    ${fmt(haveNative ? mid(nat) : undefined)}`);
}
console.log('');

if (haveSwb) {
  const swb = require(join(swbDir, 'raw.js'));
  const a = swb.callValue(call);
  if (JSON.stringify(a) !== JSON.stringify(jindu.call(call))) console.log('(the swb variant answers differently!)');
  time('callValue(review call)                  serde-wasm-bindgen', () => swb.callValue(call));
  time('callValue(validate call)                serde-wasm-bindgen', () => swb.callValue({ operation: 'validate', target: 'review', rulebook: RB, request }));
} else {
  console.log('(run bench/build-swb.sh to compare with serde-wasm-bindgen object conversion)');
}
console.log(`\ntarget <= 20 µs median: validate ${mv <= 20 ? 'met' : 'NOT met'} (${mv.toFixed(1)} µs), review ${mr <= 20 ? 'met' : 'NOT met'} (${mr.toFixed(1)} µs)`);
console.log(`indicator return (no target set): validate ${mav.toFixed(1)} µs, assess ${ma.toFixed(1)} µs`);
