/**
 * The frame reader for Node: inflates `compression=zlib` frames with node:zlib. Everything
 * Node-specific about reading frames is in this file; the interface and the reader that keeps
 * push order are in `frame-reader.ts`.
 */
import { constants as bufferConstants } from 'node:buffer';
import * as zlib from 'node:zlib';
import {
  corruptFailure,
  createOrderedFrameReader,
  endedStreamFailure,
  inflatedFrame,
  tooLargeFailure,
  type FrameReader,
  type FrameReaderOptions,
  type InflateEngine,
  type InflateFailure,
  type InflateResult,
} from './frame-reader.js';

export type { FrameReader, FrameReaderOptions, InflateFailure } from './frame-reader.js';

/**
 * Creates the reader for one connection. Text frames and raw binary frames pass through; a binary
 * frame that is a complete zlib stream is inflated at once (`inflateSync`); a frame ending with
 * the sync-flush marker continues the connection's one zlib stream and is inflated asynchronously,
 * later frames waiting behind it so that order is kept. After a fatal failure the reader is closed.
 */
export function createFrameReader(options: FrameReaderOptions): FrameReader {
  return createOrderedFrameReader(options, openZlibEngine);
}

/** The node:zlib engine of one connection. */
function openZlibEngine(maxPayload: number): InflateEngine {
  /** The connection's zlib stream: made on its first stream-form frame, never shared. */
  let stream: zlib.Inflate | undefined;
  /** The current stream-form message: its inflated chunks, their size, its compressed size. */
  let chunks: Buffer[] = [];
  let inflatedSize = 0;
  let frameSize = 0;
  /** Who waits for the current stream-form message. */
  let done: ((result: InflateResult) => void) | undefined;

  /**
   * Options of every whole frame's `inflateSync`, made once. maxOutputLength makes zlib stop (and
   * throw) as soon as the output passes the bound, so a bomb costs at most maxPayload plus one
   * chunk, never its inflated size. `info` gives the engine too, whose `bytesWritten` is how much
   * of the frame zlib read: it stops at the end of the zlib stream and leaves the rest unread,
   * without a word.
   */
  const wholeOptions = { maxOutputLength: Math.min(maxPayload, MAX_BUFFER), info: true };

  /** A frame that is a whole zlib stream: inflated at once, bounded by zlib itself. */
  function inflateWholeFrame(bytes: Uint8Array): InflateResult {
    try {
      // @types/node types the result as a Buffer whatever the options; with `info` it is not.
      const { buffer, engine } = zlib.inflateSync(bytes, wholeOptions) as unknown as InflateInfo;
      return inflatedFrame(buffer, 'zlib', bytes.byteLength, bytes.byteLength - engine.bytesWritten);
    } catch (error) {
      const what = `zlib frame of ${bytes.byteLength} bytes`;
      return codeOf(error) === 'ERR_BUFFER_TOO_LARGE'
        ? tooLargeFailure(what, maxPayload, false)
        : corruptFailure(what, error, false);
    }
  }

  /**
   * The next message of the connection's zlib stream: write it, then flush with Z_SYNC_FLUSH and
   * take what came out meanwhile, as `ws`'s permessage-deflate does.
   */
  function inflateStreamMessage(bytes: Uint8Array, whenDone: (result: InflateResult) => void): void {
    // A stream that ended (a frame held its Adler-32) reads nothing more: node:zlib would leave
    // every byte unread and the flush would hand out an empty message. When zlib stops taking
    // input, node:zlib ends the readable side; 'end' is out on the next tick, so before the flush
    // of the frame that ended the stream calls back (one more trip to zlib's thread).
    if (stream?.readableEnded === true) {
      whenDone(endedStreamFailure(bytes.byteLength));
      return;
    }
    const inflate = (stream ??= openStream());
    chunks = [];
    inflatedSize = 0;
    frameSize = bytes.byteLength;
    done = whenDone;
    // bytesWritten counts what zlib read: all of the frame, unless the frame ends the zlib stream
    // (zlib reads up to the Adler-32 and leaves the rest, e.g. the marker, unread).
    const readBefore = inflate.bytesWritten;
    inflate.write(bytes);
    inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      // A stream that failed or was closed meanwhile: its error has been reported, or nothing may be.
      if (inflate !== stream) return;
      const message = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, inflatedSize);
      const unread = bytes.byteLength - (inflate.bytesWritten - readBefore);
      chunks = [];
      done = undefined;
      whenDone(inflatedFrame(message, 'zlib-stream', bytes.byteLength, unread));
    });
  }

  function openStream(): zlib.Inflate {
    const inflate = zlib.createInflate();
    inflate.on('data', (chunk: Buffer) => {
      if (inflate !== stream) return;
      inflatedSize += chunk.length;
      // Counted as zlib hands out its chunks (16 KiB each), so a bomb is cut off at maxPayload
      // plus one chunk; waiting for the flush to measure would hold the whole inflated message.
      if (inflatedSize > maxPayload) {
        fatal(tooLargeFailure(`zlib-stream message of ${frameSize} bytes`, maxPayload, true));
      } else {
        chunks.push(chunk);
      }
    });
    // Stays bound after the stream is dropped: a late 'error' from a destroyed stream is ignored
    // here rather than thrown as an unhandled 'error' event.
    inflate.on('error', (error) => {
      if (inflate === stream) fatal(corruptFailure(`zlib-stream message of ${frameSize} bytes`, error, true));
    });
    return inflate;
  }

  /** The stream context is broken: every later stream-form frame depends on it. */
  function fatal(failure: InflateFailure): void {
    const report = done;
    close();
    report?.(failure);
  }

  function close(): void {
    chunks = [];
    done = undefined;
    const inflate = stream;
    stream = undefined;
    // destroy() stops zlib between chunks (its callback checks `destroyed`) and frees the context.
    inflate?.destroy();
  }

  return { whole: inflateWholeFrame, stream: inflateStreamMessage, close };
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
