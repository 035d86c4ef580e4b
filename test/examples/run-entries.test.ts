import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, gateway, KEY } from '../client/helpers.js';

/**
 * The runnable entries (examples/run-*.ts) as a person runs them: a Node process with tsx, stopped
 * with Ctrl-C (SIGINT). Each must exit 0 after a clean stop.
 */

afterEach(cleanUp);

const root = join(__dirname, '../..');

interface Finished {
  readonly code: number | null;
  readonly out: string[];
  readonly err: string;
}

/** Runs `examples/<file>`; sends SIGINT once a stdout line matches `interruptAt`; killed after 15 s. */
function runEntry(file: string, args: readonly string[], interruptAt: RegExp): Promise<Finished> {
  const env = { ...process.env };
  delete env.UTILBOT_KEY;
  const child = spawn(process.execPath, ['--import', 'tsx', join('examples', file), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  let err = '';
  let partial = '';
  let interrupted = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    out.push(...lines);
    if (!interrupted && lines.some((line) => interruptAt.test(line))) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(killer);
      if (partial !== '') out.push(partial);
      resolve({ code, out, err });
    });
  });
}

describe('examples/run-*.ts', () => {
  test('run-stats-bot.ts --url --key: reports, prints the count, stops on Ctrl-C with exit 0', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const result = await runEntry('run-stats-bot.ts', ['--url', gw.url, '--key', KEY], /^GLOBAL_GUILD_COUNT/);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('GLOBAL_GUILD_COUNT: 12 guilds, 3400 members (2900 cached)');
    expect(result.out.at(-1)).toBe('stopped after 1 session(s) and 1 count(s)');
    // The key stays out of what the example prints.
    expect(result.out.join('\n')).not.toContain(KEY);
  }, 20_000);

  test('run-guild-count.ts with no --url: its own local gateway and a changing bot; Ctrl-C exits 0', async () => {
    const result = await runEntry('run-guild-count.ts', [], /^\[guild-count\] guilds: first count/);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/^local gateway at ws:\/\/127\.0\.0\.1:\d+$/);
    expect(result.out.at(-1)).toMatch(/^stopped; the most guilds seen: \d+$/);
  }, 20_000);
});

describe("README's first example", () => {
  test('examples/first-client.ts runs against the local gateway: connected, the count, events; Ctrl-C exits 0', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const env = { ...process.env, UTILBOT_URL: gw.url, UTILBOT_KEY: KEY };
    const child = spawn(process.execPath, ['--import', 'tsx', join('examples', 'first-client.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      // One Ctrl-C: a second one ends a Node process at once, as it should.
      if (!interrupted && out.includes('event GLOBAL_GUILD_COUNT')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(killer);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('connecting');
    expect(lines).toEqual(
      expect.arrayContaining([
        'connected',
        'all bots: 12 guilds',
        'event GLOBAL_GUILD_COUNT',
        'disconnected',
      ]),
    );
    expect(out).not.toContain(KEY);
  }, 20_000);

  test('the README shows that file, as an application imports it', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const file = readFileSync(join(root, 'examples/first-client.ts'), 'utf8').replace(
      "from '../src/index.js'",
      "from 'utilbot-gateway'",
    );
    expect(readme).toContain(`\`\`\`ts\n${file}\`\`\``);
  });
});
