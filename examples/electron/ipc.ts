/**
 * What crosses between the main process and the renderer, in one place: the channel names, the
 * shapes (plain data: an `Error`'s own fields do not survive IPC), and the allowlists the main
 * process enforces. The preload script and the renderer import only this file's types and constants.
 */
import type { GatewayEvents, SessionStatus } from '../../src/index.js';

/** The IPC channels, all owned by the main process. */
export const channels = {
  /** main → renderer: a {@link RendererStatus} on every status change. */
  status: 'utilbot:status',
  /** main → renderer: a {@link RendererEvent} for each forwarded gateway event. */
  event: 'utilbot:event',
  /** renderer → main (`invoke`): asks the main process to send an event. */
  send: 'utilbot:send',
} as const;

/** What the main process sends the renderer, by channel. */
export interface MainToRenderer {
  readonly [channels.status]: RendererStatus;
  readonly [channels.event]: RendererEvent;
}

/** The gateway events the main process forwards to the renderer; the others stay in main. */
export const rendererEvents = ['GLOBAL_GUILD_COUNT'] as const;
/** A name from {@link rendererEvents}. */
export type RendererEventName = (typeof rendererEvents)[number];

/** The events the renderer may ask to send. Never `identify`: the key stays in the main process. */
export const rendererSends = ['send_servers'] as const;
/** A name from {@link rendererSends}. */
export type RendererSendName = (typeof rendererSends)[number];

/** A status change as the renderer gets it. */
export interface RendererStatus {
  readonly status: SessionStatus;
  readonly previous: SessionStatus;
  /** Why the last connection ended or the session failed: the `GatewayError`'s fields, as data. */
  readonly reason?: { readonly code: number | string; readonly message: string; readonly fatal: boolean };
  /** With `reconnecting`: ms until the next connection. */
  readonly retryIn?: number;
}

/** A forwarded gateway event, typed by its name. */
export type RendererEvent = {
  [K in RendererEventName]: { readonly name: K; readonly data: GatewayEvents[K] };
}[RendererEventName];

/** What the preload script exposes to the page as `window.utilbot`: all the renderer can do. */
export interface UtilbotBridge {
  /** Calls `listener` with the current status (once known) and every change; returns the unsubscribe function. */
  onStatus(listener: (status: RendererStatus) => void): () => void;
  /** Calls `listener` for each forwarded gateway event; returns the unsubscribe function. */
  onEvent(listener: (event: RendererEvent) => void): () => void;
  /** Asks the main process to send an event; rejects when it refuses (wrong name or data, full queue). */
  send<K extends RendererSendName>(event: K, data: GatewayEvents[K]): Promise<void>;
}

/** Whether the renderer may ask to send `name`. */
export function isRendererSend(name: unknown): name is RendererSendName {
  return typeof name === 'string' && (rendererSends as readonly string[]).includes(name);
}
