import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

/** Freezes this process's timers and I/O while the wall clock runs on, as a suspended laptop would. */
function suspend(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: nothing else in this process runs
  }
}

describe('a suspended process', () => {
  test('on resume, an ACK older than two intervals means reconnect at once, not one interval later', async () => {
    const gw = await gateway({ heartbeatInterval: 100 });
    const c = client({ url: gw.url, reconnect: { minDelay: 10 } });
    await c.client.start();
    await until(() => c.client.status === 'ready' && c.client.latency !== undefined, 2000, 'an ACK');
    const reconnecting = c.next('reconnecting', 2000);
    suspend(450);
    const resumed = Date.now();
    const change = await reconnecting;
    expect(Date.now() - resumed).toBeLessThan(60);
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    expect(change.reason?.message).toMatch(/suspended/);
    await c.next('ready', 2000);
    expect(gw.connectionCount).toBe(2);
  });

  test('an ordinary busy moment shorter than an interval does not reconnect', async () => {
    const gw = await gateway({ heartbeatInterval: 200 });
    const c = client({ url: gw.url });
    await c.client.start();
    suspend(120);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(c.statuses()).not.toContain('reconnecting');
    expect(gw.connectionCount).toBe(1);
  });
});
