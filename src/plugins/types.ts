import type { SessionStatus } from '../../machines/status.js';
import type { GatewayError } from '../errors/gateway-error.js';
import type { BotConnectSuccessData } from '../protocol/index.js';
import type { StatusChange } from './status-change.js';
import type {
  EventCodecs,
  GatewayEvents,
  NoCodecs,
  StrictEvents,
  UndeclaredEventName,
  WithCodecs,
} from './events.js';

/** One-line log output for plugins. The client's key is replaced by `[key]` in every line. */
export interface PluginLogger {
  /** Detail for debugging; the default sink drops it. */
  debug(message: string): void;
  /** Something worth knowing. */
  info(message: string): void;
  /** Something went wrong and was handled. */
  warn(message: string): void;
  /** Something failed. */
  error(message: string): void;
}

/** What `send` did: wrote the frame to the ready socket, or queued it until a session is ready. */
export type SendResult = 'sent' | 'queued';

/** Options of one `send`. */
export interface SendOptions {
  /**
   * Keep only this frame of its event name in the queue: older ones of that name still waiting are
   * dropped (they would be stale on arrival). Default `true` for snapshot events (`send_servers`),
   * `false` for every other; it only matters while the frame has to wait.
   */
  readonly replace?: boolean;
}

/** What the send queue shows of itself (`client.queue`; socket.io's `sendBuffer`). */
export interface SendQueueView {
  /** How many frames wait for a ready session. */
  readonly size: number;
  /** Drops every waiting frame; returns how many there were. */
  clear(): number;
}

/** Sends an event: typed data for known names; see `GatewayClient.send`. */
export interface SendEvent<E = GatewayEvents> {
  // `identify` is the client's own: send() refuses it, so it does not type-check either.
  <K extends Exclude<keyof E, 'identify'> & string>(event: K, data: E[K], options?: SendOptions): SendResult;
  <N extends string>(event: UndeclaredEventName<E, N>, data: unknown, options?: SendOptions): SendResult;
}

/** What every plugin hook and handler gets: the client's abilities, scoped to the plugin. */
export interface PluginContext<E = GatewayEvents> {
  /** The plugin's name. */
  readonly name: string;
  /** Sends an event, as `client.send` does (queued until ready, validated by codecs). */
  readonly send: SendEvent<E>;
  /** The session's status right now. */
  readonly status: SessionStatus;
  /** The last heartbeat round trip, ms. */
  readonly latency: number | undefined;
  /** One-line logging that never prints the key. */
  readonly logger: PluginLogger;
  /** Aborts when the client stops or the plugin is removed: hand it to every wait and timer. */
  readonly signal: AbortSignal;
  /**
   * Reports a failure of this plugin that no hook can throw (in a timer, a callback): it reaches
   * the client's `onError` and this plugin's `onError` as `PLUGIN_FAILED`, like a throw in a hook.
   */
  report(cause: unknown): void;
  /**
   * `text` with every fragment of a key the client identified with replaced by `[key]` (as
   * `client.redact`): for text the gateway sent (an event's name, say) that the plugin keeps,
   * prints or exports, where a hostile gateway could have echoed the key.
   */
  redact(text: string): string;
}

/**
 * Handles one event's data. A returned promise is not awaited (a slow plugin never delays
 * heartbeats or other plugins); a throw or rejection goes to `onError`.
 */
export type EventHandler<D = unknown, E = GatewayEvents> = {
  // Method syntax: handlers for specific data stay assignable where `unknown` data is expected.
  // `unknown`: `(d) => list.push(d)` is a fine handler; a returned promise's rejection is reported.
  handle(data: D, context: PluginContext<E>): unknown;
}['handle'];

/** The names a plugin may handle: the known ones, and any other unless strict events are on. */
export type HandledEventName<E> = keyof E | (StrictEvents extends true ? never : string & {});

/**
 * Handlers by event name: typed for names in `E`, `unknown` data for any other name (unless strict
 * events are on, when other names are a compile error).
 */
export type EventHandlers<E = GatewayEvents> = {
  readonly [K in HandledEventName<E>]?: K extends keyof E ? EventHandler<E[K], E> : EventHandler<unknown, E>;
};

/** What a plugin's `setup` may return: a teardown run on stop (or removal), or nothing. */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a setup that returns nothing returns void
export type PluginTeardown = void | (() => void | Promise<void>);

/**
 * A plugin. Every part is optional but the name; every hook and handler is isolated (a throw or
 * rejection goes to `onError` with the plugin's name, and the other plugins go on).
 */
export interface GatewayPlugin<E = GatewayEvents> {
  /** Unique among a client's plugins. */
  readonly name: string;
  /**
   * Handlers by event name, including names no codec knows (they get the raw data). Dispatch reads
   * them once per name and keeps what it found until a plugin is added or removed, or a setup or
   * teardown finishes: a plugin may set handlers in its `setup`; to change them later, `remove` it
   * and `use` it again.
   */
  readonly events?: EventHandlers<E>;
  /** Codecs for events this plugin speaks: they check received and sent data while it is in use. */
  readonly codecs?: EventCodecs;
  /** Every gateway event, whatever its name, after this plugin's handler for that name. */
  onEvent?(name: string, data: unknown, context: PluginContext<E>): unknown;
  /** When the client starts (or when the plugin is added to a started client). May return a teardown, run on stop. */
  setup?(context: PluginContext<E>): PluginTeardown | Promise<PluginTeardown>;
  /** For each new session, with the `bot_connect_success` data. */
  onReady?(session: BotConnectSuccessData, context: PluginContext<E>): unknown;
  /** For each status change. */
  onStatus?(change: StatusChange, context: PluginContext<E>): unknown;
  /** When a connection that had been opened ends: a reconnect, a failure or a stop, with why. */
  onDisconnect?(reason: GatewayError, context: PluginContext<E>): unknown;
  /** This plugin's own failures (after the client's `onError` got them). */
  onError?(error: GatewayError, context: PluginContext<E>): void;
}

/**
 * Declares a plugin with full inference: each handler's data has the type of its event, and a
 * plugin's own `codecs` add their events to the map it is typed with.
 *
 * ```ts
 * const counts = definePlugin({
 *   name: 'counts',
 *   events: { GLOBAL_GUILD_COUNT: (data) => console.log(data.guilds) }, // data is typed
 * });
 * ```
 */
export function definePlugin<C extends EventCodecs = NoCodecs>(
  // NoInfer: C comes from `codecs` alone, never from the handlers' keys.
  plugin: GatewayPlugin<NoInfer<WithCodecs<C>>> & { readonly codecs?: C },
): GatewayPlugin<WithCodecs<C>> {
  return plugin;
}

/** Any plugin, whatever event map it was typed with: what a client stores. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erases the handler typing a plugin was written with
export type AnyGatewayPlugin = GatewayPlugin<any>;
