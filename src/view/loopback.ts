import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * The guard of every page this package serves on 127.0.0.1 (the session view, the CLI's inspector
 * bridge): one place for the checks that are the security boundary.
 */

/** The Host header names the server itself (browsers send it as typed: either loopback name): DNS rebinding. */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** No Origin is a local process (a browser always sends one); otherwise only the page's own. */
export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

/** Ends an upgrade before it becomes a WebSocket: a bare status line, then the socket is gone. */
export function refuse(socket: Socket, status: number, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Closes a socket with 1001 and `why` if the peer answers within `graceMs`, else cuts it. */
export function closePageSocket(ws: WebSocket, why: string, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => ws.terminate(), graceMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1001, why);
  });
}

/** The one page a loopback server serves: its HTML given the nonce of its inline script, and what its CSP adds. */
export interface LoopbackPage {
  /** The HTML, its inline script (and style, where `style-src` allows it) carrying `nonce`. */
  html(nonce: string): string;
  /** `style-src` (and any other directive the page needs: `frame-src` for the inspector's iframe), given the nonce. */
  directives(nonce: string): readonly string[];
}

/**
 * Answers plain HTTP on a loopback server: `page` at `/` to a GET or HEAD that names the server
 * (anything else 421, 405 or 404), with a Content-Security-Policy that allows its one script, its
 * own socket and what `page` adds, and forbids framing it (clickjacking).
 */
export function servePage(
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  page: LoopbackPage,
): void {
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
  if (!allowedHost(request.headers.host, port)) {
    // Another name resolving to 127.0.0.1 is DNS rebinding: that site must not read the page.
    response.writeHead(421, headers).end('misdirected request\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end('method not allowed\n');
    return;
  }
  if (request.url !== '/') {
    response.writeHead(404, headers).end('not found\n');
    return;
  }
  const nonce = randomBytes(16).toString('base64');
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      ...page.directives(nonce),
      `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
  });
  response.end(request.method === 'HEAD' ? undefined : page.html(nonce));
}

/** Closes `server` once its sockets are gone; idle keep-alive connections, which would hold it open, are dropped. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
