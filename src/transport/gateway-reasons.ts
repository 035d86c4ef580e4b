import { errorVerdict, type ErrorFrame } from '../protocol/index.js';
import { cutEnd, oneLine } from '../errors/one-line.js';
import type { DisconnectReason as ChartReason } from '../../machines/reason.js';
import type { DisconnectReason } from '../errors/reason.js';

/**
 * The reason an op -1 frame gives, classified by `errorVerdict`. An error frame without `e` is the
 * gateway's "Unknown Error" (1000): something went wrong, reconnect.
 */
export function reasonFromErrorFrame(frame: ErrorFrame): DisconnectReason {
  const code = frame.e ?? 1000;
  const verdict = errorVerdict(code, 'error-frame');
  const m = frame.m === undefined ? undefined : shortened(frame.m);
  return {
    code,
    message: m ?? verdict.entry?.meaning ?? 'the gateway sent an error',
    fatal: verdict.fatal,
    ...(verdict.freshIdentifyHelps ? { freshIdentifyHelps: true } : {}),
    ...(m === undefined ? {} : { gatewayMessage: m }),
    ...(frame.d?.errors === undefined
      ? {}
      : { errors: frame.d.errors.slice(0, GATEWAY_ERRORS_MAX).map(shortened) }),
  };
}

/**
 * The longest text of the gateway's kept in a reason, characters. Every reason is folded and
 * redacted in several places and kept in the chart's context: a megabyte `m` cost seconds of
 * blocked event loop. Cut before any of that; what is shown is redacted as a whole after.
 */
const GATEWAY_TEXT_MAX = 1000;

/** The most `d.errors` entries kept in a reason. */
const GATEWAY_ERRORS_MAX = 20;

function shortened(text: string): string {
  if (text.length <= GATEWAY_TEXT_MAX) return text;
  return `${text.slice(0, cutEnd(text, GATEWAY_TEXT_MAX))}… (${text.length} characters)`;
}

/**
 * The reason a WebSocket close gives, classified by `errorVerdict`: a gateway code (4000–4007) as
 * the same code in an op -1 frame, any other code (1000 included) as a plain close.
 */
export function reasonFromClose(code: number, text: string): DisconnectReason {
  const verdict = errorVerdict(code, 'close');
  if (verdict.entry === undefined) {
    const why = text === '' ? '' : `: ${text}`;
    return {
      code: 'SOCKET_CLOSED',
      message: `the connection closed with code ${code}${why}`,
      fatal: false,
      closeCode: code,
    };
  }
  return {
    code,
    message: text === '' ? verdict.entry.meaning : text,
    fatal: verdict.fatal,
    closeCode: code,
    ...(verdict.freshIdentifyHelps ? { freshIdentifyHelps: true } : {}),
  };
}

/**
 * `reason` with every text field made one line and then passed through `redact` (which hides
 * keys): folded first, so that the redactor sees the text as it will be printed (folding after it
 * could join two harmless halves into a run of the key).
 */
export function redactReason<R extends ChartReason>(reason: R, redact: (text: string) => string): R {
  const clean = (text: string): string => redact(oneLine(text));
  return {
    ...reason,
    message: clean(reason.message),
    ...(reason.gatewayMessage === undefined ? {} : { gatewayMessage: clean(reason.gatewayMessage) }),
    ...(reason.errors === undefined ? {} : { errors: reason.errors.map(clean) }),
  };
}
