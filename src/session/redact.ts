/**
 * Hides keys in text that leaves the client (log lines, error messages, status reasons). The first
 * line of defence is that the key never reaches those places; this is the second, for what the
 * gateway or a user's code echoes back.
 *
 * The rule it keeps: for a key of {@link KEY_FRAGMENT} or more characters, no run of that many
 * consecutive characters of the key, raw or JSON-escaped, survives, neither in the text nor in the
 * text's own JSON encoding (`--json` output, the inspector). Replacing only the whole key is not
 * enough: a gateway that cuts, wraps or escapes the key still prints most of it.
 */
export interface KeyRedactor {
  /** Remembers a key the client identified with (at most a few are kept: keys rotate). */
  remember(key: string): void;
  /** `text` with every fragment of a remembered key replaced by `[key]`. */
  redact(text: string): string;
}

/** The shortest run of a key's characters that counts as part of the key. */
export const KEY_FRAGMENT = 8;

/** What a hidden fragment becomes. */
export const KEY_MASK = '[key]';

/** A {@link KeyRedactor} keeping the last `keep` keys. */
export function createKeyRedactor(keep = 4): KeyRedactor {
  let keys: readonly string[] = [];
  let forms: readonly KeyForm[] = [];
  return {
    remember(key) {
      if (key === '' || keys.includes(key)) return;
      keys = [...keys, key].slice(-keep);
      forms = keys.flatMap(formsOf);
    },
    redact(text) {
      if (forms.length === 0 || text === '') return text;
      const hidden: [number, number][] = [];
      for (const form of forms) findFragments(text, form, hidden);
      return hidden.length === 0 ? text : mask(text, hidden);
    },
  };
}

/** One spelling of a key (as is, or JSON-escaped), indexed by character for the search. */
interface KeyForm {
  readonly text: string;
  /** Where each character occurs in `text`. */
  readonly at: ReadonlyMap<string, readonly number[]>;
}

/**
 * The spellings a key may come back in: as is, as JSON writes it inside a string (`"` → `\"`, a
 * newline → `\n`), and as a decode error quotes it (JSON's escapes plus U+0085, U+2028, U+2029).
 */
function formsOf(key: string): KeyForm[] {
  const quoted = Array.from(key, (c) => (c.length === 1 ? escaped(c.charCodeAt(0)) : c)).join('');
  const spellings = new Set([key, JSON.stringify(key).slice(1, -1), quoted]);
  return [...spellings].map((text) => {
    const at = new Map<string, number[]>();
    for (let i = 0; i < text.length; i++) {
      const c = text.charAt(i);
      const list = at.get(c);
      if (list === undefined) at.set(c, [i]);
      else list.push(i);
    }
    return { text, at };
  });
}

/**
 * Adds to `hidden` every maximal run that `text` shares with `form` and that is, or would become
 * once JSON-escaped, at least {@link KEY_FRAGMENT} characters of the key; a key shorter than that
 * is hidden where it occurs whole. Quadratic only in runs that actually match, so plain text costs
 * one map lookup per character.
 */
function findFragments(text: string, form: KeyForm, hidden: [number, number][]): void {
  const key = form.text;
  for (let i = 0; i < text.length; i++) {
    const starts = form.at.get(text.charAt(i));
    if (starts === undefined) continue;
    for (const k of starts) {
      // Only where a run starts: a run found from an earlier position already covers this one.
      if (i > 0 && k > 0 && text.charCodeAt(i - 1) === key.charCodeAt(k - 1)) continue;
      let n = 1;
      while (i + n < text.length && k + n < key.length && text.charCodeAt(i + n) === key.charCodeAt(k + n))
        n++;
      if (n === key.length || n >= KEY_FRAGMENT || escapedWeight(text, i, n, key, k) >= KEY_FRAGMENT)
        hidden.push([i, i + n]);
    }
  }
}

/**
 * How long the run `text[i, i+n)` (equal to `key[k, k+n)`) is once JSON-escaped, counting what
 * the escapes of its neighbours share with the key's (`\n` next to the run where the key has `\"`
 * adds the backslash): a run of 7 plain characters can be 8 characters of the escaped key. At an
 * end of `text` where the key goes on, one more character counts: the text may be quoted (JSON's
 * `"` is the key's next character when the key has a quote there) or printed next to anything.
 */
function escapedWeight(text: string, i: number, n: number, key: string, k: number): number {
  let weight = 0;
  for (let j = i; j < i + n; j++) weight += escapedLength(text.charCodeAt(j));
  if (k > 0) weight += i === 0 ? 1 : sharedEnd(text.charCodeAt(i - 1), key.charCodeAt(k - 1), sharedSuffix);
  if (k + n < key.length)
    weight +=
      i + n === text.length ? 1 : sharedEnd(text.charCodeAt(i + n), key.charCodeAt(k + n), sharedPrefix);
  return weight;
}

/** How many characters the escapes of two different characters share at one end (0 for plain ones). */
function sharedEnd(a: number, b: number, shared: (x: string, y: string) => number): number {
  if (escapedLength(a) === 1 || escapedLength(b) === 1) return 0;
  return shared(escaped(a), escaped(b));
}

/** How many characters one UTF-16 unit takes in a JSON string (and U+0085, U+2028, U+2029 escaped). */
function escapedLength(code: number): number {
  if (code === 0x22 || code === 0x5c) return 2; // " and \
  if (code < 0x20) return code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
  return code === 0x85 || code === 0x2028 || code === 0x2029 ? 6 : 1;
}

/** One UTF-16 unit as a JSON string writes it, and U+0085, U+2028, U+2029 escaped too. */
function escaped(code: number): string {
  if (code === 0x85 || code === 0x2028 || code === 0x2029) return `\\u${code.toString(16).padStart(4, '0')}`;
  return JSON.stringify(String.fromCharCode(code)).slice(1, -1);
}

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function sharedSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** `text` with the ranges in `hidden` replaced by one mask per group of overlapping or touching ranges. */
function mask(text: string, hidden: [number, number][]): string {
  hidden.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (let i = 0; i < hidden.length;) {
    const [start, first] = hidden[i++] as [number, number];
    let stop = first;
    while (i < hidden.length && (hidden[i] as [number, number])[0] <= stop)
      stop = Math.max(stop, (hidden[i++] as [number, number])[1]);
    out += text.slice(cursor, start) + KEY_MASK;
    cursor = stop;
  }
  return out + text.slice(cursor);
}
