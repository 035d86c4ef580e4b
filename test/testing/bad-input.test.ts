import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { dump, killAll, start, within as childWithin, type Child } from '../package/child.js';
import { cleanUp, connect, identifiedBot, startGateway, type TestClient } from './helpers.js';

/**
 * The local gateway never dies of what a client sends: a request target that is not a URL path,
 * counts whose sum leaves the safe integers. Each case is shown in-process (what the client sees)
 * and against `utilbot-gateway serve` in a child process of its own (that the process lives on:
 * an uncaught exception or an unhandled rejection ends a Node process, and jest would hide that).
 */

const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await cleanUp();
});
afterAll(killAll);

/**
 * Sends `GET <target>` with WebSocket upgrade headers over a plain TCP socket, as no WebSocket
 * library would let a test do, and resolves everything the server answered until it closed.
 */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    sockets.add(socket);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      sockets.delete(socket);
      resolve(answer);
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\n` +
        `Host: 127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}

const MAX = Number.MAX_SAFE_INTEGER;
const hugeReport = { op: 1, t: 'send_servers', d: { guilds: MAX, guildMembers: MAX, cachedGuildMembers: 1 } };

describe('a request target that is not a URL path', () => {
  it.each(['//x:99999', '//[::1', '//'])(
    '%s gets HTTP 400 and the gateway goes on serving others',
    async (target) => {
      const lines: string[] = [];
      const gateway = await startGateway({ log: (line) => lines.push(line) });
      const answer = await within(rawUpgrade(gateway.port, target), 'the answer to the bad target');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(gateway.connectionCount).toBe(0);
      expect(lines.some((line) => line.startsWith('rejected an upgrade: bad request target'))).toBe(true);

      const client = connect(`${gateway.url}/?v=1`);
      expect((await client.next()).op).toBe(5);
      expect(gateway.connectionCount).toBe(1);
    },
  );
});

describe('a bug met while serving one client', () => {
  // No input is known to make these callbacks throw any more; a throwing getter on the faults the
  // gateway reads stands in for the next such bug, to show the guard around each callback.
  function explosive(faults: object, name: string): void {
    Object.defineProperty(faults, name, {
      configurable: true,
      get() {
        throw new Error('boom\nsecond line');
      },
    });
  }

  it('while it reads a frame ends that connection only (op -1 1000, close 1011)', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ log: (line) => lines.push(line) });
    const broken = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await broken.next();
    explosive(connection.faults, 'ack');
    broken.heartbeat();
    expect(await broken.next()).toEqual({ op: -1, e: 1000, m: 'Unknown error.' });
    expect((await broken.closed).code).toBe(1011);
    expect(lines).toContain('#1 internal error in reading a frame: boom');

    const next = connect(`${gateway.url}/?v=1`);
    expect((await next.next()).op).toBe(5);
    next.heartbeat();
    expect(await next.next()).toEqual({ op: 11 });
  });

  it('while it sets a connection up drops that socket only', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ log: (line) => lines.push(line) });
    explosive(gateway.faults, 'hello');
    const broken = connect(`${gateway.url}/?v=1`);
    expect((await broken.closed).code).toBe(1006);
    expect(lines).toContain('#1 internal error while connecting: boom');

    Object.defineProperty(gateway.faults, 'hello', { value: true, writable: true });
    const next = connect(`${gateway.url}/?v=1`);
    expect((await next.next()).op).toBe(5);
  });

  it('in the log callback is ignored', async () => {
    const gateway = await startGateway({
      log: () => {
        throw new Error('the log is broken');
      },
    });
    const { client } = await identifiedBot(gateway);
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
  });
});

describe('counts whose sum leaves the safe integers', () => {
  it('saturate at Number.MAX_SAFE_INTEGER and still reach every bot', async () => {
    const gateway = await startGateway();
    const a = await identifiedBot(gateway);
    const b = await identifiedBot(gateway);
    a.client.send(hugeReport);
    await a.client.nextEvent('GLOBAL_GUILD_COUNT');
    await b.client.nextEvent('GLOBAL_GUILD_COUNT');
    b.client.send(hugeReport);
    const saturated = { guilds: MAX, guildMembers: MAX, cachedGuildMembers: 2 };
    expect((await a.client.nextEvent('GLOBAL_GUILD_COUNT')).d).toEqual(saturated);
    expect((await b.client.nextEvent('GLOBAL_GUILD_COUNT')).d).toEqual(saturated);
    expect(gateway.guildCount).toEqual(saturated);
    expect(a.connection.state).toBe('identified');
  });
});

describe('utilbot-gateway serve lives through bad input', () => {
  const root = join(__dirname, '../..');
  let serve: Child;
  let port = 0;

  beforeAll(async () => {
    serve = start(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0'], {
      cwd: root,
      killAfterMs: 60_000,
    });
    const listening = await serve.line(/^listening on /, 30_000);
    port = Number(/:(\d+) /.exec(listening)?.[1]);
  }, 40_000);

  /** Fails with the child's output when it is no longer running. */
  function expectAlive(): void {
    if (serve.process.exitCode !== null || serve.process.signalCode !== null)
      throw new Error(`serve exited:\n${dump(serve)}`);
  }

  async function bot(): Promise<TestClient> {
    const client = connect(`ws://127.0.0.1:${port}/?v=1`);
    expect((await client.next()).op).toBe(5);
    client.heartbeat();
    client.identify('local-dev-key');
    await client.nextEvent('bot_connect_success');
    return client;
  }

  it('a bad request target gets 400 and the next client is served', async () => {
    expect(await within(rawUpgrade(port, '//x:99999'), 'the answer')).toMatch(/^HTTP\/1\.1 400 /);
    const client = connect(`ws://127.0.0.1:${port}/?v=1`);
    expect((await client.next()).op).toBe(5);
    expectAlive();
  });

  it('two bots reporting MAX_SAFE_INTEGER guilds get the saturated sum, and serve lives on', async () => {
    const a = await bot();
    const b = await bot();
    a.send(hugeReport);
    await a.nextEvent('GLOBAL_GUILD_COUNT');
    await b.nextEvent('GLOBAL_GUILD_COUNT');
    b.send(hugeReport);
    const sum = await b.nextEvent('GLOBAL_GUILD_COUNT');
    expect(sum.d).toEqual({ guilds: MAX, guildMembers: MAX, cachedGuildMembers: 2 });
    // A crash would close both sockets: a third bot proves the process still serves.
    await bot();
    expectAlive();
  });

  it('stops cleanly on SIGINT with nothing on stderr', async () => {
    expectAlive();
    serve.process.kill('SIGINT');
    const exit = await childWithin(serve.exited, 10_000, 'serve to exit');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(serve.err).toEqual([]);
  });
});

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return childWithin(promise, 5_000, what);
}
