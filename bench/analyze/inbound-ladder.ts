/**
 * Where the inbound time of benchmark 1 goes: the same flood (bare gateway, child process) into a
 * ladder of consumers, each adding one layer of ours, measured alternately. The difference between
 * two rungs is what that layer costs per event.
 *
 *   0 ws .on('message'), count only (the ceiling)
 *   1 the baseline: .on('message') + JSON.parse + shape check + route by name
 *   2 as 1, but through ws's addEventListener (a MessageEvent per message), as the socket actor listens
 *   3 as 2, but createFrameReader + decodeFrame (client's registry) instead of JSON.parse + check
 *   4 ours: createGatewayClient with a plugin handler (adds the socket actor and plugin dispatch)
 *
 *   node --import tsx bench/analyze/inbound-ladder.ts [EVENTS] [ROUNDS]
 */
import WebSocket from 'ws';
import { createEventRegistry, decodeFrame } from '../../src/index.js';
import { createFrameReader } from '../../src/transport/inflate.js';
import { startHelper } from '../lib/child.js';
import { createOurClient } from '../lib/our-client.js';
import { formatNumber, median } from '../lib/stats.js';

const events = Number(process.argv[2] ?? 500_000);
const rounds = Number(process.argv[3] ?? 5);

interface Rung {
  readonly name: string;
  /** Sends the flood request; `hit` must be called once per event. */
  readonly start: (n: number) => void;
}

async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url}/?v=1`, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
  ws.on('error', () => undefined);
  await new Promise((resolve) => ws.once('open', resolve));
  return ws;
}

function isGuildCount(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const { guilds, guildMembers, cachedGuildMembers } = d as Record<string, unknown>;
  return (
    typeof guilds === 'number' && typeof guildMembers === 'number' && typeof cachedGuildMembers === 'number'
  );
}

async function run(): Promise<void> {
  const source = startHelper('bare-gateway');
  const { url } = await source.next<{ type: string; url: string }>('listening');
  let left = 0;
  let done: () => void = () => undefined;
  const hit = (): void => {
    if (--left === 0) done();
  };
  const handlers = new Map<string, (d: unknown) => void>([['GLOBAL_GUILD_COUNT', hit]]);
  const checks = new Map<string, (d: unknown) => boolean>([['GLOBAL_GUILD_COUNT', isGuildCount]]);
  const flood = (n: number): string => JSON.stringify({ op: 1, t: 'bench_flood', d: { count: n } });

  const ws0 = await openSocket(url);
  ws0.on('message', () => hit());

  const ws1 = await openSocket(url);
  ws1.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { op?: unknown; t?: unknown; d?: unknown };
    if (typeof frame !== 'object' || frame.op !== 0 || typeof frame.t !== 'string') return;
    const check = checks.get(frame.t);
    if (check !== undefined && !check(frame.d)) return;
    handlers.get(frame.t)?.(frame.d);
  });

  const ws2 = await openSocket(url);
  ws2.addEventListener('message', (event) => {
    const frame = JSON.parse(event.data as string) as { op?: unknown; t?: unknown; d?: unknown };
    if (typeof frame !== 'object' || frame.op !== 0 || typeof frame.t !== 'string') return;
    const check = checks.get(frame.t);
    if (check !== undefined && !check(frame.d)) return;
    handlers.get(frame.t)?.(frame.d);
  });

  const registry = createEventRegistry();
  const ws3 = await openSocket(url);
  const reader = createFrameReader({
    maxPayload: 16 * 1024 * 1024,
    onFrame: (raw) => {
      const decoded = decodeFrame(raw, { sender: 'gateway', events: registry });
      if (decoded._tag === 'Right' && decoded.right.op === 0)
        handlers.get(decoded.right.t)?.(decoded.right.d);
    },
    onError: () => undefined,
  });
  ws3.addEventListener('message', (event) => {
    reader.push(event.data as string);
  });

  const ours = createOurClient(url, { plugins: [{ name: 'count', events: { GLOBAL_GUILD_COUNT: hit } }] });
  await ours.client.start();

  const rungs: Rung[] = [
    { name: '0 ws on(message), count only', start: (n) => ws0.send(flood(n)) },
    { name: '1 baseline: on + JSON.parse + check + route', start: (n) => ws1.send(flood(n)) },
    { name: '2 addEventListener + JSON.parse + check + route', start: (n) => ws2.send(flood(n)) },
    { name: '3 addEventListener + frame reader + decodeFrame + route', start: (n) => ws3.send(flood(n)) },
    { name: '4 ours: client + plugin handler', start: (n) => ours.client.send('bench_flood', { count: n }) },
  ];
  const nsPerEvent = rungs.map(() => [] as number[]);
  const once = async (rung: Rung, n: number): Promise<number> => {
    left = n;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const t0 = performance.now();
    rung.start(n);
    await finished;
    const ns = ((performance.now() - t0) * 1e6) / n;
    await source.next('flood-stats');
    return ns;
  };
  for (const rung of rungs) await once(rung, events / 5);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so that no rung always follows the same one.
    for (let k = 0; k < rungs.length; k++) {
      const i = (k + round) % rungs.length;
      nsPerEvent[i]?.push(await once(rungs[i] as Rung, events));
    }
  }
  process.stdout.write(`${formatNumber(events)} events per flood, ${rounds} rounds; median ns per event:\n`);
  let previous: number | undefined;
  rungs.forEach((rung, i) => {
    const ns = median(nsPerEvent[i] ?? []);
    const step =
      previous === undefined ? '' : ` (${ns - previous >= 0 ? '+' : ''}${formatNumber(ns - previous)})`;
    process.stdout.write(`  ${rung.name.padEnd(58)} ${formatNumber(ns).padStart(7)} ns${step}\n`);
    previous = ns;
  });
  await ours.client.stop();
  for (const ws of [ws0, ws1, ws2, ws3]) ws.close();
  await source.stop();
  process.exit(0);
}

void run();
