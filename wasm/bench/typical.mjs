// The typical call of a form, shared by bench.mjs (Node) and
// browser-bench.mjs (which hands the request to its page): the demo's
// delisting application of a listed township, every sub-point of every
// delisting condition given.
export const RB = 'hengyang-county-2018-rectification';

/** The request, from the rulebook's own list of conditions (`jindu.rulebook(RB)`). */
export function typicalRequest(rb) {
  const conditions = Object.fromEntries(rb.delisting.conditions.map((c) => [c.key, Object.fromEntries(c.sub_points.map((s) => [s.key, true]))]));
  return {
    listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'rectify', listed_on: '2018-06-01', extensions_used: 0 },
    on: '2020-06-01',
    application: 'cancel',
    facts: { goal_met: true, conditions },
    officials: [{ name: '王某', role: 'first_responsible', in_post_since: '2016-03-01' }],
  };
}
