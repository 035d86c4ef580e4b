import * as t from 'io-ts';

/**
 * `codec` with a hand-written `is`. io-ts's own `is` walks a type's props through a chain of
 * codecs (~150 ns for an event frame); a plain check takes a few. `decode`, which explains a
 * failure, stays io-ts's. The guard must accept exactly the values `decode` returns unchanged.
 */
export function withGuard<C extends t.Mixed>(codec: C, is: (u: unknown) => u is t.TypeOf<C>): C {
  // A copy of the codec itself (same class, same `_tag`, same members), so error paths and
  // reporters see the very same type; only `is` differs.
  const guarded = Object.create(Object.getPrototypeOf(codec) as object) as C;
  Object.assign(guarded, codec, { is });
  return guarded;
}

/** A plain object (not null, not an array) whose fields can be read. */
export function isRecord(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

/** A count of guilds or members: a non-negative safe integer. */
export function isCount(u: unknown): u is number {
  return typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;
}

/** Absent, or a string (an optional `m`, say). */
export function isOptionalString(u: unknown): u is string | undefined {
  return u === undefined || typeof u === 'string';
}
