import { deflateSync } from 'node:zlib';
import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

describe('compression=zlib over real sockets', () => {
  test.each(['per-message', 'stream'] as const)(
    '%s form: ready, events arrive, reconnect gets a fresh context',
    async (form) => {
      const gw = await gateway({ compressionForm: form, guildCountInterval: 0 });
      const seen: unknown[] = [];
      const c = client({
        url: gw.url,
        compression: 'zlib',
        plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (d) => void seen.push(d) } }],
      });
      c.client.send('send_servers', { guilds: 5, guildMembers: 6, cachedGuildMembers: 7 });
      await c.client.start();
      expect(gw.connections[0]!.query.get('compression')).toBe('zlib');
      expect(gw.connections[0]!.compression).toBe(form);
      await until(() => seen.length === 1, 2000, 'GLOBAL_GUILD_COUNT');
      expect(seen[0]).toEqual({ guilds: 5, guildMembers: 6, cachedGuildMembers: 7 });
      gw.connections[0]!.drop();
      await c.next('reconnecting');
      await c.next('ready');
      c.client.send('send_servers', { guilds: 9, guildMembers: 9, cachedGuildMembers: 9 });
      await until(() => seen.length >= 2, 2000, 'second GLOBAL_GUILD_COUNT');
      expect(seen[seen.length - 1]).toEqual({ guilds: 9, guildMembers: 9, cachedGuildMembers: 9 });
      expect(c.errors).toEqual([]);
    },
  );

  test('a decompression bomb is refused with a one-line report, memory stays bounded, the session goes on', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, compression: 'zlib', maxPayload: 1024 * 1024 });
    await c.client.start();
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const heapBefore = process.memoryUsage().arrayBuffers;
    await gw.connections[0]!.sendRaw(bomb);
    await until(() => c.errors.length === 1, 3000, 'the bomb report');
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(16 * 1024 * 1024);
    expect(c.errors[0]).toMatchObject({ code: 'INFLATE_FAILED' });
    expect(c.errors[0]?.message).not.toMatch(/\n/);
    expect(c.client.status === 'ready' || c.client.status === 'heartbeat-pending').toBe(true);
  });
});
