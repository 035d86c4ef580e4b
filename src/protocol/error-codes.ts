/**
 * The gateway's error codes (op -1 `e`, and possibly the WebSocket close code), with what a client
 * does about each. This table is the logic: {@link errorVerdict} reads it, and every other part of
 * the client (the connection, the chart's `isFatal` guard) reads the verdict.
 */

/** What the client does after an error: try again, or stop because retrying cannot help. */
export type ErrorAction = 'reconnect' | 'fail';

/** One row of the error-code table. */
export interface ErrorCodeEntry {
  /** The number the gateway sends. */
  readonly code: number;
  /** The name the gateway's docs give it. */
  readonly name: string;
  /** What it means, in the docs' words. */
  readonly meaning: string;
  /** Reconnect or fail. */
  readonly action: ErrorAction;
  /** The client caused it (a bug on our side or the user's): report it as well as reconnecting. */
  readonly report: boolean;
  /**
   * Only 4001: when the key comes from a provider that can fetch a fresh one, one more identify
   * with a freshly provided key is worth it; a fixed key fails at once.
   */
  readonly freshIdentifyHelps: boolean;
}

/** Every error code of version 1, in the docs' order. */
export const errorCodeTable: readonly ErrorCodeEntry[] = [
  row(1000, 'Unknown Error', 'Something went wrong.', 'reconnect'),
  row(4000, 'Wrong Version', 'The gateway version `v` is bad or outdated.', 'fail'),
  { ...row(4001, 'Wrong Auth Key', 'The auth key is wrong or expired.', 'fail'), freshIdentifyHelps: true },
  row(4002, 'Bot ID Used', 'The auto-generated bot id collided.', 'reconnect'),
  row(4003, 'No Opcode', 'A frame without op was sent.', 'reconnect', true),
  row(4004, 'Wrong Opcode', 'A receive-only opcode was sent.', 'reconnect', true),
  row(4005, 'Malformed Data', 'The data does not fit the opcode.', 'reconnect', true),
  row(4006, 'No Heartbeat', 'A heartbeat was missed.', 'reconnect'),
  row(4007, 'Wrong Identify', 'The identify payload is bad.', 'fail'),
];

function row(
  code: number,
  name: string,
  meaning: string,
  action: ErrorAction,
  report = false,
): ErrorCodeEntry {
  return { code, name, meaning, action, report, freshIdentifyHelps: false };
}

const byCode = new Map(errorCodeTable.map((entry) => [entry.code, entry]));

/** The table's row for `code`, or `undefined` for a code the table does not know. */
export function errorCodeEntry(code: number): ErrorCodeEntry | undefined {
  return byCode.get(code);
}

/** What an error code means for the session: the answer of {@link errorVerdict}. */
export interface ErrorVerdict {
  /** The table's row, or `undefined` for a code it does not know (and for 1000 as a close code). */
  readonly entry: ErrorCodeEntry | undefined;
  /** Retrying cannot help: the session fails (but see `freshIdentifyHelps`). */
  readonly fatal: boolean;
  /** A fatal code that one identify with a freshly provided key may cure (4001, with a provider). */
  readonly freshIdentifyHelps: boolean;
  /** The client caused it: report it as well as reconnecting (4003–4005). */
  readonly report: boolean;
}

/**
 * What `code` means for the session, whether it came as an op -1 frame's `e` (`'error-frame'`) or
 * as the WebSocket close code (`'close'`): the one place that decides what is fatal. The table
 * decides for the codes it knows; a code it does not know reconnects (decision 15); 1000 as a close
 * code is WebSocket's normal closure, so it is a plain close (which reconnects), not the table's
 * Unknown Error.
 */
export function errorVerdict(code: number, via: 'error-frame' | 'close'): ErrorVerdict {
  const entry = via === 'close' && code === 1000 ? undefined : byCode.get(code);
  if (entry === undefined) return { entry, fatal: false, freshIdentifyHelps: false, report: false };
  return {
    entry,
    fatal: entry.action === 'fail',
    freshIdentifyHelps: entry.freshIdentifyHelps,
    report: entry.report,
  };
}

/** The gateway's error codes by name, for code that wants a constant instead of a number. */
export const GatewayErrorCode = {
  UnknownError: 1000,
  WrongVersion: 4000,
  WrongAuthKey: 4001,
  BotIdUsed: 4002,
  NoOpcode: 4003,
  WrongOpcode: 4004,
  MalformedData: 4005,
  NoHeartbeat: 4006,
  WrongIdentify: 4007,
} as const;
