import type { StatusChange } from '../status-change.js';
import { invalidOptions } from './invalid-options.js';
import { definePlugin, type AnyGatewayPlugin, type PluginContext } from '../types.js';
import { cutEnd, cutLine, printable } from '../../errors/one-line.js';

/** Options of {@link logger}. */
export interface LoggerOptions {
  /**
   * `true`: each line is one JSON object, `{ time, kind, ... }` (see {@link LoggerLine}). Default
   * `false`: short text lines, without a time (the sink adds its own).
   */
  readonly json?: boolean;
  /**
   * Where each line goes. Default: the plugin context's `logger.info`, which replaces the client's
   * key by `[key]`, prefixes the plugin's name (`[logger] `) and ends at the client's `logger`
   * option (default `console`). A `write` of your own gets the lines as they are: see
   * {@link logger} for what that means for the key.
   */
  readonly write?: (line: string) => void;
  /**
   * Which events get a line: `true` (default) every event, `false` none (status changes only), or
   * a list of event names (case-sensitive, as the protocol spells them).
   */
  readonly events?: boolean | readonly string[];
  /** The plugin's name; give another to run two instances side by side. Default `'logger'`. */
  readonly name?: string;
}

/** The defaults of {@link LoggerOptions}. */
export const loggerDefaults = { name: 'logger', json: false, events: true } as const;

/** A line of {@link logger} in JSON mode, parsed. */
export type LoggerLine =
  | {
      /** When the line was written, ISO 8601. */
      readonly time: string;
      readonly kind: 'status';
      readonly status: StatusChange['status'];
      readonly previous: StatusChange['previous'];
      /** With `reconnecting`: ms until the next connection. */
      readonly retryIn?: number;
      /** Why the connection ended (`reconnecting`) or the session failed (`failed`): `GatewayError.toJSON()`. */
      readonly reason?: Record<string, unknown>;
    }
  | {
      /** When the line was written, ISO 8601. */
      readonly time: string;
      readonly kind: 'event';
      /** The event name (`t`), as the gateway spelled it. */
      readonly name: string;
      /** The event data (`d`), as the client decoded it. */
      readonly data?: unknown;
    };

/**
 * Writes one line per status change (with the reason and the retry delay when there are some) and
 * one per gateway event (its name and data), as text or as JSON lines.
 *
 * Text lines look like:
 * ```text
 * status ready (was identifying)
 * status reconnecting (was heartbeat-pending), retry in 250 ms; reason: SOCKET_CLOSED Socket Closed: …
 * event GLOBAL_GUILD_COUNT {"guilds":12,"guildMembers":3400,"cachedGuildMembers":1200}
 * ```
 *
 * Every line is one line: control characters and Unicode line separators are escaped.
 *
 * **The key.** The client never hands its key to a plugin: it is not in the plugin context, and
 * status reasons have it replaced by `[key]` before they leave the socket. So nothing this plugin
 * writes holds the key unless the gateway itself sends it back inside event data: every line, to
 * the default `write` or your own, goes through the client's redactor first (`context.redact`).
 *
 * Lines are at most 4096 characters: a longer text line is cut with its length said, a longer JSON
 * line is written as `{ time, kind, name, cut }` without the data, so it stays valid JSON.
 *
 * A wrong option throws `INVALID_OPTIONS`. Typed as `AnyGatewayPlugin`, so it fits a client whatever
 * codecs the client was given.
 *
 * @example
 * // Text lines through the client's logger (console by default), status changes only:
 * createGatewayClient({ identify, plugins: [logger({ events: false })] });
 *
 * // JSON lines to stdout, for a log shipper:
 * createGatewayClient({
 *   identify,
 *   plugins: [logger({ json: true, write: (line) => process.stdout.write(line + '\n') })],
 * });
 */
export function logger(options: LoggerOptions = {}): AnyGatewayPlugin {
  const name = options.name ?? loggerDefaults.name;
  const json = options.json ?? loggerDefaults.json;
  const events = options.events ?? loggerDefaults.events;
  const write = options.write;
  if (write !== undefined && typeof write !== 'function') invalidOptions('logger: write must be a function');
  if (typeof events !== 'boolean' && !(Array.isArray(events) && events.every((e) => typeof e === 'string')))
    invalidOptions('logger: events must be true, false or a list of event names');
  const names = typeof events === 'boolean' ? undefined : new Set(events);
  const logged = (event: string): boolean => (names === undefined ? events === true : names.has(event));

  // Escaped, then through the client's redactor for every sink (a gateway may echo the key in
  // event data). A text line is cut (cutLine: a megabyte event costs no megabyte scan); a JSON line
  // is cleaned whole and, when too long, replaced by a short record, so it stays valid JSON.
  const emit = (line: string, context: PluginContext): void => {
    if (write === undefined) context.logger.info(line);
    else write(line);
  };
  const clean = (context: PluginContext) => (text: string) => context.redact(printable(text));

  return definePlugin({
    name,
    onStatus(change, context) {
      const line = json
        ? clean(context)(statusJson(change))
        : cutLine(statusText(change), LOGGER_LINE_MAX, clean(context));
      emit(line, context);
    },
    onEvent(event, data, context) {
      if (!logged(event)) return;
      const line = json
        ? eventJson(event, data, clean(context))
        : cutLine(eventText(event, data), LOGGER_LINE_MAX, clean(context));
      emit(line, context);
    },
  });
}

function statusText(change: StatusChange): string {
  let line = `status ${change.status} (was ${change.previous})`;
  if (change.retryIn !== undefined) line += `, retry in ${Math.round(change.retryIn)} ms`;
  if (change.reason !== undefined) line += `; reason: ${change.reason.message}`;
  return line;
}

function statusJson(change: StatusChange): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    kind: 'status',
    status: change.status,
    previous: change.previous,
    ...(change.retryIn === undefined ? {} : { retryIn: change.retryIn }),
    ...(change.reason === undefined ? {} : { reason: change.reason.toJSON() }),
  });
}

function eventText(event: string, data: unknown): string {
  // A name is shown bare when it is plain, quoted when a space or odd character would blur the line.
  const shown = /^[\x21-\x7e]+$/.test(event) ? event : JSON.stringify(event);
  return data === undefined ? `event ${shown}` : `event ${shown} ${serialise(data)}`;
}

function eventJson(event: string, data: unknown, clean: (text: string) => string): string {
  const time = new Date().toISOString();
  let line: string;
  try {
    line = JSON.stringify({ time, kind: 'event', name: event, data });
  } catch {
    line = JSON.stringify({ time, kind: 'event', name: event, data: serialise(data) });
  }
  // Cleaned only when it may fit (escaping lengthens it): a megabyte is never scanned.
  const cleaned = line.length <= LOGGER_LINE_MAX ? clean(line) : undefined;
  if (cleaned !== undefined && cleaned.length <= LOGGER_LINE_MAX) return cleaned;
  // Too long to log whole: the name (cut) and how long the line would have been, still JSON.
  const name = event.slice(0, cutEnd(event, 200));
  return clean(JSON.stringify({ time, kind: 'event', name, cut: line.length }));
}

/**
 * The longest line the plugin writes, characters: longer text lines are cut with their length
 * said, longer JSON lines are written without the data (`cut`: the length they would have had).
 */
const LOGGER_LINE_MAX = 4096;

/** JSON text of `data`; a marker when it has none (a cycle or a bigint from a custom codec). */
function serialise(data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch (cause) {
    return `[unserialisable: ${cause instanceof Error ? cause.message : String(cause)}]`;
  }
}
