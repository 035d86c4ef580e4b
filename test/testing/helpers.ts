import { constants, createInflate, inflateSync } from 'node:zlib';
import WebSocket from 'ws';
import {
  createLocalGateway,
  type LocalGateway,
  type LocalGatewayConnection,
  type LocalGatewayOptions,
} from '../../src/testing/index.js';

/** A frame the gateway sent, parsed. */
export interface GatewayMessage {
  op: number;
  t?: string;
  e?: number;
  m?: string;
  d?: unknown;
}

/** How the test client reads binary frames. */
export type ClientInflate = 'none' | 'per-message' | 'stream';

/** A plain `ws` client that queues what it receives, so a test awaits messages instead of sleeping. */
export interface TestClient {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason (1006 when the socket was dropped). */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Every raw frame, as received. */
  readonly raw: { data: Buffer; binary: boolean }[];
  /** The next message not taken yet, parsed (and inflated); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<GatewayMessage>;
  /** The next message whose `t` is `name`, skipping others (heartbeat ACKs, …). */
  nextEvent(name: string, timeoutMs?: number): Promise<GatewayMessage>;
  send(value: unknown): void;
  sendText(text: string): void;
  heartbeat(): void;
  identify(key: string): void;
}

const gateways: LocalGateway[] = [];
const clients: TestClient[] = [];

/** Starts a gateway that `cleanUp()` closes. Quiet timers by default: tests turn on what they test. */
export async function startGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const gateway = await createLocalGateway({ heartbeatInterval: 60_000, guildCountInterval: 0, ...options });
  gateways.push(gateway);
  return gateway;
}

/** Closes every client and gateway the helpers opened: call it in `afterEach`. */
export async function cleanUp(): Promise<void> {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
}

/** Rejects after `ms` unless `promise` settles first; the timer never outlives the wait. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** Opens a client to `url` (query included). `inflate` says how to read binary frames. */
export function connect(url: string, inflate: ClientInflate = 'none'): TestClient {
  const ws = new WebSocket(url);
  const raw: { data: Buffer; binary: boolean }[] = [];
  const messages: GatewayMessage[] = [];
  const waiters: ((message: GatewayMessage) => void)[] = [];
  const stream = inflate === 'stream' ? createStreamInflater() : undefined;
  let order: Promise<unknown> = Promise.resolve();

  const deliver = (text: string): void => {
    // Raw garbage a test sent on purpose (sendRaw) stays in `raw` only.
    if (!isJson(text)) return;
    const message = JSON.parse(text) as GatewayMessage;
    const waiter = waiters.shift();
    if (waiter === undefined) messages.push(message);
    else waiter(message);
  };

  ws.on('message', (data: Buffer, binary: boolean) => {
    raw.push({ data, binary });
    if (!binary || inflate === 'none') {
      deliver(data.toString('utf8'));
      return;
    }
    if (inflate === 'per-message') {
      const text = inflateOrUndefined(data);
      if (text !== undefined) deliver(text); // else: raw bytes a test sent on purpose
      return;
    }
    // One inflate context for the connection; frames are inflated one after another, in order.
    order = order.then(() => stream?.inflate(data).then(deliver));
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve();
    });
    ws.once('error', reject);
  });
  opened.catch(() => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      // Frames still inflating came before the close: let them finish first.
      void order.finally(() => stream?.close());
      resolve({ code, reason: reason.toString('utf8') });
    });
  });
  ws.on('error', () => undefined);

  function next(timeoutMs = 3_000): Promise<GatewayMessage> {
    const kept = messages.shift();
    if (kept !== undefined) return Promise.resolve(kept);
    let taken: ((message: GatewayMessage) => void) | undefined;
    const arrival = new Promise<GatewayMessage>((resolve) => {
      taken = resolve;
      waiters.push(resolve);
    });
    return within(arrival, timeoutMs, 'a message from the gateway').catch((error: unknown) => {
      waiters.splice(waiters.indexOf(taken as (message: GatewayMessage) => void), 1);
      throw error;
    });
  }

  const client: TestClient = {
    ws,
    opened,
    closed,
    raw,
    next,
    async nextEvent(name, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await next(Math.max(1, deadline - Date.now()));
        if (message.t === name) return message;
      }
    },
    send: (value) => {
      ws.send(JSON.stringify(value));
    },
    sendText: (text) => {
      ws.send(text);
    },
    heartbeat: () => {
      ws.send('{"op":10}');
    },
    identify: (key) => {
      ws.send(JSON.stringify({ op: 1, t: 'identify', d: { type: 'bot', key } }));
    },
  };
  clients.push(client);
  return client;
}

function inflateOrUndefined(data: Buffer): string | undefined {
  try {
    return inflateSync(data).toString('utf8');
  } catch {
    return undefined;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * One zlib inflate context for a whole connection, as a client of the stream form keeps. A message
 * is complete once the flush has called back and its output parses: Node may emit the flushed
 * output after the flush callback.
 */
function createStreamInflater(): { inflate(data: Buffer): Promise<string>; close(): void } {
  const inflater = createInflate();
  let output: Buffer[] = [];
  let check: (() => void) | undefined;
  inflater.on('data', (chunk: Buffer) => {
    output.push(chunk);
    check?.();
  });
  inflater.on('error', () => undefined);
  return {
    inflate(data) {
      return new Promise((resolve) => {
        let flushed = false;
        check = () => {
          const text = Buffer.concat(output).toString('utf8');
          if (!flushed || !isJson(text)) return;
          output = [];
          check = undefined;
          resolve(text);
        };
        inflater.write(data);
        inflater.flush(constants.Z_SYNC_FLUSH, () => {
          flushed = true;
          check?.();
        });
      });
    },
    close: () => {
      inflater.close();
    },
  };
}

/** Connects, takes Hello, starts heartbeating and identifies; resolves once `bot_connect_success` came. */
export async function identifiedBot(
  gateway: LocalGateway,
  key = 'local-dev-key',
): Promise<{ client: TestClient; connection: LocalGatewayConnection; botId: string }> {
  const client = connect(`${gateway.url}/?v=1`);
  const connection = await gateway.nextConnection();
  expect((await client.next()).op).toBe(5);
  client.heartbeat();
  client.identify(key);
  const success = await client.nextEvent('bot_connect_success');
  const botId = (success.d as { id: string }).id;
  return { client, connection, botId };
}
