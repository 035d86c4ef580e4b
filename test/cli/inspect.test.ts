import { createServer } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import WebSocket, { WebSocketServer } from 'ws';
import { main } from '../../src/cli/main.js';
import { cleanUp, client, gateway, KEY, until } from '../client/helpers.js';

afterEach(cleanUp);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    try {
      const gw = await gateway();
      const c = client({ url: gw.url, inspect: inspector.inspect });
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
      inspector.stop();
      for (const socket of endpoint.clients) socket.terminate();
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  test('npm start -- --inspect serves the inspector bridge; the stream names the states, never the key', async () => {
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
    const viewer = new WebSocket(`ws://127.0.0.1:${port}`);
    const seen: string[] = [];
    viewer.on('message', (data) => seen.push((data as Buffer).toString()));
    try {
      await until(
        () => states.every((s) => seen.some((m) => m.includes(`"${s}"`))),
        5000,
        'every state at the viewer',
      );
      controller.abort();
      expect(await run).toBe(0);
      expect(out.join('\n')).toContain(`http://localhost:${port}`);
      expect(seen.join('\n')).not.toContain('demo-key');
    } finally {
      viewer.terminate();
      controller.abort();
      await run;
    }
  });
});
