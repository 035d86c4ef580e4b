import { main } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    new AbortController().signal,
    {},
  );
  return { code, out, err };
}

describe('command-line arguments', () => {
  test.each([['start'], ['connect'], ['serve']])(
    '%s never echoes a stray positional (it may be a key)',
    async (command) => {
      const args = command === 'serve' ? [] : ['--url', 'ws://127.0.0.1:9'];
      const result = await run([command, ...args, 'SECRET-KEY-X']);
      expect(result.code).toBe(2);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(/takes no positional arguments/);
      expect([...result.out, ...result.err].join('\n')).not.toContain('SECRET-KEY-X');
    },
  );

  test('connect needs --url and a key; a bad --compression is refused', async () => {
    expect((await run(['connect'])).err[0]).toMatch(/--url is required/);
    expect((await run(['connect', '--url', 'ws://127.0.0.1:9'])).err[0]).toMatch(
      /--key or UTILBOT_KEY is required/,
    );
    expect((await run(['start', '--compression', 'gzip'])).err[0]).toMatch(/--compression takes only 'zlib'/);
  });

  test('unknown commands and flags exit 2 with one line', async () => {
    const unknown = await run(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([expect.stringMatching(/unknown command 'launch'/)]);
    const flag = await run(['connect', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.err).toEqual(["utilbot-gateway connect: Unknown option '--nope' (see --help)"]);
  });

  test.each([['start'], ['connect'], ['serve']])(
    '%s never echoes a key glued to its flag, or 8 characters of an unknown option',
    async (command) => {
      const key = 'SECRETKEYX0123';
      const glued = await run([command, `--key${key}`]);
      expect(glued.code).toBe(2);
      expect(glued.err).toEqual([
        `utilbot-gateway ${command}: unknown option starting with --key (the rest is not shown: it may be a key; write --key=VALUE or --key VALUE) (see --help)`,
      ]);
      const unknown = await run([command, `--k${key}`]);
      expect(unknown.err).toEqual([
        `utilbot-gateway ${command}: Unknown option '--k${key.slice(0, 6)}…' (cut: it may hold a key) (see --help)`,
      ]);
      expect([...glued.err, ...unknown.err].join('\n')).not.toContain(key.slice(0, 8));
    },
  );
});
