import { SHOWS_NOTHING } from './one-line.js';

/**
 * Hides keys in text that leaves the client (log lines, error messages, status reasons). The first
 * line of defence is that the key never reaches those places; this is the second, for what the
 * gateway or a user's code echoes back.
 *
 * The rule it keeps: for a key of {@link KEY_FRAGMENT} or more characters, no run of that many
 * consecutive characters of the key, raw or JSON-escaped, survives, neither in the text nor in the
 * text's own JSON encoding (`--json` output, the inspector), nor once the JSON escapes the text
 * holds are read (a raw frame in a debug line may spell the key `\u004bs\u006b…` or `a\/b`: any
 * escape is valid JSON, and a reader of the log decodes it). Replacing only the whole key is not
 * enough: a gateway that cuts, wraps or escapes the key still prints most of it. So the text is
 * searched as it is, as JSON writes it (where `\u001f` next to `1` can spell a part of an escaped
 * key that neither holds alone) and, when it holds escapes, as they read; whatever a search finds
 * is masked in the text.
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
    // A mask can end inside a run of backslashes and change how the escapes after it read: the
    // result is searched again until nothing more is found (a few passes; most text needs one).
    let out = this.#once(text, this.#forms);
    for (let pass = 0; pass < UNESCAPE_LEVELS && out !== text; pass++) {
      text = out;
      out = this.#once(text, this.#forms);
    }
    return out;
  }

  #once(text: string, forms: readonly KeyForm[]): string {
    const hidden: [number, number][] = [];
    // Text JSON writes as it is (most text) is searched once, as its own JSON form.
    const plain = !NEEDS_ESCAPE.test(text);
    const views: TextView[] = plain ? [{ text, from: undefined, quoted: true }] : [escapedText(text, false)];
    // JSON leaves U+0085, U+2028, U+2029 as they are; a decode error's quote escapes them.
    if (/[\u0085\u2028\u2029]/.test(text)) views.push(escapedText(text, true));
    const raw: TextView = { text, from: undefined, quoted: false };
    const readings = plain ? [] : unescapedViews(raw);
    views.push(...readings);
    // A key split by characters that show nothing (U+200B, a bidi mark) still shows whole.
    for (const reading of [raw, ...readings])
      if (SHOWS_NOTHING.test(reading.text) || TERMINAL_SEQUENCE_START.test(reading.text))
        views.push(withoutInvisible(reading));
    for (const form of forms) {
      if (!plain) findRuns(raw, form, hidden);
      for (const view of views) findRuns(view, form, hidden);
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
 * The text, or the text as JSON would write it or as its escapes read, searched for the key: for
 * each of its characters, the range of the text it came from (`undefined`: the text itself).
 */
interface TextView {
  readonly text: string;
  readonly from: { readonly start: Int32Array; readonly end: Int32Array } | undefined;
  /** The view is the inside of a JSON string: a `"` stands just before and after it. */
  readonly quoted: boolean;
}

/** A character JSON escapes inside a string: controls, `"`, `\`, and lone surrogate halves. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** `text` JSON-escaped (without the quotes); with `quoteForm`, U+0085, U+2028, U+2029 escaped too. */
function escapedText(text: string, quoteForm: boolean): TextView {
  let out = '';
  const start: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const piece = escaped(code, quoteForm);
    out += piece;
    for (let j = 0; j < piece.length; j++) start.push(i);
  }
  const from = Int32Array.from(start);
  return { text: out, from: { start: from, end: from.map((i) => i + 1) }, quoted: true };
}

/** A JSON escape: `\uXXXX`, or a backslash and one of `"\/bfnrt`. */
const JSON_ESCAPE = /\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])/;

/** What each short JSON escape stands for. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Deepest JSON-in-JSON read back: a frame traced as it came (one level), a frame quoted inside an
 * error's message (two), that message in `--json` output (three).
 */
const UNESCAPE_LEVELS = 3;

/** The text with its JSON escapes read, once, then again while escapes remain (up to {@link UNESCAPE_LEVELS}). */
function unescapedViews(raw: TextView): TextView[] {
  const views: TextView[] = [];
  let view = raw;
  while (views.length < UNESCAPE_LEVELS && JSON_ESCAPE.test(view.text)) {
    view = unescapedText(view);
    views.push(view);
  }
  return views;
}

/** A character that shows nothing ({@link SHOWS_NOTHING}) at a given position (`lastIndex`). */
const SHOWS_NOTHING_AT = new RegExp(SHOWS_NOTHING.source, 'uy');

/** ESC, or the 8-bit CSI: where a terminal's control sequence starts. */
// eslint-disable-next-line no-control-regex -- ESC is what it looks for
const TERMINAL_SEQUENCE_START = /[\u001b\u009b]/;

/** A terminal's control sequence (CSI: colours, cursor moves; OSC: titles, links), which shows nothing. */
const TERMINAL_SEQUENCE =
  // eslint-disable-next-line no-control-regex -- ESC and BEL are what it looks for
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/y;

/**
 * `view` without what shows nothing on a screen (the characters of {@link SHOWS_NOTHING}, a terminal's
 * control sequences), mapped back to the text: a run of the key spans what it skips.
 */
function withoutInvisible(view: TextView): TextView {
  const source = view.text;
  let out = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const char = source.charAt(i);
    SHOWS_NOTHING_AT.lastIndex = i;
    const nothing = SHOWS_NOTHING_AT.exec(source);
    if (nothing !== null) {
      i += nothing[0].length - 1; // an astral one is two units
      continue;
    }
    if (TERMINAL_SEQUENCE_START.test(char)) {
      TERMINAL_SEQUENCE.lastIndex = i;
      const sequence = TERMINAL_SEQUENCE.exec(source);
      if (sequence !== null) {
        i += sequence[0].length - 1;
        continue;
      }
    }
    out += char;
    start.push(startOf(view, i));
    end.push(endOf(view, i));
  }
  return { text: out, from: { start: Int32Array.from(start), end: Int32Array.from(end) }, quoted: false };
}

/** `view` with its JSON escapes read, left to right as JSON reads them, mapped back to the text. */
function unescapedText(view: TextView): TextView {
  const source = view.text;
  let out = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < source.length;) {
    let char = source.charAt(i);
    let width = 1;
    if (char === '\\') {
      const next = source.charAt(i + 1);
      const hex = source.slice(i + 2, i + 6);
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(hex)) {
        char = String.fromCharCode(parseInt(hex, 16));
        width = 6;
      } else if (SHORT_ESCAPES[next] !== undefined) {
        char = SHORT_ESCAPES[next];
        width = 2;
      }
    }
    out += char;
    // Ranges of the original text: through the view's own map when the view is itself a reading.
    start.push(startOf(view, i));
    end.push(endOf(view, i + width - 1));
    i += width;
  }
  return { text: out, from: { start: Int32Array.from(start), end: Int32Array.from(end) }, quoted: false };
}

/** Where in the original text character `i` of `view` begins. */
function startOf(view: TextView, i: number): number {
  return view.from === undefined ? i : (view.from.start[i] as number);
}

/** Where in the original text character `i` of `view` ends (exclusive). */
function endOf(view: TextView, i: number): number {
  return view.from === undefined ? i + 1 : (view.from.end[i] as number);
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
 * Adds to `hidden` (as ranges of the original text) every maximal run that the view shares with
 * `form` and that is {@link KEY_FRAGMENT} characters or more, or the whole key when the key is
 * shorter. When the view is the inside of a JSON string (`quoted`), a run at its start or end needs
 * one character less: JSON puts a `"` there, which is the key's next character when the key holds a
 * quote. Quadratic only in runs that actually match, so plain text costs one map lookup per character.
 */
function findRuns(view: TextView, form: KeyForm, hidden: [number, number][]): void {
  const haystack = view.text;
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
      if (view.quoted && needed === KEY_FRAGMENT && atAnEnd) needed--;
      if (n < needed) continue;
      hidden.push([startOf(view, i), endOf(view, i + n - 1)]);
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
