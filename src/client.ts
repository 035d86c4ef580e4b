import { createActor, type Actor } from 'xstate';
import { isLeft } from './protocol/either.js';
import { sessionMachine } from '../machines/session.machine.js';
import { isSessionReady, statusOf, type SessionStatus } from '../machines/status.js';
import { GatewayError } from './errors.js';
import type { EventCodecs, GatewayEvents, NoCodecs, WithCodecs } from './plugins/events.js';
import { createPluginHost } from './plugins/host.js';
import type { AnyGatewayPlugin, GatewayPlugin, PluginLogger, SendEvent } from './plugins/types.js';
import { createEventRegistry, encodeFrame, Opcode, type BotConnectSuccessData } from './protocol/index.js';
import { createSendQueue } from './session/queue.js';
import { resolveOptions, type GatewayClientOptions } from './session/options.js';
import { createKeyRedactor } from './session/redact.js';
import type { StatusChange } from './session/status-change.js';
import { defaultWebSocket, isWsConstructor } from './transport/default-websocket.js';
import {
  provideSocketDependencies,
  socketActor,
  type FrameWriter,
  type SocketDependencies,
} from './transport/socket-actor.js';

export type { StatusChange } from './session/status-change.js';

/** A client keeping one session with the gateway alive. `E` is its event map. */
export interface GatewayClient<E = GatewayEvents> {
  /**
   * Starts (or starts over, from `idle`, `stopped` or `failed`) and sets up the plugins. Resolves
   * at the first `ready`; rejects with a `GatewayError` on `failed`, or if stopped first.
   */
  start(): Promise<void>;
  /** Closes the socket with 1000, cancels every timer, tears the plugins down; resolves when all is done. */
  stop(): Promise<void>;
  /**
   * Sends an event (op 1). Validated when the event has a codec (a wrong shape throws
   * `INVALID_EVENT`). Held in a bounded queue until the session is ready (a full queue throws
   * `QUEUE_FULL`); the queue survives reconnects.
   */
  readonly send: SendEvent<E>;
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
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (change: StatusChange) => void): () => void;
  /** The XState actor running the session machine. */
  readonly actor: Actor<typeof sessionMachine>;
}

const hasSocket = (status: SessionStatus): boolean =>
  status !== 'idle' && status !== 'reconnecting' && status !== 'failed' && status !== 'stopped';

/** The chart with the real socket: one definition for every client (each client's dependencies are found through its actor system). */
const clientSessionMachine = sessionMachine.provide({ actors: { socket: socketActor } });

const consoleLogger: PluginLogger = {
  debug: () => undefined,
  info: (line) => console.info(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

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
  const resolved = resolveOptions(options);
  const identify = options.identify;
  const events = createEventRegistry(options.codecs);
  const queue = createSendQueue(resolved.queueMax);
  // Arrays replaced on change, never mutated (not Sets: two empty Sets cost ~300 B per client, and
  // a status change would still have to copy one to let a listener unsubscribe while it runs).
  let closing: readonly Promise<void>[] = [];
  let listeners: readonly ((change: StatusChange) => void)[] = [];
  const keys = createKeyRedactor();
  if (typeof identify !== 'function') keys.remember(identify.key);
  let writer: FrameWriter | undefined;
  let session: BotConnectSuccessData = {};

  const onError =
    options.onError ??
    ((error: GatewayError) => {
      console.warn(`[utilbot-gateway] ${error.message}`);
    });
  const report = (error: GatewayError): void => {
    // The last belt: a message built from a plugin's or the gateway's text may still hold a key.
    // Error.prototype.message is a plain own property, so the same error object is kept.
    const message = keys.redact(error.message);
    if (message !== error.message) error.message = message;
    try {
      onError(error);
    } catch {
      // The user's error hook failing must not take the session down with it.
    }
  };
  const sink = options.logger ?? consoleLogger;
  const logger: PluginLogger = {
    debug: (line) => sink.debug(keys.redact(line)),
    info: (line) => sink.info(keys.redact(line)),
    warn: (line) => sink.warn(keys.redact(line)),
    error: (line) => sink.error(keys.redact(line)),
  };

  function send(event: string, data: unknown): void {
    if (event === 'identify') {
      throw new GatewayError(
        'INVALID_EVENT',
        'identify is sent by the client itself; give it as the identify option',
      );
    }
    const encoded = encodeFrame({ op: Opcode.ClientEvent, t: event, d: data }, { events });
    if (isLeft(encoded)) throw new GatewayError('INVALID_EVENT', encoded.left.message);
    // Straight to the socket only when nothing older is waiting, so order is kept.
    if (writer !== undefined && queue.size === 0 && isSessionReady(previous) && writer(encoded.right)) return;
    queue.push(encoded.right);
  }

  const host = createPluginHost({
    send,
    status: () => status(),
    latency: () => actor.getSnapshot().context.latency,
    logger,
    events,
    report,
  });
  for (const plugin of options.plugins ?? []) host.use(plugin);

  const WebSocket = options.WebSocket ?? defaultWebSocket();
  const socketDependencies: SocketDependencies = {
    WebSocket,
    emitter: isWsConstructor(WebSocket),
    maxPayload: resolved.maxPayload,
    closeGrace: resolved.closeGrace,
    events,
    identify: async () => {
      const data = typeof identify === 'function' ? await identify() : identify;
      if (typeof (data as { key?: unknown } | undefined)?.key === 'string') keys.remember(data.key);
      return data;
    },
    dispatch: (frame) => {
      if (frame.t === 'bot_connect_success') session = frame.d as BotConnectSuccessData;
      host.dispatch(frame);
    },
    report: (reason, cause) => report(GatewayError.fromReason(reason, cause)),
    attach: (write) => {
      writer = write;
    },
    flush: (write) => {
      queue.flush(write);
    },
    track: (promise) => {
      closing = [...closing, promise];
      void promise.then(() => {
        closing = closing.filter((other) => other !== promise);
      });
    },
    closing: () => (closing.length === 0 ? undefined : Promise.all(closing).then(() => undefined)),
    redact: (text) => keys.redact(text),
    now: () => performance.now(),
    wallNow: () => Date.now(),
  };

  const actor = createActor(clientSessionMachine, {
    input: {
      url: resolved.url,
      timeouts: resolved.timeouts,
      reconnect: resolved.reconnect,
      identifyIsProvider: typeof identify === 'function',
    },
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
  });
  // The status as of the last notified snapshot, kept by the subscription below: send() reads it
  // for every frame, and statusOf (snapshot.matches) cost more than the rest of send. Everything
  // else reads the exact status, which differs from this one only while a transition runs.
  let previous: SessionStatus = 'idle';
  const status = (): SessionStatus => statusOf(actor.getSnapshot());

  actor.subscribe((snapshot) => {
    const current = statusOf(snapshot);
    if (current === previous) return;
    const reason =
      (current === 'reconnecting' || current === 'failed') && snapshot.context.reason !== undefined
        ? GatewayError.fromReason(snapshot.context.reason)
        : undefined;
    // Built without spreads: two changes a heartbeat, and each spread made a throwaway object.
    const change: { -readonly [K in keyof StatusChange]: StatusChange[K] } = { status: current, previous };
    if (reason !== undefined) change.reason = reason;
    if (current === 'reconnecting' && snapshot.context.retryIn !== undefined)
      change.retryIn = snapshot.context.retryIn;
    previous = current;
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        report(
          new GatewayError('PLUGIN_FAILED', 'a status listener threw (its error is the cause)', {
            cause: error,
          }),
        );
      }
    }
    host.status(change);
    if (current === 'ready' && change.previous === 'identifying') host.ready(session);
    if (hasSocket(change.previous) && !hasSocket(current)) {
      host.disconnect(reason ?? new GatewayError('STOPPED', 'stop() was called'));
    }
  });
  provideSocketDependencies(actor.system, socketDependencies);
  actor.start();

  function start(): Promise<void> {
    const now = status();
    if (isSessionReady(now)) return Promise.resolve();
    const settled = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe((change) => {
        if (isSessionReady(change.status)) {
          unsubscribe();
          resolve();
        } else if (change.status === 'failed') {
          unsubscribe();
          reject(
            change.reason ?? new GatewayError('RETRIES_EXHAUSTED', 'the session failed', { fatal: true }),
          );
        } else if (change.status === 'stopped') {
          unsubscribe();
          reject(new GatewayError('STOPPED', 'stop() was called before the session was ready'));
        }
      });
    });
    if (now === 'idle' || now === 'stopped' || now === 'failed') {
      host.start();
      actor.send({ type: 'START' });
    }
    return settled;
  }

  async function stop(): Promise<void> {
    actor.send({ type: 'STOP' });
    await Promise.all([...closing, host.stop()]);
  }

  const client: ClientMethods<WithCodecs<C>> = {
    start,
    stop,
    send,
    use: (plugin: AnyGatewayPlugin) => {
      host.use(plugin);
    },
    remove: (name) => host.remove(name),
    subscribe(listener) {
      // As with a Set: a listener subscribed twice is called once, and one unsubscribe removes it.
      if (!listeners.includes(listener)) listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((other) => other !== listener);
      };
    },
    actor,
    [READINGS]: {
      plugins: () => host.names(),
      status,
      latency: () => actor.getSnapshot().context.latency,
    },
  };
  // The getters the type names, added by clientAccessors.
  return Object.defineProperties(client, clientAccessors) as typeof client &
    Pick<GatewayClient<WithCodecs<C>>, keyof ClientReadings>;
}

/** What the client's three getters read: one object per client, kept under {@link READINGS}. */
interface ClientReadings {
  plugins(): readonly string[];
  status(): SessionStatus;
  latency(): number | undefined;
}

/** A symbol, so that neither `Object.keys` nor a Proxy (a reactive store's) trips on it. */
const READINGS = Symbol('readings');

/** The client object before {@link clientAccessors} add its getters. */
type ClientMethods<E> = Omit<GatewayClient<E>, keyof ClientReadings> & {
  readonly [READINGS]: ClientReadings;
};

/**
 * The getters of every client, made once and defined on each: own accessor properties (enumerable
 * and configurable, as an object literal's are, so `{ ...client }` copies them and tests can spy on
 * them) whose functions all clients share. Not getters in the object literal itself, which V8 keeps
 * in dictionary mode (~830 B per client in a heap snapshot). The methods are own properties, so
 * `client.stop` may be passed around without binding it.
 */
const clientAccessors: PropertyDescriptorMap = {
  plugins: {
    get(this: ClientMethods<unknown>) {
      return this[READINGS].plugins();
    },
    enumerable: true,
    configurable: true,
  },
  status: {
    get(this: ClientMethods<unknown>) {
      return this[READINGS].status();
    },
    enumerable: true,
    configurable: true,
  },
  latency: {
    get(this: ClientMethods<unknown>) {
      return this[READINGS].latency();
    },
    enumerable: true,
    configurable: true,
  },
};
