/**
 * The cases every frame reader must pass, whatever engine inflates: `inflate.ts` (node:zlib for
 * whole frames, pako for the stream form; test/transport/inflate.test.ts) and `inflate.browser.ts`
 * (pako for both; test/browser/inflate-browser.test.ts) export the same API and must give the same
 * results, at the same time: every result is out when the `push` that made it returns (`outNow`),
 * so that a socket event behind a frame (a close) can never overtake it. Cases about one engine
 * only stay in its own file.
 */
import * as zlib from 'node:zlib';
import * as pako from 'pako';
import { decodeFrame } from '../../src/protocol/index.js';
import type { FrameReader, FrameReaderOptions, InflateFailure } from '../../src/transport/frame-reader.js';

export const MiB = 1024 * 1024;
export const utf8 = new TextDecoder();
/** The sync-flush marker that ends every stream-form frame. */
export const marker = Buffer.from([0, 0, 0xff, 0xff]);
/** A message larger than the 16 KiB output chunk of zlib and of pako: several chunks. */
const bigMessage = JSON.stringify({ op: 0, t: 'x', d: 'ab'.repeat(30000) });

/** A deflate stream as a zlib-stream gateway keeps one: each message ends with Z_SYNC_FLUSH. */
export function deflateStream(options: zlib.ZlibOptions = {}) {
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
    /** The bytes that end the stream: `parts` written, then Z_FINISH (the Adler-32 last). */
    async end(...parts: (string | Buffer)[]): Promise<Buffer> {
      for (const part of parts) deflate.write(part);
      // 'end', not end()'s callback: that one is called on 'finish', before the last output.
      await new Promise((resolve) => deflate.end().once('end', resolve));
      return Buffer.concat(out.splice(0));
    },
    close: () => deflate.destroy(),
  };
}

/** Frames of one deflate stream, one per message. */
export async function streamFrames(...messages: string[]): Promise<Buffer[]> {
  const stream = deflateStream();
  const frames: Buffer[] = [];
  for (const message of messages) frames.push(await stream.message(message));
  stream.close();
  return frames;
}

type Failure = Pick<InflateFailure, 'reason' | 'fatal'>;

export function failureOf(failures: InflateFailure[]): Failure {
  expect(failures).toHaveLength(1);
  const [failure] = failures as [InflateFailure];
  // Every failure message is one line a person can read.
  expect(failure.message).toMatch(/^[^\r\n]+$/);
  return { reason: failure.reason, fatal: failure.fatal };
}

export type CreateFrameReader = (options: FrameReaderOptions) => FrameReader;

/**
 * Readers made with `create`, closed after each test. `open` gives a reader whose results are
 * logged as `text:…` (a string frame), `bytes:…` (a binary frame, shown as UTF-8) and
 * `error:reason:fatal`, in the order the callbacks fired.
 */
export function readerHarness(create: CreateFrameReader) {
  const readers: FrameReader[] = [];
  afterEach(() => {
    for (const reader of readers.splice(0)) reader.close();
  });

  function open(maxPayload = MiB, hooks: { onFrame?: (frame: string | Uint8Array) => void } = {}) {
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

  return { readers, open };
}

/** How much memory a piece of work took, in MiB. */
export interface Growth {
  arrayBuffers: number;
  maxRss: number;
  /** Everything pako handed out, counted piece by piece; `undefined` when pako did not inflate. */
  inflated?: number;
}

/**
 * Runs `work` and reports how much memory grew meanwhile, and how much pako handed out (every output
 * piece, counted as it leaves pako, the one that broke the budget included). Synchronous work
 * cannot be sampled from a timer: what it allocated is still uncollected when it returns unless a
 * GC ran, and the peak RSS is the high-water mark of the whole process.
 */
export function measure(work: () => void): Growth {
  let inflated: number | undefined;
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
    inflated ??= 0;
    const onData = this.onData.bind(this);
    this.onData = (chunk) => {
      inflated! += chunk.byteLength;
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
    arrayBuffers: (end.arrayBuffers - start.arrayBuffers) / MiB,
    maxRss: (process.resourceUsage().maxRSS - startMaxRss) / 1024,
    ...(inflated === undefined ? {} : { inflated: inflated / MiB }),
  };
}

export interface ReaderUnderTest {
  /** The engine, as the cases are named. */
  name: string;
  createFrameReader: CreateFrameReader;
}

/**
 * A synchronous reader has nothing to wait for: what `condition` looks for must be out already,
 * when the push that should have made it has returned.
 */
export function outNow(condition: () => boolean): void {
  expect(condition()).toBe(true);
}

/** Registers the shared cases for `impl`; returns a harness of its own for the file's own cases. */
export function defineFrameReaderTests(impl: ReaderUnderTest) {
  const { createFrameReader } = impl;
  const harness = readerHarness(createFrameReader);
  const { readers, open } = harness;

  describe(`text and raw binary frames (${impl.name})`, () => {
    it('hands a text frame to onFrame synchronously, as it came', () => {
      const { reader, frames } = open();
      const text = '{"op":11}';
      reader.push(text);
      expect(frames).toEqual([text]);
    });

    it('passes raw UTF-8 JSON bytes through synchronously, without copying', () => {
      const { reader, frames } = open();
      const bytes = new TextEncoder().encode('{"op":5,"d":{"hearbeat":45000}}');
      reader.push(bytes);
      expect(frames[0]).toBe(bytes);
      expect(decodeFrame(frames[0]!, { sender: 'gateway' })).toEqual({
        _tag: 'Right',
        right: { op: 5, d: { heartbeat: 45000 } },
      });
    });

    it('reads an ArrayBuffer (what a browser WebSocket gives), a Buffer and a Uint8Array as bytes', () => {
      const { reader, log } = open();
      const bytes = new TextEncoder().encode('{"op":11}');
      reader.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const deflated = zlib.deflateSync('{"op":10}');
      reader.push(deflated.buffer.slice(deflated.byteOffset, deflated.byteOffset + deflated.byteLength));
      reader.push(Buffer.from('{"op":12}'));
      reader.push(new Uint8Array(0));
      expect(log).toEqual(['bytes:{"op":11}', 'bytes:{"op":10}', 'bytes:{"op":12}', 'bytes:']);
    });

    it('rejects a text or raw frame over maxPayload as too-large, not fatal, and goes on', () => {
      const { reader, log, failures } = open(10);
      reader.push('x'.repeat(10));
      reader.push('x'.repeat(11));
      reader.push(Buffer.alloc(11, 0x20));
      reader.push(new Uint8Array(11).fill(0x20));
      reader.push(Buffer.alloc(10, 0x20));
      reader.push(new Uint8Array(10).fill(0x20));
      expect(log).toEqual([
        `text:${'x'.repeat(10)}`,
        'error:too-large:false',
        'error:too-large:false',
        'error:too-large:false',
        `bytes:${' '.repeat(10)}`,
        `bytes:${' '.repeat(10)}`,
      ]);
      expect(failures.map((failure) => failure.message)).toEqual([
        'text frame of 11 characters is larger than maxPayload (10 bytes)',
        'binary frame of 11 bytes is larger than maxPayload (10 bytes)',
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

  describe(`per-message form: each binary frame a complete zlib stream (${impl.name})`, () => {
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

    it('delivers a frame whose zlib stream ends before the frame does, then reports the bytes left unread, not fatal', () => {
      const whole = zlib.deflateSync('{"op":11}');
      const second = zlib.deflateSync('{"op":12}');
      const variants = [
        // Two zlib streams in one frame: the second one would be lost without a word.
        { frame: Buffer.concat([whole, second]), message: '{"op":11}', lost: second.length },
        { frame: Buffer.concat([whole, Buffer.from('junk')]), message: '{"op":11}', lost: 4 },
        { frame: Buffer.concat([whole, Buffer.from([0])]), message: '{"op":11}', lost: 1 },
        {
          frame: Buffer.concat([zlib.deflateSync(bigMessage), second]),
          message: bigMessage,
          lost: second.length,
        },
      ];
      for (const { frame, message, lost } of variants) {
        const { reader, log, failures } = open();
        reader.push(frame);
        reader.push(whole);
        expect(log).toEqual([`bytes:${message}`, 'error:corrupt:false', 'bytes:{"op":11}']);
        expect(failureOf(failures)).toEqual({ reason: 'corrupt', fatal: false });
        expect(failures[0]?.message).toBe(
          `zlib frame of ${frame.length} bytes has ${lost} bytes after the end of its zlib stream, left unread`,
        );
      }
    });
  });

  describe(`stream form: one zlib stream per connection, Z_SYNC_FLUSH per message (${impl.name})`, () => {
    it('inflates several messages of one stream, in order, each one whole', async () => {
      const messages = [
        '{"op":5,"d":{"hearbeat":60000}}',
        '{"op":11}',
        // Larger than the 16 KiB output chunk of zlib (one 'data' event each) and of pako (one piece
        // each): one message, several chunks.
        JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', d: { guilds: 1, padding: 'ab'.repeat(60000) } }),
        '{"op":11}',
      ];
      const frames = await streamFrames(...messages);
      // The first message carries the zlib header; later ones continue the stream.
      expect(frames[0]!.subarray(0, 2)).toEqual(Buffer.from([0x78, 0x9c]));

      // All pushed at once.
      const all = open();
      for (const frame of frames) all.reader.push(frame);
      outNow(() => all.log.length === messages.length);
      expect(all.log).toEqual(messages.map((m) => `bytes:${m}`));

      // One at a time: nothing held back until more input comes, each message is out, whole.
      const one = open();
      for (const [i, frame] of frames.entries()) {
        one.reader.push(frame);
        outNow(() => one.log.length === i + 1);
        expect(one.log).toEqual(messages.slice(0, i + 1).map((m) => `bytes:${m}`));
      }
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
          outNow(() => log.length === i + 1);
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
      outNow(() => log.length === 2);
      expect(log).toEqual(['bytes:{"op":0,"t":"x","d":{}}', 'bytes:{"op":11}']);
    });

    it('keeps push order across text, per-message, raw and stream frames', async () => {
      const [s1, s2] = await streamFrames('{"n":1}', '{"n":5}');
      const { reader, log } = open();
      reader.push(s1!);
      reader.push('{"n":2}');
      expect(log).toEqual(['bytes:{"n":1}', 'text:{"n":2}']);
      reader.push(zlib.deflateSync('{"n":3}'));
      reader.push(Buffer.from('{"n":4}'));
      reader.push(s2!);
      reader.push('{"n":6}');
      outNow(() => log.length === 6);
      expect(log).toEqual([
        'bytes:{"n":1}',
        'text:{"n":2}',
        'bytes:{"n":3}',
        'bytes:{"n":4}',
        'bytes:{"n":5}',
        'text:{"n":6}',
      ]);
      reader.push('{"n":7}');
      expect(log[6]).toBe('text:{"n":7}');
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
      // A fresh reader sees `second` without the context `first` built: it cannot inflate it.
      const fresh = open();
      fresh.reader.push(second!);
      outNow(() => fresh.log.length === 1);
      expect(failureOf(fresh.failures)).toEqual({ reason: 'corrupt', fatal: true });
      expect(fresh.failures[0]?.message).toMatch(
        /^zlib-stream message of \d+ bytes is corrupt: .+; the connection's zlib stream is broken$/,
      );

      // Two readers fed the same stream each build their own context.
      const a = open();
      const b = open();
      a.reader.push(first!);
      b.reader.push(first!);
      a.reader.push(second!);
      outNow(() => a.log.length === 2 && b.log.length === 1);
      b.reader.push(second!);
      outNow(() => b.log.length === 2);
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
      outNow(() => log.length === 2);
      reader.push('{"after":2}');
      expect(log).toEqual(['bytes:{"n":1}', 'error:corrupt:true']);
      expect(failureOf(failures)).toEqual({ reason: 'corrupt', fatal: true });
    });

    it('treats a stream frame after the end of the zlib stream as fatal, never as an empty message', async () => {
      // A gateway that ended its stream midway (Z_FINISH), and one that sent a whole zlib stream,
      // each with the marker after: the frame that ends the stream counts, but nothing after it can.
      const stream = deflateStream();
      const endedMidway = [
        await stream.message('{"n":0}'),
        Buffer.concat([await stream.end('{"n":1}'), marker]),
      ];
      stream.close();
      const endedAtOnce = [Buffer.concat([zlib.deflateSync('{"n":1}'), marker])];
      const cases = [
        { frames: endedMidway, messages: ['{"n":0}', '{"n":1}'] },
        { frames: endedAtOnce, messages: ['{"n":1}'] },
      ];
      for (const { frames, messages } of cases) {
        const { reader, log, failures } = open();
        for (const frame of frames) reader.push(frame);
        // Any later stream frame: an ended stream reads none of it.
        reader.push(Buffer.from([0x4a, 0, 0, 0, 0xff, 0xff]));
        reader.push('{"after":1}');
        outNow(() => log.length === messages.length + 1);
        reader.push('{"after":2}');
        expect(log).toEqual([...messages.map((m) => `bytes:${m}`), 'error:corrupt:true']);
        expect(failureOf(failures)).toEqual({ reason: 'corrupt', fatal: true });
        expect(failures[0]?.message).toBe(
          "zlib-stream message of 6 bytes follows the end of the connection's zlib stream; " +
            "the connection's zlib stream is broken",
        );
      }
    });

    it('delivers a message that ends the zlib stream with more than the marker after it, then fails fatally', async () => {
      const first = zlib.deflateSync('{"n":1}');
      const second = zlib.deflateSync('{"n":2}');
      const junk = Buffer.from('junk');
      const stream = deflateStream();
      const endedMidway = [
        await stream.message('{"n":0}'),
        Buffer.concat([await stream.end('{"n":1}'), junk, marker]),
      ];
      stream.close();
      const cases = [
        // Two zlib streams in one frame: the second one would be lost without a word.
        { frames: [Buffer.concat([first, second, marker])], messages: ['{"n":1}'], lost: second.length },
        { frames: endedMidway, messages: ['{"n":0}', '{"n":1}'], lost: junk.length },
        {
          frames: [Buffer.concat([zlib.deflateSync(bigMessage), second, marker])],
          messages: [bigMessage],
          lost: second.length,
        },
      ];
      for (const { frames, messages, lost } of cases) {
        const { reader, log, failures } = open();
        for (const frame of frames) reader.push(frame);
        reader.push('{"after":1}');
        outNow(() => log.length === messages.length + 1);
        reader.push('{"after":2}');
        expect(log).toEqual([...messages.map((m) => `bytes:${m}`), 'error:corrupt:true']);
        expect(failureOf(failures)).toEqual({ reason: 'corrupt', fatal: true });
        expect(failures[0]?.message).toBe(
          `zlib-stream message of ${frames.at(-1)!.length} bytes has ${lost} bytes after the end of the ` +
            "connection's zlib stream (before its sync-flush marker), left unread; " +
            "the connection's zlib stream is broken",
        );
      }
    });

    it('treats a stream message over maxPayload as fatal', async () => {
      const [ok, over] = await streamFrames('x'.repeat(1000), 'x'.repeat(1001));
      const { reader, log, failures } = open(1000);
      reader.push(ok!);
      reader.push(over!);
      reader.push('{"after":1}');
      outNow(() => log.length === 2);
      expect(log).toEqual([`bytes:${'x'.repeat(1000)}`, 'error:too-large:true']);
      expect(failures[0]?.message).toMatch(
        /^zlib-stream message of \d+ bytes inflates to more than maxPayload \(1000 bytes\); the connection's/,
      );
    });
  });

  describe(`a decompression bomb: 100 MiB of zeros (${impl.name})`, () => {
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
     * 100 MiB inflated would show here; the bound is 1 MiB plus one 16 KiB chunk (node:zlib's
     * maxOutputLength) or piece (pako).
     */
    function expectBounded(grown: Growth): void {
      if (grown.inflated !== undefined) expect(grown.inflated).toBeLessThanOrEqual(1 + 16 / 1024);
      expect(grown.arrayBuffers).toBeLessThan(8);
      expect(grown.maxRss).toBeLessThan(40);
    }

    it('is about 100 KiB on the wire', () => {
      expect(streamBomb.length).toBeLessThan(200 * 1024);
      expect(perMessageBomb.length).toBeLessThan(200 * 1024);
    });

    it('is rejected in the stream form as too-large (fatal) while holding about maxPayload', () => {
      const { reader, log, failures } = open(MiB);
      const grown = measure(() => {
        reader.push(streamBomb);
        outNow(() => log.length > 0);
      });
      expect(failureOf(failures)).toEqual({ reason: 'too-large', fatal: true });
      expect(log).toEqual(['error:too-large:true']);
      expectBounded(grown);
    });

    it('is rejected in the per-message form as too-large (not fatal) while holding about maxPayload', () => {
      const { reader, log } = open(MiB);
      const grown = measure(() => {
        reader.push(perMessageBomb);
        reader.push('{"op":11}');
      });
      expect(log).toEqual(['error:too-large:false', 'text:{"op":11}']);
      expectBounded(grown);
    });
  });

  describe(`close() (${impl.name})`, () => {
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

    it('stops at once when called from onFrame: nothing pushed before, from it or after comes out', async () => {
      const [s1, s3] = await streamFrames('{"n":1}', '{"n":3}');
      const { reader, log } = open(MiB, {
        onFrame: () => {
          reader.push('{"from":"onFrame"}');
          reader.close();
        },
      });
      reader.push(s1!);
      reader.push('{"n":2}');
      reader.push(s3!);
      outNow(() => log.length > 0);
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
      outNow(() => log.length > 0);
      expect(log).toEqual(['corrupt']);
    });

    it('reports nothing after a message that a failure follows when onFrame closes the reader', () => {
      const first = zlib.deflateSync('{"n":1}');
      const second = zlib.deflateSync('{"n":2}');
      for (const frame of [Buffer.concat([first, second]), Buffer.concat([first, second, marker])]) {
        const { reader, log } = open(MiB, { onFrame: () => reader.close() });
        reader.push(frame);
        reader.push('{"after":1}');
        outNow(() => log.length > 0);
        expect(log).toEqual(['bytes:{"n":1}']);
      }
    });

    it('reports the failure after a message even when onFrame throws, and goes on', () => {
      const whole = zlib.deflateSync('{"n":1}');
      let thrown = false;
      const { reader, log } = open(MiB, {
        onFrame: () => {
          if (thrown) return;
          thrown = true;
          throw new Error('a plugin bug');
        },
      });
      expect(() => reader.push(Buffer.concat([whole, Buffer.from('junk')]))).toThrow('a plugin bug');
      reader.push(whole);
      expect(log).toEqual(['bytes:{"n":1}', 'error:corrupt:false', 'bytes:{"n":1}']);
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

  return harness;
}
