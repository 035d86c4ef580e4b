import { get } from 'node:http';
import WebSocket from 'ws';
import { createLocalGateway, localGatewayDefaults } from '../../src/testing/index.js';
import { cleanUp, connect, identifiedBot, startGateway, within } from './helpers.js';

afterEach(cleanUp);

/** Counts of the handles that could keep a process alive. */
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPServerWrap' || kind === 'TCPSocketWrap' || kind === 'Timeout' || kind === 'ZlibHandle')
      counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('the local gateway', () => {
  it('listens on 127.0.0.1 at a free port by default', async () => {
    const gateway = await startGateway();
    expect(gateway.host).toBe('127.0.0.1');
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.url).toBe(`ws://127.0.0.1:${gateway.port}`);
  });

  it('counts connections so far and open ones', async () => {
    const gateway = await startGateway();
    const a = connect(`${gateway.url}/?v=1`);
    const b = connect(`${gateway.url}/?v=1`);
    await Promise.all([a.next(), b.next()]);
    expect(gateway.connectionCount).toBe(2);
    expect(gateway.openConnectionCount).toBe(2);
    a.ws.close();
    await gateway.connections[0]!.closed;
    expect(gateway.connectionCount).toBe(2);
    expect(gateway.openConnectionCount).toBe(1);
  });

  it('hands out connections in arrival order, also those that came before the ask', async () => {
    const gateway = await startGateway();
    const a = connect(`${gateway.url}/?v=1&which=a`);
    await a.next();
    const b = connect(`${gateway.url}/?v=1&which=b`);
    await b.next();
    expect((await gateway.nextConnection()).query.get('which')).toBe('a');
    expect((await gateway.nextConnection()).number).toBe(2);
    await expect(gateway.nextConnection(30)).rejects.toThrow(/no connection came within 30 ms/);
  });

  it('answers plain HTTP with 426', async () => {
    const gateway = await startGateway();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`http://127.0.0.1:${gateway.port}/`, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(426);
  });

  it('close() ends every connection (1001; silent ones destroyed) and leaves nothing open', async () => {
    const before = openHandles();
    const gateway = await createLocalGateway({ compressionForm: 'stream', guildCountInterval: 50 });
    const bot = await identifiedBot(gateway);
    const silent = await identifiedBot(gateway);
    silent.connection.goSilent();
    const zlib = connect(`${gateway.url}/?v=1&compression=zlib`, 'stream');
    await zlib.next();
    gateway.faults.helloDelay = 60_000; // its Hello is held back: a pending timer at close
    const waiting = connect(`${gateway.url}/?v=1`);
    await waiting.opened;

    await gateway.close();
    expect(await bot.client.closed).toEqual({ code: 1001, reason: 'Gateway closing.' });
    expect((await silent.client.closed).code).toBe(1006);
    expect((await zlib.closed).code).toBe(1001);
    expect(gateway.openConnectionCount).toBe(0);
    expect((await waiting.closed).code).toBe(1001);
    expect(gateway.connections.map((c) => c.state)).toEqual(['closed', 'closed', 'closed', 'closed']);
    // Connections that arrived before the close are still handed out; then the handout ends.
    expect((await gateway.nextConnection()).number).toBe(3);
    expect((await gateway.nextConnection()).number).toBe(4);
    await expect(gateway.nextConnection()).rejects.toThrow(/the local gateway closed/);
    await gateway.close(); // idempotent

    const refused = new WebSocket(gateway.url);
    const error = new Promise<Error>((resolve) => refused.once('error', resolve));
    const refusedClosed = new Promise((resolve) => refused.once('close', resolve));
    expect((await within(error, 2_000, 'the refused connection')).message).toMatch(/ECONNREFUSED/);
    await within(refusedClosed, 2_000, 'the refused close');
    // Nothing of this test is left; handles older than the test (another file's timer in this
    // worker) may have ended meanwhile, so each count may only have gone down.
    const after = openHandles();
    for (const kind of Object.keys(after)) expect(after[kind]).toBeLessThanOrEqual(before[kind] ?? 0);
  });

  it('rejects options it cannot honour with a one-line RangeError', async () => {
    await expect(createLocalGateway({ heartbeatInterval: 0 })).rejects.toThrow(RangeError);
    await expect(createLocalGateway({ keys: [] })).rejects.toThrow(/keys/);
    await expect(createLocalGateway({ port: 70_000 })).rejects.toThrow(/port/);
    await expect(createLocalGateway({ compressionForm: 'gzip' as 'stream' })).rejects.toThrow(
      /compressionForm/,
    );
    await expect(createLocalGateway({ heartbeatInterval: 2 ** 31 })).rejects.toThrow(/exceed/);
  });

  it('rejects when the port is taken', async () => {
    const gateway = await startGateway();
    await expect(createLocalGateway({ port: gateway.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('logs one line per connection event and never a key', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ keys: ['s3cret-key'], log: (line) => lines.push(line) });
    const good = await identifiedBot(gateway, 's3cret-key');
    const bad = connect(`${gateway.url}/?v=1`);
    await bad.next();
    bad.identify('other-s3cret');
    await bad.closed;
    await gateway.connections[1]!.closed;
    good.client.ws.close();
    await good.connection.closed;
    expect(lines.some((line) => line.startsWith('#1 connected from 127.0.0.1'))).toBe(true);
    expect(lines).toContain(`#1 identified as bot ${good.botId}`);
    expect(lines.some((line) => line.startsWith('#2 error 4001'))).toBe(true);
    expect(lines.some((line) => line.startsWith('#2 closed 4001'))).toBe(true);
    expect(lines.some((line) => line.startsWith('#1 closed 1005'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/s3cret/);
    for (const line of lines) expect(line).not.toContain('\n');
  });

  it('keeps each log line one line, whatever the client names its events', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ log: (line) => lines.push(line) });
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    client.send({ op: 1, t: 'evil\n#9 identified as bot forged', d: {} });
    client.heartbeat();
    await client.next();
    expect(lines).toContain('#1 ignored evil\\u000a#9 identified as bot forged before identify');
    expect(lines.filter((line) => line.startsWith('#9'))).toEqual([]);
  });

  it('closes with 1009 when a frame is over maxPayload', async () => {
    const gateway = await startGateway({ maxPayload: 64 });
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    client.send({ op: 1, t: 'send_servers', d: { guildIds: Array.from({ length: 20 }, String) } });
    expect((await client.closed).code).toBe(1009);
  });

  it('documents its defaults in one object', () => {
    expect(localGatewayDefaults).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      keys: ['local-dev-key'],
      heartbeatInterval: 60_000,
      helloField: 'hearbeat',
      compressionForm: 'per-message',
    });
  });
});
