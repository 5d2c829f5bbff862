// Launches Debian's headless Chromium through playwright-core (no browser
// download: playwright's own builds cannot be fetched here).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const executablePath = process.env.JINDU_CHROMIUM ?? '/usr/bin/chromium';

export function launch() {
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (apt-get install chromium, or set JINDU_CHROMIUM)`);
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
