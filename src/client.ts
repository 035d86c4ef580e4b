import { createActor, type Actor } from 'xstate';
import { isLeft } from 'fp-ts/lib/Either.js';
import { sessionMachine } from '../machines/session.machine.js';
import { statusOf, type SessionStatus } from '../machines/status.js';
import { GatewayError } from './errors.js';
import { createDispatcher } from './plugins/dispatch.js';
import type { GatewayPlugin, PluginContext } from './plugins/types.js';
import { createEventRegistry, encodeFrame, Opcode } from './protocol/index.js';
import { createSendQueue } from './session/queue.js';
import { resolveOptions, type GatewayClientOptions } from './session/options.js';
import { defaultWebSocket } from './transport/default-websocket.js';
import { createSocketActor, type FrameWriter } from './transport/socket-actor.js';

/** A status change, as `subscribe` listeners get it. */
export interface StatusChange {
  readonly status: SessionStatus;
  readonly previous: SessionStatus;
  /** Why the last connection ended (with `reconnecting`) or why the session failed (with `failed`). */
  readonly reason?: GatewayError;
  /** With `reconnecting`: ms until the next connection. */
  readonly retryIn?: number;
}

/** A client keeping one session with the gateway alive. */
export interface GatewayClient {
  /** Starts (or starts over, from `idle`, `stopped` or `failed`). Resolves at the first `ready`; rejects with a `GatewayError` on `failed`, or if stopped first. */
  start(): Promise<void>;
  /** Closes the socket with 1000, cancels every timer; resolves when the socket is closed. */
  stop(): Promise<void>;
  /**
   * Sends an event (op 1). Validated when the event has a codec (a wrong shape throws
   * `INVALID_EVENT`). Held in a bounded queue until the session is ready (`QUEUE_FULL` throws);
   * the queue survives reconnects.
   */
  send(event: string, data: unknown): void;
  /** The session's state, by its public name. */
  readonly status: SessionStatus;
  /** The last heartbeat → ACK round trip, ms. */
  readonly latency: number | undefined;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (change: StatusChange) => void): () => void;
  /** The XState actor running the session machine. */
  readonly actor: Actor<typeof sessionMachine>;
}

const isReady = (status: SessionStatus): boolean => status === 'ready' || status === 'heartbeat-pending';

/** Creates a client. Nothing connects until `start()`. Wrong options throw `INVALID_OPTIONS`. */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const resolved = resolveOptions(options);
  const identify = options.identify;
  const events = createEventRegistry(options.codecs);
  const queue = createSendQueue(resolved.queueMax);
  const plugins: GatewayPlugin[] = [...(options.plugins ?? [])];
  const closing = new Set<Promise<void>>();
  const listeners = new Set<(change: StatusChange) => void>();
  let writer: FrameWriter | undefined;

  const onError =
    options.onError ??
    ((error: GatewayError) => {
      console.warn(`[utilbot-gateway] ${error.message}`);
    });
  const report = (error: GatewayError): void => {
    try {
      onError(error);
    } catch {
      // The user's error hook failing must not take the session down with it.
    }
  };

  const client: GatewayClient = {
    start,
    stop,
    send,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get status() {
      return statusOf(actor.getSnapshot());
    },
    get latency() {
      return actor.getSnapshot().context.latency;
    },
    get actor() {
      return actor;
    },
  };
  const pluginContext: PluginContext = {
    send: (event, data) => {
      send(event, data);
    },
    get status() {
      return client.status;
    },
    get latency() {
      return client.latency;
    },
  };

  const socket = createSocketActor({
    WebSocket: options.WebSocket ?? defaultWebSocket(),
    maxPayload: resolved.maxPayload,
    events,
    identify: async () => (typeof identify === 'function' ? identify() : identify),
    dispatch: createDispatcher(() => plugins, pluginContext, report),
    report: (reason) => report(GatewayError.fromReason(reason)),
    attach: (write) => {
      writer = write;
    },
    flush: (write) => {
      queue.flush(write);
    },
    track: (promise) => {
      closing.add(promise);
      void promise.then(() => closing.delete(promise));
    },
    now: () => performance.now(),
  });

  const actor = createActor(sessionMachine.provide({ actors: { socket } }), {
    input: {
      url: resolved.url,
      timeouts: resolved.timeouts,
      reconnect: resolved.reconnect,
      identifyIsProvider: typeof identify === 'function',
    },
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
  });

  let previous: SessionStatus = 'idle';
  actor.subscribe((snapshot) => {
    const status = statusOf(snapshot);
    if (status === previous) return;
    const reason =
      (status === 'reconnecting' || status === 'failed') && snapshot.context.reason !== undefined
        ? GatewayError.fromReason(snapshot.context.reason)
        : undefined;
    const change: StatusChange = {
      status,
      previous,
      ...(reason === undefined ? {} : { reason }),
      ...(status === 'reconnecting' && snapshot.context.retryIn !== undefined
        ? { retryIn: snapshot.context.retryIn }
        : {}),
    };
    previous = status;
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        report(
          new GatewayError('PLUGIN_FAILED', `a status listener threw: ${String(error)}`, { cause: error }),
        );
      }
    }
  });
  actor.start();

  function start(): Promise<void> {
    const status = client.status;
    if (isReady(status)) return Promise.resolve();
    const settled = new Promise<void>((resolve, reject) => {
      const unsubscribe = client.subscribe((change) => {
        if (isReady(change.status)) {
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
    if (status === 'idle' || status === 'stopped' || status === 'failed') actor.send({ type: 'START' });
    return settled;
  }

  async function stop(): Promise<void> {
    actor.send({ type: 'STOP' });
    await Promise.all([...closing]);
  }

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
    if (writer !== undefined && queue.size === 0 && isReady(client.status) && writer(encoded.right)) return;
    queue.push(encoded.right);
  }

  return client;
}
