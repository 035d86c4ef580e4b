/**
 * The Node frame reader (node:zlib): the cases every reader passes (frame-reader-cases.ts), then
 * what only an asynchronous engine can show: frames waiting behind a stream frame still in zlib.
 */
import * as zlib from 'node:zlib';
import { createFrameReader } from '../../src/transport/inflate.js';
import {
  defineFrameReaderTests,
  MiB,
  settle,
  streamFrames,
  until,
  type Growth,
} from './frame-reader-cases.js';

/** Runs `work` while sampling memory between every turn of the event loop. */
async function measure(work: () => Promise<void>): Promise<Growth> {
  const start = process.memoryUsage();
  const startMaxRss = process.resourceUsage().maxRSS; // KiB
  let peakArrayBuffers = start.arrayBuffers;
  let peakHeap = start.heapUsed;
  let sampling = true;
  const sample = (): void => {
    const now = process.memoryUsage();
    peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
    peakHeap = Math.max(peakHeap, now.heapUsed);
    if (sampling) setImmediate(sample);
  };
  sample();
  try {
    await work();
  } finally {
    // Also when `work` fails: a sampler left running would keep the test process alive.
    sampling = false;
  }
  sample();
  return {
    arrayBuffers: (peakArrayBuffers - start.arrayBuffers) / MiB,
    heap: (peakHeap - start.heapUsed) / MiB,
    maxRss: (process.resourceUsage().maxRSS - startMaxRss) / 1024,
  };
}

const { open } = defineFrameReaderTests({
  name: 'node:zlib',
  createFrameReader,
  synchronous: false,
  measure,
});

describe('while a stream frame is in zlib (node:zlib)', () => {
  it('keeps push order when onFrame pushes: the inner push goes behind what was pushed meanwhile', async () => {
    const [s1] = await streamFrames('{"n":1}');
    let pushed = false;
    const { reader, log } = open(MiB, {
      onFrame: () => {
        if (pushed) return;
        pushed = true;
        reader.push('{"n":3}');
      },
    });
    reader.push(s1!);
    reader.push('{"n":2}');
    await until(() => log.length === 3);
    expect(log).toEqual(['bytes:{"n":1}', 'text:{"n":2}', 'text:{"n":3}']);
  });

  it('close() discards a stream frame in flight and everything behind it; later pushes do nothing', async () => {
    const [first] = await streamFrames('{"n":1}');
    const { reader, log } = open();
    reader.push(first!);
    reader.push('{"n":2}');
    reader.close();
    reader.close();
    reader.push('{"n":3}');
    reader.push(zlib.deflateSync('{"n":4}'));
    await settle();
    expect(log).toEqual([]);
  });
});
