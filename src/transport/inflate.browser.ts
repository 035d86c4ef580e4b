/**
 * The frame reader for browsers: the same reader as `inflate.ts` (the one in `frame-reader.ts`),
 * inflating both forms with pako (`pako-inflate.ts`). The browser bundle puts this file in place of
 * `inflate.ts` (scripts/build.mjs). Only a connection that asks for compression imports it, and
 * dynamically (`connection.ts`), before its socket opens: in dist/browser it is a chunk of its own
 * with pako, which a page whose client never asks never loads.
 */
import { createOrderedFrameReader, type FrameReader, type FrameReaderOptions } from './frame-reader.js';
import { inflatePakoFrame, openPakoStream } from './pako-inflate.js';

export type { FrameReader, FrameReaderOptions, InflateFailure } from './frame-reader.js';

/**
 * Creates the reader for one connection. Text frames and raw binary frames pass through; a binary
 * frame that is a complete zlib stream is inflated with an `Inflate` of its own; a frame ending
 * with the sync-flush marker continues the connection's one zlib stream. Everything is synchronous,
 * so results come out in push order; a push from inside a callback waits until that callback has
 * returned. After a fatal failure the reader is closed.
 */
export function createFrameReader(options: FrameReaderOptions): FrameReader {
  return createOrderedFrameReader(options, (maxPayload) => ({
    whole: (bytes) => inflatePakoFrame(bytes, maxPayload),
    stream: openPakoStream(maxPayload),
  }));
}
