// Builds the package: ESM and CommonJS bundles of each entry (esbuild), a browser bundle of the
// client (ESM, split: the zlib reader is a chunk loaded on demand), and declarations (tsc).
// In the Node bundles (no splitting) the zlib reader's dynamic import is bundled in.
// CommonJS output lives under dist/cjs/ beside a package.json that says so, so Node and
// TypeScript (module: node16/nodenext) read both the .js files and the .d.ts files there as CommonJS.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const entries = { index: 'src/index.ts', testing: 'src/testing/index.ts', cli: 'src/cli/main.ts' };
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * The Node-only modules of the client path and the browser twins that replace them in the browser
 * bundle (node:zlib for whole zlib frames → pako, which Node uses for the stream form already;
 * `ws` → the global WebSocket; the session view's server → a stub that rejects): every
 * `src/…/X.browser.ts` stands in for `src/…/X.js`. Read from the files, the one rule the benchmarks'
 * pages follow too (bench/lib/page-build.ts).
 */
const browserTwins = Object.fromEntries(
  readdirSync('src', { recursive: true })
    .map((file) => `src/${String(file).split(path.sep).join('/')}`)
    .filter((file) => file.endsWith('.browser.ts'))
    .map((twin) => [twin.replace(/\.browser\.ts$/, '.js'), twin]),
);
const browserTwinsPlugin = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const wanted = path
        .relative(process.cwd(), path.join(args.resolveDir, args.path))
        .split(path.sep)
        .join('/');
      const twin = browserTwins[wanted];
      return twin === undefined ? undefined : { path: path.resolve(twin) };
    });
  },
};

const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
/**
 * The browser bundle leaves the runtime dependencies to the app's bundler (one xstate per page),
 * except `ws`, which must not be reached at all, and pako, which is bundled into the zlib reader's
 * chunk (it keeps no state a page would share). The Node builds keep it external, like every
 * package (`packages: 'external'`).
 */
const browserExternal = Object.keys(dependencies).filter((name) => name !== 'ws' && name !== 'pako');

rmSync('dist', { recursive: true, force: true });
const [, , browser] = await Promise.all([
  build({ ...common, entryPoints: entries, outdir: 'dist/esm', format: 'esm' }),
  build({ ...common, entryPoints: entries, outdir: 'dist/cjs', format: 'cjs' }),
  build({
    entryPoints: { index: 'src/index.ts' },
    outdir: 'dist/browser',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // The zlib reader (inflate.browser.ts and pako) is imported dynamically by the first connection
    // that asks for compression (src/transport/connection.ts): with splitting it is a chunk of its
    // own, inflate.browser-HASH.js, so a page that never asks never loads pako. A module both
    // chunks use (frame-reader.ts) goes into chunk-HASH.js, which index.js imports statically.
    splitting: true,
    external: browserExternal,
    plugins: [browserTwinsPlugin],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  }),
]);
checkBrowserBundle(browser.metafile);
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
cpSync('dist/types', 'dist/cjs/types', { recursive: true });
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
console.log('built dist/esm, dist/cjs, dist/browser and dist/types');

/**
 * Fails the build when anything Node-only reached the browser bundle: `ws` (whose `browser` field
 * would swap in a stub that throws) or a Node built-in, bundled or left as an import, or a Node-only
 * module whose twin was not used; or when pako reached what index.js loads at start (itself and the
 * chunks it imports statically), which a static import of the zlib reader would do without a word.
 */
function checkBrowserBundle(metafile) {
  const nodeOnly = (specifier) =>
    specifier === 'ws' ||
    specifier.startsWith('ws/') ||
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier.split('/')[0]);
  const problems = [];
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (/(^|\/)node_modules\/ws\//.test(input)) problems.push(`${input} is bundled`);
    if (Object.values(browserTwins).some((twin) => input === twin.replace(/\.browser\.ts$/, '.ts')))
      problems.push(`${input} is bundled instead of its browser twin`);
    for (const { original, path: resolved } of imports) {
      if (nodeOnly(original ?? resolved)) problems.push(`${input} imports ${original ?? resolved}`);
    }
  }
  for (const [output, { imports }] of Object.entries(metafile.outputs)) {
    for (const { path: imported } of imports) {
      if (nodeOnly(imported)) problems.push(`${output} imports ${imported}`);
    }
  }
  const initial = new Set();
  const visit = (output) => {
    if (initial.has(output) || metafile.outputs[output] === undefined) return;
    initial.add(output);
    for (const { path: imported, kind } of metafile.outputs[output].imports)
      if (kind === 'import-statement') visit(imported);
  };
  visit('dist/browser/index.js');
  for (const output of initial) {
    for (const input of Object.keys(metafile.outputs[output].inputs)) {
      if (/(^|\/)node_modules\/pako\/|src\/transport\/pako-inflate\.ts$/.test(input))
        problems.push(`${output} (loaded at start) holds ${input}: pako must load only with compression`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `the browser bundle must not use ws or Node built-ins, nor load pako at start:\n  ${problems.join('\n  ')}`,
    );
  }
}
