/**
 * 8. Bundle size of a browser page using the client (bench/bundle/page.ts, no compression), against
 * the same page written by hand on the browser's WebSocket (bench/bundle/raw-page.ts): esbuild
 * --bundle --minify --splitting, platform 'browser', ESM, es2022, then gzip -9 of each file.
 *
 * The page is built as an app builds the package's browser entry: src/ with the browser twins that
 * scripts/build.mjs puts in place for dist/browser (the global WebSocket for `ws`, pako for
 * node:zlib), everything bundled. The figure is what the page loads at start: its INITIAL chunk,
 * i.e. the entry file and the chunks it imports statically (esbuild puts a module shared with a
 * lazy chunk into a chunk of its own). The zlib reader (inflate.browser.ts and pako) is a lazy chunk
 * that only a client asking for compression loads; it is reported beside the figure.
 */
import { relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'esbuild';
import { buildPage } from '../lib/page-build.js';
import { root } from '../lib/build.js';
import { main, makeRow } from '../lib/case.js';
import { formatNumber } from '../lib/stats.js';
import { initialFiles } from '../lib/initial-files.js';

/** What-if: `names` left to someone else (external), to show what each package weighs. */
function externalPackages(names: readonly string[]): Plugin {
  return {
    name: 'external-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        names.some((name) => args.path === name || args.path.startsWith(`${name}/`))
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}

/** Sizes of a set of output files: minified bytes, and gzip -9 of each file, summed (as served). */
interface Size {
  readonly minified: number;
  readonly gzipped: number;
}

interface Bundle {
  /** The entry file and the chunks it imports statically: what the page loads at start. */
  readonly initial: Size;
  /** Chunks loaded by `import()` only (the zlib reader), with what each holds. */
  readonly lazy: readonly (Size & { readonly file: string; readonly inputs: Record<string, number> })[];
  /** Minified bytes of the initial files, by input. */
  readonly initialInputs: Record<string, number>;
}

async function bundle(entry: string, extra: readonly Plugin[] = []): Promise<Bundle> {
  // Not written: the out dir only names the files in the metafile.
  const result = await buildPage(entry, 'bench-bundle-out', extra);
  const outputs = result.metafile.outputs;
  const gzipped = new Map<string, Size>();
  for (const file of result.outputFiles) {
    const name = relative(root, file.path).split(sep).join('/');
    if (name.endsWith('.js'))
      gzipped.set(name, {
        minified: file.contents.length,
        gzipped: gzipSync(file.contents, { level: 9 }).length,
      });
  }
  const entryFile = Object.keys(outputs).find((name) => outputs[name]?.entryPoint === entry);
  if (entryFile === undefined) throw new Error(`no output for ${entry}`);
  const initial = initialFiles(outputs, entryFile);
  const sizeOf = (name: string): Size => {
    const size = gzipped.get(name);
    if (size === undefined) throw new Error(`no contents for ${name}`);
    return size;
  };
  const inputsOf = (names: Iterable<string>): Record<string, number> => {
    const inputs: Record<string, number> = {};
    for (const name of names)
      for (const [input, { bytesInOutput }] of Object.entries(outputs[name]?.inputs ?? {}))
        inputs[input] = (inputs[input] ?? 0) + bytesInOutput;
    return inputs;
  };
  const sum = (names: Iterable<string>): Size => {
    let minified = 0;
    let gz = 0;
    for (const name of names) {
      minified += sizeOf(name).minified;
      gz += sizeOf(name).gzipped;
    }
    return { minified, gzipped: gz };
  };
  return {
    initial: sum(initial),
    initialInputs: inputsOf(initial),
    lazy: [...gzipped.keys()]
      .filter((name) => !initial.has(name))
      .map((name) => ({ file: name, ...sizeOf(name), inputs: inputsOf([name]) })),
  };
}

/** Minified bytes by package (node_modules/NAME) or by our top folder (src/protocol, machines, …). */
export function byOrigin(inputs: Record<string, number>): [string, number][] {
  const totals = new Map<string, number>();
  for (const [path, bytes] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    const origin = pkg ?? path.replace(/^(src\/[^/]+|machines|bench\/bundle)\/.*$/, '$1');
    totals.set(origin, (totals.get(origin) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** The largest single inputs. */
function largest(inputs: Record<string, number>, n: number): [string, number][] {
  return Object.entries(inputs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

/** The packages in the page; pako should cost the initial chunk nothing. */
const PACKAGES = ['xstate', 'io-ts', 'fp-ts', 'pako'] as const;

/**
 * What-if: the zlib reader's `import()` left unresolved and no splitting, so the page is one file
 * holding exactly the initial code: what Rollup, Vite or webpack make of it (they keep a module the
 * entry and a lazy chunk share in the entry's chunk, where esbuild gives it a chunk of its own).
 */
const lazyExternal: Plugin = {
  name: 'lazy-external',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

main(async () => {
  const page = 'bench/bundle/page.ts';
  const ours = await bundle(page);
  const raw = await bundle('bench/bundle/raw-page.ts');
  const without = await Promise.all(PACKAGES.map((name) => bundle(page, [externalPackages([name])])));
  const ownOnly = await bundle(page, [externalPackages(PACKAGES)]);
  const oneFile = await bundle(page, [lazyExternal]);
  const { minified, gzipped } = ours.initial;
  const share = (bytes: number): string =>
    `${formatNumber(bytes)} B (${((bytes / minified) * 100).toFixed(0)} %)`;
  const list = (entries: readonly [string, number][], format = share): string =>
    entries.map(([name, bytes]) => `${name} ${format(bytes)}`).join(', ');
  return [
    makeRow({
      id: '8',
      name: 'initial chunk of a browser page, esbuild --minify + gzip -9',
      unit: 'B min+gz',
      ours: [gzipped],
      baseline: [raw.initial.gzipped],
      ratioOf: 'ours/baseline',
      notes: [
        "the page as an app builds it: src/ through the browser twins of scripts/build.mjs (global WebSocket, pako), everything bundled, esbuild --splitting, platform 'browser', ESM, es2022",
        'the figure is the INITIAL chunk only, what the page loads at start: the entry file and the chunks it imports statically, gzip -9 of each file, summed',
        `initial: ours ${formatNumber(minified)} B min, ${formatNumber(gzipped)} B min+gz; baseline ${formatNumber(raw.initial.minified)} B min, ${formatNumber(raw.initial.gzipped)} B min+gz`,
        `the same initial code as one file (the zlib reader's import() left out, as Rollup/Vite/webpack merge what esbuild puts in a shared chunk): ${formatNumber(oneFile.initial.minified)} B min, ${formatNumber(oneFile.initial.gzipped)} B min+gz`,
        ...ours.lazy.map(
          (chunk) =>
            `lazy chunk ${chunk.file.replace(/^.*\//, '')}, loaded only by a client asking compression: 'zlib' (before its socket opens): ${formatNumber(chunk.minified)} B min, ${formatNumber(chunk.gzipped)} B min+gz; ${list(byOrigin(chunk.inputs), (bytes) => `${formatNumber(bytes)} B`)}`,
        ),
        `initial chunk, minified bytes by origin (metafile): ${list(byOrigin(ours.initialInputs))}`,
        `what each package costs the initial chunk in min+gz (the page re-bundled with it external): ${PACKAGES.map(
          (name, i) => `${name} ${formatNumber(gzipped - (without[i]?.initial.gzipped ?? NaN))} B`,
        ).join(
          ', ',
        )}; our own code alone (all four external) ${formatNumber(ownOnly.initial.minified)} B min, ${formatNumber(ownOnly.initial.gzipped)} B min+gz`,
        `largest inputs of the initial chunk: ${list(largest(ours.initialInputs, 8), (bytes) => `${formatNumber(bytes)} B`)}`,
      ],
    }),
  ];
});
