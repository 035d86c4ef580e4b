import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from './child.js';

/** The repository: the package as it is shipped from. */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** What every test of the package needs from the build. */
const outputs = [
  'dist/esm/index.js',
  'dist/esm/testing.js',
  'dist/cjs/index.js',
  'dist/cjs/testing.js',
  'dist/cjs/cli.js',
  'dist/cjs/package.json',
  'dist/types/src/index.d.ts',
  'dist/cjs/types/src/index.d.ts',
];

/** Where test files (and concurrent jest runs) agree on one build: outside the repo, one per checkout. */
const base = path.join(
  tmpdir(),
  `utilbot-gateway-build-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`,
);
const lockDir = `${base}.lock`;
const markerFile = `${base}.json`;

interface Marker {
  /** {@link inputs} when the build started. */
  readonly inputs: string;
  /** {@link jestRun} of the run that built. */
  readonly run: string;
  readonly ok: boolean;
}

let mine: Promise<void> | undefined;

/**
 * Makes sure dist/ is a successful `npm run build` of the sources as they are now: builds unless the
 * last good build was made from exactly these sources and its outputs are all there. However many
 * test files, workers or concurrent jest runs ask, a lock directory lets one build while the others
 * wait; a marker file records what the last build was made from. Rejects with the build's output
 * when it failed.
 *
 * Why not build on every run: a build starts with `rm -rf dist`, so a second jest run building
 * while the first one's children load dist/ breaks the first one.
 */
export function buildOnce(): Promise<void> {
  mine ??= buildOrWait();
  return mine;
}

async function buildOrWait(): Promise<void> {
  const deadline = Date.now() + 170_000;
  for (;;) {
    if (upToDate()) return;
    if (takeLock()) {
      try {
        // Another test file may have finished a build between the check and the lock.
        if (upToDate()) return;
        const digest = inputs();
        const result = await run('npm', ['run', 'build'], { cwd: repoRoot, killAfterMs: 150_000 });
        const ok = result.code === 0 && built();
        const output = [...result.out, ...result.err].join('\n');
        writeFileSync(markerFile, JSON.stringify({ inputs: digest, run: jestRun(), ok } satisfies Marker));
        if (!ok)
          throw new Error(`npm run build failed (exit ${String(result.code ?? result.signal)}):\n${output}`);
        return;
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the build lock ${lockDir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The last build succeeded, its outputs are still there, and it was made from the sources as they are
 * now or by this jest run (sources edited while the run goes on must not pull dist/ away from the
 * test files still using it).
 */
function upToDate(): boolean {
  const marker = readMarker();
  return marker?.ok === true && built() && (marker.run === jestRun() || marker.inputs === inputs());
}

function built(): boolean {
  return outputs.every((file) => existsSync(path.join(repoRoot, file)));
}

function readMarker(): Marker | undefined {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** Takes the lock, or clears it if its holder died (a killed jest run) and says no this time. */
function takeLock(): boolean {
  try {
    mkdirSync(lockDir);
    writeFileSync(path.join(lockDir, 'owner'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (lockIsStale()) rmSync(lockDir, { recursive: true, force: true });
    return false;
  }
}

function lockIsStale(): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(path.join(lockDir, 'owner'), 'utf8'));
  } catch {
    // Taken a moment ago and the owner not written yet, or left empty by a holder that died there.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A digest of everything the build reads: when it matches the last good build's and that build's
 * outputs are all there, building again would only churn dist/ under whoever is using it.
 */
function inputs(): string {
  const hash = createHash('sha256');
  const files = [
    ...['src', 'machines', 'bin'].flatMap((dir) => filesUnder(dir)),
    'scripts/build.mjs',
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(path.join(repoRoot, file)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
  } catch {
    return [];
  }
}

/**
 * The jest run this process serves, as its main process's pid and start time (a later process
 * with the same pid is another run). Jest runs test files in band in its own process, or in worker
 * processes it forks from jest-worker's processChild.js. (Not `process.send`: jest's own process
 * may have an IPC channel too, from whatever started it.)
 */
function jestRun(): string {
  const worker = /jest-worker[\\/].*processChild\.js$/.test(process.argv[1] ?? '');
  const pid = worker ? process.ppid : process.pid;
  let started = '';
  try {
    // Field 22 of /proc/PID/stat, counting from after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    // Not Linux: the pid alone.
  }
  return `${pid}@${started}`;
}
