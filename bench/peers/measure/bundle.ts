/**
 * Browser bundle of a page that makes one client, measured as benchmark 8 measures ours: esbuild
 * --bundle --minify --splitting (platform 'browser', ESM, es2022), gzip -9 of each file; the figure
 * is what the page loads at start (the entry file and the chunks it imports statically), and `all`
 * adds the chunks loaded by `import()` only (ours: the zlib reader, for compression=zlib).
 *
 * Ours is benchmark 8's page built as an app builds the package's browser entry: src/ with the
 * browser twins (a module `X.js` of src/ that has an `X.browser.ts` beside it is replaced by it, as
 * scripts/build.mjs does for dist/browser: pako for node:zlib, the global WebSocket for `ws`).
 */
import { gzipSync } from 'node:zlib';
import { buildPage } from '../../lib/page-build.js';
import { root } from '../../lib/build.js';
import { initialFiles } from '../../lib/initial-files.js';

export interface BundleFigure {
  /** gzip -9 bytes of the files the page loads at start. */
  readonly gzipped: number;
  /** gzip -9 bytes of every file, lazy chunks included. */
  readonly all: number;
}

/** Bundles `page` (a path under the repository root). */
export async function bundle(page: string): Promise<BundleFigure> {
  // Not written: the out dir only names the files in the metafile.
  const result = await buildPage(page, 'bench-peers-out');
  const outputs = result.metafile.outputs;
  const gzipped = new Map<string, number>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(root.length);
    if (name.endsWith('.js')) gzipped.set(name, gzipSync(file.contents, { level: 9 }).length);
  }
  const entry = Object.keys(outputs).find((name) => outputs[name]?.entryPoint === page);
  if (entry === undefined) throw new Error(`no output for ${page}`);
  const initial = initialFiles(outputs, entry);
  const sum = (names: Iterable<string>): number => {
    let total = 0;
    for (const name of names) total += gzipped.get(name) ?? 0;
    return total;
  };
  return { gzipped: sum(initial), all: sum(gzipped.keys()) };
}
