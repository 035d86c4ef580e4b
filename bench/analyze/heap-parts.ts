/**
 * Where the heap of one client goes (benchmark 3), part by part: N copies of each part are made
 * and kept, and the heap growth after GC is divided by N. No sockets: the ready client uses the
 * in-memory WebSocket, so the figure is the client's own (add the `ws` socket, which the baseline
 * measures, for the total).
 *
 *   node --expose-gc --import tsx bench/analyze/heap-parts.ts [N]
 */
import { createActor, fromCallback } from 'xstate';
import { reconnectDefaults } from '../../machines/backoff.js';
import { sessionMachine, type SocketCommand, type SocketInput } from '../../machines/session.machine.js';
import { createEventRegistry, createGatewayClient, type GatewayClient } from '../../src/index.js';
import { PluginHost } from '../../src/plugins/host.js';
import { createFrameReader } from '../../src/transport/inflate.js';
import { resolveOptions } from '../../src/session/options.js';
import { MemorySocket } from '../lib/memory-socket.js';
import { BENCH_KEY } from '../lib/our-client.js';
import { formatNumber, settleHeap, sleep } from '../lib/stats.js';

const count = Number(process.argv[2] ?? 1_000);
const input = {
  url: 'ws://127.0.0.1:1/?v=1',
  timeouts: { connect: 10_000, hello: 10_000, identify: 10_000 },
  reconnect: reconnectDefaults,
  identifyIsProvider: false,
};
const socket = fromCallback<SocketCommand, SocketInput>(() => undefined);
const noopSocket = fromCallback<SocketCommand, SocketInput>(({ receive }) => {
  receive(() => undefined);
});
/** What the client could do: provide the socket once, for every client. */
const sharedMachine = sessionMachine.provide({ actors: { socket: noopSocket } });
const readyEvents = [
  { type: 'START' },
  { type: 'OPEN' },
  { type: 'HELLO', heartbeatInterval: 600_000 },
  { type: 'BOT_CONNECT_SUCCESS' },
  { type: 'ACK', latency: 1 },
] as const;
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

async function perCopy(make: () => unknown, ready?: (made: unknown[]) => Promise<void>): Promise<number> {
  make();
  await settleHeap();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  for (let i = 0; i < count; i++) kept.push(make());
  if (ready !== undefined) await ready(kept);
  await settleHeap();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== count) throw new Error('lost copies');
  return (after - before) / count;
}

function client(): GatewayClient {
  return createGatewayClient({
    url: 'ws://127.0.0.1:1',
    identify: { type: 'bot', key: BENCH_KEY },
    WebSocket: MemorySocket,
    logger: silent,
    onError: () => undefined,
  });
}

async function run(): Promise<void> {
  MemorySocket.interval = 600_000;
  const parts: [string, () => unknown, ((made: unknown[]) => Promise<void>)?][] = [
    [
      'sessionMachine.provide({ actors: { socket } }) (per client before 1e898c2; now once)',
      () => sessionMachine.provide({ actors: { socket } }),
    ],
    ['createActor(one shared machine), started, idle', () => createActor(sessionMachine, { input }).start()],
    [
      'an actor of one shared machine driven to ready (parallel states, child socket actor, timers)',
      () => {
        const actor = createActor(sharedMachine, { input });
        actor.start();
        for (const event of readyEvents) actor.send(event);
        return actor;
      },
    ],
    [
      'createFrameReader() (per connection)',
      () => createFrameReader({ maxPayload: 1 << 24, onFrame: () => undefined, onError: () => undefined }),
    ],
    ['createEventRegistry()', () => createEventRegistry()],
    [
      'new PluginHost() with its registry',
      () =>
        new PluginHost({
          client: { send: () => 'queued', status: 'idle', latency: undefined, redact: (text) => text },
          logger: silent,
          events: createEventRegistry(),
          report: () => undefined,
        }),
    ],
    [
      'resolveOptions()',
      () => resolveOptions({ url: 'ws://127.0.0.1:1', identify: { type: 'bot', key: 'k' } }),
    ],
    ['createGatewayClient(), not started', client],
    [
      'createGatewayClient(), ready on an in-memory socket',
      client,
      async (made) => {
        await Promise.all(made.map((c) => (c as GatewayClient).start()));
        await sleep(200);
      },
    ],
  ];
  process.stdout.write(`heap per copy, ${formatNumber(count)} copies each, after GC:\n`);
  for (const [name, make, ready] of parts) {
    process.stdout.write(`  ${formatNumber(await perCopy(make, ready)).padStart(8)} B  ${name}\n`);
  }
  process.exit(0);
}

void run();
