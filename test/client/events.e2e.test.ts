/**
 * What users of the peers expect on their first day, over real sockets against the local gateway:
 * events without a plugin (`on`, `events`), a bounded `start()`, and a calm connection status.
 */
import type { ConnectionChange, EventsOptions, GatewayEvent } from '../../src/index.js';
import { blackhole, cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

const counts = (n: number) => ({ guilds: n, guildMembers: n * 10, cachedGuildMembers: n });

/**
 * A ready client with an events(name, options) iterator nobody reads yet, and a count of the events
 * of that name that arrived (an on() handler): what a slow consumer's buffer is tested with.
 */
async function slowConsumer(name: string, options: EventsOptions) {
  const gw = await gateway();
  const c = client({ url: gw.url });
  await c.client.start();
  const events = c.client.events(name as 'big', options);
  let count = 0;
  c.client.on(name as 'big', () => {
    count++;
  });
  return { c, conn: gw.connections[0]!, events, arrived: () => count };
}

describe('events without a plugin', () => {
  test('on(name) gets typed data after the plugins, on("*") every event; unsubscribe stops them; a throw is isolated', async () => {
    const gw = await gateway();
    const order: string[] = [];
    const c = client({
      url: gw.url,
      plugins: [{ name: 'first', events: { GLOBAL_GUILD_COUNT: () => void order.push('plugin') } }],
    });
    const guilds: number[] = [];
    const all: string[] = [];
    c.client.on('GLOBAL_GUILD_COUNT', () => {
      throw new Error('handler bug');
    });
    const off = c.client.on('GLOBAL_GUILD_COUNT', (data) => {
      order.push('on');
      guilds.push(data.guilds); // typed: data is GlobalGuildCountData
    });
    c.client.on('*', (_data, name) => void all.push(name));
    await c.client.start();
    const conn = gw.connections[0]!;
    await conn.sendEvent('GLOBAL_GUILD_COUNT', counts(1));
    await conn.sendEvent('something_new', { x: 1 });
    await until(() => all.length >= 3, 2000, 'three events');
    off();
    await conn.sendEvent('GLOBAL_GUILD_COUNT', counts(2));
    await until(() => all.length >= 4, 2000, 'a fourth event');
    expect(guilds).toEqual([1]);
    expect(order).toEqual(['plugin', 'on', 'plugin']);
    expect(all).toEqual(['bot_connect_success', 'GLOBAL_GUILD_COUNT', 'something_new', 'GLOBAL_GUILD_COUNT']);
    expect(c.errors.map((e) => e.message)).toEqual([
      'PLUGIN_FAILED Plugin Failed: an event handler given to on() threw (its error is the cause)',
      'PLUGIN_FAILED Plugin Failed: an event handler given to on() threw (its error is the cause)',
    ]);
    expect(c.errors[0]?.cause).toEqual(new Error('handler bug'));
  });

  test('events(name) yields { name, data } in order; break, an aborted signal and stop() end it', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const conn = gw.connections[0]!;
    const seen: number[] = [];
    const loop = (async () => {
      for await (const event of c.client.events('GLOBAL_GUILD_COUNT')) {
        seen.push(event.data.guilds);
        if (seen.length === 3) break;
      }
    })();
    for (let i = 1; i <= 4; i++) await conn.sendEvent('GLOBAL_GUILD_COUNT', counts(i));
    await loop;
    expect(seen).toEqual([1, 2, 3]);

    const abort = new AbortController();
    const aborted = c.client.events('*', { signal: abort.signal });
    const first = aborted.next();
    abort.abort();
    await expect(first).resolves.toEqual({ value: undefined, done: true });

    const untilStop = (async () => {
      const names: string[] = [];
      for await (const event of c.client.events()) names.push(event.name);
      return names;
    })();
    const seenLate = new Promise<void>((resolve) => {
      const off = c.client.on('late', () => {
        off();
        resolve();
      });
    });
    await conn.sendEvent('late', {});
    await seenLate; // dispatched to the iterator in the same synchronous call
    await c.client.stop();
    await expect(untilStop).resolves.toEqual(['late']);
  });

  test('a failed session makes the iterator throw its reason', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const events = c.client.events();
    // The expectation is attached before the failure, so the rejection is never unhandled.
    const failed = expect(events.next()).rejects.toMatchObject({ code: 4001, fatal: true });
    await gw.connections[0]!.sendError(4001);
    await gw.connections[0]!.close(4001);
    await failed;
    await expect(events.next()).resolves.toEqual({ value: undefined, done: true });
  });

  test('a consumer slower than its buffer gets what waited, then EVENTS_OVERFLOW; nothing is dropped silently', async () => {
    const { c, conn, events, arrived } = await slowConsumer('GLOBAL_GUILD_COUNT', { buffer: 2 });
    for (let i = 1; i <= 3; i++) await conn.sendEvent('GLOBAL_GUILD_COUNT', counts(i));
    await until(() => arrived() === 3, 2000, 'three events arrived (the third overflows the buffer of 2)');
    const got: GatewayEvent[] = [];
    got.push((await events.next()).value as GatewayEvent);
    got.push((await events.next()).value as GatewayEvent);
    expect(got.map((e) => (e.data as { guilds: number }).guilds)).toEqual([1, 2]);
    await expect(events.next()).rejects.toMatchObject({ code: 'EVENTS_OVERFLOW' });
    await expect(events.next()).resolves.toMatchObject({ done: true });
    expect(() => c.client.events('*', { buffer: 0 })).toThrow(/buffer must be a positive integer/);
  });

  test('large events fill the buffer by their size too: a gateway cannot make a slow consumer hold buffer × maxPayload', async () => {
    const { c, conn, events, arrived } = await slowConsumer('big', { bufferBytes: 250_000 });
    const blob = 'x'.repeat(100_000);
    for (let i = 1; i <= 3; i++) await conn.sendEvent('big', { i, blob });
    await until(() => arrived() === 3, 2000, 'three events of 100 kB arrived (the third passes 250 kB)');
    expect(((await events.next()).value as GatewayEvent<'big', { i: number }>).data.i).toBe(1);
    expect(((await events.next()).value as GatewayEvent<'big', { i: number }>).data.i).toBe(2);
    await expect(events.next()).rejects.toMatchObject({
      code: 'EVENTS_OVERFLOW',
      message: expect.stringMatching(/more than 250000 bytes \(its bufferBytes\)/),
    });
    expect(() => c.client.events('*', { bufferBytes: 0 })).toThrow(/bufferBytes must be a positive integer/);
  });
});

describe('start() under the app’s control', () => {
  test('a timeout rejects with START_TIMEOUT while the client keeps trying; a bad timeout is refused', async () => {
    const hole = await blackhole();
    const c = client({ url: hole.url, timeouts: { connect: 60_000 } });
    const started = Date.now();
    await expect(c.client.start({ timeout: 150 })).rejects.toMatchObject({
      code: 'START_TIMEOUT',
      message: "START_TIMEOUT Start Timeout: no ready session within 150 ms (start's timeout)",
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(c.client.status).toBe('connecting');
    await expect(c.client.start({ timeout: 0 })).rejects.toThrow(/timeout must be 1 to 2147483647 ms/);
    await c.client.stop();
  });

  test('an aborted signal rejects with START_ABORTED; a ready session resolves and clears the timer', async () => {
    const hole = await blackhole();
    const c = client({ url: hole.url, timeouts: { connect: 60_000 } });
    const abort = new AbortController();
    const pending = c.client.start({ signal: abort.signal });
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'START_ABORTED' });
    await expect(c.client.start({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'START_ABORTED',
    });
    await c.client.stop();

    const gw = await gateway();
    const ok = client({ url: gw.url });
    await ok.client.start({ timeout: 5000, signal: new AbortController().signal });
    expect(ok.client.connection).toBe('connected');
  });
});

describe('a calm connection status', () => {
  test('connecting → connected → connecting (with reason and retryIn) → connected → disconnected, never at a heartbeat', async () => {
    const gw = await gateway({ heartbeatInterval: 100 });
    const c = client({ url: gw.url });
    const coarse: ConnectionChange[] = [];
    c.client.onConnection((change) => coarse.push(change));
    expect(c.client.connection).toBe('disconnected');
    await c.client.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    // Several heartbeats: the fine status flickered, the coarse one did not.
    expect(c.statuses().filter((s) => s === 'heartbeat-pending').length).toBeGreaterThanOrEqual(3);
    expect(coarse.map((x) => x.connection)).toEqual(['connecting', 'connected']);
    const again = c.next('ready');
    gw.connections[0]!.drop();
    await again;
    await c.client.stop();
    expect(coarse.map((x) => `${x.previous}→${x.connection}`)).toEqual([
      'disconnected→connecting',
      'connecting→connected',
      'connected→connecting',
      'connecting→connected',
      'connected→disconnected',
    ]);
    expect(coarse[2]).toMatchObject({ status: 'reconnecting', reason: { code: 'SOCKET_CLOSED' } });
    expect(typeof coarse[2]?.retryIn).toBe('number');
    expect(c.client.connection).toBe('disconnected');
  });
});

describe('retries under the app’s control', () => {
  test('reconnect() skips a long backoff wait, and from ready opens a new connection without counting a retry', async () => {
    const gw = await gateway();
    const hooks: string[] = [];
    const c = client({
      url: gw.url,
      reconnect: { minDelay: 60_000, maxDelay: 60_000, jitter: 0 },
      plugins: [
        {
          name: 'pairs',
          onReady: () => void hooks.push('ready'),
          onDisconnect: (reason) => void hooks.push(`disconnect ${String(reason.code)}`),
        },
      ],
    });
    await c.client.start();
    const waiting = c.next('reconnecting');
    gw.connections[0]!.drop();
    expect((await waiting).retryIn).toBe(60_000);
    const started = Date.now();
    const ready = c.next('ready');
    c.client.reconnect();
    await ready;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(gw.connectionCount).toBe(2);

    const again = c.next('ready');
    c.client.reconnect(); // from ready: a fresh socket at once, the old one closed first
    await again;
    expect(gw.connectionCount).toBe(3);
    expect((await gw.connections[1]!.closed).code).toBe(1000);
    expect(gw.openConnectionCount).toBe(1);
    expect(c.client.actor.getSnapshot().context.retries).toBe(1);
    // Every onReady has its onDisconnect, the one reconnect() caused from ready included.
    expect(hooks).toEqual([
      'ready',
      'disconnect SOCKET_CLOSED',
      'ready',
      'disconnect SOCKET_CLOSED',
      'ready',
    ]);
  });

  test('reconnect: false fails the session at the first connection that ends, naming its reason', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, reconnect: false });
    await c.client.start();
    const failed = c.next('failed');
    gw.connections[0]!.drop();
    const change = await failed;
    expect(change.reason?.code).toBe('RETRIES_EXHAUSTED');
    expect(change.reason?.message).toMatch(
      /gave up after 0 retries .*last: the connection closed with code 1006/,
    );
    expect(gw.connectionCount).toBe(1);
    expect(() => client({ url: gw.url, reconnect: { shouldRetry: 'no' as never } })).toThrow(
      /reconnect.shouldRetry must be a function/,
    );
  });

  test('reconnect.shouldRetry decides per failure; false fails with that reason, a throw is reported and retries', async () => {
    const gw = await gateway();
    const asked: string[] = [];
    let answer: boolean | 'throw' = 'throw';
    const c = client({
      url: gw.url,
      reconnect: {
        minDelay: 10,
        shouldRetry: (reason, retries) => {
          asked.push(`${String(reason.code)}#${retries}`);
          if (answer === 'throw') throw new Error('policy bug');
          return answer;
        },
      },
    });
    await c.client.start();
    const retried = c.next('ready');
    await gw.connections[0]!.close(4002);
    await retried;
    expect(c.errors.map((e) => e.code)).toEqual(['PLUGIN_FAILED']);
    answer = false;
    const failed = c.next('failed');
    await gw.connections[1]!.close(4002);
    const change = await failed;
    expect(asked).toEqual(['4002#1', '4002#2']);
    expect(change).toMatchObject({ previous: 'ready', reason: { code: 4002, fatal: true } });
    // Listeners never saw a retry that was not made.
    expect(c.statuses().filter((s) => s === 'reconnecting')).toHaveLength(1);
    expect(gw.connectionCount).toBe(2);
  });
});
