/**
 * Gap (strict events): a client given `plugins` loses strict names in `send`. `createGatewayClient`
 * infers its codec map `C` from the plugins' handlers too; that fails and `C` becomes
 * `Record<string, t.Mixed>`, so `keyof E` is `string` and any name compiles, with `any` data.
 * Fix: `NoInfer<…>` in `GatewayClientOptions['plugins']`.
 */
import { createGatewayClient, definePlugin } from '../../../src/index.js';

const counts = definePlugin({ name: 'counts', events: { GLOBAL_GUILD_COUNT: (_data) => undefined } });
const client = createGatewayClient({ identify: { type: 'bot', key: 'k' }, plugins: [counts] });
// @ts-expect-error a typo of a known name
client.send('send_server', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });

const inline = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  plugins: [{ name: 'inline', events: { GLOBAL_GUILD_COUNT: (_data) => undefined } }],
});
// @ts-expect-error a typo of a known name
inline.send('send_server', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
