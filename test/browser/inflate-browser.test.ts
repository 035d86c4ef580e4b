/**
 * The browser frame reader (pako), under Node, with the cases of test/transport/inflate.test.ts:
 * Node has the globals it uses (Uint8Array, TextDecoder). The only difference the reader's contract
 * allows is timing: everything here is synchronous, so a result is there when `push` returns.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import * as pako from 'pako';
import {
  createFrameReader,
  type FrameReader,
  type FrameReaderOptions,
  type InflateFailure,
} from '../../src/transport/inflate.browser.js';
import { createFrameReader as createNodeFrameReader } from '../../src/transport/inflate.js';

const MiB = 1024 * 1024;
const utf8 = new TextDecoder();

/** A deflate stream as a zlib-stream gateway keeps one: each message ends with Z_SYNC_FLUSH. */
function deflateStream(options: zlib.ZlibOptions = {}) {
  const deflate = zlib.createDeflate(options);
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  return {
    /** The bytes of one stream-form frame: `parts` written, then a sync flush. */
    async message(...parts: (string | Buffer)[]): Promise<Buffer> {
      for (const part of parts) deflate.write(part);
      await new Promise<void>((resolve) => {
        deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          resolve();
        });
      });
      return Buffer.concat(out.splice(0));
    },
    close: () => deflate.destroy(),
  };
}

/** Frames of one deflate stream, one per message. */
async function streamFrames(...messages: string[]): Promise<Buffer[]> {
  const stream = deflateStream();
  const frames: Buffer[] = [];
  for (const message of messages) frames.push(await stream.message(message));
  stream.close();
  return frames;
}

type Failure = Pick<InflateFailure, 'reason' | 'fatal'>;

const readers: FrameReader[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

/**
 * A reader whose results are logged as `text:…` (a string frame), `bytes:…` (a binary frame,
 * shown as UTF-8) and `error:reason:fatal`, in the order the callbacks fired.
 */
function open(
  maxPayload = MiB,
  hooks: { onFrame?: (frame: string | Uint8Array) => void } = {},
  create: (options: FrameReaderOptions) => FrameReader = createFrameReader,
) {
  const log: string[] = [];
  const failures: InflateFailure[] = [];
  const frames: (string | Uint8Array)[] = [];
  const reader = create({
    maxPayload,
    onFrame: (frame) => {
      frames.push(frame);
      log.push(typeof frame === 'string' ? `text:${frame}` : `bytes:${utf8.decode(frame)}`);
      hooks.onFrame?.(frame);
    },
    onError: (failure) => {
      failures.push(failure);
      log.push(`error:${failure.reason}:${String(failure.fatal)}`);
    },
  });
  readers.push(reader);
  return { reader, log, failures, frames };
}

function failureOf(failures: InflateFailure[]): Failure {
  expect(failures).toHaveLength(1);
  const [failure] = failures as [InflateFailure];
  // Every failure message is one line a person can read.
  expect(failure.message).toMatch(/^[^\r\n]+$/);
  return { reason: failure.reason, fatal: failure.fatal };
}

describe('text and raw binary frames', () => {
  it('hands a text frame to onFrame synchronously, as it came', () => {
    const { reader, frames } = open();
    reader.push('{"op":11}');
    expect(frames).toEqual(['{"op":11}']);
  });

  it('passes raw UTF-8 JSON bytes through synchronously, without copying', () => {
    const { reader, frames } = open();
    const bytes = new TextEncoder().encode('{"op":5,"d":{"hearbeat":45000}}');
    reader.push(bytes);
    expect(frames[0]).toBe(bytes);
  });

  it('reads an ArrayBuffer (what a browser WebSocket gives) and a Uint8Array as bytes', () => {
    const { reader, log } = open();
    const bytes = new TextEncoder().encode('{"op":11}');
    reader.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const deflated = zlib.deflateSync('{"op":10}');
    reader.push(deflated.buffer.slice(deflated.byteOffset, deflated.byteOffset + deflated.byteLength));
    reader.push(new Uint8Array(0));
    expect(log).toEqual(['bytes:{"op":11}', 'bytes:{"op":10}', 'bytes:']);
  });

  it('rejects a text or raw frame over maxPayload as too-large, not fatal, and goes on', () => {
    const { reader, log, failures } = open(10);
    reader.push('x'.repeat(10));
    reader.push('x'.repeat(11));
    reader.push(new Uint8Array(11).fill(0x20));
    reader.push(new Uint8Array(10).fill(0x20));
    expect(log).toEqual([
      `text:${'x'.repeat(10)}`,
      'error:too-large:false',
      'error:too-large:false',
      `bytes:${' '.repeat(10)}`,
    ]);
    expect(failures.map((failure) => failure.message)).toEqual([
      'text frame of 11 characters is larger than maxPayload (10 bytes)',
      'binary frame of 11 bytes is larger than maxPayload (10 bytes)',
    ]);
  });

  it('refuses a maxPayload that is not a positive integer', () => {
    for (const maxPayload of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        createFrameReader({ maxPayload, onFrame: () => undefined, onError: () => undefined }),
      ).toThrow(RangeError);
    }
  });
});

describe('per-message form: each binary frame a complete zlib stream', () => {
  const messages = [
    '{"op":5,"d":{"heartbeat":41250}}',
    '{"op":11}',
    `{"op":0,"t":"big","d":"${'é'.repeat(50000)}"}`,
  ];

  it('inflates every frame synchronously, in order, at every compression level and window size', () => {
    const { reader, log } = open();
    const expected: string[] = [];
    for (const options of [{ level: 0 }, { level: 1 }, { level: 6 }, { level: 9 }, { windowBits: 9 }]) {
      for (const message of messages) {
        reader.push(zlib.deflateSync(message, options));
        expected.push(`bytes:${message}`);
      }
    }
    expect(log).toEqual(expected);
  });

  it('rejects a frame that inflates past maxPayload, not fatal, and goes on', () => {
    const { reader, log, failures } = open(100);
    reader.push(zlib.deflateSync('x'.repeat(100)));
    reader.push(zlib.deflateSync('x'.repeat(101)));
    reader.push('{"op":11}');
    expect(log).toEqual([`bytes:${'x'.repeat(100)}`, 'error:too-large:false', 'text:{"op":11}']);
    expect(failures[0]?.message).toMatch(
      /^zlib frame of \d+ bytes inflates to more than maxPayload \(100 bytes\)$/,
    );
  });

  it('reports a corrupt, cut-off or wrong-checksum frame, not fatal, and goes on', () => {
    const whole = zlib.deflateSync('{"op":11}');
    const corrupt = Buffer.from(whole);
    corrupt.fill(0xaa, 2, whole.length - 2);
    // The Adler-32 is checked (fflate, for one, does not check it).
    const badChecksum = Buffer.from(whole);
    badChecksum[badChecksum.length - 1]! ^= 1;
    const variants = [corrupt, whole.subarray(0, whole.length - 3), badChecksum];
    for (const frame of variants) {
      const { reader, log, failures } = open();
      reader.push(frame);
      reader.push(whole);
      expect(log).toEqual(['error:corrupt:false', 'bytes:{"op":11}']);
      expect(failures[0]?.message).toMatch(/^zlib frame of \d+ bytes is corrupt: .+$/);
    }
  });
});

describe('stream form: one zlib stream per connection, Z_SYNC_FLUSH per message', () => {
  it('inflates several messages of one stream, each complete when push returns', async () => {
    const messages = [
      '{"op":5,"d":{"hearbeat":60000}}',
      '{"op":11}',
      // Larger than pako's 16 KiB output piece: one message, several pieces.
      JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', d: { guilds: 1, padding: 'ab'.repeat(60000) } }),
      '{"op":11}',
    ];
    const frames = await streamFrames(...messages);
    expect(frames[0]!.subarray(0, 2)).toEqual(Buffer.from([0x78, 0x9c]));
    const { reader, log } = open();
    frames.forEach((frame, i) => {
      reader.push(frame);
      // Nothing held back until more input comes: this message is out, whole.
      expect(log).toEqual(messages.slice(0, i + 1).map((m) => `bytes:${m}`));
    });
  });

  it('inflates every message whole with every kind of deflater', async () => {
    const strategies = [
      { level: 0 },
      { level: 1 },
      { level: 9 },
      { strategy: zlib.constants.Z_FIXED },
      { strategy: zlib.constants.Z_HUFFMAN_ONLY },
      { strategy: zlib.constants.Z_RLE },
      { windowBits: 9 },
      { memLevel: 1 },
    ];
    for (const options of strategies) {
      const stream = deflateStream(options);
      const { reader, log } = open();
      for (let i = 0; i < 20; i++) {
        const message = JSON.stringify({ op: 0, t: 'x', d: { i, text: 'é€😀 abc'.repeat(i * i * 7) } });
        reader.push(await stream.message(message));
        expect(log.at(-1)).toBe(`bytes:${message}`);
      }
      stream.close();
    }
  });

  it('inflates a message that came in several writes to the deflater', async () => {
    const stream = deflateStream();
    const first = await stream.message('{"op":0,', '"t":"x",', '"d":{}}');
    const second = await stream.message('{"op":11}');
    stream.close();
    const { reader, log } = open();
    reader.push(first);
    reader.push(second);
    expect(log).toEqual(['bytes:{"op":0,"t":"x","d":{}}', 'bytes:{"op":11}']);
  });

  it('keeps push order across text, per-message, raw and stream frames', async () => {
    const [s1, s2] = await streamFrames('{"n":1}', '{"n":5}');
    const { reader, log } = open();
    reader.push(s1!);
    reader.push('{"n":2}');
    reader.push(zlib.deflateSync('{"n":3}'));
    reader.push(Buffer.from('{"n":4}'));
    reader.push(s2!);
    reader.push('{"n":6}');
    expect(log).toEqual([
      'bytes:{"n":1}',
      'text:{"n":2}',
      'bytes:{"n":3}',
      'bytes:{"n":4}',
      'bytes:{"n":5}',
      'text:{"n":6}',
    ]);
  });

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

  it('gives each reader its own context: a stream does not continue into another connection', async () => {
    const [first, second] = await streamFrames('{"n":1}', '{"n":2}');
    const fresh = open();
    fresh.reader.push(second!);
    expect(failureOf(fresh.failures)).toEqual({ reason: 'corrupt', fatal: true });
    expect(fresh.failures[0]?.message).toMatch(
      /^zlib-stream message of \d+ bytes is corrupt: .+; the connection's zlib stream is broken$/,
    );

    const a = open();
    const b = open();
    a.reader.push(first!);
    b.reader.push(first!);
    a.reader.push(second!);
    b.reader.push(second!);
    expect(a.log).toEqual(['bytes:{"n":1}', 'bytes:{"n":2}']);
    expect(b.log).toEqual(a.log);
  });

  it('treats a corrupt stream frame as fatal: the reader stops', async () => {
    const [first, second] = await streamFrames('{"n":1}', '{"n":2}');
    const broken = Buffer.from(second!);
    broken.fill(0xff, 0, broken.length - 4);
    const { reader, log, failures } = open();
    reader.push(first!);
    reader.push(broken);
    reader.push('{"after":1}');
    expect(log).toEqual(['bytes:{"n":1}', 'error:corrupt:true']);
    expect(failureOf(failures)).toEqual({ reason: 'corrupt', fatal: true });
  });

  it('treats a stream message over maxPayload as fatal', async () => {
    const [ok, over] = await streamFrames('x'.repeat(1000), 'x'.repeat(1001));
    const { reader, log, failures } = open(1000);
    reader.push(ok!);
    reader.push(over!);
    reader.push('{"after":1}');
    expect(log).toEqual([`bytes:${'x'.repeat(1000)}`, 'error:too-large:true']);
    expect(failures[0]?.message).toMatch(
      /^zlib-stream message of \d+ bytes inflates to more than maxPayload \(1000 bytes\); the connection's/,
    );
  });

  it('treats a stream frame after the end of the zlib stream as fatal, never as an empty message', () => {
    // A complete zlib stream followed by the marker: its message counts, but the stream is over.
    const ended = Buffer.concat([zlib.deflateSync('{"n":1}'), Buffer.from([0, 0, 0xff, 0xff])]);
    const { reader, log, failures } = open();
    reader.push(ended);
    reader.push(Buffer.from([0x4a, 0, 0, 0, 0xff, 0xff]));
    expect(log).toEqual(['bytes:{"n":1}', 'error:corrupt:true']);
    expect(failures[0]?.message).toMatch(/follows the end of the connection's zlib stream/);
  });
});

describe('the same results as the Node reader', () => {
  type Frame =
    | { form: 'text' | 'raw'; message: string }
    | { form: 'per-message'; message: string; level: number }
    | { form: 'stream'; message: string };

  /** What a gateway would send for `frames`, one zlib stream for the stream-form ones. */
  async function wire(frames: readonly Frame[]): Promise<(string | Buffer)[]> {
    const stream = deflateStream();
    const out: (string | Buffer)[] = [];
    for (const frame of frames) {
      if (frame.form === 'text') out.push(frame.message);
      else if (frame.form === 'raw') out.push(Buffer.from(frame.message));
      else if (frame.form === 'per-message')
        out.push(zlib.deflateSync(frame.message, { level: frame.level }));
      else out.push(await stream.message(frame.message));
    }
    stream.close();
    return out;
  }

  it('logs the same frames and failures for any mix of forms and sizes', async () => {
    const frame: fc.Arbitrary<Frame> = fc.oneof(
      fc.record({ form: fc.constantFrom('text' as const, 'raw' as const), message: fc.json() }),
      fc.record({
        form: fc.constant('per-message' as const),
        message: fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 3000 })),
        level: fc.integer({ min: 0, max: 9 }),
      }),
      fc.record({
        form: fc.constant('stream' as const),
        message: fc.oneof(fc.json(), fc.string({ unit: 'binary', maxLength: 3000 })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4000 }),
        async (frames, maxPayload) => {
          const sent = await wire(frames);
          const browser = open(maxPayload);
          const node = open(maxPayload, {}, createNodeFrameReader);
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

describe('a decompression bomb: 100 MiB of zeros', () => {
  let perMessageBomb: Buffer;
  let streamBomb: Buffer;

  beforeAll(async () => {
    // Deflated through a stream from one reused 1 MiB buffer, so the test itself never holds
    // 100 MiB, which would hide what the reader holds.
    const zeros = Buffer.alloc(MiB);
    const parts = Array.from({ length: 100 }, () => zeros);
    const stream = deflateStream();
    streamBomb = await stream.message(...parts);
    stream.close();
    const deflate = zlib.createDeflate({ level: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => out.push(chunk));
    for (const part of parts) deflate.write(part);
    await new Promise<void>((resolve) => deflate.end(resolve));
    perMessageBomb = Buffer.concat(out);
  });

  /**
   * Runs `work` and reports how much pako handed out (every output piece, counted as it leaves
   * pako, including the one that broke the budget) and how much memory grew meanwhile.
   */
  function measure(work: () => void) {
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
      work();
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

  it('is about 100 KiB on the wire', () => {
    expect(streamBomb.length).toBeLessThan(200 * 1024);
    expect(perMessageBomb.length).toBeLessThan(200 * 1024);
  });

  it('is rejected in the stream form as too-large (fatal) after inflating maxPayload plus one piece', () => {
    const { reader, log, failures } = open(MiB);
    const grown = measure(() => {
      reader.push(streamBomb);
    });
    expect(failureOf(failures)).toEqual({ reason: 'too-large', fatal: true });
    expect(log).toEqual(['error:too-large:true']);
    // 1 MiB and one 16 KiB piece; 100 MiB would show in all three.
    expect(grown.inflated).toBeLessThanOrEqual(1 + 16 / 1024);
    expect(grown.arrayBuffers).toBeLessThan(8);
    expect(grown.maxRss).toBeLessThan(40);
  });

  it('is rejected in the per-message form as too-large (not fatal) after inflating maxPayload plus one piece', () => {
    const { reader, log } = open(MiB);
    const grown = measure(() => {
      reader.push(perMessageBomb);
      reader.push('{"op":11}');
    });
    expect(log).toEqual(['error:too-large:false', 'text:{"op":11}']);
    expect(grown.inflated).toBeLessThanOrEqual(1 + 16 / 1024);
    expect(grown.arrayBuffers).toBeLessThan(8);
    expect(grown.maxRss).toBeLessThan(40);
  });
});

describe('close()', () => {
  it('makes later pushes do nothing; idempotent', async () => {
    const [first] = await streamFrames('{"n":1}');
    const { reader, log } = open();
    reader.close();
    reader.close();
    reader.push(first!);
    reader.push('{"n":2}');
    reader.push(zlib.deflateSync('{"n":3}'));
    expect(log).toEqual([]);
  });

  it('stops at once when called from onFrame, dropping what was pushed meanwhile', async () => {
    const [s1, s2] = await streamFrames('{"n":1}', '{"n":3}');
    const { reader, log } = open(MiB, {
      onFrame: () => {
        reader.push('{"n":2}');
        reader.close();
      },
    });
    reader.push(s1!);
    reader.push(s2!);
    expect(log).toEqual(['bytes:{"n":1}']);
  });

  it('calls nothing after a fatal failure, even when onError pushes', async () => {
    const [, second] = await streamFrames('{"n":1}', '{"n":2}');
    const log: string[] = [];
    const reader: FrameReader = createFrameReader({
      maxPayload: MiB,
      onFrame: (frame) => log.push(typeof frame === 'string' ? frame : utf8.decode(frame)),
      onError: (failure) => {
        log.push(failure.reason);
        reader.push('{"from":"onError"}');
      },
    });
    readers.push(reader);
    reader.push(second!);
    reader.push('{"queued":1}');
    expect(log).toEqual(['corrupt']);
  });

  it('survives a callback that throws: the frames behind it are handled at the next push, in order', () => {
    let thrown = false;
    const { reader, log } = open(MiB, {
      onFrame: () => {
        if (thrown) return;
        thrown = true;
        reader.push('{"n":2}');
        throw new Error('a plugin bug');
      },
    });
    expect(() => reader.push('{"n":1}')).toThrow('a plugin bug');
    reader.push('{"n":3}');
    expect(log).toEqual(['text:{"n":1}', 'text:{"n":2}', 'text:{"n":3}']);
  });
});
