import { randomBytes } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import * as t from 'io-ts';
import type { GatewayPlugin } from '../../src/index.js';
import {
  cleanUp,
  client,
  figure,
  gateway,
  isReady,
  proxy,
  recordingWebSocket,
  sleep,
  until,
} from './helpers.js';

afterEach(cleanUp);

/** A plugin recording every event's name and data. */
function recorder(): { plugin: GatewayPlugin; seen: { name: string; data: unknown }[] } {
  const seen: { name: string; data: unknown }[] = [];
  return { seen, plugin: { name: 'recorder', onEvent: (name, data) => void seen.push({ name, data }) } };
}

/** Inflates a run of stream-form frames as one zlib stream, as a client's one context would. */
const inflateRun = (frames: readonly Buffer[]): string =>
  inflateSync(Buffer.concat(frames), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');

describe('compression=zlib, stream form: a fresh inflate context on every connection', () => {
  test('cut in the middle of a compressed message, the next connection decodes from a fresh context', async () => {
    const gw = await gateway({ compressionForm: 'stream', guildCountInterval: 0 });
    const p = await proxy(gw.url);
    const ws = recordingWebSocket();
    const { plugin, seen } = recorder();
    const c = client({ url: p.url, compression: 'zlib', WebSocket: ws.WebSocket, plugins: [plugin] });
    await c.client.start();
    const first = gw.connections[0]!;
    for (let n = 1; n <= 3; n++)
      await first.sendEvent('tick', { n, text: 'the same words, again and again' });
    await until(() => seen.filter((s) => s.name === 'tick').length === 3, 2000, 'three ticks');

    // A big, poorly compressible message crawls through; the connection is cut half way through it.
    p.bandwidth(32 * 1024, 'downstream');
    await first.sendEvent('big', { blob: randomBytes(64 * 1024).toString('hex') });
    await sleep(300);
    p.reset();
    p.heal();
    await c.next('reconnecting', 2000);
    await until(() => isReady(c.client.status), 3000, 'the new session');
    const second = gw.connections[1]!;
    for (let n = 4; n <= 6; n++)
      await second.sendEvent('tick', { n, text: 'the same words, again and again' });
    await until(() => seen.filter((s) => s.name === 'tick').length === 6, 2000, 'three more ticks');

    expect(seen.filter((s) => s.name === 'tick').map((s) => (s.data as { n: number }).n)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(seen.map((s) => s.name)).not.toContain('big');
    expect(c.errors).toEqual([]);

    // The test would catch a reused context: the new connection's frames continue no stream of
    // the old one (a zlib header in the middle of a stream is corrupt data)…
    const framesOf = (i: number): Buffer[] =>
      ws.sockets[i]!.received.filter((m) => m.binary).map((m) => m.bytes);
    expect(() => inflateRun([...framesOf(0), ...framesOf(1)])).toThrow();
    // …while each connection's frames, from their own start, inflate.
    expect(inflateRun(framesOf(1))).toContain('"n":6');
  });
});

describe('hostile keys in frames', () => {
  const hostile =
    '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},' +
    '"guilds":1,"guildMembers":2,"cachedGuildMembers":3,"at":"2020-01-01T00:00:00.000Z"}';

  afterEach(() => {
    // Whatever a test did, the next one starts clean.
    const prototype = Object.prototype as Record<string, unknown>;
    delete prototype.polluted;
    delete prototype.escaped;
    delete prototype.escaped2;
  });

  test('constructor and prototype keys reach a plugin as plain data, __proto__ keys are removed; nothing is polluted or crashes', async () => {
    const gw = await gateway();
    const { plugin, seen } = recorder();
    const c = client({ url: gw.url, plugins: [plugin] });
    await c.client.start();
    const connection = gw.connections[0]!;
    const names = ['hostile', 'GLOBAL_GUILD_COUNT', '__proto__', 'constructor', 'prototype'];
    for (const name of names) await connection.sendRaw(`{"op":0,"t":"${name}","d":${hostile}}`);
    // The envelope itself, too.
    await connection.sendRaw(`{"op":0,"t":"envelope","d":{},"__proto__":{"polluted":"yes"}}`);
    await until(() => seen.length === 1 + names.length + 1, 2000, 'every event');

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const { name, data } of seen.slice(1, 1 + names.length)) {
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.keys(data as object)).toEqual(expect.arrayContaining(['constructor', 'prototype']));
      expect(Object.hasOwn(data as object, '__proto__')).toBe(false);
      expect((data as Record<string, unknown>).polluted).toBeUndefined();
      expect(names).toContain(name);
    }
    expect(seen.map((s) => s.name)).toEqual(['bot_connect_success', ...names, 'envelope']);
    expect(isReady(c.client.status)).toBe(true);
    expect(c.errors).toEqual([]);
  });

  // io-ts copies a transformed object by assignment, which would turn an own `__proto__` key into
  // the copy's prototype: decodeFrame removes `__proto__` keys when it parses, so there is none.
  test('a plugin codec that transforms: the data keeps Object.prototype as its prototype', async () => {
    const gw = await gateway();
    const DateFromString = new t.Type<Date, string, unknown>(
      'DateFromString',
      (u): u is Date => u instanceof Date,
      (u, context) => (typeof u === 'string' ? t.success(new Date(u)) : t.failure(u, context)),
      (date) => date.toISOString(),
    );
    const { plugin, seen } = recorder();
    const c = client({
      url: gw.url,
      plugins: [{ ...plugin, codecs: { stamped: t.type({ at: DateFromString }) } }],
    });
    await c.client.start();
    await gw.connections[0]!.sendRaw(`{"op":0,"t":"stamped","d":${hostile}}`);
    // The key written with JSON's \u escapes, which JSON.parse turns into the same key.
    const escaped = `{"\\u005f_proto__":{"escaped":"yes"},"__pr\\u006fto__":{"escaped2":"yes"},"at":"2020-01-01T00:00:00.000Z"}`;
    await gw.connections[0]!.sendRaw(`{"op":0,"t":"stamped","d":${escaped}}`);
    await until(() => seen.filter((s) => s.name === 'stamped').length === 2, 2000, 'both stamped events');
    for (const { data: value } of seen.filter((s) => s.name === 'stamped')) {
      const data = value as Record<string, unknown>;
      expect(data.at).toBeInstanceOf(Date);
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.hasOwn(data, '__proto__')).toBe(false);
      expect(data.polluted).toBeUndefined();
      expect(data.escaped).toBeUndefined();
      expect(data.escaped2).toBeUndefined();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('maxPayload', () => {
  const eventOf = (chars: number): string => {
    const frame = `{"op":0,"t":"sized","d":{"pad":""}}`;
    return frame.replace('""', `"${'x'.repeat(chars - frame.length)}"`);
  };

  test('a text frame over maxPayload is refused before it is parsed: the socket closes, the session comes back', async () => {
    const gw = await gateway();
    const { plugin, seen } = recorder();
    const maxPayload = 4096;
    const c = client({ url: gw.url, maxPayload, plugins: [plugin] });
    await c.client.start();
    const first = gw.connections[0]!;
    await first.sendRaw(eventOf(maxPayload)); // exactly at the bound: delivered
    await until(() => seen.some((s) => s.name === 'sized'), 2000, 'the frame at the bound');

    const sent = performance.now();
    await first.sendRaw(eventOf(maxPayload + 1));
    const change = await c.next('reconnecting', 2000);
    const closedIn = performance.now() - sent;
    figure('maxPayload: socket closed after (ms)', closedIn);
    // ws refuses the frame from its header's length and closes with 1009 (Message Too Big).
    expect((await first.closed).code).toBe(1009);
    expect(change.reason?.code).toBe('SOCKET_CLOSED');
    await until(() => isReady(c.client.status), 2000, 'the new session');
    expect(seen.filter((s) => s.name === 'sized')).toHaveLength(1);
    expect(gw.connectionCount).toBe(2);
  });

  // With `ws`, a frame over maxPayload makes ws close with 1009 and emit an error saying so, but ws
  // stops reading before the gateway's close frame comes back, so the close event says 1006: the
  // connection keeps the error's words (src/transport/connection.ts, onError) for the reason.
  test('a frame over maxPayload is reported as too large', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, maxPayload: 4096 });
    await c.client.start();
    await gw.connections[0]!.sendRaw(eventOf(4097));
    const change = await c.next('reconnecting', 2000);
    const said = [change.reason?.message ?? '', ...c.errors.map((e) => e.message)].join(' | ');
    expect(said).toMatch(/maxPayload|too large|too big|1009/i);
  });
});
