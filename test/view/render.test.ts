/**
 * `renderSessionView` in a real browser: an app's page (render-page.ts, bundled against the shipped
 * dist/browser as an app's bundler would) runs a client against a local gateway and draws its view
 * into an element, with no server and no socket of the view's own, under a Content-Security-Policy
 * that allows no inline script and no style at all. The element must follow ready → reconnecting →
 * ready when the gateway drops the session, and hold the key nowhere.
 */
import path from 'node:path';
import { stop as stopEsbuild } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { cleanUp, gateway, KEY } from '../client/helpers.js';
import { CHROMIUM, haveChromium, inCI, launchChromium } from '../browser/chromium-launch.js';
import { bundleAppPage, servePage, type ServedPage } from '../browser/page-server.js';
import { allowedArrows, drawnArrows } from './chart.js';
import { buildOnce } from '../package/build-once.js';

if (!haveChromium && !inCI) {
  console.warn(
    `SKIPPED: the session view tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does); in CI this is a failure.`,
  );
}

/** Long enough for the element to be seen in `reconnecting`. */
const RETRY_MS = 700;

/** Where the bundle's files would go (nothing is written): their URL paths are relative to it. */
const OUT_DIR = path.join(__dirname, 'render-page-out');

/** render-page.ts and its chunks by URL path, its `../../src/index.js` resolved as `utilbot-gateway` in a browser. */
async function bundlePage(): Promise<ReadonlyMap<string, string>> {
  return (await bundleAppPage(path.join(__dirname, 'render-page.ts'), OUT_DIR)).files;
}

/** The app's page: `#session` for the view, its module script the bundle. */
const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>an app</title><h1>an app</h1><div id="session"></div><script type="module" src="/page.js"></script>';
/** The app's CSP: its own scripts, sockets to 127.0.0.1 and nothing else: no inline script, no style of any kind. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src ws://127.0.0.1:*; style-src 'none'";

let browser: Browser | undefined;
let pageServer: ServedPage | undefined;
let pageUrl = '';
const pages: Page[] = [];

/** Waits until the element's chart lights `status`. */
async function highlighted(page: Page, status: string): Promise<void> {
  await page.waitForSelector(
    `#session [data-view="chart"][data-current="${status}"] .state.current[data-status="${status}"]`,
    { timeout: 5000 },
  );
}

(haveChromium || inCI ? describe : describe.skip)('renderSessionView in headless Chromium', () => {
  beforeAll(async () => {
    // The page runs the shipped browser bundle: dist/ must be a build of the sources as they are.
    await buildOnce();
    pageServer = await servePage(PAGE_HTML, await bundlePage(), PAGE_CSP);
    pageUrl = pageServer.url;
    browser = await launchChromium();
  }, 150_000);

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close().catch(() => undefined);
    await cleanUp();
  });

  afterAll(async () => {
    await browser?.close();
    await pageServer?.close();
    await stopEsbuild();
  });

  it('draws the view into the element from the client: ready → reconnecting → ready, no key, nothing left after stop', async () => {
    if (browser === undefined) throw new Error('no browser');
    const gw = await gateway({ heartbeatInterval: 300 });
    const page = await browser.newPage();
    pages.push(page);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // A refused style or script (CSP) is reported on the console.
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    await page.goto(pageUrl);
    await page.waitForFunction('window.sessionPage !== undefined');
    await page.evaluate(
      `window.sessionPage.start(${JSON.stringify(gw.url)}, ${JSON.stringify(KEY)}, ${RETRY_MS})`,
    );
    await highlighted(page, 'ready');

    // The chart the machine allows, and styled, though the page's CSP allows no style.
    expect(await drawnArrows(page.locator('#session [data-view="chart"]'))).toEqual(allowedArrows());
    expect(
      await page.evaluate('getComputedStyle(document.querySelector("#session .state.current rect")).fill'),
    ).toBe('rgb(47, 111, 223)');
    await expect(page.locator('#session [data-view="plugins"] li').allTextContents()).resolves.toEqual([
      'presence',
    ]);

    // A hostile gateway: the key as an event's name and in its data; a bad frame for onError.
    const first = gw.connections[0]!;
    await first.sendEvent(`echo_${KEY}`, { secret: KEY });
    await first.sendRaw('{"op": 0, "t": 5');
    await page.waitForSelector('#session [data-view="errors"] li');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#session [data-view="events"] li')].some((li) =>
        li.textContent.includes('echo_[key]'),
      ),
    );

    first.drop();
    await highlighted(page, 'reconnecting');
    await highlighted(page, 'ready');
    const transitions = (await page.locator('#session [data-view="transitions"] li').allTextContents()).join(
      '\n',
    );
    expect(transitions).toMatch(/ready → reconnecting \(.+\), retry in 700 ms/);
    expect(transitions).toMatch(/reconnecting → connecting/);

    const html = await page.locator('#session').evaluate((element) => element.outerHTML);
    expect(html).not.toContain(KEY);
    expect(html).not.toContain(KEY.slice(0, 8));
    expect(html).not.toContain(KEY.slice(-8));

    // stop(): the element is empty again, the style sheet gone, the client's listeners too.
    expect(await page.evaluate('window.sessionPage.stop()')).toBe('stopped');
    expect(await page.evaluate('document.getElementById("session").childElementCount')).toBe(0);
    expect(await page.evaluate('document.adoptedStyleSheets.length')).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
