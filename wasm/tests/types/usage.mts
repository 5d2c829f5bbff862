// A small typed use of the package (ES module, Node16 resolution through the
// exports map): `tsc --noEmit -p tests/types` checks the generated .d.ts
// against it. The @ts-expect-error lines must stay errors: the types are strict.
import {
  init,
  review,
  validate,
  call,
  rulebook,
  rulebooks,
  citations,
  errorCatalogue,
  type ReviewRequest,
  type ReviewAnswer,
  type FieldError,
  type Validation,
  type Operation,
  type RulebookFile,
  type ConditionInput,
  type ReviewOutcome,
} from 'jindu';

await init();

const request: ReviewRequest = {
  listing: {
    area: { name: '三湖镇', level: 'township' },
    issuer: { level: 'county' },
    tier: 'rectify',
    listed_on: '2018-06-01',
    extensions_used: 0,
  },
  on: '2020-06-01',
  application: 'cancel',
  facts: { goal_met: true, conditions: { organisation_leadership: { leaders_attentive: true }, mechanisms: true } },
  officials: [{ name: '王某', role: 'first_responsible', in_post_since: '2016-03-01' }],
};

const r = review(request, { rulebook: 'hengyang-county-2018-rectification', explain: false });
if (r.ok) {
  const a: ReviewAnswer = r.answer;
  const outcome: ReviewOutcome = a.outcome;
  const cited: string[] = a.cited;
  const firstNote: string | undefined = a.notes[0]?.code;
  const hash: string = r.answer.receipt.request_hash;
  void [outcome, cited, firstNote, hash];
} else {
  const errors: FieldError[] = r.errors;
  const paths: string[] = errors.map((e) => `${e.path} ${e.code} ${e.msg_zh} ${e.msg_en}`);
  void paths;
}

// receipt: false, as a literal: the answer's type has no receipt.
const lean = review(request, { rulebook: 'hengyang-county-2018-rectification', receipt: false });
if (lean.ok) {
  const none: undefined = lean.answer.receipt;
  // @ts-expect-error: no receipt was asked for
  const _hash: string = lean.answer.receipt.request_hash;
  void [none, _hash];
}
const askReceipt: boolean = Math.random() < 2;
const maybe = review(request, { rulebook: 'hengyang-county-2018-rectification', receipt: askReceipt });
if (maybe.ok) {
  const h: string | undefined = maybe.answer.receipt?.request_hash;
  // @ts-expect-error: perhaps no receipt
  const _sure: string = maybe.answer.receipt.request_hash;
  void [h, _sure];
}

const v: Validation = validate('review', { listing: { listed_on: '2019-02-29' } });
const needed: string[] = v.missing;
const op: Operation = 'timeline';
void [needed, op];

const c = call({ operation: 'consequences', rulebook: 'hengyang-county-2018-rectification', request: { listing: request.listing, on: '2019-01-01' } });
if (c.ok) {
  const measures: string[] = c.answer.measures.map((m) => m.measure);
  void measures;
}
const vc = call({ operation: 'validate', target: 'review', rulebook: 'hengyang-county-2018-rectification', request: {} });
if (vc.ok) {
  const valid: boolean = vc.answer.valid;
  void valid;
}

const rb: RulebookFile | undefined = rulebook('hengyang-county-2018-rectification');
const subPoints: string[] = rb?.delisting?.conditions.flatMap((x) => x.sub_points.map((s) => s.text.zh)) ?? [];
const ids: string[] = rulebooks().map((x) => `${x.id} ${x.hash} ${x.title.en}`);
const words: string | undefined = citations('hengyang-county-2018-rectification')?.['art14'];
const codes: string[] = errorCatalogue().map((e) => e.code);
const whole: ConditionInput = false;
void [subPoints, ids, words, codes, whole];

// @ts-expect-error: a tier the library does not know
const badTier: ReviewRequest['listing']['tier'] = 'severe';
// @ts-expect-error: listed_on is required
const noDate: ReviewRequest['listing'] = { area: { name: 'x', level: 'township' }, issuer: { level: 'county' }, tier: 'rectify' };
// @ts-expect-error: an unknown field of a request
const extra: ReviewRequest = { ...request, extra: 1 };
// @ts-expect-error: validate takes an operation that exists
validate('delist', {});
// @ts-expect-error: the outcome of review is not the outcome of list
const wrong: 'not_listed' = r.ok ? r.answer.outcome : 'not_listed';
void [badTier, noDate, extra, wrong];
