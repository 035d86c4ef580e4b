/**
 * Once a gap, now a type test: `client.use()` takes `GatewayPlugin<E> | AnyGatewayPlugin`, and a union with an `any`-typed
 * member gives an inline plugin's handlers no contextual type: their parameters are implicitly `any`
 * (a compile error under `strict`). Today an inline plugin must be wrapped: `client.use(definePlugin({…}))`.
 */
import { createGatewayClient } from '../../src/index.js';

const client = createGatewayClient({ identify: { type: 'bot', key: 'k' } });
client.use({
  name: 'inline',
  events: { GLOBAL_GUILD_COUNT: (data, context) => context.logger.info(`${data.guilds} guilds`) },
  setup: (context) => context.logger.info('set up'),
});
