import { inspect } from 'node:util';
import { blackhole, cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

describe('client handshake over a real socket', () => {
  test('reaches ready: heartbeat first, then identify; status walks the documented names', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    expect(c.client.status).toBe('ready');
    expect(c.statuses()).toEqual(['connecting', 'awaiting-hello', 'identifying', 'ready']);
    const conn = gw.connections[0]!;
    expect(conn.identified).toBe(true);
    expect(conn.query.get('v')).toBe('1');
    const ops = conn.frames.map((f) => f.frame?.op);
    expect(ops.slice(0, 2)).toEqual([10, 1]);
    expect(conn.frames[1]?.frame).toMatchObject({ op: 1, t: 'identify', d: { type: 'bot', key: KEY } });
  });

  test('the client object: prototype getters that read through a Proxy, bound own methods, no key in sight', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const proxied = new Proxy(c.client, {});
    expect(proxied.status).toBe('ready');
    expect(proxied.plugins).toEqual(c.client.plugins);
    expect(proxied.latency).toBe(c.client.latency);
    // The getters are the class's, shared by every client; the methods are own and bound.
    const prototype = Object.getPrototypeOf(c.client) as object;
    for (const name of ['status', 'plugins', 'latency'])
      expect(typeof Object.getOwnPropertyDescriptor(prototype, name)?.get).toBe('function');
    expect(Object.keys(c.client)).toEqual(
      expect.arrayContaining(['start', 'stop', 'send', 'use', 'remove', 'subscribe', 'actor']),
    );
    // Nothing a user may print of the client holds the key.
    expect(inspect(c.client, { showHidden: true, depth: 6 })).not.toContain(KEY);
    const spy = jest.spyOn(c.client, 'status', 'get').mockReturnValue('failed');
    expect(c.client.status).toBe('failed');
    spy.mockRestore();
    expect(c.client.status).toBe('ready');
    // Methods are own properties: passed around unbound, they still work.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the point: it needs no binding
    const { stop } = c.client;
    await stop();
    expect(c.client.status).toBe('stopped');
  });

  test('heartbeats keep a session alive for several intervals and latency is measured', async () => {
    const gw = await gateway({ heartbeatInterval: 100 });
    const c = client({ url: gw.url });
    await c.client.start();
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect(c.client.status === 'ready' || c.client.status === 'heartbeat-pending').toBe(true);
    expect(gw.connections).toHaveLength(1);
    expect(gw.connections[0]!.heartbeats).toBeGreaterThanOrEqual(5);
    expect(c.client.latency).toBeGreaterThanOrEqual(0);
    expect(c.statuses()).toContain('heartbeat-pending');
  });

  test('send_servers reaches the gateway and GLOBAL_GUILD_COUNT reaches the plugin, typed', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const seen: unknown[] = [];
    const c = client({
      url: gw.url,
      plugins: [{ name: 'counts', events: { GLOBAL_GUILD_COUNT: (data) => void seen.push(data) } }],
    });
    c.client.send('send_servers', { guilds: 3, guildMembers: 30, cachedGuildMembers: 20 });
    await c.client.start();
    await until(() => seen.length > 0, 2000, 'GLOBAL_GUILD_COUNT');
    expect(seen[0]).toEqual({ guilds: 3, guildMembers: 30, cachedGuildMembers: 20 });
  });

  test('connect timeout: a server that never completes the handshake → reconnecting', async () => {
    const hole = await blackhole();
    const c = client({ url: hole.url, timeouts: { connect: 150 } });
    const started = Date.now();
    void c.client.start().catch(() => undefined);
    const change = await c.next('reconnecting');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(change.reason?.code).toBe('CONNECT_TIMEOUT');
  });

  test('hello timeout: a gateway that withholds Hello → reconnecting', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const c = client({ url: gw.url, timeouts: { hello: 150 } });
    void c.client.start().catch(() => undefined);
    const change = await c.next('reconnecting');
    expect(change.reason?.code).toBe('HELLO_TIMEOUT');
    expect(c.statuses()).toEqual(['connecting', 'awaiting-hello', 'reconnecting']);
  });

  test('identify timeout: a gateway that withholds bot_connect_success → reconnecting', async () => {
    const gw = await gateway({ faults: { botConnectSuccess: false } });
    const c = client({ url: gw.url, timeouts: { identify: 150 } });
    void c.client.start().catch(() => undefined);
    const change = await c.next('reconnecting');
    expect(change.reason?.code).toBe('IDENTIFY_TIMEOUT');
  });

  test('a Hello without a positive interval → reconnecting at once', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const c = client({ url: gw.url });
    void c.client.start().catch(() => undefined);
    const conn = await gw.nextConnection();
    await c.next('awaiting-hello');
    await conn.sendRaw('{"op":5,"d":{"hearbeat":0}}');
    const change = await c.next('reconnecting', 1000);
    expect(change.reason?.code).toBe('HELLO_MALFORMED');
  });

  test('the Hello field spelled as in the prose (heartbeat) works too', async () => {
    const gw = await gateway({ helloField: 'heartbeat', heartbeatInterval: 1234 });
    const c = client({ url: gw.url });
    await c.client.start();
    expect(c.client.actor.getSnapshot().context.heartbeatInterval).toBe(1234);
  });
});
