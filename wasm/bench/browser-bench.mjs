// The typical calls of bench.mjs timed in headless Chromium, where the forms
// run (printed, not asserted): `validate` and `review` of the demo's delisting
// application, through the object API and through callJson; review also as a
// form calls it while the application is typed (no trail, no receipt).
//
// The page is served cross-origin isolated (COOP/COEP headers), which gives
// performance.now() a 5 µs resolution instead of 100 µs; each sample times a
// batch of calls (20 validate, 5 review) and the figure is the median of the
// samples' means, so a garbage collection moves only the samples it falls in.
//
// usage: node bench/browser-bench.mjs [package dir under wasm/demo …]
//   default: vendor/jindu (the package as build.sh copies it for the demo);
//   several dirs (each with index.mjs, api.mjs and web/) are timed in
//   interleaved rounds in one page, to compare builds.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch } from '../browser/chromium.mjs';
import * as jindu from 'jindu';
import { RB, typicalRequest } from './typical.mjs';

const root = fileURLToPath(new URL('../demo', import.meta.url));
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['vendor/jindu'];
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const server = createServer((req, res) => {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
  if (path.includes('..')) return void res.writeHead(403).end();
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  if (path === '/') return void res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><title>jindu bench</title>');
  try {
    const body = readFileSync(root + path);
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  // The request built in Node (the same rulebook is in every build), handed to the page.
  const request = typicalRequest(jindu.rulebook(RB));
  const out = await page.evaluate(async ({ dirs, RB, request }) => {
    const mods = [];
    for (const d of dirs) {
      const m = await import(`/${d}/index.mjs`);
      await m.init();
      mods.push(m);
    }
    const opts = { rulebook: RB };
    const validateText = JSON.stringify({ operation: 'validate', target: 'review', rulebook: RB, request });
    const callText = JSON.stringify({ operation: 'review', rulebook: RB, request });
    const quietText = JSON.stringify({ operation: 'review', rulebook: RB, explain: false, request });
    const leanText = JSON.stringify({ operation: 'review', rulebook: RB, explain: false, receipt: false, request });
    for (const m of mods) {
      if (m.callJson(callText) !== mods[0].callJson(callText)) throw new Error('the builds answer differently');
    }
    const lines = {
      'validate(op, request, options)   objects': [20, (m) => () => m.validate('review', request, opts)],
      'review(request, options)         objects': [5, (m) => () => m.review(request, opts)],
      'review(request, {explain: false}) objects': [5, (m) => () => m.review(request, { rulebook: RB, explain: false })],
      'callJson(validate call)          text': [20, (m) => () => m.callJson(validateText)],
      'callJson(review call)            text': [5, (m) => () => m.callJson(callText)],
      'callJson(review call, explain false) text': [5, (m) => () => m.callJson(quietText)],
      // a form's intermediate review: no trail, no receipt (builds before the option ignore it: compare within a build)
      'review(request, {explain: false, receipt: false}) objects': [5, (m) => () => m.review(request, { rulebook: RB, explain: false, receipt: false })],
      'callJson(review call, explain false, receipt false) text': [5, (m) => () => m.callJson(leanText)],
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    function time(f, batch) {
      for (let i = 0; i < 300; i++) f();
      const t = [];
      for (let i = 0; i < 300; i++) {
        const a = performance.now();
        for (let j = 0; j < batch; j++) f();
        t.push(((performance.now() - a) * 1000) / batch);
      }
      return median(t);
    }
    const res = {};
    for (let round = 0; round < 5; round++) {
      for (const [label, [batch, mk]] of Object.entries(lines)) {
        mods.forEach((m, i) => ((res[label] ??= dirs.map(() => []))[i].push(time(mk(m), batch))));
      }
    }
    const head = `${navigator.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0]} · crossOriginIsolated ${crossOriginIsolated} · µs, median of 5 interleaved rounds`;
    return [head, `${''.padEnd(58)}${dirs.map((d) => d.padStart(14)).join('')}`]
      .concat(Object.entries(res).map(([label, r]) => `${label.padEnd(58)}${r.map((x) => median(x).toFixed(2).padStart(14)).join('')}`))
      .join('\n');
  }, { dirs, RB, request });
  console.log(out);
} finally {
  await browser.close();
  server.close();
}
