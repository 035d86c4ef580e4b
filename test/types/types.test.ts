import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * The type tests whose declarations are global to a compilation (declaration merging, strict
 * events) live in folders with their own tsconfig, excluded from the root one: this runs tsc on each.
 * (test/types/*.types.ts are checked by the root tsconfig, i.e. `npm run typecheck`.)
 */

const root = join(__dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

interface TscRun {
  readonly code: number;
  readonly output: string;
}

function runTsc(folder: string): Promise<TscRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsc, '--pretty', 'false', '-p', `test/types/${folder}/tsconfig.json`],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

// Started at once, side by side: each run takes a few seconds.
const runs = new Map(['merged', 'strict'].map((folder) => [folder, runTsc(folder)] as const));
const run = (folder: string): Promise<TscRun> => runs.get(folder)!;

describe('type tests with their own tsconfig', () => {
  test.each(['merged', 'strict'])(
    'tsc -p test/types/%s/tsconfig.json exits 0',
    async (folder) => {
      const { code, output } = await run(folder);
      expect(output).toBe('');
      expect(code).toBe(0);
    },
    60_000,
  );
});
