/**
 * Every character that some program breaks a line at: `\n \r \v \f`, NEL (U+0085) and the Unicode
 * line and paragraph separators (U+2028, U+2029), which editors, log viewers and JavaScript source
 * treat as line ends even though JSON and most regular expressions (`\s` leaves NEL out) do not.
 */
const LINE_BREAKS = /[ \t]*[\n\r\v\f\u0085\u2028\u2029]+[ \t]*/g;

/**
 * Every character a terminal or a text renderer acts on instead of showing: the C0 controls but
 * tab (ESC starts the sequences that move the cursor, clear the screen, write the clipboard or make
 * links; BEL rings; backspace and CR overwrite), DEL, the C1 controls (U+009B is an 8-bit ESC [),
 * the line and paragraph separators, and the bidi controls (marks, embeddings, overrides and
 * isolates: U+202E shows `exe.txt` for `txt.exe`). Left alone: the joiners, variation selectors and
 * tags that emoji and scripts such as Persian need (U+200D in 👨‍👩‍👧, U+FE0F in ❤️, U+200C); a key hidden
 * between them is the redactor's to find (it reads text without what shows nothing).
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * What Unicode draws as nothing: its format characters and default-ignorable code points (zero-width
 * spaces and joiners, bidi controls, variation selectors, tags, fillers, the BOM). A key spelled with
 * them between its characters shows whole: the redactor reads text without them.
 */
export const SHOWS_NOTHING = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;

/**
 * `text` with every character of {@link UNPRINTABLE} written as its `\uXXXX` escape, so it shows as
 * what it is. Inside a JSON string the escape is valid JSON, so a JSON line stays valid.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `text` as one printable line: each run of line breaks (with the blanks around it) becomes one
 * space, then what a terminal would act on is escaped ({@link printable}). Every message the client
 * writes goes through this, so a gateway's `m`, a close reason or a decode error can never start a
 * second line in a log and pass for an entry of its own, nor drive the terminal that shows it.
 */
export function oneLine(text: string): string {
  return printable(text.replace(LINE_BREAKS, ' '));
}

/**
 * `text` cleaned by `clean` (folded, escaped, redacted), then cut to `max` characters with its
 * length said. Only the first `4 × max` characters are cleaned, so a megabyte of gateway text costs
 * no megabyte scan: a key fragment cut there lies far past what is kept (a mask shortens a run of 8
 * to 5 characters, so `max` shown characters come from at most `1.6 × max` of the text), and any run
 * of 8 in what is kept is still found whole.
 */
export function cutLine(text: string, max: number, clean: (text: string) => string): string {
  const cleaned = clean(text.slice(0, max * 4));
  if (cleaned.length <= max && text.length <= max * 4) return cleaned;
  return `${cleaned.slice(0, cutEnd(cleaned, max))}… (${text.length} characters)`;
}

/**
 * Where to cut `text` to at most `max` characters without splitting what was written as one: a
 * `\uXXXX` escape, a `[key]` mask, or a surrogate pair.
 */
export function cutEnd(text: string, max: number): number {
  let end = Math.min(max, text.length);
  const head = text.slice(Math.max(0, end - 5), end);
  end -=
    /\\(?:u[0-9a-fA-F]{0,3})?$/.exec(head)?.[0].length ?? /\[(?:k(?:e(?:y)?)?)?$/.exec(head)?.[0].length ?? 0;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return end;
}
