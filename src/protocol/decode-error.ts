import type * as t from 'io-ts';

/**
 * Why a frame did not decode or encode, in one line a person can act on.
 * `path` is dotted from the frame's root (`d.guilds`), or empty for the frame itself.
 */
export interface DecodeError {
  /** One line: what was wrong, where, what was expected and what came. */
  readonly message: string;
  /** Where in the frame, e.g. `d.guilds`; `''` for the whole frame. */
  readonly path: string;
  /** What the codec wanted there. */
  readonly expected: string;
  /** A short, safe description of what was there (never a secret's value). */
  readonly got: string;
  /** The frame's opcode, when the frame got far enough to have one. */
  readonly op?: number;
  /** The frame's event name, for op 0 and op 1 frames that had one. */
  readonly t?: string;
}

/** Fields whose value is never printed: a decode error may end up in a log. */
const SECRET_FIELD = /key|token|secret|password|authorization/i;

/** Builds a {@link DecodeError} and its one-line message. */
export function decodeError(
  what: string,
  path: string,
  expected: string,
  value: unknown,
  frame: { op?: number; t?: string } = {},
): DecodeError {
  const got = SECRET_FIELD.test(lastSegment(path)) ? `a ${kindOf(value)} (value hidden)` : describe(value);
  const where = path === '' ? '' : ` at ${path}`;
  return { message: `${what}${where}: expected ${expected}, got ${got}`, path, expected, got, ...frame };
}

/**
 * Turns io-ts's error list into one {@link DecodeError}: the first failure, with its path from the
 * frame's root. io-ts's default reporter prints every branch of every union; nobody can read that.
 */
export function fromIoTsErrors(
  what: string,
  prefix: string,
  errors: t.Errors,
  frame: { op?: number; t?: string } = {},
): DecodeError {
  const first = errors[0];
  if (first === undefined) return decodeError(what, prefix, 'a valid value', undefined, frame);
  const keys: string[] = prefix === '' ? [] : [prefix];
  const context = first.context;
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]?.type as { _tag?: string } | undefined;
    // Members of intersections and unions are numbered by io-ts; those numbers are not paths.
    if (parent?._tag === 'IntersectionType' || parent?._tag === 'UnionType') continue;
    const key = context[i]?.key;
    if (key !== undefined && key !== '') keys.push(key);
  }
  const leaf = context[context.length - 1];
  const expected = first.message ?? leaf?.type.name ?? 'a valid value';
  return decodeError(what, keys.join('.'), expected, first.value, frame);
}

function lastSegment(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? path : path.slice(dot + 1);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short description: primitives by value (cut to 40 characters), objects by their keys. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > 42 ? `${quoted.slice(0, 40)}…" (${value.length} characters)` : quoted;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).join(', ');
    return keys.length === 0 ? 'an empty object' : `an object with ${shown}${keys.length > 5 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}
