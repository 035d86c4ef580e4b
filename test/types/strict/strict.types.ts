/**
 * Strict events: with `GatewayTypeOptions { strictEvents: true }` merged in, only declared names
 * type-check, in `send` and in plugin `events`, so a typo is a compile error. Module augmentation is
 * global to a compilation, so this folder has its own tsconfig (excluded from the root one) and
 * test/types/types.test.ts runs tsc on it. Never run.
 */
import * as t from 'io-ts';
import { createGatewayClient, definePlugin, type GatewayPlugin } from '../../../src/index.js';
import { expectTrue, type Equal } from '../assert.js';

declare module '../../../src/index.js' {
  interface GatewayTypeOptions {
    strictEvents: true;
  }
  // Strict mode and declaration merging together: a declared event is allowed, typed.
  interface GatewayEvents {
    shard_ping: { shard: number };
  }
}

const client = createGatewayClient({ identify: { type: 'bot', key: 'k' } });

export function sending(): void {
  client.send('send_servers', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
  client.send('shard_ping', { shard: 0 });
  // @ts-expect-error a typo in a known name
  client.send('send_server', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
  // @ts-expect-error names are case-sensitive
  client.send('global_guild_count', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
  // @ts-expect-error an undeclared name
  client.send('brand_new_event', {});
  // @ts-expect-error a declared name still checks its data
  client.send('shard_ping', { shard: '0' });
  const name: string = 'send_servers';
  // @ts-expect-error a name only known at run time is not a declared name
  client.send(name, {});
}

export const typo = definePlugin({
  name: 'typo',
  events: {
    // @ts-expect-error a typo in a plugin's event name
    GLOBAL_GUILD_COUNTS: (_data) => undefined,
  },
});

export const undeclared = definePlugin({
  name: 'undeclared',
  events: {
    // @ts-expect-error an undeclared name in a plugin
    brand_new_event: (_data, _context) => undefined,
  },
});

export const fine = definePlugin({
  name: 'fine',
  events: {
    GLOBAL_GUILD_COUNT: (data, context) => {
      expectTrue<Equal<typeof data.guilds, number>>();
      context.send('send_servers', { ...data });
      // @ts-expect-error the context's send is strict too
      context.send('send_server', { ...data });
    },
    shard_ping: (_data) => {
      expectTrue<Equal<typeof _data, { shard: number }>>();
    },
  },
});

export const plain: GatewayPlugin = {
  name: 'plain',
  events: {
    // @ts-expect-error a typo in a plugin typed with GatewayPlugin
    bot_connect_succes: () => undefined,
  },
};

// A plugin's own codecs declare their names for it.
export const withCodecs = definePlugin({
  name: 'with-codecs',
  codecs: { guild_joined: t.type({ id: t.string }) },
  events: {
    guild_joined: (data, context) => {
      expectTrue<Equal<typeof data, { id: string }>>();
      context.send('guild_joined', { id: data.id });
      // @ts-expect-error still strict beside the codecs' names
      context.send('guild_join', { id: data.id });
    },
  },
});

export const withCodecsTypo = definePlugin({
  name: 'with-codecs-typo',
  codecs: { guild_joined: t.type({ id: t.string }) },
  events: {
    // @ts-expect-error a typo of a codec's name
    guild_join: () => undefined,
  },
});

// The client's codecs declare their names for `send` and for inline plugins.
const withClientCodecs = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  codecs: { guild_joined: t.type({ id: t.string }) },
  plugins: [
    {
      name: 'inline',
      events: {
        guild_joined: (_data) => {
          expectTrue<Equal<typeof _data, { id: string }>>();
        },
      },
    },
  ],
});

export function sendingWithCodecs(): void {
  withClientCodecs.send('guild_joined', { id: '1' });
  // @ts-expect-error a typo of a codec's name
  withClientCodecs.send('guild_join', { id: '1' });
}
