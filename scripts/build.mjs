// Builds the package: ESM and CommonJS bundles of each entry (esbuild) and declarations (tsc).
// CommonJS output lives under dist/cjs/ beside a package.json that says so, so Node and
// TypeScript (module: node16/nodenext) read both the .js files and the .d.ts files there as CommonJS.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const entries = { index: 'src/index.ts', testing: 'src/testing/index.ts', cli: 'src/cli/main.ts' };
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: entries, outdir: 'dist/esm', format: 'esm' }),
  build({ ...common, entryPoints: entries, outdir: 'dist/cjs', format: 'cjs' }),
]);
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
cpSync('dist/types', 'dist/cjs/types', { recursive: true });
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
console.log('built dist/esm, dist/cjs and dist/types');
