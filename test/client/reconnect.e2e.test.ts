import { cleanUp, client, gateway, refusedUrl } from './helpers.js';

afterEach(cleanUp);

describe('reconnecting over real sockets', () => {
  test('zombie socket: a gateway that stops ACKing is left within two intervals, and a new session follows', async () => {
    const gw = await gateway({ heartbeatInterval: 100, faults: { enforceHeartbeat: false } });
    const c = client({ url: gw.url });
    await c.client.start();
    const first = gw.connections[0]!;
    first.faults.ack = false;
    const stoppedAcking = Date.now();
    const change = await c.next('reconnecting', 2000);
    const noticed = Date.now() - stoppedAcking;
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    expect(noticed).toBeLessThanOrEqual(2 * 100 + 50);
    await c.next('ready', 2000);
    expect(gw.connectionCount).toBe(2);
    await first.closed;
    expect(gw.openConnectionCount).toBe(1);
  });

  test('half-open gateway (silent, socket open): detected, the dead socket is destroyed, ready again', async () => {
    const gw = await gateway({ heartbeatInterval: 100 });
    const c = client({ url: gw.url });
    await c.client.start();
    const first = gw.connections[0]!;
    first.goSilent();
    const change = await c.next('reconnecting', 2000);
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    await c.next('ready', 2000);
    const info = await first.closed;
    expect(info.code).toBeGreaterThan(0);
  });

  test('delays grow by factor and are capped at maxDelay', async () => {
    const url = await refusedUrl();
    const c = client({
      url,
      reconnect: { minDelay: 20, factor: 2, maxDelay: 100, jitter: 0, maxRetries: 6 },
    });
    await expect(c.client.start()).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED' });
    const waits = c.changes.filter((x) => x.status === 'reconnecting').map((x) => x.retryIn);
    expect(waits).toEqual([20, 40, 80, 100, 100, 100]);
    const connects = c.changes.filter((x) => x.status === 'connecting').length;
    expect(connects).toBe(7);
  });

  test('the delays are real: connections are spaced by at least the planned wait', async () => {
    const gw = await gateway();
    gw.faults.hello = false;
    const times: number[] = [];
    const c = client({
      url: gw.url,
      timeouts: { hello: 10 },
      reconnect: { minDelay: 40, factor: 2, jitter: 0, maxRetries: 3 },
    });
    c.client.subscribe((change) => change.status === 'connecting' && times.push(Date.now()));
    await expect(c.client.start()).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED' });
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps).toHaveLength(3);
    [40, 80, 160].forEach((wait, i) => expect(gaps[i]).toBeGreaterThanOrEqual(wait + 10 - 2));
    expect(gw.connectionCount).toBe(4);
  });

  test('maxRetries 3 means at most 4 connections', async () => {
    const gw = await gateway();
    gw.faults.hello = false;
    const c = client({ url: gw.url, timeouts: { hello: 10 }, reconnect: { minDelay: 1, maxRetries: 3 } });
    const error = await c.client.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RETRIES_EXHAUSTED', fatal: true });
    expect(gw.connectionCount).toBe(4);
    expect(c.client.status).toBe('failed');
  });

  test('minUptime: a gateway that accepts and drops at once meets a growing delay; a session that lasts resets it', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, reconnect: { minDelay: 20, factor: 2, jitter: 0, minUptime: 300 } });
    await c.client.start();
    const drop = async (): Promise<number | undefined> => {
      gw.connections[gw.connections.length - 1]!.drop();
      const change = await c.next('reconnecting');
      await c.next('ready');
      return change.retryIn;
    };
    expect(await drop()).toBe(20);
    expect(await drop()).toBe(40);
    expect(await drop()).toBe(80);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await drop()).toBe(20);
  });

  test('a gateway restart: the client comes back to ready on the same port', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, reconnect: { minDelay: 30, maxDelay: 60 } });
    await c.client.start();
    const port = gw.port;
    await gw.close();
    await c.next('reconnecting');
    const again = await gateway({ port });
    await c.next('ready', 3000);
    expect(again.connectionCount).toBe(1);
  });
});
