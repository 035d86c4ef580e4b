/**
 * The frame reader for Node: inflates `compression=zlib` frames with node:zlib. Everything
 * Node-specific about reading frames is in this file; the interface is in `frame-reader.ts`.
 */
import { constants as bufferConstants } from 'node:buffer';
import * as zlib from 'node:zlib';
import {
  binaryFrameForm,
  checkMaxPayload,
  type FrameReader,
  type FrameReaderOptions,
  type InflateFailure,
} from './frame-reader.js';

export type { FrameReader, FrameReaderOptions, InflateFailure } from './frame-reader.js';

/**
 * Creates the reader for one connection. Text frames and raw binary frames pass through; a binary
 * frame that is a complete zlib stream is inflated at once (`inflateSync`); a frame ending with
 * the sync-flush marker continues the connection's one zlib stream and is inflated asynchronously,
 * later frames waiting behind it so that order is kept. After a fatal failure the reader is closed.
 */
export function createFrameReader(options: FrameReaderOptions): FrameReader {
  const { maxPayload, onFrame, onError } = options;
  checkMaxPayload(maxPayload);
  const overMax = `is larger than maxPayload (${maxPayload} bytes)`;

  /** Frames pushed while an earlier one was still being handled, in push order. */
  const waiting: (string | Uint8Array | ArrayBuffer)[] = [];
  /** Inside a callback: a push from there must wait, or it would overtake the frames queued. */
  let handling = false;
  /** A stream-form message is in zlib; everything pushed meanwhile waits. */
  let inflating = false;
  let closed = false;

  /** The connection's zlib stream: made on its first stream-form frame, never shared. */
  let stream: zlib.Inflate | undefined;
  /** The current stream-form message: its inflated chunks, their size, its compressed size. */
  let chunks: Buffer[] = [];
  let inflatedSize = 0;
  let frameSize = 0;

  function push(data: string | Uint8Array | ArrayBuffer): void {
    if (closed) return;
    if (handling || inflating || waiting.length > 0) {
      waiting.push(data);
      drain();
      return;
    }
    // The fast path: nothing pending, so a text frame goes straight to onFrame.
    handleOne(data);
    drain();
  }

  /** Handles waiting frames in order until one has to wait for zlib, or none is left. */
  function drain(): void {
    while (!handling && !inflating && !closed) {
      const next = waiting.shift();
      if (next === undefined) return;
      handleOne(next);
    }
  }

  function handleOne(data: string | Uint8Array | ArrayBuffer): void {
    // try/finally: a callback that throws must not leave the reader stuck in `handling`; the
    // frames behind it are handled at the next push, still in order.
    handling = true;
    try {
      handle(data);
    } finally {
      handling = false;
    }
  }

  function handle(data: string | Uint8Array | ArrayBuffer): void {
    if (typeof data === 'string') {
      if (data.length <= maxPayload) onFrame(data);
      else onError(failure('too-large', `text frame of ${data.length} characters ${overMax}`, false));
      return;
    }
    const bytes = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
    switch (binaryFrameForm(bytes)) {
      case 'zlib-stream':
        inflateStreamMessage(bytes);
        return;
      case 'zlib':
        inflateWholeFrame(bytes);
        return;
      case 'raw':
        if (bytes.byteLength <= maxPayload) onFrame(bytes);
        else onError(failure('too-large', `binary frame of ${bytes.byteLength} bytes ${overMax}`, false));
        return;
    }
  }

  /** A frame that is a whole zlib stream: inflated at once, bounded by zlib itself. */
  function inflateWholeFrame(bytes: Uint8Array): void {
    let inflated: Buffer;
    try {
      // maxOutputLength makes zlib stop (and throw) as soon as the output passes the bound, so a
      // bomb costs at most maxPayload plus one chunk, never its inflated size.
      inflated = zlib.inflateSync(bytes, { maxOutputLength: Math.min(maxPayload, MAX_BUFFER) });
    } catch (error) {
      const what = `zlib frame of ${bytes.byteLength} bytes`;
      onError(
        codeOf(error) === 'ERR_BUFFER_TOO_LARGE'
          ? failure('too-large', `${what} inflates to more than maxPayload (${maxPayload} bytes)`, false)
          : failure('corrupt', `${what} is corrupt: ${messageOf(error)}`, false),
      );
      return;
    }
    onFrame(inflated);
  }

  /**
   * The next message of the connection's zlib stream: write it, then flush with Z_SYNC_FLUSH and
   * take what came out meanwhile, as `ws`'s permessage-deflate does.
   */
  function inflateStreamMessage(bytes: Uint8Array): void {
    const inflate = (stream ??= openStream());
    inflating = true;
    chunks = [];
    inflatedSize = 0;
    frameSize = bytes.byteLength;
    inflate.write(bytes);
    inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      // A stream that failed or was closed meanwhile: its error has been reported, or nothing may be.
      if (inflate !== stream || closed) return;
      const message = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, inflatedSize);
      chunks = [];
      inflating = false;
      handling = true;
      try {
        onFrame(message);
      } finally {
        handling = false;
      }
      drain();
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
        fatal(
          'too-large',
          `zlib-stream message of ${frameSize} bytes inflates to more than maxPayload (${maxPayload} bytes)`,
        );
      } else {
        chunks.push(chunk);
      }
    });
    // Stays bound after the stream is dropped: a late 'error' from a destroyed stream is ignored
    // here rather than thrown as an unhandled 'error' event.
    inflate.on('error', (error) => {
      if (inflate === stream)
        fatal('corrupt', `zlib-stream message of ${frameSize} bytes is corrupt: ${messageOf(error)}`);
    });
    return inflate;
  }

  /** The stream context is broken: every later stream-form frame depends on it. */
  function fatal(reason: InflateFailure['reason'], message: string): void {
    close();
    onError(failure(reason, `${message}; the connection's zlib stream is broken`, true));
  }

  function close(): void {
    if (closed) return;
    closed = true;
    waiting.length = 0;
    chunks = [];
    const inflate = stream;
    stream = undefined;
    // destroy() stops zlib between chunks (its callback checks `destroyed`) and frees the context.
    inflate?.destroy();
  }

  return { push, close };
}

/** zlib cannot make a Buffer larger than this; `maxOutputLength` must not be either. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

function failure(reason: InflateFailure['reason'], message: string, fatal: boolean): InflateFailure {
  return { reason, message, fatal };
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** zlib's messages are one line already; a message must stay one line whatever zlib says. */
function messageOf(error: unknown): string {
  // Duck-typed: under test runners, Node's errors come from another realm than `Error`.
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
  return String(message).replace(/\s+/g, ' ');
}
