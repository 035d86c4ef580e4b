/**
 * Runs examples/stats-bot.ts until Ctrl-C.
 *
 *   npx tsx examples/run-stats-bot.ts                      # against a local gateway started here
 *   UTILBOT_KEY=… npx tsx examples/run-stats-bot.ts --url wss://gateway.utilbot.co
 */
import { parseArgs } from 'node:util';
import { createLocalGateway } from '../src/testing/index.js';
import { main } from './stats-bot.js';

/** The key the local gateway accepts when no --url is given. */
const demoKey = 'local-demo-key';

const { values } = parseArgs({ options: { url: { type: 'string' }, key: { type: 'string' } } });
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

// Without --url, a local gateway started here stands in for the real one.
const local =
  values.url === undefined
    ? await createLocalGateway({ keys: [demoKey], guildCountInterval: 10_000 })
    : undefined;
if (local !== undefined) console.log(`local gateway at ${local.url}`);
const url = values.url ?? local?.url ?? '';
const key = values.key ?? process.env.UTILBOT_KEY ?? (local === undefined ? '' : demoKey);

try {
  const summary = await main({ url, key, signal: controller.signal });
  console.log(`stopped after ${summary.sessions} session(s) and ${summary.counts.length} count(s)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await local?.close();
}
