/**
 * `npm run bench [-- --quick] [--only=1,3] [--check] [--json=FILE] [--profile] [--build-only]`
 *
 * First transpiles src/, machines/ and bench/ the way the package build does (bench/lib/build.ts
 * says why not tsx). Then runs each benchmark in its own Node process (a fresh heap and JIT for
 * each; --expose-gc where it needs it), passes its progress through, collects its rows over IPC,
 * and prints the final table. Inside each process, ours and its baseline run alternately for
 * several rounds; the ratio reported is the median of the per-round paired ratios. The machine is
 * assumed to be shared and noisy: the ratios are the result, the absolute figures are context.
 *
 * --quick       CI-sized run (about 70 s); the full run takes about 8 minutes (benchmark 4: almost 6;
 *               9: under a minute, plus about 7 s the first time to install its packages).
 * --only=1,3    the benchmarks to run (ids 1–9; 9, the peers side by side, installs its own
 *               packages into bench/peers/node_modules on first use, see bench/peers/case.ts).
 * --check       exit 1 when a goal is missed (by default only a benchmark that crashes fails).
 * --json=FILE   also write every row, with its per-round figures, to FILE.
 * --profile     instead of measuring, run ours alone, CPU-profiling only its measured sections
 *               (heap snapshots for 3), into bench/.profiles/, and print where the time or the
 *               heap goes (bench/analyze/cpu-top.ts, heap-diff.ts).
 * --build-only  only transpile, e.g. to run a bench/analyze script on the build:
 *               node --expose-gc node_modules/.cache/utilbot-gateway-bench/bench/analyze/heap-parts.js
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { printSummary } from './analyze/cpu-top.js';
import { buildBench, buildDir, builtPath, root } from './lib/build.js';
import { formatTable, printRows } from './lib/print.js';
import { isBenchMessage, type BenchRow } from './lib/result.js';

interface BenchCase {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly nodeFlags?: readonly string[];
  /** Longest a run may take before it is killed, ms (full run; the quick run gets the same). */
  readonly timeoutMs: number;
}

const cases: readonly BenchCase[] = [
  { id: '1', title: 'inbound events/s over loopback', file: 'cases/inbound.ts', timeoutMs: 120_000 },
  { id: '2', title: 'decode cost per frame', file: 'cases/decode.ts', timeoutMs: 120_000 },
  {
    id: '3',
    title: 'heap per ready idle client',
    file: 'cases/heap.ts',
    nodeFlags: ['--expose-gc'],
    timeoutMs: 180_000,
  },
  {
    id: '4',
    title: 'CPU of ready idle clients',
    file: 'cases/idle-cpu.ts',
    timeoutMs: 900_000,
  },
  { id: '5', title: 'gateway restart to ready', file: 'cases/restart.ts', timeoutMs: 60_000 },
  { id: '6', title: 'outbound send throughput', file: 'cases/outbound.ts', timeoutMs: 120_000 },
  { id: '7', title: 'inflate throughput', file: 'cases/inflate.ts', timeoutMs: 120_000 },
  { id: '8', title: 'browser bundle size', file: 'cases/bundle.ts', timeoutMs: 60_000 },
  {
    id: '9',
    title: 'peers side by side',
    file: 'peers/case.ts',
    nodeFlags: ['--expose-gc'],
    // Includes the first run's `npm ci --prefix bench/peers`.
    timeoutMs: 600_000,
  },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const check = args.includes('--check');
const profile = args.includes('--profile');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const jsonFile = args.find((a) => a.startsWith('--json='))?.slice('--json='.length);
const buildOnly = args.includes('--build-only');
const known = new Set(['--quick', '--check', '--profile', '--build-only']);
for (const arg of args) {
  if (!known.has(arg) && !arg.startsWith('--only=') && !arg.startsWith('--json=')) {
    process.stderr.write(`unknown argument ${arg}; see the comment at the top of bench/run.ts\n`);
    process.exit(2);
  }
}

const profileRoot = join(root, 'bench/.profiles');

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line !== undefined) return line.split(':')[1]?.trim() ?? '?';
  } catch {
    // Not Linux: fall back to what os.cpus() says.
  }
  return cpus()[0]?.model ?? '?';
}

/** Runs one benchmark process; resolves with its rows (none if it failed). */
function runCase(
  bench: BenchCase,
  extraArgs: readonly string[],
  extraFlags: readonly string[],
): Promise<BenchRow[]> {
  return new Promise((resolve) => {
    const rows: BenchRow[] = [];
    const child = spawn(
      process.execPath,
      [...(bench.nodeFlags ?? []), ...extraFlags, builtPath(`bench/${bench.file}`), ...extraArgs],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const timer = setTimeout(() => {
      process.stderr.write(`  benchmark ${bench.id} took longer than ${bench.timeoutMs / 1000} s: killed\n`);
      child.kill('SIGKILL');
    }, bench.timeoutMs);
    child.on('message', (message: unknown) => {
      if (isBenchMessage(message)) rows.push(...message.rows);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) process.stderr.write(`  benchmark ${bench.id} exited with code ${String(code)}\n`);
      resolve(rows);
    });
  });
}

async function profileCase(bench: BenchCase): Promise<void> {
  const dir = join(profileRoot, `case-${bench.id}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (bench.id === '3') {
    await runCase(bench, ['--quick', `--heap-snapshot=${dir}`], []);
    const snapshots = readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));
    const ours = snapshots.find((f) => f.startsWith('heap-ours'));
    const base = snapshots.find((f) => f.startsWith('heap-baseline'));
    const n = /-(\d+)\.heapsnapshot$/.exec(ours ?? '')?.[1] ?? '1';
    if (ours === undefined || base === undefined) return;
    const diff = spawn(
      process.execPath,
      [builtPath('bench/analyze/heap-diff.ts'), join(dir, ours), join(dir, base), n, '30'],
      { stdio: 'inherit' },
    );
    await new Promise((resolve) => diff.on('exit', resolve));
    return;
  }
  await runCase(bench, [...(quick ? ['--quick'] : []), '--ours-only', `--cpu-profile=${dir}`], []);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  if (files.length > 0) printSummary(files, 25);
}

async function run(): Promise<void> {
  await buildBench();
  if (buildOnly) {
    process.stdout.write(`built into ${buildDir}\n`);
    return;
  }
  const selected = cases.filter((c) => only === undefined || only.includes(c.id));
  const started = performance.now();
  process.stdout.write(
    `utilbot-gateway benchmarks (${quick ? 'quick' : 'full'} run${profile ? ', profiling ours' : ''})\n` +
      `node ${process.version}, ${availableParallelism()} cores (${cpuModel()}), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n` +
      'Ours and its baseline alternate in one process, several rounds; ratios are medians of per-round pairs.\n' +
      `Running JavaScript transpiled by esbuild into ${buildDir} (see bench/lib/build.ts).\n\n`,
  );
  const rows: BenchRow[] = [];
  for (const bench of selected) {
    process.stdout.write(`${bench.id}. ${bench.title}\n`);
    if (profile) {
      if (bench.id === '8') {
        process.stdout.write('  (nothing to profile: bench 8 measures bundle size)\n');
        continue;
      }
      if (bench.id === '9') {
        process.stdout.write(
          '  (not profiled: bench 9 measures the peers beside ours; 1 and 3 profile ours)\n',
        );
        continue;
      }
      await profileCase(bench);
      continue;
    }
    const t0 = performance.now();
    const got = await runCase(bench, quick ? ['--quick'] : [], []);
    if (got.length === 0) process.stderr.write(`  benchmark ${bench.id} reported nothing\n`);
    printRows(got);
    process.stdout.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n\n`);
    rows.push(...got);
  }
  if (profile) {
    process.stdout.write(`profiles and snapshots are in ${profileRoot}\n`);
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nResults (${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s):\n\n${formatTable(rows)}\n\n`,
  );
  const missed = rows.filter((r) => r.goal !== undefined && !r.goal.pass);
  process.stdout.write(
    missed.length === 0
      ? 'Every goal is met.\n'
      : `${missed.length} goal(s) missed: ${missed.map((r) => r.id).join(', ')} (see docs/performance.md).\n`,
  );
  if (jsonFile !== undefined) {
    writeFileSync(
      jsonFile,
      `${JSON.stringify({ node: process.version, cpu: cpuModel(), cores: availableParallelism(), quick, rows }, null, 2)}\n`,
    );
  }
  const crashed = selected.length > 0 && rows.length === 0;
  const incomplete = selected.some((c) => !rows.some((r) => r.id.split('.')[0] === c.id));
  if (incomplete || crashed) process.exitCode = 1;
  else if (check && missed.length > 0) process.exitCode = 1;
}

void run();
