/**
 * @discordjs/ws: one `WebSocketManager` with one shard per client, against the minimal Discord
 * gateway of servers/discord-gateway.ts; ready when `connect()` resolves (at READY).
 *
 * Two things it needs to run off Discord (shared/peers.md): the gateway's address comes from
 * `fetchGatewayInformation`, a method that calls `options.rest.get(...)`, so it is overridden on the
 * instance and `rest` is a stub that throws if anything still reaches it; and its default session
 * store is shared by every manager in a process (a second manager would RESUME the first one's
 * session), so each manager keeps its own.
 */
import type { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents, type SessionInfo } from '@discordjs/ws';
import type { APIGatewayBotInfo } from 'discord-api-types/v10';
import type { Peer } from '../peer.js';
import { discordGateway } from './servers.js';

const rest = {
  get: () => {
    throw new Error('the benchmark has no REST API: fetchGatewayInformation is overridden');
  },
} as unknown as REST;

export const discordjsWs: Peer = {
  name: '@discordjs/ws',
  server: discordGateway,
  floodServer: discordGateway,
  async connect(url, onEvent) {
    let session: SessionInfo | null = null;
    const manager = new WebSocketManager({
      token: 'bench-token',
      intents: 0,
      rest,
      shardCount: 1,
      retrieveSessionInfo: () => session,
      updateSessionInfo: (_shardId, info) => {
        session = info;
      },
    });
    const info: APIGatewayBotInfo = {
      url,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    };
    manager.fetchGatewayInformation = () => Promise.resolve(info);
    if (onEvent !== undefined) {
      manager.on(WebSocketShardEvents.Dispatch, (payload) => {
        // READY is a dispatch too, and may be emitted after connect() resolved.
        if ((payload.t as string) === 'GLOBAL_GUILD_COUNT') onEvent();
      });
    }
    await manager.connect();
    return {
      close: async () => {
        await manager.destroy({ code: 1000 });
      },
    };
  },
};
