/**
 * Over real sockets (the local gateway, `ws`): what a client does with a compressed frame it did not
 * ask for. Such a connection has the plain frame reader, without any zlib engine (in the browser
 * build pako is never loaded for it): a whole zlib frame is reported as INFLATE_FAILED in one line
 * and dropped, and the session goes on; a stream-form message ends the connection (INFLATE_FAILED,
 * not fatal: the client reconnects), since no later message of that stream could be read. A URL
 * that asks by hand (`compression=zlib`, or the older `encoding=zlib`) counts as asking.
 */
import { deflateSync } from 'node:zlib';
import { cleanUp, client, gateway, until } from '../client/helpers.js';
import { streamFrames } from './frame-reader-cases.js';

afterEach(cleanUp);

const COUNT = { guilds: 1, guildMembers: 2, cachedGuildMembers: 3 };

describe('a compressed frame when compression was not asked for', () => {
  test('a whole zlib frame: one INFLATE_FAILED line, dropped, the session goes on', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const seen: unknown[] = [];
    const c = client({
      url: gw.url,
      plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (d) => void seen.push(d) } }],
    });
    await c.client.start();
    const connection = gw.connections[0]!;
    expect(connection.compression).toBe('none');
    const frame = deflateSync(JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', d: COUNT }));
    await connection.sendRaw(frame);
    await connection.sendEvent('GLOBAL_GUILD_COUNT', { ...COUNT, guilds: 9 });
    await until(() => seen.length === 1, 2000, 'the event behind the compressed frame');
    expect(seen).toEqual([{ ...COUNT, guilds: 9 }]);
    expect(c.errors.map((error) => [error.code, error.message])).toEqual([
      [
        'INFLATE_FAILED',
        `INFLATE_FAILED Inflate Failed: zlib frame of ${frame.byteLength} bytes is compressed, but compression was not asked for (set the compression option to 'zlib')`,
      ],
    ]);
    expect(c.statuses()).not.toContain('reconnecting');
  });

  test('a stream-form message: the connection ends with INFLATE_FAILED and the client reconnects', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const c = client({ url: gw.url });
    await c.client.start();
    const [frame] = await streamFrames(JSON.stringify({ op: 0, t: 'GLOBAL_GUILD_COUNT', d: COUNT }));
    const reconnecting = c.next('reconnecting');
    await gw.connections[0]!.sendRaw(frame!);
    const change = await reconnecting;
    expect(change.reason).toMatchObject({ code: 'INFLATE_FAILED', fatal: false });
    expect(change.reason?.message).toMatch(
      /^INFLATE_FAILED Inflate Failed: zlib-stream message of \d+ bytes is compressed, but compression was not asked for/,
    );
    await c.next('ready');
    expect(gw.connectionCount).toBe(2);
  });

  test.each([
    ['compression=zlib', 'per-message'],
    ['encoding=zlib', 'stream'],
  ] as const)('a URL with %s asks for it: the %s form is read', async (query, form) => {
    const gw = await gateway({ compressionForm: form, guildCountInterval: 0 });
    const seen: unknown[] = [];
    const c = client({
      url: `${gw.url}/?${query}`,
      plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (d) => void seen.push(d) } }],
    });
    await c.client.start();
    expect(gw.connections[0]!.compression).toBe(form);
    c.client.send('send_servers', COUNT);
    await until(() => seen.length === 1, 2000, 'GLOBAL_GUILD_COUNT');
    expect(seen).toEqual([COUNT]);
    expect(c.errors).toEqual([]);
  });
});
