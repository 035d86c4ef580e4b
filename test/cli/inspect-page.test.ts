/**
 * The inspector bridge's page in a real browser: Debian's Chromium, headless, driven by
 * playwright-core (as test/browser does). stately.ai is not reachable from here, so the iframe's
 * requests are answered by a stub that plays the inspector: it says `@statelyai.connected` to its
 * parent and records every message it gets, with the sender's origin.
 */
import type { Browser, BrowserContext, Frame, Page, Route } from 'playwright-core';
import { startInspector, type CliInspector } from '../../src/cli/inspect.js';
import { cleanUp, client, gateway, KEY } from '../client/helpers.js';
import { CHROMIUM, haveChromium, inCI, launchChromium } from '../browser/chromium-launch.js';

if (!haveChromium && !inCI) {
  console.warn(
    `SKIPPED: the inspector page tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does); in CI this is a failure.`,
  );
}

/** The stand-in inspector: announces itself to its parent, keeps what it is sent. */
const stubInspector = `<!DOCTYPE html><html><body><script>
  window.got = [];
  window.addEventListener('message', (e) => window.got.push({ origin: e.origin, data: e.data }));
  window.parent.postMessage({ type: '@statelyai.connected' }, '*');
</script></body></html>`;

/** The stand-in inspector that never announces itself, and keeps what it is sent all the same. */
const silentInspector = `<!DOCTYPE html><html><body><script>
  window.got = [];
  window.addEventListener('message', (e) => window.got.push({ origin: e.origin, data: e.data }));
</script></body></html>`;

const html = (body: string) => (route: Route) =>
  route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });

interface Received {
  origin: string;
  data: { type?: string; snapshot?: { value?: unknown } } & Record<string, unknown>;
}

let browser: Browser | undefined;
const pages: Page[] = [];
const contexts: BrowserContext[] = [];
let cli: CliInspector | undefined;

(haveChromium || inCI ? describe : describe.skip)('the inspector page in headless Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close().catch(() => undefined);
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    await cleanUp();
    await cli?.stop();
    cli = undefined;
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens the bridge page with the stately.ai and evil.example requests answered as given. */
  async function openPage(routes: Record<string, string>): Promise<{ page: Page; problems: string[] }> {
    if (browser === undefined || cli === undefined) throw new Error('no browser or no inspector');
    const page = await browser.newPage();
    pages.push(page);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => problems.push(message.text()));
    for (const [pattern, body] of Object.entries(routes)) await page.route(pattern, html(body));
    await page.goto(cli.url);
    return { page, problems };
  }

  const frameAt = (page: Page, origin: string): Frame | undefined =>
    page.frames().find((frame) => frame.url().startsWith(origin));

  test('the page runs under its CSP, connects to the bridge and posts the events to the inspector from its own origin, never the key', async () => {
    cli = await startInspector(0);
    const { page, problems } = await openPage({ 'https://stately.ai/**': stubInspector });
    const gw = await gateway();
    const c = client({ url: gw.url, inspect: cli.inspect });
    await c.client.start();

    // Polls the stub's record until every state of a session is there (or 10 s went by).
    const states = ['connecting', 'awaiting-hello', 'identifying', 'ready'];
    let received: Received[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const inspector = frameAt(page, 'https://stately.ai/inspect');
      received = inspector === undefined ? [] : await inspector.evaluate<Received[]>('window.got');
      if (states.every((s) => JSON.stringify(received).includes(`"${s}"`))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const text = JSON.stringify(received);
    for (const state of states) expect(text).toContain(`"${state}"`);
    expect(text).toContain('gateway-session');
    expect(text).not.toContain(KEY);
    // Every message came from the bridge page itself.
    expect(new Set(received.map((r) => r.origin))).toEqual(new Set([new URL(cli.url).origin]));
    // Nothing was blocked: the nonce'd script ran and the socket was allowed by CSP and the bridge.
    expect(problems).toEqual([]);
  });

  test("an iframe sent away from stately.ai is refused by the page's CSP: nothing is posted, nothing reaches it", async () => {
    cli = await startInspector(0);
    const { page, problems } = await openPage({
      // The "inspector" sends its frame elsewhere, where a page pretends to be the inspector.
      'https://stately.ai/**': '<script>location.href = "https://evil.example/";</script>',
      'https://evil.example/**': stubInspector,
    });
    const gw = await gateway();
    const c = client({ url: gw.url, inspect: cli.inspect });
    await c.client.start();

    // The bridge page has the events, held back: no inspector said it is connected.
    await page.waitForFunction(
      `pending.length > 0 && JSON.stringify(pending).includes('"ready"')`,
      undefined,
      {
        timeout: 10_000,
      },
    );
    expect(await page.evaluate('connected')).toBe(false);
    const evil = frameAt(page, 'https://evil.example');
    expect(evil === undefined ? [] : await evil.evaluate('window.got')).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining(
        `Framing 'https://evil.example/' violates the following Content Security Policy directive: "frame-src https://stately.ai"`,
      ),
    ]);
  });

  test('a "connected" posted by another window (one that opened the page) is ignored: the events stay held back', async () => {
    cli = await startInspector(0);
    if (browser === undefined) throw new Error('no browser');
    const context = await browser.newContext();
    contexts.push(context);
    // The real inspector here stays silent: any event it gets was released by the forged signal.
    await context.route('https://stately.ai/**', html(silentInspector));
    await context.route('https://evil.example/**', html('<!DOCTYPE html><title>evil</title>'));
    const opener = await context.newPage();
    await opener.goto('https://evil.example/');
    const [bridgePage] = await Promise.all([
      context.waitForEvent('page'),
      opener.evaluate(`window.bridge = window.open(${JSON.stringify(cli.url)}); undefined`),
    ]);
    await bridgePage.waitForLoadState();
    const gw = await gateway();
    const c = client({ url: gw.url, inspect: cli.inspect });
    await c.client.start();
    await bridgePage.waitForFunction(
      `pending.length > 0 && JSON.stringify(pending).includes('"ready"')`,
      undefined,
      {
        timeout: 10_000,
      },
    );
    // A listener of our own, added after the page's, tells when the page has handled the forgery.
    await bridgePage.evaluate(
      `window.handled = 0; window.addEventListener('message', () => { window.handled += 1; })`,
    );
    await opener.evaluate(`window.bridge.postMessage({ type: '@statelyai.connected' }, '*')`);
    await bridgePage.waitForFunction('window.handled === 1');
    expect(await bridgePage.evaluate('connected')).toBe(false);
    const inspector = frameAt(bridgePage, 'https://stately.ai/inspect');
    expect(inspector).toBeDefined();
    expect(await inspector!.evaluate('window.got')).toEqual([]);
  });
});
