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
