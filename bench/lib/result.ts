/**
 * What a benchmark reports: one row per figure, each "ours" against its baseline, measured
 * alternately in one process. The runner prints the rows and the final table from these.
 */

/** A goal a ratio is held to. */
export interface Goal {
  /** How it reads in the table, e.g. `≥ 0.9×`. */
  readonly text: string;
  readonly pass: boolean;
}

/** One figure of a benchmark. */
export interface BenchRow {
  /** Short id, e.g. `1` or `2.ack`: `--only` matches its part before the dot. */
  readonly id: string;
  readonly name: string;
  /** Unit of `ours` and `baseline`, e.g. `events/s`, `ns/frame`, `bytes`. */
  readonly unit: string;
  /** Median over the rounds. */
  readonly ours: number;
  /** Median over the rounds. */
  readonly baseline: number;
  /** The ratio the goal is held to (median of the per-round paired ratios). */
  readonly ratio: number;
  /** What `ratio` divides, e.g. `ours/baseline`. */
  readonly ratioOf: string;
  /** `undefined` when the row is informational. */
  readonly goal: Goal | undefined;
  /** Per-round figures, in the order they were measured. */
  readonly rounds: { readonly ours: readonly number[]; readonly baseline: readonly number[] };
  /** What else the reader needs: the method, what the figure includes, side measurements. */
  readonly notes: readonly string[];
  /** Why nothing was measured (e.g. benchmark 9's peer packages could not be installed); figures are NaN. */
  readonly skipped?: string;
}

/** The message a benchmark process sends to the runner over IPC. */
export interface BenchMessage {
  readonly type: 'rows';
  readonly rows: readonly BenchRow[];
}

export function isBenchMessage(value: unknown): value is BenchMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'rows' &&
    Array.isArray((value as { rows?: unknown }).rows)
  );
}
