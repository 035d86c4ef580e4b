import fc from 'fast-check';
import { lifecycleCommands, sessionCommands } from './commands.js';
import { addStats, emptyStats } from './run-stats.js';
import { runSessionModel } from './session-model.js';

/**
 * Model-based tests of the client over real sockets against the local gateway: random sequences of
 * client calls and gateway faults, with the invariants of docs/reliability.md checked after every
 * step and at the end (see session-model.ts). Each run takes about half a second; fast-check prints the
 * seed and the shrunk sequence of a failure. Reproduce one with PROPERTY_SEED=<seed>
 * (and PROPERTY_PATH=<path>), or run more with PROPERTY_RUNS=<n>.
 */

const runs = (fallback: number): number => Number(process.env.PROPERTY_RUNS ?? fallback);
/** A run takes about half a second, a failing one (shrinking) several: room for both. */
const timeout = (fallback: number): number => Math.max(120_000, runs(fallback) * 2_000);
const replay = (): fc.Parameters<unknown> =>
  process.env.PROPERTY_SEED === undefined
    ? {}
    : {
        seed: Number(process.env.PROPERTY_SEED),
        ...(process.env.PROPERTY_PATH === undefined ? {} : { path: process.env.PROPERTY_PATH }),
      };

describe('the session under random faults (real sockets, fast-check)', () => {
  test(
    'faults, calls and pauses in any order keep every invariant',
    async () => {
      const total = emptyStats();
      await fc.assert(
        fc.asyncProperty(sessionCommands(20), async (commands) => {
          addStats(total, await runSessionModel(commands));
        }),
        { numRuns: runs(30), ...replay() },
      );
      if (process.env.PROPERTY_VERBOSE !== undefined) console.info(JSON.stringify(total));
      // The runs must have met what they are about, or they prove nothing.
      expect(total.reconnects).toBeGreaterThan(0);
      expect(total.predicted).toBeGreaterThan(0);
      expect(total.sends).toBeGreaterThan(0);
    },
    timeout(30),
  );

  test(
    'start, stop and send in any order against a gateway that behaves',
    async () => {
      const total = emptyStats();
      await fc.assert(
        fc.asyncProperty(lifecycleCommands(16), async (commands) => {
          addStats(total, await runSessionModel(commands));
        }),
        { numRuns: runs(30), ...replay() },
      );
      if (process.env.PROPERTY_VERBOSE !== undefined) console.info(JSON.stringify(total));
      expect(total.sends).toBeGreaterThan(0);
    },
    timeout(30),
  );
});
