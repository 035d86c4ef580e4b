import { connect } from 'node:net';
import { createFaultProxy } from '../../src/testing/index.js';
import { cleanUp, echoServer, proxy, sleep, tcpClient, until } from './helpers.js';

afterEach(cleanUp);

/** The proxy over plain TCP, against an echo server: what each fault does to bytes and sockets. */
describe('createFaultProxy', () => {
  test('transparent by default: bytes and a FIN pass both ways; counters; the url', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    expect(p.url).toBe(`ws://127.0.0.1:${p.port}`);
    const c = await tcpClient(p.port);
    c.socket.write('hello');
    await c.receivedBytes(5);
    expect(c.received().toString()).toBe('hello');
    expect(p.connectionCount).toBe(1);
    expect(p.openConnectionCount).toBe(1);
    c.socket.end();
    expect(await c.closed).toBe('end');
    await until(() => p.openConnectionCount === 0, 2000, 'the connection to close');
    expect(p.maxOpenConnectionCount).toBe(1);
  });

  test('a URL target: its host and port are used, its scheme kept', async () => {
    const echo = await echoServer();
    const p = await proxy(`wss://127.0.0.1:${echo.port}/?v=1`);
    expect(p.url).toBe(`wss://127.0.0.1:${p.port}`);
    const c = await tcpClient(p.port);
    c.socket.write('x');
    await c.receivedBytes(1);
  });

  test('latency delays each direction by its own amount, and keeps bytes in order', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    p.latency(100, 'downstream');
    let sent = performance.now();
    c.socket.write('a');
    const oneWay = (await c.receivedBytes(1)) - sent;
    p.latency(100);
    sent = performance.now();
    for (const piece of ['b', 'c', 'd']) c.socket.write(piece);
    const bothWays = (await c.receivedBytes(4)) - sent;
    expect(c.received().toString()).toBe('abcd');
    expect(oneWay).toBeGreaterThanOrEqual(99);
    expect(oneWay).toBeLessThan(100 + 400);
    expect(bothWays).toBeGreaterThanOrEqual(199);
    expect(bothWays).toBeLessThan(200 + 400);
    expect(p.conditions.upstream.latency).toBe(100);
  });

  test('bandwidth: 40 KiB at 80 KiB/s takes about half a second, and arrives whole', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    p.bandwidth(80 * 1024, 'downstream');
    const data = Buffer.alloc(40 * 1024, 7);
    const sent = performance.now();
    c.socket.write(data);
    const took = (await c.receivedBytes(data.length)) - sent;
    expect(c.received().equals(data)).toBe(true);
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(500 + 1000);
  });

  test('blackhole: bytes and FINs are swallowed both ways, sockets stay open; heal resets the broken link', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    c.socket.write('before');
    await c.receivedBytes(6);
    p.blackhole();
    c.socket.write('lost');
    echo.sockets[0]!.end(); // the target hangs up: the client must not hear it
    await sleep(200);
    expect(c.received().toString()).toBe('before');
    expect(c.ended()).toBeUndefined();
    expect(c.socket.destroyed).toBe(false);
    expect(p.openConnectionCount).toBe(1);
    // A new connection is accepted, but swallowed too.
    const d = await tcpClient(p.port);
    d.socket.write('ping');
    await sleep(100);
    expect(d.received().length).toBe(0);
    expect(d.ended()).toBeUndefined();
    p.heal();
    expect(await c.closed).toBe('error:ECONNRESET');
    expect(await d.closed).toBe('error:ECONNRESET');
    // Healed: a new connection is transparent again.
    const e = await tcpClient(p.port);
    e.socket.write('back');
    await e.receivedBytes(4);
    expect(p.conditions.blackhole).toBe(false);
  });

  test('blackhole: a link that swallowed nothing survives heal', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    c.socket.write('a');
    await c.receivedBytes(1);
    p.blackhole();
    p.heal();
    c.socket.write('b');
    await c.receivedBytes(2);
    expect(c.ended()).toBeUndefined();
  });

  test('reset cuts both sides with an RST and still accepts new connections', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    c.socket.write('a');
    await c.receivedBytes(1);
    const target = echo.sockets[0]!;
    const targetClosed = new Promise<boolean>((resolve) => target.on('close', resolve));
    p.reset();
    expect(await c.closed).toBe('error:ECONNRESET');
    expect(await targetClosed).toBe(true); // closed with an error: the target saw the RST too
    expect(p.openConnectionCount).toBe(0);
    const d = await tcpClient(p.port);
    d.socket.write('b');
    await d.receivedBytes(1);
  });

  test('partition cuts current connections and refuses new ones until heal', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    p.partition();
    expect(await c.closed).toBe('error:ECONNRESET');
    for (let i = 0; i < 3; i++) {
      const refused = await tcpClient(p.port);
      expect(await refused.closed).toBe('error:ECONNRESET');
    }
    expect(p.refusedConnectionCount).toBe(3);
    expect(p.connectionCount).toBe(4);
    expect(echo.sockets).toHaveLength(1); // nothing reached the target during the partition
    p.heal();
    const d = await tcpClient(p.port);
    d.socket.write('ok');
    await d.receivedBytes(2);
    expect(p.maxOpenConnectionCount).toBe(1);
  });

  test('maxOpenConnectionCount counts client connections open at the same time', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const a = await tcpClient(p.port);
    const b = await tcpClient(p.port);
    await until(() => p.openConnectionCount === 2, 2000, 'two open connections');
    a.socket.destroy();
    b.socket.destroy();
    await until(() => p.openConnectionCount === 0, 2000, 'no open connection');
    expect(p.maxOpenConnectionCount).toBe(2);
  });

  test('a target that refuses: the client is reset', async () => {
    const echo = await echoServer();
    await echo.close();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    const c = await tcpClient(p.port);
    expect(await c.closed).toBe('error:ECONNRESET');
  });

  test('close() leaves nothing open, and is idempotent', async () => {
    const echo = await echoServer();
    const p = await createFaultProxy({ target: { host: '127.0.0.1', port: echo.port } });
    const c = await tcpClient(p.port);
    p.latency(50);
    c.socket.write('in flight');
    await Promise.all([p.close(), p.close()]);
    expect(await c.closed).toBe('error:ECONNRESET');
    await until(() => echo.sockets.every((s) => s.destroyed), 2000, 'the target side to close');
    const refused = connect({ host: '127.0.0.1', port: p.port });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => refused.on('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });

  test('bad values are refused with a RangeError', async () => {
    const echo = await echoServer();
    const p = await proxy({ host: '127.0.0.1', port: echo.port });
    expect(() => p.latency(-1)).toThrow(RangeError);
    expect(() => p.latency(Number.NaN)).toThrow(RangeError);
    expect(() => p.bandwidth(0)).toThrow(RangeError);
    expect(() => p.bandwidth(Infinity)).not.toThrow();
  });
});
