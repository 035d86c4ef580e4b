/**
 * A gateway that bends the protocol, over real sockets (found by an adversarial probe): a stray ACK
 * before Hello, and an error frame whose message is megabytes long.
 */
import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

describe('a hostile gateway', () => {
  test('an ACK before Hello does not date the suspend check: a healthy connection stays up', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const c = client({ url: gw.url });
    void c.client.start().catch(() => undefined);
    const conn = await gw.nextConnection();
    await conn.sendRaw('{"op":11}'); // no heartbeat was sent: nothing to answer
    // Longer than two of the intervals below: the ACK would read as a suspended process.
    await new Promise((resolve) => setTimeout(resolve, 120));
    await conn.send({ op: 5, d: { heartbeat: 40 } });
    // Three heartbeats answered: each is heartbeat-pending → ready.
    await until(
      () => c.changes.filter((x) => x.status === 'ready' && x.previous === 'heartbeat-pending').length >= 3,
      3000,
      'three answered heartbeats',
    );
    expect(c.statuses()).not.toContain('reconnecting');
    expect(c.errors.map((error) => error.code)).not.toContain('ZOMBIE_CONNECTION');
  });

  test('a megabyte error message is cut to what a reason keeps, the key hidden in what is left', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, reconnect: false });
    await c.client.start();
    const failed = c.next('failed');
    await gw.connections[0]!.sendError(4005, { message: `${KEY} ${'\\'.repeat(4 * 1024 * 1024)}` });
    const change = await failed;
    const message = change.reason?.message ?? '';
    expect(message).toMatch(/… \(4194\d{3} characters\)$/);
    expect(message.length).toBeLessThan(2100);
    expect(message).toContain('[key]');
    expect(message).not.toContain(KEY.slice(0, 8));
  });
});
