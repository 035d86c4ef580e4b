import * as t from 'io-ts';

/**
 * A user's codec that throws on input it did not expect, as a `validate` built on
 * `new Date(…).toISOString()` does (a RangeError on anything not a date): for the tests that a
 * throwing codec is contained.
 */
export const Stamp = new t.Type<{ at: string }, unknown>(
  'Stamp',
  (u): u is { at: string } =>
    typeof u === 'object' && u !== null && typeof (u as { at?: unknown }).at === 'string',
  (u) => t.success({ at: new Date((u as { at: string }).at).toISOString() }),
  (a) => a,
);
