import type { GatewayPlugin } from '../../src/index.js';
import { cleanUp, client, figure, gateway, proxy, sleep, until } from './helpers.js';

afterEach(cleanUp);

const SLACK = 150;

describe('a slow network', () => {
  test('latency below the interval (40 % of it each way): no false zombie over four intervals', async () => {
    const interval = 1000;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const c = client({ url: p.url });
    await c.client.start();
    p.latency(0.4 * interval);
    const beatsBefore = gw.connections[0]!.heartbeats;
    await sleep(4 * interval);
    expect(c.statuses()).not.toContain('reconnecting');
    expect(p.connectionCount).toBe(1);
    expect(gw.connectionCount).toBe(1);
    // The heartbeat kept its pace (every 950 ms) and its round trip shows the added latency.
    expect(gw.connections[0]!.heartbeats - beatsBefore).toBeGreaterThanOrEqual(3);
    const rtt = c.client.latency ?? 0;
    figure('latency 400 ms each way: heartbeat round trip (ms)', rtt);
    expect(rtt).toBeGreaterThanOrEqual(2 * 0.4 * interval - 1);
    expect(rtt).toBeLessThan(0.95 * interval);
    expect(c.errors).toEqual([]);
  });

  test('a round trip longer than the heartbeat period is a zombie: detected within two intervals', async () => {
    const interval = 400;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const c = client({ url: p.url });
    await c.client.start();
    await c.next('ready', 2000); // an ACK just came
    const reconnecting = c.next('reconnecting', 3000);
    const slowed = performance.now();
    p.latency(0.6 * interval); // 480 ms round trip > 380 ms between heartbeats
    const change = await reconnecting;
    const detectedIn = performance.now() - slowed;
    figure('latency 240 ms each way, interval 400: zombie after (ms)', detectedIn);
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    expect(detectedIn).toBeLessThanOrEqual(2 * interval + SLACK);
  });

  test('bandwidth: a 64 KiB event through 128 KiB/s arrives slower, but whole', async () => {
    const gw = await gateway();
    const p = await proxy(gw.url);
    const arrivals: { at: number; size: number }[] = [];
    const plugin: GatewayPlugin = {
      name: 'big',
      events: {
        big: (data) => {
          arrivals.push({ at: performance.now(), size: (data as { blob: string }).blob.length });
        },
      },
    };
    const c = client({ url: p.url, plugins: [plugin] });
    await c.client.start();
    const blob = 'x'.repeat(64 * 1024);
    const connection = gw.connections[0]!;

    let sent = performance.now();
    await connection.sendEvent('big', { blob });
    await until(() => arrivals.length === 1, 2000, 'the event, unthrottled');
    const fast = arrivals[0]!.at - sent;

    p.bandwidth(128 * 1024, 'downstream');
    sent = performance.now();
    await connection.sendEvent('big', { blob });
    await until(() => arrivals.length === 2, 5000, 'the event, throttled');
    const slow = arrivals[1]!.at - sent;
    figure('64 KiB event: unthrottled (ms)', fast);
    figure('64 KiB event at 128 KiB/s (ms)', slow);
    expect(arrivals[1]!.size).toBe(blob.length);
    // 64 KiB at 128 KiB/s is 500 ms on the wire.
    expect(slow).toBeGreaterThanOrEqual(450);
    expect(slow).toBeLessThan(500 + 1000);
    expect(fast).toBeLessThan(slow / 2);
    expect(c.statuses()).not.toContain('reconnecting');
  });
});
