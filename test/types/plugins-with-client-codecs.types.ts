/**
 * Once a gap, now a type test: a plugin made with `definePlugin` (typed for `GatewayEvents`) cannot be listed in `plugins` of a
 * client that has `codecs`: `PluginContext<E>` is compared invariantly in `E`, so a plugin typed for a
 * smaller event map is "not assignable" to the client's larger one. (`client.use(plugin)` accepts it:
 * it takes any plugin.)
 */
import * as t from 'io-ts';
import { createGatewayClient, definePlugin } from '../../src/index.js';

const counts = definePlugin({
  name: 'counts',
  events: { GLOBAL_GUILD_COUNT: (data, context) => context.logger.info(`${data.guilds} guilds`) },
});
const pings = definePlugin({
  name: 'pings',
  codecs: { shard_ping: t.type({ shard: t.number }) },
  events: { shard_ping: (data, context) => context.logger.info(`shard ${data.shard}`) },
});

export const client = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  codecs: { guild_joined: t.type({ id: t.string }) },
  plugins: [counts, pings],
});
