/**
 * A bot that reports its numbers to the gateway with `send_servers` each time a session becomes
 * ready (a new session after a reconnect starts with no report: the gateway forgets a bot's report
 * when its connection ends), and prints every `GLOBAL_GUILD_COUNT`, the sum over every bot.
 *
 * Run it: `npx tsx examples/run-stats-bot.ts` (against a local gateway it starts itself), or
 * `UTILBOT_KEY=… npx tsx examples/run-stats-bot.ts --url wss://gateway.utilbot.co`.
 */
import {
  createGatewayClient,
  definePlugin,
  type GlobalGuildCountData,
  type SendServersData,
} from '../src/index.js';

export interface StatsBotOptions {
  /** The gateway, e.g. `wss://gateway.utilbot.co`. */
  readonly url: string;
  /** The bot's key. */
  readonly key: string;
  /** Aborting it stops the bot; `main` resolves once everything is closed. */
  readonly signal: AbortSignal;
  /** Where lines go. Default `console.log`. */
  readonly print?: (line: string) => void;
  /** What the bot manages, read at each report. In a real bot, ask your Discord library. */
  readonly stats?: () => SendServersData;
}

/** What the bot saw, for whoever ran it. */
export interface StatsBotSummary {
  /** How many sessions became ready (one report each). */
  readonly sessions: number;
  /** Every `GLOBAL_GUILD_COUNT`, in arrival order. */
  readonly counts: readonly GlobalGuildCountData[];
}

const exampleStats = (): SendServersData => ({ guilds: 12, guildMembers: 3400, cachedGuildMembers: 2900 });

/** Runs the bot until `signal` aborts. Rejects with a `GatewayError` if the session fails. */
export async function main(options: StatsBotOptions): Promise<StatsBotSummary> {
  const print = options.print ?? console.log;
  const stats = options.stats ?? exampleStats;
  let sessions = 0;
  const counts: GlobalGuildCountData[] = [];

  const reporter = definePlugin({
    name: 'stats-reporter',
    onReady(session, context) {
      sessions++;
      const report = stats();
      context.send('send_servers', report);
      print(`ready as ${String(session.id)}: reported ${report.guilds} guilds`);
    },
    events: {
      GLOBAL_GUILD_COUNT(data) {
        counts.push(data);
        print(
          `GLOBAL_GUILD_COUNT: ${data.guilds} guilds, ${data.guildMembers} members (${data.cachedGuildMembers} cached)`,
        );
      },
    },
  });

  const client = createGatewayClient({
    url: options.url,
    identify: { type: 'bot', key: options.key },
    plugins: [reporter],
    onError: (error) => print(`error: ${error.message}`),
  });
  client.subscribe(({ status, reason }) => {
    print(`status: ${status}${reason === undefined ? '' : ` (${reason.message})`}`);
  });

  const stop = (): void => void client.stop();
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    if (options.signal.aborted) return { sessions, counts };
    await client.start();
    await untilAborted(options.signal);
  } catch (error) {
    // Stopped before the first ready: that is the caller's wish, not a failure.
    if (!options.signal.aborted) throw error;
  } finally {
    options.signal.removeEventListener('abort', stop);
    await client.stop();
  }
  return { sessions, counts };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
