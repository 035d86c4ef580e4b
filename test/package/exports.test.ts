/**
 * The package as a consumer gets it: resolved by name, through the `exports` map, from an ESM and a
 * CommonJS file, and type-checked by TypeScript as an ESM (.mts) and a CommonJS (.cts) consumer.
 * Each check runs twice: against the repository linked into node_modules (as `npm link` would), and
 * against the files `npm pack` puts in the tarball (so a file missing from `files` fails here).
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOnce, repoRoot } from './build-once.js';
import { dump, killAll, run } from './child.js';

const node = process.execPath;
const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** The ESM consumer: every import used for real, and what happened printed as one JSON line. */
const esmConsumer = `
import { decodeFrame, createGatewayClient, GatewayError } from 'utilbot-gateway';
import { createLocalGateway } from 'utilbot-gateway/testing';

const hello = decodeFrame('{"op":5,"d":{"hearbeat":500}}', { sender: 'gateway' });
const gateway = await createLocalGateway({ keys: ['good-key'], heartbeatInterval: 60000, guildCountInterval: 0 });
const ready = createGatewayClient({ url: gateway.url, identify: { type: 'bot', key: 'good-key' }, onError: () => {} });
await ready.start();
const status = ready.status;
await ready.stop();
const refused = createGatewayClient({ url: gateway.url, identify: { type: 'bot', key: 'bad-key' }, onError: () => {} });
const failure = await refused.start().then(() => undefined, (error) => error);
await refused.stop();
await gateway.close();
console.log(JSON.stringify({
  resolved: [import.meta.resolve('utilbot-gateway'), import.meta.resolve('utilbot-gateway/testing')],
  hello,
  url: gateway.url,
  status,
  failure: { isGatewayError: failure instanceof GatewayError, code: failure?.code },
}));
`;

/** The CommonJS consumer: the same, with require(). */
const cjsConsumer = `
const { decodeFrame, createGatewayClient, GatewayError } = require('utilbot-gateway');
const { createLocalGateway } = require('utilbot-gateway/testing');

(async () => {
  const hello = decodeFrame('{"op":5,"d":{"hearbeat":500}}', { sender: 'gateway' });
  const gateway = await createLocalGateway({ keys: ['good-key'], heartbeatInterval: 60000, guildCountInterval: 0 });
  const ready = createGatewayClient({ url: gateway.url, identify: { type: 'bot', key: 'good-key' }, onError: () => {} });
  await ready.start();
  const status = ready.status;
  await ready.stop();
  const refused = createGatewayClient({ url: gateway.url, identify: { type: 'bot', key: 'bad-key' }, onError: () => {} });
  const failure = await refused.start().then(() => undefined, (error) => error);
  await refused.stop();
  await gateway.close();
  console.log(JSON.stringify({
    resolved: [require.resolve('utilbot-gateway'), require.resolve('utilbot-gateway/testing')],
    hello,
    url: gateway.url,
    status,
    failure: { isGatewayError: failure instanceof GatewayError, code: failure && failure.code },
  }));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/**
 * A typed consumer, the same text as .mts and as .cts. The `@ts-expect-error` lines prove the types
 * are real: were a declaration file missing and an import typed `any`, they would be unused errors.
 */
const typedConsumer = `
import { decodeFrame, createGatewayClient, GatewayError, type GatewayClient } from 'utilbot-gateway';
import { createLocalGateway, type LocalGateway } from 'utilbot-gateway/testing';

export async function use(): Promise<number> {
  const hello = decodeFrame('{"op":5,"d":{"hearbeat":500}}', { sender: 'gateway' });
  const interval: number | undefined = hello._tag === 'Right' && hello.right.op === 5 ? hello.right.d.heartbeat : undefined;
  const gateway: LocalGateway = await createLocalGateway({ keys: ['k'] });
  const client: GatewayClient = createGatewayClient({ url: gateway.url, identify: { type: 'bot', key: 'k' } });
  const error = new GatewayError(4001, 'refused');
  const code: number | string = error.code;
  // @ts-expect-error port is a number
  await createLocalGateway({ port: 'eighty' });
  // @ts-expect-error identify needs a key
  createGatewayClient({ url: gateway.url, identify: { type: 'bot' } });
  await client.stop();
  await gateway.close();
  return (interval ?? 0) + gateway.port + String(code).length;
}
`;

interface Consumed {
  resolved: string[];
  hello: unknown;
  url: string;
  status: string;
  failure: { isGatewayError: boolean; code: unknown };
}

let work = '';
/** Consumer directories by layout: the package linked in, or unpacked from `npm pack`. */
const consumers = { linked: '', packed: '' };
/** The runtime dependencies the package declares. */
let dependencies: string[] = [];

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(path.join(tmpdir(), 'utilbot-gateway-exports-'));
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  dependencies = Object.keys(manifest.dependencies ?? {});

  // Linked: node_modules/utilbot-gateway is a symlink to the repository. Node and TypeScript follow
  // it to its real path, so the package's own dependencies come from the repository's node_modules.
  consumers.linked = consumerDir('linked');
  symlinkSync(repoRoot, path.join(consumers.linked, 'node_modules', 'utilbot-gateway'), 'dir');

  // Packed: exactly the files of the tarball, unpacked where an install puts them, with its
  // dependencies linked in beside it. Nothing of the repository is reachable from there but those.
  consumers.packed = consumerDir('packed');
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    killAfterMs: 60_000,
  });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${dump(pack)}`);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball:\n${dump(pack)}`);
  const unpacked = path.join(work, 'unpacked');
  mkdirSync(unpacked);
  const untar = await run('tar', ['-xzf', path.join(work, tarball), '-C', unpacked], { cwd: work });
  if (untar.code !== 0) throw new Error(`tar failed:\n${dump(untar)}`);
  renameSync(path.join(unpacked, 'package'), path.join(consumers.packed, 'node_modules', 'utilbot-gateway'));
  for (const name of dependencies) linkFromRepo(consumers.packed, name);
}, 120_000);

afterAll(async () => {
  await killAll();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** A consumer directory with its own package.json and `@types/node` (a TypeScript consumer has it). */
function consumerDir(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true }));
  linkFromRepo(dir, '@types/node');
  return dir;
}

function linkFromRepo(dir: string, name: string): void {
  symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
}

describe.each(['linked', 'packed'] as const)('the %s package', (layout) => {
  /** Where the package's files are, as Node reports resolved paths (real paths). */
  const packageRoot = (): string =>
    layout === 'linked'
      ? realpathSync(repoRoot)
      : realpathSync(path.join(consumers[layout], 'node_modules', 'utilbot-gateway'));

  async function consume(file: string, source: string): Promise<Consumed> {
    const dir = consumers[layout];
    writeFileSync(path.join(dir, file), source);
    const result = await run(node, [file], { cwd: dir, killAfterMs: 15_000 });
    expect({ code: result.code, err: result.err.join('\n') }).toEqual({ code: 0, err: '' });
    expect(result.out).toHaveLength(1);
    return JSON.parse(result.out[0]!) as Consumed;
  }

  function expectUsedForReal(consumed: Consumed): void {
    // decodeFrame accepts the docs' spelling `hearbeat` and hands back the interval.
    expect(consumed.hello).toEqual({ _tag: 'Right', right: { op: 5, d: { heartbeat: 500 } } });
    // createLocalGateway listened on a free port of 127.0.0.1, a client reached ready on it…
    expect(consumed.url).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(consumed.status).toBe('ready');
    // …and a refused key came back as the package's own GatewayError.
    expect(consumed.failure).toEqual({ isGatewayError: true, code: 4001 });
  }

  test('import from an ESM (.mjs) file resolves dist/esm and works', async () => {
    const consumed = await consume('consumer.mjs', esmConsumer);
    const root = packageRoot();
    expect(consumed.resolved).toEqual([
      `file://${path.join(root, 'dist/esm/index.js')}`,
      `file://${path.join(root, 'dist/esm/testing.js')}`,
    ]);
    expectUsedForReal(consumed);
  }, 20_000);

  test('require() from a CommonJS (.cjs) file resolves dist/cjs and works', async () => {
    const consumed = await consume('consumer.cjs', cjsConsumer);
    const root = packageRoot();
    expect(consumed.resolved).toEqual([
      path.join(root, 'dist/cjs/index.js'),
      path.join(root, 'dist/cjs/testing.js'),
    ]);
    expectUsedForReal(consumed);
  }, 20_000);

  test('a .mts and a .cts consumer type-check against the shipped declarations', async () => {
    const dir = consumers[layout];
    writeFileSync(path.join(dir, 'typed.mts'), typedConsumer);
    writeFileSync(path.join(dir, 'typed.cts'), typedConsumer);
    const result = await run(
      node,
      [
        tsc,
        '--noEmit',
        '--module',
        'node16',
        '--moduleResolution',
        'node16',
        '--target',
        'es2022',
        '--strict',
        '--types',
        'node',
        '--listFiles',
        'typed.mts',
        'typed.cts',
      ],
      { cwd: dir, killAfterMs: 60_000 },
    );
    // --listFiles prints one file per line; anything else is a diagnostic.
    const errors = [...result.out, ...result.err].filter((line) => !/\.(d\.)?[cm]?ts$/.test(line));
    expect({ code: result.code, errors }).toEqual({ code: 0, errors: [] });
    // The ESM consumer got the `import` declarations, the CommonJS one those beside
    // dist/cjs/package.json ({"type":"commonjs"}), which TypeScript reads as CommonJS.
    const root = realpathSync(layout === 'linked' ? repoRoot : packageRoot());
    const listed = result.out.map((line) => path.normalize(line));
    for (const declarations of [
      'dist/types/src/index.d.ts',
      'dist/types/src/testing/index.d.ts',
      'dist/cjs/types/src/index.d.ts',
      'dist/cjs/types/src/testing/index.d.ts',
    ])
      expect(listed).toContain(path.join(root, declarations));
  }, 60_000);
});

test('the tarball holds every file package.json points at', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    main: string;
    module: string;
    types: string;
    bin: Record<string, string>;
    exports: Record<string, unknown>;
  };
  const targets = new Set<string>([
    manifest.main,
    manifest.module,
    manifest.types,
    ...Object.values(manifest.bin),
  ]);
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.add(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  const unpacked = path.join(consumers.packed, 'node_modules', 'utilbot-gateway');
  const missing = [...targets].filter((target) => {
    try {
      readFileSync(path.join(unpacked, target));
      return false;
    } catch {
      return true;
    }
  });
  expect(missing).toEqual([]);
  expect(targets.size).toBeGreaterThanOrEqual(10);
});

test('the bin runs from the tarball (the CommonJS CLI bundle it loads is shipped)', async () => {
  const result = await run(
    node,
    ['node_modules/utilbot-gateway/bin/utilbot-gateway.cjs', 'serve', '--help'],
    {
      cwd: consumers.packed,
      killAfterMs: 10_000,
    },
  );
  expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: [] });
  expect(result.out[0]).toMatch(/^usage: utilbot-gateway serve\b/);
});
