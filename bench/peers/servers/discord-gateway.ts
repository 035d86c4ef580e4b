/**
 * A minimal Discord gateway for @discordjs/ws (shared/peers.md): op 10 HELLO on connect; op 2
 * IDENTIFY → op 0 READY (s 1, the fields `connect()` reads); op 1 heartbeat → op 11 ACK; op 6 RESUME
 * → RESUMED. Floods are op 0 dispatches with a rising `s`, like the real gateway's.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { announce } from './announce.js';
import { GUILD_COUNT, serveFloods, whenDefined, type FloodTarget } from './flood.js';

/** Long enough that nothing beats while the benchmark measures idle clients. */
const HEARTBEAT_INTERVAL = 600_000;

interface Session {
  readonly tcp: Socket;
  /** The last sequence number sent. */
  s: number;
}

let newest: Session | undefined;
let sessions = 0;

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
let url = '';
wss.on('connection', (ws, request) => {
  const session: Session = { tcp: request.socket, s: 0 };
  const dispatch = (t: string, d: unknown): void => {
    ws.send(JSON.stringify({ op: 0, t, s: ++session.s, d }));
  };
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (newest === session) newest = undefined;
  });
  ws.on('message', (data: Buffer) => {
    const { op } = JSON.parse(data.toString()) as { op?: unknown };
    switch (op) {
      case 1:
        ws.send(JSON.stringify({ op: 11 }));
        return;
      case 2:
        dispatch('READY', {
          v: 10,
          user: {
            id: '1',
            username: 'bench',
            discriminator: '0',
            global_name: null,
            avatar: null,
            bot: true,
          },
          guilds: [],
          session_id: `session-${++sessions}`,
          resume_gateway_url: url,
          shard: [0, 1],
          application: { id: '1', flags: 0 },
        });
        newest = session;
        return;
      case 6:
        dispatch('RESUMED', null);
        newest = session;
        return;
    }
  });
  ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: HEARTBEAT_INTERVAL } }));
});
server.on('listening', () => {
  const address = server.address();
  if (address !== null && typeof address !== 'string') url = `ws://127.0.0.1:${address.port}`;
});
announce(server, 'ws');

serveFloods(async (): Promise<FloodTarget> => {
  const session = await whenDefined(() => newest);
  return {
    tcp: session.tcp,
    *messages(count) {
      for (let i = 0; i < count; i++)
        yield JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', s: ++session.s, d: GUILD_COUNT });
    },
  };
});
