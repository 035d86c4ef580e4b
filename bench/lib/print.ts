/** Prints benchmark rows: one block per row as they come, and the final table. */
import type { BenchRow } from './result.js';
import { formatNumber, formatRatio } from './stats.js';

function verdict(row: BenchRow): string {
  if (row.skipped !== undefined) return 'skipped';
  if (row.goal === undefined) return 'info';
  return row.goal.pass ? 'PASS' : 'MISS';
}

export function printRows(rows: readonly BenchRow[]): void {
  for (const row of rows) {
    if (row.skipped !== undefined) {
      process.stdout.write(`  [${row.id}] ${row.name}: skipped (${row.skipped})\n`);
      continue;
    }
    const goal = row.goal === undefined ? 'no goal (informational)' : `goal ${row.goal.text}`;
    process.stdout.write(
      `  [${row.id}] ${row.name}\n` +
        `      ours ${formatNumber(row.ours)} ${row.unit} | baseline ${formatNumber(row.baseline)} ${row.unit} | ` +
        `ratio (${row.ratioOf}) ${formatRatio(row.ratio)} | ${goal} → ${verdict(row)}\n` +
        `      rounds: ours [${row.rounds.ours.map(formatNumber).join(', ')}] baseline [${row.rounds.baseline
          .map(formatNumber)
          .join(', ')}]\n`,
    );
    for (const note of row.notes) process.stdout.write(`      · ${note}\n`);
  }
}

/** The final table, in Markdown so that it can be pasted into docs/performance.md as is. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['#', 'benchmark', 'ours', 'baseline', 'ratio', 'goal', 'result'];
  const lines = rows.map((row) =>
    // A skipped row's figures are NaN, which reach the runner over IPC as null.
    row.skipped !== undefined
      ? [row.id, row.name, '—', '—', '—', '—', verdict(row)]
      : [
          row.id,
          row.name,
          `${formatNumber(row.ours)} ${row.unit}`,
          `${formatNumber(row.baseline)} ${row.unit}`,
          `${formatRatio(row.ratio)} (${row.ratioOf})`,
          row.goal?.text ?? '—',
          verdict(row),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n');
}
