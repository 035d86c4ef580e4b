import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { GlobalGuildCountData } from '../protocol/index.js';
import type { LocalGatewayConnection } from './connection-types.js';
import { createConnection, type ConnectionSession } from './connection.js';
import { localGatewayDefaults, resolveGatewayOptions, type LocalGatewayOptions } from './defaults.js';
import type { GatewayFaults } from './faults.js';
import { createGuildCountTotals } from './guild-counts.js';
import { createHandout } from './handout.js';
import { clientText, createLogRedactor } from './log-text.js';
import { originAllowed } from './origin.js';

/** A running local gateway. See {@link createLocalGateway}. */
export interface LocalGateway {
  /** Where to connect, e.g. `ws://127.0.0.1:54321` (add `/?v=1&compression=zlib` as a client would). */
  readonly url: string;
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on (the one the system chose when `port` was 0). */
  readonly port: number;
  /**
   * Faults new connections start with. Change a field and every later connection gets it; a
   * connection already open keeps its own copy (`connection.faults`).
   */
  readonly faults: GatewayFaults;
  /**
   * The connections in arrival order: every open one, and the newest `connectionHistory` closed ones
   * (option; default 1000). A closed connection past that is forgotten, so an index into this list
   * can move; `connection.number` does not.
   */
  readonly connections: readonly LocalGatewayConnection[];
  /** How many connections there have been, forgotten ones included. */
  readonly connectionCount: number;
  /** How many connections are open now. */
  readonly openConnectionCount: number;
  /**
   * The current sum of every identified bot's latest `send_servers` report. Each count saturates at
   * `Number.MAX_SAFE_INTEGER`: bots reporting more than that in total make the sum stop there.
   */
  readonly guildCount: GlobalGuildCountData;
  /**
   * The next connection not handed out yet (each once, in arrival order, so one that arrived before
   * the call is not missed), waiting up to `timeoutMs` (default 5000). Rejects on timeout or close,
   * and once after connections nobody asked for were dropped (option `unclaimedLimit`).
   */
  nextConnection(timeoutMs?: number): Promise<LocalGatewayConnection>;
  /** Sends `GLOBAL_GUILD_COUNT` to every identified bot now, as the periodic broadcast does. */
  broadcastGuildCount(): void;
  /**
   * Closes every connection (1001; silent ones are destroyed), then the server. Resolves when no
   * socket, timer or listener of the gateway is left. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts a local Utilbot gateway speaking protocol version 1 over a real WebSocket server, for tests
 * of gateway clients, with switches to make it misbehave.
 *
 * @example
 * const gateway = await createLocalGateway({ keys: ['k1'], heartbeatInterval: 1000 });
 * const client = connect(`${gateway.url}/?v=1`, 'k1');
 * const connection = await gateway.nextConnection();
 * connection.faults.ack = false; // the client should now see a zombie connection
 * await gateway.close();
 */
export async function createLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const resolved = resolveGatewayOptions(options);
  const faults: GatewayFaults = { ...resolved.faults };
  const connections: ConnectionSession[] = [];
  const open = new Set<ConnectionSession>();
  /** Closed connections still in `connections`, oldest first. */
  const closed: ConnectionSession[] = [];
  const arrivals = createHandout<LocalGatewayConnection>('connection', resolved.unclaimedLimit);
  const totals = createGuildCountTotals();
  let connectionCount = 0;
  let closing: Promise<void> | undefined;
  /** For client text in the gateway's own lines (an Origin): the accepted keys never show. */
  const redactor = createLogRedactor(resolved.keys);
  /** The sum every identified bot was last sent, to skip a coalesced broadcast that changes nothing. */
  let lastBroadcast: GlobalGuildCountData | undefined = totals.total();
  /** Whether a coalesced broadcast of a changed sum is due. */
  let changeDue = false;

  function broadcastGuildCount(): void {
    const total = totals.total();
    lastBroadcast = total;
    for (const connection of open) connection.sendGuildCount(total);
  }

  /**
   * A changed sum goes out once the frames of the chunk that changed it are read (ws reads every
   * frame of a chunk in one go, and the microtask runs after), however many reports it held: one
   * bot sending a thousand send_servers in a burst must not make the gateway write a thousand
   * frames to every other bot (200 bots that never read grew `serve` by 433 MiB). Each bot still
   * gets the latest sum, none at all when the changes cancel out, and reports from two bots, read
   * in two chunks, still make two broadcasts.
   */
  function guildCountChanged(): void {
    if (changeDue) return;
    changeDue = true;
    queueMicrotask(() => {
      changeDue = false;
      try {
        if (closing === undefined && !sameCounts(totals.total(), lastBroadcast)) broadcastGuildCount();
      } catch (error) {
        resolved.log(`internal error in the GLOBAL_GUILD_COUNT broadcast: ${firstLine(error)}`);
      }
    });
  }

  /** Keeps the newest `connectionHistory` closed connections: a long `serve` must not hold them all. */
  function retire(connection: ConnectionSession): void {
    open.delete(connection);
    closed.push(connection);
    for (const old of closed.splice(0, Math.max(0, closed.length - resolved.connectionHistory))) {
      const at = connections.indexOf(old);
      if (at >= 0) connections.splice(at, 1);
    }
  }

  // The HTTP server is ours (not ws's), so `close()` can end keep-alive sockets too.
  const server = createServer(answerPlainHttp);
  const wss = new WebSocketServer({ noServer: true, maxPayload: resolved.maxPayload, clientTracking: false });

  function accept(request: IncomingMessage, tcp: Duplex, head: Buffer): void {
    if (closing !== undefined) {
      tcp.destroy();
      return;
    }
    // Parsed before the handshake, so a target that is no URL path (`GET //x:99999`) can still get
    // an HTTP answer; `new URL` throws on it.
    const query = queryOf(request.url);
    if (query === undefined) {
      resolved.log('rejected an upgrade: bad request target (400)');
      refuseUpgrade(tcp, 400, 'Bad request target.');
      return;
    }
    const origin = request.headers.origin;
    if (!originAllowed(origin, resolved.allowedOrigins)) {
      resolved.log(
        `refused an upgrade from origin ${clientText(origin ?? '', redactor)} (403): not a page on this machine nor in allowedOrigins`,
      );
      refuseUpgrade(tcp, 403, 'Origin not allowed: see allowedOrigins in docs/testing.md.');
      return;
    }
    wss.handleUpgrade(request, tcp, head, (socket) => {
      if (closing !== undefined) {
        socket.terminate();
        return;
      }
      let connection: ConnectionSession;
      try {
        connection = createConnection({
          number: ++connectionCount,
          socket,
          tcp,
          request,
          query,
          options: resolved,
          faults: { ...faults },
          hooks: {
            reported(from, data) {
              if (from.botId !== undefined && totals.report(from.botId, data)) guildCountChanged();
            },
            closed(from) {
              retire(from);
              if (from.botId !== undefined && totals.remove(from.botId)) guildCountChanged();
            },
          },
        });
      } catch (error) {
        resolved.log(`#${connectionCount} internal error while connecting: ${firstLine(error)}`);
        socket.terminate();
        return;
      }
      connections.push(connection);
      if (connection.state !== 'closed') open.add(connection);
      arrivals.push(connection);
    });
  }

  // Every callback of the server runs on input a client chose: what one throws must end that one
  // request, not the process serving every other client (an uncaught exception would).
  server.on('upgrade', (request: IncomingMessage, tcp: Duplex, head: Buffer) => {
    try {
      accept(request, tcp, head);
    } catch (error) {
      resolved.log(`internal error while upgrading: ${firstLine(error)}`);
      tcp.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, a server error (an accept failing for lack of file descriptors) must not crash
  // the test run; connections already open are unaffected.
  server.on('error', (error) => {
    resolved.log(`server error: ${error.message}`);
  });
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const guildCountTimer =
    resolved.guildCountInterval > 0
      ? setInterval(() => {
          try {
            broadcastGuildCount();
          } catch (error) {
            resolved.log(`internal error in the GLOBAL_GUILD_COUNT period: ${firstLine(error)}`);
          }
        }, resolved.guildCountInterval)
      : undefined;

  async function close(): Promise<void> {
    clearInterval(guildCountTimer);
    arrivals.end('the local gateway closed');
    await Promise.all([...open].map((connection) => connection.shutdown()));
    wss.close();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  }

  return {
    url: `ws://${host}:${port}`,
    host: resolved.host,
    port,
    faults,
    connections,
    get connectionCount() {
      return connectionCount;
    },
    get openConnectionCount() {
      return open.size;
    },
    get guildCount() {
      return totals.total();
    },
    nextConnection: (timeoutMs = localGatewayDefaults.waitTimeout) => arrivals.next(timeoutMs),
    broadcastGuildCount,
    close() {
      closing ??= close();
      return closing;
    },
  };
}

/** The query of a request target, or `undefined` when the target is not one a URL can be read from. */
function queryOf(target: string | undefined): URLSearchParams | undefined {
  try {
    return new URL(target ?? '/', 'ws://gateway').searchParams;
  } catch {
    return undefined;
  }
}

/** Answers an upgrade request with an HTTP error and closes its socket once the answer is out. */
function refuseUpgrade(tcp: Duplex, status: 400 | 403, message: string): void {
  // The client may reset before it reads the answer; that error is nobody's concern.
  tcp.on('error', () => undefined);
  const body = `${message}\n`;
  tcp.end(
    `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Forbidden'}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  tcp.once('finish', () => tcp.destroy());
}

function sameCounts(a: GlobalGuildCountData, b: GlobalGuildCountData | undefined): boolean {
  return (
    b !== undefined &&
    a.guilds === b.guilds &&
    a.guildMembers === b.guildMembers &&
    a.cachedGuildMembers === b.cachedGuildMembers
  );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Plain HTTP gets 426: this server only speaks WebSocket. */
function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
  response.end('This is a Utilbot gateway: connect with a WebSocket.\n');
}
