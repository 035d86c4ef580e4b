import type { GatewayClient } from '../client.js';
import type { LocalGateway } from '../testing/index.js';

/** How the `start` demo runs: its timings, ms, in one place. */
export const demoTimings = {
  /** The embedded gateway's heartbeat interval: short, so heartbeats show within seconds. */
  heartbeatInterval: 2000,
  /** How often the demo bot reports `send_servers` (its numbers change each time). */
  reportEvery: 3000,
  /** When the coming drop is announced, after the first ready. */
  announceAfter: 6000,
  /** How long after the announcement the gateway drops the session. */
  dropAfter: 2000,
} as const;

/**
 * The first five minutes of `npm start`: a demo bot on the embedded gateway that shows the machine
 * at work. It reports `send_servers` every few seconds (the gateway answers with
 * `GLOBAL_GUILD_COUNT`), and once, announced, the gateway drops the session so the client's
 * reconnect (with its `retryIn`) and the ready after it can be watched. Returns the stop function;
 * nothing of it outlives that.
 */
export function runDemo(
  client: GatewayClient,
  gateway: LocalGateway,
  say: (kind: string, text: string) => void,
  timings: {
    readonly reportEvery: number;
    readonly announceAfter: number;
    readonly dropAfter: number;
  } = demoTimings,
): () => void {
  const timers: ReturnType<typeof setTimeout>[] = [];
  let reports = 0;
  const report = (): void => {
    reports++;
    const guilds = 40 + reports;
    client.send('send_servers', { guilds, guildMembers: guilds * 30, cachedGuildMembers: guilds * 25 });
  };
  report();
  const reporting = setInterval(report, timings.reportEvery);
  let dropped = false;
  const off = client.onConnection((change) => {
    if (change.connection !== 'connected' || dropped) return;
    dropped = true;
    timers.push(
      setTimeout(() => {
        say(
          'demo',
          `in ${timings.dropAfter / 1000} s the gateway drops this session: watch the client reconnect`,
        );
        timers.push(
          setTimeout(() => {
            const open = gateway.connections.filter((connection) => connection.state !== 'closed');
            for (const connection of open) connection.drop();
          }, timings.dropAfter),
        );
      }, timings.announceAfter),
    );
  });
  return () => {
    off();
    clearInterval(reporting);
    for (const timer of timers) clearTimeout(timer);
  };
}
