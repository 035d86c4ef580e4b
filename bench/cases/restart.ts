/**
 * 5. Gateway restart to ready again. One client is ready against a local gateway (in this process:
 * this measures latency, not CPU). Then `gateway.close()` (every connection gets 1001) and at once
 * `createLocalGateway` on the same port. Measured: from the moment the new gateway listens
 * (createLocalGateway resolved) to the client's next `ready` (ours: the status listener; the
 * baseline: the raw client's bot_connect_success). Both reconnect `minDelay` = 100 ms after the
 * close, with no jitter (ours: reconnect { minDelay: 100, jitter: 0 }; the baseline: a setTimeout).
 * Goal: ready within minDelay + 20 ms of the restart.
 */
import { createLocalGateway, type LocalGateway } from '../../src/testing/index.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { createOurClient, BENCH_KEY } from '../lib/our-client.js';
import { connectRaw } from '../lib/raw-client.js';
import { formatNumber, median, sleep } from '../lib/stats.js';

const MIN_DELAY = 100;
const rounds = quick ? 4 : 10;
const gatewayOptions = { heartbeatInterval: 60_000, guildCountInterval: 0 } as const;

interface Timing {
  /** Restart (new gateway listening) → ready. */
  readonly fromRestart: number;
  /** close() called → ready. */
  readonly fromClose: number;
  /** close() called → the client saw the socket close. */
  readonly noticed: number;
  /** Restart → ready, minus what the reconnect delay alone accounts for (close seen + minDelay). */
  readonly overhead: number;
}

main(async () => {
  let gateway: LocalGateway = await createLocalGateway(gatewayOptions);
  const port = gateway.port;
  const url = gateway.url;

  /** Restarts the gateway once; `closedAt` and `readyAt` are filled in by the client under test. */
  const marks = { closedAt: 0, readyAt: 0, ready: (): void => undefined };
  async function restart(): Promise<Timing> {
    marks.closedAt = 0;
    marks.readyAt = 0;
    const readyAgain = new Promise<void>((resolve) => (marks.ready = resolve));
    const t0 = performance.now();
    await gateway.close();
    gateway = await createLocalGateway({ ...gatewayOptions, port });
    const restartedAt = performance.now();
    await readyAgain;
    return {
      fromRestart: marks.readyAt - restartedAt,
      fromClose: marks.readyAt - t0,
      noticed: marks.closedAt - t0,
      overhead: marks.readyAt - (marks.closedAt + MIN_DELAY),
    };
  }

  const ours = createOurClient(url, { reconnect: { minDelay: MIN_DELAY, jitter: 0, minUptime: 0 } });
  ours.client.subscribe(({ status, previous }) => {
    const now = performance.now();
    if (status === 'reconnecting' && marks.closedAt === 0) marks.closedAt = now;
    if (status === 'ready' && previous === 'identifying') {
      marks.readyAt = now;
      marks.ready();
    }
  });
  const timings = { ours: [] as Timing[], baseline: [] as Timing[] };
  async function measure(side: 'ours' | 'baseline'): Promise<void> {
    if (side === 'ours') {
      await ours.client.start();
      timings.ours.push(await restart());
      await ours.client.stop();
    } else {
      const rawClient = connectRaw({
        url: `${url}/?v=1`,
        key: BENCH_KEY,
        reconnectDelay: MIN_DELAY,
        onClose: () => {
          if (marks.closedAt === 0) marks.closedAt = performance.now();
        },
        onReady: () => {
          marks.readyAt = performance.now();
          marks.ready();
        },
      });
      await rawClient.ready;
      timings.baseline.push(await restart());
      await rawClient.close();
    }
    await sleep(50);
  }

  for (let round = 0; round < rounds; round++) {
    const order: ('ours' | 'baseline')[] = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) await measure(side);
    const o = timings.ours.at(-1);
    const b = timings.baseline.at(-1);
    log(
      `round ${round + 1}: restart→ready ours ${formatNumber(o?.fromRestart ?? 0)} ms (close seen after ${formatNumber(o?.noticed ?? 0)} ms), ` +
        `baseline ${formatNumber(b?.fromRestart ?? 0)} ms (close seen after ${formatNumber(b?.noticed ?? 0)} ms)`,
    );
  }
  await gateway.close();

  const pick = (side: 'ours' | 'baseline', field: keyof Timing): number[] =>
    timings[side].map((t) => t[field]);
  return [
    makeRow({
      id: '5',
      name: `gateway restart → ready again (minDelay ${MIN_DELAY} ms, jitter 0)`,
      unit: 'ms',
      ours: pick('ours', 'fromRestart'),
      baseline: pick('baseline', 'fromRestart'),
      ratioOf: 'ours/baseline',
      goal: (_ratio, oursMs) => ({
        text: `ours ≤ ${MIN_DELAY + 20} ms (minDelay + 20)`,
        pass: oursMs <= MIN_DELAY + 20,
      }),
      notes: [
        'from the new gateway listening on the same port (createLocalGateway resolved, right after close() resolved) to ready',
        `close() called → ready: ours ${formatNumber(median(pick('ours', 'fromClose')))} ms, baseline ${formatNumber(median(pick('baseline', 'fromClose')))} ms; ` +
          `close() → close seen by the client: ours ${formatNumber(median(pick('ours', 'noticed')))} ms, baseline ${formatNumber(median(pick('baseline', 'noticed')))} ms`,
        `ready − (close seen + minDelay), i.e. the reconnect's own cost: ours ${formatNumber(median(pick('ours', 'overhead')))} ms, baseline ${formatNumber(median(pick('baseline', 'overhead')))} ms`,
        `${rounds} restarts per side, alternating`,
      ],
    }),
  ];
});
