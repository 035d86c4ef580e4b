import fc from 'fast-check';
import { createKeyRedactor, KEY_FRAGMENT, KEY_MASK } from '../../src/session/redact.js';

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
