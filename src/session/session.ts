import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { sessionMachine, type SessionContext } from '../../machines/session.machine.js';
import {
  connectionOf,
  isSessionReady,
  statusOf,
  type ConnectionStatus,
  type SessionStatus,
} from '../../machines/status.js';
import { GatewayError } from '../errors/gateway-error.js';
import { PluginHost } from '../plugins/host.js';
import type {
  AnyGatewayPlugin,
  PluginLogger,
  SendOptions,
  SendQueueView,
  SendResult,
} from '../plugins/types.js';
import { isLeft } from '../protocol/either.js';
import {
  createEventRegistry,
  encodeFrame,
  isSnapshotEvent,
  MAX_TIMER_MS,
  Opcode,
  type BotConnectSuccessData,
  type EventRegistry,
  type GatewayEventFrame,
} from '../protocol/index.js';
import { cutLine, oneLine } from '../errors/one-line.js';
import type { ConnectionOwner, FrameWriter } from '../transport/connection.js';
import { defaultWebSocket, isWsConstructor } from '../transport/default-websocket.js';
import { provideConnectionOwner, socketActor } from '../transport/socket-actor.js';
import type { WebSocketConstructor } from '../transport/websocket.js';
import {
  resolveOptions,
  type GatewayClientOptions,
  type IdentifyOption,
  type ShouldRetry,
} from './options.js';
import { SendQueue } from './queue.js';
import type { DisconnectReason } from '../errors/reason.js';
import { createKeyRedactor, type KeyRedactor } from '../errors/redact.js';
import type { ConnectionChange, StatusChange } from '../plugins/status-change.js';
import { EventListeners, type EventsOptions, type GatewayEvent } from './event-listeners.js';
import { checkArgument, signalOptionError } from './arguments.js';

/** Options of `client.start()`. */
export interface StartOptions {
  /** Aborts the wait: `start()` rejects with `START_ABORTED`. The session keeps trying. */
  readonly signal?: AbortSignal;
  /** Longest wait for a ready session, ms: then `start()` rejects with `START_TIMEOUT`. The session keeps trying. */
  readonly timeout?: number;
}

/** The chart with the real socket: one definition for every client (each finds its session through its actor system). */
const clientSessionMachine = sessionMachine.provide({ actors: { socket: socketActor } });

const consoleLogger: PluginLogger = {
  debug: () => undefined,
  info: (line) => console.info(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

const defaultOnError = (error: GatewayError): void => {
  console.warn(`[utilbot-gateway] ${error.message}`);
};

/** The client's logger as plugins get it: every line redacted first (a plugin may log what the gateway echoed). */
class RedactingLogger implements PluginLogger {
  readonly #sink: PluginLogger;
  readonly #keys: KeyRedactor;
  constructor(sink: PluginLogger, keys: KeyRedactor) {
    this.#sink = sink;
    this.#keys = keys;
  }
  debug(line: string): void {
    this.#sink.debug(this.#keys.redact(line));
  }
  info(line: string): void {
    this.#sink.info(this.#keys.redact(line));
  }
  warn(line: string): void {
    this.#sink.warn(this.#keys.redact(line));
  }
  error(line: string): void {
    this.#sink.error(this.#keys.redact(line));
  }
}

/** Statuses with a socket: leaving them for one without is a disconnect for the plugins. */
const hasSocket = (status: SessionStatus): boolean =>
  status !== 'idle' && status !== 'reconnecting' && status !== 'failed' && status !== 'stopped';

/**
 * One client's session: everything a client owns beside its chart, in one object. It owns the
 * send queue, the writer of the ready connection, the sockets still closing, the key redactor and
 * the plugin host; the chart (`actor`) owns the states and timers; each connection
 * (`GatewayConnection`) owns its socket. The public client is this object (`createGatewayClient`),
 * seen through the `GatewayClient` interface; the rest of its members are for its connections.
 */
export class GatewaySession implements ConnectionOwner {
  /** The XState actor running the session machine. */
  readonly actor: Actor<typeof sessionMachine>;

  // ConnectionOwner: read by each connection.
  readonly WebSocket: WebSocketConstructor;
  readonly emitter: boolean;
  readonly maxPayload: number;
  readonly closeGrace: number;
  /** The event codecs: the built-in ones, the `codecs` option's and the plugins'. */
  readonly registry: EventRegistry;

  /** The key lives here and in the identify frame only: a `#` field, so no inspection or spread shows it. */
  readonly #identify: IdentifyOption;
  // `private`, not `#`, for the two the prototype getters read (`queue`, `plugins`): a Proxy of the
  // client calls a getter with the Proxy as `this`, where a `#` field throws.
  private readonly outbox: SendQueue;
  private readonly host: PluginHost;
  readonly #keys: KeyRedactor = createKeyRedactor();
  readonly #onError: (error: GatewayError) => void;
  readonly #shouldRetry: ShouldRetry | undefined;
  /** One debug line per frame and status change, with `debug: true`; cut to `TRACE_LINE_MAX` (`cutLine`). */
  readonly trace: ((line: string) => void) | undefined;
  /**
   * The ready connection's writer: set once the queue is written on ready, cleared when that
   * connection goes or a write fails. "Can I write now?" is this field and nothing else.
   */
  #writer: FrameWriter | undefined;
  /** Sockets still closing; replaced on change, never mutated, so a loop over it is stable. */
  #closingSockets: readonly Promise<void>[] = [];
  /** Replaced on change, never mutated: a listener may unsubscribe while the list is called. */
  #listeners: readonly ((change: StatusChange) => void)[] = [];
  /** Listeners of the coarse connection status, likewise. */
  #connectionListeners: readonly ((change: ConnectionChange) => void)[] = [];
  /** The browser's network hints, while listened to (see listenToNetwork). */
  #hints: { readonly offline: () => void; readonly online: () => void } | undefined;
  #eventListeners: EventListeners | undefined; // made at the first on() or events()
  /** The status of the last snapshot notified: what a status change is computed from. */
  #notified: SessionStatus = 'idle';
  /** The data of the last `bot_connect_success`, for the plugins' `onReady`. */
  #bot: BotConnectSuccessData = {};
  /** How many times `stop()` was called: a plugin's setup may stop the client that `start()` sets up. */
  #stops = 0;
  /**
   * `stop()` was called and its plugins' teardown has not begun: it begins once the chart is
   * stopped, or in a `start()` called before that (from a `stopped` listener, say), so that
   * the plugins are set up again for the new start rather than torn down after it.
   */
  #teardownDue = false;
  /** The last teardown of the plugins, which `stop()` waits for. */
  #pluginsStopping: Promise<void> | undefined;

  constructor(options: GatewayClientOptions) {
    const resolved = resolveOptions(options);
    const identify = options.identify;
    this.#identify = identify;
    if (typeof identify !== 'function') this.#keys.remember(identify.key);
    this.registry = createEventRegistry(options.codecs);
    this.outbox = new SendQueue(resolved.queueMax);
    this.maxPayload = resolved.maxPayload;
    this.closeGrace = resolved.closeGrace;
    this.WebSocket = options.WebSocket ?? defaultWebSocket();
    this.emitter = isWsConstructor(this.WebSocket);
    this.#onError = options.onError ?? defaultOnError;
    this.#shouldRetry = resolved.shouldRetry;
    const sink = options.logger ?? consoleLogger;
    // Traced only when asked (`debug: true`): a line per frame costs a redaction each.
    const logger = options.logger;
    this.trace =
      options.debug === true
        ? (line) => {
            const text = cutLine(line, TRACE_LINE_MAX, (part) => this.#keys.redact(oneLine(part)));
            try {
              if (logger === undefined) console.debug(text);
              else logger.debug(text);
            } catch (error) {
              // Called from the chart's steps and the socket's listeners: a throw must not escape.
              this.#reportError(
                new GatewayError('PLUGIN_FAILED', 'logger.debug threw (its error is the cause)', {
                  cause: error,
                }),
              );
            }
          }
        : undefined;
    this.host = new PluginHost({
      client: this,
      logger: new RedactingLogger(sink, this.#keys),
      events: this.registry,
      report: (error) => this.#reportError(error),
    });
    for (const plugin of options.plugins ?? []) this.host.use(plugin);

    this.actor = createActor(clientSessionMachine, {
      input: {
        url: resolved.url,
        timeouts: resolved.timeouts,
        reconnect: resolved.reconnect,
        identifyIsProvider: typeof identify === 'function',
      },
      ...(options.inspect === undefined
        ? {}
        : { inspect: containedInspector(options.inspect, (error) => this.#reportError(error)) }),
    });
    this.actor.subscribe((snapshot) => this.#notify(statusOf(snapshot), snapshot.context));
    provideConnectionOwner(this.actor.system, this);
    this.actor.start();
    // Own properties, bound: `client.stop` may be passed around without binding it.
    this.start = this.start.bind(this);
    this.stop = this.stop.bind(this);
    this.send = this.send.bind(this);
    this.use = this.use.bind(this);
    this.remove = this.remove.bind(this);
    this.subscribe = this.subscribe.bind(this);
    this.on = this.on.bind(this);
    this.events = this.events.bind(this);
    this.onConnection = this.onConnection.bind(this);
    this.reconnect = this.reconnect.bind(this);
    this.redact = this.redact.bind(this);
  }

  /** The session's state, by its public name. */
  get status(): SessionStatus {
    return statusOf(this.actor.getSnapshot());
  }

  /** The last heartbeat → ACK round trip, ms. */
  get latency(): number | undefined {
    return this.actor.getSnapshot().context.latency;
  }

  /** The plugins' names, in the order their handlers run. */
  get plugins(): readonly string[] {
    return this.host.names();
  }

  /** The coarse status for a UI: see `GatewayClient.connection`. */
  get connection(): ConnectionStatus {
    return connectionOf(this.status);
  }

  /** See `GatewayClient.start`. */
  start(options?: StartOptions): Promise<void> {
    const { signal, timeout } = options ?? {};
    if (timeout !== undefined && (!(timeout > 0) || timeout > MAX_TIMER_MS))
      return Promise.reject(
        new GatewayError(
          'INVALID_OPTIONS',
          `start(): timeout must be 1 to ${MAX_TIMER_MS} ms, got ${String(timeout)}`,
          {
            fatal: true,
          },
        ),
      );
    const wrongSignal = signalOptionError(signal, 'start()');
    if (wrongSignal !== undefined) return Promise.reject(wrongSignal);
    const now = this.status;
    if (isSessionReady(now)) return Promise.resolve();
    const starting = now === 'idle' || now === 'stopped' || now === 'failed';
    if (starting) {
      this.#beginTeardown();
      // The plugins' setups run here, and one may stop the client (its failure reaching an
      // onError that calls stop()): that stop wins, and nothing starts.
      const stops = this.#stops;
      this.host.start();
      if (this.#stops !== stops)
        return Promise.reject(new GatewayError('STOPPED', 'stop() was called before the session was ready'));
    }
    const settled = new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (error?: GatewayError): void => {
        unsubscribe();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      // The signal and the timeout bound the wait, not the session: it keeps trying until stop().
      const onAbort = (): void =>
        settle(
          new GatewayError(
            'START_ABORTED',
            'the signal given to start() aborted the wait for a ready session',
          ),
        );
      const unsubscribe = this.subscribe((change) => {
        if (isSessionReady(change.status)) settle();
        else if (change.status === 'failed')
          settle(
            change.reason ?? new GatewayError('RETRIES_EXHAUSTED', 'the session failed', { fatal: true }),
          );
        else if (change.status === 'stopped')
          settle(new GatewayError('STOPPED', 'stop() was called before the session was ready'));
      });
      if (timeout !== undefined)
        timer = setTimeout(
          () =>
            settle(
              new GatewayError('START_TIMEOUT', `no ready session within ${timeout} ms (start's timeout)`),
            ),
          timeout,
        );
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (starting) {
      this.#listenToNetwork(true);
      this.actor.send({ type: 'START' });
    }
    return settled;
  }

  /** See `GatewayClient.stop`. */
  async stop(): Promise<void> {
    this.#stops++;
    this.#teardownDue = true;
    this.#listenToNetwork(false);
    this.actor.send({ type: 'STOP' });
    // Called from a status listener or a plugin's hook, the chart is in the middle of a step and
    // takes STOP only once that step is done, synchronously, before any promise settles: wait one
    // turn, so the socket it closes is among the closing ones.
    await Promise.resolve();
    this.#beginTeardown();
    await Promise.all([...this.#closingSockets, this.#pluginsStopping]);
  }

  /** Begins the plugins' teardown that a `stop()` asked for, once. */
  #beginTeardown(): void {
    if (!this.#teardownDue) return;
    this.#teardownDue = false;
    this.#pluginsStopping = this.host.stop();
  }

  /** See `GatewayClient.queue`. */
  get queue(): SendQueueView {
    return this.outbox;
  }

  /** See `GatewayClient.send`: validate, then write or queue. */
  send(event: string, data: unknown, options?: SendOptions): SendResult {
    if (event === 'identify') {
      throw new GatewayError(
        'INVALID_EVENT',
        'identify is sent by the client itself; give it as the identify option',
      );
    }
    const encoded = encodeFrame({ op: Opcode.ClientEvent, t: event, d: data }, { events: this.registry });
    // The caller's own data may hold a key (a wrong field): the message is cleared like every other.
    if (isLeft(encoded)) {
      const { message, cause } = encoded.left;
      throw new GatewayError(
        'INVALID_EVENT',
        this.#keys.redact(message),
        cause === undefined ? {} : { cause },
      );
    }
    // The writer is there only while the queue is empty and a session is ready, so order is kept.
    if (this.#writer?.(encoded.right) === true) return 'sent';
    this.#writer = undefined;
    this.outbox.push(event, encoded.right, options?.replace ?? isSnapshotEvent(event));
    return 'queued';
  }

  /** See `GatewayClient.reconnect`. */
  reconnect(): void {
    this.actor.send({ type: 'RECONNECT' });
  }

  /** See `GatewayClient.use`. */
  use(plugin: AnyGatewayPlugin): void {
    this.host.use(plugin);
  }

  /** See `GatewayClient.remove`. */
  remove(name: string): Promise<boolean> {
    return this.host.remove(name);
  }

  /** See `GatewayClient.subscribe`. */
  subscribe(listener: (change: StatusChange) => void): () => void {
    checkArgument(typeof listener === 'function', 'subscribe(): the listener must be a function');
    // As with a Set: a listener subscribed twice is called once, and one unsubscribe removes it.
    if (!this.#listeners.includes(listener)) this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((other) => other !== listener);
    };
  }

  /** See `GatewayClient.onConnection`. */
  onConnection(listener: (change: ConnectionChange) => void): () => void {
    checkArgument(typeof listener === 'function', 'onConnection(): the listener must be a function');
    if (!this.#connectionListeners.includes(listener))
      this.#connectionListeners = [...this.#connectionListeners, listener];
    return () => {
      this.#connectionListeners = this.#connectionListeners.filter((other) => other !== listener);
    };
  }

  /** See `GatewayClient.on`. */
  on(name: string, handler: (data: unknown, name: string) => void): () => void {
    checkArgument(typeof name === 'string', "on(): the name must be a string (an event's, or '*')");
    checkArgument(typeof handler === 'function', 'on(): the handler must be a function');
    return this.#eventListenersOf().on(name, handler);
  }

  /** See `GatewayClient.events`. */
  events(name = '*', options?: EventsOptions): AsyncIterableIterator<GatewayEvent> {
    checkArgument(typeof name === 'string', "events(): the name must be a string (an event's, or '*')");
    return this.#eventListenersOf().iterate(name, options);
  }

  // ConnectionOwner: what each connection calls.

  /** @internal The identify data for a connection; a key it holds is remembered for redaction. */
  async identifyData(): Promise<unknown> {
    const identify = this.#identify;
    const data = typeof identify === 'function' ? await identify() : identify;
    if (typeof (data as { key?: unknown } | undefined)?.key === 'string') this.#keys.remember(data.key);
    return data;
  }

  /** @internal A gateway event for the plugins, then `on()` and `events()`; `size`: its frame's length. */
  dispatch(frame: GatewayEventFrame, size: number): void {
    if (frame.t === 'bot_connect_success') this.#bot = frame.d as BotConnectSuccessData;
    this.host.dispatch(frame);
    this.#eventListeners?.dispatch(frame.t, frame.d, size);
  }

  /** @internal Something that does not change state, for `onError`. */
  report(reason: DisconnectReason, cause?: unknown): void {
    this.#reportError(GatewayError.fromReason(reason, cause));
  }

  /** See `GatewayClient.redact`; also what each connection hides keys with. */
  redact(text: string): string {
    checkArgument(typeof text === 'string', 'redact(): the text must be a string');
    return this.#keys.redact(text);
  }

  /** @internal Ready on a connection: the queue goes out first, then `send` writes directly. */
  opened(write: FrameWriter): void {
    this.outbox.flush(write);
    // A flush that stopped early means the socket is going: everything keeps queueing.
    this.#writer = this.outbox.size === 0 ? write : undefined;
  }

  /** @internal A connection is gone; its socket settles `closing` once closed. */
  closed(closing: Promise<void>): void {
    this.#writer = undefined;
    this.#closingSockets = [...this.#closingSockets, closing];
    void closing.then(() => {
      this.#closingSockets = this.#closingSockets.filter((other) => other !== closing);
    });
  }

  /** @internal Settles when every socket still closing is closed; `undefined` when none is. */
  closing(): Promise<void> | undefined {
    const sockets = this.#closingSockets;
    return sockets.length === 0 ? undefined : Promise.all(sockets).then(() => undefined);
  }

  /** A status change for the listeners and the plugins, computed from the chart's snapshot. */
  #notify(status: SessionStatus, context: SessionContext): void {
    const previous = this.#notified;
    if (status === previous) return;
    const reason =
      (status === 'reconnecting' || status === 'failed') && context.reason !== undefined
        ? GatewayError.fromReason(context.reason)
        : undefined;
    if (status === 'reconnecting' && reason !== undefined && !this.#retryAllowed(reason, context.retries)) {
      // The chart goes on to `failed` at once; listeners see that, not a retry that never comes.
      this.actor.send({ type: 'GIVE_UP' });
      return;
    }
    this.#notified = status;
    // The plugins of this change: one a listener adds below hears of the next change, not this one.
    const plugins = this.host.current;
    this.trace?.(
      `status ${previous} → ${status}${reason === undefined ? '' : ` (${reason.message})`}${
        status === 'reconnecting' && context.retryIn !== undefined ? `, retry in ${context.retryIn} ms` : ''
      }`,
    );
    const change: { -readonly [K in keyof StatusChange]: StatusChange[K] } = { status, previous };
    if (reason !== undefined) change.reason = reason;
    if (status === 'reconnecting' && context.retryIn !== undefined) change.retryIn = context.retryIn;
    // The session's end first, then the listeners: one that calls start() on `failed` must find
    // the hints and iterators of the new start in place, not ended after it.
    // A for-await loop over events() ends with the session: done on stop, the reason on failure.
    if (status === 'stopped') this.#eventListeners?.end();
    else if (status === 'failed') {
      this.#eventListeners?.end(reason);
      this.#listenToNetwork(false);
    }
    this.#callEach(this.#listeners, change, 'a status listener');
    this.host.status(change, plugins);
    // The session may become ready with a heartbeat out (`heartbeat-pending`): ready all the same.
    if (isSessionReady(status) && previous === 'identifying') this.host.ready(this.#bot, plugins);
    if (hasSocket(previous) && (!hasSocket(status) || status === 'connecting')) {
      // Also `reconnect()` from a connection (straight to `connecting`): every onReady gets its onDisconnect.
      this.host.disconnect(
        reason ??
          (status === 'connecting'
            ? new GatewayError('SOCKET_CLOSED', 'reconnect() closed the connection to open a new one')
            : new GatewayError('STOPPED', 'stop() was called')),
        plugins,
      );
    }
    this.#notifyConnection(change);
  }

  /**
   * Network hints, where the runtime gives them (browsers, Electron renderers: the global object is
   * an EventTarget with `online`/`offline`; Node's is not): `offline` ends the connection at once
   * (`NETWORK_OFFLINE`, a reconnect) instead of waiting for a missed ACK, `online` connects at once
   * instead of waiting out the backoff. Listened to only while started, so a stopped or failed
   * client holds no listener on the window.
   */
  #listenToNetwork(on: boolean): void {
    const target = globalThis as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function')
      return;
    // Made only where there are hints to hear (Node has none): two closures a client otherwise.
    this.#hints ??= {
      offline: () => {
        this.actor.send({
          type: 'FAULT',
          reason: { code: 'NETWORK_OFFLINE', message: 'the browser went offline', fatal: false },
        });
      },
      online: () => {
        // Only a wait is cut short: a connection that is up (or coming up) is left alone.
        if (this.status === 'reconnecting') this.actor.send({ type: 'RECONNECT' });
      },
    };
    const change = on ? target.addEventListener : target.removeEventListener;
    change.call(target, 'offline', this.#hints.offline);
    change.call(target, 'online', this.#hints.online);
  }

  /** The `on()` handlers and `events()` iterators, made when first asked for. */
  #eventListenersOf(): EventListeners {
    return (this.#eventListeners ??= new EventListeners((error) => this.#reportError(error)));
  }

  /** `reconnect.shouldRetry`'s answer; one that throws is reported and the retry goes ahead. */
  #retryAllowed(reason: GatewayError, retries: number): boolean {
    if (this.#shouldRetry === undefined) return true;
    try {
      // Only `false` refuses: a JavaScript policy that returns nothing keeps the default, retry.
      const answer: unknown = this.#shouldRetry(reason, retries);
      return answer !== false;
    } catch (error) {
      this.#reportError(
        new GatewayError(
          'PLUGIN_FAILED',
          'reconnect.shouldRetry threw; the retry goes ahead (its error is the cause)',
          {
            cause: error,
          },
        ),
      );
      return true;
    }
  }

  /** The coarse change behind a status change, when there is one: never at a heartbeat. */
  #notifyConnection(change: StatusChange): void {
    const connection = connectionOf(change.status);
    const previous = connectionOf(change.previous);
    if (connection === previous || this.#connectionListeners.length === 0) return;
    const coarse: { -readonly [K in keyof ConnectionChange]: ConnectionChange[K] } = {
      connection,
      previous,
      status: change.status,
    };
    if (change.reason !== undefined) coarse.reason = change.reason;
    if (change.retryIn !== undefined) coarse.retryIn = change.retryIn;
    this.#callEach(this.#connectionListeners, coarse, 'a connection listener');
  }

  /** Calls each listener with `value`, each isolated: a throw is reported (its error the cause), the rest run. */
  #callEach<T>(listeners: readonly ((value: T) => void)[], value: T, what: string): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        this.#reportError(
          new GatewayError('PLUGIN_FAILED', `${what} threw (its error is the cause)`, { cause: error }),
        );
      }
    }
  }

  /** Hands an error to `onError`, its message cleared of keys; a throwing `onError` is contained. */
  #reportError(error: GatewayError): void {
    // The last belt: a message built from a plugin's or the gateway's text may still hold a key.
    // Error.prototype.message is a plain own property, so the same error object is kept.
    const message = this.#keys.redact(error.message);
    if (message !== error.message) error.message = message;
    try {
      this.#onError(error);
    } catch {
      // The user's error hook failing must not take the session down with it.
    }
  }
}

/**
 * The `inspect` option, called so that a throw stays out of the chart: XState calls the inspector
 * inside each step, where a throw would escape through the socket's listener and end the process.
 */
function containedInspector(
  inspect: NonNullable<GatewayClientOptions['inspect']>,
  report: (error: GatewayError) => void,
): (event: InspectionEvent) => void {
  const next = typeof inspect === 'function' ? inspect : inspect.next?.bind(inspect);
  return (event) => {
    try {
      next?.(event);
    } catch (error) {
      report(
        new GatewayError('PLUGIN_FAILED', 'the inspect option threw (its error is the cause)', {
          cause: error,
        }),
      );
    }
  };
}

/** The longest debug line, characters: a frame may be megabytes, a log line should not be. */
const TRACE_LINE_MAX = 200;
