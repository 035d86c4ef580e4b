/**
 * How benchmarks 8 and 9 build a browser page: one set of esbuild options for ours and every peer,
 * so their bundle figures are alike by construction.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, type BuildResult, type Plugin } from 'esbuild';
import { root } from './build.js';

/**
 * The browser twins: a relative import of a module `X.js` of src/ that has an `X.browser.ts`
 * beside it gets the twin, the rule scripts/build.mjs follows for dist/browser (pako for
 * node:zlib, the global WebSocket for `ws`, a stub for the session view's server). By the files
 * on disk, so a new twin needs no list here.
 */
export const browserTwins: Plugin = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const twin = resolve(args.resolveDir, args.path).replace(/\.js$/, '.browser.ts');
      return twin.startsWith(`${root}src/`) && existsSync(twin) ? { path: twin } : undefined;
    });
  },
};

/** A page built with its metafile and its files in memory. */
export type PageBuild = BuildResult<{ write: false; metafile: true }>;

/**
 * Builds `entry` (a path under the repository root) as an app's bundler builds a browser page:
 * bundled, minified, split (what is imported by `import()` only becomes a chunk of its own),
 * platform 'browser', ESM, es2022, through the browser twins. Nothing is written; `outdir` only
 * names the files. `plugins` run before the twins.
 */
export function buildPage(
  entry: string,
  outdir: string,
  plugins: readonly Plugin[] = [],
): Promise<PageBuild> {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    splitting: true,
    outdir,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [...plugins, browserTwins],
  });
}
