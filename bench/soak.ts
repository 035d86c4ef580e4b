/**
 * `npm run soak [-- --sessions N] [--quick] [--seed S]`
 *
 * One client through N sessions against a local gateway, each session ended by a fault picked at
 * random (a dropped connection, a close with a reconnect code, an error frame, a zombie connection
 * whose ACKs stop, rarely a silent half-open one or a stop and start), and the gateway restarted
 * on the same port every `sample` sessions. After a warm-up, the heap is measured (after
 * `global.gc()`) right after each restart, when the old gateway and everything it kept are
 * garbage, so what grows is the client's. Exits 1 when a bound is broken:
 * - heap growth after the warm-up < 2 MiB;
 * - the process's timers and sockets back to their starting count after stop;
 * - no uncaught exception, no unhandled rejection, the session never `failed`, every session ready
 *   within 10 s.
 *
 * --sessions N  sessions to run (default 10,000; --quick: 500)
 * --quick       CI-sized run, a few seconds of work
 * --seed S      the fault sequence's seed (default: random, printed)
 * --snapshots D write a heap snapshot into directory D at the first and the last sample, to
 *               compare (e.g. in Chrome DevTools) when the heap grows
 *
 * Needs `node --expose-gc --import tsx` (what `npm run soak` runs).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createGatewayClient, type GatewayClient, type SessionStatus } from '../src/index.js';
import { createLocalGateway, type LocalGateway, type LocalGatewayConnection } from '../src/testing/index.js';

const MiB = 1024 * 1024;
const KEY = 'soak-key';
const HEAP_GROWTH_BOUND = 2 * MiB;
/** Longest a session may take to become ready (a silent peer costs the client's 1 s close grace). */
const READY_BOUND_MS = 10_000;

interface Settings {
  readonly sessions: number;
  readonly warmup: number;
  /** Sessions between gateway restarts, which are also the heap samples. */
  readonly sample: number;
  readonly seed: number;
  readonly snapshots: string | undefined;
}

function parseArgs(argv: readonly string[]): Settings {
  const quick = argv.includes('--quick');
  const value = (name: string): number | undefined => {
    const at = argv.indexOf(name);
    const given = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
    if (given === undefined) return undefined;
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`${name} must be a whole number, got ${given}`);
    return n;
  };
  const sessions = value('--sessions') ?? (quick ? 500 : 10_000);
  if (sessions < 100) throw new RangeError('--sessions must be at least 100 (warm-up and samples need room)');
  const sample = quick || sessions < 2_500 ? 50 : 250;
  return {
    sessions,
    warmup: Math.max(sample * 4, Math.round(sessions / 10 / sample) * sample),
    sample,
    seed: value('--seed') ?? Math.floor(Math.random() * 2 ** 31),
    snapshots: argv.includes('--snapshots') ? argv[argv.indexOf('--snapshots') + 1] : undefined,
  };
}

/** mulberry32: a small seeded PRNG, so a run's fault sequence can be replayed with --seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Fault = 'drop' | 'close' | 'error-close' | 'error' | 'zombie' | 'silent' | 'stop-start';

/** How often each fault ends a session (relative weights). */
const faultWeights: readonly (readonly [Fault, number])[] = [
  ['drop', 22],
  ['close', 22],
  ['error-close', 20],
  ['error', 10],
  ['zombie', 20],
  ['stop-start', 3],
  // A silent peer is noticed in two heartbeats, then waited for during the client's one-second
  // close grace: costly, so rare.
  ['silent', 0.4],
];

/** Codes after which the client must reconnect (never 4000, 4001, 4007: those fail the session). */
const reconnectCodes = [1000, 1001, 4002, 4003, 4004, 4005, 4006, 4100, 4999, 3000];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function pickFault(random: () => number): Fault {
  const total = faultWeights.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [fault, weight] of faultWeights) {
    r -= weight;
    if (r < 0) return fault;
  }
  return 'drop';
}

interface HandleCounts {
  readonly total: number;
  readonly timeouts: number;
  readonly sockets: number;
}

function handleCounts(): HandleCounts {
  const info = process.getActiveResourcesInfo();
  return {
    total: info.length,
    timeouts: info.filter((r) => r === 'Timeout').length,
    sockets: info.filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length,
  };
}

const showHandles = (h: HandleCounts): string => `${h.total} (${h.timeouts} timers, ${h.sockets} sockets)`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(2)} MiB`;

interface HeapSample {
  readonly session: number;
  /** `heapUsed` after a full GC. */
  readonly heap: number;
  /** Used bytes by V8 heap space (`old_space`, `code_space`, …). */
  readonly spaces: ReadonlyMap<string, number>;
  readonly handles: HandleCounts;
}

function sampleHeap(session: number): HeapSample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run soak does)');
  gc();
  gc();
  return {
    session,
    heap: process.memoryUsage().heapUsed,
    spaces: new Map(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size])),
    handles: handleCounts(),
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/** Least-squares slope of `ys` over `xs`. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    den += ((xs[i] ?? 0) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Resolves once `client.status` satisfies `wanted`, or rejects after `ms`. */
function statusReached(
  client: GatewayClient,
  wanted: (s: SessionStatus) => boolean,
  ms: number,
): Promise<void> {
  if (wanted(client.status)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`status still ${client.status} after ${ms} ms`));
    }, ms);
    const unsubscribe = client.subscribe((change) => {
      if (!wanted(change.status)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

function snapshot(settings: Settings, name: string): void {
  if (settings.snapshots === undefined) return;
  mkdirSync(settings.snapshots, { recursive: true });
  const file = writeHeapSnapshot(join(settings.snapshots, `soak-${name}.heapsnapshot`));
  console.log(`  heap snapshot: ${file}`);
}

const isReady = (s: SessionStatus): boolean => s === 'ready' || s === 'heartbeat-pending';

/** Applies `fault` to the client's current connection and waits until the client noticed it. */
async function endSession(
  client: GatewayClient,
  gateway: LocalGateway,
  fault: Fault,
  code: number,
): Promise<string | undefined> {
  let connection = current(gateway);
  while (connection === undefined && isReady(client.status)) {
    await sleep(1);
    connection = current(gateway);
  }
  if (connection === undefined) return undefined;
  switch (fault) {
    case 'drop':
      connection.drop();
      break;
    case 'close':
      void connection.close(code);
      break;
    case 'error-close':
      void connection.sendError(code);
      void connection.close(code);
      break;
    case 'error':
      void connection.sendError(code);
      break;
    case 'zombie':
      connection.faults.ack = false;
      break;
    case 'silent':
      connection.goSilent();
      break;
    case 'stop-start':
      await client.stop();
      void client.start().catch(() => undefined);
      return undefined;
  }
  try {
    await statusReached(client, (s) => !isReady(s), READY_BOUND_MS);
    return undefined;
  } catch (error) {
    return `${fault} was never noticed: ${(error as Error).message}`;
  }
}

/** The gateway's side of the client's current connection. */
function current(gateway: LocalGateway): LocalGatewayConnection | undefined {
  const last = gateway.connections.at(-1);
  return last?.state === 'identified' ? last : undefined;
}

/** How many of the soak's events `gateway` read. */
function countRead(gateway: LocalGateway): number {
  let read = 0;
  for (const connection of gateway.connections)
    for (const frame of connection.frames)
      if (frame.frame?.op === 1 && frame.frame.t === 'soak_event') read++;
  return read;
}

async function main(): Promise<number> {
  const settings = parseArgs(process.argv.slice(2));
  const problems: string[] = [];
  let uncaught = 0;
  let unhandled = 0;
  process.on('uncaughtException', (error) => {
    uncaught++;
    problems.push(`uncaught exception: ${error.message}`);
  });
  process.on('unhandledRejection', (reason) => {
    unhandled++;
    problems.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  });

  const random = prng(settings.seed);
  const handlesAtStart = handleCounts();
  const gatewayOptions = { keys: [KEY], heartbeatInterval: 40, guildCountInterval: 0, closeTimeout: 200 };
  let gateway: LocalGateway = await createLocalGateway({ ...gatewayOptions, compressionForm: 'stream' });
  const port = gateway.port;
  const reports = new Map<string, number>();
  const faults = new Map<string, number>();
  let failed = 0;
  let reconnects = 0;
  let sent = 0;
  let read = 0;

  const client = createGatewayClient({
    url: `ws://127.0.0.1:${port}`,
    compression: 'zlib',
    identify: { type: 'bot', key: KEY },
    reconnect: { minDelay: 2, maxDelay: 50, factor: 2, jitter: 0, minUptime: 0 },
    timeouts: { connect: 1000, hello: 1000, identify: 1000 },
    onError: (error) => reports.set(String(error.code), (reports.get(String(error.code)) ?? 0) + 1),
  });
  client.subscribe((change) => {
    if (change.status === 'reconnecting') reconnects++;
    if (change.status === 'failed') {
      failed++;
      problems.push(`the session failed: ${change.reason?.message ?? 'no reason'}`);
    }
  });

  const samples: HeapSample[] = [];
  /** Per fault: total ms from the fault to the next ready session. */
  const recovery = new Map<string, number>();
  let ended: { fault: string; at: number } | undefined;
  const t0 = performance.now();
  void client.start().catch(() => undefined);

  for (let session = 1; session <= settings.sessions; session++) {
    try {
      await statusReached(client, isReady, READY_BOUND_MS);
    } catch (error) {
      problems.push(`session ${session} never became ready: ${(error as Error).message}`);
      break;
    }
    if (ended !== undefined)
      recovery.set(ended.fault, (recovery.get(ended.fault) ?? 0) + performance.now() - ended.at);
    // Right after a restart (session - 1 was the last of a block): the old gateway is garbage.
    // Nothing in this frame may hold it (a connection kept in a variable here would hold it all),
    // which is why a session's fault is applied in a function of its own.
    if ((session - 1) % settings.sample === 0 && session - 1 >= settings.warmup) {
      samples.push(sampleHeap(session - 1));
      if (samples.length === 1) snapshot(settings, 'first');
    }
    client.send('soak_event', { session, at: 0 });
    client.send('soak_event', { session, at: 1 });
    sent += 2;
    if (session % settings.sample === 0) {
      // A restart: every connection closes with 1001, the port refuses for a moment, a new gateway
      // (with no memory of the old one's connections) listens on it again.
      faults.set('restart', (faults.get('restart') ?? 0) + 1);
      ended = { fault: 'restart', at: performance.now() };
      await sleep(1);
      await gateway.close();
      read += countRead(gateway);
      gateway = await createLocalGateway({ ...gatewayOptions, compressionForm: 'stream', port });
      continue;
    }
    const fault = pickFault(random);
    faults.set(fault, (faults.get(fault) ?? 0) + 1);
    ended = { fault, at: performance.now() };
    const problem = await endSession(client, gateway, fault, pick(random, reconnectCodes));
    if (problem !== undefined) {
      problems.push(`session ${session}: ${problem}`);
      break;
    }
  }
  await statusReached(client, isReady, READY_BOUND_MS).catch(() => undefined);
  if (settings.sessions % settings.sample === 0) samples.push(sampleHeap(settings.sessions));
  snapshot(settings, 'last');
  const seconds = (performance.now() - t0) / 1000;

  await client.stop();
  await sleep(50);
  await gateway.close();
  read += countRead(gateway);
  let handlesAtEnd = handleCounts();
  const deadline = performance.now() + 5000;
  while (handlesAtEnd.total > handlesAtStart.total && performance.now() < deadline) {
    await sleep(20);
    handlesAtEnd = handleCounts();
  }

  const heads = samples.slice(0, 3).map((s) => s.heap);
  const tails = samples.slice(-3).map((s) => s.heap);
  const growth = median(tails) - median(heads);
  const perSession = slope(
    samples.map((s) => s.session),
    samples.map((s) => s.heap),
  );
  if (samples.length < 4) problems.push(`only ${samples.length} heap samples: run more sessions`);
  if (!(growth < HEAP_GROWTH_BOUND))
    problems.push(`heap grew ${mib(growth)} after the warm-up (bound ${mib(HEAP_GROWTH_BOUND)})`);
  if (handlesAtEnd.total > handlesAtStart.total)
    problems.push(
      `handles: ${showHandles(handlesAtEnd)} at the end, ${showHandles(handlesAtStart)} at the start`,
    );
  if (failed > 0) problems.push(`the session failed ${failed} times`);

  const sorted = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const handleRange = samples.map((s) => s.handles.total);
  const first = samples[0];
  const last = samples.at(-1);
  const bySpace =
    first === undefined || last === undefined
      ? ''
      : [...last.spaces]
          .map(([space, used]) => [space, used - (first.spaces.get(space) ?? 0)] as const)
          .filter(([, growth]) => Math.abs(growth) >= 1024)
          .map(([space, growth]) => `${space} ${growth >= 0 ? '+' : ''}${(growth / 1024).toFixed(0)} KiB`)
          .join(', ');
  const lines = [
    `soak: ${settings.sessions} sessions in ${seconds.toFixed(1)} s (${(settings.sessions / seconds).toFixed(1)} sessions/s), seed ${settings.seed}`,
    `  faults: ${sorted(faults)}`,
    `  mean ms from the fault to ready again: ${[...recovery]
      .map(([fault, ms]) => `${fault} ${(ms / (faults.get(fault) ?? 1)).toFixed(1)}`)
      .join(', ')}`,
    `  reconnects: ${reconnects}; events sent ${sent}, read by the gateway ${read} (the rest written into dropped or silent sockets)`,
    `  reported: ${sorted(reports) || 'nothing'}`,
    `  heap after warm-up (session ${samples[0]?.session ?? '?'}): ${mib(median(heads))}; at the end: ${mib(median(tails))}; growth ${mib(growth)} (bound ${mib(HEAP_GROWTH_BOUND)}); slope ${perSession.toFixed(1)} B/session over ${samples.length} samples`,
    `  heap samples (MiB): ${samples.map((s) => (s.heap / MiB).toFixed(2)).join(' ')}`,
    `  first to last sample, by heap space: ${bySpace || 'no change'}`,
    `  handles: start ${showHandles(handlesAtStart)}, during ${Math.min(...handleRange)}–${Math.max(...handleRange)}, end ${showHandles(handlesAtEnd)}`,
    `  uncaught exceptions ${uncaught}, unhandled rejections ${unhandled}`,
    problems.length === 0 ? 'OK' : `FAILED:\n  ${problems.join('\n  ')}`,
  ];
  console.log(lines.join('\n'));
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
