/**
 * The published command, run as a user runs it (`node bin/utilbot-gateway.cjs`, the built CommonJS
 * bundle behind it), driven from outside: plain `ws` clients that know only protocol.md, and the
 * command's own output and exit codes.
 */
import path from 'node:path';
import { buildOnce, repoRoot } from './build-once.js';
import { dump, killAll, run, start, within, type Child } from './child.js';
import { connect, terminateAll, type Frame, type PlainClient } from './plain-client.js';

const bin = path.join(repoRoot, 'bin', 'utilbot-gateway.cjs');
const KEY = 'KEY1';
/** Short, so a missing heartbeat shows within the test (the gateway allows 1000 ms of grace). */
const INTERVAL = 500;

const cli = (args: string[], killAfterMs?: number): Child =>
  start(process.execPath, [bin, ...args], { cwd: repoRoot, killAfterMs: killAfterMs ?? 20_000 });
const runCli = (args: string[]) =>
  run(process.execPath, [bin, ...args], { cwd: repoRoot, killAfterMs: 10_000 });

/** Stops a long-running command as Ctrl-C does and returns how it ended. */
async function interrupt(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  child.process.kill('SIGINT');
  return within(child.exited, 10_000, 'the command to exit after SIGINT');
}

function printedKey(child: { out: readonly string[]; err: readonly string[] }, key: string): string[] {
  return [...child.out, ...child.err].filter((line) => line.includes(key));
}

let serve: Child;
let url = '';

beforeAll(async () => {
  await buildOnce();
  serve = cli(['serve', '--port', '0', '--heartbeat-interval', String(INTERVAL), '--key', KEY], 50_000);
  const listening = await serve.line(/^listening on /);
  const port = /^listening on ws:\/\/127\.0\.0\.1:(\d+) /.exec(listening)?.[1];
  if (port === undefined)
    throw new Error(`serve does not say where it listens on 127.0.0.1:\n${dump(serve)}`);
  url = `ws://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  terminateAll();
  await killAll();
});

/** Opens a connection (`?v=1`) and takes its Hello. */
async function hello(): Promise<{ client: PlainClient; hello: Frame }> {
  const client = connect(`${url}/?v=1`);
  return { client, hello: await client.next() };
}

/** A bot through the whole documented handshake, heartbeating from then on. */
async function identifiedBot(key = KEY): Promise<PlainClient> {
  const { client, hello: first } = await hello();
  expect(first).toEqual({ op: 5, d: { hearbeat: INTERVAL } });
  client.beat(INTERVAL);
  expect(await client.next()).toEqual({ op: 11 });
  client.send({ op: 1, t: 'identify', d: { type: 'bot', key } });
  const success = await client.nextWhere((frame) => frame.op !== 11);
  expect(success).toMatchObject({ op: 0, t: 'bot_connect_success' });
  return client;
}

/**
 * Waits for a GLOBAL_GUILD_COUNT carrying `sum`. Others are skipped: the gateway also broadcasts the
 * count every 30 s, and a slow machine may see one of those first.
 */
async function guildCount(client: PlainClient, sum: Record<string, number>): Promise<void> {
  const same = (d: unknown): boolean => JSON.stringify(d) === JSON.stringify(sum);
  await client.nextWhere((frame) => frame.op === 0 && frame.t === 'GLOBAL_GUILD_COUNT' && same(frame.d));
}

describe('utilbot-gateway serve, driven by plain clients', () => {
  test('Hello → heartbeat → ACK → identify → bot_connect_success → send_servers → GLOBAL_GUILD_COUNT with the sum', async () => {
    const first = await identifiedBot();
    first.send({ op: 1, t: 'send_servers', d: { guilds: 3, guildMembers: 30, cachedGuildMembers: 20 } });
    await guildCount(first, { guilds: 3, guildMembers: 30, cachedGuildMembers: 20 });

    const second = await identifiedBot();
    second.send({ op: 1, t: 'send_servers', d: { guilds: 4, guildMembers: 40, cachedGuildMembers: 25 } });
    const sum = { guilds: 7, guildMembers: 70, cachedGuildMembers: 45 };
    await guildCount(second, sum);
    await guildCount(first, sum);

    await first.close();
    // The first bot's report stops counting when its connection ends.
    await guildCount(second, { guilds: 4, guildMembers: 40, cachedGuildMembers: 25 });
    await second.close();
  });

  /** Each documented mistake: the op -1 frame with the code, then a close with the same code. */
  async function expectRejected(client: PlainClient, code: number): Promise<Frame> {
    const error = await client.nextWhere((frame) => frame.op !== 11, 5_000);
    expect(error).toMatchObject({ op: -1, e: code });
    expect(typeof error.m).toBe('string');
    expect((await within(client.closed, 5_000, 'the close')).code).toBe(code);
    return error;
  }

  test('a wrong version (v=2) gets 4000', async () => {
    await expectRejected(connect(`${url}/?v=2`), 4000);
  });

  test('a wrong key gets 4001, and the key is not echoed', async () => {
    const { client } = await hello();
    client.beat(INTERVAL);
    client.send({ op: 1, t: 'identify', d: { type: 'bot', key: 'NOT-THE-KEY' } });
    const error = await expectRejected(client, 4001);
    expect(JSON.stringify(error)).not.toContain('NOT-THE-KEY');
  });

  test('a frame without op gets 4003', async () => {
    const { client } = await hello();
    client.send({ t: 'identify', d: { type: 'bot', key: KEY } });
    await expectRejected(client, 4003);
  });

  test.each([-1, 0, 5, 11])('receive-only opcode %i gets 4004', async (op) => {
    const { client } = await hello();
    client.send({ op });
    await expectRejected(client, 4004);
  });

  test('text that is not JSON gets 4005', async () => {
    const { client } = await hello();
    client.sendText('{"op":10');
    await expectRejected(client, 4005);
  });

  test('an identify without a key gets 4007, naming what is missing', async () => {
    const { client } = await hello();
    client.beat(INTERVAL);
    client.send({ op: 1, t: 'identify', d: { type: 'bot' } });
    const error = await expectRejected(client, 4007);
    expect(error.d).toMatchObject({ errors: ['Key not provided.'] });
  });

  test('no heartbeat gets 4006 once the next one was due', async () => {
    const started = Date.now();
    const { client } = await hello();
    await expectRejected(client, 4006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(INTERVAL);
  });
});

describe('utilbot-gateway connect', () => {
  test('prints ready and the GLOBAL_GUILD_COUNT events it receives; Ctrl-C exits 0; the key is never printed', async () => {
    const client = cli(['connect', '--url', url, '--key', KEY]);
    await client.line(/\bready\b/);
    // Another bot's report changes the sum, so the gateway sends GLOBAL_GUILD_COUNT to every bot.
    const reporter = await identifiedBot();
    reporter.send({ op: 1, t: 'send_servers', d: { guilds: 5, guildMembers: 50, cachedGuildMembers: 30 } });
    await client.line(/ event GLOBAL_GUILD_COUNT \{"guilds":5,"guildMembers":50,"cachedGuildMembers":30\}$/);
    await reporter.close();
    expect(await interrupt(client)).toEqual({ code: 0, signal: null });
    expect(printedKey(client, KEY)).toEqual([]);
    expect(client.err).toEqual([]);
  });

  test('a wrong key exits 1 with one line on stderr naming 4001, without the key', async () => {
    const result = await runCli(['connect', '--url', url, '--key', 'WRONG-KEY-123']);
    expect({ code: result.code, err: result.err }).toEqual({
      code: 1,
      err: [expect.stringMatching(/\b4001\b/)],
    });
    expect(printedKey(result, 'WRONG-KEY-123')).toEqual([]);
  });
});

describe('the command line', () => {
  test.each(['start', 'connect', 'serve'])('%s --help exits 0 with its usage', async (command) => {
    const result = await runCli([command, '--help']);
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: [] });
    expect(result.out[0]).toMatch(new RegExp(`^usage: utilbot-gateway ${command}\\b`));
  });

  test('--help alone exits 0 with the command list', async () => {
    const result = await runCli(['--help']);
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: [] });
    expect(result.out.join('\n')).toMatch(/serve/);
  });

  test.each(['start', 'connect', 'serve'])(
    '%s with a bad flag exits 2 with a one-line error',
    async (command) => {
      const result = await runCli([command, '--no-such-flag']);
      expect({ code: result.code, out: result.out }).toEqual({ code: 2, out: [] });
      expect(result.err).toEqual([expect.stringMatching(/Unknown option '--no-such…'/)]);
    },
  );

  test('an unknown command exits 2 with a one-line error', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/frobnicate/)]);
  });
});

// Last: the gateway every test above used.
test('serve stops on Ctrl-C with exit 0 and never printed the key', async () => {
  expect(await interrupt(serve)).toEqual({ code: 0, signal: null });
  expect(serve.out.at(-1)).toBe('stopped');
  expect(serve.err).toEqual([]);
  expect(printedKey(serve, KEY)).toEqual([]);
  // It did log the connections it served, one line each.
  expect(serve.out.filter((line) => /^#\d+ identified as bot /.test(line)).length).toBeGreaterThanOrEqual(3);
});
