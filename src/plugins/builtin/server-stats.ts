import { MAX_TIMER_MS, type SendServersData } from '../../protocol/index.js';
import { invalidOptions } from './invalid-options.js';
import { definePlugin, type AnyGatewayPlugin, type PluginContext } from '../types.js';
import { isSessionReady } from '../../../machines/status.js';

/** Options of {@link serverStats}. */
export interface ServerStatsOptions {
  /**
   * What this bot shard manages right now, read for each report. It may be async. A throw, a
   * rejection or data that does not fit the `send_servers` codec fails that report only: the next
   * one still runs.
   */
  readonly stats: () => SendServersData | Promise<SendServersData>;
  /**
   * Period of the report while the session is ready, ms, counted from each `ready`. `0` reports on
   * `ready` only. Default `60000`.
   */
  readonly interval?: number;
  /** The plugin's name; give another to run two instances side by side. Default `'server-stats'`. */
  readonly name?: string;
}

/** The defaults of {@link ServerStatsOptions}. */
export const serverStatsDefaults = { name: 'server-stats', interval: 60_000 } as const;

/**
 * Reports what this bot shard manages (`send_servers`) when each session becomes ready, then every
 * `interval` ms while it stays ready.
 *
 * - Reports go out only while the session is ready: a tick while it is not is skipped, and numbers
 *   read before a disconnect are dropped rather than queued for the next session, which gets a
 *   fresh report of its own on `ready`.
 * - A tick waits for a slow `stats` rather than overlapping it.
 * - A failed report on `ready` is thrown from the hook, so it reaches the client's `onError` as
 *   `PLUGIN_FAILED` naming this plugin. A failed periodic report has no hook to be thrown from:
 *   it goes to the plugin logger as an error line (the client's `logger` option), and the next tick
 *   runs as usual.
 * - The timer is tied to the plugin's lifecycle: `stop()` or `remove()` clears it.
 *
 * A wrong option throws `INVALID_OPTIONS`. Typed as `AnyGatewayPlugin`, so it fits a client whatever
 * codecs the client was given.
 *
 * @example
 * const client = createGatewayClient({
 *   identify: { type: 'bot', key: process.env.UTILBOT_KEY! },
 *   plugins: [
 *     serverStats({
 *       interval: 5 * 60_000,
 *       stats: () => ({
 *         guilds: discord.guilds.cache.size,
 *         guildMembers: discord.guilds.cache.reduce((n, g) => n + g.memberCount, 0),
 *         cachedGuildMembers: discord.users.cache.size,
 *       }),
 *     }),
 *   ],
 * });
 */
export function serverStats(options: ServerStatsOptions): AnyGatewayPlugin {
  const { stats } = options;
  const name = options.name ?? serverStatsDefaults.name;
  const interval = options.interval ?? serverStatsDefaults.interval;
  if (typeof stats !== 'function') invalidOptions('serverStats: stats must be a function');
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0 || interval > MAX_TIMER_MS)
    invalidOptions(
      `serverStats: interval must be a number of ms from 0 to ${MAX_TIMER_MS}, got ${String(interval)}`,
    );

  /** Per client (a context is one client's): an instance given to two clients keeps two timers. */
  const states = new WeakMap<PluginContext, ReportState>();
  const stateOf = (context: PluginContext): ReportState => {
    let state = states.get(context);
    if (state === undefined) {
      state = { timer: undefined, session: 0, ticking: false };
      states.set(context, state);
    }
    return state;
  };
  /** Ends the session's reports: stops the timer and makes numbers still being read stale. */
  const endSession = (context: PluginContext): void => {
    const state = stateOf(context);
    state.session++;
    clearInterval(state.timer);
    state.timer = undefined;
  };

  /** Reads the stats and sends them, unless the session the read began in is over by then. */
  const report = async (context: PluginContext): Promise<void> => {
    const state = stateOf(context);
    const began = state.session;
    const data = await stats();
    if (began !== state.session || !isSessionReady(context.status)) return;
    context.send('send_servers', data);
  };
  const tick = (context: PluginContext): void => {
    const state = stateOf(context);
    if (state.ticking || !isSessionReady(context.status)) return;
    state.ticking = true;
    report(context)
      // A timer has no hook to throw from: report() takes the failure to onError all the same.
      .catch((cause: unknown) => {
        context.report(cause);
      })
      .finally(() => {
        state.ticking = false;
      });
  };
  const beginSession = (context: PluginContext): Promise<void> => {
    endSession(context);
    if (interval > 0) stateOf(context).timer = setInterval(tick, interval, context);
    return report(context);
  };

  return definePlugin({
    name,
    setup(context) {
      // The signal read now is this setup's: a stop aborts it. The teardown clears the timer too.
      context.signal.addEventListener('abort', () => endSession(context), { once: true });
      // Added to a client that is ready already: no `ready` will come for this session.
      if (isSessionReady(context.status)) {
        beginSession(context).catch((cause: unknown) => {
          context.report(cause);
        });
      }
      return () => endSession(context);
    },
    onReady: (_session, context) => beginSession(context),
    onStatus(change, context) {
      if (!isSessionReady(change.status) && isSessionReady(change.previous)) endSession(context);
    },
  });
}

/** Where one client's reports stand. */
interface ReportState {
  timer: ReturnType<typeof setInterval> | undefined;
  /** Changes on every ready and every end of ready: a report read in an older session is stale. */
  session: number;
  /** A periodic report is being read: the next tick waits rather than overlap it. */
  ticking: boolean;
}
