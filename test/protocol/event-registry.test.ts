import * as t from 'io-ts';
import { Stamp } from './stamp-codec.js';
import {
  Count,
  createEventRegistry,
  decodeFrame,
  defaultEventRegistry,
  encodeFrame,
  GatewayEventName,
  knownEvents,
  SendServersData,
  type Frame,
} from '../../src/protocol/index.js';

/** A send_servers codec that differs from the built-in one: `servers` instead of counts. */
const ServersList = t.type({ servers: t.array(t.string) }, 'ServersList');

/** A codec whose typed side differs from its wire side: ISO text on the wire, a Date in code. */
const DateFromIso = new t.Type<Date, string>(
  'an ISO date',
  (u): u is Date => u instanceof Date,
  (u, c) =>
    typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c),
  (date) => date.toISOString(),
);

const sendServers = (d: unknown): Frame => ({ op: 1, t: 'send_servers', d });
const counts = { guilds: 3, guildMembers: 40, cachedGuildMembers: 12 };

describe('the event registry', () => {
  it('knows the events the docs list, by their case-sensitive names', () => {
    expect(defaultEventRegistry.names().sort()).toEqual(
      ['GLOBAL_GUILD_COUNT', 'bot_connect_success', 'identify', 'send_servers'].sort(),
    );
    expect(Object.values(GatewayEventName).sort()).toEqual(Object.keys(knownEvents).sort());
    expect(knownEvents.send_servers.codec).toBe(SendServersData);
    expect(defaultEventRegistry.codecOf('GLOBAL_GUILD_COUNT')).toBe(knownEvents.GLOBAL_GUILD_COUNT.codec);
    expect(defaultEventRegistry.codecOf('global_guild_count')).toBeUndefined();
  });

  it('decodes unknown names to their raw data, the very same value', () => {
    const d = { anything: [1, 'two', { three: null }] };
    const result = decodeFrame(JSON.stringify({ op: 0, t: 'SOMETHING_NEW', d }), { sender: 'gateway' });
    expect(result).toEqual({ _tag: 'Right', right: { op: 0, t: 'SOMETHING_NEW', d } });
    // A known name in another case is another (unknown) event: not checked, not refused.
    expect(decodeFrame('{"op":0,"t":"global_guild_count","d":"whatever"}')).toEqual({
      _tag: 'Right',
      right: { op: 0, t: 'global_guild_count', d: 'whatever' },
    });
    expect(decodeFrame('{"op":0,"t":"no_data"}')).toEqual({ _tag: 'Right', right: { op: 0, t: 'no_data' } });
    expect(defaultEventRegistry.decodeData('x', d, 0)).toEqual({ _tag: 'Right', right: d });
    expect((defaultEventRegistry.decodeData('x', d, 0) as { right: unknown }).right).toBe(d);
  });

  it('takes extra codecs at creation, which may override known ones', () => {
    const events = createEventRegistry({ send_servers: ServersList, ping: t.type({ at: Count }) });
    expect(events.names()).toEqual(expect.arrayContaining(['send_servers', 'ping', 'identify']));
    expect(encodeFrame(sendServers({ servers: ['a'] }), { events })).toEqual({
      _tag: 'Right',
      right: '{"op":1,"t":"send_servers","d":{"servers":["a"]}}',
    });
    expect(decodeFrame('{"op":0,"t":"ping","d":{"at":-1}}', { events })).toMatchObject({
      _tag: 'Left',
      left: { message: 'invalid ping event at d.at: expected a non-negative integer, got -1' },
    });
  });

  it('register() overrides a known codec; its returned function restores the previous one', () => {
    const events = createEventRegistry();
    const builtIn = events.codecOf('send_servers');
    expect(encodeFrame(sendServers(counts), { events })._tag).toBe('Right');
    expect(encodeFrame(sendServers({ servers: ['a'] }), { events })._tag).toBe('Left');

    const restore = events.register('send_servers', ServersList);
    expect(events.codecOf('send_servers')).toBe(ServersList);
    expect(encodeFrame(sendServers({ servers: ['a'] }), { events })._tag).toBe('Right');
    expect(encodeFrame(sendServers(counts), { events })).toMatchObject({
      _tag: 'Left',
      left: { message: 'invalid send_servers event at d.servers: expected Array<string>, got nothing' },
    });
    // Only this registry changed (registries without extras start from one shared map).
    expect(defaultEventRegistry.codecOf('send_servers')).toBe(builtIn);
    expect(createEventRegistry().codecOf('send_servers')).toBe(builtIn);

    restore();
    expect(events.codecOf('send_servers')).toBe(builtIn);
    expect(encodeFrame(sendServers(counts), { events })._tag).toBe('Right');
    restore();
    expect(events.codecOf('send_servers')).toBe(builtIn);
  });

  it('a registration forgets the last lookup whole, even for a name JavaScript left undefined', () => {
    const events = createEventRegistry();
    expect(events.decodeData('send_servers', counts, 1)._tag).toBe('Right');
    events.register('ping', t.type({ at: Count }));
    const name = undefined as unknown as string;
    expect(events.decodeData(name, 5, 0)).toEqual({ _tag: 'Right', right: 5 });
  });

  it('register() of a new name, undone, leaves the name unknown again', () => {
    const events = createEventRegistry();
    const restore = events.register('ping', t.type({ at: Count }));
    expect(decodeFrame('{"op":0,"t":"ping","d":{}}', { events })._tag).toBe('Left');
    restore();
    expect(events.codecOf('ping')).toBeUndefined();
    expect(events.names()).not.toContain('ping');
    expect(decodeFrame('{"op":0,"t":"ping","d":{}}', { events })._tag).toBe('Right');
  });

  it('undoing overrides in any order leaves the one still in force', () => {
    const builtIn = knownEvents.send_servers.codec;
    const first = t.type({ first: t.string });
    const second = t.type({ second: t.string });
    for (const order of [
      ['first', 'second'],
      ['second', 'first'],
    ] as const) {
      const events = createEventRegistry();
      const undo = {
        first: events.register('send_servers', first),
        second: events.register('send_servers', second),
      };
      const codecs = { first, second };
      undo[order[0]]();
      expect(events.codecOf('send_servers')).toBe(codecs[order[1]]);
      undo[order[1]]();
      expect(events.codecOf('send_servers')).toBe(builtIn);
    }
  });

  it('the default registry refuses register()', () => {
    expect(() => defaultEventRegistry.register('send_servers', ServersList)).toThrow(
      new TypeError('the default event registry is shared: create your own with createEventRegistry()'),
    );
    expect(Object.isFrozen(defaultEventRegistry)).toBe(true);
    expect(defaultEventRegistry.codecOf('send_servers')).toBe(knownEvents.send_servers.codec);
  });
});

describe('encodeFrame checks event data', () => {
  it('refuses send_servers with a count that is a string', () => {
    const result = encodeFrame(sendServers({ ...counts, guilds: '3' }));
    expect(result).toEqual({
      _tag: 'Left',
      left: {
        message: 'invalid send_servers event at d.guilds: expected a non-negative integer, got "3"',
        path: 'd.guilds',
        expected: 'a non-negative integer',
        got: '"3"',
        op: 1,
        t: 'send_servers',
      },
    });
  });

  it('accepts send_servers as modelled (inferred), with or without guildIds, extra fields kept', () => {
    expect(encodeFrame(sendServers(counts))).toEqual({
      _tag: 'Right',
      right: '{"op":1,"t":"send_servers","d":{"guilds":3,"guildMembers":40,"cachedGuildMembers":12}}',
    });
    expect(encodeFrame(sendServers({ ...counts, guildIds: ['1'], shard: 0 }))._tag).toBe('Right');
    expect(encodeFrame(sendServers({ ...counts, guildIds: [1] }))).toMatchObject({
      left: { message: 'invalid send_servers event at d.guildIds.0: expected string, got 1' },
    });
  });

  it('refuses identify without a key, and frames that are not frames', () => {
    expect(encodeFrame({ op: 1, t: 'identify', d: { type: 'bot' } })).toMatchObject({
      left: { message: 'invalid identify event at d.key: expected string, got nothing' },
    });
    expect(encodeFrame({ op: 1, d: {} } as unknown as Frame)).toMatchObject({
      left: { message: 'cannot encode op 1 frame at t: expected string, got nothing' },
    });
    expect(encodeFrame({ op: 4 } as unknown as Frame)).toMatchObject({
      left: { message: 'cannot encode frame at op: expected a known opcode (-1, 0, 1, 5, 10, 11), got 4' },
    });
    expect(encodeFrame({ op: 5, d: { heartbeat: 0 } })).toMatchObject({
      left: {
        message:
          'cannot encode op 5 frame at d.heartbeat: expected a heartbeat interval in ms, positive and at most 2147483647, got 0',
      },
    });
  });

  it('passes unknown events through unchecked', () => {
    const d = { whatever: ['x', 1, null, { nested: true }] };
    expect(encodeFrame({ op: 1, t: 'custom_event', d })).toEqual({
      _tag: 'Right',
      right: JSON.stringify({ op: 1, t: 'custom_event', d }),
    });
    expect(encodeFrame({ op: 1, t: 'send_Servers', d: 'not checked' })._tag).toBe('Right');
  });

  it('returns a Left, not a throw, for data JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const d of [{ big: 1n }, cyclic]) {
      expect(encodeFrame({ op: 1, t: 'custom_event', d })).toMatchObject({
        _tag: 'Left',
        left: { path: 'd', expected: 'data JSON can represent', op: 1, t: 'custom_event' },
      });
    }
  });

  it('encodes typed data with the codec, and decodes it back typed', () => {
    const events = createEventRegistry({ scheduled: t.type({ at: DateFromIso }) });
    const at = new Date('2024-05-06T07:08:09.000Z');
    const encoded = encodeFrame({ op: 0, t: 'scheduled', d: { at } }, { events });
    expect(encoded).toEqual({
      _tag: 'Right',
      right: '{"op":0,"t":"scheduled","d":{"at":"2024-05-06T07:08:09.000Z"}}',
    });
    const decoded = decodeFrame((encoded as { right: string }).right, { events });
    expect(decoded).toEqual({ _tag: 'Right', right: { op: 0, t: 'scheduled', d: { at } } });
    // The wire form is accepted too; anything else is explained.
    expect(encodeFrame({ op: 0, t: 'scheduled', d: { at: '2024-05-06T07:08:09.000Z' } }, { events })).toEqual(
      encoded,
    );
    expect(encodeFrame({ op: 0, t: 'scheduled', d: { at: 'soon' } }, { events })).toMatchObject({
      left: { message: 'invalid scheduled event at d.at: expected an ISO date, got "soon"' },
    });
  });
});

describe("a user's codec that is wrong or throws", () => {
  const secretText = 'RangeError text that must not reach a message';
  const Throws = new t.Type<unknown>(
    'Throws',
    (_u): _u is unknown => {
      throw new RangeError(secretText);
    },
    () => {
      throw new RangeError(secretText);
    },
    () => {
      throw new RangeError(secretText);
    },
  );

  it('is refused when given, with one line naming it, and the registry is left as it was', () => {
    const notCodecs: [unknown, string][] = [
      [5, 'codecs.x must be an io-ts codec (is, decode and encode functions), got 5'],
      [null, 'codecs.x must be an io-ts codec (is, decode and encode functions), got null'],
      [
        { decode: () => t.success(1) },
        'codecs.x must be an io-ts codec (is, decode and encode functions), got an object whose is, encode are not functions',
      ],
      [
        { ...t.string, encode: 1 },
        'codecs.x must be an io-ts codec (is, decode and encode functions), got an object whose encode is not a function',
      ],
    ];
    for (const [codec, message] of notCodecs) {
      expect(() => createEventRegistry({ x: codec as t.Mixed })).toThrow(new TypeError(message));
      const events = createEventRegistry();
      expect(() => events.register('x', codec as t.Mixed)).toThrow(TypeError);
      expect(() => events.register('x', codec as t.Mixed)).toThrow(
        /^the codec for event "x" must be an io-ts codec/,
      );
      expect(events.codecOf('x')).toBeUndefined();
    }
    expect(() => createEventRegistry(null as never)).toThrow(
      new TypeError('codecs must be an object of event name → io-ts codec, got null'),
    );
    // A name that is not a plain word is quoted, on one line.
    expect(() => createEventRegistry({ 'a\nb': 5 as never })).toThrow(/^codecs\["a\\nb"\] must be/);
  });

  it('a decode that throws is a failed decode: one line without its text, the error as cause', () => {
    const events = createEventRegistry({ stamp: Stamp, boom: Throws });
    expect(decodeFrame('{"op":0,"t":"stamp","d":{"at":"2024-01-01"}}', { events })).toEqual({
      _tag: 'Right',
      right: { op: 0, t: 'stamp', d: { at: '2024-01-01T00:00:00.000Z' } },
    });
    const result = decodeFrame('{"op":0,"t":"stamp","d":{"at":"garbage"}}', { events, sender: 'gateway' });
    expect(result).toMatchObject({
      _tag: 'Left',
      left: {
        message:
          'invalid stamp event at d: expected data its codec can decode (the codec threw), got an object with at',
        path: 'd',
        op: 0,
        t: 'stamp',
      },
    });
    expect((result as { left: { cause: unknown } }).left.cause).toBeInstanceOf(RangeError);
    const boom = events.decodeData('boom', { x: 1 }, 0);
    expect(boom).toMatchObject({ _tag: 'Left', left: { cause: new RangeError(secretText) } });
    expect(JSON.stringify(boom)).not.toContain(secretText.slice(0, 10)); // cause is an Error: not in JSON
    expect((boom as { left: { message: string } }).left.message).not.toContain('RangeError');
  });

  it('a codec that returns no io-ts result, or loses its decode after registration, is a failure too', () => {
    const events = createEventRegistry({
      odd: {
        ...t.unknown,
        decode: () => 5,
        is: t.unknown.is,
        encode: t.unknown.encode,
      } as unknown as t.Mixed,
    });
    expect(events.decodeData('odd', {}, 0)).toMatchObject({
      _tag: 'Left',
      left: {
        message:
          'invalid odd event at d: expected data its codec can decode (the codec returned no io-ts result), got an empty object',
      },
    });
    const mutable = {
      name: 'mutable',
      is: (_u: unknown): _u is unknown => true,
      decode: (u: unknown) => t.success(u),
      encode: (a: unknown) => a,
    };
    events.register('later', mutable as unknown as t.Mixed);
    delete (mutable as Partial<typeof mutable>).decode;
    expect(decodeFrame('{"op":0,"t":"later","d":1}', { events })).toMatchObject({
      _tag: 'Left',
      left: {
        message: 'invalid later event at d: expected data its codec can decode (the codec threw), got 1',
      },
    });
  });

  it('an is, decode or encode that throws on send is a refused frame, not an exception', () => {
    const events = createEventRegistry({ stamp: Stamp, boom: Throws });
    expect(encodeFrame({ op: 1, t: 'boom', d: {} }, { events })).toMatchObject({
      _tag: 'Left',
      left: {
        message:
          'invalid boom event at d: expected data its codec can encode (the codec threw), got an empty object',
      },
    });
    // `is` refuses, then the codec's validate throws.
    const stamp = encodeFrame({ op: 1, t: 'stamp', d: { at: {} } }, { events });
    expect(stamp).toMatchObject({ _tag: 'Left', left: { path: 'd', t: 'stamp', op: 1 } });
    expect((stamp as { left: { cause: unknown } }).left.cause).toBeInstanceOf(RangeError);
    expect(encodeFrame({ op: 1, t: 'stamp', d: { at: 'x' } }, { events })._tag).toBe('Right');
  });
});
