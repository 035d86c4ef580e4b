import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { GlobalGuildCountData } from '../protocol/index.js';
import type { LocalGatewayConnection } from './connection-types.js';
import { createConnection, type ConnectionSession } from './connection.js';
import { localGatewayDefaults, resolveGatewayOptions, type LocalGatewayOptions } from './defaults.js';
import type { GatewayFaults } from './faults.js';
import { createGuildCountTotals } from './guild-counts.js';
import { createHandout } from './handout.js';

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
  /** Every connection so far, open or closed, in arrival order. */
  readonly connections: readonly LocalGatewayConnection[];
  /** How many connections there have been. */
  readonly connectionCount: number;
  /** How many connections are open now. */
  readonly openConnectionCount: number;
  /** The current sum of every identified bot's latest `send_servers` report. */
  readonly guildCount: GlobalGuildCountData;
  /**
   * The next connection not handed out yet (each once, in arrival order, so one that arrived before
   * the call is not missed), waiting up to `timeoutMs` (default 5000). Rejects on timeout or close.
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
  const arrivals = createHandout<LocalGatewayConnection>('connection');
  const totals = createGuildCountTotals();
  let closing: Promise<void> | undefined;

  function broadcastGuildCount(): void {
    const total = totals.total();
    for (const connection of open) connection.sendGuildCount(total);
  }

  // The HTTP server is ours (not ws's), so `close()` can end keep-alive sockets too.
  const server = createServer(answerPlainHttp);
  const wss = new WebSocketServer({ noServer: true, maxPayload: resolved.maxPayload, clientTracking: false });
  server.on('upgrade', (request: IncomingMessage, tcp, head: Buffer) => {
    if (closing !== undefined) {
      tcp.destroy();
      return;
    }
    wss.handleUpgrade(request, tcp, head, (socket) => {
      if (closing !== undefined) {
        socket.terminate();
        return;
      }
      const connection = createConnection({
        number: connections.length + 1,
        socket,
        tcp,
        request,
        options: resolved,
        faults: { ...faults },
        hooks: {
          reported(from, data) {
            if (from.botId !== undefined && totals.report(from.botId, data)) broadcastGuildCount();
          },
          closed(from) {
            open.delete(from);
            if (from.botId !== undefined && totals.remove(from.botId)) broadcastGuildCount();
          },
        },
      });
      connections.push(connection);
      if (connection.state !== 'closed') open.add(connection);
      arrivals.push(connection);
    });
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
      ? setInterval(broadcastGuildCount, resolved.guildCountInterval)
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
      return connections.length;
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

/** Plain HTTP gets 426: this server only speaks WebSocket. */
function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
  response.end('This is a Utilbot gateway: connect with a WebSocket.\n');
}
