import { GatewayError } from '../errors.js';
import type { GatewayEventFrame } from '../protocol/index.js';
import type { GatewayPlugin, PluginContext } from './types.js';

/**
 * Runs every plugin's handler for a gateway event, in registration order, each isolated: a sync
 * throw or an async rejection is reported with the plugin's name and the rest go on. Async
 * handlers are not awaited, so a slow plugin never holds up heartbeats or the next frame.
 */
export function createDispatcher(
  plugins: () => readonly GatewayPlugin[],
  context: PluginContext,
  report: (error: GatewayError) => void,
): (frame: GatewayEventFrame) => void {
  const fail = (plugin: GatewayPlugin, event: string, cause: unknown): void => {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const error = new GatewayError('PLUGIN_FAILED', `plugin "${plugin.name}" failed on ${event}: ${detail}`, {
      plugin: plugin.name,
      cause,
    });
    report(error);
    try {
      plugin.onError?.(error);
    } catch {
      // A failing error hook has nowhere left to report to.
    }
  };
  const run = (plugin: GatewayPlugin, event: string, handler: () => unknown): void => {
    try {
      const result = handler();
      if (result instanceof Promise) result.catch((cause: unknown) => fail(plugin, event, cause));
    } catch (cause) {
      fail(plugin, event, cause);
    }
  };
  return (frame) => {
    for (const plugin of plugins()) {
      const events = plugin.events;
      // Own properties only: an event named `constructor` must not call Object.
      const handler = events !== undefined && Object.hasOwn(events, frame.t) ? events[frame.t] : undefined;
      if (typeof handler === 'function') run(plugin, frame.t, () => handler(frame.d, context));
      const onEvent = plugin.onEvent;
      if (onEvent !== undefined) run(plugin, frame.t, () => onEvent(frame.t, frame.d, context));
    }
  };
}
