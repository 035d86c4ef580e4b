import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The quick soak (bench/soak.ts --quick: 500 sessions, each ended by a fault, gateway restarts,
 * heap and handles measured) as a child process with its own heap, as `npm run soak` runs it. It
 * takes about 20 s; the full 10,000-session run is `npm run soak` (docs/reliability.md, "Soak").
 */
const root = join(__dirname, '../..');

test('the quick soak keeps its bounds (heap growth, handles, no uncaught error)', async () => {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/soak.ts', '--quick'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the quick soak exited with ${String(code)}:\n${output}`);
  expect(output).toMatch(/^OK$/m);
}, 120_000);
