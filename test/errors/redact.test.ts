import fc from 'fast-check';
import { oneLine } from '../../src/errors/one-line.js';
import { createKeyRedactor, KEY_FRAGMENT, KEY_MASK } from '../../src/errors/redact.js';

/** Every run of KEY_FRAGMENT characters of `key`, raw and JSON-escaped. */
function fragmentsOf(key: string): string[] {
  const out: string[] = [];
  for (const form of [key, JSON.stringify(key).slice(1, -1)])
    for (let i = 0; i + KEY_FRAGMENT <= form.length; i++) out.push(form.slice(i, i + KEY_FRAGMENT));
  return out;
}

const alphabet = [...Array.from('ab01-_"\\/ \n\t\r'), '\u0001', '\u001f', '\u2028', 'é'];
const keys = fc
  .array(fc.constantFrom(...alphabet), { minLength: KEY_FRAGMENT, maxLength: 40 })
  .map((chars) => chars.join(''))
  .filter((key) => !key.includes(KEY_MASK));

/** Text made of pieces of the key (raw or escaped), cut anywhere, and other characters between. */
const echoes = (key: string) =>
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.nat(), fc.nat({ max: 48 }), fc.boolean()).map(([start, length, escaped]) => {
          const form = escaped ? JSON.stringify(key).slice(1, -1) : key;
          const from = start % form.length;
          return form.slice(from, from + length);
        }),
        fc.array(fc.constantFrom(...alphabet, 'x', '"', '\\'), { maxLength: 3 }).map((c) => c.join('')),
      ),
      { maxLength: 8 },
    )
    .map((pieces) => pieces.join(''));

/** `text` with its JSON escapes read once, as a reader of a log line would (left to right). */
const readEscapes = (text: string): string =>
  text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, escape: string) =>
    escape.length === 5
      ? String.fromCharCode(parseInt(escape.slice(1), 16))
      : (JSON.parse(`"\\${escape}"`) as string),
  );

/** `text` with each character written as JSON may write it: as is, `\uXXXX`, or its short escape. */
const spelledAnyhow = (text: string) =>
  fc.array(fc.nat({ max: 2 }), { minLength: text.length, maxLength: text.length }).map((choices) =>
    Array.from({ length: text.length }, (_, i) => text.charAt(i))
      .map((char, i) => {
        const short = JSON.stringify(char).slice(1, -1);
        if (choices[i] === 1) return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
        if (choices[i] === 2) return char === '/' ? '\\/' : short;
        return short;
      })
      .join(''),
  );

describe('the key redactor', () => {
  test('hides the whole key, its JSON-escaped form, and any fragment of 8 characters', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-';
    const redactor = createKeyRedactor();
    redactor.remember(key);
    expect(redactor.redact(`got "${key.slice(0, 39)}…" and ${key}`)).toBe('got "[key]…" and [key]');
    expect(redactor.redact(`short ${key.slice(3, 10)} stays`)).toBe(`short ${key.slice(3, 10)} stays`);
    expect(redactor.redact('nothing here')).toBe('nothing here');
  });

  test('a run of 7 characters that JSON turns into 8 of the escaped key is hidden', () => {
    const spelled = createKeyRedactor();
    spelled.remember('x1\u001f"abcdefgh');
    // `1` and the escape of U+001F next to it spell `1\u001f\` of the escaped key, once JSON-written.
    expect(JSON.stringify(spelled.redact('\u0001\u001f\\'))).not.toContain('1\\u001f\\');
    const redactor = createKeyRedactor();
    redactor.remember('abcdefg"hijklmno');
    // Raw, 7 characters of the key; JSON-escaped, `abcdefg\` is 8 characters of `abcdefg\"hij…`
    // (the backslash is the newline's, so the newline goes too).
    expect(redactor.redact('abcdefg\n')).toBe('[key]');
    expect(redactor.redact('abcdef\n')).toBe('abcdef\n');
  });

  test('a key written with any of the escapes JSON allows, as a raw frame may carry it, is hidden', () => {
    const redactor = createKeyRedactor();
    const key = 'aB3/dE6/gH9/jK2/mN5/pQ8/sT1/vW4+yZ7=';
    redactor.remember(key);
    // `/` as `\/` (PHP's json_encode does it by default).
    expect(redactor.redact(`{"m":"Key ${key.replaceAll('/', '\\/')} is expired."}`)).toBe(
      '{"m":"Key [key] is expired."}',
    );
    const other = createKeyRedactor();
    other.remember('Ksk_live_7f3a9b2c4d5e');
    // Every other character as `\uXXXX`; and the same once more JSON-escaped (a frame quoted in a message).
    const interleaved = '\\u004bs\\u006b_\\u006ci\\u0076e\\u005f7\\u00663\\u00619\\u0062';
    expect(other.redact(`"k":"${interleaved}"`)).toBe('"k":"[key]"');
    expect(other.redact(JSON.stringify(`"k":"${interleaved}"`))).toBe('"\\"k\\":\\"[key]\\""');
    // Fewer than 8 characters of the key, however written, stay.
    expect(other.redact('\\u004bs\\u006b_liv')).toBe('\\u004bs\\u006b_liv');
  });

  test('a mask ending inside a run of backslashes leaves no key once the escapes after it are read', () => {
    // Found by a fuzz run: one pass masked the first spelling, and the backslash it left behind
    // turned the rest into `\u006en…`, which reads as 8 more characters of the key.
    for (const [key, text] of [
      ['AAnnnfuB1a"aAf0\\', 'AAnnnfuB1a\\"aAf0\\\\\\\\\\\\u006en\\\\\\\\u006ef\\\\\\\\u0075B\\\\\\\\u0031a'],
      ['naaaaaaaaB\\', 'aaaaB\\\\\\\\u0061\\\\u0061\\\\u0061\\\\u0061\\\\u0061\\\\u0061\\\\u0042\\\\u005cn'],
    ] as const) {
      const redactor = createKeyRedactor();
      redactor.remember(key);
      const out = redactor.redact(text);
      const readings = [
        out,
        readEscapes(out),
        readEscapes(readEscapes(out)),
        readEscapes(readEscapes(readEscapes(out))),
      ];
      expect(fragmentsOf(key).filter((f) => readings.some((reading) => reading.includes(f)))).toEqual([]);
    }
  });

  test('a key split by what shows nothing (zero-width, bidi marks, terminal sequences) is hidden', () => {
    const key = 'probe-key-0123456789abcdefghij';
    const redactor = createKeyRedactor();
    redactor.remember(key);
    const pieces = ['probe-', 'key-01', '234567', '89abcd', 'efghij'];
    for (const between of [
      '\u200b',
      '\u202c',
      '\ufe0f', // a variation selector
      '\u{e0020}', // a tag: astral, two UTF-16 units
      '\u3164', // a Hangul filler
      '\u001b[m',
      '\u001b[31;1m',
      '\u001b]8;;http://x/\u0007',
      '\u009b2K',
    ]) {
      expect(redactor.redact(`x ${pieces.join(between)} y`)).toBe('x [key] y');
      // As a log line shows it (oneLine: controls escaped as `\u001b`): still hidden.
      expect(redactor.redact(oneLine(`x ${pieces.join(between)} y`))).toBe('x [key] y');
    }
    expect(redactor.redact('plain \u001b[31m red, no key')).toBe('plain \u001b[31m red, no key');
  });

  test('property: no 8 characters of the key survive once the escapes in the result are read', () => {
    fc.assert(
      fc.property(
        keys.chain((key) =>
          fc
            .tuple(fc.constant(key), fc.nat(), fc.nat({ max: 48 }), fc.boolean())
            .chain(([, start, length, twice]) => {
              const piece = key.slice(start % key.length, (start % key.length) + length);
              return fc.tuple(
                fc.constant(key),
                spelledAnyhow(piece).map((once) => (twice ? JSON.stringify(once).slice(1, -1) : once)),
              );
            }),
        ),
        ([key, text]) => {
          const redactor = createKeyRedactor();
          redactor.remember(key);
          const out = redactor.redact(`x${text}y`);
          const readings = [out, readEscapes(out), readEscapes(readEscapes(out))];
          const leaked = fragmentsOf(key).find((f) => readings.some((reading) => reading.includes(f)));
          expect(leaked).toBeUndefined();
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('a key shorter than 8 characters is hidden where it occurs whole', () => {
    const redactor = createKeyRedactor();
    redactor.remember('k3y!');
    expect(redactor.redact('the k3y! and k3y')).toBe('the [key] and k3y');
  });

  test('keeps the last few keys only', () => {
    const redactor = createKeyRedactor(2);
    for (const key of ['first-key-1', 'second-key-2', 'third-key-3']) redactor.remember(key);
    expect(redactor.redact('first-key-1 second-key-2 third-key-3')).toBe('first-key-1 [key] [key]');
  });

  test('property: no 8 characters of the key survive, raw or once the result is JSON-encoded', () => {
    fc.assert(
      fc.property(
        keys.chain((key) => fc.tuple(fc.constant(key), echoes(key))),
        ([key, text]) => {
          const redactor = createKeyRedactor();
          redactor.remember(key);
          const out = redactor.redact(text);
          const json = JSON.stringify(out);
          const leaked = fragmentsOf(key).find((f) => out.includes(f) || json.includes(f));
          expect(leaked).toBeUndefined();
        },
      ),
      {
        numRuns: 1500,
        // Found by earlier runs: an escape next to a plain character, and plain text spelling an
        // escape (`u001f` then U+001F is `u001f\u001f` once JSON-written).
        examples: [
          [['"1\u001f\n-\r\u001f\r\\""b110\n_-     -', '\u0001\u001f\\']],
          [['0\r/\r\u001f\u001f1 \t0/ \\\u001f\u00010\u001f', 'u001f\u001fa']],
        ],
      },
    );
  });
});
