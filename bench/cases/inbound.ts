/**
 * 1. Inbound events/s end to end over a real loopback socket.
 *
 * The flood source is the bare gateway (bench/lib/bare-gateway.ts) in its own process: it writes
 * pre-built WebSocket frames straight to the TCP socket with backpressure, so the consumer is what
 * limits the rate. Ours counts at a plugin's GLOBAL_GUILD_COUNT handler; the baseline is the raw
 * `ws` client (JSON.parse, shape check, route by name). A third, "ceiling" client counts `ws`
 * message events without parsing them: the most any client built on `ws` could reach.
 */
import WebSocket from 'ws';
import { startHelper } from '../lib/child.js';
import { profiled } from '../lib/profiler.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { createOurClient, BENCH_KEY } from '../lib/our-client.js';
import { connectRaw } from '../lib/raw-client.js';
import { formatNumber, median } from '../lib/stats.js';

const oursOnly = process.argv.includes('--ours-only');
const events = quick ? 200_000 : 1_000_000;
const rounds = quick ? 3 : 5;

main(async () => {
  const source = startHelper('bare-gateway');
  const { url } = await source.next<{ type: string; url: string }>('listening');

  /** One counter per client; `arm` makes the next flood resolve when `n` events have been counted. */
  function counter(): { hit: () => void; arm: (n: number) => Promise<void> } {
    let left = 0;
    let done: () => void = () => undefined;
    return {
      hit() {
        if (--left === 0) done();
      },
      arm(n) {
        left = n;
        return new Promise<void>((resolve) => (done = resolve));
      },
    };
  }

  const oursCount = counter();
  const ours = createOurClient(url, {
    plugins: [{ name: 'count', events: { GLOBAL_GUILD_COUNT: () => oursCount.hit() } }],
  });
  await ours.client.start();

  const rawCount = counter();
  const raw = connectRaw({
    url,
    key: BENCH_KEY,
    handlers: new Map([['GLOBAL_GUILD_COUNT', () => rawCount.hit()]]),
  });
  await raw.ready;

  const ceilingCount = counter();
  const ceiling = new WebSocket(`${url}/?v=1`, { perMessageDeflate: false });
  ceiling.on('message', () => ceilingCount.hit());
  await new Promise((resolve) => ceiling.once('open', resolve));

  const busy: number[] = [];
  async function flood(
    count: ReturnType<typeof counter>,
    send: (text: string) => void,
    n: number,
  ): Promise<number> {
    const finished = count.arm(n);
    const t0 = performance.now();
    send(JSON.stringify({ op: 1, t: 'bench_flood', d: { count: n } }));
    await finished;
    const seconds = (performance.now() - t0) / 1000;
    const stats = await source.next<{ type: string; busyPercent: number }>('flood-stats');
    busy.push(stats.busyPercent);
    return n / seconds;
  }
  const floodOurs = (n: number): Promise<number> =>
    flood(oursCount, () => ours.client.send('bench_flood', { count: n }), n);
  const floodRaw = (n: number): Promise<number> => flood(rawCount, (text) => raw.send(text), n);
  const floodCeiling = (n: number): Promise<number> => flood(ceilingCount, (text) => ceiling.send(text), n);

  // Warm-up: JIT both paths, grow the socket buffers; not counted.
  await floodOurs(events / 4);
  if (!oursOnly) await floodRaw(events / 4);
  busy.length = 0;

  const oursRates: number[] = [];
  const rawRates: number[] = [];
  const ceilingRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (oursOnly) {
      oursRates.push(await profiled(`inbound-${round + 1}`, () => floodOurs(events)));
      log(`round ${round + 1}: ours ${formatNumber(oursRates.at(-1) ?? 0)}/s`);
      continue;
    }
    // Alternate which goes first, so neither always runs right after the other's garbage.
    if (round % 2 === 0) {
      oursRates.push(await floodOurs(events));
      rawRates.push(await floodRaw(events));
    } else {
      rawRates.push(await floodRaw(events));
      oursRates.push(await floodOurs(events));
    }
    ceilingRates.push(await floodCeiling(events));
    log(
      `round ${round + 1}: ours ${formatNumber(oursRates.at(-1) ?? 0)}/s, baseline ${formatNumber(rawRates.at(-1) ?? 0)}/s, ceiling ${formatNumber(ceilingRates.at(-1) ?? 0)}/s`,
    );
  }

  const errors = ours.errors();
  await ours.client.stop();
  await raw.close();
  ceiling.close();
  await source.stop();

  return [
    makeRow({
      id: '1',
      name: 'inbound GLOBAL_GUILD_COUNT events/s, loopback, plugin handler',
      unit: 'events/s',
      ours: oursRates,
      baseline: oursOnly ? oursRates : rawRates,
      ratioOf: 'ours/baseline',
      goal: (ratio) => ({ text: '≥ 0.90×', pass: ratio >= 0.9 }),
      notes: [
        `${formatNumber(events)} events per round, ${rounds} rounds alternating, after a warm-up flood`,
        `source: bare ws server in a child process writing pre-built frames to the TCP socket (busy ${formatNumber(median(busy))} % of one core, median over all floods)`,
        `ceiling (ws client counting 'message' events, no parse): ${formatNumber(median(ceilingRates))} events/s`,
        `ours reported ${errors} errors`,
      ],
    }),
  ];
});
