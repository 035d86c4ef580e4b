/**
 * The browser frame reader (pako for both forms), under Node, with the cases every reader passes
 * (test/transport/frame-reader-cases.ts): Node has the globals it uses (Uint8Array, TextDecoder).
 * Then the same results as the Node reader, which reads whole frames with node:zlib instead, for
 * any mix of frames.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { createFrameReader } from '../../src/transport/inflate.browser.js';
import { createFrameReader as createNodeFrameReader } from '../../src/transport/inflate.js';
import {
  defineFrameReaderTests,
  deflateStream,
  marker,
  readerHarness,
} from '../transport/frame-reader-cases.js';

const { open } = defineFrameReaderTests({ name: 'pako', createFrameReader });

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
          // Both readers are synchronous: everything is out already.
          expect(browser.log).toEqual(node.log);
          browser.reader.close();
          node.reader.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
