/**
 * The gateway's error codes (op -1 `e`, and possibly the WebSocket close code), with what a client
 * does about each. This table is the logic: the machine looks a code up here and nowhere else.
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
