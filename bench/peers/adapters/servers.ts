/** The server processes the adapters connect to (each file says what it speaks). */
import type { ServerSpec } from '../peer.js';

/** A plain `ws` server that sends a Hello: raw ws and partysocket. */
export const hello: ServerSpec = { file: 'bench/peers/servers/hello.ts' };

/** Our own local gateway (createLocalGateway), heartbeat 600 s and no GLOBAL_GUILD_COUNT broadcasts: idle. */
export const localGateway: ServerSpec = {
  file: 'bench/lib/gateway-child.ts',
  args: [JSON.stringify({ heartbeatInterval: 600_000, guildCountInterval: 0 })],
};

/** The bare gateway of benchmark 1 (pre-built frames to the TCP socket): ours' flood source. */
export const bareGateway: ServerSpec = { file: 'bench/lib/bare-gateway.ts', args: ['600000'] };

/** A minimal Discord gateway (HELLO, IDENTIFY → READY, heartbeats, RESUME). */
export const discordGateway: ServerSpec = { file: 'bench/peers/servers/discord-gateway.ts' };

/** graphql-ws's own `use/ws` server with a graphql 16 schema. */
export const graphqlWs: ServerSpec = { file: 'bench/peers/servers/graphql-ws.ts' };

/** A socket.io 4 server, websocket transport only. */
export const socketIo: ServerSpec = { file: 'bench/peers/servers/socket-io.ts' };
