import { createServer, type Server, type Socket } from 'node:net';
import {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
  type GatewayError,
  type StatusChange,
} from '../../src/index.js';
import { createLocalGateway, type LocalGateway, type LocalGatewayOptions } from '../../src/testing/index.js';

/** The key every client test identifies with; tests search everything observable for it. */
export const KEY = 'test-key-5f1c9a-SECRET';

const cleanups: (() => Promise<void>)[] = [];

/** Stops every client and gateway a test made, even when the test failed half way. */
export async function cleanUp(): Promise<void> {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) await cleanup();
}

/** A local gateway on a free port that accepts {@link KEY}, closed by {@link cleanUp}. */
export async function gateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const gw = await createLocalGateway({ keys: [KEY], heartbeatInterval: 60_000, ...options });
  cleanups.push(() => gw.close());
  return gw;
}

/** What a client did, as a test wants to look at it. */
export interface Recorded {
  readonly client: GatewayClient;
  readonly changes: StatusChange[];
  readonly errors: GatewayError[];
  readonly statuses: () => string[];
  /** Resolves at the next change to `status` (or the next change at all), within `ms`. */
  next(status?: string, ms?: number): Promise<StatusChange>;
}

/** A client with fast defaults for tests, recording its status changes and errors. */
export function client(options: Partial<GatewayClientOptions> & { url: string }): Recorded {
  const changes: StatusChange[] = [];
  const errors: GatewayError[] = [];
  const waiters: { status: string | undefined; resolve: (c: StatusChange) => void }[] = [];
  const c = createGatewayClient({
    identify: { type: 'bot', key: KEY },
    reconnect:
      options.reconnect === false ? false : { minDelay: 20, maxDelay: 200, jitter: 0, ...options.reconnect },
    timeouts: { connect: 2000, hello: 2000, identify: 2000, ...options.timeouts },
    onError: (error) => errors.push(error),
    ...options,
  });
  c.subscribe((change) => {
    changes.push(change);
    for (const waiter of [...waiters]) {
      if (waiter.status === undefined || waiter.status === change.status) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(change);
      }
    }
  });
  cleanups.push(() => c.stop());
  return {
    client: c,
    changes,
    errors,
    statuses: () => changes.map((change) => change.status),
    next(status, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no status ${status ?? 'change'} within ${ms} ms; saw ${changes.map((x) => x.status).join(' ')}`,
              ),
            ),
          ms,
        );
        waiters.push({
          status,
          resolve: (change) => {
            clearTimeout(timer);
            resolve(change);
          },
        });
      });
    },
  };
}

/** A TCP server that accepts and never answers: a WebSocket handshake to it never completes. */
export async function blackhole(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return { url: `ws://127.0.0.1:${port}`, close };
}

/** A port nothing listens on: connections to it are refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `ws://127.0.0.1:${port}`;
}

/** Waits until `check` holds, polling every 5 ms, or fails after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
