import { GatewayError } from '../errors/gateway-error.js';
import type { FrameWriter } from '../transport/connection.js';

/**
 * Frames that `send()` accepted but no ready session could take yet. Bounded: a full queue throws
 * to the caller instead of dropping anything. It survives reconnects; a frame already written to a
 * socket that then died is gone (the protocol has no acknowledgement to replay from).
 */
export interface SendQueue {
  readonly size: number;
  /** Adds an encoded frame, or throws `QUEUE_FULL`. */
  push(text: string): void;
  /** Writes frames in order until one cannot be written; that one and the rest stay. */
  flush(write: FrameWriter): void;
}

/** A {@link SendQueue} holding at most `max` frames. */
export function createSendQueue(max: number): SendQueue {
  return new BoundedQueue(max);
}

// A class, not an object literal: V8 keeps a literal with a getter in dictionary mode (~250 B more
// per client, measured in a heap snapshot), and a client holds one queue for its whole life.
class BoundedQueue implements SendQueue {
  // A ring of indices would avoid shift()'s copying, but a flush empties the array in one go.
  private frames: string[] = [];

  constructor(private readonly max: number) {}

  get size(): number {
    return this.frames.length;
  }

  push(text: string): void {
    if (this.frames.length >= this.max) {
      throw new GatewayError(
        'QUEUE_FULL',
        `${this.max} frames are already waiting for a ready session (queue.max)`,
      );
    }
    this.frames.push(text);
  }

  flush(write: FrameWriter): void {
    const frames = this.frames;
    let written = 0;
    while (written < frames.length && write(frames[written] as string)) written++;
    this.frames = written === frames.length ? [] : frames.slice(written);
  }
}
