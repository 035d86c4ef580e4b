/**
 * Benchmark 9's report: the side-by-side table and the ratios of ours to each peer, printed as
 * Markdown (to paste into docs/performance.md), and the rows the runner collects: one per figure and
 * peer, ours against that peer, so `--json` keeps every round.
 */
import { makeRow } from '../lib/case.js';
import type { BenchRow } from '../lib/result.js';
import { formatNumber, formatRatio, median } from '../lib/stats.js';
import type { BundleFigure } from './measure/bundle.js';
import type { HeapFigure } from './measure/heap.js';
import type { InboundFigures } from './measure/inbound.js';
import type { Peer } from './peer.js';

export interface Figures {
  readonly clients: number;
  readonly heap: ReadonlyMap<string, readonly HeapFigure[]>;
  readonly connect: ReadonlyMap<string, readonly number[]>;
  /** By peer name; a page that failed to bundle is absent. Holds `centrifuge` too (a reference). */
  readonly bundle: ReadonlyMap<string, BundleFigure>;
  readonly inbound: ReadonlyMap<string, InboundFigures>;
}

/** A figure that does not apply (@discordjs/ws in a browser, events/s of a bare socket). */
const NA = 'n/a';

function markdown(header: readonly string[], lines: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)];
}

const slug = (name: string): string =>
  name
    .replace(/^@/, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();

/** Per-round figures of each metric, by peer name: what the rows pair and the table shows medians of. */
function series(figures: Figures) {
  const of = <T>(map: ReadonlyMap<string, T>, read: (value: T) => number[]) =>
    new Map([...map].map(([name, value]) => [name, read(value)]));
  return {
    heap: of(figures.heap, (rounds) => rounds.map((r) => r.heap)),
    // One figure: the median over all connects (sample i of two peers were not made together).
    connect: of(figures.connect, (times) => [median(times)]),
    bundle: of(figures.bundle, (b) => [b.gzipped]),
    inbound: of(figures.inbound, (f) => f.rates),
  };
}

const metrics = {
  heap: { title: 'heap per client (KB)', unit: 'B/client', name: 'heap per ready idle client' },
  connect: { title: 'connect → ready (ms, median)', unit: 'ms', name: 'connect → ready, median' },
  bundle: { title: 'browser bundle min+gz (KB)', unit: 'B min+gz', name: 'browser bundle at start, min+gz' },
  inbound: { title: 'inbound events/s', unit: 'events/s', name: 'inbound events/s' },
} as const;
type Metric = keyof typeof metrics;

function show(metric: Metric, values: readonly number[] | undefined): string {
  if (values === undefined || values.length === 0) return NA;
  const m = median(values);
  if (metric === 'connect') return m.toFixed(2);
  if (metric === 'inbound') return `${Math.round(m / 1000).toLocaleString('en-US')}k`;
  return (m / 1000).toFixed(1);
}

/** What a row's reader needs beside the figure: the side measurements, ours and the peer's. */
function notes(figures: Figures, metric: Metric, name: string): string[] {
  const pair = (read: (peer: string) => number[] | undefined, unit: string): string =>
    `ours ${formatNumber(median(read('ours') ?? []))} ${unit}, ${name} ${formatNumber(median(read(name) ?? []))} ${unit}`;
  if (metric === 'heap') {
    const heap = (key: 'external' | 'left') => (peer: string) => figures.heap.get(peer)?.map((r) => r[key]);
    return [
      `${figures.clients} clients per round; external memory per client (Buffers): ${pair(heap('external'), 'B')}`,
      `heap per client left after teardown (leak check, ~0 expected): ${pair(heap('left'), 'B')}`,
    ];
  }
  if (metric === 'inbound') {
    const inbound = (key: 'clientCpu' | 'serverBusy') => (peer: string) => figures.inbound.get(peer)?.[key];
    return [
      `CPU of the client's process over wall time during the floods: ${pair(inbound('clientCpu'), '%')}`,
      `server busy during the floods (% of a core): ${pair(inbound('serverBusy'), '%')}`,
    ];
  }
  if (metric === 'bundle') {
    const all = (peer: string) => {
      const b = figures.bundle.get(peer);
      return b === undefined ? undefined : [b.all];
    };
    return [`what the page loads at start; with the chunks loaded by import() only: ${pair(all, 'B')}`];
  }
  return [];
}

/** Prints the tables through `log` and returns the rows. */
export function report(peers: readonly Peer[], figures: Figures, log: (line: string) => void): BenchRow[] {
  const s = series(figures);
  const ours = peers.find((p) => p.name === 'ours');
  const others = [...peers.filter((p) => p !== ours).map((p) => p.name), 'centrifuge'];
  const rows: BenchRow[] = [];
  for (const metric of Object.keys(metrics) as Metric[]) {
    const oursValues = s[metric].get('ours');
    for (const name of others) {
      const theirs = s[metric].get(name);
      if (oursValues === undefined || theirs === undefined) continue;
      rows.push(
        makeRow({
          id: `9.${metric}.${slug(name)}`,
          name: `${metrics[metric].name}: ours vs ${name}`,
          unit: metrics[metric].unit,
          ours: oursValues,
          baseline: theirs,
          ratioOf: 'ours/baseline',
          notes: notes(figures, metric, name),
        }),
      );
    }
  }

  const names = peers.map((p) => p.name);
  log(`side by side, per ready idle client (${figures.clients} clients per peer for the heap):`);
  for (const line of markdown(
    ['per ready idle client', ...names],
    (Object.keys(metrics) as Metric[]).map((metric) => [
      metrics[metric].title,
      ...names.map((name) => show(metric, s[metric].get(name))),
    ]),
  ))
    log(line);
  const centrifuge = figures.bundle.get('centrifuge');
  log(
    `centrifuge's bundle, for reference: ${centrifuge === undefined ? NA : `${(centrifuge.gzipped / 1000).toFixed(1)} KB`} min+gz`,
  );
  // Ours loads its zlib reader (pako) by import() only when asked for compression: say what it adds.
  for (const [name, b] of figures.bundle)
    if (b.all !== b.gzipped)
      log(`${name}, with the chunks it loads by import() only: ${(b.all / 1000).toFixed(1)} KB min+gz`);
  log('');
  log('ours ÷ peer (ratio of the medians; heap and events/s: median of the per-round ratios):');
  const ratio = (metric: Metric, name: string): string => {
    const row = rows.find((r) => r.id === `9.${metric}.${slug(name)}`);
    return row === undefined ? NA : formatRatio(row.ratio);
  };
  for (const line of markdown(
    ['ours ÷ peer', ...others],
    (Object.keys(metrics) as Metric[]).map((metric) => [
      metrics[metric].title.replace(/ \(.*\)$/, ''),
      ...others.map((name) => ratio(metric, name)),
    ]),
  ))
    log(line);
  return rows;
}
