/**
 * A plugin that follows `GLOBAL_GUILD_COUNT`: it keeps the latest count and the highest guild count
 * seen, and logs a line (through the plugin logger, which never prints the key) each time the
 * number of guilds changes.
 *
 * Run it: `npx tsx examples/run-guild-count.ts` (against a local gateway it starts itself, with a
 * few bots coming and going), or `UTILBOT_KEY=… npx tsx examples/run-guild-count.ts --url wss://…`.
 */
import {
  createGatewayClient,
  definePlugin,
  type GatewayPlugin,
  type GlobalGuildCountData,
} from '../src/index.js';

/** What the plugin knows so far. */
export interface GuildCountState {
  /** The latest `GLOBAL_GUILD_COUNT`, if one came. */
  readonly current: GlobalGuildCountData | undefined;
  /** The highest guild count seen; 0 before the first. */
  readonly max: number;
}

/** The plugin, and a way to read what it knows. */
export interface GuildCountTracker {
  readonly plugin: GatewayPlugin;
  state(): GuildCountState;
}

/** Creates the plugin. Each call has its own state, so two clients can each have one. */
export function guildCountPlugin(): GuildCountTracker {
  let current: GlobalGuildCountData | undefined;
  let max = 0;
  const plugin = definePlugin({
    name: 'guild-count',
    events: {
      GLOBAL_GUILD_COUNT(data, context) {
        const previous = current;
        current = data;
        // The gateway also sends the count on a timer: only a change is worth a line.
        if (previous !== undefined && previous.guilds === data.guilds) return;
        const record = data.guilds > max;
        if (record) max = data.guilds;
        const from = previous === undefined ? 'first count' : `${previous.guilds} →`;
        context.logger.info(`guilds: ${from} ${data.guilds}${record ? ` (new max ${max})` : ''}`);
      },
    },
  });
  return { plugin, state: () => ({ current, max }) };
}

export interface GuildCountOptions {
  readonly url: string;
  readonly key: string;
  /** Aborting it stops the client; `main` resolves once everything is closed. */
  readonly signal: AbortSignal;
  /** Where lines go. Default `console.log`. */
  readonly print?: (line: string) => void;
}

/** Runs a client with the plugin until `signal` aborts; resolves with what the plugin saw. */
export async function main(options: GuildCountOptions): Promise<GuildCountState> {
  const print = options.print ?? console.log;
  const tracker = guildCountPlugin();
  const client = createGatewayClient({
    url: options.url,
    identify: { type: 'bot', key: options.key },
    plugins: [tracker.plugin],
    // Plugin loggers write here, each line prefixed with the plugin's name.
    logger: { debug: () => undefined, info: print, warn: print, error: print },
    onError: (error) => print(`error: ${error.message}`),
  });

  const stop = (): void => void client.stop();
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    if (options.signal.aborted) return tracker.state();
    await client.start();
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } catch (error) {
    if (!options.signal.aborted) throw error;
  } finally {
    options.signal.removeEventListener('abort', stop);
    await client.stop();
  }
  return tracker.state();
}
