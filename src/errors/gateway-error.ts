import { errorCodeEntry } from '../protocol/index.js';
import { clientConditionTable, type ClientConditionCode } from './conditions.js';
import { oneLine } from './one-line.js';
import type { DisconnectReason as ChartReason } from '../../machines/reason.js';
import type { DisconnectReason } from './reason.js';

/**
 * An error of the gateway or of the client, as a value with a code and a one-line message.
 * Gateway codes are numbers (4001, …, see the error-code table); the client's own conditions are
 * strings (`'QUEUE_FULL'`, …, see `clientConditionTable`).
 */
export class GatewayError extends Error {
  /** The gateway's error code, or the client's condition code. */
  readonly code: number | ClientConditionCode;
  /** The code's name from the table, e.g. `Wrong Auth Key` or `Queue Full`. */
  override readonly name: string;
  /** Retrying cannot help: the session failed, or would fail, on it. */
  readonly fatal: boolean;
  /** The gateway's `m`, when it sent one. */
  readonly gatewayMessage: string | undefined;
  /** The gateway's `d.errors`, when it sent them. */
  readonly errors: readonly string[] | undefined;
  /** The WebSocket close code, when the error came with a close. */
  readonly closeCode: number | undefined;
  /** The plugin a `PLUGIN_FAILED` error came from. */
  readonly plugin: string | undefined;

  constructor(
    code: number | ClientConditionCode,
    detail: string,
    extra: {
      fatal?: boolean;
      gatewayMessage?: string;
      errors?: readonly string[];
      closeCode?: number;
      plugin?: string;
      cause?: unknown;
    } = {},
  ) {
    const name = nameOf(code);
    super(
      oneLine(`${code} ${name}: ${detail}`),
      extra.cause === undefined ? undefined : { cause: extra.cause },
    );
    this.code = code;
    this.name = name;
    this.fatal = extra.fatal ?? false;
    // The gateway's own texts are folded too: whoever prints them expects one line each.
    this.gatewayMessage = extra.gatewayMessage === undefined ? undefined : oneLine(extra.gatewayMessage);
    this.errors = extra.errors?.map(oneLine);
    this.closeCode = extra.closeCode;
    this.plugin = extra.plugin;
  }

  /**
   * The error a {@link DisconnectReason} (the machine's plain-data form) stands for; `cause` is what
   * a user's code threw, when that is why.
   */
  static fromReason(reason: DisconnectReason | ChartReason, cause?: unknown): GatewayError {
    // The chart stores codes as strings; every one it holds came from the socket actor or from
    // the chart itself, and both are the client's conditions (see ChartCodesInTable).
    return new GatewayError(reason.code as DisconnectReason['code'], reason.message, {
      fatal: reason.fatal,
      ...(cause === undefined ? {} : { cause }),
      ...(reason.gatewayMessage === undefined ? {} : { gatewayMessage: reason.gatewayMessage }),
      ...(reason.errors === undefined ? {} : { errors: reason.errors }),
      ...(reason.closeCode === undefined ? {} : { closeCode: reason.closeCode }),
    });
  }

  /** Plain data for logs and JSON, without the stack. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      name: this.name,
      message: this.message,
      fatal: this.fatal,
      gatewayMessage: this.gatewayMessage,
      errors: this.errors,
      closeCode: this.closeCode,
      plugin: this.plugin,
    };
  }
}

/** The table name of a gateway code or client condition code. */
export function nameOf(code: number | ClientConditionCode): string {
  if (typeof code === 'number') return errorCodeEntry(code)?.name ?? `Unknown Code`;
  return clientConditionTable[code].name;
}
