/**
 * 2. Decode cost per frame: `decodeFrame` (as the socket actor calls it: sender 'gateway', the
 * client's own event registry) against `JSON.parse` alone, on three typical text frames, in CPU
 * time per call. Each round times ours and the baseline on the same frame back to back, order
 * alternating; the frames take turns, as ACKs and events do on a connection.
 */
import { createEventRegistry, decodeFrame } from '../../src/index.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { profiled } from '../lib/profiler.js';
import { ACK_FRAME, GUILD_COUNT_FRAME, UNKNOWN_EVENT_FRAME } from '../lib/frames.js';
import { formatNumber } from '../lib/stats.js';
import type { BenchRow } from '../lib/result.js';

const oursOnly = process.argv.includes('--ours-only');
const rounds = quick ? 9 : 15;
const iterations = quick ? 100_000 : 200_000;

const options = { sender: 'gateway', events: createEventRegistry() } as const;
let sink = 0;

/**
 * CPU ns per call of `fn` over `iterations` calls on `text`: process CPU time rather than wall
 * time, so that the time this process spends preempted on a shared machine does not count.
 */
function time(fn: (text: string) => unknown, text: string): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) if (fn(text) !== undefined) sink++;
  const used = process.cpuUsage(c0);
  return ((used.user + used.system) * 1000) / iterations;
}

const ours = (text: string): unknown => {
  const result = decodeFrame(text, options);
  return result._tag === 'Right' ? result.right : undefined;
};
const baseline = (text: string): unknown => JSON.parse(text) as unknown;

main(async () => {
  const frames: [string, string, string][] = [
    ['2.event', 'decode GLOBAL_GUILD_COUNT event', GUILD_COUNT_FRAME],
    ['2.ack', 'decode heartbeat ACK', ACK_FRAME],
    ['2.unknown', 'decode unknown event (raw data)', UNKNOWN_EVENT_FRAME],
  ];
  for (const [, , text] of frames)
    if (decodeFrame(text, options)._tag !== 'Right') throw new Error(`bad frame ${text}`);
  const results = frames.map(() => ({ ours: [] as number[], baseline: [] as number[] }));
  // Warm-up round, not counted.
  for (const [, , text] of frames) {
    time(ours, text);
    time(baseline, text);
  }
  for (let round = 0; round < rounds; round++) {
    if (oursOnly) {
      await profiled(`decode-${round + 1}`, () => {
        frames.forEach(([, , text], f) => {
          const r = results[f] as { ours: number[]; baseline: number[] };
          r.ours.push(time(ours, text));
          r.baseline.push(r.ours.at(-1) ?? 0);
        });
        return Promise.resolve();
      });
    }
    frames.forEach(([, , text], f) => {
      const r = results[f] as { ours: number[]; baseline: number[] };
      if (oursOnly) return;
      else if (round % 2 === 0) {
        r.ours.push(time(ours, text));
        r.baseline.push(time(baseline, text));
      } else {
        r.baseline.push(time(baseline, text));
        r.ours.push(time(ours, text));
      }
    });
    log(
      `round ${round + 1}: ${frames
        .map(
          ([id], f) =>
            `${id} ${formatNumber(results[f]?.ours.at(-1) ?? 0)}/${formatNumber(results[f]?.baseline.at(-1) ?? 0)} ns`,
        )
        .join(', ')}`,
    );
  }
  const rows: BenchRow[] = frames.map(([id, name, text], f) =>
    makeRow({
      id,
      name,
      unit: 'CPU ns/frame',
      ours: results[f]?.ours ?? [],
      baseline: results[f]?.baseline ?? [],
      ratioOf: 'ours/baseline',
      goal: (ratio) => ({ text: '≤ 1.30×', pass: ratio <= 1.3 }),
      notes: [
        `${text.length}-character frame ${text}; ${formatNumber(iterations)} calls per round, ${rounds} rounds`,
      ],
    }),
  );
  if (sink === -1) log('unreachable');
  return rows;
});
