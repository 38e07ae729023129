import { Browser, chromium } from 'playwright-core';

/**
 * A real headless Chromium for the browser tests: Debian's package (scripts/ensure-chromium.sh
 * installs it and exports CHROMIUM_PATH), driven by playwright-core.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}
