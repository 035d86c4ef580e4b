/**
 * 8. Bundle size of a browser page using the client (bench/bundle/page.ts), against the same page
 * written by hand on the browser's WebSocket (bench/bundle/raw-page.ts): esbuild --bundle --minify,
 * platform 'browser', ESM, then gzip -9. The client still imports `ws` and `node:*` (a browser
 * build comes later): here those imports resolve to an EMPTY STUB module, so the figure is what the
 * client's own code and its other dependencies weigh (the bundle would not run as is). The
 * metafile says which inputs dominate.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { root } from '../lib/build.js';
import { main, makeRow } from '../lib/case.js';
import { formatNumber } from '../lib/stats.js';

const stubNodeModules: Plugin = {
  name: 'stub-ws-and-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^(ws|node:.*)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** What-if: fp-ts's CommonJS modules (fp-ts/lib/…, not tree-shakeable) replaced by its ES modules. */
const fpTsEs6: Plugin = {
  name: 'fp-ts-lib-to-es6',
  setup(b) {
    b.onResolve({ filter: /^fp-ts\/lib\// }, (args) =>
      b.resolve(args.path.replace('fp-ts/lib/', 'fp-ts/es6/'), {
        kind: args.kind,
        resolveDir: args.resolveDir,
      }),
    );
  },
};

/** What-if: xstate left to the page's bundler (external), to show its weight. */
const xstateExternal: Plugin = {
  name: 'xstate-external',
  setup(b) {
    b.onResolve({ filter: /^xstate$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * The browser twins scripts/build.mjs puts in place of the Node-only modules for dist/browser
 * (pako instead of node:zlib, the global WebSocket instead of ws), when they exist.
 */
const twins: Readonly<Record<string, string>> = {
  'src/transport/inflate.js': 'src/transport/inflate.browser.ts',
  'src/transport/default-websocket.js': 'src/transport/default-websocket.browser.ts',
};
const haveTwins = Object.values(twins).every((twin) => existsSync(join(root, twin)));
const browserTwins: Plugin = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const wanted = relative(root, join(args.resolveDir, args.path)).split(sep).join('/');
      const twin = twins[wanted];
      return twin === undefined ? undefined : { path: join(root, twin) };
    });
  },
};

interface Bundle {
  readonly minified: number;
  readonly gzipped: number;
  readonly metafile: Metafile;
}

async function bundle(entry: string, extra: readonly Plugin[] = []): Promise<Bundle> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [...extra, stubNodeModules],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`no output for ${entry}`);
  return {
    minified: output.contents.length,
    gzipped: gzipSync(output.contents, { level: 9 }).length,
    metafile: result.metafile,
  };
}

/** Bytes in the output by package (node_modules/NAME) or by our top folder (src/protocol, machines, …). */
export function byOrigin(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
      const origin =
        pkg ??
        (path.startsWith('stub:')
          ? 'stubs (ws, node:*)'
          : path.replace(/^(\.\.\/)*/, '').replace(/^(src\/[^/]+|machines|bench\/bundle)\/.*$/, '$1'));
      totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** The largest single inputs, for the note on what dominates. */
function topInputs(metafile: Metafile, n: number): [string, number][] {
  const inputs: [string, number][] = [];
  for (const output of Object.values(metafile.outputs))
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs))
      inputs.push([path.replace(/^(\.\.\/)*/, ''), bytesInOutput]);
  return inputs.sort((a, b) => b[1] - a[1]).slice(0, n);
}

main(async () => {
  const ours = await bundle('bench/bundle/page.ts');
  const raw = await bundle('bench/bundle/raw-page.ts');
  const withEs6FpTs = await bundle('bench/bundle/page.ts', [fpTsEs6]);
  const withoutXstate = await bundle('bench/bundle/page.ts', [xstateExternal]);
  const withTwins = haveTwins ? await bundle('bench/bundle/page.ts', [browserTwins]) : undefined;
  const origins = byOrigin(ours.metafile);
  const share = (bytes: number): string =>
    `${formatNumber(bytes)} B (${((bytes / ours.minified) * 100).toFixed(0)} %)`;
  return [
    makeRow({
      id: '8',
      name: 'bundle of a browser page, esbuild --minify + gzip -9',
      unit: 'B min+gz',
      ours: [ours.gzipped],
      baseline: [raw.gzipped],
      ratioOf: 'ours/baseline',
      notes: [
        "platform 'browser', ESM, es2022; `ws` and `node:*` are aliased to an empty stub module (not bundled; the bundle would not run as is)",
        `minified: ours ${formatNumber(ours.minified)} B, baseline ${formatNumber(raw.minified)} B; gzip -9: ours ${formatNumber(ours.gzipped)} B, baseline ${formatNumber(raw.gzipped)} B`,
        `minified bytes by origin: ${origins.map(([origin, bytes]) => `${origin} ${share(bytes)}`).join(', ')}`,
        `what if fp-ts/lib/* (CommonJS, kept whole) were fp-ts/es6/* (tree-shaken): ${formatNumber(withEs6FpTs.minified)} B min, ${formatNumber(withEs6FpTs.gzipped)} B min+gz (${formatNumber(withEs6FpTs.gzipped - ours.gzipped)} B)`,
        withTwins === undefined
          ? 'no browser twins in src/transport/ yet: no runnable browser bundle measured'
          : `the runnable browser bundle, with the browser twins scripts/build.mjs uses (pako for inflate, the global WebSocket), everything bundled: ${formatNumber(withTwins.minified)} B min, ${formatNumber(withTwins.gzipped)} B min+gz; its largest origins: ${byOrigin(
              withTwins.metafile,
            )
              .slice(0, 4)
              .map(([origin, bytes]) => `${origin} ${formatNumber(bytes)} B`)
              .join(', ')}`,
        `with xstate external (not bundled): ${formatNumber(withoutXstate.minified)} B min, ${formatNumber(withoutXstate.gzipped)} B min+gz, i.e. xstate weighs ${formatNumber(ours.gzipped - withoutXstate.gzipped)} B min+gz`,
        `largest inputs: ${topInputs(ours.metafile, 6)
          .map(([path, bytes]) => `${path} ${formatNumber(bytes)} B`)
          .join(', ')}`,
      ],
    }),
  ];
});
