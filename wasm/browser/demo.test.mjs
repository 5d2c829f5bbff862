// The demo in a real browser: Debian's headless Chromium, driven by
// playwright-core, loads wasm/demo from a local static server; a bad date
// shows its field's error; once corrected (and offline), the outcome and its
// citations show; screenshots go to wasm/artifacts/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const demo = join(here, '..', 'demo');
const artifacts = process.env.JINDU_ARTIFACTS ?? join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

let server;
let browser;

// A full-page screenshot with the result panel unrolled (on screen it scrolls beside the form).
async function fullShot(page, name) {
  const style = await page.addStyleTag({ content: '.result { position: static !important; max-height: none !important; }' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
  await style.evaluate((s) => s.remove());
}
before(async () => {
  assert.ok(existsSync(join(demo, 'vendor', 'jindu', 'index.mjs')), 'build the package first: bash wasm/build.sh');
  server = await serve(demo);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the delisting application: field errors, outcome and citations, zh and en, offline once loaded', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  const foreign = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
  });

  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  assert.equal(await page.locator('#app').isVisible(), true);

  // The six conditions and their sub-points come from the rulebook.
  assert.equal(await page.locator('.cond').count(), 6);
  assert.equal(await page.locator('.cond .sub').count(), 23);
  assert.match(await page.locator('.cond').first().locator('h3').innerText(), /组织领导到位.*第十四条第一项/s);

  // A day that does not exist: that field's error, with its code, and no outcome.
  const listedOn = page.locator('input[name="listed-on"]');
  await listedOn.fill('2019-02-29');
  const err = page.locator('[data-path="listing.listed_on"] .err[data-code="no_such_day"]');
  await err.waitFor();
  assert.match(await err.innerText(), /2019-02-29/);
  assert.equal(await page.locator('[data-path="listing.listed_on"].has-error').count(), 1);
  assert.equal(await page.locator('#form-invalid').isVisible(), true);
  assert.equal(await page.locator('.outcome').count(), 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, 'demo-field-error.png'), fullPage: false });

  // Offline from here on: everything runs in the page.
  await context.setOffline(true);

  // Corrected: the error goes, an outcome shows.
  await listedOn.fill('2018-06-01');
  await page.locator('.outcome').waitFor();
  assert.equal(await err.count(), 0);
  // With no condition given yet, the application to cancel is refused under art. 14.
  assert.notEqual(await page.locator('.outcome').getAttribute('data-outcome'), 'cancel');
  assert.match(await page.locator('ul.refused').innerText(), /第十四条/);

  // Every sub-point met: the listing is cancelled, citing art. 14 and its six items.
  await page.locator('#all-met').click();
  await page.locator('.outcome[data-outcome="cancel"]').waitFor();
  assert.match(await page.locator('.outcome .big').innerText(), /取消整治/);
  for (const id of ['art14', 'art14.i1', 'art14.i6', 'art19', 'civil.202']) {
    const li = page.locator(`ol.cited li[data-rule="${id}"]`);
    assert.equal(await li.count(), 1, `cited ${id}`);
  }
  assert.match(await page.locator('ol.cited li[data-rule="art14"]').innerText(), /衡阳县禁毒重点整治工作办法.*第十四条[\s\S]*同时符合下列条件/);
  assert.ok((await page.locator('ul.notes li[data-note="no_holiday_calendar"]').count()) === 1, 'the holiday-calendar note');
  assert.equal(await page.locator('.cond[data-condition="problem_eased"] .cond-status .s-met').count(), 1);

  // One sub-point unmet: that condition shows unmet, and cancellation is refused.
  await page.locator('[data-path="facts.conditions.enforcement.ranked_top"] label:nth-child(2)').click();
  await page.locator('.outcome:not([data-outcome="cancel"])').waitFor();
  assert.equal(await page.locator('.cond[data-condition="enforcement"] .cond-status .s-unmet').count(), 1);
  assert.ok((await page.locator('ul.refused li').count()) >= 1);
  await page.locator('[data-path="facts.conditions.enforcement.ranked_top"] label:nth-child(1)').click();
  await page.locator('.outcome[data-outcome="cancel"]').waitFor();

  // An official in post after the review: that field's error.
  await page.locator('#add-official').click();
  await page.locator('[data-path="officials[0].name"] input').fill('王某');
  await page.locator('[data-path="officials[0].in_post_since"] input').fill('2021-01-01');
  await page.locator('[data-path="officials[0].in_post_since"] .err[data-code="date_out_of_order"]').waitFor();
  await page.locator('[data-path="officials[0].in_post_since"] input').fill('2016-03-01');
  await page.locator('.outcome[data-outcome="cancel"]').waitFor();

  await fullShot(page, 'demo-zh.png');

  // English.
  await page.locator('button[data-lang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.locator('.outcome .big').innerText(), /the listing is cancelled/);
  assert.match(await page.locator('h1').innerText(), /application to lower or cancel/);
  assert.match(await page.locator('.cond').first().locator('h3').innerText(), /Organisation and leadership in place/);
  assert.match(await page.locator('ol.cited li[data-rule="art14"]').innerText(), /at the same time/);
  await listedOn.fill('2019-02-29');
  await page.locator('[data-path="listing.listed_on"] .err[data-code="no_such_day"]').waitFor();
  assert.match(await page.locator('[data-path="listing.listed_on"] .err').innerText(), /is not a day of the calendar/);
  await listedOn.fill('2018-06-01');
  await page.locator('.outcome[data-outcome="cancel"]').waitFor();
  await fullShot(page, 'demo-en.png');

  // The indicator return is a marked placeholder, with no form in it.
  assert.equal(await page.locator('#indicators input, #indicators select').count(), 0);
  assert.match(await page.locator('#indicators').innerText(), /not available yet/);

  assert.deepEqual(problems, [], 'no page error');
  assert.deepEqual(foreign, [], 'no request leaves the local server');
  await context.close();
});
