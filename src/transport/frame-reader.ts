/**
 * What a frame reader is, whatever runtime inflates: the interface, and how a binary frame's form
 * is told apart. Nothing here needs Node; `inflate.ts` is the Node implementation.
 */

/** Why a frame was dropped. */
export interface InflateFailure {
  /** `too-large`: over `maxPayload`, inflated or not. `corrupt`: zlib could not inflate it. */
  readonly reason: 'too-large' | 'corrupt';
  /** One line a person can act on. */
  readonly message: string;
  /**
   * The connection's zlib stream context is broken (a stream-form frame failed): nothing that
   * follows on this connection can be inflated, so the connection must be dropped. The reader
   * has closed itself and calls nothing more.
   */
  readonly fatal: boolean;
}

/** Turns the WebSocket messages of one connection into frames for `decodeFrame`. */
export interface FrameReader {
  /**
   * Push one WebSocket message (string for text, Uint8Array/ArrayBuffer/Buffer for binary).
   * Results come out through the callbacks strictly in push order, even when a stream-form frame
   * inflates asynchronously and a later text frame could be handled at once. The reader keeps a
   * reference to `data` until it has been handled: do not reuse the buffer.
   */
  push(data: string | Uint8Array | ArrayBuffer): void;
  /** Stop: discard pending work, free the zlib context; no callback fires after close(). Idempotent. */
  close(): void;
}

/** Options of `createFrameReader`. */
export interface FrameReaderOptions {
  /**
   * Largest message in bytes (characters for a text frame), inflated or not. A positive safe
   * integer; no default, because a reader without a bound is what a decompression bomb needs.
   */
  readonly maxPayload: number;
  /** One frame: a text frame as it came, a binary frame as (inflated) UTF-8 bytes. */
  readonly onFrame: (frame: string | Uint8Array) => void;
  /** A frame that was dropped, and why. */
  readonly onError: (failure: InflateFailure) => void;
}

/**
 * How a binary frame is to be read:
 * - `zlib-stream`: the next message of the connection's one zlib stream (ends with the sync-flush
 *   marker `00 00 ff ff`);
 * - `zlib`: a complete zlib stream of its own (starts with a zlib header);
 * - `raw`: UTF-8 JSON bytes.
 */
export type BinaryFrameForm = 'zlib-stream' | 'zlib' | 'raw';

/**
 * Tells the form of one binary frame from its first two and last four bytes.
 *
 * The marker is checked first because the first message of a zlib stream also starts with a zlib
 * header. The other way round cannot happen: a complete zlib stream ends with its Adler-32, whose
 * low half is a sum modulo 65521, never 0xffff; so no per-message frame ends with the marker (not
 * even the 1 in 2^32 one might expect). Raw JSON is never mistaken for either: `{` and JSON
 * whitespace are not CM=8 bytes, and 0xff never occurs in UTF-8.
 */
export function binaryFrameForm(bytes: Uint8Array): BinaryFrameForm {
  const n = bytes.length;
  if (n >= 4 && bytes[n - 4] === 0 && bytes[n - 3] === 0 && bytes[n - 2] === 0xff && bytes[n - 1] === 0xff) {
    return 'zlib-stream';
  }
  if (n >= 2 && isZlibHeader(bytes[0] ?? 0, bytes[1] ?? 0)) return 'zlib';
  return 'raw';
}

/**
 * RFC 1950's header check: CM (low nibble of CMF) is 8 for deflate, CINFO (high nibble) at most 7
 * (a window of at most 32 KiB), and CMF·256 + FLG is a multiple of 31.
 */
export function isZlibHeader(cmf: number, flg: number): boolean {
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

/** Checks `maxPayload` once, when a reader is made: a bad bound would fail every frame later. */
export function checkMaxPayload(maxPayload: number): void {
  if (!Number.isSafeInteger(maxPayload) || maxPayload < 1) {
    throw new RangeError(`maxPayload must be a positive integer number of bytes, got ${String(maxPayload)}`);
  }
}
