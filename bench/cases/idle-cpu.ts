/**
 * 4. CPU of N ready idle clients: nothing but heartbeats. The local gateway runs in a child
 * process, so this process holds only the clients. For each side: connect N clients, let the
 * handshakes settle, then read process.cpuUsage() over a window. Result: CPU as % of one core.
 * Rounds alternate ours and the baseline (raw clients heartbeating on a setInterval). The gateway
 * counts heartbeats, so the cost per heartbeat round trip is reported too.
 *
 * Two scenarios:
 * - `4`, the goal: the gateway's own interval, 60 s (what Hello says in the protocol's example and
 *   what the local gateway sends by default), over one whole heartbeat period per side, in which
 *   every client beats exactly once. Clients connected together beat together, so a shorter
 *   window would see all of their beats or none. The window is the second period after
 *   connecting: in the first, V8 shrinks the heap the thousand handshakes grew (its memory
 *   reducer: two or three full collections some 30–40 s after allocation drops), a cost of
 *   connecting that the notes report on its own.
 * - `4.stress`: a 1 s interval, so the per-beat cost is visible (informational: at 1 s even the
 *   raw baseline spends several % of a core on 1,000 clients).
 *
 * In the quick (CI-sized) run the first scenario beats every 5 s instead, so it ends in seconds, and
 * is informational: the goal is about the gateway's interval, which only the full run uses.
 */
import { heartbeatPeriod } from '../../machines/heartbeat.js';
import { startHelper } from '../lib/child.js';
import { profiled } from '../lib/profiler.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { createOurClient, BENCH_KEY } from '../lib/our-client.js';
import { connectRaw } from '../lib/raw-client.js';
import { formatNumber, median, sleep } from '../lib/stats.js';
import type { BenchRow } from '../lib/result.js';

const oursOnly = process.argv.includes('--ours-only');
/** Analysis only: baseline clients beat at random phases instead of all in the same turns. */
const spread = process.argv.includes('--spread-baseline');
const count = quick ? 200 : 1_000;
const BATCH = 100;

interface Scenario {
  readonly id: string;
  readonly interval: number;
  readonly rounds: number;
  readonly windowMs: number;
  /**
   * Wait after the last client is ready, so that handshakes are over and every heartbeat timer
   * runs; its CPU is reported too.
   */
  readonly settleMs: number;
  readonly goal: boolean;
}

/** A type, not an interface: it must fit HelperMessage's index signature. */
type GatewayStats = {
  readonly type: string;
  readonly cpuMicros: number;
  readonly heartbeats: number;
  readonly beatMillis: number;
  readonly open: number;
};

const gatewayInterval = quick ? 5_000 : 60_000;
const scenarios: readonly Scenario[] = [
  {
    id: '4',
    interval: gatewayInterval,
    rounds: 1,
    windowMs: heartbeatPeriod(gatewayInterval),
    settleMs: quick ? 1_000 : heartbeatPeriod(gatewayInterval),
    goal: true,
  },
  {
    id: '4.stress',
    interval: 1_000,
    rounds: quick ? 2 : 3,
    windowMs: quick ? 1_500 : 10_000,
    settleMs: quick ? 1_050 : 2_000,
    goal: false,
  },
];

main(async () => {
  const rows: BenchRow[] = [];
  for (const scenario of scenarios) rows.push(await measureScenario(scenario));
  return rows;
});

async function measureScenario({
  id,
  interval,
  rounds,
  windowMs,
  settleMs,
  goal,
}: Scenario): Promise<BenchRow> {
  const gateway = startHelper('gateway-child', [
    JSON.stringify({ heartbeatInterval: interval, guildCountInterval: 0 }),
  ]);
  const { url } = await gateway.next<{ type: string; url: string }>('listening');
  const stats = async (): Promise<GatewayStats> => {
    gateway.send({ type: 'stats' });
    return gateway.next<GatewayStats>('stats');
  };

  async function startOurs(n: number): Promise<() => Promise<number>> {
    const clients: ReturnType<typeof createOurClient>[] = [];
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, () => createOurClient(url));
      await Promise.all(batch.map((c) => c.client.start()));
      clients.push(...batch);
    }
    return async () => {
      const errors = clients.reduce((sum, c) => sum + c.errors(), 0);
      await Promise.all(clients.map((c) => c.client.stop()));
      return errors;
    };
  }
  async function startRaw(n: number): Promise<() => Promise<number>> {
    const clients: ReturnType<typeof connectRaw>[] = [];
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, () =>
        connectRaw({ url, key: BENCH_KEY, spreadHeartbeats: spread }),
      );
      await Promise.all(batch.map((c) => c.ready));
      clients.push(...batch);
    }
    return async () => {
      await Promise.all(clients.map((c) => c.close()));
      return 0;
    };
  }

  const percent = { ours: [] as number[], baseline: [] as number[] };
  const perBeat = { ours: [] as number[], baseline: [] as number[] };
  const beats = { ours: [] as number[], baseline: [] as number[] };
  const settlePercent = { ours: [] as number[], baseline: [] as number[] };
  const gatewayPercent: number[] = [];
  /** Distinct milliseconds per second in which heartbeats reached the gateway. */
  const beatMillis = { ours: [] as number[], baseline: [] as number[] };
  let errors = 0;

  async function measure(side: 'ours' | 'baseline', round: number): Promise<void> {
    const stop = await (side === 'ours' ? startOurs(count) : startRaw(count));
    const s0 = process.cpuUsage();
    const settleStart = performance.now();
    await sleep(settleMs);
    const settleUsed = process.cpuUsage(s0);
    settlePercent[side].push((settleUsed.user + settleUsed.system) / 10 / (performance.now() - settleStart));
    const g0 = await stats();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (side === 'ours') await profiled(`idle-cpu-${id}-${round + 1}`, () => sleep(windowMs));
    else await sleep(windowMs);
    const used = process.cpuUsage(c0);
    const wallMs = performance.now() - t0;
    const g1 = await stats();
    const micros = used.user + used.system;
    percent[side].push(micros / 10 / wallMs);
    beats[side].push(g1.heartbeats - g0.heartbeats);
    perBeat[side].push(micros / Math.max(1, g1.heartbeats - g0.heartbeats));
    gatewayPercent.push((g1.cpuMicros - g0.cpuMicros) / 10 / wallMs);
    beatMillis[side].push((g1.beatMillis * 1000) / wallMs);
    if (g1.open !== count) log(`warning: ${g1.open} connections open, ${count} expected`);
    errors += await stop();
    await sleep(200);
  }

  // Warm-up, not counted: the first population of each side runs while V8 is still compiling its
  // hot paths and the heap is still growing, and measured 1.5–2× higher than later ones.
  for (const start of oursOnly ? [startOurs] : [startOurs, startRaw]) {
    const stop = await start(count);
    await sleep(Math.min(settleMs, 1_000) + Math.min(windowMs / 2, 5_000));
    await stop();
  }

  for (let round = 0; round < rounds; round++) {
    if (oursOnly) {
      await measure('ours', round);
      log(`round ${round + 1}: ours ${formatNumber(percent.ours.at(-1) ?? 0)} %`);
      continue;
    }
    const order: ('ours' | 'baseline')[] = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) await measure(side, round);
    log(
      `round ${round + 1}: ours ${formatNumber(percent.ours.at(-1) ?? 0)} % (${formatNumber(perBeat.ours.at(-1) ?? 0)} µs/beat), ` +
        `baseline ${formatNumber(percent.baseline.at(-1) ?? 0)} % (${formatNumber(perBeat.baseline.at(-1) ?? 0)} µs/beat)`,
    );
  }
  await gateway.stop();
  const oursBeat = median(perBeat.ours);

  return makeRow({
    id,
    name: `CPU of ${count} ready idle clients, heartbeat ${formatNumber(interval)} ms`,
    unit: '% of a core',
    ours: percent.ours,
    baseline: oursOnly ? percent.ours : percent.baseline,
    ratioOf: 'ours/baseline',
    // The quick run's 5 s interval and short settling are not what the goal is about: no verdict.
    goal: goal && !quick ? (_ratio, ours) => ({ text: 'ours < 1 % of a core', pass: ours < 1 }) : undefined,
    notes: [
      `process.cpuUsage() of this process (clients only; the local gateway is a child process) over ${rounds} × ${formatNumber(windowMs / 1000)} s per side${rounds > 1 ? ', alternating' : ''}`,
      `before the window, the ${formatNumber(settleMs / 1000)} s after connecting: ours ${formatNumber(median(settlePercent.ours))} %, baseline ${formatNumber(median(settlePercent.baseline))} % of a core`,
      `heartbeats counted by the gateway per window: ours ${formatNumber(median(beats.ours))}, baseline ${formatNumber(median(beats.baseline))}`,
      `CPU per heartbeat round trip (send + ACK): ours ${formatNumber(oursBeat)} µs, baseline ${formatNumber(median(perBeat.baseline))} µs`,
      `at that cost, ${count} clients would use ${formatNumber((oursBeat * count) / 5_000 / 10)} % at a 5 s interval and ${formatNumber((oursBeat * count) / 60_000 / 10)} % at the gateway's 60 s`,
      `heartbeats reached the gateway in ${formatNumber(median(beatMillis.ours))} distinct ms per second from ours, ${formatNumber(median(beatMillis.baseline))} from the baseline (fewer = timers share event-loop turns)`,
      `the gateway child process used ${formatNumber(median(gatewayPercent))} % of a core meanwhile (not counted); ours reported ${errors} errors`,
    ],
  });
}
