import * as t from 'io-ts';
import {
  createGatewayClient,
  logger,
  metrics,
  METRICS_MAX_NAMES,
  serverStats,
  type MetricsSnapshot,
  type PluginContext,
  type StatusChange,
} from '../../src/index.js';
import { cleanUp, client, gateway, KEY, until } from '../client/helpers.js';

afterEach(cleanUp);

/** The code of what `call` throws (`undefined` when it does not throw). */
function thrownCode(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

describe('metrics over real sockets', () => {
  test('counts events by name, sessions, reconnects and disconnects; the snapshot is plain data', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const stats = metrics();
    const c = client({ url: gw.url, plugins: [stats] });
    await c.client.start();
    const first = gw.connections[0]!;
    for (let n = 0; n < 5; n++) await first.sendEvent('tick', { n });
    await first.sendEvent('GLOBAL_GUILD_COUNT', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
    await first.sendEvent('GLOBAL_GUILD_COUNT', { guilds: 2, guildMembers: 2, cachedGuildMembers: 2 });
    await until(() => stats.snapshot().eventsTotal === 8, 2000, 'eight events');
    const again = c.next('ready');
    first.drop();
    await again;
    await gw.connections[1]!.sendEvent('tick', { n: 5 });
    await until(() => stats.snapshot().eventsTotal === 10, 2000, 'ten events');

    const snapshot = stats.snapshot();
    expect(snapshot).toMatchObject({
      sessions: 2,
      reconnects: 1,
      failures: 0,
      disconnects: 1,
      disconnectCodes: { SOCKET_CLOSED: 1 },
      errors: 0,
      eventsTotal: 10,
      events: { bot_connect_success: 2, tick: 6, GLOBAL_GUILD_COUNT: 2 },
    });
    expect(['ready', 'heartbeat-pending']).toContain(snapshot.status);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    // A snapshot is a copy: later counting does not change it.
    await gw.connections[1]!.sendEvent('tick', { n: 6 });
    await until(() => stats.snapshot().eventsTotal === 11, 2000, 'one more');
    expect(snapshot.events.tick).toBe(6);

    await c.client.stop();
    expect(stats.snapshot()).toMatchObject({
      status: 'stopped',
      disconnects: 2,
      disconnectCodes: { STOPPED: 1 },
    });
    stats.reset();
    expect(stats.snapshot()).toMatchObject({
      sessions: 0,
      reconnects: 0,
      disconnects: 0,
      eventsTotal: 0,
      events: {},
      latency: { count: 0 },
    });
  });

  test('a hostile gateway: event names hide the key, and a new name per event does not grow the plugin', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const stats = metrics();
    const c = client({ url: gw.url, plugins: [stats] });
    await c.client.start();
    const conn = gw.connections[0]!;
    await conn.sendEvent(`unknown key ${KEY}`, {});
    const flood = METRICS_MAX_NAMES + 50;
    for (let n = 0; n < flood; n++) await conn.sendEvent(`name-${n}`, {});
    await until(() => stats.snapshot().eventsTotal === flood + 2, 5000, 'every event counted');
    const snapshot = stats.snapshot();
    expect(snapshot.events['unknown key [key]']).toBe(1);
    expect(JSON.stringify(snapshot)).not.toContain(KEY.slice(0, 8));
    // bot_connect_success and the key's event took two names; the flood fills the rest, then `(other)`.
    expect(Object.keys(snapshot.events)).toHaveLength(METRICS_MAX_NAMES + 1);
    expect(snapshot.events['(other)']).toBe(flood - (METRICS_MAX_NAMES - 2));
    expect(Object.values(snapshot.events).reduce((sum, n) => sum + n, 0)).toBe(snapshot.eventsTotal);
  });

  test('heartbeat latency: sampled on each ACK, summarised over the last N samples', async () => {
    const gw = await gateway({ guildCountInterval: 0, heartbeatInterval: 30 });
    const all = metrics();
    const lastTwo = metrics({ name: 'metrics-2', latencySamples: 2 });
    const c = client({ url: gw.url, plugins: [all, lastTwo] });
    await c.client.start();
    await until(() => all.snapshot().latency.count >= 4, 2000, 'four latency samples');
    const { latency } = all.snapshot();
    const short = lastTwo.snapshot().latency;
    expect(short.count).toBe(2);
    expect(latency.min).not.toBeNull();
    const [min, p50, p95, max, mean] = [
      latency.min!,
      latency.p50!,
      latency.p95!,
      latency.max!,
      latency.mean!,
    ];
    expect(min).toBeGreaterThanOrEqual(0);
    expect(min).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(max);
    expect(mean).toBeGreaterThanOrEqual(min);
    expect(mean).toBeLessThanOrEqual(max);
    expect(max).toBeLessThan(1000);
    expect(latency.last).toEqual(expect.any(Number));
  });

  test('errors: its own failures, and what the client reports through recordError', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const stats = metrics();
    const c = client({ url: gw.url, plugins: [stats], onError: stats.recordError });
    await c.client.start();
    // Data that does not fit GLOBAL_GUILD_COUNT's codec: the client drops the frame and reports it.
    await gw.connections[0]!.sendRaw('{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":"many"}}');
    await until(() => stats.snapshot().errors === 1, 2000, 'the report');
    expect(stats.snapshot().errorCodes).toEqual({ INVALID_FRAME: 1 });
  });

  test('the empty summary is all nulls; wrong options throw INVALID_OPTIONS', () => {
    const empty: MetricsSnapshot = metrics().snapshot();
    expect(empty.latency).toEqual({
      count: 0,
      last: null,
      min: null,
      max: null,
      mean: null,
      p50: null,
      p95: null,
    });
    expect(empty.status).toBe('idle');
    for (const latencySamples of [0, -1, 1.5, Number.NaN]) {
      expect(thrownCode(() => metrics({ latencySamples }))).toBe('INVALID_OPTIONS');
    }
  });
});

describe('metrics without a gateway', () => {
  test('percentiles are nearest-rank over the last latencySamples samples', () => {
    const stats = metrics({ latencySamples: 10 });
    let latency = 0;
    const context = {
      get latency() {
        return latency;
      },
    } as PluginContext;
    const ack: StatusChange = { status: 'ready', previous: 'heartbeat-pending' };
    // Samples 20, 19, …, 1: arrival order must not matter to the summary.
    for (latency = 20; latency >= 1; latency--) void stats.onStatus?.(ack, context);
    // Not an ACK: no sample.
    latency = 999;
    void stats.onStatus?.({ status: 'ready', previous: 'identifying' }, context);
    expect(stats.snapshot().latency).toEqual({
      count: 10,
      last: 1,
      min: 1,
      max: 10,
      mean: 5.5,
      p50: 5,
      p95: 10,
    });
  });

  test('the plugins fit a client typed with codecs of its own', () => {
    const c = createGatewayClient({
      identify: { type: 'bot', key: 'k' },
      codecs: { shard_ping: t.type({ shard: t.number }) },
      plugins: [
        serverStats({ stats: () => ({ guilds: 0, guildMembers: 0, cachedGuildMembers: 0 }) }),
        logger(),
        metrics(),
      ],
    });
    expect(c.plugins).toEqual(['server-stats', 'logger', 'metrics']);
  });
});
