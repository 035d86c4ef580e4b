import { main } from '../../examples/stats-bot.js';
import { cleanUp, gateway, KEY, until } from '../client/helpers.js';

/** examples/stats-bot.ts against the local gateway: what it prints and what it sends. */

afterEach(cleanUp);

interface Run {
  readonly lines: string[];
  readonly controller: AbortController;
  readonly done: ReturnType<typeof main>;
}

function run(url: string, guilds = 12, key = KEY): Run {
  const lines: string[] = [];
  const controller = new AbortController();
  const done = main({
    url,
    key,
    signal: controller.signal,
    print: (line) => lines.push(line),
    stats: () => ({ guilds, guildMembers: guilds * 100, cachedGuildMembers: guilds * 90 }),
  });
  return { lines, controller, done };
}

const counts = (lines: readonly string[]): string[] =>
  lines.filter((line) => line.startsWith('GLOBAL_GUILD_COUNT'));

describe('examples/stats-bot.ts', () => {
  test('reports send_servers on each ready (again after a drop) and prints each GLOBAL_GUILD_COUNT', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const bot = run(gw.url);
    const first = await gw.nextConnection();
    await until(() => counts(bot.lines).length === 1, 2000, 'the first count');
    expect(bot.lines).toEqual([
      'status: connecting',
      'status: awaiting-hello',
      'status: identifying',
      'status: ready',
      `ready as ${first.botId!}: reported 12 guilds`,
      'GLOBAL_GUILD_COUNT: 12 guilds, 1200 members (1080 cached)',
    ]);
    const reports = (connection: typeof first): unknown[] =>
      connection.frames.flatMap(({ frame }) =>
        frame?.op === 1 && frame.t === 'send_servers' ? [frame.d] : [],
      );
    expect(reports(first)).toEqual([{ guilds: 12, guildMembers: 1200, cachedGuildMembers: 1080 }]);

    // A new session starts without a report: the bot sends it again.
    first.drop();
    const second = await gw.nextConnection();
    await until(() => counts(bot.lines).length === 2, 2000, 'the second count');
    expect(reports(second)).toEqual([{ guilds: 12, guildMembers: 1200, cachedGuildMembers: 1080 }]);
    expect(bot.lines).toContain(`ready as ${second.botId!}: reported 12 guilds`);

    bot.controller.abort();
    const summary = await bot.done;
    expect(summary.sessions).toBe(2);
    expect(summary.counts).toEqual([
      { guilds: 12, guildMembers: 1200, cachedGuildMembers: 1080 },
      { guilds: 12, guildMembers: 1200, cachedGuildMembers: 1080 },
    ]);
    expect(bot.lines.at(-1)).toBe('status: stopped');
    expect(gw.openConnectionCount).toBe(0);
  });

  test('two bots see the sum of their reports; when one stops, the other sees it go', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const a = run(gw.url, 12);
    await until(() => counts(a.lines).length === 1, 2000, "a's first count");
    const b = run(gw.url, 5);
    await until(() => counts(b.lines).length === 1 && counts(a.lines).length === 2, 2000, 'the sum');
    expect(counts(a.lines)).toEqual([
      'GLOBAL_GUILD_COUNT: 12 guilds, 1200 members (1080 cached)',
      'GLOBAL_GUILD_COUNT: 17 guilds, 1700 members (1530 cached)',
    ]);
    expect(counts(b.lines)).toEqual(['GLOBAL_GUILD_COUNT: 17 guilds, 1700 members (1530 cached)']);

    b.controller.abort();
    await b.done;
    await until(() => counts(a.lines).length === 3, 2000, 'the count without b');
    expect(counts(a.lines)[2]).toBe('GLOBAL_GUILD_COUNT: 12 guilds, 1200 members (1080 cached)');
    a.controller.abort();
    await a.done;
  });

  test('a wrong key: main rejects with 4001; an abort before ready: main resolves', async () => {
    const gw = await gateway();
    const wrong = run(gw.url, 1, 'not-the-key');
    await expect(wrong.done).rejects.toMatchObject({ code: 4001 });
    expect(wrong.lines.filter((line) => line.startsWith('status: failed'))).toEqual([
      expect.stringMatching(/^status: failed \(4001 Wrong Auth Key/),
    ]);

    const early = run(gw.url);
    early.controller.abort();
    await expect(early.done).resolves.toEqual({ sessions: 0, counts: [] });
    await until(() => gw.openConnectionCount === 0, 2000, 'the gateway to see the socket close');
  });
});
