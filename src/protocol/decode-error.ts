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
  /**
   * What a user's event codec threw, when that is why: passed on as it is, never put into
   * `message` (its text is the user's, and may hold anything).
   */
  readonly cause?: unknown;
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
  const got = isSecret(path, value) ? `${kindOf(value)} (value hidden)` : describe(value);
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
    // A record codec puts the sender's keys into the path; those may hold anything.
    if (key !== undefined && key !== '') keys.push(nameOfKey(key));
  }
  const leaf = context[context.length - 1];
  const expected = first.message ?? leaf?.type.name ?? 'a valid value';
  return decodeError(what, keys.join('.'), expected, first.value, frame);
}

/**
 * A value at or under a secret-looking field is never printed, whatever its type (a number where
 * the key should be may still be the key). Nor is text that did not parse as a frame but names
 * such a field: a cut-off identify frame holds the key in its first 40 characters.
 */
function isSecret(path: string, value: unknown): boolean {
  if (value === undefined) return false; // a missing key: "got nothing" hides nothing
  // Any segment: an element of a `keys` array is as secret as `keys` itself.
  if (SECRET_FIELD.test(path)) return true;
  return path === '' && typeof value === 'string' && SECRET_FIELD.test(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A short description: primitives by value, objects by their keys. A string is quoted only when
 * it is short (see {@link quote}); a longer one is described by its length alone.
 */
function describe(value: unknown): string {
  try {
    return described(value);
  } catch {
    // A Proxy whose traps throw (or a revoked one): what it throws is the sender's, not ours to print.
    return 'an object that cannot be read';
  }
}

function described(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quote(value) ?? `a string of ${value.length} characters`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    // Keys are the sender's text as much as values are: a newline in a key must not break the line.
    const shown = keys.slice(0, 5).map(nameOfKey).join(', ');
    return keys.length === 0 ? 'an empty object' : `an object with ${shown}${keys.length > 5 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}

/** A key of the sender's, as a path segment or in a list: as is when it is a plain name, else quoted. */
function nameOfKey(key: string): string {
  if (/^[\w$-]{1,40}$/.test(key)) return key;
  return quote(key) ?? `a key of ${key.length} characters`;
}

/** Quoted values longer than this are described instead (`a string of 64 characters`). */
const LONGEST_QUOTE = 40;

/**
 * `text` quoted as JSON, or `undefined` when the quote would be longer than {@link LONGEST_QUOTE}
 * characters. Never cut: the sender's text may hold a key, and a cut before the client's key
 * redactor runs is what let 39 of 64 characters of one through (the redactor then saw only a
 * fragment); whole, short quotes leave it every character to match. JSON.stringify escapes every
 * control character but leaves U+0085, U+2028 and U+2029, which editors and log viewers break lines
 * at; a message must stay one line.
 */
function quote(text: string): string | undefined {
  if (text.length > LONGEST_QUOTE) return undefined;
  const quoted = JSON.stringify(text).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return quoted.length <= LONGEST_QUOTE + 2 ? quoted : undefined;
}
