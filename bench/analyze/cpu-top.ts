/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
 * self time by function, inclusive time of our own functions (src/, machines/), and self time by
 * origin (our folders, each package, Node's internals, GC). Idle time is left out of every share.
 *
 *   node --import tsx bench/analyze/cpu-top.ts [--top=N] FILE.cpuprofile...
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatNumber } from '../lib/stats.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A URL of the benchmarks' build (node_modules/.cache/utilbot-gateway-bench/…) as its source's. */
function unbuilt(url: string): string {
  return url.replace(/node_modules\/\.cache\/utilbot-gateway-bench\/(.*)\.js$/, '$1.ts');
}

/** Where a function comes from: `src/protocol`, `machines`, `xstate`, `node:internal`, `(gc)`, … */
export function originOf(rawUrl: string, name: string): string {
  const url = unbuilt(rawUrl);
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) return pkg;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(src\/[^/]+|machines|bench)\//.exec(url)?.[1];
  return ours ?? url;
}

function isOurs(rawUrl: string): boolean {
  const url = unbuilt(rawUrl);
  return /\/(src|machines)\//.test(url) && !url.includes('node_modules');
}

function shortUrl(rawUrl: string): string {
  const url = unbuilt(rawUrl);
  return url.replace(/^file:\/\/.*?\/(src|machines|bench|node_modules)\//, '$1/');
}

export interface CpuSummary {
  readonly totalMs: number;
  readonly self: [string, number][];
  readonly inclusiveOurs: [string, number][];
  readonly inclusiveAll: [string, number][];
  readonly origins: [string, number][];
}

/** Sums one or more profiles (e.g. one per measured round). */
export function summarize(files: readonly string[]): CpuSummary {
  const keyOf = (node: ProfileNode): string => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName === '' ? '(anonymous)' : functionName;
    return url === '' ? name : `${name} ${shortUrl(url)}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const inclusiveAll = new Map<string, number>();
  const origins = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const byId = new Map<number, ProfileNode>();
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
      byId.set(node.id, node);
      for (const child of node.children ?? []) parent.set(child, node.id);
    }
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      if (node === undefined || node.callFrame.functionName === '(idle)') return;
      // The in-process profiler's own work (Profiler.stop builds the profile on this thread).
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        if (byId.get(at)?.callFrame.url.startsWith('node:inspector') === true) return;
      }
      total += dt;
      const key = keyOf(node);
      self.set(key, (self.get(key) ?? 0) + dt);
      const origin = originOf(node.callFrame.url, node.callFrame.functionName);
      origins.set(origin, (origins.get(origin) ?? 0) + dt);
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at);
        if (frame === undefined || frame.callFrame.functionName === '(root)') continue;
        const k = keyOf(frame);
        if (seen.has(k)) continue;
        seen.add(k);
        inclusiveAll.set(k, (inclusiveAll.get(k) ?? 0) + dt);
        if (isOurs(frame.callFrame.url)) inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    });
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    self: sorted(self),
    inclusiveOurs: sorted(inclusive),
    inclusiveAll: sorted(inclusiveAll),
    origins: sorted(origins),
  };
}

export function printSummary(files: readonly string[], top = 25): void {
  const s = summarize(files);
  const pct = (ms: number): string => `${((ms / s.totalMs) * 100).toFixed(1).padStart(5)} %`;
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  out(
    `${files.length} profile(s) from ${dirname(files[0] ?? '.')}: ${formatNumber(s.totalMs)} ms of non-idle samples`,
  );
  out('  self time by origin:');
  for (const [origin, ms] of s.origins.slice(0, 14)) out(`    ${pct(ms)}  ${origin}`);
  out(`  top ${top} functions by self time:`);
  for (const [key, ms] of s.self.slice(0, top)) out(`    ${pct(ms)}  ${key}`);
  out(`  top ${top} functions by inclusive time:`);
  for (const [key, ms] of s.inclusiveAll.slice(0, top)) out(`    ${pct(ms)}  ${key}`);
  out(`  top ${top} of our functions (src/, machines/) by inclusive time:`);
  for (const [key, ms] of s.inclusiveOurs.slice(0, top)) out(`    ${pct(ms)}  ${key}`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const args = process.argv.slice(2);
  const top = Number(args.find((a) => a.startsWith('--top='))?.slice('--top='.length) ?? 25);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('usage: cpu-top.ts [--top=N] FILE.cpuprofile...\n');
    process.exit(2);
  }
  printSummary(files, top);
}
