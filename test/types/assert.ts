/**
 * Helpers for type tests: files under test/types are checked by tsc and never run. A line after
 * `// @ts-expect-error` must fail to compile, or tsc fails with "Unused '@ts-expect-error' directive".
 */

/** `true` when `A` and `B` are the same type (not merely assignable either way). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the usual exact-equality trick
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`: `expectTrue<Equal<typeof x, number>>()`. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the type argument is the assertion
export function expectTrue<T extends true>(): T | undefined {
  return undefined;
}
