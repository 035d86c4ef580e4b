/**
 * Where connect → ready goes (benchmark 9's row), stage by stage: ours and the raw baseline
 * (bench/lib/raw-client.ts, the same handshake by hand) take turns against one local gateway in a
 * child process, and every `ws` event and `send` of the measured client is stamped with the time
 * since the connect began. Medians over the runs; the difference per stage is what our layers
 * (options, chart, socket actor, plugins) cost on top of the socket and the gateway.
 *
 *   npm run bench -- --build-only
 *   node node_modules/.cache/utilbot-gateway-bench/bench/analyze/connect-stages.js [RUNS]
 */
import WebSocket from 'ws';
import { startHelper } from '../lib/child.js';
import { connectRaw } from '../lib/raw-client.js';
import { BENCH_KEY, createOurClient } from '../lib/our-client.js';
import { median } from '../lib/stats.js';

const runs = Number(process.argv[2] ?? 300);
const warmUp = 30;

let marks: [string, number][] = [];
let startedAt = 0;
const mark = (stage: string): void => {
  marks.push([stage, performance.now() - startedAt]);
};

// Stamps what the measured client's socket does; `ws` is the one both sides use.
const proto = WebSocket.prototype as unknown as {
  emit: (type: string, ...args: unknown[]) => boolean;
  send: (data: unknown, ...args: unknown[]) => void;
};
const emit = proto.emit;
proto.emit = function (this: unknown, type: string, ...args: unknown[]) {
  if (type === 'upgrade' || type === 'open') mark(`socket ${type}`);
  else if (type === 'message') mark(`← ${String(args[0]).slice(0, 14)}`);
  return emit.call(this, type, ...args);
};
const send = proto.send;
proto.send = function (this: unknown, data: unknown, ...args: unknown[]) {
  mark(`→ ${String(data).slice(0, 14)}`);
  send.call(this, data, ...args);
};

const gateway = startHelper('gateway-child', [
  JSON.stringify({ heartbeatInterval: 600_000, guildCountInterval: 0 }),
]);
const { url } = await gateway.next<{ type: string; url: string }>('listening');

async function ours(): Promise<[string, number][]> {
  marks = [];
  startedAt = performance.now();
  const { client } = createOurClient(url);
  mark('client made');
  await client.start();
  mark('ready');
  const seen = marks;
  await client.stop();
  return seen;
}

async function raw(): Promise<[string, number][]> {
  marks = [];
  startedAt = performance.now();
  const client = connectRaw({ url, key: BENCH_KEY });
  await client.ready;
  mark('ready');
  const seen = marks;
  await client.close();
  return seen;
}

const stages = { ours: new Map<string, number[]>(), raw: new Map<string, number[]>() };
for (let i = 0; i < warmUp + runs; i++) {
  for (const [side, connect] of [
    ['ours', ours],
    ['raw', raw],
  ] as const) {
    const seen = await connect();
    if (i < warmUp) continue;
    // The first time each stage was reached (a stop's late close event is not this connect's).
    const first = new Map<string, number>();
    for (const [stage, at] of seen) if (!first.has(stage)) first.set(stage, at);
    for (const [stage, at] of first) {
      const list = stages[side].get(stage) ?? [];
      list.push(at);
      stages[side].set(stage, list);
    }
  }
}
await gateway.stop();

console.log(
  `connect → ready by stage, ms since the connect began (median of ${runs} runs each, alternating)`,
);
const names = [...stages.ours.keys()].filter((name) => (stages.ours.get(name)?.length ?? 0) > runs / 2);
for (const name of names) {
  const ourAt = median(stages.ours.get(name) ?? []);
  const rawList = stages.raw.get(name);
  const rawAt = rawList === undefined || rawList.length < runs / 2 ? undefined : median(rawList);
  console.log(
    `  ${name.padEnd(18)} ours ${ourAt.toFixed(3)}  raw ${rawAt === undefined ? '    —' : rawAt.toFixed(3)}`,
  );
}
