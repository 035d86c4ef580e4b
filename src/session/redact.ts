/**
 * Hides keys in text that leaves the client (log lines, error messages, status reasons). The first
 * line of defence is that the key never reaches those places; this is the second, for what the
 * gateway or a user's code echoes back.
 *
 * The rule it keeps: for a key of {@link KEY_FRAGMENT} or more characters, no run of that many
 * consecutive characters of the key, raw or JSON-escaped, survives, neither in the text nor in the
 * text's own JSON encoding (`--json` output, the inspector). Replacing only the whole key is not
 * enough: a gateway that cuts, wraps or escapes the key still prints most of it. So the text is
 * searched twice: as it is, and as JSON writes it (where `\u001f` next to `1` can spell a part of
 * an escaped key that neither holds alone); whatever either search finds is masked in the text.
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
  return new Redactor(keep);
}

/**
 * `createKeyRedactor`'s redactor: a class, so its methods are not closures per client. The keys
 * are `#` fields: no inspection, spread or JSON of a client shows them.
 */
class Redactor implements KeyRedactor {
  #keys: readonly string[] = [];
  /**
   * Indexed at the first redaction after a key changes, not when it is remembered: most clients
   * never redact anything, and the index of a 40-character key is ~2 KB of maps per client.
   */
  #forms: readonly KeyForm[] | undefined;

  constructor(private readonly keep: number) {}

  remember(key: string): void {
    if (key === '' || this.#keys.includes(key)) return;
    this.#keys = [...this.#keys, key].slice(-this.keep);
    this.#forms = undefined;
  }

  redact(text: string): string {
    if (this.#keys.length === 0 || text === '') return text;
    this.#forms ??= this.#keys.flatMap(formsOf);
    const hidden: [number, number][] = [];
    // Text JSON writes as it is (most text) is searched once, as its own JSON form.
    const plain = !NEEDS_ESCAPE.test(text);
    const written = plain ? [{ text, from: undefined }] : [escapedText(text, false)];
    // JSON leaves U+0085, U+2028, U+2029 as they are; a decode error's quote escapes them.
    if (/[\u0085\u2028\u2029]/.test(text)) written.push(escapedText(text, true));
    for (const form of this.#forms) {
      if (!plain) findRuns(text, undefined, form, hidden);
      for (const escaped of written) findRuns(escaped.text, escaped, form, hidden);
    }
    return hidden.length === 0 ? text : mask(text, hidden);
  }
}

/** One spelling of a key, indexed by character for the search. */
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
  const spellings = new Set([key, JSON.stringify(key).slice(1, -1), escapedText(key, true).text]);
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
 * A text as a JSON string holds it, and for each of its characters the one of the text it came
 * from (`undefined`: the same as in the text, nothing was escaped).
 */
interface EscapedText {
  readonly text: string;
  readonly from: Int32Array | undefined;
}

/** A character JSON escapes inside a string: controls, `"`, `\`, and lone surrogate halves. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** `text` JSON-escaped (without the quotes); with `quoteForm`, U+0085, U+2028, U+2029 escaped too. */
function escapedText(text: string, quoteForm: boolean): EscapedText {
  let out = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const piece = escaped(code, quoteForm);
    out += piece;
    for (let j = 0; j < piece.length; j++) from.push(i);
  }
  return { text: out, from: Int32Array.from(from) };
}

/** One UTF-16 unit as a JSON string writes it (lone surrogates included), and with `quoteForm` U+0085, U+2028, U+2029 escaped. */
function escaped(code: number, quoteForm: boolean): string {
  if (quoteForm && (code === 0x85 || code === 0x2028 || code === 0x2029))
    return `\\u${code.toString(16).padStart(4, '0')}`;
  if (code >= 0x20 && code !== 0x22 && code !== 0x5c && (code < 0xd800 || code > 0xdfff))
    return String.fromCharCode(code);
  return JSON.stringify(String.fromCharCode(code)).slice(1, -1);
}

/**
 * Adds to `hidden` (as ranges of the original text) every maximal run that `haystack` shares with
 * `form` and that is {@link KEY_FRAGMENT} characters or more, or the whole key when the key is
 * shorter. When `haystack` is the text JSON-escaped (`escaped`), a run at its start or end needs one
 * character less: JSON puts a `"` there, which is the key's next character when the key holds a
 * quote. Quadratic only in runs that actually match, so plain text costs one map lookup per character.
 */
function findRuns(
  haystack: string,
  escaped: EscapedText | undefined,
  form: KeyForm,
  hidden: [number, number][],
): void {
  const key = form.text;
  for (let i = 0; i < haystack.length; i++) {
    const starts = form.at.get(haystack.charAt(i));
    if (starts === undefined) continue;
    for (const k of starts) {
      // Only where a run starts: a run found from an earlier position already covers this one.
      if (i > 0 && k > 0 && haystack.charCodeAt(i - 1) === key.charCodeAt(k - 1)) continue;
      let n = 1;
      while (
        i + n < haystack.length &&
        k + n < key.length &&
        haystack.charCodeAt(i + n) === key.charCodeAt(k + n)
      )
        n++;
      let needed = Math.min(KEY_FRAGMENT, key.length);
      const atAnEnd = (i === 0 && k > 0) || (i + n === haystack.length && k + n < key.length);
      if (escaped !== undefined && needed === KEY_FRAGMENT && atAnEnd) needed--;
      if (n < needed) continue;
      const from = escaped?.from;
      if (from === undefined) hidden.push([i, i + n]);
      else hidden.push([from[i] as number, (from[i + n - 1] as number) + 1]);
    }
  }
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
