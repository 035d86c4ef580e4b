import { GatewayError } from '../errors/gateway-error.js';
import type { FrameWriter } from '../transport/connection.js';

/**
 * Frames that `send()` accepted but no ready session could take yet. Bounded: a full queue throws
 * to the caller instead of dropping anything. It survives reconnects; a frame already written to a
 * socket that then died is gone (the protocol has no acknowledgement to replay from).
 */
export class SendQueue {
  #frames: { readonly name: string; readonly text: string }[] = [];

  constructor(private readonly max: number) {}

  /** How many frames wait. */
  get size(): number {
    return this.#frames.length;
  }

  /**
   * Adds an encoded frame of event `name`, or throws `QUEUE_FULL`. With `replace`, frames of the
   * same name still waiting are dropped first (a snapshot makes older ones worthless), so the
   * newest waits at the end and the queue never fills with one name's history.
   */
  push(name: string, text: string, replace: boolean): void {
    if (replace && this.#frames.some((frame) => frame.name === name))
      this.#frames = this.#frames.filter((frame) => frame.name !== name);
    if (this.#frames.length >= this.max) {
      throw new GatewayError(
        'QUEUE_FULL',
        `${this.max} frames are already waiting for a ready session (queue.max)`,
      );
    }
    this.#frames.push({ name, text });
  }

  /** Drops every waiting frame; returns how many there were. */
  clear(): number {
    const dropped = this.#frames.length;
    this.#frames = [];
    return dropped;
  }

  /**
   * Writes frames in order until one cannot be written; that one and the rest stay. Each frame
   * leaves the queue before it is written: a write may call back (the debug trace calls the user's
   * logger) and clear the queue or replace a frame in it, and must find the queue as it is then.
   * (V8 trims an array's front in place, so shift() does not copy the rest.)
   */
  flush(write: FrameWriter): void {
    for (let next = this.#frames.shift(); next !== undefined; next = this.#frames.shift()) {
      if (!write(next.text)) {
        this.#frames.unshift(next);
        return;
      }
    }
  }
}
