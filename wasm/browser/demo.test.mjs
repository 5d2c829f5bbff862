// The demo in a real browser: Debian's headless Chromium, driven by
// playwright-core, loads wasm/demo from a local static server.
// (A) a bad date shows its field's error; once corrected (and offline), the
// outcome and its citations show. (B) the Pingxiang indicator return: a
// percentage of 101 shows its field's error; 95 against 超过95% is unmet with
// its citation; 95.5 is met. Screenshots go to wasm/artifacts/ (gitignored).
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
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message} ${e.stack}`));
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


  assert.deepEqual(problems, [], 'no page error');
  assert.deepEqual(foreign, [], 'no request leaves the local server');
  await context.close();
});

test('the indicator return: fields from the rulebook, field errors, met and unmet with citations, zh and en, offline', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems = [];
  const foreign = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message} ${e.stack}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  await context.setOffline(true);

  // The tab, then the rulebook: only rulebooks with assessment rules are offered.
  await page.locator('[data-tab="b"]').click();
  await page.locator('#view-b').waitFor();
  assert.equal(await page.locator('#view-a').isVisible(), false);
  const offered = await page.locator('select[name="b-rulebook"] option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(offered.includes('pingxiang-2018-demonstration-city') && offered.includes('sinan-county-20xx-assessment'), offered.join());
  assert.ok(!offered.includes('hengyang-county-2018-rectification'), 'the delisting rulebook has no assessment');
  await page.locator('select[name="b-rulebook"]').selectOption('pingxiang-2018-demonstration-city');
  await page.locator('input[name="b-area-name"]').fill('安源区');
  await page.locator('select[name="b-area-level"]').selectOption('county');
  await page.locator('input[name="b-on"]').fill('2018-11-15');

  // One field per indicator, from the rulebook: name, unit, applies_to, the standard in the text's words.
  const rb = await page.evaluate(async () => (await import('./vendor/jindu/index.mjs')).rulebook('pingxiang-2018-demonstration-city'));
  assert.equal(await page.locator('#b-indicators [data-indicator]').count(), rb.assessment.indicators.length);
  assert.equal(await page.locator('#b-trends [data-trend]').count(), rb.assessment.trends.length);
  assert.equal(await page.locator('#b-judgements [data-path^="judgements."]').count(), rb.assessment.judgements.length);
  const awareness = page.locator('#b-indicators [data-indicator="awareness_rate"]');
  assert.match(await awareness.innerText(), /全民禁毒知识知晓率[\s\S]*「超过95%」[\s\S]*\(> 95\)/);
  assert.match(await awareness.locator('.b-unit').innerText(), /%/);
  assert.match(await page.locator('#b-indicators [data-indicator="auxiliary_police"]').innerText(), /「150:1」（辖区实有吸毒人数）[\s\S]*适用于：各县（区）/);
  assert.match(await page.locator('#b-indicators [data-indicator="themed_publicity_issues"]').innerText(), /适用于：各部门单位、各组织、各人民团体/);
  assert.match(await page.locator('#b-indicators [data-indicator="new_user_rate"]').innerText(), /「低于」全国新吸毒人员滋生率/);

  // A percentage over 100: that field's error, with its code; no verdict.
  const input = page.locator('input[name="v-awareness_rate"]');
  await input.fill('101');
  const err = awareness.locator('.err[data-code="out_of_range"]');
  await err.waitFor();
  assert.match(await err.innerText(), /101/);
  assert.equal(await page.locator('#b-indicators [data-indicator="awareness_rate"].has-error').count(), 1);
  assert.equal(await page.locator('#b-form-invalid').isVisible(), true);
  assert.equal(await page.locator('.verdict').count(), 0);
  await page.screenshot({ path: join(artifacts, 'demo-b-field-error.png'), fullPage: false });

  // 95 against 超过95%: unmet, with its citation.
  await input.fill('95');
  await page.locator('.verdict').waitFor();
  assert.equal(await err.count(), 0);
  assert.equal(await awareness.locator('.b-status [data-status="unmet"]').count(), 1);
  const line = page.locator('ul.b-inds li[data-indicator="awareness_rate"]');
  assert.equal(await line.getAttribute('data-status'), 'unmet');
  assert.match(await line.innerText(), /95%[\s\S]*>[\s\S]*95%[\s\S]*萍乡市创建全国禁毒示范城市实施方案[\s\S]*四、（二）4\./);
  assert.equal(await page.locator('.verdict').getAttribute('data-verdict'), 'unmet');
  // Unmet: the three-level rectification of 七、（三） follows (must).
  assert.match(await page.locator('ul.b-outcomes li[data-outcome="three_level_rectification"]').innerText(), /应当[\s\S]*三级整治/);
  assert.equal(await page.locator('ol.b-cited li[data-rule="task4"]').count(), 1);

  // 95.5: met.
  await input.fill('95.5');
  await page.locator('ul.b-inds li[data-indicator="awareness_rate"][data-status="met"]').waitFor();
  assert.equal(await awareness.locator('.b-status [data-status="met"]').count(), 1);
  assert.equal(await page.locator('.verdict').getAttribute('data-verdict'), 'incomplete');

  // A ratio of an input: 3000 users need 20 auxiliary police (150:1); 19 is unmet.
  await page.locator('input[name="v-actual_users"]').fill('3000');
  await page.locator('input[name="v-auxiliary_police"]').fill('19');
  await page.locator('ul.b-inds li[data-indicator="auxiliary_police"][data-status="unmet"]').waitFor();
  assert.match(await page.locator('ul.b-inds li[data-indicator="auxiliary_police"]').innerText(), /19[\s\S]*≥ 20/);
  await page.locator('input[name="v-auxiliary_police"]').fill('20');
  await page.locator('ul.b-inds li[data-indicator="auxiliary_police"][data-status="met"]').waitFor();

  // A trend series with a word in it: that field's error; then a rise, met.
  const series = page.locator('input[name="s-awareness_trend"]');
  await series.fill('90, 九十二');
  await page.locator('#b-trends [data-trend="awareness_trend"] .err[data-code="wrong_type"]').waitFor();
  await series.fill('90, 92');
  await page.locator('ul.b-trends li[data-trend="awareness_trend"] [data-status="met"]').waitFor();

  // A judgement: the listing it leads to.
  await page.locator('[data-path="judgements.listed_rectify"] label:nth-child(1)').click();
  await page.locator('ul.b-outcomes li[data-outcome="listed_rectify"]').waitFor();
  assert.ok((await page.locator('ul.b-notes li').count()) >= 1, 'notes');
  assert.match(await page.locator('#b-result .receipt').innerText(), /回执/);
  await fullShot(page, 'demo-b-zh.png');

  // English: the labels, the verdict and the core's messages.
  await page.locator('button[data-lang="en"]').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.locator('h1').innerText(), /indicator return/);
  assert.match(await awareness.innerText(), /public drug-knowledge awareness[\s\S]*「超过95%」/);
  assert.match(await page.locator('.verdict .big').innerText(), /incomplete|not met/);
  await input.fill('101');
  await awareness.locator('.err[data-code="out_of_range"]').waitFor();
  assert.match(await awareness.locator('.err').innerText(), /must be from 0 to 100/);
  await input.fill('96');
  await page.locator('.verdict').waitFor();
  await fullShot(page, 'demo-b-en.png');

  // Other rulebooks: Sinan's unknown date and its veto; Guiyang's indicators without a threshold.
  await page.locator('select[name="b-rulebook"]').selectOption('sinan-county-20xx-assessment');
  await page.locator('.verdict').waitFor();
  assert.match(await page.locator('#b-rb-note').innerText(), /20xx/);
  assert.equal(await page.locator('ul.b-notes li[data-note="effective_date_unknown"]').count(), 1);
  assert.equal(await page.locator('#b-score-field').isVisible(), true);
  await page.locator('input[name="v-cadres_involved"]').fill('2');
  await page.locator('input[name="b-score"]').fill('95');
  await page.locator('[data-path="judgements.not_seriously_performing"] label:nth-child(1)').click();
  await page.locator('.verdict[data-verdict="vetoed"]').waitFor();
  assert.equal(await page.locator('#b-score').innerText(), '0');
  assert.equal(await page.locator('ul.b-vetoes li[data-veto="cadres_or_students"] [data-status="applies"]').count(), 1);
  await page.locator('select[name="b-rulebook"]').selectOption('guiyang-2018-goal-frame');
  await page.locator('input[name="v-public_satisfaction"]').fill('92');
  await page.locator('.verdict[data-verdict="not_provided"]').waitFor();
  assert.equal(await page.locator('#b-indicators [data-indicator="public_satisfaction"] .b-status [data-status="no_threshold"]').count(), 1);
  assert.ok((await page.locator('ul.b-notes li[data-note="no_threshold"]').count()) >= 1);

  // Back to (A): its form is still there.
  await page.locator('[data-tab="a"]').click();
  assert.equal(await page.locator('.cond').count(), 6);

  assert.deepEqual(problems, [], 'no page error');
  assert.deepEqual(foreign, [], 'no request leaves the local server');
  await context.close();
});
