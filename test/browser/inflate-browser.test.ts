/**
 * The browser frame reader (pako), under Node, with the cases every reader passes
 * (test/transport/frame-reader-cases.ts): Node has the globals it uses (Uint8Array, TextDecoder).
 * The only difference the reader's contract allows is timing: everything here is synchronous, so a
 * result is there when `push` returns. Then what only pako shows, and the same results as the Node
 * reader for any mix of frames.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import * as pako from 'pako';
import { createFrameReader } from '../../src/transport/inflate.browser.js';
import { createFrameReader as createNodeFrameReader } from '../../src/transport/inflate.js';
import {
  defineFrameReaderTests,
  deflateStream,
  marker,
  MiB,
  readerHarness,
  streamFrames,
  utf8,
  type Growth,
} from '../transport/frame-reader-cases.js';

/**
 * Runs `work` and reports how much pako handed out (every output piece, counted as it leaves
 * pako, including the one that broke the budget) and how much memory grew meanwhile.
 */
async function measure(work: () => Promise<void>): Promise<Growth> {
  let inflated = 0;
  // The unpatched method, called on each Inflate below with its own `this`.
  const push = Object.getOwnPropertyDescriptor(pako.Inflate.prototype, 'push')!.value as (
    this: pako.Inflate,
    ...args: Parameters<pako.Inflate['push']>
  ) => boolean;
  const spy = jest.spyOn(pako.Inflate.prototype, 'push').mockImplementation(function (
    this: pako.Inflate,
    data,
    flush,
  ) {
    const onData = this.onData.bind(this);
    this.onData = (chunk) => {
      inflated += chunk.byteLength;
      onData(chunk);
    };
    return push.call(this, data, flush);
  });
  const start = process.memoryUsage();
  const startMaxRss = process.resourceUsage().maxRSS; // KiB
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  const end = process.memoryUsage();
  return {
    inflated: inflated / MiB,
    // Sync work cannot be sampled from a timer; what pako allocated is still uncollected here
    // unless a GC ran, and the peak RSS is the high-water mark of the whole process.
    arrayBuffers: (end.arrayBuffers - start.arrayBuffers) / MiB,
    maxRss: (process.resourceUsage().maxRSS - startMaxRss) / 1024,
  };
}

const { open } = defineFrameReaderTests({ name: 'pako', createFrameReader, synchronous: true, measure });

describe('stream form, synchronously (pako)', () => {
  it('keeps push order when onFrame pushes: the inner push waits for the callback to return', async () => {
    const [s1, s2] = await streamFrames('{"n":1}', '{"n":3}');
    const inner: string[] = [];
    const { reader, log } = open(MiB, {
      onFrame: (frame) => {
        if (typeof frame === 'string') return;
        // Pushed from inside onFrame: handled after this callback, before anything pushed later.
        reader.push(`{"after":${utf8.decode(frame)}}`);
        inner.push(log.at(-1)!);
      },
    });
    reader.push(s1!);
    reader.push('{"n":2}');
    reader.push(s2!);
    expect(inner).toEqual(['bytes:{"n":1}', 'bytes:{"n":3}']);
    expect(log).toEqual([
      'bytes:{"n":1}',
      'text:{"after":{"n":1}}',
      'text:{"n":2}',
      'bytes:{"n":3}',
      'text:{"after":{"n":3}}',
    ]);
  });
});

describe('the same results as the Node reader', () => {
  const nodeReaders = readerHarness(createNodeFrameReader);

  type Frame =
    | { form: 'text'; message: string }
    | { form: 'raw'; message: string }
    | { form: 'per-message'; message: string; level: number; trailing: Uint8Array }
    | { form: 'stream'; message: string }
    | { form: 'stream-end'; message: string; trailing: Uint8Array };

  /**
   * What a gateway would send for `frames`, one zlib stream for the stream-form ones; `trailing`
   * bytes follow the end of a zlib stream (before the marker in the stream form). After a
   * `stream-end`, later stream-form frames come from a new stream, which the ended one cannot read.
   */
  async function wire(frames: readonly Frame[]): Promise<(string | Buffer)[]> {
    let stream = deflateStream();
    const out: (string | Buffer)[] = [];
    for (const frame of frames) {
      if (frame.form === 'text') out.push(frame.message);
      else if (frame.form === 'raw') out.push(Buffer.from(frame.message));
      else if (frame.form === 'per-message')
        out.push(Buffer.concat([zlib.deflateSync(frame.message, { level: frame.level }), frame.trailing]));
      else if (frame.form === 'stream') out.push(await stream.message(frame.message));
      else {
        out.push(Buffer.concat([await stream.end(frame.message), frame.trailing, marker]));
        stream.close();
        stream = deflateStream();
      }
    }
    stream.close();
    return out;
  }

  it('logs the same frames and failures for any mix of forms and sizes', async () => {
    const message = fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 3000 }));
    // Mostly none: bytes after the end of a zlib stream are a rare fault.
    const trailing = fc.oneof(
      { arbitrary: fc.constant(new Uint8Array(0)), weight: 3 },
      { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }), weight: 1 },
    );
    const frame: fc.Arbitrary<Frame> = fc.oneof(
      {
        arbitrary: fc.record({ form: fc.constantFrom('text' as const, 'raw' as const), message: fc.json() }),
        weight: 3,
      },
      {
        arbitrary: fc.record({
          form: fc.constant('per-message' as const),
          message,
          level: fc.integer({ min: 0, max: 9 }),
          trailing,
        }),
        weight: 3,
      },
      { arbitrary: fc.record({ form: fc.constant('stream' as const), message }), weight: 3 },
      // Rarer: it ends the connection's stream, and every stream-form frame after it fails.
      { arbitrary: fc.record({ form: fc.constant('stream-end' as const), message, trailing }), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4000 }),
        async (frames, maxPayload) => {
          const sent = await wire(frames);
          const browser = open(maxPayload);
          const node = nodeReaders.open(maxPayload);
          for (const data of sent) {
            browser.reader.push(data);
            node.reader.push(data);
          }
          // The Node reader inflates stream frames asynchronously; the browser reader is done already.
          const deadline = Date.now() + 5000;
          while (node.log.length < browser.log.length && Date.now() < deadline) {
            await new Promise((resolve) => setImmediate(resolve));
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
          expect(browser.log).toEqual(node.log);
          browser.reader.close();
          node.reader.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
