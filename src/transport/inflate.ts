/**
 * The frame reader for Node. Everything Node-specific about reading frames is in this file; the
 * interface and the reader that keeps push order are in `frame-reader.ts`. A connection that asks
 * for compression imports it dynamically (`connection.ts`; the Node bundles have it inline), one
 * that does not reads with `createPlainFrameReader`, as in the browser build, where this file's
 * twin and pako are a chunk loaded on demand.
 *
 * Each form is read by the engine that measured faster (docs/performance.md, benchmark 7), and both
 * are synchronous: a frame is read before the socket's next event, so a close right behind it
 * cannot overtake it.
 * - A whole zlib stream per frame: node:zlib's `inflateSync`, 1.6–3× pako's rate (rows 7.msg.*.pako).
 * - The connection's one zlib stream: pako (`openPakoStream` of `pako-inflate.ts`, as the browser reader). A
 *   node:zlib stream is asynchronous (a trip to a libuv thread per message): 1.4–9× slower, and a
 *   close could overtake a frame still in zlib, a burst of events hold a heartbeat ACK back.
 */
import { constants as bufferConstants } from 'node:buffer';
import * as zlib from 'node:zlib';
import {
  corruptFailure,
  createOrderedFrameReader,
  inflatedFrame,
  tooLargeFailure,
  type FrameReader,
  type FrameReaderOptions,
  type InflateResult,
} from './frame-reader.js';
import { openPakoStream } from './pako-inflate.js';

export type { FrameReader, FrameReaderOptions, InflateFailure } from './frame-reader.js';

/**
 * Creates the reader for one connection. Text frames and raw binary frames pass through; a binary
 * frame that is a complete zlib stream is inflated at once (`inflateSync`); a frame ending with the
 * sync-flush marker continues the connection's one zlib stream (pako). Everything is synchronous,
 * so results come out in push order; a push from inside a callback waits until that callback has
 * returned. After a fatal failure the reader is closed.
 */
export function createFrameReader(options: FrameReaderOptions): FrameReader {
  return createOrderedFrameReader(options, (maxPayload) => {
    /**
     * Options of every whole frame's `inflateSync`, made once per connection. maxOutputLength makes
     * zlib stop (and throw) as soon as the output passes the bound, so a bomb costs at most
     * maxPayload plus one chunk, never its inflated size. `info` gives the engine too, whose
     * `bytesWritten` is how much of the frame zlib read: it stops at the end of the zlib stream and
     * leaves the rest unread, without a word.
     */
    const wholeOptions = { maxOutputLength: Math.min(maxPayload, MAX_BUFFER), info: true };
    return {
      whole: (bytes) => inflateWholeFrame(bytes, wholeOptions, maxPayload),
      stream: openPakoStream(maxPayload),
    };
  });
}

/** A frame that is a whole zlib stream: inflated at once, bounded by zlib itself. */
function inflateWholeFrame(bytes: Uint8Array, options: zlib.ZlibOptions, maxPayload: number): InflateResult {
  try {
    // @types/node types the result as a Buffer whatever the options; with `info` it is not.
    const { buffer, engine } = zlib.inflateSync(bytes, options) as unknown as InflateInfo;
    return inflatedFrame(buffer, 'zlib', bytes.byteLength, bytes.byteLength - engine.bytesWritten);
  } catch (error) {
    const what = `zlib frame of ${bytes.byteLength} bytes`;
    return codeOf(error) === 'ERR_BUFFER_TOO_LARGE'
      ? tooLargeFailure(what, maxPayload, false)
      : corruptFailure(what, error, false);
  }
}

/** What `inflateSync` returns with `info: true`. */
interface InflateInfo {
  readonly buffer: Buffer;
  readonly engine: zlib.Inflate;
}

/** zlib cannot make a Buffer larger than this; `maxOutputLength` must not be either. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}
