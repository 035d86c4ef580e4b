import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  allowedHost,
  allowedOrigin,
  closePageSocket,
  closeServer,
  refuse,
  servePage,
  type LoopbackPage,
} from '../view/loopback.js';

/** The Stately inspector the bridge page embeds; the only origin the page talks to. */
const INSPECTOR_URL = 'https://stately.ai/inspect';

/** The origin of {@link INSPECTOR_URL}: the page's `postMessage` target and the one sender it trusts. */
const INSPECTOR_ORIGIN = 'https://stately.ai';

/** How many of the producer's latest events a page opened later is replayed, as `@statelyai/inspect/server` does. */
export const REPLAYED_EVENTS = 200;

/** Viewers have nothing to say: anything bigger than this from a page closes its socket. */
const VIEWER_MAX_PAYLOAD = 1024;

/** How long {@link InspectorBridge.stop} lets a socket finish its closing handshake before cutting it. */
const CLOSE_GRACE_MS = 1000;

/** A running bridge between the CLI's inspector and the browser pages that show it. */
export interface InspectorBridge {
  /** The page a person opens: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /**
   * Where the CLI's own inspector connects. Its path holds a random token, so only this process is
   * the producer; any other socket is a viewer, whose messages go nowhere.
   */
  readonly producerUrl: string;
  /** The address the server listens on; always 127.0.0.1. */
  readonly address: AddressInfo;
  /**
   * Resolves once a producer is connected and has answered a ping, so its socket is open on both
   * ends; rejects after `timeoutMs` without one.
   */
  producerReady(timeoutMs: number): Promise<void>;
  /** Closes every socket and the server; resolves when nothing of the bridge is left open. */
  stop(): Promise<void>;
}

/**
 * Starts the inspector bridge on 127.0.0.1:`port` (0 picks a free port): an HTTP page that embeds
 * the Stately inspector and a WebSocket that carries the CLI's inspection events to it.
 *
 * It replaces `@statelyai/inspect/server`, whose server listens on every interface, accepts
 * WebSockets from any origin and any Host, relays what any client sends to every other, and whose
 * page posts events to the iframe with the target origin `*`. Here:
 * - the server listens on loopback only;
 * - requests and upgrades must name the bridge in their Host header (127.0.0.1:PORT or
 *   localhost:PORT), which defeats DNS rebinding;
 * - upgrades carry no Origin (a local process) or the page's own origin, which stops other web
 *   pages hijacking the socket;
 * - only the producer (the socket on {@link InspectorBridge.producerUrl}) is relayed, to viewers only;
 * - the page posts to the iframe with the target origin {@link INSPECTOR_ORIGIN}.
 */
export async function startInspectorBridge(port: number): Promise<InspectorBridge> {
  const token = randomBytes(24).toString('base64url');
  const producerPath = `/producer/${token}`;
  // Both are attached by hand to the HTTP server's upgrades, after the checks below.
  const producers = new WebSocketServer({ noServer: true });
  const viewers = new WebSocketServer({ noServer: true, maxPayload: VIEWER_MAX_PAYLOAD });
  const replay: string[] = [];
  let boundPort = port;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  const readyWaiters = new Set<() => void>();
  let producerOpen = false;

  const server = createServer((request, response) => servePage(request, response, boundPort, inspectorPage));

  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = request.url ?? '';
    if (stopping) {
      refuse(socket, 503, 'Service Unavailable');
    } else if (
      !allowedHost(request.headers.host, boundPort) ||
      !allowedOrigin(request.headers.origin, boundPort)
    ) {
      refuse(socket, 403, 'Forbidden');
    } else if (sameSecret(path, producerPath)) {
      producers.handleUpgrade(request, socket, head, (ws) => producers.emit('connection', ws, request));
    } else if (path === '/') {
      viewers.handleUpgrade(request, socket, head, (ws) => viewers.emit('connection', ws, request));
    } else {
      refuse(socket, 404, 'Not Found');
    }
  });

  producers.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    // A pong proves the producer's side has seen the handshake through: its socket is OPEN, so
    // closing it later is a clean close, not an aborted connect (which `createWebSocketInspector`
    // answers by reconnecting every 5 s, forever).
    ws.once('pong', () => {
      producerOpen = true;
      for (const resolve of readyWaiters) resolve();
      readyWaiters.clear();
    });
    ws.ping();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return; // inspection events are JSON text; anything else is not for the page
      const text = rawText(data);
      replay.push(text);
      if (replay.length > REPLAYED_EVENTS) replay.shift();
      for (const viewer of viewers.clients) {
        if (viewer.readyState === viewer.OPEN) viewer.send(text);
      }
    });
  });

  viewers.on('connection', (ws: WebSocket) => {
    ws.on('error', () => ws.terminate());
    // Deliberately no 'message' handler: a page only watches. What it sends is dropped, never
    // relayed to the producer or to other pages, and never replayed.
    for (const text of replay) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `the inspector port ${port} is in use (choose another with --inspect-port)`
            : `the inspector cannot listen on 127.0.0.1:${port}: ${error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  boundPort = address.port;

  return {
    url: `http://127.0.0.1:${boundPort}`,
    producerUrl: `ws://127.0.0.1:${boundPort}${producerPath}`,
    address,
    producerReady(timeoutMs) {
      if (producerOpen) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          readyWaiters.delete(done);
          reject(new Error(`the inspector did not connect to its bridge within ${timeoutMs} ms`));
        }, timeoutMs);
        readyWaiters.add(done);
      });
    },
    stop() {
      stopping = true;
      stopped ??= (async () => {
        const sockets = [...producers.clients, ...viewers.clients];
        await Promise.all(sockets.map((ws) => closePageSocket(ws, 'inspector stopped', CLOSE_GRACE_MS)));
        await Promise.all([producers, viewers].map((wss) => new Promise((resolve) => wss.close(resolve))));
        await closeServer(server);
      })();
      return stopped;
    },
  };
}

/**
 * The page: the Stately inspector in an iframe, fed from the bridge's WebSocket. It waits for the
 * inspector's `@statelyai.connected` (from the iframe, at {@link INSPECTOR_ORIGIN}, no other window)
 * before posting, and posts only to that origin, so an iframe navigated elsewhere receives nothing.
 */
function bridgePage(nonce: string): string {
  return `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>utilbot-gateway inspector</title>
  <style>
    * { margin: 0; padding: 0; }
    html, body { height: 100%; }
    iframe { width: 100%; height: 100%; border: none; }
  </style>
</head>
<body>
  <iframe id="inspector" src="${INSPECTOR_URL}"></iframe>
  <script nonce="${nonce}">
    const iframe = document.getElementById('inspector');
    const pending = [];
    let connected = false;

    function post(event) {
      iframe.contentWindow.postMessage(event, '${INSPECTOR_ORIGIN}');
    }

    window.addEventListener('message', (e) => {
      if (e.source !== iframe.contentWindow || e.origin !== '${INSPECTOR_ORIGIN}') return;
      if (e.data && e.data.type === '@statelyai.connected') {
        connected = true;
        pending.splice(0).forEach(post);
      }
    });

    const ws = new WebSocket('ws://' + location.host + '/');
    ws.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (connected) {
        post(event);
      } else {
        pending.push(event);
        if (pending.length > ${REPLAYED_EVENTS}) pending.shift();
      }
    };
  </script>
</body>
</html>
`;
}

/** Compares a request path with the producer's in constant time: the token is the producer's only credential. */
function sameSecret(path: string, expected: string): boolean {
  const a = Buffer.from(path);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One relayed message as text. */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** The bridge's page: it frames only the inspector, and styles itself inline. */
const inspectorPage: LoopbackPage = {
  html: (nonce) => bridgePage(nonce),
  directives: () => ["style-src 'unsafe-inline'", `frame-src ${INSPECTOR_ORIGIN}`],
};
