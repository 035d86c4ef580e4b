import type { Either, Left } from 'fp-ts/lib/Either.js';

/*
 * fp-ts's Either constructors, as values of fp-ts's own Either type. Imported from `fp-ts/lib`
 * (CommonJS), the three functions pulled all of fp-ts into a browser bundle (+6 KB min+gzip:
 * bundlers cannot tree-shake CommonJS); io-ts itself uses the tree-shakable `fp-ts/es6`. The
 * values are the same plain objects fp-ts makes, so every fp-ts function accepts them.
 */

/** A failure: fp-ts's `left`. */
export const left = <E, A = never>(e: E): Either<E, A> => ({ _tag: 'Left', left: e });

/** A success: fp-ts's `right`. */
export const right = <A, E = never>(a: A): Either<E, A> => ({ _tag: 'Right', right: a });

/** Whether `result` is a failure: fp-ts's `isLeft`. */
export const isLeft = <E, A>(result: Either<E, A>): result is Left<E> => result._tag === 'Left';

export type { Either };
