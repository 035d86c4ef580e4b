import fc from 'fast-check';
import {
  decodeFrame,
  decodeFrameValue,
  encodeFrame,
  knownEvents,
  MAX_TIMER_MS,
  type DecodeOptions,
  type Frame,
  type OpcodeDirection,
} from '../../src/protocol/index.js';

const ONE_LINE = /^[^\r\n\v\f\u0085\u2028\u2029]+$/;
const senders: (OpcodeDirection | undefined)[] = [undefined, 'gateway', 'client'];
const gatewayOps = new Set([-1, 0, 5, 11]);
const clientOps = new Set([1, 10]);

/** decodeFrame's contract on any input: no throw, and a Left is one non-empty line. */
function expectWellBehaved(decode: (options: DecodeOptions) => ReturnType<typeof decodeFrameValue>): void {
  for (const sender of senders) {
    const result = decode(sender === undefined ? {} : { sender });
    if (result._tag === 'Left') {
      expect(result.left.message).toMatch(ONE_LINE);
      expect(typeof result.left.path).toBe('string');
      expect(result.left.expected).not.toBe('');
      expect(result.left.got).not.toBe('');
    } else {
      expect(result._tag).toBe('Right');
      if (sender === 'gateway') expect(gatewayOps.has(result.right.op)).toBe(true);
      if (sender === 'client') expect(clientOps.has(result.right.op)).toBe(true);
    }
  }
}

describe('decodeFrame never throws and explains every failure in one line', () => {
  it('on arbitrary strings', () => {
    const nearJson = fc.string({
      unit: fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        '"',
        ':',
        ',',
        '"op"',
        '"d"',
        '"t"',
        '1',
        '-1',
        '5',
        '\n',
        '\u2028',
        'x',
      ),
    });
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      nearJson,
      fc.json(),
    );
    fc.assert(
      fc.property(text, (raw) => {
        expectWellBehaved((options) => decodeFrame(raw, options));
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary bytes', () => {
    const utf8 = new TextEncoder();
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.json().map((text) => utf8.encode(text)),
    );
    fc.assert(
      fc.property(bytes, (raw) => {
        expectWellBehaved((options) => decodeFrame(raw, options));
        expectWellBehaved((options) => decodeFrame(raw.buffer, options));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary JSON values, as text and as parsed values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectWellBehaved((options) => decodeFrame(JSON.stringify(value), options));
        expectWellBehaved((options) => decodeFrameValue(value, options));
      }),
      { numRuns: 300 },
    );
  });

  it('on objects with a random op and fields that are nearly right', () => {
    const names = Object.keys(knownEvents);
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const op = fc.oneof(fc.constantFrom(-1, 0, 1, 5, 10, 11), fc.integer({ min: -3, max: 13 }), anyJson);
    const t = fc.oneof(
      fc.constantFrom(...names, 'global_guild_count', '__proto__', 'toString'),
      fc.string(),
      anyJson,
    );
    const nearlyData = fc.record(
      {
        guilds: fc.oneof(fc.integer(), anyJson),
        guildMembers: fc.nat(),
        cachedGuildMembers: fc.nat(),
        guildIds: fc.oneof(fc.array(fc.string()), anyJson),
        heartbeat: fc.oneof(fc.integer(), fc.double(), anyJson),
        hearbeat: fc.oneof(fc.integer(), anyJson),
        type: fc.oneof(fc.constant('bot'), anyJson),
        key: fc.oneof(fc.string(), anyJson),
        errors: fc.oneof(fc.array(fc.string()), anyJson),
        data: anyJson,
      },
      { requiredKeys: [] },
    );
    const frame = fc.record(
      {
        op,
        t,
        d: fc.oneof(nearlyData, anyJson),
        e: fc.oneof(fc.integer(), anyJson),
        m: fc.oneof(fc.string(), anyJson),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(frame, (value) => {
        expectWellBehaved((options) => decodeFrame(JSON.stringify(value), options));
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * What a frame is after a trip through JSON (no -0, no undefined fields) and the decoder (which
 * removes `__proto__` keys).
 */
const canonical = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === '__proto__' ? undefined : v)) as T;

const json = fc.jsonValue({ maxDepth: 3 }).map(canonical);
const count = fc.maxSafeNat();
const counts = { guilds: count, guildMembers: count, cachedGuildMembers: count };
const withMessage = <T extends object>(frame: fc.Arbitrary<T>) =>
  fc
    .tuple(frame, fc.option(fc.string(), { nil: undefined }))
    .map(([f, m]) => (m === undefined ? f : { ...f, m }));
const unknownName = fc.string().filter((name) => !Object.hasOwn(knownEvents, name));

const validFrames: Record<string, fc.Arbitrary<Frame>> = {
  'error (op -1)': fc.record(
    {
      op: fc.constant(-1 as const),
      e: fc.integer(),
      m: fc.string(),
      d: fc.record({ errors: fc.array(fc.string()), data: fc.array(json) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['op'] },
  ),
  GLOBAL_GUILD_COUNT: withMessage(
    fc.record({ op: fc.constant(0 as const), t: fc.constant('GLOBAL_GUILD_COUNT'), d: fc.record(counts) }),
  ),
  bot_connect_success: withMessage(
    fc.record({
      op: fc.constant(0 as const),
      t: fc.constant('bot_connect_success'),
      d: fc.dictionary(fc.string(), json).map(canonical),
    }),
  ),
  identify: withMessage(
    fc.record({
      op: fc.constant(1 as const),
      t: fc.constant('identify'),
      d: fc.record({ type: fc.string(), key: fc.string() }),
    }),
  ),
  send_servers: withMessage(
    fc.record({
      op: fc.constant(1 as const),
      t: fc.constant('send_servers'),
      d: fc.record(
        { ...counts, guildIds: fc.array(fc.string()) },
        { requiredKeys: Object.keys(counts) as 'guilds'[] },
      ),
    }),
  ),
  'unknown gateway event': withMessage(fc.record({ op: fc.constant(0 as const), t: unknownName, d: json })),
  'unknown client event': withMessage(fc.record({ op: fc.constant(1 as const), t: unknownName, d: json })),
  'hello (op 5)': withMessage(
    fc.record({
      op: fc.constant(5 as const),
      d: fc.record({
        heartbeat: fc.oneof(
          fc.integer({ min: 1, max: MAX_TIMER_MS }),
          fc.double({ min: Number.MIN_VALUE, max: MAX_TIMER_MS, noNaN: true, noDefaultInfinity: true }),
        ),
      }),
    }),
  ),
  'heartbeat (op 10)': fc.constant({ op: 10 as const }),
  'heartbeat ACK (op 11)': withMessage(fc.record({ op: fc.constant(11 as const) })),
};

describe('encode → decode gives back the frame', () => {
  it.each(Object.entries(validFrames))('%s', (_, frames) => {
    fc.assert(
      fc.property(frames, fc.constantFrom('hearbeat' as const, 'heartbeat' as const), (frame, helloField) => {
        const encoded = encodeFrame(frame, { helloField });
        if (encoded._tag === 'Left') throw new Error(encoded.left.message);
        const sender = gatewayOps.has(frame.op) ? 'gateway' : 'client';
        const decoded = decodeFrame(encoded.right, { sender });
        expect(decoded).toEqual({ _tag: 'Right', right: canonical(frame) });
        // And again: what was decoded encodes to the same text.
        if (decoded._tag === 'Right') expect(encodeFrame(decoded.right, { helloField })).toEqual(encoded);
      }),
      { numRuns: 150 },
    );
  });
});

describe('no frame pollutes Object.prototype', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  afterEach(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  /** Every object in a decoded frame has an ordinary prototype and inherits nothing unusual. */
  function expectPlain(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const proto: unknown = Object.getPrototypeOf(value);
    expect(proto === Object.prototype || proto === Array.prototype).toBe(true);
    expect('polluted' in value && !Object.hasOwn(value, 'polluted')).toBe(false);
    for (const key of Object.keys(value)) expectPlain((value as Record<string, unknown>)[key]);
  }

  function decodeEverywhere(raw: string): void {
    for (const sender of senders) {
      const result = decodeFrame(raw, sender === undefined ? {} : { sender });
      if (result._tag === 'Right') {
        expectPlain(result.right);
        const again = encodeFrame(result.right);
        if (again._tag === 'Right') expectPlain(decodeFrame(again.right));
      }
    }
  }

  it.each([
    '{"op":0,"t":"x","d":{"__proto__":{"polluted":1}}}',
    '{"op":0,"t":"x","d":{"constructor":{"prototype":{"polluted":1}}}}',
    '{"op":0,"t":"__proto__","d":{"polluted":1}}',
    '{"op":0,"t":"constructor","d":{"prototype":{"polluted":1}}}',
    '{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"__proto__":{"polluted":1},"guilds":1,"guildMembers":2,"cachedGuildMembers":3}}',
    '{"op":0,"t":"bot_connect_success","d":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}',
    '{"op":1,"t":"send_servers","d":{"guilds":1,"guildMembers":2,"cachedGuildMembers":3,"__proto__":{"polluted":1}}}',
    '{"op":1,"t":"identify","d":{"type":"bot","key":"k","__proto__":{"polluted":1}}}',
    '{"op":5,"__proto__":{"polluted":1},"d":{"hearbeat":60000}}',
    '{"op":5,"d":{"__proto__":{"polluted":1},"hearbeat":60000}}',
    '{"op":5,"d":{"prototype":{"polluted":1},"heartbeat":60000},"constructor":{"polluted":1}}',
    '{"op":-1,"__proto__":{"polluted":1},"d":{"__proto__":{"polluted":1},"errors":[],"data":[{"__proto__":{"polluted":1}}]}}',
    '{"op":11,"__proto__":{"polluted":1}}',
    '{"__proto__":{"op":11,"polluted":1}}',
  ])('%s', (raw) => {
    decodeEverywhere(raw);
  });

  it('removes a frame’s __proto__ keys at any depth, and keeps constructor and prototype as data', () => {
    const event = decodeFrame(
      '{"op":0,"t":"x","d":{"a":{"__proto__":{"p":1},"b":2},"constructor":1,"prototype":2}}',
    );
    expect(event).toEqual({
      _tag: 'Right',
      right: { op: 0, t: 'x', d: { a: { b: 2 }, constructor: 1, prototype: 2 } },
    });
  });

  it('a frame’s own __proto__ key is gone, and Hello decodes as ever', () => {
    const result = decodeFrame('{"op":5,"__proto__":{"polluted":1},"d":{"hearbeat":60000}}');
    expect(result._tag).toBe('Right');
    if (result._tag === 'Right') {
      expect(Object.getPrototypeOf(result.right)).toBe(Object.prototype);
      expect((result.right as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.hasOwn(result.right, '__proto__')).toBe(false);
      expect(result.right).toMatchObject({ op: 5, d: { heartbeat: 60000 } });
    }
    // With no own op, the inherited-looking one does not count.
    expect(decodeFrame('{"__proto__":{"op":11}}')).toMatchObject({
      _tag: 'Left',
      left: { message: 'frame at op: expected an opcode, got nothing' },
    });
  });

  it('on generated frames full of dangerous keys', () => {
    type Node = { readonly leaf: unknown } | { readonly entries: readonly (readonly [string, Node])[] };
    const key = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'polluted',
      'hearbeat',
      'heartbeat',
      'guilds',
    );
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }).map((leaf) => ({ leaf })),
        fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((entries) => ({ entries })),
      ),
    }));
    // Written as JSON text by hand, so `__proto__` is an own key as JSON.parse makes it, whatever
    // fast-check does with such keys in objects.
    const toJson = (n: Node): string =>
      'leaf' in n
        ? JSON.stringify(n.leaf)
        : `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
    const frame = fc.tuple(
      fc.constantFrom(-1, 0, 1, 5, 10, 11),
      fc.constantFrom(
        '"x"',
        '"GLOBAL_GUILD_COUNT"',
        '"bot_connect_success"',
        '"send_servers"',
        '"__proto__"',
      ),
      node,
      node,
    );
    fc.assert(
      fc.property(frame, ([op, t, d, extra]) => {
        const rest = 'entries' in extra ? toJson(extra).slice(1, -1) : '';
        decodeEverywhere(`{${rest}${rest === '' ? '' : ','}"op":${op},"t":${t},"d":${toJson(d)}}`);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
