import type { GatewayError } from '../errors/gateway-error.js';
import { drawSessionView } from './draw.js';
import { createSessionFeed, type ViewedClient } from './feed.js';

/** Options of {@link renderSessionView}. */
export interface RenderSessionViewOptions {
  /**
   * Secrets to mask besides the client's own keys (which `client.redact` masks already) in all the
   * view shows. Event data is never shown at all.
   */
  readonly keys?: readonly string[];
}

/** A session view drawn into an element of the page. */
export interface RenderedSessionView {
  /**
   * Shows an error in the view. The client hands errors only to its `onError` option, which is the
   * app's: pass them on (`onError: (error) => view.report(error)`) to see decode errors and the rest.
   */
  report(error: Pick<GatewayError, 'code' | 'message'>): void;
  /** Stops following the client and removes the view (and its style sheet) from the page. */
  stop(): void;
}

/**
 * Draws the session view (docs/view.md) into `element` of the page this code runs in, straight
 * from `client`: no server, no socket. For a browser page or an Electron renderer that runs the
 * client itself; where the client runs in Node or an Electron main process, serve the view with
 * `createSessionView` instead.
 *
 * It is the served page's view, drawn by the same code (draw.ts) from the same feed (the client's
 * public API; event names and sizes, never data; every text masked by `client.redact`): the chart
 * of every status change the machine allows with the current status lit, the transitions, events,
 * latency, reconnects, queue and plugins. It writes text only through `textContent` and styles
 * itself with a constructed style sheet scoped to its own class, so it needs no `unsafe-inline` nor
 * any other Content-Security-Policy allowance, and leaves the rest of the page's look alone.
 * `element`'s children are replaced while it is shown.
 *
 * @example
 * // An Electron renderer (or any page) that runs the client:
 * let view: RenderedSessionView | undefined;
 * const client = createGatewayClient({ url, identify, onError: (error) => view?.report(error) });
 * view = renderSessionView(document.getElementById('session')!, client);
 * await client.start();
 * // …
 * view.stop();
 */
export function renderSessionView(
  element: HTMLElement,
  client: ViewedClient,
  options: RenderSessionViewOptions = {},
): RenderedSessionView {
  const drawing = drawSessionView(element);
  const feed = createSessionFeed(client, (message) => drawing.apply(message), options.keys);
  drawing.apply({ type: 'snapshot', snapshot: feed.snapshot() });
  let stopped = false;
  return {
    report: (error) => feed.report(error),
    stop() {
      if (stopped) return;
      stopped = true;
      feed.close();
      drawing.remove();
    },
  };
}
