/**
 * Every character that some program breaks a line at: `\n \r \v \f`, NEL (U+0085) and the Unicode
 * line and paragraph separators (U+2028, U+2029), which editors, log viewers and JavaScript source
 * treat as line ends even though JSON and most regular expressions (`\s` leaves NEL out) do not.
 */
const LINE_BREAKS = /[ \t]*[\n\r\v\f\u0085\u2028\u2029]+[ \t]*/g;

/**
 * `text` as one line: each run of line breaks (with the blanks around it) becomes one space. Every
 * message the client writes goes through this, so a gateway's `m`, a close reason or a decode error
 * can never start a second line in a log and pass for an entry of its own.
 */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ');
}
