// The package as a bundler (Vite…) resolves it: the `import` condition and
// index.mjs's types; init() before any call.
import { init, isReady, validate, type Result, type ListAnswer, type AnswerHead, list } from 'jindu';

export async function check(): Promise<boolean> {
  await init();
  const r: Result<ListAnswer & AnswerHead> = list(
    {
      area: { name: '三湖镇', level: 'township' },
      issuer: { level: 'county' },
      on: '2018-06-01',
      basis: 'office_proposal',
      categories: ['drug_abuse'],
      facts: { problem_developing: true },
    },
    { rulebook: 'hengyang-county-2018-rectification', as_of: '2018-06-01' },
  );
  return isReady() && validate('list', {}).valid === false && r.ok;
}
