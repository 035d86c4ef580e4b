import type { SessionStatus } from '../../../machines/status.js';
import type { GatewayError } from '../../errors/gateway-error.js';
import { definePlugin, type AnyGatewayPlugin } from '../types.js';
import { invalidOptions } from './invalid-options.js';
import { cutLine } from '../../errors/one-line.js';

/** Options of {@link metrics}. */
export interface MetricsOptions {
  /** The plugin's name; give another to run two instances side by side. Default `'metrics'`. */
  readonly name?: string;
  /** How many of the latest heartbeat round trips the latency summary covers. Default `100`. */
  readonly latencySamples?: number;
}

/**
 * Most names (event names, codes) one table of a {@link MetricsSnapshot} keeps: the gateway chooses
 * them, and a gateway sending a new name per event must not grow the plugin without bound. What
 * comes past them is counted under `'(other)'`.
 */
export const METRICS_MAX_NAMES = 256;

/** The longest event name a snapshot shows, characters; a longer one is cut, its length said. */
const METRICS_NAME_MAX = 200;

/** The defaults of {@link MetricsOptions}. */
export const metricsDefaults = { name: 'metrics', latencySamples: 100 } as const;

/**
 * Heartbeat → ACK round trips, ms, over the latest samples. Every figure is `null` while there are
 * no samples. Percentiles are nearest-rank: a value that was measured, never an interpolation.
 */
export interface LatencySummary {
  /** Samples the summary covers (at most `latencySamples`). */
  readonly count: number;
  /** The latest sample. */
  readonly last: number | null;
  /** Smallest sample, ms. */
  readonly min: number | null;
  /** Largest sample, ms. */
  readonly max: number | null;
  /** Mean of the samples, ms. */
  readonly mean: number | null;
  /** The median. */
  readonly p50: number | null;
  /** 95th percentile (the nearest sample), ms. */
  readonly p95: number | null;
}

/** What {@link metrics} counted, as plain data: `JSON.stringify` it for a dashboard. */
export interface MetricsSnapshot {
  /** When counting began: the plugin's creation or the last `reset()`, ISO 8601. */
  readonly since: string;
  /** The session's status at the last change the plugin saw (`'idle'` before any). */
  readonly status: SessionStatus;
  /** Sessions that became ready (`bot_connect_success`), the first included. */
  readonly sessions: number;
  /** Changes into `reconnecting`: connections lost and about to be replaced. */
  readonly reconnects: number;
  /** Changes into `failed`: sessions given up for good. */
  readonly failures: number;
  /** Connections that had been opened and ended (a reconnect, a failure or a stop). */
  readonly disconnects: number;
  /** The same, by the reason's code (`'1006'`, `'4006'`, `'ZOMBIE_CONNECTION'`, `'STOPPED'`, …), at most {@link METRICS_MAX_NAMES}. */
  readonly disconnectCodes: Readonly<Record<string, number>>;
  /**
   * Errors counted: this plugin's own failures (the plugin host reports nothing else to a plugin),
   * plus everything handed to `recordError`.
   */
  readonly errors: number;
  /** The same, by code (`'INVALID_FRAME'`, `'PLUGIN_FAILED'`, `4005`, …), at most {@link METRICS_MAX_NAMES}. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Gateway events received, all names together. */
  readonly eventsTotal: number;
  /**
   * Gateway events received, by name as the gateway spelled it, keys hidden (`[key]`: a hostile
   * gateway may name an event after the key). At most {@link METRICS_MAX_NAMES} names; events of
   * any name past those are counted under `'(other)'`, one more entry.
   */
  readonly events: Readonly<Record<string, number>>;
  /** Heartbeat round trips; see {@link LatencySummary}. */
  readonly latency: LatencySummary;
}

/** The plugin {@link metrics} returns: a plugin, plus its counters. Its functions need no `this`. */
export interface MetricsPlugin extends AnyGatewayPlugin {
  /** What was counted so far, as a fresh plain object (later counting does not change it). */
  readonly snapshot: () => MetricsSnapshot;
  /** Sets every counter to zero and drops the latency samples; `since` becomes now. */
  readonly reset: () => void;
  /**
   * Counts an error. Give it to the client's `onError` to count everything the client reports
   * (bad frames, other plugins' failures, …), which plugins are not told about.
   */
  readonly recordError: (error: GatewayError) => void;
}

/**
 * Counts what a session goes through, for a dashboard or a health check: events by name,
 * sessions, reconnects, failures, disconnects by code, errors by code, and a summary of
 * the heartbeat latency over the latest samples. A latency sample is taken each time an ACK ends
 * `heartbeat-pending` (status `heartbeat-pending` → `ready`), from `context.latency`; the
 * heartbeats sent while identifying are not sampled.
 *
 * The plugin host tells a plugin only about its own failures; to count every error the client
 * reports, hand them to `recordError` from the client's `onError` (as below).
 *
 * One instance counts for every client it is added to; give each client its own for separate
 * figures.
 *
 * A wrong option throws `INVALID_OPTIONS`. Typed as `AnyGatewayPlugin`, so it fits a client whatever
 * codecs the client was given.
 *
 * @example
 * const stats = metrics({ latencySamples: 50 });
 * const client = createGatewayClient({
 *   identify,
 *   plugins: [stats],
 *   onError: (error) => {
 *     stats.recordError(error);
 *     console.warn(error.message);
 *   },
 * });
 * await client.start();
 * http.createServer((_req, res) => res.end(JSON.stringify(stats.snapshot()))).listen(9100);
 */
export function metrics(options: MetricsOptions = {}): MetricsPlugin {
  const name = options.name ?? metricsDefaults.name;
  const window = options.latencySamples ?? metricsDefaults.latencySamples;
  if (!Number.isSafeInteger(window) || window < 1)
    invalidOptions(`metrics: latencySamples must be a positive whole number, got ${String(window)}`);

  let since = new Date();
  let status: SessionStatus = 'idle';
  let sessions = 0;
  let reconnects = 0;
  let failures = 0;
  let eventsTotal = 0;
  const events = new Map<string, number>();
  const disconnectCodes = new Map<string, number>();
  const errorCodes = new Map<string, number>();
  const samples: number[] = [];
  const bump = (counts: Map<string, number>, key: string): void => {
    const counted = counts.has(key) || counts.size < METRICS_MAX_NAMES ? key : '(other)';
    counts.set(counted, (counts.get(counted) ?? 0) + 1);
  };
  const total = (counts: Map<string, number>): number => [...counts.values()].reduce((sum, n) => sum + n, 0);
  const recordError = (error: GatewayError): void => {
    bump(errorCodes, String(error.code));
  };

  const plugin = definePlugin({
    name,
    onEvent(event, _data, context) {
      eventsTotal++;
      // Hidden as it is counted: one instance may count for clients with different keys.
      bump(
        events,
        cutLine(event, METRICS_NAME_MAX, (part) => context.redact(part)),
      );
    },
    onReady() {
      sessions++;
    },
    onStatus(change, context) {
      status = change.status;
      if (change.status === 'reconnecting') reconnects++;
      else if (change.status === 'failed') failures++;
      else if (change.status === 'ready' && change.previous === 'heartbeat-pending') {
        const latency = context.latency;
        if (latency !== undefined && Number.isFinite(latency)) {
          samples.push(latency);
          if (samples.length > window) samples.shift();
        }
      }
    },
    onDisconnect(reason) {
      bump(disconnectCodes, String(reason.code));
    },
    onError: recordError,
  });

  return {
    ...plugin,
    snapshot: () => ({
      since: since.toISOString(),
      status,
      sessions,
      reconnects,
      failures,
      disconnects: total(disconnectCodes),
      disconnectCodes: Object.fromEntries(disconnectCodes),
      errors: total(errorCodes),
      errorCodes: Object.fromEntries(errorCodes),
      eventsTotal,
      events: Object.fromEntries(events),
      latency: summarise(samples),
    }),
    recordError,
    reset() {
      since = new Date();
      sessions = reconnects = failures = eventsTotal = 0;
      events.clear();
      disconnectCodes.clear();
      errorCodes.clear();
      samples.length = 0;
    },
  };
}

function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  /** Nearest rank: the smallest sample with at least `p`% of the samples at or below it. */
  const percentile = (p: number): number | null =>
    sorted[Math.max(0, Math.ceil((p / 100) * count) - 1)] ?? null;
  return {
    count,
    last: samples[count - 1] ?? null,
    min: sorted[0] ?? null,
    max: sorted[count - 1] ?? null,
    mean: count === 0 ? null : sorted.reduce((sum, n) => sum + n, 0) / count,
    p50: percentile(50),
    p95: percentile(95),
  };
}
