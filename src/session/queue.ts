import { GatewayError } from '../errors/gateway-error.js';
import type { FrameWriter } from '../transport/connection.js';

/**
 * Frames that `send()` accepted but no ready session could take yet. Bounded: a full queue throws
 * to the caller instead of dropping anything. It survives reconnects; a frame already written to a
 * socket that then died is gone (the protocol has no acknowledgement to replay from).
 */
export class SendQueue {
  /** Frames before `#head` are written (a flush in progress); the rest wait. */
  #frames: { readonly name: string; readonly text: string }[] = [];
  #head = 0;

  constructor(private readonly max: number) {}

  /** How many frames wait. */
  get size(): number {
    return this.#frames.length - this.#head;
  }

  /**
   * Adds an encoded frame of event `name`, or throws `QUEUE_FULL`. With `replace`, frames of the
   * same name still waiting are dropped first (a snapshot makes older ones worthless), so the
   * newest waits at the end and the queue never fills with one name's history.
   */
  push(name: string, text: string, replace: boolean): void {
    if (replace && this.#waiting().some((frame) => frame.name === name)) {
      this.#frames = this.#waiting().filter((frame) => frame.name !== name);
      this.#head = 0;
    }
    if (this.size >= this.max) {
      throw new GatewayError(
        'QUEUE_FULL',
        `${this.max} frames are already waiting for a ready session (queue.max)`,
      );
    }
    this.#frames.push({ name, text });
  }

  /** Drops every waiting frame; returns how many there were. */
  clear(): number {
    const dropped = this.size;
    this.#frames = [];
    this.#head = 0;
    return dropped;
  }

  /**
   * Writes frames in order until one cannot be written; that one and the rest stay. Each frame
   * leaves the queue (`#head` passes it) before it is written: a write may call back (the debug
   * trace calls the user's logger) and clear the queue or replace a frame in it, and must find the
   * queue as it is then. The written ones are cut off once, at the end: no copy per frame.
   */
  flush(write: FrameWriter): void {
    while (this.#head < this.#frames.length) {
      const next = this.#frames[this.#head] as { readonly text: string };
      this.#head++;
      if (!write(next.text)) {
        // Back in front, unless a callback of the write emptied or rebuilt the queue meanwhile.
        if (this.#frames[this.#head - 1] === next) this.#head--;
        break;
      }
    }
    this.#frames = this.#waiting();
    this.#head = 0;
  }

  /** The frames still waiting (a copy when a flush has passed some). */
  #waiting(): { readonly name: string; readonly text: string }[] {
    return this.#head === 0 ? this.#frames : this.#frames.slice(this.#head);
  }
}
