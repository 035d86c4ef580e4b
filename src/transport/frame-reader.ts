/**
 * What a frame reader is, whatever runtime inflates: the interface, how a binary frame's form is
 * told apart, the one reader that keeps push order over an `InflateEngine`, and the plain reader of
 * a connection that did not ask for compression. Nothing here needs Node or zlib: `inflate.ts`
 * (Node: node:zlib for whole frames, pako for the stream form) and `inflate.browser.ts` (pako) are
 * the engines, loaded only by a connection that asks for compression (`connection.ts`), so the
 * browser build keeps pako out of a page that never asks. Every engine is synchronous, so a frame is
 * read before the socket's next event (a close, say) is handled.
 */

/** Why a frame was dropped. */
export interface InflateFailure {
  /**
   * `too-large`: over `maxPayload`, inflated or not. `corrupt`: zlib could not inflate it.
   * `not-asked`: compressed, on a connection that did not ask for compression (`createPlainFrameReader`).
   */
  readonly reason: 'too-large' | 'corrupt' | 'not-asked';
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
   * Push one WebSocket message (string for text, Uint8Array/ArrayBuffer/Buffer for binary). Its
   * result comes out through the callbacks before `push` returns, inflated or not; a push from
   * inside a callback waits until that callback has returned, so results come out strictly in push
   * order. The reader keeps a reference to `data` until it has been handled: do not reuse the
   * buffer.
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

/**
 * What an engine makes of one binary frame: its inflated bytes, or why it was dropped, or (rarely)
 * its inflated bytes and then a failure (`FrameThenFailure`).
 */
export type InflateResult = Uint8Array | InflateFailure | FrameThenFailure;

/**
 * A frame whose message inflated whole but that failed after it (bytes left unread after the end
 * of its zlib stream, `inflatedFrame`): the message comes out first, it was valid, then the
 * failure. An object of its own, made only then, so the common results stay allocation-free.
 */
export interface FrameThenFailure {
  readonly frame: Uint8Array;
  readonly failure: InflateFailure;
}

/**
 * What a runtime does for the reader: zlib, and nothing else, synchronously. The order of results,
 * the bound on frames that need no inflating and the callbacks are the reader's. An engine holds
 * no native resource: the reader drops it when it closes.
 */
export interface InflateEngine {
  /**
   * A binary frame that is a complete zlib stream of its own, inflated at once: its bytes, or why
   * it was dropped (not fatal: no other frame depends on it), or its bytes and then why the rest of
   * the frame was lost (`inflatedFrame`).
   */
  whole(bytes: Uint8Array): InflateResult;
  /**
   * The next message of the connection's one zlib stream, inflated at once: its bytes, or why it
   * failed (fatal: the reader closes and never calls the engine again). A message that ends the
   * stream with more than the sync-flush marker after it gives the message and then a fatal
   * failure (`inflatedFrame`); a message after the end of the stream fails with
   * `endedStreamFailure`.
   */
  stream(bytes: Uint8Array): InflateResult;
}

/**
 * The reader for one connection over the engine `openEngine` makes for it. Text frames and raw
 * binary frames pass through; the engine inflates the rest. Every frame is handled before `push`
 * returns, except one pushed from inside a callback: it waits until that callback has returned, so
 * results come out in push order. After a fatal failure the reader is closed.
 */
export function createOrderedFrameReader(
  options: FrameReaderOptions,
  openEngine: (maxPayload: number) => InflateEngine,
): FrameReader {
  return new OrderedFrameReader(options, openEngine);
}

/**
 * `createOrderedFrameReader`'s reader. A class: one per connection, and its methods live once on
 * the prototype instead of as closures per connection (heap per client, docs/performance.md).
 */
class OrderedFrameReader implements FrameReader {
  readonly #maxPayload: number;
  readonly #onFrame: (frame: string | Uint8Array) => void;
  readonly #onError: (failure: InflateFailure) => void;
  /**
   * Opened at the first compressed frame: most connections never send one, and an engine is
   * closures per connection (and, from the first stream-form frame, a zlib context).
   */
  #opened: InflateEngine | undefined;
  /**
   * Frames pushed from inside a callback, in push order, or left behind by a callback that threw
   * (handled at the next push).
   */
  readonly #waiting: (string | Uint8Array | ArrayBuffer)[] = [];
  /** Inside a callback: a push from there must wait, or it would overtake the frame being handled. */
  #handling = false;
  #closed = false;

  readonly #openEngine: (maxPayload: number) => InflateEngine;

  constructor(options: FrameReaderOptions, openEngine: (maxPayload: number) => InflateEngine) {
    checkMaxPayload(options.maxPayload);
    this.#openEngine = openEngine;
    this.#maxPayload = options.maxPayload;
    this.#onFrame = options.onFrame;
    this.#onError = options.onError;
  }

  push(data: string | Uint8Array | ArrayBuffer): void {
    if (this.#closed) return;
    if (this.#handling || this.#waiting.length > 0) {
      this.#waiting.push(data);
      this.#drain();
      return;
    }
    // The fast path: nothing pending, so the frame is handled at once. Only frames its callbacks
    // pushed can be waiting now.
    this.#handleOne(data);
    if (this.#waiting.length > 0) this.#drain();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiting.length = 0;
    // Frees the zlib context: an engine holds nothing that needs closing.
    this.#opened = undefined;
  }

  #engine(): InflateEngine {
    return (this.#opened ??= this.#openEngine(this.#maxPayload));
  }

  /** Handles waiting frames in order until none is left; nothing, from inside a callback. */
  #drain(): void {
    while (!this.#handling && !this.#closed) {
      const next = this.#waiting.shift();
      if (next === undefined) return;
      this.#handleOne(next);
    }
  }

  #handleOne(data: string | Uint8Array | ArrayBuffer): void {
    // try/finally: a callback that throws must not leave the reader stuck in `handling`; the
    // frames behind it are handled at the next push, still in order.
    this.#handling = true;
    try {
      this.#handle(data);
    } finally {
      this.#handling = false;
    }
  }

  #handle(data: string | Uint8Array | ArrayBuffer): void {
    const maxPayload = this.#maxPayload;
    if (typeof data === 'string') {
      if (data.length <= maxPayload) this.#onFrame(data);
      else
        this.#onError(
          frameFailure('too-large', `text frame of ${data.length} characters ${overMax(maxPayload)}`, false),
        );
      return;
    }
    const bytes = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
    switch (binaryFrameForm(bytes)) {
      case 'zlib-stream':
        this.#deliver(this.#engine().stream(bytes));
        return;
      case 'zlib':
        this.#deliver(this.#engine().whole(bytes));
        return;
      case 'raw':
        if (bytes.byteLength <= maxPayload) this.#onFrame(bytes);
        else
          this.#onError(
            frameFailure(
              'too-large',
              `binary frame of ${bytes.byteLength} bytes ${overMax(maxPayload)}`,
              false,
            ),
          );
        return;
    }
  }

  #deliver(result: InflateResult): void {
    if (result instanceof Uint8Array) {
      this.#onFrame(result);
      return;
    }
    if ('failure' in result) {
      // The message was whole: out it comes, then the failure, also when onFrame throws; unless
      // onFrame closed the reader. What onFrame pushes waits behind the failure (in vain if fatal).
      try {
        this.#onFrame(result.frame);
      } finally {
        if (!this.#closed) this.#fail(result.failure);
      }
      return;
    }
    this.#fail(result);
  }

  #fail(failure: InflateFailure): void {
    // A fatal failure: the stream context is broken, so close first; onError may push, in vain.
    if (failure.fatal) this.close();
    this.#onError(failure);
  }
}

function overMax(maxPayload: number): string {
  return `is larger than maxPayload (${maxPayload} bytes)`;
}

/**
 * The reader of a connection that did not ask for compression: text and raw binary frames as
 * `createOrderedFrameReader` reads them, and no zlib engine (in the browser build, pako is not even
 * loaded). A compressed frame is dropped as `not-asked`, worded alike in every runtime: a whole zlib
 * frame is reported and the connection goes on, as a corrupt one would; a stream-form message is
 * fatal, as a corrupt one is, since every later message of that stream is unreadable too (a new
 * connection starts afresh).
 */
export function createPlainFrameReader(options: FrameReaderOptions): FrameReader {
  return createOrderedFrameReader(options, openRefusingEngine);
}

/** The engine of `createPlainFrameReader`: one object for every connection, as it keeps no state. */
const refusingEngine: InflateEngine = {
  whole: (bytes) => notAskedFailure(`zlib frame of ${bytes.byteLength} bytes`, false),
  stream: (bytes) => notAskedFailure(`zlib-stream message of ${bytes.byteLength} bytes`, true),
};
const openRefusingEngine = (): InflateEngine => refusingEngine;

function notAskedFailure(what: string, fatal: boolean): InflateFailure {
  const rest = fatal ? "; no later message of the connection's zlib stream can be read either" : '';
  return {
    reason: 'not-asked',
    message: `${what} is compressed, but compression was not asked for (set the compression option to 'zlib')${rest}`,
    fatal,
  };
}

/**
 * One dropped frame. A fatal failure says why the connection must go: every later stream-form
 * frame depends on the broken stream context.
 */
export function frameFailure(
  reason: InflateFailure['reason'],
  message: string,
  fatal: boolean,
): InflateFailure {
  return { reason, message: fatal ? `${message}; the connection's zlib stream is broken` : message, fatal };
}

/** `what` (e.g. `zlib frame of 12 bytes`) inflated past `maxPayload`, worded alike in every runtime. */
export function tooLargeFailure(what: string, maxPayload: number, fatal: boolean): InflateFailure {
  return frameFailure('too-large', `${what} inflates to more than maxPayload (${maxPayload} bytes)`, fatal);
}

/** `what` could not be inflated; `cause` is what zlib or pako threw or said. */
export function corruptFailure(what: string, cause: unknown, fatal: boolean): InflateFailure {
  return frameFailure('corrupt', `${what} is corrupt: ${oneLine(cause)}`, fatal);
}

/**
 * A stream-form message of `frameSize` bytes after the connection's zlib stream ended (an earlier
 * frame held its Adler-32). An ended stream takes no more input, so this message and every later
 * one cannot be read: fatal, worded alike in every runtime.
 */
export function endedStreamFailure(frameSize: number): InflateFailure {
  return frameFailure(
    'corrupt',
    `zlib-stream message of ${frameSize} bytes follows the end of the connection's zlib stream`,
    true,
  );
}

/** The sync-flush marker `00 00 ff ff` that ends every stream-form frame. */
const SYNC_FLUSH_MARKER_LENGTH = 4;

/**
 * What a frame whose message inflated whole gives, told how many of its `frameSize` bytes zlib
 * left unread: 0, unless the frame held the end of its zlib stream (the Adler-32) with bytes after
 * it, which zlib never reads. A stream-form frame's sync-flush marker after the end is no loss
 * (`endedStreamFailure` stops what follows); any other byte is data nobody would read, so the
 * message comes out (it was valid) and then `unreadAfterEndFailure`. The common case, nothing
 * unread, is `message` itself: no allocation.
 */
export function inflatedFrame(
  message: Uint8Array,
  form: 'zlib' | 'zlib-stream',
  frameSize: number,
  unread: number,
): InflateResult {
  const lost = form === 'zlib-stream' ? unread - SYNC_FLUSH_MARKER_LENGTH : unread;
  if (lost <= 0) return message;
  return { frame: message, failure: unreadAfterEndFailure(form, frameSize, lost) };
}

/**
 * A frame of `frameSize` bytes held the end of its zlib stream and then `lost` bytes that zlib left
 * unread (a stream-form frame's sync-flush marker not counted): e.g. two zlib streams in one frame.
 * Fatal in the stream form, as the connection's stream has ended (a new connection starts a new
 * one); not in the whole-frame form, where each frame is a stream of its own. Worded alike in every
 * runtime.
 */
export function unreadAfterEndFailure(
  form: 'zlib' | 'zlib-stream',
  frameSize: number,
  lost: number,
): InflateFailure {
  return form === 'zlib'
    ? frameFailure(
        'corrupt',
        `zlib frame of ${frameSize} bytes has ${lost} bytes after the end of its zlib stream, left unread`,
        false,
      )
    : frameFailure(
        'corrupt',
        `zlib-stream message of ${frameSize} bytes has ${lost} bytes after the end of the connection's ` +
          'zlib stream (before its sync-flush marker), left unread',
        true,
      );
}

/** zlib's and pako's messages are one line already; a message must stay one line whatever they say. */
function oneLine(error: unknown): string {
  // Duck-typed: under test runners, Node's errors come from another realm than `Error`.
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
  return String(message).replace(/\s+/g, ' ');
}

/** Checks `maxPayload` once, when a reader is made: a bad bound would fail every frame later. */
export function checkMaxPayload(maxPayload: number): void {
  if (!Number.isSafeInteger(maxPayload) || maxPayload < 1) {
    throw new RangeError(`maxPayload must be a positive integer number of bytes, got ${String(maxPayload)}`);
  }
}
