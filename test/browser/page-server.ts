import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { repoRoot } from '../package/build-once.js';

/** A page served on 127.0.0.1 for a browser test. */
export interface ServedPage {
  readonly url: string;
  /** Closes the server and every connection the browser kept open. */
  close(): Promise<void>;
}

/**
 * Serves a test page: `/` is `html`, every other path the bundle file of that URL path (404 when
 * there is none), never cached. `csp`, when given, is sent as the Content-Security-Policy of every
 * response, as an app's server would.
 */
export async function servePage(
  html: string,
  files: ReadonlyMap<string, string>,
  csp?: string,
): Promise<ServedPage> {
  const server: Server = createServer((request, response) => {
    const js = files.get(request.url ?? '');
    const [status, type, body] =
      request.url === '/'
        ? [200, 'text/html', html]
        : js !== undefined
          ? [200, 'text/javascript', js]
          : [404, 'text/plain', 'not found'];
    response.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      ...(csp === undefined ? {} : { 'content-security-policy': csp }),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A test page bundled as an app would bundle it. */
export interface AppPage {
  /** Its files by URL path: `/page.js` (the entry) and its chunks. */
  readonly files: ReadonlyMap<string, string>;
  readonly metafile: Metafile;
}

/**
 * Bundles `entry` (a test page) for the browser, as an app's bundler does: its `../../src/index.js`
 * import resolves as `utilbot-gateway` does (the package's `exports`, `browser` condition: dist/browser,
 * which must be built), with splitting, so what dist/browser imports dynamically is a chunk of its
 * own. Nothing is written; URL paths are relative to `outDir`.
 */
export async function bundleAppPage(entry: string, outDir: string): Promise<AppPage> {
  const asThePackage: Plugin = {
    name: 'as-the-package',
    setup(b) {
      b.onResolve({ filter: /\/src\/index\.js$/ }, async (args) => {
        if (args.importer !== entry) return undefined;
        const resolved = await b.resolve('utilbot-gateway', { kind: args.kind, resolveDir: repoRoot });
        return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
      });
    },
  };
  const result = await build({
    entryPoints: { page: entry },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    splitting: true,
    outdir: outDir,
    plugins: [asThePackage],
    logLevel: 'silent',
  });
  const files = new Map<string, string>();
  for (const output of result.outputFiles)
    if (output.path.endsWith('.js')) files.set(`/${path.relative(outDir, output.path)}`, output.text);
  if (!files.has('/page.js')) throw new Error(`esbuild wrote no page for ${entry}`);
  return { files, metafile: result.metafile };
}
