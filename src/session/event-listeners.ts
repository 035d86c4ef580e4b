import { checkArgument, signalOptionError } from './arguments.js';
import { GatewayError } from '../errors/gateway-error.js';

/** One gateway event as `client.events()` yields it. */
export interface GatewayEvent<K extends string = string, D = unknown> {
  /** The event name (`t`), case-sensitive. */
  readonly name: K;
  /** The event data (`d`), decoded by its codec when it has one. */
  readonly data: D;
}

/** Options of `client.events()`. */
export interface EventsOptions {
  /** Ends the iteration (it returns `done`) when aborted. */
  readonly signal?: AbortSignal;
  /**
   * How many events may wait for a slow consumer, default {@link eventsDefaults.buffer}. When one
   * more arrives the iterator fails with `EVENTS_OVERFLOW` once the waiting events are consumed:
   * an event is never dropped without a word.
   */
  readonly buffer?: number;
  /**
   * How much the waiting events may hold, in their frames' length as received (after inflating),
   * default {@link eventsDefaults.bufferBytes}: past it the iterator fails with `EVENTS_OVERFLOW`
   * as past `buffer`. A count alone would let a gateway sending large events to a slow consumer
   * make it hold `buffer` × `maxPayload`.
   */
  readonly bufferBytes?: number;
}

/** The defaults of {@link EventsOptions}. */
export const eventsDefaults = { buffer: 1024, bufferBytes: 64 * 1024 * 1024 } as const;

type Listener = (data: unknown, name: string) => void;

/**
 * The handlers of `client.on` and the iterators of `client.events`, by event name (`'*'` for
 * all): events without inventing a plugin. Each handler is isolated, as a plugin's is.
 */
export class EventListeners {
  /** Replaced on change, never mutated: a handler may unsubscribe while the list is called. */
  #byName = new Map<string, readonly Listener[]>();
  /** The iterators still open, ended when the client stops or fails. */
  #iterators: readonly EventIterator[] = [];
  /** The open iterators by event name (`'*'` for all); replaced on change, never mutated. */
  #iteratorsByName = new Map<string, readonly EventIterator[]>();

  constructor(private readonly report: (error: GatewayError) => void) {}

  /** Calls `listener` for each event named `name` (`'*'`: every event); returns the unsubscribe. */
  on(name: string, listener: Listener): () => void {
    addTo(this.#byName, name, listener);
    return () => removeFrom(this.#byName, name, listener);
  }

  /** An async iterator over the events named `name` (`'*'`: every event). */
  iterate(name: string, options: EventsOptions = {}): AsyncIterableIterator<GatewayEvent> {
    const buffer = options.buffer ?? eventsDefaults.buffer;
    const bufferBytes = options.bufferBytes ?? eventsDefaults.bufferBytes;
    for (const [option, value] of [
      ['buffer', buffer],
      ['bufferBytes', bufferBytes],
    ] as const)
      checkArgument(
        Number.isSafeInteger(value) && value >= 1,
        `events(): ${option} must be a positive integer, got ${String(value)}`,
      );
    const signal = options.signal;
    const wrongSignal = signalOptionError(signal, 'events()');
    if (wrongSignal !== undefined) throw wrongSignal;
    const onAbort = (): void => void iterator.return();
    const iterator = new EventIterator(buffer, bufferBytes, () => {
      this.#iterators = this.#iterators.filter((other) => other !== iterator);
      removeFrom(this.#iteratorsByName, name, iterator);
      // A long-lived signal must not keep an ended iterator alive.
      signal?.removeEventListener('abort', onAbort);
    });
    addTo(this.#iteratorsByName, name, iterator);
    this.#iterators = [...this.#iterators, iterator];
    if (signal?.aborted === true) void iterator.return();
    else signal?.addEventListener('abort', onAbort, { once: true });
    return iterator;
  }

  /**
   * One event for the handlers of its name, then for those of `'*'`, then for the iterators
   * likewise; `size` is its frame's length, which the iterators' buffers count.
   */
  dispatch(name: string, data: unknown, size: number): void {
    if (this.#byName.size > 0) {
      for (const key of [name, '*']) {
        for (const listener of this.#byName.get(key) ?? []) {
          try {
            listener(data, name);
          } catch (error) {
            this.report(
              new GatewayError(
                'PLUGIN_FAILED',
                `an event handler given to on() threw (its error is the cause)`,
                { cause: error },
              ),
            );
          }
        }
      }
    }
    if (this.#iteratorsByName.size > 0) {
      for (const key of [name, '*'])
        for (const iterator of this.#iteratorsByName.get(key) ?? []) iterator.push({ name, data }, size);
    }
  }

  /** The client stopped (`error` undefined) or failed: every open iterator ends, or fails with `error`. */
  end(error?: GatewayError): void {
    for (const iterator of this.#iterators) iterator.close(error);
  }
}

/** Adds `item` to the list of `name` (once), replacing the list: a loop over the old one is unchanged. */
function addTo<T>(lists: Map<string, readonly T[]>, name: string, item: T): void {
  const list = lists.get(name) ?? [];
  if (!list.includes(item)) lists.set(name, [...list, item]);
}

/** Removes `item` from the list of `name`, replacing the list; an empty one goes. */
function removeFrom<T>(lists: Map<string, readonly T[]>, name: string, item: T): void {
  const now = (lists.get(name) ?? []).filter((other) => other !== item);
  if (now.length === 0) lists.delete(name);
  else lists.set(name, now);
}

/**
 * An async iterator fed by pushes, holding at most `max` events for a slow consumer. Once closed
 * (returned, aborted, the client stopped or failed, or its buffer overflowed) it takes no more;
 * what waits is still delivered, then `done`, or the failure once.
 */
class EventIterator implements AsyncIterableIterator<GatewayEvent> {
  readonly #waiting: GatewayEvent[] = [];
  /** The frame length of each waiting event, and their sum. */
  readonly #sizes: number[] = [];
  #bytes = 0;
  readonly #takers: {
    resolve: (result: IteratorResult<GatewayEvent>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #closed = false;
  /** What the consumer gets after the waiting events, once: an overflow, or the session's failure. */
  #failure: GatewayError | undefined;

  readonly #max: number;
  readonly #maxBytes: number;
  readonly #release: () => void;

  constructor(max: number, maxBytes: number, release: () => void) {
    this.#max = max;
    this.#maxBytes = maxBytes;
    this.#release = release;
  }

  push(event: GatewayEvent, size: number): void {
    if (this.#closed) return;
    const taker = this.#takers.shift();
    if (taker !== undefined) taker.resolve({ value: event, done: false });
    else if (this.#waiting.length < this.#max && this.#bytes + size <= this.#maxBytes) {
      this.#waiting.push(event);
      this.#sizes.push(size);
      this.#bytes += size;
    } else
      this.close(
        new GatewayError(
          'EVENTS_OVERFLOW',
          this.#waiting.length < this.#max
            ? `events waiting for this events() iterator would hold more than ${this.#maxBytes} bytes (its bufferBytes); it ends here`
            : `${this.#max} events were already waiting for this events() iterator (its buffer); it ends here`,
        ),
      );
  }

  next(): Promise<IteratorResult<GatewayEvent>> {
    const event = this.#waiting.shift();
    if (event !== undefined) {
      this.#bytes -= this.#sizes.shift() ?? 0;
      return Promise.resolve({ value: event, done: false });
    }
    if (!this.#closed) return new Promise((resolve, reject) => this.#takers.push({ resolve, reject }));
    const failure = this.#failure;
    this.#failure = undefined;
    return failure === undefined
      ? Promise.resolve({ value: undefined, done: true })
      : Promise.reject(failure);
  }

  return(): Promise<IteratorResult<GatewayEvent>> {
    this.#waiting.length = 0;
    this.#sizes.length = 0;
    this.#bytes = 0;
    this.#failure = undefined;
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Takes no more events; a consumer already waiting (nothing is buffered then) gets the end now. */
  close(failure?: GatewayError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure = failure;
    this.#release();
    for (const taker of this.#takers.splice(0)) {
      if (this.#failure === undefined) taker.resolve({ value: undefined, done: true });
      else {
        taker.reject(this.#failure);
        this.#failure = undefined;
      }
    }
  }
}
