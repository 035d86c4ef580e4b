// Installs the Electron example's own packages (package.json and package-lock.json beside this file) into
// examples/electron/node_modules, when they are missing or older than the lock: `npm ci --prefix
// examples/electron`. The root `npm run typecheck`, `typecheck:electron` and `lint` run it first, since
// they check these files against Electron's types. The root `npm install` never installs Electron: its
// engines field (Node 22.12 or later, for the binary's downloader) made every install warn on Node 20.
//
// Nothing here downloads Electron's binary: Electron 42 and later have no install script (the binary is
// fetched when Electron is first started, which nothing here does), scripts are off for this install
// anyway, and ELECTRON_SKIP_BINARY_DOWNLOAD=1 covers an older Electron whose postinstall downloads it.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = join(here, 'package-lock.json');
// npm ci writes node_modules/.package-lock.json last: there and newer than the lock = installed from it.
const installed = join(here, 'node_modules', '.package-lock.json');
if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) process.exit(0);

const args = ['ci', '--prefix', here, '--ignore-scripts', '--no-audit', '--no-fund'];
console.log(
  `installing the Electron example's packages: npm ${args.join(' ').replace(here, relative(process.cwd(), here) || '.')}`,
);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12))
  console.log(
    `(on Node ${process.versions.node}, npm warns EBADENGINE: electron and its downloader want Node 22.12 or later to fetch and run Electron's binary; only its types are used here, and they work on any Node)`,
  );
// Under `npm run`, npm_execpath is the npm that runs this script: use the same one (no shell needed).
const npmCli = process.env.npm_execpath;
const viaNode = npmCli !== undefined && /npm-cli\.c?js$/.test(npmCli);
const result = spawnSync(viaNode ? process.execPath : 'npm', viaNode ? [npmCli, ...args] : args, {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  shell: !viaNode && process.platform === 'win32',
});
if (result.error !== undefined) throw result.error;
process.exit(result.status ?? 1);
