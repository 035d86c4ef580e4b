/**
 * What every benchmark process shares: its arguments, progress output, and how it hands its rows
 * to the runner (over IPC when the runner started it, printed when run on its own).
 */
import type { BenchRow, Goal } from './result.js';
import { median, pairedRatio } from './stats.js';
import { printRows } from './print.js';

/** `--quick`: the CI-sized run. */
export const quick = process.argv.includes('--quick');

/** Progress for the person watching; the runner passes it through. */
export function log(line: string): void {
  process.stdout.write(`    ${line}\n`);
}

export interface RowSpec {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly ours: readonly number[];
  readonly baseline: readonly number[];
  /** Which way the ratio divides: chosen so that a larger ratio is better for ours when it is a rate. */
  readonly ratioOf: 'ours/baseline' | 'baseline/ours';
  /** Given the ratio and the median of ours, the goal and whether it is met; none for a figure without one. */
  readonly goal?: (ratio: number, ours: number) => Goal;
  readonly notes?: readonly string[];
}

export function makeRow(spec: RowSpec): BenchRow {
  const ours = median(spec.ours);
  const baseline = median(spec.baseline);
  const ratio =
    spec.ratioOf === 'ours/baseline'
      ? pairedRatio(spec.ours, spec.baseline)
      : pairedRatio(spec.baseline, spec.ours);
  return {
    id: spec.id,
    name: spec.name,
    unit: spec.unit,
    ours,
    baseline,
    ratio,
    ratioOf: spec.ratioOf,
    goal: spec.goal?.(ratio, ours),
    rounds: { ours: spec.ours, baseline: spec.baseline },
    notes: spec.notes ?? [],
  };
}

/** Hands the rows to the runner, or prints them when this process was started by hand. */
export function finish(rows: readonly BenchRow[]): void {
  if (process.send !== undefined) {
    process.send({ type: 'rows', rows }, () => {
      process.exit(0);
    });
    return;
  }
  printRows(rows);
  process.exit(0);
}

/** Runs a benchmark's main function; any failure ends the process with a message and code 1. */
export function main(run: () => Promise<readonly BenchRow[]>): void {
  run().then(finish, (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
