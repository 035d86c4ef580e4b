/**
 * 7. Inflate throughput, both `compression=zlib` forms: our frame reader (createFrameReader, as the
 * socket actor uses it: node:zlib's inflateSync for whole frames, pako for the stream form) against
 * node:zlib used directly.
 * - per-message (each binary frame a complete zlib stream): ours pushes each frame; the baseline
 *   calls zlib.inflateSync on it. The `.pako` rows push the same frames to the browser reader
 *   (pako for both forms): the figure that keeps node:zlib for this form in Node.
 * - stream (one zlib stream per connection, each message ending with 00 00 ff ff): ours gets every
 *   frame of the connection pushed at once (a burst, as after a busy spell) and inflates them in
 *   order; the baseline writes each frame to one persistent zlib.Inflate and waits for its
 *   Z_SYNC_FLUSH callback before the next, as ws's permessage-deflate does (and as our reader did
 *   before it used pako).
 * Two message sizes: GLOBAL_GUILD_COUNT (~110 B) and a ~5 KiB event. Frames are compressed once,
 * before timing; every message differs.
 */
import * as zlib from 'node:zlib';
import { createFrameReader as createBrowserFrameReader } from '../../src/transport/inflate.browser.js';
import { createFrameReader, type FrameReader, type FrameReaderOptions } from '../../src/transport/inflate.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { profiled } from '../lib/profiler.js';
import { guildCountFrame, largeEventFrame } from '../lib/frames.js';
import { formatNumber, median } from '../lib/stats.js';
import type { BenchRow } from '../lib/result.js';

const oursOnly = process.argv.includes('--ours-only');
const rounds = quick ? 9 : 15;
/** Each round runs whole passes over the frames (a fresh reader or Inflate per pass) for at least this long per side. */
const budgetMs = quick ? 60 : 150;
const MAX_PAYLOAD = 16 * 1024 * 1024;

/** Compresses `texts` as one zlib stream, flushing after each: one frame per message. */
async function streamFrames(texts: readonly string[]): Promise<Buffer[]> {
  const deflate = zlib.createDeflate();
  let chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const frames: Buffer[] = [];
  for (const text of texts) {
    deflate.write(text);
    await new Promise<void>((resolve) => deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    frames.push(Buffer.concat(chunks));
    chunks = [];
  }
  deflate.close();
  for (const frame of frames) {
    if (frame.readUInt32BE(frame.length - 4) !== 0x0000ffff)
      throw new Error('a flush did not end with the marker');
  }
  return frames;
}

/** ours: every frame pushed at once; resolves when the reader has put out all of them. */
function oursBurst(
  frames: readonly Buffer[],
  create: (options: FrameReaderOptions) => FrameReader = createFrameReader,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let left = frames.length;
    let bytes = 0;
    const reader = create({
      maxPayload: MAX_PAYLOAD,
      onFrame: (frame) => {
        bytes += frame.length;
        if (--left === 0) {
          reader.close();
          resolve(bytes);
        }
      },
      onError: (failure) => reject(new Error(failure.message)),
    });
    for (const frame of frames) reader.push(frame);
  });
}

/** baseline, stream form: one persistent Inflate, each message written and sync-flushed in turn. */
async function baselineStream(frames: readonly Buffer[]): Promise<number> {
  const inflate = zlib.createInflate();
  let chunks: Buffer[] = [];
  inflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  let bytes = 0;
  for (const frame of frames) {
    inflate.write(frame);
    await new Promise<void>((resolve) => inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    bytes += (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).length;
    chunks = [];
  }
  inflate.close();
  return bytes;
}

/** baseline, per-message form: inflateSync on each frame. */
function baselinePerMessage(frames: readonly Buffer[]): number {
  let bytes = 0;
  for (const frame of frames) bytes += zlib.inflateSync(frame).length;
  return bytes;
}

/** CPU time of the process (zlib's thread-pool work included), µs, per side, over all rounds. */
const cpu = { ours: 0, baseline: 0, oursMessages: 0, baselineMessages: 0 };

/** Milliseconds one pass of `fn` takes; its CPU time goes to `side`. */
async function pass(
  fn: () => Promise<number> | number,
  side: 'ours' | 'baseline',
  count: number,
): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(c0);
  cpu[side] += used.user + used.system;
  if (side === 'ours') cpu.oursMessages += count;
  else cpu.baselineMessages += count;
  return ms;
}

/**
 * One round: passes of ours and of the baseline taken in turn (so both meet the same load on a
 * busy machine), until each side has run for `budgetMs`; each side's messages per second.
 * `ours` alone when `baseline` is undefined.
 */
async function round(
  ours: () => Promise<number> | number,
  baseline: (() => Promise<number> | number) | undefined,
  count: number,
  oursFirst: boolean,
): Promise<[number, number]> {
  let oursMs = 0;
  let baseMs = 0;
  let oursPasses = 0;
  let basePasses = 0;
  while (oursMs < budgetMs || (baseline !== undefined && baseMs < budgetMs)) {
    if (oursFirst) {
      oursMs += await pass(ours, 'ours', count);
      oursPasses++;
    }
    if (baseline !== undefined) {
      baseMs += await pass(baseline, 'baseline', count);
      basePasses++;
    }
    if (!oursFirst) {
      oursMs += await pass(ours, 'ours', count);
      oursPasses++;
    }
  }
  return [
    (oursPasses * count * 1000) / oursMs,
    baseline === undefined ? 0 : (basePasses * count * 1000) / baseMs,
  ];
}

main(async () => {
  const sizes = [
    { id: 'small', label: 'GLOBAL_GUILD_COUNT ~110 B', make: guildCountFrame, count: 2_000 },
    { id: 'large', label: '~5 KiB event', make: largeEventFrame, count: 400 },
  ];
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const texts = Array.from({ length: size.count }, (_, i) => size.make(i));
    const perMessage = texts.map((text) => zlib.deflateSync(text));
    const stream = await streamFrames(texts);
    const forms = [
      {
        id: `7.msg.${size.id}`,
        name: `inflate per-message zlib, ${size.label}`,
        ours: () => oursBurst(perMessage),
        baseline: () => baselinePerMessage(perMessage),
        note: `passes over ${formatNumber(size.count)} frames; baseline zlib.inflateSync per frame; ours also checks maxPayload via maxOutputLength`,
        goal: true,
      },
      {
        id: `7.msg.${size.id}.pako`,
        name: `inflate per-message zlib with pako (browser reader), ${size.label}`,
        ours: () => oursBurst(perMessage, createBrowserFrameReader),
        baseline: () => baselinePerMessage(perMessage),
        note: `passes over ${formatNumber(size.count)} frames; ours is the browser reader (a pako Inflate per frame, maxPayload checked per 16 KiB piece); baseline zlib.inflateSync per frame. Why Node reads this form with node:zlib`,
        goal: false,
      },
      {
        id: `7.stream.${size.id}`,
        name: `inflate zlib stream (sync flush), ${size.label}`,
        ours: () => oursBurst(stream),
        baseline: () => baselineStream(stream),
        note: `passes over ${formatNumber(size.count)} frames, each pass pushed to a fresh reader of ours (pako) in one burst; baseline one Inflate, write + Z_SYNC_FLUSH per frame, sequential`,
        goal: true,
      },
    ];
    for (const form of forms) {
      await round(form.ours, form.baseline, size.count, true);
      Object.assign(cpu, { ours: 0, baseline: 0, oursMessages: 0, baselineMessages: 0 });
      const rates = { ours: [] as number[], baseline: [] as number[] };
      for (let r = 0; r < rounds; r++) {
        const measure = (): Promise<[number, number]> =>
          round(form.ours, oursOnly ? undefined : form.baseline, size.count, r % 2 === 0);
        const [o, b] = oursOnly ? await profiled(`${form.id}-${r + 1}`, measure) : await measure();
        rates.ours.push(o);
        rates.baseline.push(oursOnly ? o : b);
      }
      log(
        `${form.id}: ours ${formatNumber(median(rates.ours))}/s, baseline ${formatNumber(median(rates.baseline))}/s`,
      );
      rows.push(
        makeRow({
          id: form.id,
          name: form.name,
          unit: 'msgs/s',
          ours: rates.ours,
          baseline: oursOnly ? rates.ours : rates.baseline,
          ratioOf: 'ours/baseline',
          goal: form.goal ? (ratio) => ({ text: '≥ 0.80×', pass: ratio >= 0.8 }) : undefined,
          notes: [
            form.note,
            `CPU per message (process CPU time, zlib threads included; steadier than wall time on a busy machine): ours ${formatNumber(cpu.ours / cpu.oursMessages)} µs, baseline ${formatNumber(cpu.baseline / Math.max(1, cpu.baselineMessages))} µs`,
            `${rounds} rounds; in each, passes of ours and of the baseline take turns until each side has run ≥ ${budgetMs} ms; after a warm-up round`,
          ],
        }),
      );
    }
  }
  return rows;
});
