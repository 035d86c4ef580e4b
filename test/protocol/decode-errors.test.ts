import * as t from 'io-ts';
import {
  createEventRegistry,
  decodeFrame,
  encodeFrame,
  type DecodeError,
  type DecodeOptions,
  type Frame,
} from '../../src/protocol/index.js';

/** The Left of decoding `raw`; fails the test when it decoded. */
function problem(raw: string | Uint8Array, options: DecodeOptions = {}): DecodeError {
  const result = decodeFrame(raw, options);
  if (result._tag === 'Right') throw new Error(`decoded: ${JSON.stringify(result.right)}`);
  return result.left;
}

const message = (raw: string | Uint8Array, options: DecodeOptions = {}) => problem(raw, options).message;

describe('each kind of invalid frame gives one line naming path, expected and got', () => {
  it('not JSON', () => {
    expect(message('hello')).toBe('frame: expected JSON, got "hello"');
    expect(message('')).toBe('frame: expected JSON, got ""');
    // Longer text is described, never quoted in part: a cut quote is what leaked key fragments.
    expect(message(`{"op":11,"m":"${'x'.repeat(60)}`)).toBe(
      'frame: expected JSON, got a string of 74 characters',
    );
  });

  it('not UTF-8', () => {
    expect(message(Uint8Array.from([0x7b, 0xff]))).toBe(
      'binary frame: expected UTF-8 JSON text, got 2 bytes that are not UTF-8',
    );
  });

  it('not an object', () => {
    expect(message('[{"op":11}]')).toBe('frame: expected a JSON object, got an array of 1');
    expect(message('11')).toBe('frame: expected a JSON object, got 11');
    expect(message('null')).toBe('frame: expected a JSON object, got null');
    expect(message('"op"')).toBe('frame: expected a JSON object, got "op"');
  });

  it('no op', () => {
    expect(problem('{"d":{"heartbeat":1}}')).toEqual({
      message: 'frame at op: expected an opcode, got nothing',
      path: 'op',
      expected: 'an opcode',
      got: 'nothing',
    });
  });

  it('an op that is not an integer', () => {
    expect(message('{"op":1.5}')).toBe('frame at op: expected an integer opcode, got 1.5');
    expect(message('{"op":"10"}')).toBe('frame at op: expected an integer opcode, got "10"');
    expect(message('{"op":null}')).toBe('frame at op: expected an integer opcode, got null');
  });

  it('an unknown op', () => {
    expect(problem('{"op":7}')).toEqual({
      message: 'frame at op: expected a known opcode (-1, 0, 1, 5, 10, 11), got 7',
      path: 'op',
      expected: 'a known opcode (-1, 0, 1, 5, 10, 11)',
      got: '7',
      op: 7,
    });
  });

  it('an op the other side sends', () => {
    expect(message('{"op":10}', { sender: 'gateway' })).toBe(
      'frame at op: expected an opcode the gateway sends, got 10',
    );
    expect(message('{"op":1,"t":"x","d":{}}', { sender: 'gateway' })).toBe(
      'frame at op: expected an opcode the gateway sends, got 1',
    );
    expect(message('{"op":11}', { sender: 'client' })).toBe(
      'frame at op: expected an opcode the client sends, got 11',
    );
  });

  it('bad event data', () => {
    const frame = (d: string) => `{"op":0,"t":"GLOBAL_GUILD_COUNT","d":${d}}`;
    expect(problem(frame('{"guilds":"1000","guildMembers":1,"cachedGuildMembers":1}'))).toEqual({
      message: 'invalid GLOBAL_GUILD_COUNT event at d.guilds: expected a non-negative integer, got "1000"',
      path: 'd.guilds',
      expected: 'a non-negative integer',
      got: '"1000"',
      op: 0,
      t: 'GLOBAL_GUILD_COUNT',
    });
    expect(message(frame('{"guilds":-1,"guildMembers":1,"cachedGuildMembers":1}'))).toBe(
      'invalid GLOBAL_GUILD_COUNT event at d.guilds: expected a non-negative integer, got -1',
    );
    expect(message(frame('{"guilds":1,"guildMembers":1.5,"cachedGuildMembers":1}'))).toBe(
      'invalid GLOBAL_GUILD_COUNT event at d.guildMembers: expected a non-negative integer, got 1.5',
    );
    expect(message(frame('{"guilds":1,"guildMembers":1}'))).toBe(
      'invalid GLOBAL_GUILD_COUNT event at d.cachedGuildMembers: expected a non-negative integer, got nothing',
    );
    expect(message('{"op":0,"t":"GLOBAL_GUILD_COUNT"}')).toBe(
      'invalid GLOBAL_GUILD_COUNT event at d: expected GlobalGuildCountData, got nothing',
    );
    expect(message('{"op":0,"t":"bot_connect_success","d":[1]}')).toBe(
      'invalid bot_connect_success event at d: expected an object (a Bot), got an array of 1',
    );
  });

  it('an event without a name', () => {
    expect(message('{"op":0,"d":{}}')).toBe('invalid op 0 frame at t: expected string, got nothing');
    expect(message('{"op":1,"t":7,"d":{}}')).toBe('invalid op 1 frame at t: expected string, got 7');
  });

  it('a Hello without a positive interval', () => {
    const expected =
      'a heartbeat interval in ms, positive and at most 2147483647 (d.heartbeat or d.hearbeat)';
    expect(message('{"op":5,"d":{"hearbeat":0}}')).toBe(
      `invalid op 5 frame at d.hearbeat: expected ${expected}, got 0`,
    );
    expect(message('{"op":5,"d":{"heartbeat":-60000}}')).toBe(
      `invalid op 5 frame at d.heartbeat: expected ${expected}, got -60000`,
    );
    expect(message('{"op":5,"d":{"heartbeat":"60000"}}')).toBe(
      `invalid op 5 frame at d.heartbeat: expected ${expected}, got "60000"`,
    );
    expect(message('{"op":5,"d":{"heartbeat":null}}')).toBe(
      `invalid op 5 frame at d.heartbeat: expected ${expected}, got null`,
    );
    expect(message('{"op":5,"d":{}}')).toBe(
      `invalid op 5 frame at d.hearbeat: expected ${expected}, got nothing`,
    );
    expect(message('{"op":5}')).toBe('invalid op 5 frame at d: expected an object, got nothing');
    expect(message('{"op":5,"d":[60000]}')).toBe(
      'invalid op 5 frame at d: expected an object, got an array of 1',
    );
    expect(problem('{"op":5,"d":{}}')).toMatchObject({ op: 5, path: 'd.hearbeat' });
  });

  it('a bad error frame or message', () => {
    expect(message('{"op":-1,"e":"4005"}')).toBe('invalid op -1 frame at e: expected Int, got "4005"');
    expect(message('{"op":-1,"d":{"errors":"Key not provided."}}')).toBe(
      'invalid op -1 frame at d.errors: expected Array<string>, got "Key not provided."',
    );
    expect(message('{"op":-1,"d":{"errors":["ok",3]}}')).toBe(
      'invalid op -1 frame at d.errors.1: expected string, got 3',
    );
    expect(message('{"op":11,"m":{"text":"hi"}}')).toBe(
      'invalid op 11 frame at m: expected string, got an object with text',
    );
  });

  it('stays on one line whatever the sender put in values and keys', () => {
    const tricky = ['a\nb', 'a\rb', 'a\u2028b', 'a\u2029b', 'a\u0085b', '\n'.repeat(100)];
    for (const text of tricky) {
      const quoted = JSON.stringify(text);
      for (const raw of [
        text,
        `{"op":${quoted}}`,
        `{"op":-1,"d":{"errors":{${quoted}:1}}}`,
        `{"op":-1,"d":{"errors":${quoted}}}`,
        `{"op":11,"m":{${quoted}:1,"b":2}}`,
      ]) {
        expect(message(raw)).toMatch(/^[^\r\n\u0085\u2028\u2029]+$/);
      }
    }
    expect(message('"a\\u2028b"')).toBe('frame: expected a JSON object, got "a\\u2028b"');
    expect(message('{"op":11,"m":{"a\\nb":1,"c":2}}')).toBe(
      'invalid op 11 frame at m: expected string, got an object with "a\\nb", c',
    );
  });

  it('quotes short text whole and describes longer text, never cutting it', () => {
    const short = `${'x'.repeat(38)}😀`; // 40 UTF-16 units: quoted whole
    expect(problem(JSON.stringify(short)).got).toBe(JSON.stringify(short));
    const long = `${'x'.repeat(38)}😀${'y'.repeat(10)}`;
    expect(problem(JSON.stringify(long)).got).toBe('a string of 50 characters');
    // Escapes count: 30 quotes are 60 characters once quoted.
    expect(problem(JSON.stringify('"'.repeat(30))).got).toBe('a string of 30 characters');
  });
});

describe('a key’s value never appears in a message', () => {
  const secret = 'K3Y-8f2e1d';
  const identify = (key: string) => `{"op":1,"t":"identify","d":{"type":"bot","key":${key}}}`;

  it.each([
    ['a number', '1234567890123', 'a number (value hidden)'],
    ['an object', `{"value":"${secret}"}`, 'an object (value hidden)'],
    ['an array', `["${secret}"]`, 'an array of 1 (value hidden)'],
    ['null', 'null', 'null (value hidden)'],
    ['a boolean', 'true', 'a boolean (value hidden)'],
  ])('identify with %s as key', (_, key, got) => {
    const error = problem(identify(key), { sender: 'client' });
    expect(error.message).toBe(`invalid identify event at d.key: expected string, got ${got}`);
    expect(error.got).toBe(got);
    expect(error.message).not.toContain('1234567890123');
    expect(error.message).not.toContain(secret);
  });

  it('identify cut off in transit (not JSON)', () => {
    const cut = identify(`"${secret}"`).slice(0, -3);
    const error = problem(cut);
    expect(error.message).toBe(
      `frame: expected JSON, got a string of ${cut.length} characters (value hidden)`,
    );
    expect(error.message).not.toContain(secret);
  });

  it('identify with a bad type next to a good key', () => {
    const error = problem(`{"op":1,"t":"identify","d":{"type":1,"key":"${secret}"}}`);
    expect(error.message).toBe('invalid identify event at d.type: expected string, got 1');
  });

  it('other secret-looking fields of registered events', () => {
    const events = createEventRegistry({
      login: t.type({ token: t.string, auth: t.type({ password: t.string, authorization: t.string }) }),
      rotate: t.type({ keys: t.array(t.string) }),
    });
    const login = (token: string, password: string, authorization: string) =>
      `{"op":1,"t":"login","d":{"token":${token},"auth":{"password":${password},"authorization":${authorization}}}}`;
    const cases = [
      login('12345', '"p"', '"a"'),
      login('"t"', '["p-12345"]', '"a"'),
      login('"t"', '"p"', '{"bearer":"12345"}'),
      '{"op":1,"t":"rotate","d":{"keys":["a",12345]}}',
    ];
    for (const raw of cases) {
      const error = problem(raw, { events });
      expect(error.got).toMatch(/\(value hidden\)$/);
      expect(error.message).not.toContain('12345');
    }
  });

  it('when encoding', () => {
    const frame = { op: 1, t: 'identify', d: { type: 'bot', key: 1234567890 } } as unknown as Frame;
    const result = encodeFrame(frame);
    expect(result).toMatchObject({ _tag: 'Left' });
    if (result._tag === 'Left') {
      expect(result.left.message).toBe(
        'invalid identify event at d.key: expected string, got a number (value hidden)',
      );
    }
  });
});
