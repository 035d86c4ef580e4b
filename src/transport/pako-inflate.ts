/**
 * pako's `Inflate`, bounded: the one zlib engine of the browser reader, and the stream-form engine of
 * the Node reader (`inflate.ts`), so both runtimes read the connection's one zlib stream alike.
 *
 * Why pako (measured in docs/browser.md and docs/performance.md, benchmark 7): its `Inflate` is
 * synchronous, hands out every byte up to a Z_SYNC_FLUSH point before `push` returns, checks the
 * Adler-32, and gives its output in `chunkSize` pieces through `onData`, so throwing there stops a
 * bomb after maxPayload plus one chunk. fflate gives a whole push's output in one piece (a 100 KiB
 * bomb is 100 MiB before it can be looked at) and skips the Adler-32; DecompressionStream and a
 * node:zlib stream are asynchronous. Synchronous matters: a frame is read before the socket's next
 * event, so a close right behind it cannot overtake it.
 */
import { Inflate, Z_BUF_ERROR, Z_FINISH, Z_SYNC_FLUSH, type ZStream } from 'pako';
import {
  corruptFailure,
  endedStreamFailure,
  inflatedFrame,
  tooLargeFailure,
  type InflateResult,
} from './frame-reader.js';

/** The size of pako's output pieces: the bound is checked after each, so it is also the overshoot. */
const CHUNK_SIZE = 16 * 1024;

/** A frame that is a whole zlib stream: a fresh `Inflate`, run to the end (Z_FINISH). */
export function inflatePakoFrame(bytes: Uint8Array, maxPayload: number): InflateResult {
  const inflater = openInflate();
  const result = inflate(inflater, bytes, Z_FINISH, maxPayload);
  if (result instanceof Uint8Array) return inflatedFrame(result, 'zlib', bytes.byteLength, inflater.unread);
  const what = `zlib frame of ${bytes.byteLength} bytes`;
  if (result.reason === 'too-large') return tooLargeFailure(what, maxPayload, false);
  return corruptFailure(what, result.cause, false);
}

/**
 * The connection's one zlib stream, read with pako: gives the function that inflates its next
 * message (everything up to the sync-flush marker) before it returns. The `Inflate` is made on the
 * first stream-form frame and never shared; pako holds no native resource, so dropping the function
 * frees it. After a failure (fatal) the function must not be called again.
 */
export function openPakoStream(maxPayload: number): (bytes: Uint8Array) => InflateResult {
  let stream: ZlibInflate | undefined;
  return (bytes) => {
    // A stream that ended (a frame held its Adler-32) gives nothing more: pako would return
    // `true` with no output, and the message would vanish without a word.
    if (stream?.ended === true) return endedStreamFailure(bytes.byteLength);
    const inflater = (stream ??= openInflate());
    const result = inflate(inflater, bytes, Z_SYNC_FLUSH, maxPayload);
    if (result instanceof Uint8Array) {
      return inflatedFrame(result, 'zlib-stream', bytes.byteLength, inflater.unread);
    }
    const what = `zlib-stream message of ${bytes.byteLength} bytes`;
    if (result.reason === 'too-large') return tooLargeFailure(what, maxPayload, true);
    return corruptFailure(what, result.cause, true);
  };
}

/**
 * pako's `Inflate`, keeping the zlib stream state it hands to `onStart` (its documented way to that
 * state) to tell how much of a push zlib left unread.
 */
class ZlibInflate extends Inflate {
  private zstream: ZStream | undefined;

  override onStart(strm: ZStream): void {
    this.zstream = strm;
  }

  /**
   * Bytes of the last push left unread: 0 once `push` returns true, unless the push held the end
   * of the zlib stream with bytes after it (pako stops at the Adler-32 and reads no further).
   */
  get unread(): number {
    return this.zstream?.avail_in ?? 0;
  }
}

/** zlib streams only (windowBits 15, no gzip detection), as node:zlib's `createInflate` reads. */
function openInflate(): ZlibInflate {
  return new ZlibInflate({ windowBits: 15, chunkSize: CHUNK_SIZE });
}

/** Thrown from `onData` to stop pako mid-push: the only way out of its inflate loop. */
const overBudget = new Error('over maxPayload');

/**
 * Pushes one frame through `inflater` and returns what came out, or why it failed. `onData` counts
 * each piece as pako hands it out and stops at once past `maxPayload`, so a bomb costs at most
 * maxPayload plus one piece, never its inflated size. A stopped `Inflate` must not be used again.
 */
function inflate(
  inflater: Inflate,
  bytes: Uint8Array,
  flush: typeof Z_FINISH | typeof Z_SYNC_FLUSH,
  maxPayload: number,
): Uint8Array | { reason: 'too-large' } | { reason: 'corrupt'; cause: unknown } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  inflater.onData = (chunk) => {
    size += chunk.byteLength;
    if (size > maxPayload) throw overBudget;
    chunks.push(chunk);
  };
  let ok: boolean;
  try {
    ok = inflater.push(bytes, flush);
  } catch (error) {
    if (error === overBudget) return { reason: 'too-large' };
    return { reason: 'corrupt', cause: error };
  }
  if (!ok) {
    // Z_BUF_ERROR at Z_FINISH: the input ran out before the stream's end (pako says "buffer error").
    return {
      reason: 'corrupt',
      cause: inflater.err === Z_BUF_ERROR ? 'unexpected end of file' : inflater.msg,
    };
  }
  return join(chunks, size);
}

/**
 * One message from pako's pieces. Always a copy of exactly `size` bytes: a piece is a view into a
 * 16 KiB buffer, which a 9-byte heartbeat ACK should not keep alive.
 */
function join(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const message = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    message.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return message;
}
