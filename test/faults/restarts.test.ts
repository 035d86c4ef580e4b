import type { StatusChange } from '../../src/index.js';
import { createLocalGateway, type LocalGateway } from '../../src/testing/index.js';
import { cleanUp, client, figure, isReady, KEY, onCleanUp, proxy, sleep, until } from './helpers.js';

afterEach(cleanUp);

const SLACK = 150;
const backoff = { minDelay: 20, factor: 2, maxDelay: 320, jitter: 0, minUptime: 5000 };

/** The waits the machine must plan for retries 1, 2, …, none of them reset (minUptime is never reached). */
const expectedWaits = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.min(backoff.maxDelay, backoff.minDelay * backoff.factor ** i));

const waitsOf = (changes: readonly StatusChange[]): number[] =>
  changes.filter((change) => change.status === 'reconnecting').map((change) => change.retryIn ?? -1);

describe('a gateway that keeps going away', () => {
  test('restarted every 300 ms on the same port: growing capped waits, never two sockets, ready at the end', async () => {
    const start = (port = 0): Promise<LocalGateway> =>
      createLocalGateway({ keys: [KEY], heartbeatInterval: 60_000, port });
    let gw = await start();
    const port = gw.port;
    const gateways = [gw];
    onCleanUp(async () => {
      await Promise.all(gateways.map((g) => g.close()));
    });
    const p = await proxy({ host: '127.0.0.1', port });
    const c = client({ url: p.url, reconnect: backoff });
    await c.client.start();

    for (let i = 0; i < 6; i++) {
      await gw.close();
      await sleep(200);
      gw = await start(port);
      gateways.push(gw);
      await sleep(100);
    }
    const stable = performance.now();
    await until(() => isReady(c.client.status), 3000, 'ready after the last restart');
    const readyIn = performance.now() - stable;

    const waits = waitsOf(c.changes);
    figure('restarts: planned waits (ms)', waits);
    figure('restarts: ready after the gateway stayed up (ms)', readyIn);
    expect(waits.length).toBeGreaterThanOrEqual(6);
    expect(waits).toEqual(expectedWaits(waits.length));
    expect(Math.max(...waits)).toBe(backoff.maxDelay);
    // At most one capped wait, then a handshake.
    expect(readyIn).toBeLessThanOrEqual(backoff.maxDelay + SLACK + 200);
    expect(p.maxOpenConnectionCount).toBe(1);
  });

  test('partitioned and healed in a loop: the same growing waits, never two sockets, ready at the end', async () => {
    const gw = await createLocalGateway({ keys: [KEY], heartbeatInterval: 60_000 });
    onCleanUp(() => gw.close());
    const p = await proxy(gw.url);
    const c = client({ url: p.url, reconnect: backoff });
    await c.client.start();

    for (let i = 0; i < 6; i++) {
      p.partition();
      await sleep(200);
      p.heal();
      await sleep(100);
    }
    const healed = performance.now();
    await until(() => isReady(c.client.status), 3000, 'ready after the last heal');
    const readyIn = performance.now() - healed;

    const waits = waitsOf(c.changes);
    figure('partitions: planned waits (ms)', waits);
    figure('partitions: refused connections', p.refusedConnectionCount);
    figure('partitions: ready after the last heal (ms)', readyIn);
    expect(waits.length).toBeGreaterThanOrEqual(6);
    expect(waits).toEqual(expectedWaits(waits.length));
    expect(readyIn).toBeLessThanOrEqual(backoff.maxDelay + SLACK + 200);
    expect(p.maxOpenConnectionCount).toBe(1);
    expect(gw.openConnectionCount).toBe(1);
  });
});
