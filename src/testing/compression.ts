import { constants, createDeflate, deflateSync } from 'node:zlib';
import type { CompressionForm } from './defaults.js';

/** Compresses what one connection sends. Each connection gets its own: a zlib context is per socket. */
export interface FrameCompressor {
  /** The bytes of one binary frame carrying `text`. Calls complete in the order they were made. */
  compress(text: string): Promise<Buffer>;
  /** Frees the zlib context. Idempotent. */
  close(): void;
}

/** The marker a Z_SYNC_FLUSH leaves at the end of each message: an empty stored block. */
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** A compressor for `form`. */
export function createFrameCompressor(form: CompressionForm): FrameCompressor {
  return form === 'stream' ? createStreamCompressor() : perMessageCompressor;
}

/** Each message a complete zlib stream: no state, so one instance serves every connection. */
const perMessageCompressor: FrameCompressor = {
  compress: (text) => Promise.resolve(deflateSync(text)),
  close: () => undefined,
};

/**
 * One zlib stream for the whole connection. A message's output is complete when the flush callback
 * has run *and* the collected bytes end with the sync-flush marker: Node does not promise that every
 * `data` event of a flush comes before its callback, and a message cut in two would not inflate.
 * Messages are compressed one at a time so their bytes cannot interleave.
 */
function createStreamCompressor(): FrameCompressor {
  const deflate = createDeflate();
  let chunks: Buffer[] = [];
  let current: { finish: () => void; reject: (error: Error) => void } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  deflate.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    current?.finish();
  });
  // A closed context errors on late writes; the connection is gone then and nobody waits for them.
  deflate.on('error', () => undefined);

  function compressNow(text: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (closed) {
        reject(new Error('the connection is closed'));
        return;
      }
      let flushed = false;
      const finish = (): void => {
        const out = Buffer.concat(chunks);
        if (!flushed || !endsWithMarker(out)) return;
        chunks = [];
        current = undefined;
        resolve(out);
      };
      current = { finish, reject };
      deflate.write(text);
      deflate.flush(constants.Z_SYNC_FLUSH, () => {
        flushed = true;
        finish();
      });
    });
  }

  return {
    compress(text) {
      const result = queue.then(() => compressNow(text));
      queue = result.catch(() => undefined);
      return result;
    },
    close() {
      if (closed) return;
      closed = true;
      // A flush in flight may never call back once the context is closed: fail it instead of hanging.
      current?.reject(new Error('the connection is closed'));
      current = undefined;
      deflate.close();
    },
  };
}

function endsWithMarker(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(bytes.length - 4).equals(SYNC_FLUSH_MARKER);
}
