/**
 * The browser twins as the benchmarks' page builds apply them (benchmarks 8 and 9): a relative
 * import of a module `X.js` of src/ that has an `X.browser.ts` beside it gets the twin, the rule
 * scripts/build.mjs follows for dist/browser (pako for node:zlib, the global WebSocket for `ws`, a
 * stub for the session view's server). By the files on disk, so a new twin needs no list here.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { root } from './build.js';

export const browserTwins: Plugin = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const twin = resolve(args.resolveDir, args.path).replace(/\.js$/, '.browser.ts');
      return twin.startsWith(`${root}src/`) && existsSync(twin) ? { path: twin } : undefined;
    });
  },
};
