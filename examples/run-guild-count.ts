/**
 * Runs examples/guild-count-plugin.ts until Ctrl-C.
 *
 *   npx tsx examples/run-guild-count.ts                    # against a local gateway started here,
 *                                                          # with a second bot whose guilds change
 *   UTILBOT_KEY=… npx tsx examples/run-guild-count.ts --url wss://gateway.utilbot.co
 */
import { parseArgs } from 'node:util';
import { createGatewayClient } from '../src/index.js';
import { createLocalGateway } from '../src/testing/index.js';
import { main } from './guild-count-plugin.js';

/** The key the local gateway accepts when no --url is given. */
const demoKey = 'local-demo-key';

const { values } = parseArgs({ options: { url: { type: 'string' }, key: { type: 'string' } } });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const local =
  values.url === undefined
    ? await createLocalGateway({ keys: [demoKey], guildCountInterval: 10_000 })
    : undefined;
// Locally, another bot reports a new number of guilds every second, so there is something to follow.
const otherBot =
  local === undefined
    ? undefined
    : createGatewayClient({ url: local.url, identify: { type: 'bot', key: demoKey } });
const timer = setInterval(() => {
  const guilds = 1 + Math.floor(Math.random() * 100);
  otherBot?.send('send_servers', { guilds, guildMembers: guilds * 50, cachedGuildMembers: guilds * 40 });
}, 1000);
if (local !== undefined) {
  console.log(`local gateway at ${local.url}`);
  void otherBot?.start();
}

try {
  const state = await main({
    url: values.url ?? local?.url ?? '',
    key: values.key ?? process.env.UTILBOT_KEY ?? (local === undefined ? '' : demoKey),
    signal: controller.signal,
  });
  console.log(`stopped; the most guilds seen: ${state.max}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  clearInterval(timer);
  await otherBot?.stop();
  await local?.close();
}
