/**
 * Once a gap, now a type test: `codecs` "override the known ones" at run time (the registry replaces the codec), but the
 * client's event map is `GatewayEvents & CodecEvents<C>`, an intersection: an overriding codec's type
 * is intersected with the known type instead of replacing it, so `send` demands both shapes at once.
 * Fix: `Omit<GatewayEvents, keyof C> & CodecEvents<C>`.
 */
import * as t from 'io-ts';
import { createGatewayClient } from '../../src/index.js';

const client = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  codecs: { send_servers: t.type({ shards: t.array(t.number) }) },
});
client.send('send_servers', { shards: [0, 1] });
// @ts-expect-error the overridden shape is gone
client.send('send_servers', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
