/**
 * One direction of a proxied connection: bytes read from one socket, written to the other, delayed,
 * throttled or swallowed on the way. Whatever the shaping does, bytes and the end of the stream
 * leave in the order they came, as TCP would deliver them.
 */

/** How a direction treats what arrives now. Read once per chunk, when it arrives. */
export interface PipeConditions {
  /** Swallow every byte and the end of the stream: the other side hears nothing. */
  readonly blackhole: boolean;
  /** One-way delay added to each chunk, ms. */
  readonly latency: number;
  /** Bytes per second the direction carries; `Infinity` for no limit. */
  readonly bandwidth: number;
}

/** Where a pipe writes: the socket at the other end. */
export interface PipeSink {
  write(chunk: Buffer): void;
  /** Half-close (FIN): the source ended its stream. */
  end(): void;
  /** Abort (RST): the source failed or was reset. */
  reset(): void;
}

/** How a source ended: with a FIN (`end`) or with an error or RST (`reset`). */
export type PipeEnding = 'end' | 'reset';

/** One direction of a link. See {@link createPipe}. */
export interface Pipe {
  /** A chunk read from the source. */
  push(chunk: Buffer): void;
  /** The source ended; passed on after every byte before it. Only the first call counts. */
  finish(how: PipeEnding): void;
  /** Drops everything in flight, as a blackhole switched on now would. */
  swallow(): void;
  /** Some byte (or the end) was swallowed: what the sink saw has a hole TCP would never leave. */
  readonly swallowed: boolean;
  /** The end of the stream was passed on or swallowed: nothing more will come through. */
  readonly done: boolean;
  /** Stops: drops what is in flight and cancels the timer. Idempotent. */
  close(): void;
}

/**
 * A throttled direction is cut into slices of this many ms of traffic, so that bytes arrive at the
 * configured rate rather than in one burst after the whole chunk's transmission time.
 */
const SLICE_MS = 10;

type InFlight =
  { readonly at: number; readonly chunk: Buffer } | { readonly at: number; readonly end: PipeEnding };

/**
 * A pipe writing to `sink` under the conditions `conditions()` returns. With no latency, no limit and
 * nothing queued, a chunk is written at once (synchronously), so a transparent proxy adds no delay.
 */
export function createPipe(conditions: () => PipeConditions, sink: PipeSink): Pipe {
  const queue: InFlight[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** When the last queued item is delivered: nothing may overtake it. */
  let lastArrival = 0;
  /** When the (throttled) transmitter is free again. */
  let busyUntil = 0;
  let ending: PipeEnding | undefined;
  let swallowed = false;
  let done = false;
  let closed = false;

  function deliver(item: InFlight): void {
    if ('chunk' in item) {
      sink.write(item.chunk);
      return;
    }
    done = true;
    if (item.end === 'end') sink.end();
    else sink.reset();
  }

  function flush(): void {
    timer = undefined;
    // 1 ms of slack: a timer may fire a hair early by performance.now()'s reckoning.
    const now = performance.now() + 1;
    while (queue.length > 0 && (queue[0] as InFlight).at <= now) deliver(queue.shift() as InFlight);
    arm();
  }

  function arm(): void {
    const head = queue[0];
    if (closed || timer !== undefined || head === undefined) return;
    timer = setTimeout(flush, Math.max(0, head.at - performance.now()));
  }

  function enqueue(item: InFlight): void {
    lastArrival = item.at;
    if (queue.length === 0 && item.at <= performance.now()) {
      deliver(item);
      return;
    }
    queue.push(item);
    arm();
  }

  function push(chunk: Buffer): void {
    if (closed || ending !== undefined) return;
    const { blackhole, latency, bandwidth } = conditions();
    if (blackhole) {
      swallowed = true;
      return;
    }
    const now = performance.now();
    if (!Number.isFinite(bandwidth)) {
      enqueue({ at: Math.max(now + latency, lastArrival), chunk });
      return;
    }
    const sliceBytes = Math.max(1, Math.floor((bandwidth * SLICE_MS) / 1000));
    for (let offset = 0; offset < chunk.length; offset += sliceBytes) {
      const slice = chunk.subarray(offset, offset + sliceBytes);
      // A slice arrives once it has been transmitted (at the rate) and has travelled (latency).
      busyUntil = Math.max(now, busyUntil) + (slice.length * 1000) / bandwidth;
      enqueue({ at: Math.max(busyUntil + latency, lastArrival), chunk: slice });
    }
  }

  function finish(how: PipeEnding): void {
    if (closed || ending !== undefined) return;
    ending = how;
    if (conditions().blackhole) {
      swallowed = true;
      done = true;
      return;
    }
    enqueue({ at: Math.max(performance.now() + conditions().latency, lastArrival), end: how });
  }

  function drop(): void {
    clearTimeout(timer);
    timer = undefined;
    if (queue.some((item) => 'end' in item)) done = true;
    if (queue.length > 0) swallowed = true;
    queue.length = 0;
    lastArrival = 0;
    busyUntil = 0;
  }

  return {
    push,
    finish,
    swallow: drop,
    get swallowed() {
      return swallowed;
    },
    get done() {
      return done;
    },
    close() {
      closed = true;
      drop();
    },
  };
}
