import { runServe } from '../../src/cli/serve.js';
import { createLocalGateway } from '../../src/testing/index.js';
import { cleanUp, connect, within } from './helpers.js';

afterEach(cleanUp);

/** Captures a command's lines and lets a test await one that matches. */
function capture(): {
  io: { out: (line: string) => void; err: (line: string) => void };
  out: string[];
  err: string[];
  line(pattern: RegExp): Promise<string>;
} {
  const out: string[] = [];
  const err: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    out,
    err,
    io: {
      out: (line) => {
        out.push(line);
        for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      },
      err: (line) => err.push(line),
    },
    line(pattern) {
      const seen = out.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return within(
        new Promise((resolve) => waiters.push({ pattern, resolve })),
        3_000,
        `a line matching ${String(pattern)}`,
      );
    },
  };
}

describe('utilbot-gateway serve', () => {
  it('prints where it listens, one line per connection event, and stops cleanly on abort', async () => {
    const lines = capture();
    const controller = new AbortController();
    const running = runServe(
      ['--port', '0', '--heartbeat-interval', '500', '--key', 'serve-s3cret', '--key', 'k2'],
      lines.io,
      controller.signal,
    );
    const listening = await lines.line(/^listening on ws:\/\/127\.0\.0\.1:\d+ /);
    expect(lines.out).toHaveLength(1);
    const url = /ws:\/\/[\d.]+:\d+/.exec(listening)![0];

    const client = connect(`${url}/?v=1`);
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 500 } });
    client.heartbeat();
    client.identify('serve-s3cret');
    expect((await client.nextEvent('bot_connect_success')).d).toMatchObject({ type: 'bot' });
    await lines.line(/^#1 identified as bot /);

    controller.abort();
    expect(await running).toBe(0);
    expect((await client.closed).code).toBe(1001);
    expect(lines.out.at(-1)).toBe('stopped');
    expect(lines.out.join('\n')).not.toMatch(/s3cret|k2/);
    expect(lines.err).toEqual([]);
  });

  it('honours --compression-form and --hello-field', async () => {
    const lines = capture();
    const controller = new AbortController();
    const running = runServe(
      ['--compression-form', 'stream', '--hello-field', 'heartbeat'],
      lines.io,
      controller.signal,
    );
    const url = /ws:\/\/[\d.]+:\d+/.exec(await lines.line(/^listening on /))![0];
    const client = connect(`${url}/?v=1&compression=zlib`, 'stream');
    expect(await client.next()).toEqual({ op: 5, d: { heartbeat: 60_000 } });
    controller.abort();
    expect(await running).toBe(0);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--heartbeat-interval', '0']],
    [['--heartbeat-interval', '1.5']],
    [['--compression-form', 'gzip']],
    [['--hello-field', 'beat']],
    [['--key', '']],
    [['--nope']],
    [['--port']],
  ])('rejects %j with one line on err and exit code 2', async (argv) => {
    const lines = capture();
    expect(await runServe(argv, lines.io, AbortSignal.abort())).toBe(2);
    expect(lines.err).toHaveLength(1);
    expect(lines.err[0]).toMatch(/^utilbot-gateway serve: .* \(see --help\)$/);
    expect(lines.out).toEqual([]);
  });

  it('never prints a stray positional argument: it may be a key', async () => {
    const lines = capture();
    expect(await runServe(['--port', '0', 'pasted-s3cret'], lines.io, AbortSignal.abort())).toBe(2);
    expect(lines.err).toEqual([
      'utilbot-gateway serve: serve takes no positional arguments (the argument is not shown: it may be a key) (see --help)',
    ]);
  });

  it('prints usage for --help and returns 0', async () => {
    const lines = capture();
    expect(await runServe(['--help'], lines.io)).toBe(0);
    expect(lines.out[0]).toMatch(/^usage: utilbot-gateway serve/);
    expect(lines.out[0]).toMatch(/--heartbeat-interval/);
  });

  it('returns 1 with one line when the port is taken', async () => {
    const taken = await createLocalGateway();
    try {
      const lines = capture();
      expect(await runServe(['--port', String(taken.port)], lines.io, AbortSignal.abort())).toBe(1);
      expect(lines.err).toHaveLength(1);
      expect(lines.err[0]).toMatch(/EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });

  it('starts and stops at once when the signal is already aborted', async () => {
    const lines = capture();
    expect(await runServe([], lines.io, AbortSignal.abort())).toBe(0);
    expect(lines.out[0]).toMatch(/^listening on ws:\/\/127\.0\.0\.1:\d+ .*development key/);
    expect(lines.out.at(-1)).toBe('stopped');
  });
});
