// The package in a Vite production bundle: Vite resolves `jindu` through the
// exports map and emits the .wasm as an asset; the bundle runs in headless
// Chromium from a local static server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serve } from './serve.mjs';
import { launch } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(process.env.CARGO_TARGET_DIR ?? join(here, '..', '..', 'target'), 'jindu-wasm', 'vite-dist');

test('a Vite bundle of the package runs in the browser', async () => {
  await build({
    root: join(here, 'vite-app'),
    logLevel: 'warn',
    configFile: false,
    base: './',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  const assets = readdirSync(join(outDir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the .wasm is emitted: ${assets}`);

  const server = await serve(outDir);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.outcome, null, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.outcome), 'continue', await page.locator('#out').innerText());
    assert.equal(await page.evaluate(() => document.body.dataset.error), 'no_such_day');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
