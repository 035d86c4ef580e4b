import type { GatewayPlugin } from '../../src/index.js';
import { Stamp } from '../protocol/stamp-codec.js';
import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

describe("a plugin's event codec that throws, over a real socket", () => {
  test('an event it throws on is reported as INVALID_FRAME, and the session goes on', async () => {
    const gw = await gateway();
    const seen: unknown[] = [];
    const plugin: GatewayPlugin = {
      name: 'stamps',
      codecs: { stamp: Stamp },
      events: { stamp: (data) => void seen.push(data) },
    };
    const c = client({ url: gw.url, plugins: [plugin] });
    await c.client.start();
    const conn = gw.connections[0]!;
    await conn.sendRaw('{"op":0,"t":"stamp","d":{"at":"garbage"}}');
    await conn.sendRaw('{"op":0,"t":"stamp","d":{"at":"2024-01-01"}}');
    await until(() => seen.length === 1, 2000, 'the good stamp');
    expect(seen).toEqual([{ at: '2024-01-01T00:00:00.000Z' }]);
    expect(c.errors.map((e) => e.code)).toEqual(['INVALID_FRAME']);
    const [error] = c.errors;
    expect(error?.message).toBe(
      'INVALID_FRAME Invalid Frame: invalid stamp event at d: expected data its codec can decode (the codec threw), got an object with at',
    );
    expect(error?.message).not.toMatch(/Invalid time value|RangeError/);
    // What the codec threw is the cause: a user's error text is a cause, not a message.
    expect(error?.cause).toBeInstanceOf(RangeError);
    expect(c.client.status === 'ready' || c.client.status === 'heartbeat-pending').toBe(true);
    expect(gw.connections).toHaveLength(1); // no reconnect either

    // On send, the same codec throwing is INVALID_EVENT thrown from send, nothing written.
    let thrown: unknown;
    try {
      c.client.send('stamp', { at: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_EVENT' });
    expect((thrown as Error).cause).toBeInstanceOf(Error);
    expect(() => c.client.send('stamp', { at: {} })).toThrow(
      /^INVALID_EVENT Invalid Event: invalid stamp event at d: expected data its codec can encode \(the codec threw\), got an object with at$/,
    );
    expect(c.client.send('stamp', { at: 'now' })).toBe('sent');

    // A plugin added later with one bad codec among good ones: refused whole, nothing registered.
    expect(() => c.client.use({ name: 'bad', codecs: { other: Stamp, broken: 5 as never } })).toThrow(
      /^INVALID_OPTIONS Invalid Options: plugin "bad": codecs\.broken must be an io-ts codec/,
    );
    expect(c.client.plugins).toEqual(['stamps']);
    expect(c.client.send('other', { at: {} })).toBe('sent'); // no codec for `other`: not validated
    expect(() => c.client.use(null as never)).toThrow(
      /^INVALID_OPTIONS .*a plugin needs a non-empty string name$/,
    );
  });
});
