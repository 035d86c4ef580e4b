import { sessionGraph } from '../../machines/session-graph.js';
import type { GatewayClient } from '../client.js';
import type { GatewayError } from '../errors/gateway-error.js';
import { cutLine, oneLine } from '../errors/one-line.js';
import { createKeyRedactor } from '../errors/redact.js';
import {
  viewHistory,
  type ViewError,
  type ViewEvent,
  type ViewMessage,
  type ViewSnapshot,
  type ViewTransition,
} from './messages.js';

/** How often the gauges the client has no listener for (queue size, plugins) are read, ms. */
export const GAUGE_PERIOD_MS = 500;

/** The longest event name or message the page is sent, characters. */
const TEXT_MAX = 200;

/** A client as the view reads it: its public API, nothing else. */
export type ViewedClient = Pick<
  GatewayClient,
  'status' | 'latency' | 'queue' | 'plugins' | 'subscribe' | 'on' | 'redact'
>;

/** The view's record of one client, and the messages it pushes as the client changes. */
export interface SessionFeed {
  snapshot(): ViewSnapshot;
  /** Hands an error to the pages (the client's `onError` is the app's: it must pass them on). */
  report(error: Pick<GatewayError, 'code' | 'message'>): void;
  /** Unsubscribes from the client and stops reading its gauges. */
  close(): void;
}

/**
 * Follows `client` through its public API and calls `push` with each change the page shows. Every
 * string that leaves is cut to one line and masked by the client's own redactor (and of `keys`):
 * event names come from the gateway, and a hostile one can echo the key there.
 */
export function createSessionFeed(
  client: ViewedClient,
  push: (message: ViewMessage) => void,
  keys: readonly string[] = [],
): SessionFeed {
  // The client's own redactor (every key it identified with, a rotated one too), and `keys` besides.
  const redactor = createKeyRedactor(Math.max(1, keys.length));
  for (const key of keys) redactor.remember(key);
  // A bounded prefix cleaned, then cut: a megabyte event name costs no megabyte scan.
  const clean = (text: string): string =>
    cutLine(text, TEXT_MAX, (part) => redactor.redact(client.redact(oneLine(part))));

  const transitions: ViewTransition[] = [];
  const events: ViewEvent[] = [];
  const errors: ViewError[] = [];
  const latencies: number[] = [];
  let queue = client.queue.size;
  let plugins: readonly string[] = [...client.plugins].map(clean);

  const keep = <T>(list: T[], item: T, max: number): void => {
    list.push(item);
    if (list.length > max) list.splice(0, list.length - max);
  };

  const offStatus = client.subscribe((change) => {
    const transition: { -readonly [K in keyof ViewTransition]: ViewTransition[K] } = {
      at: Date.now(),
      previous: change.previous,
      status: change.status,
    };
    if (change.reason !== undefined) transition.reason = clean(change.reason.message);
    if (change.retryIn !== undefined) transition.retryIn = change.retryIn;
    // Heartbeats (ready ⇄ heartbeat-pending) are shown live but not kept: two a beat would push the
    // reconnects out of the history a page gets when it opens; their round trips are in `latencies`.
    const beat =
      (change.previous === 'ready' && change.status === 'heartbeat-pending') ||
      (change.previous === 'heartbeat-pending' && change.status === 'ready');
    if (!beat) keep(transitions, transition, viewHistory.transitions);
    push({ type: 'transition', transition });
    // A heartbeat's ACK is the moment `latency` changes.
    const latency = client.latency;
    if (change.previous === 'heartbeat-pending' && change.status === 'ready' && latency !== undefined) {
      keep(latencies, latency, viewHistory.latencies);
      push({ type: 'latency', latency });
    }
    readGauges();
  });

  const offEvents = client.on('*', (data, name) => {
    const event: ViewEvent = { at: Date.now(), name: clean(name), size: sizeOf(data) };
    keep(events, event, viewHistory.events);
    push({ type: 'event', event });
  });

  // Neither the queue nor the plugin list has a listener: they are read, and pushed when changed.
  function readGauges(): void {
    const nowQueue = client.queue.size;
    const nowPlugins = [...client.plugins].map(clean);
    if (nowQueue === queue && sameList(nowPlugins, plugins)) return;
    queue = nowQueue;
    plugins = nowPlugins;
    push({ type: 'gauges', queue, plugins });
  }
  const gauges = setInterval(readGauges, GAUGE_PERIOD_MS);
  // In Node the view must not keep the process alive; a browser's timer id has no unref.
  (gauges as { unref?: () => void }).unref?.();

  return {
    snapshot: () => ({
      graph: sessionGraph(),
      status: client.status,
      queue,
      plugins,
      latencies: [...latencies],
      transitions: [...transitions],
      events: [...events],
      errors: [...errors],
    }),
    report(error) {
      const entry: ViewError = {
        at: Date.now(),
        code: clean(String(error.code)),
        message: clean(error.message),
      };
      keep(errors, entry, viewHistory.errors);
      push({ type: 'error', error: entry });
    },
    close() {
      clearInterval(gauges);
      offStatus();
      offEvents();
    },
  };
}

// Marked pure: a page that never shows a view need not keep it.
const utf8 = /* @__PURE__ */ new TextEncoder();

/** Bytes of `data` as JSON, or `undefined` when it has none (a cycle, a BigInt). */
function sizeOf(data: unknown): number | undefined {
  try {
    // undefined for undefined or a function, whatever the type says.
    const json = JSON.stringify(data) as string | undefined;
    return json === undefined ? 0 : utf8.encode(json).length;
  } catch {
    return undefined;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
