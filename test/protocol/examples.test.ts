import {
  decodeFrame,
  encodeFrame,
  opcodeTable,
  isSentBy,
  Opcode,
  PROTOCOL_VERSION,
} from '../../src/protocol/index.js';

// The example payloads of the gateway's docs (seeds/opcodes.md and the Gateway page collected in
// protocol.md), as the docs print them, whitespace and key order included.

const errorExample = `{
  "op": -1,
  "e": 4005,
  "d": {
    "errors": [
      "Type not provided.",
      "Key not provided."
    ],
    "data": [
      null,
      null
    ]
  },
  "m": "Malformed data."
}`;

const globalGuildCountExample = `{
  "op": 0,
  "d": {
    "guilds": 1000,
    "guildMembers": 55555,
    "cachedGuildMembers": 32000
  },
  "t": "GLOBAL_GUILD_COUNT"
}`;

const identifyExample = '{"op":1,"t":"identify","d":{"type":"bot","key":"<key>"}}';
const helloAsInTheExample = '{"op":5,"d":{"hearbeat":60000}}';
const helloAsInTheProse = '{"op":5,"d":{"heartbeat":60000}}';
const heartbeatExample = `{
  "op": 10
}`;
const heartbeatAckExample = '{"op":11}';

describe('the docs’ example payloads decode to the expected frames', () => {
  it('error (op -1)', () => {
    expect(decodeFrame(errorExample, { sender: 'gateway' })).toEqual({
      _tag: 'Right',
      right: {
        op: -1,
        e: 4005,
        d: { errors: ['Type not provided.', 'Key not provided.'], data: [null, null] },
        m: 'Malformed data.',
      },
    });
  });

  it('GLOBAL_GUILD_COUNT event (op 0)', () => {
    expect(decodeFrame(globalGuildCountExample, { sender: 'gateway' })).toEqual({
      _tag: 'Right',
      right: {
        op: 0,
        t: 'GLOBAL_GUILD_COUNT',
        d: { guilds: 1000, guildMembers: 55555, cachedGuildMembers: 32000 },
      },
    });
  });

  it('identify (op 1)', () => {
    expect(decodeFrame(identifyExample, { sender: 'client' })).toEqual({
      _tag: 'Right',
      right: { op: 1, t: 'identify', d: { type: 'bot', key: '<key>' } },
    });
  });

  it('hello (op 5) in both spellings, normalised to d.heartbeat', () => {
    const expected = { _tag: 'Right', right: { op: 5, d: { heartbeat: 60000 } } };
    expect(decodeFrame(helloAsInTheExample, { sender: 'gateway' })).toEqual(expected);
    expect(decodeFrame(helloAsInTheProse, { sender: 'gateway' })).toEqual(expected);
  });

  it('hello keeps its other fields and prefers a valid d.heartbeat', () => {
    expect(decodeFrame('{"op":5,"d":{"hearbeat":1,"heartbeat":2,"x":[3]},"m":"hi"}')).toEqual({
      _tag: 'Right',
      right: { op: 5, d: { heartbeat: 2, x: [3] }, m: 'hi' },
    });
    expect(decodeFrame('{"op":5,"d":{"heartbeat":0,"hearbeat":41250.5}}')).toEqual({
      _tag: 'Right',
      right: { op: 5, d: { heartbeat: 41250.5 } },
    });
  });

  it('heartbeat (op 10) and heartbeat ACK (op 11)', () => {
    expect(decodeFrame(heartbeatExample, { sender: 'client' })).toEqual({ _tag: 'Right', right: { op: 10 } });
    expect(decodeFrame(heartbeatAckExample, { sender: 'gateway' })).toEqual({
      _tag: 'Right',
      right: { op: 11 },
    });
  });

  it('bot_connect_success keeps every field and requires none', () => {
    const text = '{"op":0,"t":"bot_connect_success","d":{"id":"42","shard":[0,1],"extra":{"a":null}}}';
    expect(decodeFrame(text, { sender: 'gateway' })).toEqual({
      _tag: 'Right',
      right: { op: 0, t: 'bot_connect_success', d: { id: '42', shard: [0, 1], extra: { a: null } } },
    });
    expect(decodeFrame('{"op":0,"t":"bot_connect_success","d":{}}')).toEqual({
      _tag: 'Right',
      right: { op: 0, t: 'bot_connect_success', d: {} },
    });
  });

  it('decodes the same frames from UTF-8 bytes and from an ArrayBuffer', () => {
    const bytes = new TextEncoder().encode(globalGuildCountExample);
    const fromText = decodeFrame(globalGuildCountExample);
    expect(decodeFrame(bytes)).toEqual(fromText);
    expect(decodeFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(
      fromText,
    );
  });
});

describe('what the client sends is what the docs show', () => {
  it('heartbeat is nothing but {"op":10}', () => {
    expect(encodeFrame({ op: Opcode.Heartbeat })).toEqual({ _tag: 'Right', right: '{"op":10}' });
  });

  it('identify is the docs’ example byte for byte', () => {
    const frame = { op: Opcode.ClientEvent, t: 'identify', d: { type: 'bot', key: '<key>' } } as const;
    expect(encodeFrame(frame)).toEqual({ _tag: 'Right', right: identifyExample });
  });

  it('hello is written as the docs’ example by default, or as the prose when asked', () => {
    const hello = { op: Opcode.Hello, d: { heartbeat: 60000 } } as const;
    expect(encodeFrame(hello)).toEqual({ _tag: 'Right', right: helloAsInTheExample });
    expect(encodeFrame(hello, { helloField: 'heartbeat' })).toEqual({
      _tag: 'Right',
      right: helloAsInTheProse,
    });
  });
});

describe('the opcode table', () => {
  it('is protocol.md’s table: op, name and sender', () => {
    expect(opcodeTable.map((row) => [row.op, row.name, row.sentBy])).toEqual([
      [-1, 'Error', 'gateway'],
      [0, 'Event', 'gateway'],
      [1, 'Event', 'client'],
      [5, 'Hello', 'gateway'],
      [10, 'Heartbeat', 'client'],
      [11, 'Heartbeat ACK', 'gateway'],
    ]);
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('sends nobody the opcodes it does not list', () => {
    // Fractions next to a listed opcode, and what JavaScript would coerce to one, are not opcodes.
    for (const op of [-2, 2, 3, 4, 6, 7, 8, 9, 12, 1000, 1e-17, -1e-17, 5e-324, 0.5, NaN, Infinity]) {
      expect(isSentBy(op, 'gateway')).toBe(false);
      expect(isSentBy(op, 'client')).toBe(false);
    }
    for (const op of [null, false, '', true, '0'] as unknown as number[]) {
      expect(isSentBy(op, 'gateway')).toBe(false);
      expect(isSentBy(op, 'client')).toBe(false);
    }
  });
});
