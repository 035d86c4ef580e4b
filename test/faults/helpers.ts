import { connect, createServer, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../src/index.js';
import { createFaultProxy, type FaultProxy, type FaultProxyOptions } from '../../src/testing/index.js';
import { cleanUp as cleanUpClients } from '../client/helpers.js';

export { client, gateway, KEY, until } from '../client/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
const proxies: FaultProxy[] = [];

/**
 * Heals every proxy (so no client waits out a close grace on a dead link), stops every client and
 * gateway (through the client helpers), then closes every proxy and server made here. Clients go
 * before proxies, so none of them sees its proxy vanish and starts reconnecting.
 */
export async function cleanUp(): Promise<void> {
  for (const p of proxies.splice(0)) p.heal();
  await cleanUpClients();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A fault proxy, closed by {@link cleanUp}. */
export async function proxy(target: FaultProxyOptions['target']): Promise<FaultProxy> {
  const p = await createFaultProxy({ target });
  proxies.push(p);
  cleanups.push(() => p.close());
  return p;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP server echoing what it reads (a FIN included), with the sockets it accepted. */
export interface EchoServer {
  readonly port: number;
  readonly sockets: Socket[];
  close(): Promise<void>;
}

/** An echo server on 127.0.0.1, closed by {@link cleanUp}. */
export async function echoServer(): Promise<EchoServer> {
  const sockets: Socket[] = [];
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return { port, sockets, close };
}

/** A raw TCP client of a proxy, recording what it reads and how it ended. */
export interface TcpClient {
  readonly socket: Socket;
  readonly received: () => Buffer;
  /** `end` after a FIN, `error:<code>` after an error (ECONNRESET for an RST); `undefined` while open. */
  readonly ended: () => string | undefined;
  /** Resolves once `bytes` bytes have been read, with the time it happened (performance.now()). */
  receivedBytes(bytes: number, ms?: number): Promise<number>;
  /** Resolves when the socket is closed, with how it ended. */
  readonly closed: Promise<string>;
}

/** Connects to `port` on 127.0.0.1 (resolves once connected, or closed); destroyed by {@link cleanUp}. */
export async function tcpClient(port: number): Promise<TcpClient> {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  socket.setNoDelay(true);
  const chunks: Buffer[] = [];
  let size = 0;
  let ended: string | undefined;
  const waiters: { bytes: number; resolve: (at: number) => void }[] = [];
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    for (const waiter of [...waiters]) {
      if (size >= waiter.bytes) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(performance.now());
      }
    }
  });
  socket.on('end', () => {
    ended ??= 'end';
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    ended ??= `error:${error.code ?? error.message}`;
  });
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(ended ?? 'closed'));
  });
  cleanups.push(async () => {
    socket.destroy();
    await closed;
  });
  // A refused connection may be reset before or after it counts as connected: either way, the
  // test reads how it ended from `closed`.
  await Promise.race([new Promise((resolve) => socket.once('connect', resolve)), closed]);
  return {
    socket,
    received: () => Buffer.concat(chunks),
    ended: () => ended,
    receivedBytes(bytes, ms = 5000) {
      if (size >= bytes) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${size} of ${bytes} bytes within ${ms} ms`)),
          ms,
        );
        waiters.push({
          bytes,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        });
      });
    },
    closed,
  };
}

/** A message one {@link RecordingSocket} received, whatever listeners the client had on it. */
export interface RecordedMessage {
  /** performance.now() when it arrived. */
  readonly at: number;
  /** The text (binary frames are recorded as `(binary N bytes)`). */
  readonly text: string;
  /** The bytes as received (still compressed, for a binary frame). */
  readonly bytes: Buffer;
  readonly binary: boolean;
  /** The socket's readyState when it arrived (2 = CLOSING: the client had already closed it). */
  readonly readyState: number;
}

/** One socket made by a {@link recordingWebSocket} constructor. */
export interface RecordingSocket {
  /** 1 for the first socket the client opened, 2 for the next, … */
  readonly number: number;
  readonly received: readonly RecordedMessage[];
  readonly readyState: number;
  /** How many `message` listeners are still bound (the client's, if it did not unbind them). */
  messageListeners(): number;
  /**
   * Emits a text message on this socket now, as a broken WebSocket implementation might after
   * close: every `message` listener still bound is called.
   */
  emitLate(text: string): void;
  /** Emits a `close` event on this socket now: every `close` listener still bound is called. */
  emitLateClose(code: number, reason: string): void;
}

/**
 * A WebSocket constructor for the client's `WebSocket` option: `ws` itself, recording every message
 * each socket receives before any listener sees it. With `ignoreRemovals`, `removeEventListener`
 * does nothing, as if the client's unbinding had failed: only its other guards are left.
 */
export function recordingWebSocket(options: { ignoreRemovals?: boolean } = {}): {
  WebSocket: WebSocketConstructor;
  sockets: RecordingSocket[];
} {
  const sockets: RecordingSocket[] = [];
  class Recording extends WebSocket implements RecordingSocket {
    readonly number: number;
    readonly received: RecordedMessage[] = [];
    constructor(url: string, protocols?: string | string[], init?: WebSocket.ClientOptions) {
      super(url, protocols, init);
      this.number = sockets.push(this);
      this.on('message', (data: WebSocket.RawData, binary: boolean) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        this.received.push({
          at: performance.now(),
          text: binary ? `(binary ${bytes.length} bytes)` : bytes.toString('utf8'),
          bytes,
          binary,
          readyState: this.readyState,
        });
      });
      if (options.ignoreRemovals === true) this.removeEventListener = () => undefined;
    }
    messageListeners(): number {
      // Minus the recorder's own listener.
      return this.listenerCount('message') - 1;
    }
    emitLate(text: string): void {
      this.emit('message', Buffer.from(text), false);
    }
    emitLateClose(code: number, reason: string): void {
      this.emit('close', code, Buffer.from(reason));
    }
  }
  return { WebSocket: Recording as unknown as WebSocketConstructor, sockets };
}

/** Registers `cleanup` to run in {@link cleanUp}, after the clients are stopped. */
export function onCleanUp(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/**
 * Records a figure a test measured. Printed only with `FAULT_FIGURES=1`, so that the figures quoted
 * in docs/reliability.md can be read again from a run without cluttering ordinary ones.
 */
export function figure(name: string, value: number | readonly number[]): void {
  if (process.env.FAULT_FIGURES !== '1') return;
  const text = typeof value === 'number' ? value.toFixed(0) : value.map((v) => v.toFixed(0)).join(', ');
  process.stdout.write(`[figure] ${name}: ${text}\n`);
}

/** Whether the session is up: `ready`, or `heartbeat-pending` (ready, a heartbeat out). */
export function isReady(status: string): boolean {
  return status === 'ready' || status === 'heartbeat-pending';
}
