/**
 * The session view's server without a browser: who it answers, what it pushes, how it stops.
 */
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { createSessionView, type SessionView, type ViewMessage } from '../../src/index.js';
import { cleanUp, client, gateway, KEY, until } from '../client/helpers.js';

let view: SessionView | undefined;

afterEach(async () => {
  await view?.stop();
  view = undefined;
  await cleanUp();
});

/** GET `path` with the Host header `host`: status and body. */
function get(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; body: string; csp: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          csp: String(response.headers['content-security-policy'] ?? ''),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the feed socket as given; resolves with the messages once open, or the refusal's status. */
function connect(
  url: string,
  headers: Record<string, string>,
): Promise<{ socket: WebSocket; messages: ViewMessage[] } | { refused: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    const messages: ViewMessage[] = [];
    socket.on('message', (data) =>
      messages.push(JSON.parse((data as Buffer).toString('utf8')) as ViewMessage),
    );
    socket.on('open', () => resolve({ socket, messages }));
    socket.on('unexpected-response', (_req, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

async function started(): Promise<{ view: SessionView; port: number }> {
  const gw = await gateway();
  const recorded = client({ url: gw.url });
  view = await createSessionView(recorded.client, { port: 0, keys: [KEY] });
  await recorded.client.start();
  return { view, port: view.address.port };
}

test('listens on 127.0.0.1 and serves the page only to its own Host, with a strict CSP', async () => {
  const { view: v, port } = await started();
  expect(v.address.address).toBe('127.0.0.1');
  const page = await get(port, '/', `127.0.0.1:${port}`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('<div id="view">');
  expect(page.csp).toContain("default-src 'none'");
  expect(page.csp).toContain(`connect-src ws://127.0.0.1:${port} ws://localhost:${port}`);
  // No URL but the page's own: nothing to load from the network.
  expect(page.body).not.toMatch(/\b(src|href)=["']?https?:/);
  expect((await get(port, '/', `localhost:${port}`)).status).toBe(200);
  expect((await get(port, '/', `evil.example:${port}`)).status).toBe(421);
  expect((await get(port, '/other', `127.0.0.1:${port}`)).status).toBe(404);
});

test('accepts the feed from its own origin or none, refuses other origins, hosts and paths', async () => {
  const { view: v, port } = await started();
  const feed = `ws://127.0.0.1:${port}/feed`;
  expect(await connect(feed, { Origin: 'http://evil.example' })).toEqual({ refused: 403 });
  expect(await connect(feed, { Host: `evil.example:${port}` })).toEqual({ refused: 403 });
  expect(await connect(`ws://127.0.0.1:${port}/elsewhere`, {})).toEqual({ refused: 404 });
  const own = await connect(feed, { Origin: `http://127.0.0.1:${port}` });
  if (!('socket' in own)) throw new Error(`refused: ${own.refused}`);
  await until(() => own.messages.length > 0);
  const first = own.messages[0];
  expect(first?.type).toBe('snapshot');
  if (first?.type !== 'snapshot') throw new Error('no snapshot');
  expect(first.snapshot.status).toBe('ready');
  expect(first.snapshot.transitions.map((t) => t.status)).toEqual([
    'connecting',
    'awaiting-hello',
    'identifying',
    'ready',
  ]);

  // report(): an error the app passes on reaches the page, the key masked.
  v.report({ code: 4002, message: `bad frame echoing ${KEY}` });
  await until(() => own.messages.some((m) => m.type === 'error'));
  const error = own.messages.find((m) => m.type === 'error');
  expect(JSON.stringify(error)).not.toContain(KEY.slice(0, 8));
  expect(JSON.stringify(error)).toContain('[key]');
});

test('stop() closes every page socket and the server, and is idempotent', async () => {
  const { view: v, port } = await started();
  const pages = await Promise.all([1, 2].map(() => connect(`ws://127.0.0.1:${port}/feed`, {})));
  const closed = pages.map(
    (p) =>
      new Promise<number>((resolve) => {
        if (!('socket' in p)) throw new Error('refused');
        p.socket.on('close', (code) => resolve(code));
      }),
  );
  await Promise.all([v.stop(), v.stop()]);
  expect(await Promise.all(closed)).toEqual([1001, 1001]);
  await expect(get(port, '/', `127.0.0.1:${port}`)).rejects.toThrow(/ECONNREFUSED/);
});

test('a port in use is an error naming it, and leaves nothing open', async () => {
  const { port } = await started();
  const gw = await gateway();
  const other = client({ url: gw.url });
  await expect(createSessionView(other.client, { port })).rejects.toThrow(`port ${port} is in use`);
});
