import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GatewayError } from '../errors/gateway-error.js';
import { createSessionFeed, type ViewedClient } from './feed.js';
import { FEED_PATH, type ViewMessage } from './messages.js';
import { viewPage } from './page.js';
import {
  allowedHost,
  allowedOrigin,
  closePageSocket,
  closeServer,
  refuse,
  servePage,
  type LoopbackPage,
} from './loopback.js';

/** Options of {@link createSessionView}. */
export interface SessionViewOptions {
  /** The port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /**
   * Secrets to mask in everything the page is sent, as the client masks its key: give the key the
   * client identifies with. The client's reasons are masked already; event names are the gateway's
   * text, and a hostile gateway can put the key there. Event data is never sent at all.
   */
  readonly keys?: readonly string[];
}

/** A running view of one client. */
export interface SessionView {
  /** The page to open: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The address the server listens on; always 127.0.0.1. */
  readonly address: AddressInfo;
  /**
   * Shows an error on the page. The client hands errors only to its `onError` option, which is the
   * app's: pass them on (`onError: (error) => view.report(error)`) to see decode errors and the rest.
   */
  report(error: Pick<GatewayError, 'code' | 'message'>): void;
  /** Closes every page's socket and the server; resolves when nothing of the view is left open. */
  stop(): Promise<void>;
}

/** Pages only listen: anything bigger than this from one closes its socket. */
const PAGE_MAX_PAYLOAD = 1024;

/** How long {@link SessionView.stop} lets a page's socket finish its closing handshake, ms. */
const CLOSE_GRACE_MS = 1000;

/**
 * Serves a live picture of `client` on 127.0.0.1: its statechart with the current state, the
 * transitions, the events (names and sizes), the latency, the reconnects, the queue and the
 * plugins, pushed over a WebSocket as they happen. The page loads nothing from the network: its
 * script and style are inline (and the Content-Security-Policy forbids anything else).
 *
 * For Node and Electron main processes. It reads the client's public API only and sends no event
 * data. Like the CLI's inspector bridge, it answers only requests whose Host names it (DNS
 * rebinding) and WebSockets with no Origin or its own (other pages).
 *
 * @example
 * const view = await createSessionView(client, { port: 0, keys: [key] });
 * console.log(`open ${view.url}`);
 * // …
 * await view.stop();
 */
export async function createSessionView(
  client: ViewedClient,
  options: SessionViewOptions = {},
): Promise<SessionView> {
  const port = options.port ?? 0;
  const pages = new WebSocketServer({ noServer: true, maxPayload: PAGE_MAX_PAYLOAD });
  let boundPort = port;
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const broadcast = (message: ViewMessage): void => {
    if (pages.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const page of pages.clients) if (page.readyState === page.OPEN) page.send(text);
  };
  const feed = createSessionFeed(client, broadcast, options.keys);

  const server = createServer((request, response) => servePage(request, response, boundPort, sessionPage));
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (stopping) refuse(socket, 503, 'Service Unavailable');
    else if (
      !allowedHost(request.headers.host, boundPort) ||
      !allowedOrigin(request.headers.origin, boundPort)
    )
      refuse(socket, 403, 'Forbidden');
    else if (request.url !== FEED_PATH) refuse(socket, 404, 'Not Found');
    else pages.handleUpgrade(request, socket, head, (ws) => pages.emit('connection', ws, request));
  });
  pages.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    // No 'message' handler: a page only watches.
    const hello: ViewMessage = { type: 'snapshot', snapshot: feed.snapshot() };
    ws.send(JSON.stringify(hello));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `the view's port ${port} is in use (choose another)`
              : `the view cannot listen on 127.0.0.1:${port}: ${error.message}`,
          ),
        );
      };
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve();
      });
    });
  } catch (error) {
    feed.close();
    pages.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  boundPort = address.port;

  return {
    url: `http://127.0.0.1:${boundPort}/`,
    address,
    report: (error) => feed.report(error),
    stop() {
      stopping = true;
      stopped ??= (async () => {
        feed.close();
        await Promise.all(
          [...pages.clients].map((ws) => closePageSocket(ws, 'view stopped', CLOSE_GRACE_MS)),
        );
        await new Promise((resolve) => pages.close(resolve));
        await closeServer(server);
      })();
      return stopped;
    },
  };
}

/** The view's page: its one script and its one style, both by nonce. */
const sessionPage: LoopbackPage = {
  html: (nonce) => viewPage(nonce),
  directives: (nonce) => [`style-src 'nonce-${nonce}'`],
};
