/**
 * 6. Outbound send throughput while ready: `client.send('send_servers', data)` against the baseline
 * `ws.send(JSON.stringify(frame))` of the same frame. Both talk to the bare gateway's sink (a child
 * process counting frames without parsing them). Each round sends M frames in batches of BATCH
 * synchronous calls, yielding to I/O between batches, and ends when the sink confirms it counted
 * all M. Reported: frames/s end to end, and the synchronous cost of one send call.
 */
import { startHelper } from '../lib/child.js';
import { profiled } from '../lib/profiler.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { SEND_SERVERS_DATA } from '../lib/frames.js';
import { createOurClient, BENCH_KEY } from '../lib/our-client.js';
import { connectRaw } from '../lib/raw-client.js';
import { formatNumber, median, yieldToIo } from '../lib/stats.js';

const oursOnly = process.argv.includes('--ours-only');
const frames = quick ? 100_000 : 400_000;
const rounds = quick ? 3 : 5;
const BATCH = 500;

main(async () => {
  const sink = startHelper('bare-gateway');
  const { url } = await sink.next<{ type: string; url: string }>('listening');

  let sinkDone: () => void = () => undefined;
  const armSink = (): Promise<void> => new Promise<void>((resolve) => (sinkDone = resolve));

  const ours = createOurClient(url, {
    plugins: [{ name: 'sink', events: { bench_sink_done: () => sinkDone() } }],
  });
  await ours.client.start();
  const raw = connectRaw({ url, key: BENCH_KEY, handlers: new Map([['bench_sink_done', () => sinkDone()]]) });
  await raw.ready;

  const busy = { ours: [] as number[], baseline: [] as number[] };
  async function run(
    side: 'ours' | 'baseline',
    start: (m: number) => void,
    sendOne: () => void,
    m: number,
  ): Promise<[number, number]> {
    const done = armSink();
    const t0 = performance.now();
    start(m);
    let syncNs = 0n;
    for (let i = 0; i < m; i += BATCH) {
      const n = Math.min(BATCH, m - i);
      const s0 = process.hrtime.bigint();
      for (let j = 0; j < n; j++) sendOne();
      syncNs += process.hrtime.bigint() - s0;
      await yieldToIo();
    }
    await done;
    const seconds = (performance.now() - t0) / 1000;
    busy[side].push((await sink.next<{ type: string; busyPercent: number }>('sink-stats')).busyPercent);
    return [m / seconds, Number(syncNs) / m];
  }
  const runOurs = (m: number): Promise<[number, number]> =>
    run(
      'ours',
      (n) => ours.client.send('bench_sink', { count: n }),
      () => ours.client.send('send_servers', SEND_SERVERS_DATA),
      m,
    );
  const runRaw = (m: number): Promise<[number, number]> =>
    run(
      'baseline',
      (n) => raw.send(JSON.stringify({ op: 1, t: 'bench_sink', d: { count: n } })),
      () => raw.send(JSON.stringify({ op: 1, t: 'send_servers', d: SEND_SERVERS_DATA })),
      m,
    );

  await runOurs(frames / 4);
  if (!oursOnly) await runRaw(frames / 4);
  busy.ours.length = 0;
  busy.baseline.length = 0;

  const rate = { ours: [] as number[], baseline: [] as number[] };
  const call = { ours: [] as number[], baseline: [] as number[] };
  const record = (side: 'ours' | 'baseline', [r, c]: [number, number]): void => {
    rate[side].push(r);
    call[side].push(c);
  };
  for (let round = 0; round < rounds; round++) {
    if (oursOnly) record('ours', await profiled(`outbound-${round + 1}`, () => runOurs(frames)));
    else if (round % 2 === 0) {
      record('ours', await runOurs(frames));
      record('baseline', await runRaw(frames));
    } else {
      record('baseline', await runRaw(frames));
      record('ours', await runOurs(frames));
    }
    log(
      `round ${round + 1}: ours ${formatNumber(rate.ours.at(-1) ?? 0)}/s (${formatNumber(call.ours.at(-1) ?? 0)} ns/call), ` +
        `baseline ${formatNumber(rate.baseline.at(-1) ?? 0)}/s (${formatNumber(call.baseline.at(-1) ?? 0)} ns/call)`,
    );
  }
  const errors = ours.errors();
  await ours.client.stop();
  await raw.close();
  await sink.stop();

  const notes = [
    `${formatNumber(frames)} frames per round in batches of ${BATCH}, ${rounds} rounds alternating, after a warm-up`,
    `sink: bare ws server in a child process, counting without parsing (busy ${formatNumber(median(busy.ours))} % of one core during ours, ${formatNumber(median(busy.baseline))} % during the baseline)`,
    `ours reported ${errors} errors`,
  ];
  return [
    makeRow({
      id: '6',
      name: "outbound client.send('send_servers') frames/s while ready",
      unit: 'frames/s',
      ours: rate.ours,
      baseline: oursOnly ? rate.ours : rate.baseline,
      ratioOf: 'ours/baseline',
      goal: (ratio) => ({ text: '≥ 0.90×', pass: ratio >= 0.9 }),
      notes,
    }),
    makeRow({
      id: '6.call',
      name: 'outbound: synchronous cost of one send call',
      unit: 'ns/call',
      ours: call.ours,
      baseline: oursOnly ? call.ours : call.baseline,
      ratioOf: 'ours/baseline',
      notes: ['time inside the send calls only (encode, checks, ws framing, the socket write)'],
    }),
  ];
});
