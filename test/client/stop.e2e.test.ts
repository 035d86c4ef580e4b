import { blackhole, cleanUp, client, gateway, refusedUrl } from './helpers.js';

afterEach(cleanUp);

async function settled(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe('stop() over real sockets', () => {
  test('stop while ready: the socket closes with 1000 and stop() resolves after it', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const conn = gw.connections[0]!;
    await c.client.stop();
    expect(c.client.status).toBe('stopped');
    const info = await conn.closed;
    expect(info.code).toBe(1000);
    expect(gw.openConnectionCount).toBe(0);
  });

  test.each(['connecting', 'awaiting-hello', 'identifying', 'reconnecting'] as const)(
    'stop while %s: stopped, start() rejects with STOPPED, nothing reconnects',
    async (state) => {
      const gw = await gateway({ faults: { hello: state !== 'awaiting-hello', botConnectSuccess: false } });
      const hole = await blackhole();
      const url = state === 'connecting' ? hole.url : state === 'reconnecting' ? await refusedUrl() : gw.url;
      const c = client({ url, reconnect: { minDelay: 10_000 } });
      const reached = c.next(state);
      const started = c.client.start();
      await reached;
      await c.client.stop();
      await expect(started).rejects.toMatchObject({ code: 'STOPPED' });
      expect(c.client.status).toBe('stopped');
      const connections = gw.connectionCount;
      await settled();
      expect(gw.connectionCount).toBe(connections);
      expect(gw.openConnectionCount).toBe(0);
    },
  );

  test('stop while failed, then start() starts over', async () => {
    const gw = await gateway({ keys: ['other'] });
    const c = client({ url: gw.url });
    await expect(c.client.start()).rejects.toMatchObject({ code: 4001 });
    await c.client.stop();
    expect(c.client.status).toBe('stopped');
    const again = client({ url: gw.url, identify: { type: 'bot', key: 'other' } });
    await again.client.start();
    await again.client.stop();
    await again.client.start();
    expect(again.client.status).toBe('ready');
    expect(gw.connectionCount).toBe(3);
  });

  test('stop twice and stop before start are harmless', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.stop();
    expect(c.client.status).toBe('stopped');
    await c.client.start();
    await Promise.all([c.client.stop(), c.client.stop()]);
    expect(c.client.status).toBe('stopped');
    expect(gw.openConnectionCount).toBe(0);
  });
});
