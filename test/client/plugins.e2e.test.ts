import type { GatewayPlugin } from '../../src/index.js';
import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

describe('plugins over real sockets', () => {
  test('handlers run in registration order, see events in arrival order, and each is isolated', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    const plugins: GatewayPlugin[] = [
      {
        name: 'throws',
        events: {
          tick: () => {
            throw new Error('sync boom');
          },
        },
      },
      {
        name: 'rejects',
        events: {
          tick: async () => {
            await Promise.resolve();
            throw new Error('async boom');
          },
        },
      },
      { name: 'hangs', events: { tick: () => new Promise<void>(() => undefined) } },
      { name: 'records', events: { tick: (data) => void seen.push(`records:${(data as { n: number }).n}`) } },
      {
        name: 'all',
        onEvent: (name, data) => void seen.push(`all:${name}:${(data as { n?: number }).n ?? '-'}`),
      },
    ];
    const c = client({ url: gw.url, plugins });
    await c.client.start();
    const conn = gw.connections[0]!;
    for (let n = 1; n <= 3; n++) await conn.sendEvent('tick', { n });
    await until(() => seen.filter((s) => s.startsWith('records')).length === 3, 2000, 'three ticks');
    await until(() => c.errors.length === 6, 2000, 'six plugin errors');
    expect(seen.filter((s) => s.includes('tick'))).toEqual(['all:tick:1', 'all:tick:2', 'all:tick:3']);
    expect(seen.filter((s) => s.startsWith('records'))).toEqual(['records:1', 'records:2', 'records:3']);
    expect(c.errors.map((e) => `${e.code}:${e.plugin}`).sort()).toEqual([
      'PLUGIN_FAILED:rejects',
      'PLUGIN_FAILED:rejects',
      'PLUGIN_FAILED:rejects',
      'PLUGIN_FAILED:throws',
      'PLUGIN_FAILED:throws',
      'PLUGIN_FAILED:throws',
    ]);
    expect(c.errors[0]?.message).toMatch(/plugin "throws" failed on tick \(Error; its error is the cause\)/);
    expect(c.errors[0]?.cause).toEqual(new Error('sync boom'));
    expect(c.client.status === 'ready' || c.client.status === 'heartbeat-pending').toBe(true);
  });

  test('unknown events reach plugins with their raw data; an event named like an Object method calls nothing', async () => {
    const gw = await gateway();
    const seen: unknown[] = [];
    const c = client({
      url: gw.url,
      plugins: [{ name: 'raw', events: { brand_new_event: (d) => void seen.push(d) } }],
    });
    await c.client.start();
    await gw.connections[0]!.sendRaw('{"op":0,"t":"constructor","d":{}}');
    await gw.connections[0]!.sendRaw('{"op":0,"t":"brand_new_event","d":[1,{"x":null}]}');
    await until(() => seen.length === 1, 2000, 'raw event');
    expect(seen[0]).toEqual([1, { x: null }]);
    expect(c.errors).toEqual([]);
  });

  test('a plugin can send through its context and read status', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const statuses: string[] = [];
    const c = client({
      url: gw.url,
      plugins: [
        {
          name: 'echo',
          events: {
            GLOBAL_GUILD_COUNT: (data, context) => {
              statuses.push(context.status);
              const d = data as { guilds: number };
              if (d.guilds < 3)
                context.send('send_servers', {
                  guilds: d.guilds + 1,
                  guildMembers: 0,
                  cachedGuildMembers: 0,
                });
            },
          },
        },
      ],
    });
    c.client.send('send_servers', { guilds: 1, guildMembers: 0, cachedGuildMembers: 0 });
    await c.client.start();
    await until(() => gw.guildCount.guilds === 3, 2000, 'guilds to reach 3');
    expect(statuses.every((s) => s === 'ready' || s === 'heartbeat-pending')).toBe(true);
  });
});
