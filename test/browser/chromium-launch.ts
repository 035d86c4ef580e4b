import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs: never a browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** In CI a missing Chromium is a failure; on a developer's machine the browser tests are skipped, loudly. */
export const inCI = process.env.CI !== undefined;

/** Whether Chromium is here. */
export const haveChromium = existsSync(CHROMIUM);

/** Flags for Chromium on these machines: no network but loopback, no GPU, run as root. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Starts Debian's Chromium headless with {@link chromiumArgs}; without it, fails saying how CI gets it. */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium)
    throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
}
