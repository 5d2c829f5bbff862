// The package's functions: form validation (every field error with its path,
// code and zh/en message; the fields still needed), the operation wrappers,
// and the rulebook, citation and error-catalogue look-ups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as j from 'jindu';
import { root } from './cases.mjs';

const RB = 'hengyang-county-2018-rectification';
const opts = { rulebook: RB };
const listing = () => ({ area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'rectify', listed_on: '2018-06-01' });

test('validate: a day that does not exist is that field\'s error, with code and both messages', () => {
  const v = j.validate('review', { listing: { ...listing(), listed_on: '2019-02-29' }, on: '2020-06-01' }, opts);
  assert.equal(v.valid, false);
  assert.equal(v.errors.length, 1);
  const [e] = v.errors;
  assert.equal(e.code, 'no_such_day');
  assert.equal(e.path, 'listing.listed_on');
  assert.deepEqual(e.loc, ['listing', 'listed_on']);
  assert.match(e.msg_zh, /2019-02-29/);
  assert.match(e.msg_en, /2019-02-29/);
});

test('validate: every error at once, each at its own path', () => {
  const v = j.validate(
    'review',
    {
      listing: { ...listing(), tier: 'bogus', extensions_used: -1, area: { name: '三湖镇' } },
      on: '2020/06/01',
      application: 'withdraw',
      officials: [{ name: '王某', role: 'first_responsible', in_post_since: '2019-02-29' }],
    },
    opts,
  );
  assert.equal(v.valid, false);
  const at = Object.fromEntries(v.errors.map((e) => [e.path, e.code]));
  assert.equal(at['listing.tier'], 'unknown_value');
  assert.equal(at['listing.extensions_used'], 'out_of_range');
  assert.equal(at['listing.area.level'], 'missing_field');
  assert.equal(at.on, 'invalid_date');
  assert.equal(at.application, 'unknown_value');
  assert.equal(at['officials[0].in_post_since'], 'no_such_day');
  assert.ok(v.missing.includes('listing.area.level'));
  for (const e of v.errors) assert.ok(e.msg_zh && e.msg_en && Array.isArray(e.loc));
});

test('validate: a request valid so far tells which fields are still needed', () => {
  const empty = j.validate('review', {}, opts);
  assert.equal(empty.valid, false);
  assert.deepEqual([...empty.missing].sort(), ['listing', 'on']);
  const partial = j.validate('review', { listing: listing(), on: '2020-06-01', application: 'cancel' }, opts);
  assert.equal(partial.valid, true);
  assert.deepEqual(partial.errors, []);
  assert.ok(partial.missing.includes('facts.goal_met'), JSON.stringify(partial.missing));
  const full = j.validate('review', { listing: listing(), on: '2019-01-01' }, opts);
  assert.deepEqual(full, { valid: true, errors: [], missing: [] });
});

test('validate: anything a form may hold gives errors, never a throw', () => {
  for (const request of [null, 'x', 1, [], { listing: 'x' }, { listing: { ...listing(), listed_on: 20180601 } }]) {
    const v = j.validate('review', request, opts);
    assert.equal(v.valid, false);
    assert.ok(v.errors.length > 0);
  }
  // A rulebook that does not exist is an error too.
  const v = j.validate('review', { listing: listing(), on: '2019-01-01' }, { rulebook: 'nope' });
  assert.equal(v.errors[0].code, 'unknown_rulebook');
});

test('the operation wrappers are calls of the JSON layer', () => {
  const request = { listing: listing(), on: '2019-01-01' };
  assert.deepEqual(j.review(request, opts), j.call({ operation: 'review', rulebook: RB, request }));
  assert.deepEqual(j.consequences(request, opts), j.call({ operation: 'consequences', rulebook: RB, request }));
  assert.deepEqual(JSON.parse(j.callJson(JSON.stringify({ operation: 'review', rulebook: RB, request }))), j.review(request, opts));
  const t = j.timeline({ listing: listing(), reviews: [{ on: '2019-01-01' }] }, opts);
  assert.equal(t.ok, true);
  assert.equal(t.answer.operation, 'timeline');
  const l = j.list({ area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, on: '2018-06-01', basis: 'office_proposal', categories: ['drug_abuse'] }, opts);
  assert.equal(l.ok, true, JSON.stringify(l.errors));
  assert.equal(l.answer.operation, 'list');
  // explain: false leaves the trail out; the rules cited stay.
  const quiet = j.review(request, { ...opts, explain: false });
  assert.equal(quiet.answer.trail, undefined);
  assert.ok(j.review(request, opts).answer.trail.length > 0);
  assert.deepEqual(quiet.answer.cited, j.review(request, opts).answer.cited);
  // receipt: false leaves out the receipt and nothing else.
  const { receipt, ...rest } = j.review(request, opts).answer;
  assert.equal(receipt.request_hash.length, 64);
  const lean = j.review(request, { ...opts, receipt: false });
  assert.equal('receipt' in lean.answer, false);
  assert.deepEqual(lean.answer, rest);
  assert.equal(j.review(request, { ...opts, receipt: 'no' }).errors[0].path, 'receipt');
  // No rulebook named: the core says so.
  assert.equal(j.review(request).errors[0].code, 'missing_field');
});

test('what cannot be written as JSON is a structured error, not a throw', () => {
  const cyclic = { operation: 'review', rulebook: RB };
  cyclic.request = cyclic;
  for (const bad of [{ operation: 'review', request: 1n }, cyclic]) {
    const r = j.call(bad);
    assert.equal(r.ok, false);
    assert.equal(r.errors[0].code, 'invalid_json');
  }
  assert.equal(j.call(undefined).ok, false);
});

test('rulebooks, rulebook, citations', () => {
  const all = j.rulebooks();
  assert.ok(all.some((r) => r.id === RB));
  const rb = j.rulebook(RB);
  assert.equal(rb.id, RB);
  assert.equal(rb.delisting.conditions.length, 6);
  assert.deepEqual(rb, JSON.parse(readFileSync(join(root, 'spec', 'rulebooks', `${RB}.json`), 'utf8')));
  assert.equal(j.rulebook('nope'), undefined);
  const c = j.citations(RB);
  assert.match(c['art14.i3'], /第十四条第三项/);
  assert.deepEqual(Object.keys(c).sort(), rb.rules.map((r) => r.id).sort());
  assert.equal(j.citations('nope'), undefined);
  assert.equal(j.version(), all[0] && j.review({ listing: listing(), on: '2019-01-01' }, opts).answer.receipt.library_version);
});

test('the error catalogue has every code of the schema, in both languages', () => {
  const cat = j.errorCatalogue();
  const schema = JSON.parse(readFileSync(join(root, 'spec', 'schema', 'validation.schema.json'), 'utf8'));
  const codes = schema.$defs.ErrorCode.oneOf.map((o) => o.const);
  assert.deepEqual(cat.map((e) => e.code).sort(), [...codes].sort());
  for (const e of cat) assert.ok(e.zh && e.en);
});
