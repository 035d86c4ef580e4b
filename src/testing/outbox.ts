import WebSocket from 'ws';
import type { FrameCompressor } from './compression.js';

/**
 * Everything one connection sends, in order. Compression is asynchronous in the stream form, so
 * frames, raw frames and the closing step all pass through one queue: an error frame can never
 * overtake the ACK before it, and a close never overtakes the error frame it follows.
 */
export interface Outbox {
  /**
   * Sends a frame's JSON: a text frame, or a compressed binary frame. Resolves whether it went out.
   * An `own` frame (one the gateway sends by itself) is not queued, and resolves `false`, once the
   * own frames waiting would pass the limit: see {@link createOutbox}.
   */
  frame(json: string, own?: boolean): Promise<boolean>;
  /** Sends `data` as given: a string as a text frame, bytes as a binary frame, never compressed. */
  raw(data: string | Uint8Array): Promise<boolean>;
  /** Runs `step` after everything queued so far has gone out. */
  after(step: () => void): Promise<void>;
}

/** What an outbox does when a client leaves too much unread. */
export interface OutboxLimit {
  /** The most bytes of own frames that may wait in the queue. */
  readonly bytes: number;
  /** Called (once) instead of queueing the own frame that would pass `bytes`. */
  overflow(): void;
}

/**
 * An outbox for `socket`; `compressor` is `undefined` when the client did not ask for zlib.
 *
 * Each frame waits for the previous one's write callback, which ws calls once the bytes are in the
 * kernel: for a client that does not read, the kernel's buffers fill, the callback stops coming and
 * frames pile up here, while ws's `bufferedAmount` holds at most the one frame being written. So the
 * limit is on this queue: past `limit.bytes` of the gateway's own frames waiting in it (ACKs,
 * broadcasts: what a client can make the gateway send without reading any of it), the next own
 * frame is refused and `limit.overflow()` is called. Frames a test sends itself always go in and do
 * not count: a test that sends a client 5 MB on purpose must not see its connection closed for it.
 */
export function createOutbox(
  socket: WebSocket,
  compressor: FrameCompressor | undefined,
  limit: OutboxLimit,
): Outbox {
  let queue: Promise<unknown> = Promise.resolve();
  /** Own frames' bytes (UTF-16 units, near enough) queued and not yet handed to ws. */
  let waiting = 0;
  let overflowed = false;

  function enqueue<T>(size: number, step: () => Promise<T>): Promise<T> {
    waiting += size;
    const result = queue.then(step).finally(() => {
      waiting -= size;
    });
    queue = result.catch(() => undefined);
    return result;
  }

  function write(data: string | Buffer | Uint8Array, binary: boolean): Promise<boolean> {
    if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => {
      socket.send(data, { binary }, (error) => {
        // ws passes `null` or nothing on success, depending on the path the write took.
        resolve(!error);
      });
    });
  }

  return {
    frame(json, own = false) {
      if (own && (overflowed || waiting + json.length > limit.bytes)) {
        if (!overflowed) {
          overflowed = true;
          limit.overflow();
        }
        return Promise.resolve(false);
      }
      return enqueue(own ? json.length : 0, async () => {
        if (compressor === undefined) return write(json, false);
        if (socket.readyState !== WebSocket.OPEN) return false;
        const bytes = await compressor.compress(json).catch(() => undefined);
        return bytes === undefined ? false : write(bytes, true);
      });
    },
    raw: (data) => enqueue(0, () => write(data, typeof data !== 'string')),
    after: (step) =>
      enqueue(0, () => {
        step();
        return Promise.resolve();
      }),
  };
}
