import { errorCodeEntry, Opcode, type ErrorFrame } from '../protocol/index.js';

/**
 * Why the gateway turns a connection away: an error code, one message per problem, and the values
 * the client sent for each problem, in the same order (the op -1 frame's `d.errors` and `d.data`).
 */
export interface GatewayRejection {
  /** The error code (4003, 4004, …). */
  readonly code: number;
  /** One message per problem (`d.errors`). */
  readonly errors: readonly string[];
  /** Never holds a key: where the value sent was a key, it is `null`. */
  readonly data: readonly unknown[];
}

/** A rejection with one problem. */
export function rejection(code: number, error: string, value: unknown = null): GatewayRejection {
  return { code, errors: [error], data: [value ?? null] };
}

/**
 * The op -1 frame for a rejection. `m` is the code's name from the error-code table in sentence case
 * ("Malformed data.", as in the docs' example), so the table stays the one place names live.
 */
export function errorFrame(
  code: number,
  details: Partial<Omit<GatewayRejection, 'code'>> & { message?: string } = {},
): ErrorFrame {
  const d =
    details.errors === undefined && details.data === undefined
      ? undefined
      : { errors: details.errors ?? [], data: details.data ?? [] };
  return {
    op: Opcode.Error,
    e: code,
    m: details.message ?? errorMessage(code),
    ...(d === undefined ? {} : { d }),
  };
}

/** "Malformed data." for 4005; "Error 4321." for a code the table does not know. */
export function errorMessage(code: number): string {
  const name = errorCodeEntry(code)?.name;
  if (name === undefined) return `Error ${code}.`;
  return `${name.charAt(0)}${name.slice(1).toLowerCase()}.`;
}
