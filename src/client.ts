import type { Actor } from 'xstate';
import type { sessionMachine } from '../machines/session.machine.js';
import type { ConnectionStatus, SessionStatus } from '../machines/status.js';
import type {
  EventCodecs,
  GatewayEvents,
  NoCodecs,
  UndeclaredEventName,
  WithCodecs,
} from './plugins/events.js';
import type { AnyGatewayPlugin, GatewayPlugin, SendEvent, SendQueueView } from './plugins/types.js';
import type { GatewayClientOptions } from './session/options.js';
import type { EventsOptions, GatewayEvent } from './session/event-listeners.js';
import { GatewaySession, type StartOptions } from './session/session.js';
import type { ConnectionChange, StatusChange } from './plugins/status-change.js';

export type { ConnectionChange, StatusChange } from './plugins/status-change.js';
export type { EventsOptions, GatewayEvent } from './session/event-listeners.js';
export type { StartOptions } from './session/session.js';

/** A client keeping one session with the gateway alive. `E` is its event map. */
export interface GatewayClient<E = GatewayEvents> {
  /**
   * Starts (or starts over, from `idle`, `stopped` or `failed`) and sets up the plugins. Resolves
   * at the first `ready`; rejects with a `GatewayError` on `failed`, or if stopped first. With
   * `timeout` (ms) it rejects with `START_TIMEOUT` when no session is ready by then, with `signal`
   * it rejects with `START_ABORTED` when the signal aborts: both bound the wait, not the session,
   * which keeps trying until `stop()` (as centrifuge's `ready(timeout)`).
   */
  start(options?: StartOptions): Promise<void>;
  /** Closes the socket with 1000, cancels every timer, tears the plugins down; resolves when all is done. */
  stop(): Promise<void>;
  /**
   * Sends an event (op 1). Validated when the event has a codec (a wrong shape throws
   * `INVALID_EVENT`, its message cleared of keys). Returns `'sent'` when it went to the ready socket at once, `'queued'` when it
   * waits in the bounded queue for a ready session (a full queue throws `QUEUE_FULL`); the queue
   * survives reconnects. With `{ replace: true }` (the default for snapshot events: `send_servers`)
   * only the newest queued frame of that name is kept.
   */
  readonly send: SendEvent<E>;
  /** The send queue: how many frames wait, and `clear()` to drop them (socket.io's `sendBuffer`). */
  readonly queue: SendQueueView;
  /**
   * A new connection now, without the backoff wait: from `reconnecting` it connects at once; with
   * a connection open or opening it closes that one and opens another (an app's network hint, say).
   * Does not count as a retry. Does nothing before `start()`, after `stop()` or once `failed`.
   */
  reconnect(): void;
  /** Adds a plugin at run time (set up at once if the client is started). A taken name throws. */
  use(plugin: GatewayPlugin<E>): void;
  /** A plugin typed for another event map (its own codecs, say). */
  // eslint-disable-next-line @typescript-eslint/unified-signatures -- a union with the any-typed plugin would take the inline handlers' contextual types away
  use(plugin: AnyGatewayPlugin): void;
  /** Removes a plugin: aborts its signal, runs its teardown, drops its codecs. `false` if there was none. */
  remove(name: string): Promise<boolean>;
  /** The plugins' names, in the order their handlers run. */
  readonly plugins: readonly string[];
  /** The session's state, by its public name. */
  readonly status: SessionStatus;
  /** The last heartbeat → ACK round trip, ms. */
  readonly latency: number | undefined;
  /**
   * Calls `listener` on every status change, heartbeats included (`ready` ⇄ `heartbeat-pending`);
   * returns the unsubscribe function. For a UI indicator, use {@link GatewayClient.onConnection}.
   */
  subscribe(listener: (change: StatusChange) => void): () => void;
  /**
   * The coarse status for a UI: `connected` (ready, heartbeats included), `connecting` (opening,
   * identifying, waiting to reconnect) or `disconnected` (not started, stopped, failed).
   */
  readonly connection: ConnectionStatus;
  /** Calls `listener` when {@link GatewayClient.connection} changes (never at a heartbeat); returns the unsubscribe. */
  onConnection(listener: (change: ConnectionChange) => void): () => void;
  /**
   * Calls `handler` with the data of every event named `name` (typed by the event map, as a
   * plugin's handler), after the plugins' handlers; `'*'` for every event. Returns the unsubscribe.
   * A throwing handler is reported (`PLUGIN_FAILED`), the others still run.
   */
  on<K extends keyof E & string>(name: K, handler: (data: E[K], name: K) => void): () => void;
  /** Every event (`'*'`), or an event the map does not declare: raw data. */
  on<N extends string>(
    name: '*' | UndeclaredEventName<E, N>,
    handler: (data: unknown, name: string) => void,
  ): () => void;
  /**
   * The events named `name` (`'*'` or none: every event) as an async iterator of `{ name, data }`,
   * from now on (made while the client is stopped, it yields the events of its next start). It ends (`done`) when `signal` aborts, when the loop breaks, or when the client
   * stops; it throws the reason when the session fails. At most `buffer` events (default 1024)
   * holding at most `bufferBytes` of frames (default 64 MiB) wait for a slow consumer: one more and
   * the iterator throws `EVENTS_OVERFLOW` after those.
   */
  events<K extends keyof E & string>(
    name: K,
    options?: EventsOptions,
  ): AsyncIterableIterator<GatewayEvent<K, E[K]>>;
  /** Every event, or an event the map does not declare: raw data. */
  events<N extends string>(
    name?: '*' | UndeclaredEventName<E, N>,
    options?: EventsOptions,
  ): AsyncIterableIterator<GatewayEvent>;
  /**
   * `text` with every run of 8 or more characters of a key this client identified with (raw or
   * JSON-escaped) replaced by `[key]`: the client's own redactor, for an app that shows text the
   * gateway sent (event names, say) where the key must not appear.
   */
  redact(text: string): string;
  /** The XState actor running the session machine. */
  readonly actor: Actor<typeof sessionMachine>;
}

/**
 * Creates a client. Nothing connects until `start()`. Wrong options throw `INVALID_OPTIONS`.
 * Codecs given as `options.codecs` type `send` and the plugins' handlers.
 */
// Two signatures: without codecs there is nothing to infer, so `let c: GatewayClient = …` cannot
// make TypeScript infer codecs backwards from the declared type.
export function createGatewayClient(
  options: GatewayClientOptions<NoCodecs> & { codecs?: undefined },
): GatewayClient;
/** With codecs: they add to (or replace) the known events' types. */
export function createGatewayClient<C extends EventCodecs>(
  options: GatewayClientOptions<C>,
): GatewayClient<WithCodecs<C>>;
export function createGatewayClient<C extends EventCodecs = NoCodecs>(
  options: GatewayClientOptions<C>,
): GatewayClient<WithCodecs<C>> {
  return new GatewaySession(options);
}
