/**
 * Declaration merging adds typed events: `declare module` on the package's entry (here
 * '../../../src/index.js'; in an application, 'utilbot-gateway') with an `interface GatewayEvents`.
 * Strict events stay off here. Checked by tsc through this folder's tsconfig; never run.
 */
import { createGatewayClient, definePlugin, type GatewayPlugin } from '../../../src/index.js';
import { expectTrue, type Equal } from '../assert.js';

declare module '../../../src/index.js' {
  interface GatewayEvents {
    shard_ping: { shard: number; sentAt: string };
    guild_joined: { id: string; name?: string };
  }
}

const client = createGatewayClient({ identify: { type: 'bot', key: 'k' } });

export function sending(): void {
  client.send('shard_ping', { shard: 1, sentAt: '2024-01-01T00:00:00Z' });
  client.send('guild_joined', { id: '1' });
  // @ts-expect-error shard is a number
  client.send('shard_ping', { shard: '1', sentAt: '' });
  // @ts-expect-error sentAt is required
  client.send('shard_ping', { shard: 1 });
  // The known events are still there, typed.
  // @ts-expect-error guilds is a number
  client.send('send_servers', { guilds: '1', guildMembers: 1, cachedGuildMembers: 1 });
  // Undeclared names still compile (strict events are off).
  client.send('not_declared', 1);
}

export const plugin = definePlugin({
  name: 'merged',
  events: {
    shard_ping: (data, context) => {
      expectTrue<Equal<typeof data, { shard: number; sentAt: string }>>();
      // @ts-expect-error shard is a number
      const shard: string = data.shard;
      context.send('guild_joined', { id: shard });
      // @ts-expect-error id is a string
      context.send('guild_joined', { id: 1 });
    },
    guild_joined: (_data) => {
      expectTrue<Equal<typeof _data.name, string | undefined>>();
    },
    not_declared: (_data) => {
      expectTrue<Equal<typeof _data, unknown>>();
    },
  },
});

export const plain: GatewayPlugin = {
  name: 'plain',
  events: {
    guild_joined: (_data) => {
      expectTrue<Equal<typeof _data.id, string>>();
    },
  },
};

client.use(plugin);
client.use(plain);
