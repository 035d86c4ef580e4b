import { guildCountPlugin, main } from '../../examples/guild-count-plugin.js';
import { main as statsBot } from '../../examples/stats-bot.js';
import { cleanUp, client, gateway, KEY, until } from '../client/helpers.js';

/** examples/guild-count-plugin.ts against the local gateway: what it logs and what it keeps. */

afterEach(cleanUp);

const count = (guilds: number): { guilds: number; guildMembers: number; cachedGuildMembers: number } => ({
  guilds,
  guildMembers: guilds * 10,
  cachedGuildMembers: guilds * 9,
});

describe('examples/guild-count-plugin.ts', () => {
  test('logs each change of the guild count, marks each new max, and keeps the latest count', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const lines: string[] = [];
    const controller = new AbortController();
    const done = main({
      url: gw.url,
      key: KEY,
      signal: controller.signal,
      print: (line) => lines.push(line),
    });
    const connection = await gw.nextConnection();
    await until(() => connection.identified, 2000, 'identify');

    for (const guilds of [10, 10, 25, 7, 7, 30])
      await connection.sendEvent('GLOBAL_GUILD_COUNT', count(guilds));
    await until(() => lines.length === 4, 2000, 'four lines');
    expect(lines).toEqual([
      '[guild-count] guilds: first count 10 (new max 10)',
      '[guild-count] guilds: 10 → 25 (new max 25)',
      '[guild-count] guilds: 25 → 7',
      '[guild-count] guilds: 7 → 30 (new max 30)',
    ]);

    controller.abort();
    await expect(done).resolves.toEqual({ current: count(30), max: 30 });
    expect(lines).toHaveLength(4);
  });

  test('follows the real sum while stats bots come and go', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const lines: string[] = [];
    const stop = new AbortController();
    const done = main({ url: gw.url, key: KEY, signal: stop.signal, print: (line) => lines.push(line) });
    await until(() => gw.connections[0]?.identified === true, 2000, 'the follower to identify');

    const bots = [12, 30].map((guilds) => {
      const controller = new AbortController();
      const bot = statsBot({
        url: gw.url,
        key: KEY,
        signal: controller.signal,
        print: () => undefined,
        stats: () => count(guilds),
      });
      return { controller, bot };
    });
    await until(() => lines.some((line) => line.endsWith('42 (new max 42)')), 2000, 'the sum of both');
    bots[1]!.controller.abort();
    await bots[1]!.bot;
    await until(
      () => lines.at(-1) === '[guild-count] guilds: 42 → 12',
      2000,
      'the sum without the second bot',
    );
    bots[0]!.controller.abort();
    await bots[0]!.bot;

    stop.abort();
    const state = await done;
    expect(state.max).toBe(42);
    // The sum went 0 → 12 → 42 → 12 → 0 (the first step may be 0 → 42 if both reported at once).
    expect(lines[0]).toMatch(/^\[guild-count\] guilds: first count (12|42) \(new max (12|42)\)$/);
  });

  test('each call makes a plugin with its own state, usable by any client', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const one = guildCountPlugin();
    const two = guildCountPlugin();
    const logged: string[] = [];
    const log = (line: string): void => void logged.push(line);
    const c = client({
      url: gw.url,
      plugins: [one.plugin],
      logger: { debug: log, info: log, warn: log, error: log },
    });
    await c.client.start();
    await gw.connections[0]!.sendEvent('GLOBAL_GUILD_COUNT', count(3));
    await until(() => one.state().max === 3, 2000, 'the count');
    expect(one.state()).toEqual({ current: count(3), max: 3 });
    expect(two.state()).toEqual({ current: undefined, max: 0 });
    expect(logged).toEqual(['[guild-count] guilds: first count 3 (new max 3)']);
  });
});
