import type { GatewayError } from '../errors.js';
import type { SessionStatus } from '../../machines/status.js';

/** What a plugin's handlers get beside the event data. */
export interface PluginContext {
  /** Sends an event, as `client.send` does. */
  send(event: string, data: unknown): void;
  /** The session's status right now. */
  readonly status: SessionStatus;
  /** The last heartbeat round trip, ms. */
  readonly latency: number | undefined;
}

/** Handles one event's data. A returned promise is not awaited; its rejection is reported. */
export type EventHandler = (data: unknown, context: PluginContext) => void | Promise<void>;

/**
 * A plugin: a name and handlers per event name (known or not). Handlers of different plugins are
 * isolated: a throw or a rejection goes to `onError` and the other plugins still run.
 */
export interface GatewayPlugin {
  readonly name: string;
  readonly events?: Readonly<Record<string, EventHandler>>;
  /** Called for every gateway event, whatever its name, after this plugin's handler for that name. */
  readonly onEvent?: (name: string, data: unknown, context: PluginContext) => void | Promise<void>;
  /** Called with this plugin's own failures, after the client's `onError`. */
  readonly onError?: (error: GatewayError) => void;
}
