import type { FaultProxy } from '../../src/testing/index.js';
import type { Recorded } from '../client/helpers.js';
import { cleanUp, client, figure, gateway, isReady, proxy, until } from './helpers.js';

afterEach(cleanUp);

/** Slack on an upper bound, for timers firing late on a machine busy with other test workers. */
const SLACK = 150;

/**
 * A ready client whose proxy then swallows everything: the client's close frame is never answered,
 * so each socket it closes waits out `timeouts.close` before it is destroyed.
 */
async function silentPeer(close?: number): Promise<{ c: Recorded; p: FaultProxy }> {
  const gw = await gateway();
  const p = await proxy(gw.url);
  const c = client({ url: p.url, ...(close === undefined ? {} : { timeouts: { close } }) });
  await c.client.start();
  p.blackhole();
  return { c, p };
}

/** How long `stop()` takes, ms. */
async function timeStop(c: Recorded): Promise<number> {
  const begun = performance.now();
  await c.client.stop();
  return performance.now() - begun;
}

describe('timeouts.close: the close grace of a socket whose peer is silent', () => {
  test('with timeouts.close 100, stop() against a silent peer resolves after about 100 ms', async () => {
    const { c, p } = await silentPeer(100);
    const took = await timeStop(c);
    figure('close grace 100: stop() took (ms)', took);
    expect(c.client.status).toBe('stopped');
    // It did wait for the close frame (the peer really was silent), then destroyed the socket.
    expect(took).toBeGreaterThanOrEqual(100 - 5);
    expect(took).toBeLessThan(100 + SLACK + 200);
    await until(() => p.openConnectionCount === 0, 2000, 'the destroyed socket to count as closed');
  });

  test('by default, stop() against a silent peer waits out the 1 s grace', async () => {
    const { c } = await silentPeer();
    const took = await timeStop(c);
    figure('close grace default: stop() took (ms)', took);
    expect(c.client.status).toBe('stopped');
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(1000 + SLACK + 500);
  });

  test('with timeouts.close 100, a dead connection is replaced about 100 ms after it is detected', async () => {
    const interval = 200;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const c = client({
      url: p.url,
      timeouts: { close: 100 },
      reconnect: { minDelay: 10, maxDelay: 10, jitter: 0 },
    });
    await c.client.start();
    p.blackhole();
    await c.next('reconnecting', 2000);
    const detected = performance.now();
    await until(() => p.connectionCount === 2, 2000, 'the next connection attempt');
    const nextAfter = performance.now() - detected;
    figure('close grace 100: next socket opened after detection (ms)', nextAfter);
    expect(nextAfter).toBeGreaterThanOrEqual(100 - 5);
    expect(nextAfter).toBeLessThanOrEqual(100 + 10 + SLACK + 200);
    // Still never two sockets at once.
    expect(p.maxOpenConnectionCount).toBe(1);
    p.heal();
    await until(() => isReady(c.client.status), 3000, 'ready after heal');
  });
});
