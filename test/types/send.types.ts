/**
 * `client.send` by default (no strict events): a known name takes its codec's data type, any other
 * name takes `unknown` data. Checked by tsc (root tsconfig); never run.
 */
import {
  createGatewayClient,
  type GatewayEvents,
  type GlobalGuildCountData,
  type SendServersData,
} from '../../src/index.js';
import { expectTrue, type Equal } from './assert.js';

const client = createGatewayClient({ identify: { type: 'bot', key: 'k' } });

export function knownNames(): void {
  // The right shape compiles, with and without the optional `guildIds`.
  client.send('send_servers', { guilds: 1, guildMembers: 2, cachedGuildMembers: 3 });
  client.send('send_servers', { guilds: 1, guildMembers: 2, cachedGuildMembers: 3, guildIds: ['1'] });
  const report: SendServersData = { guilds: 0, guildMembers: 0, cachedGuildMembers: 0 };
  client.send('send_servers', report);

  // A wrong type for a field.
  // @ts-expect-error guilds is a number
  client.send('send_servers', { guilds: '12', guildMembers: 2, cachedGuildMembers: 3 });
  // A missing field.
  // @ts-expect-error cachedGuildMembers is required
  client.send('send_servers', { guilds: 1, guildMembers: 2 });
  // No data at all.
  // @ts-expect-error send_servers needs its data
  client.send('send_servers', undefined);
  // Wrong data for a receive-only known name is wrong too: the map does not care about direction.
  // @ts-expect-error GLOBAL_GUILD_COUNT data has three counts
  client.send('GLOBAL_GUILD_COUNT', { guilds: 1 });
  // guildIds is a list of strings.
  // @ts-expect-error guildIds holds strings
  client.send('send_servers', { guilds: 1, guildMembers: 2, cachedGuildMembers: 3, guildIds: [1] });
}

export function undeclaredNames(): void {
  // Any other name compiles, with any data: the gateway's list of events grows.
  client.send('shard_ping', { shard: 1 });
  client.send('shard_ping', 'anything');
  client.send('shard_ping', undefined);
  // A name differing only in case is another name (the protocol is case-sensitive).
  client.send('SEND_SERVERS', 42);
  // Names are strings.
  // @ts-expect-error an event name is a string
  client.send(42, {});
}

export function dataTypes(): void {
  // The event map starts as the events the docs list, typed by their codecs.
  expectTrue<Equal<GatewayEvents['GLOBAL_GUILD_COUNT'], GlobalGuildCountData>>();
  expectTrue<Equal<GatewayEvents['send_servers'], SendServersData>>();
  expectTrue<
    Equal<keyof GatewayEvents, 'identify' | 'bot_connect_success' | 'send_servers' | 'GLOBAL_GUILD_COUNT'>
  >();
}
