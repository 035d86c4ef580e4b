// Bundles the Electron example into dist/electron-example/ (after `npm run build`, whose browser
// build the renderer-only page uses). Electron itself is not needed to build, only to run, from this
// folder's own packages (node examples/electron/install-deps.mjs installs them):
//   npm start --prefix examples/electron
//   npm run start:renderer-only --prefix examples/electron
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(root, 'dist/electron-example');
const browserBuild = join(root, 'dist/browser/index.js');
if (!existsSync(browserBuild))
  throw new Error('run `npm run build` first: the renderer-only page uses dist/browser');

/** The examples import `../../src/index.js`; an application imports `utilbot-gateway`. In a page, that is its browser build. */
const asInstalledInBrowser = {
  name: 'as-installed-in-browser',
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: browserBuild }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
};
const page = { bundle: true, platform: 'browser', target: 'chrome130', format: 'iife', logLevel: 'warning' };
await Promise.all([
  // Main processes: ESM (Electron 28+); the package's dependencies stay in node_modules.
  build({
    ...node,
    entryPoints: [join(here, 'main.ts')],
    outfile: join(out, 'main.mjs'),
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...node,
    entryPoints: [join(here, 'renderer-only/main.ts')],
    outfile: join(out, 'renderer-only/main.mjs'),
    format: 'esm',
    packages: 'external',
  }),
  // A sandboxed preload must be one CommonJS file that requires nothing but `electron`.
  build({
    ...node,
    entryPoints: [join(here, 'preload.ts')],
    outfile: join(out, 'preload.cjs'),
    format: 'cjs',
  }),
  build({ ...page, entryPoints: [join(here, 'renderer.ts')], outfile: join(out, 'renderer.js') }),
  build({
    ...page,
    entryPoints: [join(here, 'renderer-only/renderer.ts')],
    outfile: join(out, 'renderer-only/renderer.js'),
    plugins: [asInstalledInBrowser],
  }),
]);
for (const html of ['index.html', 'renderer-only/index.html']) {
  mkdirSync(dirname(join(out, html)), { recursive: true });
  copyFileSync(join(here, html), join(out, html));
}
console.log(`built ${out}`);
