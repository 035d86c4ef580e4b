/**
 * The peer packages are bench/peers' own (package.json and package-lock.json here), installed on
 * first use into bench/peers/node_modules (ignored by git): in the root package.json they would slow
 * every `npm ci`, CI's included, and can print engine warnings on a fresh `npm install`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, symlinkSync } from 'node:fs';
import { built, buildDir, root } from '../lib/build.js';

const dir = `${root}bench/peers`;

/** Installed, and from the lock as it is now (npm ci writes node_modules/.package-lock.json last). */
function upToDate(): boolean {
  const installed = `${dir}/node_modules/.package-lock.json`;
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(`${dir}/package-lock.json`).mtimeMs;
}

/**
 * Runs `npm ci --prefix bench/peers` when the packages are missing or older than the lock, saying so
 * in one line. Returns why it failed (e.g. no network), or undefined when they are there.
 */
export function installPeers(log: (line: string) => void): string | undefined {
  if (upToDate()) return undefined;
  log('installing the peer packages: npm ci --prefix bench/peers (first run only)');
  // No install scripts: none of these packages needs one (protobufjs's only checks versions).
  const result = spawnSync(
    'npm',
    ['ci', '--prefix', dir, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (result.status === 0 && upToDate()) return undefined;
  // No npm on the PATH, or it took longer than the timeout.
  if (result.error !== undefined) return result.error.message;
  // npm's first error line that says what happened (not its code, nor where its log is).
  const said = result.stderr.split('\n').find((line) => /^npm error (?!code |A complete log)/.test(line));
  return said?.replace(/^npm error /, 'npm ci: ') ?? `npm ci exited with ${String(result.status)}`;
}

/**
 * The bench runs from its build under node_modules/.cache/…, and Node looks for a package upward
 * from the importing file, never reaching bench/peers/node_modules: link it beside the built files.
 * Node resolves the link to its real path, so the packages find their own dependencies as installed.
 */
export function linkPeersIntoBuild(): void {
  if (!built) return;
  try {
    symlinkSync(`${dir}/node_modules`, `${buildDir}bench/peers/node_modules`, 'dir');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
