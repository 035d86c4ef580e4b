import { createHook } from 'node:async_hooks';
import { GatewayError, serverStats, type PluginLogger, type SendServersData } from '../../src/index.js';
import type { LocalGatewayConnection } from '../../src/testing/index.js';
import { cleanUp, client, gateway, until } from '../client/helpers.js';

afterEach(cleanUp);

/**
 * Every timer created from now on and not ended yet (jest's own left out: its reporter shares the
 * process), by where it was made. Ended timers are reported asynchronously: poll.
 */
function trackTimers(): { pending(): string[]; stop(): void } {
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (!stack.includes('/node_modules/@jest/')) live.set(id, stack.split('\n').slice(4, 10).join('\n'));
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return { pending: () => [...live.values()], stop: () => void hook.disable() };
}

/** How many `setInterval` timers made from now on are not cleared. */
function trackIntervals(): { active(): number; stop(): void } {
  const active = new Set<unknown>();
  const realSet = globalThis.setInterval;
  const realClear = globalThis.clearInterval;
  const set = jest.spyOn(globalThis, 'setInterval').mockImplementation((...args) => {
    const handle = realSet(...args);
    active.add(handle);
    return handle;
  });
  const clear = jest.spyOn(globalThis, 'clearInterval').mockImplementation((handle) => {
    active.delete(handle);
    realClear(handle);
  });
  return {
    active: () => active.size,
    stop() {
      set.mockRestore();
      clear.mockRestore();
    },
  };
}

/** The code of what `call` throws (`undefined` when it does not throw). */
function thrownCode(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

/** The `send_servers` data a connection received, in order. */
const reports = (connection: LocalGatewayConnection): unknown[] =>
  connection.frames.flatMap((f) => (f.frame?.op === 1 && f.frame.t === 'send_servers' ? [f.frame.d] : []));

const counts = (guilds: number): SendServersData => ({
  guilds,
  guildMembers: guilds * 10,
  cachedGuildMembers: 1,
});

/** A client logger that keeps its lines. */
function lines(): PluginLogger & { readonly all: string[] } {
  const all: string[] = [];
  const keep = (level: string) => (line: string) => void all.push(`${level} ${line}`);
  return { all, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

describe('serverStats over real sockets', () => {
  test('reports on ready, then every interval; the gateway sums the latest report', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    let guilds = 0;
    const c = client({
      url: gw.url,
      plugins: [serverStats({ interval: 25, stats: () => counts(++guilds) })],
    });
    await c.client.start();
    const connection = gw.connections[0]!;
    await until(() => reports(connection).length >= 3, 2000, 'three reports');
    expect(reports(connection).slice(0, 3)).toEqual([counts(1), counts(2), counts(3)]);
    // The first report follows identify: it was sent on ready, not queued before it.
    const identifyAt = connection.frames.findIndex((f) => f.frame?.op === 1 && f.frame.t === 'identify');
    const firstReportAt = connection.frames.findIndex(
      (f) => f.frame?.op === 1 && f.frame.t === 'send_servers',
    );
    expect(identifyAt).toBeGreaterThanOrEqual(0);
    expect(firstReportAt).toBeGreaterThan(identifyAt);
    await until(() => gw.guildCount.guilds >= 3, 2000, 'the gateway to count the reports');
    expect(c.errors).toEqual([]);
  });

  test('interval 0 reports on each ready only, a new session included; stats may be async', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    let calls = 0;
    const c = client({
      url: gw.url,
      plugins: [serverStats({ interval: 0, stats: () => Promise.resolve(counts(++calls)) })],
    });
    await c.client.start();
    await until(() => reports(gw.connections[0]!).length === 1, 2000, 'the ready report');
    const again = c.next('ready');
    gw.connections[0]!.drop();
    await again;
    await until(
      () => gw.connections[1] !== undefined && reports(gw.connections[1]).length === 1,
      2000,
      'report 2',
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(reports(gw.connections[0]!)).toEqual([counts(1)]);
    expect(reports(gw.connections[1]!)).toEqual([counts(2)]);
    expect(calls).toBe(2);
  });

  test('a failing report is reported and the next tick still runs', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const log = lines();
    let call = 0;
    const c = client({
      url: gw.url,
      logger: log,
      plugins: [
        serverStats({
          interval: 20,
          stats: () => {
            call++;
            if (call === 1) throw new Error('stats unavailable');
            if (call === 2) return Promise.reject(new Error('shard busy'));
            if (call === 3) return { guilds: -1, guildMembers: 0, cachedGuildMembers: 0 }; // no Count
            return counts(call);
          },
        }),
      ],
    });
    await c.client.start();
    await until(() => reports(gw.connections[0]!).length >= 1, 2000, 'a report after the failures');
    expect(reports(gw.connections[0]!)[0]).toEqual(counts(4));
    // Every failure reaches the client's onError naming the plugin: on ready thrown from the hook,
    // periodic ones through context.report (a timer has no hook to throw from).
    await until(() => c.errors.length >= 3, 2000, 'three reports');
    expect(c.errors).toHaveLength(3);
    for (const error of c.errors) {
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ code: 'PLUGIN_FAILED', plugin: 'server-stats' });
    }
    // What the stats function threw is the cause: its text is the user's, never the message.
    expect(c.errors[0]!.message).toMatch(/in onReady \(Error; its error is the cause\)/);
    expect(c.errors[0]!.cause).toEqual(new Error('stats unavailable'));
    expect(c.errors[1]!.cause).toEqual(new Error('shard busy'));
    expect(c.errors[2]!.message).toMatch(/INVALID_EVENT/);
    expect(log.all.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(c.client.status === 'ready' || c.client.status === 'heartbeat-pending').toBe(true);
  });

  test('while not ready nothing is read or queued; the next session starts with a fresh report', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    let calls = 0;
    const c = client({
      url: gw.url,
      reconnect: { minDelay: 400, maxDelay: 400 },
      plugins: [serverStats({ interval: 10, stats: () => counts(++calls) })],
    });
    await c.client.start();
    await until(() => reports(gw.connections[0]!).length >= 2, 2000, 'periodic reports');
    const reconnecting = c.next('reconnecting');
    gw.connections[0]!.drop();
    await reconnecting;
    const callsWhenDropped = calls;
    // Ticks fall due every 10 ms during the wait: none may read stats or queue a report.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(c.client.status).toBe('reconnecting');
    expect(calls).toBe(callsWhenDropped);
    await c.next('ready');
    const second = gw.connections[1]!;
    await until(() => reports(second).length >= 1, 2000, 'the second session report');
    expect(reports(second)[0]).toEqual(counts(callsWhenDropped + 1));
  });

  test('two instances coexist under their own names; one added to a ready client reports at once', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const c = client({
      url: gw.url,
      plugins: [serverStats({ interval: 0, stats: () => counts(1) })],
    });
    await c.client.start();
    c.client.use(serverStats({ name: 'shard-2', interval: 0, stats: () => counts(2) }));
    expect(c.client.plugins).toEqual(['server-stats', 'shard-2']);
    await until(() => reports(gw.connections[0]!).length === 2, 2000, 'both reports');
    expect(reports(gw.connections[0]!)).toEqual(expect.arrayContaining([counts(1), counts(2)]));
    expect(() => c.client.use(serverStats({ stats: () => counts(3) }))).toThrow(/already in use/);
  });

  test('no timer survives stop() or remove(), not even one stopped before setup ran', async () => {
    const timers = trackTimers();
    const intervals = trackIntervals();
    try {
      const gw = await gateway({ guildCountInterval: 0 });
      const stats = jest.fn(() => counts(1));
      const c = client({ url: gw.url, plugins: [serverStats({ interval: 15, stats })] });
      await c.client.start();
      await until(() => stats.mock.calls.length >= 3, 2000, 'periodic reads');
      expect(intervals.active()).toBe(1);
      await c.client.stop();
      expect(intervals.active()).toBe(0);
      const readsAtStop = stats.mock.calls.length;

      // Started again, then removed: the plugin's timer goes with it.
      await c.client.start();
      await until(() => intervals.active() === 1, 2000, 'the timer of the second session');
      expect(await c.client.remove('server-stats')).toBe(true);
      expect(intervals.active()).toBe(0);

      // Added and stopped in the same tick: setup runs after stop began, and must still be undone.
      c.client.use(serverStats({ name: 'late', interval: 15, stats }));
      await c.client.stop();
      const readsAfterStop = stats.mock.calls.length;
      expect(readsAfterStop).toBeGreaterThan(readsAtStop);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(intervals.active()).toBe(0);
      expect(stats.mock.calls.length).toBe(readsAfterStop);

      // With client and gateway gone, no timer made since the test began is left, theirs included.
      await cleanUp();
      // Polled with setImmediate: a polling timer would count itself.
      const deadline = Date.now() + 1000;
      while (timers.pending().length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(timers.pending()).toEqual([]);
    } finally {
      timers.stop();
      intervals.stop();
    }
  });

  test('wrong options throw INVALID_OPTIONS at once', () => {
    expect(thrownCode(() => serverStats({ stats: 5 as unknown as () => SendServersData }))).toBe(
      'INVALID_OPTIONS',
    );
    for (const interval of [-1, Number.NaN, Infinity, 2 ** 31]) {
      expect(thrownCode(() => serverStats({ stats: () => counts(1), interval }))).toBe('INVALID_OPTIONS');
    }
    expect(thrownCode(() => serverStats({ stats: () => counts(1), interval: 0 }))).toBeUndefined();
  });
});
