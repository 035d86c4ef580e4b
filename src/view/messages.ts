/**
 * What the session view draws, as messages: the feed (feed.ts) sends them, the drawing (draw.ts)
 * applies them, in a page over the view's WebSocket as JSON or in a renderer directly. Types and
 * constants only: the page's script is bundled from draw.ts and must not pull in the feed.
 */
import type { SessionGraph } from '../../machines/session-graph.js';
import type { SessionStatus } from '../../machines/status.js';

/** The path of the page's WebSocket, which pushes {@link ViewMessage}s as JSON text. */
export const FEED_PATH = '/feed';

/** How much history a page opened later is given: the newest entries of each list. */
export const viewHistory = { transitions: 100, events: 200, errors: 50, latencies: 60 } as const;

/** A status change as the page shows it: the client's own (already redacted) reason, no objects. */
export interface ViewTransition {
  /** `Date.now()` when it happened. */
  readonly at: number;
  /** The status before. */
  readonly previous: SessionStatus;
  /** The status after. */
  readonly status: SessionStatus;
  /** Why, one line, the key masked (with `reconnecting` and `failed`). */
  readonly reason?: string;
  /** With `reconnecting`: ms until the next connection. */
  readonly retryIn?: number;
}

/** An event as the page shows it: its name and the size of its data, never the data. */
export interface ViewEvent {
  /** `Date.now()` when it arrived. */
  readonly at: number;
  /** The event name, one line, the key masked. */
  readonly name: string;
  /** Bytes of the data as JSON; `undefined` when it has no JSON form. */
  readonly size: number | undefined;
}

/** An error handed to `report`: its code and one-line message. */
export interface ViewError {
  /** `Date.now()` when it was reported. */
  readonly at: number;
  /** The error's code, as text. */
  readonly code: string;
  /** Its one-line message, the key masked. */
  readonly message: string;
}

/** Everything the page draws, as the page is sent it when it opens. */
export interface ViewSnapshot {
  /** The chart: every status, and every change of status the machine allows (`sessionGraph()`). */
  readonly graph: SessionGraph;
  /** The current status. */
  readonly status: SessionStatus;
  /** Frames waiting in the send queue. */
  readonly queue: number;
  /** The plugins, in the order their handlers run. */
  readonly plugins: readonly string[];
  /** The latest heartbeat round trips, ms, oldest first. */
  readonly latencies: readonly number[];
  /** The latest transitions, oldest first. */
  readonly transitions: readonly ViewTransition[];
  /** The latest events, oldest first. */
  readonly events: readonly ViewEvent[];
  /** The latest errors reported to the view, oldest first. */
  readonly errors: readonly ViewError[];
}

/** What the server pushes to a page: one JSON text message each. */
export type ViewMessage =
  | { readonly type: 'snapshot'; readonly snapshot: ViewSnapshot }
  | { readonly type: 'transition'; readonly transition: ViewTransition }
  | { readonly type: 'event'; readonly event: ViewEvent }
  | { readonly type: 'error'; readonly error: ViewError }
  | { readonly type: 'latency'; readonly latency: number }
  | { readonly type: 'gauges'; readonly queue: number; readonly plugins: readonly string[] };
