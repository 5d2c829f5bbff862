// A bundler's view of the package: `import from 'jindu'` resolved by Vite
// through the exports map (browser conditions: index.mjs), the .wasm emitted
// as an asset from `new URL(…, import.meta.url)`.
import { init, review, validate, version } from 'jindu';

const out = document.getElementById('out');
try {
  await init();
  const request = {
    listing: { area: { name: '三湖镇', level: 'township' }, issuer: { level: 'county' }, tier: 'supervise', listed_on: '2018-06-01' },
    on: '2018-12-01',
  };
  const r = review(request, { rulebook: 'hengyang-county-2018-rectification' });
  const v = validate('review', { ...request, on: '2019-02-29' }, { rulebook: 'hengyang-county-2018-rectification' });
  document.body.dataset.outcome = r.ok ? r.answer.outcome : 'error';
  document.body.dataset.error = v.errors[0]?.code ?? '';
  out.textContent = `jindu ${version()}: ${document.body.dataset.outcome}; ${v.errors[0]?.path} ${document.body.dataset.error}`;
} catch (e) {
  document.body.dataset.outcome = 'failed';
  out.textContent = String(e);
}
