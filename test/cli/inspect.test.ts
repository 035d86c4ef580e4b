import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createWebSocketInspector } from '@statelyai/inspect';
import WebSocket, { WebSocketServer } from 'ws';
import { startInspector, type CliInspector } from '../../src/cli/inspect.js';
import { REPLAYED_EVENTS, startInspectorBridge } from '../../src/cli/inspector-bridge.js';
import { main } from '../../src/cli/main.js';
import { cleanUp, client, gateway, KEY, until } from '../client/helpers.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await cleanUp();
});

/** Starts the CLI's inspector on `port`, stopped after the test even when it fails. */
async function inspector(port = 0): Promise<CliInspector> {
  const started = await startInspector(port);
  stops.push(() => started.stop());
  return started;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Opens a TCP connection to host:port: 'connected', or the error code it failed with. */
function reach(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** One GET with the Host header given, on a fresh connection (no keep-alive pool left behind). */
function get(
  port: number,
  host: string,
  path = '/',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket to the bridge, recording what it receives; closed after the test. */
interface Viewer {
  readonly socket: WebSocket;
  readonly seen: string[];
  /** Resolves once open; rejects with the handshake's error (e.g. "Unexpected server response: 403"). */
  readonly opened: Promise<void>;
  /** A ping round trip: everything the bridge sent this socket before the pong has arrived. */
  flush(): Promise<void>;
}

function viewer(url: string, options: WebSocket.ClientOptions = {}): Viewer {
  const socket = new WebSocket(url, options);
  const seen: string[] = [];
  socket.on('message', (data) => seen.push((data as Buffer).toString()));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  opened.catch(() => undefined);
  stops.push(async () => {
    if (socket.readyState === WebSocket.CLOSED) return;
    await new Promise((resolve) => {
      socket.once('close', resolve);
      socket.terminate();
    });
  });
  return {
    socket,
    seen,
    opened,
    flush: () =>
      new Promise<void>((resolve) => {
        socket.once('pong', () => resolve());
        socket.ping();
      }),
  };
}

const states = ['connecting', 'awaiting-hello', 'identifying', 'ready'];

describe('the XState inspector', () => {
  test('@statelyai/inspect over a local WebSocket shows the states by name and never the key', async () => {
    const received: string[] = [];
    const endpoint = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    endpoint.on('connection', (socket) =>
      socket.on('message', (data) => received.push((data as Buffer).toString())),
    );
    await new Promise((resolve) => endpoint.once('listening', resolve));
    const { port } = endpoint.address() as { port: number };
    const packaged = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    try {
      const gw = await gateway();
      const c = client({ url: gw.url, inspect: packaged.inspect });
      await c.client.start();
      await until(
        () => states.every((s) => received.some((m) => m.includes(`"${s}"`))),
        3000,
        'every state in the stream',
      );
      await c.client.stop();
      const stream = received.join('\n');
      expect(stream).toContain('gateway-session');
      expect(stream).not.toContain(KEY);
    } finally {
      packaged.stop();
      for (const socket of endpoint.clients) socket.terminate();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  test("the package's WebSocket inspector connects without an Origin header (so the bridge admits its producer)", async () => {
    const upgrades: IncomingHttpHeaders[] = [];
    const endpoint = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    const answered = new Promise<void>((resolve) =>
      endpoint.on('connection', (socket, request) => {
        upgrades.push(request.headers);
        // A pong means the package's socket is open; closing it then is clean (closing it while it
        // still connects would make the package reconnect every 5 s, past the test).
        socket.once('pong', () => resolve());
        socket.ping();
      }),
    );
    await new Promise((resolve) => endpoint.once('listening', resolve));
    const { port } = endpoint.address() as AddressInfo;
    const packaged = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    try {
      await answered;
      expect(upgrades).toHaveLength(1);
      expect(upgrades[0]!.host).toBe(`127.0.0.1:${port}`);
      expect(upgrades[0]!.origin).toBeUndefined();
    } finally {
      packaged.stop();
      for (const socket of endpoint.clients) socket.terminate();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  test('npm start -- --inspect serves the bridge on 127.0.0.1; the stream names the states, never the key', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const out: string[] = [];
    const run = main(
      ['start', '--inspect', '--inspect-port', String(port)],
      { out: (l) => out.push(l), err: (l) => out.push(l) },
      controller.signal,
      {},
    );
    await until(() => out.some((line) => line.includes('inspector: open')), 5000, 'the inspector line');
    const page = viewer(`ws://127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    try {
      await until(
        () => states.every((s) => page.seen.some((m) => m.includes(`"${s}"`))),
        5000,
        'every state at the viewer',
      );
      controller.abort();
      expect(await run).toBe(0);
      expect(out.join('\n')).toContain(`inspector: open http://127.0.0.1:${port} in a browser`);
      expect(page.seen.join('\n')).not.toContain('demo-key');
      // After the command returned, the bridge is gone: nothing listens on the port.
      expect(await reach('127.0.0.1', port)).toBe('ECONNREFUSED');
    } finally {
      controller.abort();
      await run;
    }
  });
});

describe('the inspector bridge', () => {
  test('listens on loopback only: a non-loopback address of this machine is refused', async () => {
    const port = await freePort();
    await inspector(port);
    const outside = Object.values(networkInterfaces())
      .flat()
      // Link-local IPv6 needs a scope to dial; every other address of this machine is tried.
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'));
    expect(await reach('127.0.0.1', port)).toBe('connected');
    if (outside.length === 0) {
      // No other address to try from here: check what the socket is bound to instead.
      const bridge = await startInspectorBridge(0);
      stops.push(() => bridge.stop());
      expect(bridge.address.address).toBe('127.0.0.1');
    }
    for (const address of outside) expect(await reach(address!.address, port)).toBe('ECONNREFUSED');
  });

  test('answers only a Host naming the bridge: another name (DNS rebinding) gets 421, its WebSocket 403', async () => {
    const { url } = await inspector();
    const port = portOf(url);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect((await get(port, `127.0.0.1:${port}`)).status).toBe(200);
    expect((await get(port, `localhost:${port}`)).status).toBe(200);
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      'localhost',
      `127.0.0.1.evil.example:${port}`,
    ]) {
      const refused = await get(port, host);
      expect([host, refused.status, refused.body]).toEqual([host, 421, 'misdirected request\n']);
    }
    const rebound = viewer(`ws://127.0.0.1:${port}`, { headers: { host: `evil.example:${port}` } });
    await expect(rebound.opened).rejects.toThrow('Unexpected server response: 403');
  });

  test('refuses a WebSocket from a foreign Origin (cross-site WebSocket hijacking); admits the page and local processes', async () => {
    const { url } = await inspector();
    const port = portOf(url);
    const ws = `ws://127.0.0.1:${port}`;
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
    ]) {
      const foreign = viewer(ws, { origin });
      await expect(foreign.opened).rejects.toThrow('Unexpected server response: 403');
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, undefined]) {
      const admitted = viewer(ws, origin === undefined ? {} : { origin });
      await expect(admitted.opened).resolves.toBeUndefined();
    }
  });

  test('a page receives what the CLI inspector sends, a page opened later the replay, and the key is in nothing the bridge sends', async () => {
    const cli = await inspector();
    const port = portOf(cli.url);
    const early = viewer(`ws://127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    await early.opened;
    const gw = await gateway();
    const c = client({ url: gw.url, inspect: cli.inspect });
    await c.client.start();
    // The gateway echoing the key in a fatal error must not carry it to the inspector either.
    const failed = c.next('failed');
    await gw.connections[0]!.sendError(4001, { message: `key ${KEY} expired`, errors: [`${KEY} is wrong`] });
    await failed;
    await until(
      () => [...states, 'failed'].every((s) => early.seen.some((m) => m.includes(`"${s}"`))),
      5000,
      'every state, failed included, at the page',
    );

    const late = viewer(`ws://localhost:${port}`, { origin: `http://localhost:${port}` });
    await late.opened;
    await late.flush();
    const page = await get(port, `127.0.0.1:${port}`);
    // The page opened later is replayed the latest events, fewer than the bound here, so all of them.
    expect(early.seen.length).toBeLessThanOrEqual(REPLAYED_EVENTS);
    await until(() => JSON.stringify(late.seen) === JSON.stringify(early.seen), 2000, 'the replay');
    expect(late.seen).toEqual(early.seen);

    const everything = [page.body, JSON.stringify(page.headers), ...early.seen, ...late.seen].join('\n');
    expect(everything).toContain('gateway-session');
    expect(everything).not.toContain(KEY);
    // The key was in play: it went where it belongs, the identify frame the gateway received.
    expect(gw.connections[0]!.frames.some((f) => f.text.includes(KEY))).toBe(true);
  });

  test('relays only the producer: what a page or a stray local socket sends reaches no one, and a wrong producer token is refused', async () => {
    const bridge = await startInspectorBridge(0);
    stops.push(() => bridge.stop());
    const port = bridge.address.port;
    const producer = viewer(bridge.producerUrl);
    await producer.opened;
    await bridge.producerReady(2000);
    const stray = viewer(`ws://127.0.0.1:${port}`); // a local process, as the old server's producers connected
    const page = viewer(`ws://127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    const watcher = viewer(`ws://127.0.0.1:${port}`, { origin: `http://localhost:${port}` });
    await Promise.all([stray.opened, page.opened, watcher.opened]);

    stray.socket.send(JSON.stringify({ type: '@xstate.event', forged: 'by-stray' }));
    page.socket.send(JSON.stringify({ type: '@xstate.event', forged: 'by-page' }));
    // Each round trip guarantees the bridge has handled what that socket sent before.
    await Promise.all([stray.flush(), page.flush()]);
    producer.socket.send(JSON.stringify({ type: '@xstate.event', genuine: 1 }));
    await producer.flush();
    await until(() => watcher.seen.length > 0, 2000, 'the genuine event');
    await Promise.all([watcher.flush(), stray.flush(), page.flush()]);
    expect(watcher.seen).toEqual(['{"type":"@xstate.event","genuine":1}']);
    expect(page.seen).toEqual(['{"type":"@xstate.event","genuine":1}']);
    expect(stray.seen).toEqual(['{"type":"@xstate.event","genuine":1}']);
    expect(producer.seen).toEqual([]);
    const late = viewer(`ws://127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    await late.opened;
    await late.flush();
    expect(late.seen).toEqual(['{"type":"@xstate.event","genuine":1}']);

    const wrongToken = bridge.producerUrl.replace(/\/producer\/.*/, '/producer/guess');
    await expect(viewer(wrongToken).opened).rejects.toThrow('Unexpected server response: 404');
  });

  test('keeps only the latest events for pages that open later', async () => {
    const bridge = await startInspectorBridge(0);
    stops.push(() => bridge.stop());
    const producer = viewer(bridge.producerUrl);
    await producer.opened;
    for (let i = 0; i < REPLAYED_EVENTS + 50; i += 1) producer.socket.send(JSON.stringify({ i }));
    await producer.flush();
    const late = viewer(`ws://127.0.0.1:${bridge.address.port}`);
    await late.opened;
    await late.flush();
    expect(late.seen).toHaveLength(REPLAYED_EVENTS);
    expect(late.seen[0]).toBe('{"i":50}');
    expect(late.seen.at(-1)).toBe(`{"i":${REPLAYED_EVENTS + 49}}`);
  });

  test('the page embeds stately.ai/inspect and posts to it only with the target origin https://stately.ai', async () => {
    const { url } = await inspector();
    const port = portOf(url);
    const { status, headers, body } = await get(port, `127.0.0.1:${port}`);
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(body).toContain('<iframe id="inspector" src="https://stately.ai/inspect"></iframe>');
    const targets = [...body.matchAll(/\.postMessage\(\s*[^,()]+,\s*([^)]+)\)/g)].map((m) => m[1]);
    expect(targets).toEqual(["'https://stately.ai'"]);
    expect(body.match(/postMessage/g)).toHaveLength(1);
    expect(body).not.toMatch(/['"`]\*['"`]/);
    // It trusts the connected signal only from the iframe at that origin.
    expect(body).toContain(`e.source !== iframe.contentWindow || e.origin !== 'https://stately.ai'`);
    // Its only script is the nonce'd one; it frames only the inspector and may not be framed itself.
    const nonce = /<script nonce="([^"]+)">/.exec(body)?.[1];
    expect(nonce).toBeDefined();
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain('frame-src https://stately.ai');
    expect(csp).toContain("frame-ancestors 'none'");
    expect((await get(port, `127.0.0.1:${port}`, '/elsewhere')).status).toBe(404);
  });

  test('stop() closes the pages, the producer and the server, and leaves no handle behind, even right after start', async () => {
    // Sockets, servers and timers only (jest's own file reads and immediates come and go), each
    // read right after a timer fired, so the reading itself holds none.
    const active = async (): Promise<string[]> => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return process
        .getActiveResourcesInfo()
        .filter((r) => ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'].includes(r))
        .sort();
    };
    const before = await active();
    const cli = await startInspector(0);
    const port = portOf(cli.url);
    const page = viewer(`ws://127.0.0.1:${port}`, { origin: `http://127.0.0.1:${port}` });
    await page.opened;
    const closed = new Promise<number>((resolve) => page.socket.once('close', resolve));
    await cli.stop();
    expect(await closed).toBe(1001);
    expect(await reach('127.0.0.1', port)).toBe('ECONNREFUSED');
    // Stopped at once, too: the package's inspector is never closed while it still connects (it
    // would then reconnect every 5 s, forever).
    await (await startInspector(0)).stop();
    // Nothing of either lingers: no socket, no server, no reconnect timer.
    let after = await active();
    for (let tries = 0; tries < 100 && after.length !== before.length; tries += 1) after = await active();
    expect(after).toEqual(before);
  });

  test('a port in use is a one-line error naming the port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startInspector(port)).rejects.toThrow(
        `the inspector port ${port} is in use (choose another with --inspect-port)`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
