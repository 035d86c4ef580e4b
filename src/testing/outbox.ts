import WebSocket from 'ws';
import type { FrameCompressor } from './compression.js';

/**
 * Everything one connection sends, in order. Compression is asynchronous in the stream form, so
 * frames, raw frames and the closing step all pass through one queue: an error frame can never
 * overtake the ACK before it, and a close never overtakes the error frame it follows.
 */
export interface Outbox {
  /** Sends a frame's JSON: a text frame, or a compressed binary frame. Resolves whether it went out. */
  frame(json: string): Promise<boolean>;
  /** Sends `data` as given: a string as a text frame, bytes as a binary frame, never compressed. */
  raw(data: string | Uint8Array): Promise<boolean>;
  /** Runs `step` after everything queued so far has gone out. */
  after(step: () => void): Promise<void>;
}

/** An outbox for `socket`; `compressor` is `undefined` when the client did not ask for zlib. */
export function createOutbox(socket: WebSocket, compressor: FrameCompressor | undefined): Outbox {
  let queue: Promise<unknown> = Promise.resolve();

  function enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = queue.then(step);
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
    frame: (json) =>
      enqueue(async () => {
        if (compressor === undefined) return write(json, false);
        if (socket.readyState !== WebSocket.OPEN) return false;
        const bytes = await compressor.compress(json).catch(() => undefined);
        return bytes === undefined ? false : write(bytes, true);
      }),
    raw: (data) => enqueue(() => write(data, typeof data !== 'string')),
    after: (step) =>
      enqueue(() => {
        step();
        return Promise.resolve();
      }),
  };
}
