/**
 * The benchmarks run on JavaScript transpiled by esbuild the way the package build does it (no
 * keepNames, target node20), not through tsx: tsx turns on esbuild's keepNames, which calls
 * `__name(fn, "name")` on every named closure when it is created. That adds an own `name`
 * property to each closure object — about 15 KB more heap per ready client (see
 * docs/performance.md) and a defineProperty per closure creation — which the published build does
 * not have.
 *
 * Files are transpiled one by one (no bundling), keeping the tree (…/src/…, …/machines/…,
 * …/bench/…), so NodeNext `.js` specifiers resolve as they are, dependencies come from
 * node_modules, and CPU profiles still name our files. The output goes to
 * node_modules/.cache/utilbot-gateway-bench/, where git, ESLint, Prettier and tsc never look.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CACHE = 'node_modules/.cache/utilbot-gateway-bench';

/** Whether this module runs from the build (rather than from source through tsx). */
export const built = import.meta.url.includes(`/${CACHE}/`);

/** The repository root, with a trailing slash. */
export const root = fileURLToPath(new URL(built ? '../../../../../' : '../../', import.meta.url));

/** Where the build goes, with a trailing slash. */
export const buildDir = `${root}${CACHE}/`;

/** A path relative to the repository root, as a file in the build (`bench/cases/x.ts` → …/bench/cases/x.js). */
export function builtPath(path: string): string {
  return `${buildDir}${path.replace(/\.ts$/, '.js')}`;
}

/** The source file (under the repository root) that a URL of the build or of the source names. */
export function sourcePath(url: string): string {
  return fileURLToPath(url).replace(buildDir, root).replace(/\.js$/, '.ts');
}

/**
 * The .ts files under DIR, as one `*.ts` glob per folder, skipping any node_modules: bench/peers/
 * has its own (benchmark 9's peer packages), whose .ts and .d.ts files a recursive glob would take.
 */
function tsGlobs(dir: string): string[] {
  const entries = readdirSync(`${root}${dir}`, { withFileTypes: true });
  // Only folders that hold .ts files: esbuild warns about a glob that matches nothing.
  const globs = entries.some((e) => e.isFile() && e.name.endsWith('.ts')) ? [`${dir}/*.ts`] : [];
  for (const entry of entries) {
    if (entry.isDirectory() && entry.name !== 'node_modules') globs.push(...tsGlobs(`${dir}/${entry.name}`));
  }
  return globs;
}

export async function buildBench(): Promise<void> {
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  // Under node_modules, Node looks for no package scope above: say that these files are ESM.
  writeFileSync(`${buildDir}package.json`, '{ "type": "module" }\n');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/**/*.ts', 'machines/**/*.ts', ...tsGlobs('bench')],
    outbase: '.',
    outdir: CACHE,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}
