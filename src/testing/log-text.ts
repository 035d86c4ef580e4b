import { createKeyRedactor, type KeyRedactor } from '../errors/redact.js';
import { cutEnd, printable } from '../errors/one-line.js';

/** The most characters of one piece of client-chosen text (an event name, a close reason) a log line shows. */
export const LOG_TEXT_LIMIT = 200;

/**
 * A redactor for the gateway's log that knows every accepted key, with room for the keys clients
 * identify with on top (a connection sees at most two: a second identify is refused).
 */
export function createLogRedactor(keys: ReadonlySet<string>, clientKeys = 0): KeyRedactor {
  const redactor = createKeyRedactor(keys.size + clientKeys);
  for (const key of keys) redactor.remember(key);
  return redactor;
}

/**
 * How much of a long client text is searched for keys: searching costs time in proportion (about
 * half a second for an event name of 1 MiB of U+2028, which a client may send in every frame).
 */
const REDACT_WINDOW = 10_000;

/**
 * How many characters at the end of a searched window may hold part of a key the search missed
 * because the window cut it: at most 7 of the key's characters (8 are found), each written with up
 * to three levels of JSON escapes (6 × 6 × 6 characters), and one escape cut in half.
 */
const WINDOW_UNSURE = 8 * 216;

/** What a key fragment becomes, `[key]`, is at most this many times longer than the fragment. */
const MASK_GROWTH = 5;

/**
 * Text a client chose, as a log line shows it: keys hidden, line breaks escaped, then cut to
 * {@link LOG_TEXT_LIMIT} characters (an event name may be 1 MiB). In that order: a cut first could
 * end inside a key (or inside the JSON escape that spells one of its characters), leaving a
 * fragment the redactor no longer recognises.
 *
 * A text longer than {@link REDACT_WINDOW} is searched in its first `REDACT_WINDOW` characters
 * only, and what the window's end turned into is dropped too, unread: the redactor may have missed a
 * key there that the cut split. What is shown comes from before it, searched as if the whole text
 * had been.
 */
export function clientText(text: string, redactor: KeyRedactor): string {
  const whole = text.length <= REDACT_WINDOW;
  let hidden: string;
  if (whole) hidden = redactor.redact(text);
  else {
    const window = redactor.redact(text.slice(0, REDACT_WINDOW));
    // The window's last WINDOW_UNSURE characters became at most MASK_GROWTH times as many.
    hidden = window.slice(0, Math.max(0, window.length - MASK_GROWTH * WINDOW_UNSURE));
  }
  const shown = printable(hidden);
  if (whole && shown.length <= LOG_TEXT_LIMIT) return shown;
  // Neither half of an escape `printable` wrote, nor of a mask, nor of a surrogate pair.
  return `${shown.slice(0, cutEnd(shown, LOG_TEXT_LIMIT))}… (${text.length} characters)`;
}
