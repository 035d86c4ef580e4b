/**
 * The session view in a real browser: Debian's Chromium, headless, driven by playwright-core (as
 * test/browser does). A local gateway, a client and its view on 127.0.0.1; the page must show the
 * state go ready → reconnecting → ready when the gateway drops the session, load nothing but its
 * own URL, and hold the key nowhere: not in its HTML, its responses or its socket's messages.
 *
 * With VIEW_SCREENSHOT=FILE (`npm run docs:view-screenshot`: docs/view.png) that test also takes
 * the README's picture of the page, at its end; without it, it writes nothing.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createSessionView, sessionStatuses, type SessionView } from '../../src/index.js';
import { cleanUp, client, gateway, KEY } from '../client/helpers.js';
import { CHROMIUM, haveChromium, inCI, launchChromium } from '../browser/chromium-launch.js';
import { allowedArrows, drawnArrows } from './chart.js';

/** Where to write the screenshot (relative to the repository), when asked. */
const SCREENSHOT = process.env.VIEW_SCREENSHOT;

if (!haveChromium && !inCI && SCREENSHOT === undefined) {
  console.warn(
    `SKIPPED: the session view tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does); in CI this is a failure.`,
  );
}

/** Long enough for the page to be seen in `reconnecting`. */
const RETRY_MS = 700;

let browser: Browser | undefined;
let view: SessionView | undefined;
const pages: Page[] = [];

/** What a page took in: every URL it asked for, every response body, every socket message. */
interface Seen {
  readonly requests: string[];
  readonly bodies: string[];
  readonly frames: string[];
  readonly problems: string[];
}

async function open(url: string): Promise<{ page: Page; seen: Seen }> {
  if (browser === undefined) throw new Error('no browser');
  const page = await browser.newPage();
  pages.push(page);
  const seen: Seen = { requests: [], bodies: [], frames: [], problems: [] };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('response', (response) => {
    void response.text().then(
      (text) => seen.bodies.push(text),
      () => undefined,
    );
  });
  page.on('websocket', (ws) => {
    seen.requests.push(ws.url());
    ws.on('framereceived', (frame) => seen.frames.push(String(frame.payload)));
    ws.on('framesent', (frame) => seen.frames.push(String(frame.payload)));
  });
  page.on('pageerror', (error) => seen.problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') seen.problems.push(message.text());
  });
  await page.goto(url);
  return { page, seen };
}

/** Waits until the chart highlights `status` (one box, `current`). */
async function highlighted(page: Page, status: string): Promise<void> {
  await page.waitForSelector(
    `[data-view="chart"][data-current="${status}"] .state.current[data-status="${status}"]`,
    { timeout: 5000 },
  );
  expect(await page.locator('[data-view="chart"] .state.current').count()).toBe(1);
}

// Asked for a screenshot, a missing Chromium is a failure (launchChromium says so), not a skip.
(haveChromium || inCI || SCREENSHOT !== undefined ? describe : describe.skip)(
  'the session view in headless Chromium',
  () => {
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);

    afterEach(async () => {
      for (const page of pages.splice(0)) await page.close().catch(() => undefined);
      await view?.stop();
      view = undefined;
      await cleanUp();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('follows ready → reconnecting → ready live, loads nothing else and shows no key', async () => {
      // Heartbeats every 300 ms: the chart goes ready ⇄ heartbeat-pending, the latency has points.
      const gw = await gateway({ heartbeatInterval: 300 });
      const recorded = client({
        url: gw.url,
        reconnect: { minDelay: RETRY_MS, maxDelay: RETRY_MS, jitter: 0 },
        plugins: [{ name: 'guild-counter' }, { name: 'presence' }],
        onError: (error) => view?.report(error),
      });
      view = await createSessionView(recorded.client, { port: 0, keys: [KEY] });
      expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      await recorded.client.start();

      const { page, seen } = await open(view.url);
      await highlighted(page, 'ready');
      expect(
        await page
          .locator('[data-view="chart"] .state')
          .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-status'))),
      ).toEqual(sessionStatuses);
      await expect(page.locator('#live').textContent()).resolves.toBe('live');
      // Every change of status the machine allows is an arrow (machines/session-graph.ts).
      const arrows = await drawnArrows(page.locator('[data-view="chart"]'));
      expect(arrows).toEqual(allowedArrows());
      expect(arrows).toEqual(
        expect.arrayContaining([
          'connecting → awaiting-hello',
          'reconnecting → connecting',
          'ready → heartbeat-pending',
          'heartbeat-pending → ready',
        ]),
      );
      // Three heartbeats answered: the latency is drawn, the ACK's arrow has been seen.
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-view="sparkline"] polyline')?.getAttribute('points') ?? '').split(
            ' ',
          ).length >= 3,
      );
      await expect(page.locator('[data-view="latency-now"]').textContent()).resolves.toMatch(/^\d+\.\d ms$/);
      await expect(
        page
          .locator('[data-view="chart"] path.edge[data-from="heartbeat-pending"][data-to="ready"]')
          .getAttribute('class'),
      ).resolves.toMatch(/\b(seen|last)\b/);
      await expect(page.locator('[data-view="plugins"] li').allTextContents()).resolves.toEqual([
        'guild-counter',
        'presence',
      ]);

      // A hostile gateway: the key as an event's name and in an event's data; a bad frame for onError.
      const first = gw.connections[0]!;
      await first.sendEvent(`echo_${KEY}`, { note: 'hi' });
      await first.sendEvent('guild_note', { secret: KEY, more: 'x'.repeat(100) });
      await first.sendRaw('{"op": 0, "t": 5');
      await page.waitForFunction(() => document.querySelectorAll('[data-view="events"] li').length >= 2);
      const events = await page.locator('[data-view="events"] li').allTextContents();
      expect(events.join('\n')).toContain('echo_[key]');
      expect(events.join('\n')).toMatch(/guild_note \d+ B/);
      await page.waitForFunction(() => document.querySelectorAll('[data-view="errors"] li').length >= 1);

      first.drop();
      await highlighted(page, 'reconnecting');
      await highlighted(page, 'ready');
      const transitions = (await page.locator('[data-view="transitions"] li').allTextContents()).join('\n');
      expect(transitions).toMatch(/ready → reconnecting \(.+\), retry in 700 ms/);
      expect(transitions).toMatch(/reconnecting → connecting/);
      await expect(page.locator('[data-view="reconnects"] li').allTextContents()).resolves.toEqual([
        expect.stringContaining('retry in 700 ms'),
      ]);

      // Nothing but the view's own origin, and the key nowhere.
      const origin = view.url.replace(/^http/, '').replace(/\/$/, '');
      for (const url of seen.requests) expect(url.replace(/^(http|ws)/, '').startsWith(origin)).toBe(true);
      expect(seen.frames.length).toBeGreaterThan(5);
      expect(seen.bodies.length).toBeGreaterThanOrEqual(1);
      const everything = [await page.content(), ...seen.bodies, ...seen.frames, ...seen.requests].join('\n');
      expect(everything).not.toContain(KEY);
      expect(everything).not.toContain(KEY.slice(0, 8));
      expect(everything).not.toContain(KEY.slice(-8));
      expect(seen.problems).toEqual([]);

      if (SCREENSHOT !== undefined) {
        // The picture at rest: in ready, between two heartbeats.
        await page.setViewportSize({ width: 1100, height: 900 });
        // A sparkline worth the name: a few more heartbeats on the new connection.
        await page.waitForFunction(
          () =>
            (document.querySelector('[data-view="sparkline"] polyline')?.getAttribute('points') ?? '').split(
              ' ',
            ).length >= 10,
        );
        await highlighted(page, 'ready');
        const file = path.resolve(__dirname, '..', '..', SCREENSHOT);
        await page.screenshot({ path: file, type: 'png', fullPage: true });
        console.log(`wrote ${file}`);
      }
    }, 30_000);

    it('tells the page when the view stops', async () => {
      const gw = await gateway();
      const recorded = client({ url: gw.url });
      view = await createSessionView(recorded.client, { port: 0 });
      await recorded.client.start();
      const { page } = await open(view.url);
      await highlighted(page, 'ready');
      await view.stop();
      await page.waitForFunction(() => document.getElementById('live')?.textContent === 'view stopped');
    });
  },
);
