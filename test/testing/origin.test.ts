/**
 * Browsers let any web page open a WebSocket to any address: the local gateway must refuse pages
 * that are not on this machine, or a site the developer visits could connect to `npm start` or
 * `serve` on a known port and identify with the well-known development key.
 */
import WebSocket from 'ws';
import { runServe } from '../../src/cli/serve.js';
import type { LocalGateway } from '../../src/testing/index.js';
import { cleanUp, startGateway, within } from './helpers.js';

afterEach(cleanUp);

/** Opens a WebSocket with `origin` (none when undefined): `'open'` or the HTTP status it was refused with. */
function attempt(url: string, origin: string | undefined): Promise<'open' | number> {
  const ws = new WebSocket(`${url}/?v=1`, origin === undefined ? {} : { origin });
  const outcome = new Promise<'open' | number>((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
  return within(outcome, 3_000, `the upgrade from ${String(origin)}`);
}

describe('the Origin of a WebSocket upgrade', () => {
  it('accepts no Origin and pages on this machine, and refuses every other page with 403', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ log: (line) => lines.push(line) });
    for (const origin of [
      undefined,
      'http://127.0.0.1:5173',
      'https://127.0.0.1',
      'http://localhost:3000',
      'HTTP://LOCALHOST:3000',
      'http://[::1]:8080',
    ])
      expect([origin, await attempt(gateway.url, origin)]).toEqual([origin, 'open']);
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1.evil.example',
      'http://127.0.0.1@evil.example',
      'http://localhost.evil.example:3000',
      'null',
      'file://',
      'ftp://127.0.0.1',
      'not a url',
    ])
      expect([origin, await attempt(gateway.url, origin)]).toEqual([origin, 403]);
    // A refused upgrade is no connection.
    expect(gateway.connectionCount).toBe(6);
    expect(lines).toContain(
      'refused an upgrade from origin https://evil.example (403): not a page on this machine nor in allowedOrigins',
    );
  });

  it('accepts the origins given in allowedOrigins, or any with *', async () => {
    const some = await startGateway({ allowedOrigins: ['https://Dashboard.example', 'file://'] });
    expect(await attempt(some.url, 'https://dashboard.example')).toBe('open');
    expect(await attempt(some.url, 'file://')).toBe('open');
    expect(await attempt(some.url, 'https://evil.example')).toBe(403);
    expect(await attempt(some.url, 'http://127.0.0.1:1234')).toBe('open');
    const any = await startGateway({ allowedOrigins: ['*'] });
    expect(await attempt(any.url, 'https://evil.example')).toBe('open');
    await expect(startGateway({ allowedOrigins: [''] })).rejects.toThrow(
      new RangeError('allowedOrigins must be a list of non-empty strings'),
    );
  });

  it('serve refuses a foreign page unless --allow-origin names it', async () => {
    const controller = new AbortController();
    let started: (gateway: LocalGateway) => void = () => undefined;
    const served = new Promise<LocalGateway>((resolve) => (started = resolve));
    const running = runServe(
      ['--port', '0', '--allow-origin', 'https://dashboard.example'],
      { out: () => undefined, err: () => undefined },
      controller.signal,
      started,
    );
    try {
      const gateway = await within(served, 3_000, 'serve to start');
      expect(await attempt(gateway.url, 'https://evil.example')).toBe(403);
      expect(await attempt(gateway.url, 'https://dashboard.example')).toBe('open');
    } finally {
      controller.abort();
      expect(await running).toBe(0);
    }
  });
});
