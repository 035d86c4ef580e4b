import { errorCodeEntry, type ErrorFrame } from '../protocol/index.js';
import { oneLine } from '../session/one-line.js';
import type { DisconnectReason as ChartReason } from '../../machines/reason.js';
import type { DisconnectReason } from '../session/reason.js';

/**
 * What an op -1 frame means for the session, from the error-code table. An error frame without
 * `e` is the gateway's "Unknown Error" (1000): something went wrong, reconnect.
 */
export function reasonFromErrorFrame(frame: ErrorFrame): DisconnectReason {
  const code = frame.e ?? 1000;
  const entry = errorCodeEntry(code);
  return {
    code,
    message: frame.m ?? entry?.meaning ?? 'the gateway sent an error',
    fatal: entry?.action === 'fail',
    ...(entry?.freshIdentifyHelps === true ? { freshIdentifyHelps: true } : {}),
    ...(frame.m === undefined ? {} : { gatewayMessage: frame.m }),
    ...(frame.d?.errors === undefined ? {} : { errors: frame.d.errors }),
  };
}

/**
 * What a WebSocket close means. A gateway code (4000–4007) is classified like the same code in an
 * op -1 frame; 1000 as a close code is WebSocket's normal closure, so it is a plain close (which
 * reconnects, as the table's 1000 would), like every other code.
 */
export function reasonFromClose(code: number, text: string): DisconnectReason {
  const entry = code === 1000 ? undefined : errorCodeEntry(code);
  if (entry === undefined) {
    const why = text === '' ? '' : `: ${text}`;
    return {
      code: 'SOCKET_CLOSED',
      message: `the connection closed with code ${code}${why}`,
      fatal: false,
      closeCode: code,
    };
  }
  return {
    code: entry.code,
    message: text === '' ? entry.meaning : text,
    fatal: entry.action === 'fail',
    closeCode: code,
    ...(entry.freshIdentifyHelps ? { freshIdentifyHelps: true } : {}),
  };
}

/**
 * `reason` with every text field made one line and then passed through `redact` (which hides
 * keys): folded first, so that a key broken by a line break is still found whole.
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
