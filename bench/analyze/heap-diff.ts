/**
 * Where the heap of a client goes: reads two V8 heap snapshots (e.g. the ones bench/cases/heap.ts
 * writes with `--heap-snapshot=DIR`: N clients of ours ready, N baseline clients ready), sums the
 * self size of every node by kind and constructor or function name, and prints the groups that
 * differ most, per client.
 *
 *   node --import tsx bench/analyze/heap-diff.ts OURS.heapsnapshot BASELINE.heapsnapshot N [TOP]
 */
import { readFileSync } from 'node:fs';
import { formatNumber } from '../lib/stats.js';

interface Snapshot {
  readonly snapshot: {
    readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] };
  };
  readonly nodes: number[];
  readonly strings: string[];
}

/** Self size and count by `kind name`. */
export function groupSnapshot(file: string): Map<string, { size: number; count: number }> {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt] as number] ?? '?';
    let name = data.strings[data.nodes[i + nameAt] as number] ?? '?';
    // Strings are grouped by kind, not by content; so are numbers and code.
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '';
    if (type === 'code' || type === 'number' || type === 'bigint') name = '';
    if (name.length > 60) name = `${name.slice(0, 57)}...`;
    const key = `${type} ${name}`.trim();
    const group = groups.get(key) ?? { size: 0, count: 0 };
    group.size += data.nodes[i + sizeAt] as number;
    group.count++;
    groups.set(key, group);
  }
  return groups;
}

function run(): void {
  const [oursFile, baseFile, n = '1', top = '30'] = process.argv.slice(2);
  if (oursFile === undefined || baseFile === undefined) {
    process.stderr.write('usage: heap-diff.ts OURS.heapsnapshot BASELINE.heapsnapshot N [TOP]\n');
    process.exit(2);
  }
  const count = Number(n);
  const ours = groupSnapshot(oursFile);
  const base = groupSnapshot(baseFile);
  const keys = new Set([...ours.keys(), ...base.keys()]);
  const rows = [...keys].map((key) => {
    const o = ours.get(key) ?? { size: 0, count: 0 };
    const b = base.get(key) ?? { size: 0, count: 0 };
    return { key, bytes: (o.size - b.size) / count, objects: (o.count - b.count) / count };
  });
  rows.sort((a, b) => b.bytes - a.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  process.stdout.write(
    `self size difference per client (ours − baseline), ${count} clients: ${formatNumber(total)} B\n`,
  );
  process.stdout.write('   B/client  objects/client  kind and name\n');
  for (const row of rows.slice(0, Number(top))) {
    process.stdout.write(
      `${formatNumber(row.bytes).padStart(11)}  ${formatNumber(row.objects).padStart(14)}  ${row.key}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) run();
