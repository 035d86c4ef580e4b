/**
 * Codecs type the events they name: `createGatewayClient({ codecs })` types the client's `send` and
 * the handlers of plugins written inline in its options; a plugin's own `codecs` type its handlers
 * and its context's `send`. Checked by tsc (root tsconfig); never run.
 */
import * as t from 'io-ts';
import { createGatewayClient, definePlugin } from '../../src/index.js';
import { expectTrue, type Equal } from './assert.js';

const ShardPing = t.type({ shard: t.number, sentAt: t.string });

export const client = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  codecs: { shard_ping: ShardPing },
  plugins: [
    {
      name: 'inline',
      events: {
        shard_ping: (data, context) => {
          expectTrue<Equal<typeof data, { shard: number; sentAt: string }>>();
          // @ts-expect-error shard is a number
          const shard: string = data.shard;
          context.send('shard_ping', { shard: data.shard + 1, sentAt: shard });
          // @ts-expect-error the context's send knows the client's codecs too
          context.send('shard_ping', { shard: 'one' });
        },
        // The known events keep their types beside the codecs' ones.
        GLOBAL_GUILD_COUNT: (_data) => {
          expectTrue<Equal<typeof _data.guilds, number>>();
        },
      },
    },
  ],
});

export function sending(): void {
  client.send('shard_ping', { shard: 1, sentAt: new Date().toISOString() });
  // @ts-expect-error shard is a number
  client.send('shard_ping', { shard: '1', sentAt: '' });
  // @ts-expect-error sentAt is required
  client.send('shard_ping', { shard: 1 });
  client.send('send_servers', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
  // @ts-expect-error the known events stay typed
  client.send('send_servers', { guilds: 1 });
  // Undeclared names still compile with any data.
  client.send('something_else', [1, 2, 3]);
}

// A plugin's own codecs type its handlers and its context's `send`.
export const shardPlugin = definePlugin({
  name: 'shards',
  codecs: { shard_ping: ShardPing },
  events: {
    shard_ping: (data, context) => {
      expectTrue<Equal<typeof data, { shard: number; sentAt: string }>>();
      context.send('shard_ping', { ...data, sentAt: new Date().toISOString() });
      // @ts-expect-error sentAt is a string, not a number
      context.send('shard_ping', { shard: 1, sentAt: 0 });
    },
    GLOBAL_GUILD_COUNT: (_data) => {
      expectTrue<Equal<typeof _data.cachedGuildMembers, number>>();
    },
  },
});
