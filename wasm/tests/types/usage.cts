// The same package through require() (CommonJS, Node16 resolution: the
// `require` condition and jindu.d.cts).
import jindu = require('jindu');

const v: jindu.Validation = jindu.validate('review', {}, { rulebook: 'hengyang-county-2018-rectification' });
const first: jindu.FieldError | undefined = v.errors[0];
const r = jindu.timeline(
  {
    listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'supervise', listed_on: '2018-06-01' },
    reviews: [{ on: '2019-06-01', facts: { goal_met: false, special_circumstances: true }, application: 'extend' }],
  },
  { jurisdiction: 'cn-hn-hengyang-county' },
);
const steps: number = r.ok ? r.answer.steps.length : 0;
// @ts-expect-error: init takes at most one argument
void jindu.init(1, 2);
export { first, steps };
