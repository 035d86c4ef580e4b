/**
 * The client in a real browser: Debian's Chromium, headless, driven by playwright-core. The page
 * (page.ts) is bundled against the package's `browser` export, the shipped dist/browser/index.js,
 * with code splitting as an app's bundler does it (the zlib reader, with pako, is a chunk of its
 * own), served from 127.0.0.1, and talks to local gateways started here, one per zlib form. Every
 * request a page makes is logged, so a test can tell whether the zlib reader's chunk was fetched,
 * and when.
 */
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { stop as stopEsbuild, type Metafile } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { GlobalGuildCountData } from '../../src/index.js';
import { createLocalGateway, type CompressionForm, type LocalGateway } from '../../src/testing/index.js';
import { buildOnce } from '../package/build-once.js';
import type { BrowserPage } from './page.js';
import { CHROMIUM, haveChromium, inCI, launchChromium } from './chromium-launch.js';
import { bundleAppPage, servePage, type ServedPage } from './page-server.js';

const KEY = 'browser-test-key';

if (!haveChromium && !inCI) {
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!!  SKIPPED: the browser tests need Chromium at ${CHROMIUM}, and it is not there.`,
      '!!  Install it with `apt-get update && apt-get install -y chromium` (as .ci/run does).',
      '!!  In CI (CI set) this is a failure, not a skip.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}

/** The bundled page: its files by URL path (`/page.js`, its chunks), and the metafile. */
interface PageBundle {
  readonly files: ReadonlyMap<string, string>;
  readonly metafile: Metafile;
}

/**
 * Bundles page.ts for the browser as an app does (test/browser/page-server.ts): through the
 * package's `exports`, `browser` condition, with splitting.
 */
function bundlePage(): Promise<PageBundle> {
  return bundleAppPage(path.join(__dirname, 'page.ts'), OUT_DIR);
}

/** Where the page's files would go (nothing is written): their URL paths are relative to it. */
const OUT_DIR = path.join(__dirname, 'page-out');

/** The URL paths of the bundle's files that hold `input` (by the metafile). */
function filesHolding(bundle: PageBundle, input: RegExp): string[] {
  return Object.entries(bundle.metafile.outputs)
    .filter(([, output]) => Object.keys(output.inputs).some((name) => input.test(name)))
    .map(([name]) => `/${path.relative(OUT_DIR, path.resolve(process.cwd(), name))}`);
}

/** The page: its module script is the bundle. */
const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>utilbot-gateway</title><script type="module" src="/page.js"></script>';

let browser: Browser | undefined;
let pageServer: ServedPage | undefined;
let pageUrl = '';
let pageInputs: string[] = [];
/** The files of the page's bundle that hold pako's code: the zlib reader's chunk, and only it. */
let pakoFiles: string[] = [];
/** The files of the page's bundle that hold dist/browser's zlib reader chunk. */
let readerFiles: string[] = [];
/** A message only pako's inflate has: where it is, pako is. */
const PAKO_MARK = 'incorrect header check';
const gateways = new Map<CompressionForm, LocalGateway>();
const pages: Page[] = [];

(haveChromium || inCI ? describe : describe.skip)('the client in headless Chromium', () => {
  beforeAll(async () => {
    // The page runs the shipped browser bundle: dist/ must be a build of the sources as they are.
    await buildOnce();
    const page = await bundlePage();
    pageInputs = Object.keys(page.metafile.inputs);
    pakoFiles = [...page.files].filter(([, js]) => js.includes(PAKO_MARK)).map(([file]) => file);
    readerFiles = filesHolding(page, /^dist\/browser\/inflate\.browser-[^/]+\.js$/);
    pageServer = await servePage(PAGE_HTML, page.files);
    pageUrl = pageServer.url;
    for (const form of ['per-message', 'stream'] as const) {
      gateways.set(
        form,
        await createLocalGateway({ keys: [KEY], compressionForm: form, guildCountInterval: 0 }),
      );
    }
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    for (const page of pages.splice(0)) await page.close().catch(() => undefined);
    await browser?.close();
    await Promise.all([...gateways.values()].map((gateway) => gateway.close()));
    gateways.clear();
    await pageServer?.close();
    await stopEsbuild();
  });

  /**
   * A fresh page with the client loaded, the page's errors collected, and a log of its network in
   * order: `request /path` when a file of ours is requested, `loaded /path` when its response has
   * arrived, `websocket` when a WebSocket is created.
   */
  async function openPage(): Promise<{ page: Page; pageErrors: string[]; network: string[] }> {
    if (browser === undefined) throw new Error('no browser');
    const page = await browser.newPage();
    pages.push(page);
    const pageErrors: string[] = [];
    const network: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => network.push(`request ${new URL(request.url()).pathname}`));
    page.on('requestfinished', (request) => network.push(`loaded ${new URL(request.url()).pathname}`));
    page.on('websocket', () => network.push('websocket'));
    await page.goto(pageUrl);
    await page.waitForFunction('window.utilbot !== undefined');
    return { page, pageErrors, network };
  }

  /** Reads `window.utilbot` (expressions as strings: nothing of this file's transpiled code runs there). */
  const read = <K extends keyof BrowserPage>(page: Page, key: K): Promise<BrowserPage[K]> =>
    page.evaluate<BrowserPage[K]>(`window.utilbot.${key}`);

  /**
   * Waits until `condition` (an expression over `utilbot`, evaluated in the page) holds; on timeout
   * fails with what the page saw, so a failure says where the client got stuck.
   */
  async function until(page: Page, condition: string, what: string, ms = 5_000): Promise<void> {
    try {
      await page.waitForFunction(`((utilbot) => ${condition})(window.utilbot)`, undefined, { timeout: ms });
    } catch (error) {
      const seen = await page
        .evaluate(
          'JSON.stringify({ statuses: window.utilbot.statuses, errors: window.utilbot.errors, started: window.utilbot.started })',
        )
        .catch(() => '(the page is gone)');
      throw new Error(`no ${what} within ${ms} ms; the page saw ${String(seen)}`, { cause: error });
    }
  }

  /** Waits until the page has received a GLOBAL_GUILD_COUNT equal to `count`. */
  const receives = (page: Page, count: GlobalGuildCountData): Promise<void> =>
    until(
      page,
      `utilbot.counts.some((c) => JSON.stringify(c) === ${JSON.stringify(JSON.stringify(count))})`,
      `GLOBAL_GUILD_COUNT ${JSON.stringify(count)}`,
    );

  test('the page runs the shipped browser bundle, with no ws and no Node built-in', () => {
    expect(pageInputs).toContain('dist/browser/index.js');
    expect(pageInputs.filter((input) => input.startsWith('src/'))).toEqual([]);
    expect(pageInputs.filter((input) => /node_modules\/ws\/|^node:/.test(input))).toEqual([]);
    // pako is in one file of the page's bundle, the chunk made of dist/browser's zlib reader
    // chunk: not in the page itself, nor in anything the page imports statically.
    expect(pakoFiles).toHaveLength(1);
    expect(pakoFiles).toEqual(readerFiles);
    expect(pakoFiles[0]).not.toBe('/page.js');
  });

  test('network hints: offline ends the connection at once, online connects at once despite a long backoff', async () => {
    const { page, pageErrors } = await openPage();
    const gateway = gateways.get('per-message')!;
    await page.evaluate(
      `window.utilbot.connect(${JSON.stringify(gateway.url)}, ${JSON.stringify(KEY)}, false, 60000)`,
    );
    await until(page, "utilbot.started === 'ready'", 'ready');
    const context = page.context();
    const offlineAt = Date.now();
    await context.setOffline(true);
    await until(page, "utilbot.reasons.includes('NETWORK_OFFLINE')", 'NETWORK_OFFLINE', 3_000);
    // Long before any heartbeat could be missed (the gateway's interval is 60 s).
    expect(Date.now() - offlineAt).toBeLessThan(3_000);
    expect((await read(page, 'statuses')).at(-1)).toBe('reconnecting');
    const onlineAt = Date.now();
    await context.setOffline(false);
    await until(page, "utilbot.statuses.at(-1) === 'ready'", 'ready again', 10_000);
    // The backoff asked for 60 s; online skipped it.
    expect(Date.now() - onlineAt).toBeLessThan(10_000);
    expect(await page.evaluate('window.utilbot.stop()')).toBe('stopped');
    expect(pageErrors).toEqual([]);
  }, 30_000);

  test('without compression: ready and events, pako never fetched; a compressed frame is one INFLATE_FAILED line, and the session goes on', async () => {
    const gateway = gateways.get('per-message')!;
    const { page, pageErrors, network } = await openPage();
    await page.evaluate(
      `window.utilbot.connect(${JSON.stringify(gateway.url)}, ${JSON.stringify(KEY)}, false)`,
    );
    await until(page, 'utilbot.started !== undefined', 'end of start()');
    expect(await read(page, 'started')).toBe('ready');
    const connection = gateway.connections.at(-1)!;
    expect(connection.query.get('compression')).toBeNull();
    expect(connection.compression).toBe('none');

    const first = { guilds: 5, guildMembers: 50, cachedGuildMembers: 5 };
    await page.evaluate(`window.utilbot.report(${JSON.stringify(first)})`);
    await receives(page, first);

    // A gateway that compresses anyway: the whole zlib frame is dropped with one line, and the
    // event behind it still arrives, on the same connection.
    const compressed = { guilds: 6, guildMembers: 60, cachedGuildMembers: 6 };
    const frame = deflateSync(JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', d: compressed }));
    await connection.sendRaw(frame);
    const behind = { guilds: 7, guildMembers: 70, cachedGuildMembers: 7 };
    await connection.sendEvent('GLOBAL_GUILD_COUNT', behind);
    await receives(page, behind);
    expect(await read(page, 'counts')).toEqual([first, behind]);
    expect(await read(page, 'errors')).toEqual([
      `INFLATE_FAILED Inflate Failed: zlib frame of ${frame.byteLength} bytes is compressed, but compression was not asked for (set the compression option to 'zlib')`,
    ]);
    expect(await read(page, 'statuses')).not.toContain('reconnecting');
    expect(gateway.connections.at(-1)).toBe(connection);

    expect(await page.evaluate('window.utilbot.stop()')).toBe('stopped');
    // The page fetched its own files and no chunk with pako, not even after the compressed frame.
    const fetched = network.filter((line) => line.startsWith('request ')).map((line) => line.slice(8));
    expect(fetched).toContain('/page.js');
    expect(fetched.filter((file) => pakoFiles.includes(file))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test.each(['per-message', 'stream'] as const)(
    '%s form: ready, GLOBAL_GUILD_COUNT, a reconnect after the gateway drops it, a clean stop',
    async (form) => {
      const gateway = gateways.get(form)!;
      const { page, pageErrors, network } = await openPage();
      expect(await read(page, 'runtime')).toEqual({
        process: 'undefined',
        require: 'undefined',
        WebSocket: 'function',
      });

      await page.evaluate(`window.utilbot.connect(${JSON.stringify(gateway.url)}, ${JSON.stringify(KEY)})`);
      await until(page, 'utilbot.started !== undefined', 'end of start()');
      expect(await read(page, 'started')).toBe('ready');
      const first = gateway.connections.at(-1)!;
      expect(first.query.get('compression')).toBe('zlib');
      expect(first.compression).toBe(form);
      // The zlib reader's chunk was fetched once, and had arrived before the socket was made.
      const [chunk] = pakoFiles as [string];
      expect(network.filter((line) => line === `request ${chunk}`)).toHaveLength(1);
      expect(network.indexOf(`loaded ${chunk}`)).toBeGreaterThanOrEqual(0);
      expect(network.indexOf(`loaded ${chunk}`)).toBeLessThan(network.indexOf('websocket'));

      const before = { guilds: 3, guildMembers: 30, cachedGuildMembers: 20 };
      await page.evaluate(`window.utilbot.report(${JSON.stringify(before)})`);
      await receives(page, before);

      // No close frame: the browser sees 1006 and the client reconnects, with a fresh zlib context.
      const dropped = gateway.connectionCount;
      first.drop();
      await until(
        page,
        `utilbot.statuses.includes('reconnecting') && utilbot.statuses.indexOf('ready', utilbot.statuses.indexOf('reconnecting')) > 0`,
        'ready again after the drop',
      );
      expect(gateway.connectionCount).toBe(dropped + 1);
      const after = { guilds: 4, guildMembers: 40, cachedGuildMembers: 25 };
      await page.evaluate(`window.utilbot.report(${JSON.stringify(after)})`);
      await receives(page, after);

      expect(await page.evaluate('window.utilbot.stop()')).toBe('stopped');
      expect((await read(page, 'statuses')).at(-1)).toBe('stopped');
      // The gateway saw the browser close its socket, with 1000.
      expect((await gateway.connections.at(-1)!.closed).code).toBe(1000);
      // A drop is no error (the client just reconnects); nothing else went wrong either.
      expect(await read(page, 'errors')).toEqual([]);
      expect(pageErrors).toEqual([]);
      // Reconnecting fetched nothing again: the reader stays loaded.
      expect(network.filter((line) => line === `request ${chunk}`)).toHaveLength(1);
    },
  );
});
