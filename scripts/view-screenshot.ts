/**
 * Takes docs/view.png: the session view (docs/view.md) in headless Chromium, as test/view/view.test.ts
 * drives it. A local gateway, a client beating every 300 ms, a few events, one dropped session and
 * its reconnect, then the picture. Run with `npm run docs:view-screenshot`; needs /usr/bin/chromium.
 */
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createGatewayClient, createSessionView } from '../src/index.js';
import { createLocalGateway } from '../src/testing/index.js';
import { CHROMIUM, chromiumArgs, haveChromium } from '../test/browser/chromium-launch.js';

const KEY = 'screenshot-key-not-shown';
const OUT = path.resolve(import.meta.dirname, '..', 'docs', 'view.png');

if (!haveChromium) {
  console.error(`view-screenshot: Chromium is missing at ${CHROMIUM} (apt-get install -y chromium)`);
  process.exit(1);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const gateway = await createLocalGateway({ keys: [KEY], heartbeatInterval: 300 });
const client = createGatewayClient({
  url: gateway.url,
  identify: { type: 'bot', key: KEY },
  reconnect: { minDelay: 600, maxDelay: 600, jitter: 0 },
  plugins: [{ name: 'guild-counter' }, { name: 'presence' }],
  onError: (error) => view.report(error),
});
const view = await createSessionView(client, { port: 0, keys: [KEY] });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
try {
  await client.start();
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  await page.goto(view.url);
  await page.waitForSelector('#chart[data-current="ready"], #chart[data-current="heartbeat-pending"]');
  await sleep(1500);
  const first = gateway.connections[0];
  if (first === undefined) throw new Error('no connection');
  await first.sendEvent('guild_note', { guilds: [1, 2, 3] });
  await first.sendEvent('presence_update', { status: 'online', since: 0 });
  await first.sendRaw('{"op": 0, "t": 5');
  first.drop();
  await page.waitForSelector('#chart[data-current="reconnecting"]');
  await page.waitForSelector('#chart[data-current="ready"]');
  await sleep(1500);
  const again = gateway.connections.at(-1);
  await again?.sendEvent('guild_note', { guilds: [1, 2, 3, 4] });
  client.send('send_servers', { guilds: 3, guildMembers: 120, cachedGuildMembers: 80 });
  // The picture with the highlighted state at rest: wait out a heartbeat's round trip.
  await page.waitForSelector('#chart[data-current="ready"]');
  await page.screenshot({ path: OUT, type: 'png' });
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
} finally {
  await browser.close();
  await client.stop();
  await view.stop();
  await gateway.close();
}
