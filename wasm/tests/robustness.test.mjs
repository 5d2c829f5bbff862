// No panic reaches JavaScript: the invalid inputs of the spec cases and a few
// thousand generated ones (random JSON, random text, mutated valid requests)
// go through the WASM build; each answer must be a structured response, and
// the module must keep answering a known call exactly as before.
//
// JINDU_FUZZ_N (default 3000) generated inputs; JINDU_FUZZ_SEED (default: the
// day) picks them; a failure prints the seed and the input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jindu from 'jindu';
import { loadCases, callOf } from './cases.mjs';

const N = Number(process.env.JINDU_FUZZ_N ?? 3000);
const SEED = Number(process.env.JINDU_FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000));
const codes = new Set(jindu.errorCatalogue().map((e) => e.code));
const cases = loadCases().map((x) => x.case);
const RB = 'hengyang-county-2018-rectification';

// A known call and its answer: the module must keep giving exactly this.
const probe = JSON.stringify({
  operation: 'review',
  rulebook: RB,
  request: {
    listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'supervise', listed_on: '2018-06-01' },
    on: '2018-12-01',
  },
});
const probeAnswer = jindu.callJson(probe);

// mulberry32: small, seeded, reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkResponse(text, input) {
  assert.equal(typeof text, 'string');
  let r;
  try {
    r = JSON.parse(text);
  } catch {
    assert.fail(`not JSON: ${text.slice(0, 200)}\ninput: ${input.slice(0, 500)}`);
  }
  assert.equal(typeof r.ok, 'boolean', `no ok in ${text.slice(0, 200)}`);
  if (r.ok) {
    assert.ok(r.answer && typeof r.answer === 'object', 'ok without an answer');
  } else {
    assert.ok(Array.isArray(r.errors) && r.errors.length > 0, `an error response without errors: ${text.slice(0, 200)}\ninput: ${input.slice(0, 2000)}`);
    for (const e of r.errors) {
      assert.ok(codes.has(e.code), `unknown error code ${e.code}`);
      assert.equal(typeof e.path, 'string');
      assert.ok(Array.isArray(e.loc));
      assert.ok(typeof e.msg_zh === 'string' && e.msg_zh.length > 0);
      assert.ok(typeof e.msg_en === 'string' && e.msg_en.length > 0);
    }
  }
  return r;
}

function run(input) {
  let text;
  try {
    text = jindu.callJson(input);
  } catch (e) {
    assert.fail(`the module threw (a panic or trap reached JS) at seed ${SEED}: ${e}\ninput: ${input.slice(0, 2000)}`);
  }
  const r = checkResponse(text, input);
  assert.equal(jindu.callJson(probe), probeAnswer, `the module answers a known call differently after input: ${input.slice(0, 2000)}`);
  return r;
}

test('the spec cases expecting errors give structured errors', () => {
  const bad = cases.filter((c) => c.expected && c.expected.ok === false);
  for (const c of bad) {
    const r = run(JSON.stringify(callOf(c)));
    assert.equal(r.ok, false, c.id);
  }
  // And each case's request under every other operation, and through validate.
  for (const c of cases) {
    for (const op of ['list', 'review', 'consequences', 'timeline']) {
      run(JSON.stringify({ ...callOf(c), operation: op, target: undefined }));
      const v = run(JSON.stringify({ ...callOf(c), operation: 'validate', target: op }));
      if (v.ok) assert.equal(typeof v.answer.valid, 'boolean');
    }
  }
});

test('text that is not JSON, or not a call', () => {
  const inputs = [
    '', ' ', '{', '}', '[', 'null', 'true', '0', '-1', '1e400', '"x"', '[]', '{}', '{"operation":1}',
    '{"operation":"review"}', '{"operation":"review","request":null}', '{"operation":"validate","request":{}}',
    '\u0000', '\ud800', '[' .repeat(200) + ']'.repeat(200),
    '{"a":'.repeat(300) + '1' + '}'.repeat(300), JSON.stringify({ operation: 'review', rulebook: RB, request: 'x'.repeat(100000) }),
    JSON.stringify({ operation: 'timeline', rulebook: RB, request: { reviews: Array.from({ length: 2000 }, () => ({})) } }),
  ];
  for (const i of inputs) run(i);
});

// Random JSON values.
function randomJson(r, depth = 0) {
  const k = Math.floor(r() * (depth > 4 ? 6 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return [0, -1, 1, 255, 256, 1.5, -0.0, 1e21, 2 ** 53 + 2, -(2 ** 63), 1e308][Math.floor(r() * 11)];
    case 3: return randomString(r);
    case 4: return randomDate(r);
    case 5: return ['supervise', 'rectify', 'none', 'watch', 'township', 'village', 'county', 'lower', 'cancel', 'extend'][Math.floor(r() * 10)];
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
    default: {
      const o = {};
      const keys = ['listing', 'on', 'facts', 'application', 'officials', 'area', 'issuer', 'tier', 'listed_on', 'name', 'level',
        'extensions_used', 'status', 'deadline', 'conditions', 'goal_met', 'reviews', 'basis', 'categories', 'rebound', 'x', ''];
      for (let i = Math.floor(r() * 5); i > 0; i--) o[keys[Math.floor(r() * keys.length)]] = randomJson(r, depth + 1);
      return o;
    }
  }
}
function randomString(r) {
  const pool = ['', 'a', '三湖镇', '\u0000', '\ud83d\ude00', ' ', '"', '\\', 'x'.repeat(300), 'YYYY', '9999-12-31', '0000-01-01'];
  return pool[Math.floor(r() * pool.length)];
}
function randomDate(r) {
  const y = [1, 2018, 2019, 2020, 9999, 0, 10000][Math.floor(r() * 7)];
  const m = Math.floor(r() * 14);
  const d = Math.floor(r() * 33);
  const p = (n, w) => String(n).padStart(w, '0');
  return r() < 0.9 ? `${p(y, 4)}-${p(m, 2)}-${p(d, 2)}` : `${y}/${m}/${d}`;
}

// Mutations of a valid request: replace, delete or retype one field at a random path.
function mutate(r, v) {
  const copy = structuredClone(v);
  const paths = [];
  (function walk(x, path) {
    if (x && typeof x === 'object') {
      for (const k of Object.keys(x)) {
        paths.push([...path, k]);
        walk(x[k], [...path, k]);
      }
    }
  })(copy, []);
  for (let n = 1 + Math.floor(r() * 3); n > 0 && paths.length; n--) {
    const p = paths[Math.floor(r() * paths.length)];
    let parent = copy;
    for (const k of p.slice(0, -1)) parent = parent?.[k];
    if (!parent || typeof parent !== 'object') continue;
    const last = p[p.length - 1];
    const what = r();
    if (what < 0.25) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (what < 0.5) parent[last] = randomJson(r, 3);
    else if (what < 0.7) parent[last] = randomDate(r);
    else if (what < 0.8) parent[last] = null;
    else if (what < 0.9) parent[last] = [parent[last], parent[last]];
    else if (!Array.isArray(parent)) parent[`${last}_typo`] = parent[last];
  }
  return copy;
}

test(`${N} generated inputs (seed ${SEED})`, (t) => {
  const r = rng(SEED);
  const valid = cases.filter((c) => c.expected?.ok === true).map(callOf);
  assert.ok(valid.length > 0);
  let structuredErrors = 0;
  let answers = 0;
  for (let i = 0; i < N; i++) {
    const kind = i % 4;
    let input;
    if (kind === 0) {
      input = JSON.stringify(randomJson(r));
    } else if (kind === 1) {
      const ops = ['list', 'review', 'consequences', 'timeline', 'validate', 'nope'];
      const c = { operation: ops[Math.floor(r() * ops.length)], rulebook: r() < 0.9 ? RB : randomString(r), request: randomJson(r, 1) };
      if (c.operation === 'validate') c.target = ops[Math.floor(r() * 4)];
      if (r() < 0.2) c.as_of = randomDate(r);
      input = JSON.stringify(c);
    } else {
      const base = valid[Math.floor(r() * valid.length)];
      input = JSON.stringify(mutate(r, base));
      if (kind === 3 && r() < 0.3) input = input.slice(0, Math.floor(r() * input.length)); // truncated text
    }
    const out = run(input);
    if (out.ok) answers++;
    else structuredErrors++;
  }
  assert.equal(answers + structuredErrors, N);
  t.diagnostic(`${N} generated inputs: ${answers} answers, ${structuredErrors} structured errors, no throw`);
});
