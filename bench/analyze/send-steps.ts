/**
 * Where ours' send cost goes (benchmark 6), without sockets: a ready client on the in-memory
 * WebSocket (whose send drops the frame), against what the baseline does besides `ws.send`, and
 * the steps of `client.send` timed alone. CPU time per call, medians of interleaved rounds.
 *
 *   node bench/.build/…/bench/analyze/send-steps.js   (after npm run bench -- --build-only)
 */
import { createEventRegistry, createGatewayClient, encodeFrame, Opcode } from '../../src/index.js';
import { SEND_SERVERS_DATA } from '../lib/frames.js';
import { MemorySocket } from '../lib/memory-socket.js';
import { formatNumber, median } from '../lib/stats.js';

const iterations = 100_000;
const rounds = 15;
let sink = 0;

function time(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) if (fn() !== undefined) sink++;
  const used = process.cpuUsage(c0);
  return ((used.user + used.system) * 1000) / iterations;
}

async function run(): Promise<void> {
  MemorySocket.interval = 600_000;
  const client = createGatewayClient({
    url: 'ws://127.0.0.1:1',
    identify: { type: 'bot', key: 'k' },
    WebSocket: MemorySocket,
    onError: () => undefined,
  });
  await client.start();
  const events = createEventRegistry();
  const frame = { op: Opcode.ClientEvent, t: 'send_servers', d: SEND_SERVERS_DATA } as const;
  const steps: [string, () => unknown][] = [
    ["baseline's own work: JSON.stringify(frame)", () => JSON.stringify(frame)],
    ['encodeFrame(frame, { events })', () => encodeFrame(frame, { events })],
    ['client.status (exact: statusOf(actor.getSnapshot()); send() reads a cached copy)', () => client.status],
    [
      "client.send('send_servers', data), in-memory socket",
      () => client.send('send_servers', SEND_SERVERS_DATA),
    ],
  ];
  const results = steps.map(() => [] as number[]);
  for (const [, fn] of steps) time(fn);
  for (let round = 0; round < rounds; round++) steps.forEach(([, fn], i) => results[i]?.push(time(fn)));
  process.stdout.write(`CPU ns per call, median of ${rounds} rounds of ${formatNumber(iterations)}:\n`);
  steps.forEach(([name], i) => {
    process.stdout.write(`  ${formatNumber(median(results[i] ?? [])).padStart(7)} ns  ${name}\n`);
  });
  process.stdout.write(`(${formatNumber(MemorySocket.dropped)} frames reached the in-memory socket)\n`);
  await client.stop();
  if (sink < 0) process.stdout.write('\n');
}

void run();
