/**
 * The stream form of compression=zlib over real sockets, where the order of socket events matters: a
 * frame must be read before the next socket event is handled. When the stream form was inflated
 * asynchronously (node:zlib), a close right behind a frame tore the connection down first and the
 * frame was lost, and a burst of events queued the heartbeat ACK behind them until the session was
 * taken for a zombie.
 */
import type { AddressInfo } from 'node:net';
import { Deflate, Z_SYNC_FLUSH } from 'pako';
import { WebSocketServer } from 'ws';
import type { GlobalGuildCountData } from '../../src/index.js';
import { cleanUp, client, gateway, until } from './helpers.js';

/** The burst gateways a test made, closed after its clients (helpers' cleanUp) have stopped. */
const servers: WebSocketServer[] = [];

afterEach(async () => {
  await cleanUp();
  for (const server of servers.splice(0)) {
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

const TRIES = 20;

describe('stream form: nothing overtakes a compressed frame', () => {
  test(`an event right before the close arrives, ${TRIES} times out of ${TRIES}`, async () => {
    const gw = await gateway({ compressionForm: 'stream', guildCountInterval: 0 });
    const seen: unknown[] = [];
    const c = client({
      url: gw.url,
      compression: 'zlib',
      plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (d) => void seen.push(d) } }],
    });
    await c.client.start();
    // One client, a connection per try: each close makes it reconnect to a fresh zlib stream.
    for (let i = 0; i < TRIES; i++) {
      const connection = gw.connections[i]!;
      expect(connection.compression).toBe('stream');
      const reconnecting = c.next('reconnecting');
      const data: GlobalGuildCountData = { guilds: i, guildMembers: 1, cachedGuildMembers: 1 };
      // Not awaited: the gateway writes the event and its close back to back.
      void connection.sendEvent('GLOBAL_GUILD_COUNT', data);
      void connection.close(i % 2 === 0 ? 1000 : 4005);
      await reconnecting;
      await c.next('ready');
    }
    // A lost event never comes later: its connection is gone.
    expect(seen).toEqual(
      Array.from({ length: TRIES }, (_, i) => ({ guilds: i, guildMembers: 1, cachedGuildMembers: 1 })),
    );
  }, 30_000);

  test(`an op -1 error right before its close keeps its message and errors, ${TRIES} times out of ${TRIES}`, async () => {
    const gw = await gateway({ compressionForm: 'stream', guildCountInterval: 0 });
    const c = client({ url: gw.url, compression: 'zlib' });
    await c.client.start();
    const reasons: unknown[] = [];
    for (let i = 0; i < TRIES; i++) {
      const connection = gw.connections[i]!;
      const reconnecting = c.next('reconnecting');
      void connection.sendError(4005, { message: `try ${i}`, errors: [`problem ${i}`] });
      void connection.close(4005);
      const { reason } = await reconnecting;
      // Lost, the error frame would leave the close code alone: 4005 without `m` or `errors`.
      reasons.push({ code: reason?.code, gatewayMessage: reason?.gatewayMessage, errors: reason?.errors });
      await c.next('ready');
    }
    expect(reasons).toEqual(
      Array.from({ length: TRIES }, (_, i) => ({
        code: 4005,
        gatewayMessage: `try ${i}`,
        errors: [`problem ${i}`],
      })),
    );
  }, 30_000);

  test('a burst of 30,000 events does not hold the heartbeat ACK back: the session stays ready', async () => {
    const COUNT = 30_000;
    // Beats every 400 ms: the client takes the session for a zombie when an ACK is not there by the
    // next beat. (Round trips of ~20 ms were measured here during the burst; when node:zlib
    // inflated the stream form asynchronously, the session was taken for a zombie within a second.)
    const gw = await burstGateway({ heartbeatInterval: 400, count: COUNT });
    let seen = 0;
    const c = client({
      url: gw.url,
      compression: 'zlib',
      plugins: [
        {
          name: 'counts',
          events: {
            GLOBAL_GUILD_COUNT: () => {
              seen++;
            },
          },
        },
      ],
    });
    await c.client.start();
    await gw.burst();
    await until(() => seen === COUNT || c.statuses().includes('reconnecting'), 10_000, 'the burst');
    // Beats went on during the burst, each answered by an ACK behind thousands of events.
    await until(() => gw.heartbeats() >= 3, 2000, 'three heartbeats');
    expect(c.statuses().filter((status) => status === 'reconnecting' || status === 'failed')).toEqual([]);
    expect(seen).toBe(COUNT);
    expect(gw.connections()).toBe(1);
    expect(c.errors).toEqual([]);
  }, 30_000);
});

/**
 * A stream-form gateway that writes a burst faster than the client reads it, as a real gateway on
 * another machine can: it compresses with pako, synchronously, so its own frames (an ACK) are never
 * held back by its compression. The local gateway cannot do this: it compresses each message with
 * node:zlib asynchronously, one at a time, so its bursts come no faster than a client inflates them
 * that way, and an ACK waits at the gateway behind the events it queued before it.
 */
async function burstGateway(options: { heartbeatInterval: number; count: number }) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  servers.push(server);
  let heartbeats = 0;
  let connections = 0;
  let ready: ((send: (frame: object) => void) => void) | undefined;
  const identified = new Promise<(frame: object) => void>((resolve) => (ready = resolve));

  server.on('connection', (socket) => {
    connections++;
    // One zlib stream per connection, each message sync-flushed so that its frame ends 00 00 ff ff.
    const deflate = new Deflate();
    let out: Uint8Array[] = [];
    deflate.onData = (chunk) => out.push(chunk);
    const send = (frame: object): void => {
      deflate.push(JSON.stringify(frame), Z_SYNC_FLUSH);
      socket.send(Buffer.concat(out), { binary: true });
      out = [];
    };
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { op: number; t?: string };
      if (frame.op === 10) {
        heartbeats++;
        send({ op: 11 });
      } else if (frame.op === 1 && frame.t === 'identify') {
        send({ op: 0, t: 'bot_connect_success', d: { id: 'bot-1', type: 'bot' } });
        ready?.(send);
      }
    });
    send({ op: 5, d: { heartbeat: options.heartbeatInterval } });
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    heartbeats: () => heartbeats,
    connections: () => connections,
    /** Writes the burst in slices of 250, yielding between them so that heartbeats get their ACK. */
    async burst(): Promise<void> {
      const send = await identified;
      const d = { guilds: 1, guildMembers: 2, cachedGuildMembers: 3 };
      for (let sent = 0; sent < options.count; sent += 250) {
        for (let i = 0; i < 250; i++) send({ op: 0, t: 'GLOBAL_GUILD_COUNT', d });
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
