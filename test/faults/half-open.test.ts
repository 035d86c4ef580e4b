import { cleanUp, client, figure, gateway, isReady, proxy, until } from './helpers.js';

afterEach(cleanUp);

/**
 * Slack on a bound, for timers firing late on a machine busy with other test workers. It is added
 * to a bound that is already the protocol's worst case, never used to hide a missed one.
 */
const SLACK = 150;

describe('a half-open connection (the proxy swallows everything, sockets stay open)', () => {
  test('is detected within two heartbeat intervals, and a new session is ready soon after it heals', async () => {
    const interval = 400;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const c = client({
      url: p.url,
      timeouts: { connect: 300, hello: 300, identify: 300 },
      reconnect: { minDelay: 20, factor: 2, maxDelay: 100, jitter: 0 },
    });
    await c.client.start();
    // The worst case: the network dies just after an ACK came. The next heartbeat goes out 95 % of
    // an interval later and is lost; its ACK is missed when the one after is due, 95 % later again.
    await c.next('ready', 2000); // from heartbeat-pending: an ACK just came
    const reconnecting = c.next('reconnecting', 4000);
    const cut = performance.now();
    p.blackhole();
    const change = await reconnecting;
    const detectedIn = performance.now() - cut;
    figure('half-open: detected after (ms, interval 400)', detectedIn);
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    expect(detectedIn).toBeGreaterThanOrEqual(0.95 * interval);
    expect(detectedIn).toBeLessThanOrEqual(2 * interval + SLACK);

    // Still dark: connection attempts are accepted and swallowed, so each one times out.
    await until(() => p.connectionCount >= 2, 3000, 'a connection attempt into the blackhole');
    expect(isReady(c.client.status)).toBe(false);
    const healed = performance.now();
    p.heal();
    await until(() => isReady(c.client.status), 3000, 'a new session after heal');
    const recoveredIn = performance.now() - healed;
    figure('half-open: ready again after heal (ms, maxDelay 100)', recoveredIn);
    // At most one backoff wait (maxDelay) and a handshake: heal resets the swallowed attempt.
    expect(recoveredIn).toBeLessThanOrEqual(100 + 300 + SLACK);
    expect(gw.connections[gw.connections.length - 1]?.identified).toBe(true);
    expect(p.maxOpenConnectionCount).toBe(1);
  });

  test('the dead socket is closed within the close grace, before the next one opens', async () => {
    const interval = 200;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const c = client({ url: p.url, reconnect: { minDelay: 10, maxDelay: 10, jitter: 0 } });
    await c.client.start();
    p.blackhole();
    await c.next('reconnecting', 2000);
    const detected = performance.now();
    // The client's close frame is swallowed too: it waits out its one-second grace, destroys the
    // socket, and only then opens the next one.
    await until(() => p.connectionCount === 2, 3000, 'the next connection attempt');
    const nextAfter = performance.now() - detected;
    figure('half-open: next socket opened after detection (ms)', nextAfter);
    expect(nextAfter).toBeGreaterThanOrEqual(1000 - 50);
    expect(nextAfter).toBeLessThanOrEqual(1000 + 10 + SLACK + 200);
    expect(p.maxOpenConnectionCount).toBe(1);
    p.heal();
    await until(() => isReady(c.client.status), 3000, 'ready after heal');
  });
});
