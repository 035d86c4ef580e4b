import * as t from 'io-ts';
import {
  definePlugin,
  PLUGIN_TEARDOWN_LIMIT_MS,
  GatewayError,
  type BotConnectSuccessData,
  type GatewayPlugin,
  type StatusChange,
} from '../../src/index.js';
import { cleanUp, client, gateway, until } from '../client/helpers.js';

/**
 * Every plugin hook, end to end: a real client against the local gateway on 127.0.0.1, faults made
 * by the gateway (drop, error frames), never by mocks.
 */

afterEach(cleanUp);

const isReady = (status: string): boolean => status === 'ready' || status === 'heartbeat-pending';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** What `call` threw (it must throw). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}
/** What an error looks like in an assertion: code, plugin and where it failed. */
const brief = (error: GatewayError): string =>
  `${String(error.code)}:${error.plugin ?? '-'}:${/failed (in \w+|on \w+)/.exec(error.message)?.[1] ?? error.message}`;

describe('lifecycle hooks', () => {
  test('setup runs when the client starts, not before; stop aborts its signal, then runs its teardown', async () => {
    const gw = await gateway();
    const log: string[] = [];
    const signals: AbortSignal[] = [];
    const life = definePlugin({
      name: 'life',
      setup(context) {
        const signal = context.signal;
        signals.push(signal);
        log.push(`setup ${signals.length}`);
        signal.addEventListener('abort', () => log.push(`abort ${signals.length}`));
        return () => void log.push(`teardown ${signals.length} (signal aborted: ${String(signal.aborted)})`);
      },
      onDisconnect: (reason) => void log.push(`disconnect ${String(reason.code)}`),
    });
    // An async setup's teardown runs on stop as well.
    const asyncLife = definePlugin({
      name: 'async-life',
      setup: async () => {
        await sleep(1);
        return () => void log.push('async teardown');
      },
    });
    const c = client({ url: gw.url, plugins: [life, asyncLife] });
    await sleep(20);
    expect(log).toEqual([]);

    await c.client.start();
    expect(log).toEqual(['setup 1']);
    expect(signals[0]!.aborted).toBe(false);

    await c.client.stop();
    expect(signals[0]!.aborted).toBe(true);
    expect(log).toEqual([
      'setup 1',
      'disconnect STOPPED',
      'abort 1',
      'teardown 1 (signal aborted: true)',
      'async teardown',
    ]);

    // Started again: set up again, with a fresh signal.
    await c.client.start();
    expect(log.slice(5)).toEqual(['setup 2']);
    expect(signals[1]!.aborted).toBe(false);
    expect(signals[1]).not.toBe(signals[0]);
    await c.client.stop();
    expect(signals[1]!.aborted).toBe(true);
  });

  test('onReady runs for each new session with its bot_connect_success data (twice across a drop)', async () => {
    const gw = await gateway();
    const sessions: { session: BotConnectSuccessData; status: string }[] = [];
    const c = client({
      url: gw.url,
      plugins: [
        definePlugin({
          name: 'sessions',
          onReady: (session, context) => void sessions.push({ session, status: context.status }),
        }),
      ],
    });
    await c.client.start();
    const first = await gw.nextConnection();
    await until(() => sessions.length === 1, 2000, 'the first onReady');
    expect(sessions[0]).toEqual({ session: { id: first.botId, type: 'bot' }, status: 'ready' });

    first.drop();
    const second = await gw.nextConnection();
    await until(() => sessions.length === 2, 2000, 'the second onReady');
    expect(sessions[1]).toEqual({ session: { id: second.botId, type: 'bot' }, status: 'ready' });
    expect(second.botId).not.toBe(first.botId);
    await sleep(20);
    expect(sessions).toHaveLength(2);
  });

  test('onStatus sees every change the client reports; onDisconnect gets why: a drop, a fatal error, a stop', async () => {
    const gw = await gateway();
    const changes: StatusChange[] = [];
    const reasons: GatewayError[] = [];
    const c = client({
      url: gw.url,
      plugins: [
        definePlugin({
          name: 'watch',
          onStatus: (change) => void changes.push(change),
          onDisconnect: (reason) => void reasons.push(reason),
        }),
      ],
    });
    await c.client.start();

    // A drop: the socket dies without a close frame; the client reconnects.
    (await gw.nextConnection()).drop();
    const second = await gw.nextConnection();
    await until(() => second.identified && isReady(c.client.status), 2000, 'ready again');
    expect(reasons.map((r) => [r.code, r.closeCode, r.fatal])).toEqual([['SOCKET_CLOSED', 1006, false]]);

    // A fatal error: the key expired; the session fails.
    const failed = c.next('failed');
    await second.sendError(4001);
    await second.close(4001);
    await failed;
    expect(reasons.map((r) => [r.code, r.fatal])).toEqual([
      ['SOCKET_CLOSED', false],
      [4001, true],
    ]);

    // A stop.
    await c.client.start();
    await c.client.stop();
    expect(reasons.map((r) => r.code)).toEqual(['SOCKET_CLOSED', 4001, 'STOPPED']);
    expect(reasons.every((r) => r instanceof GatewayError)).toBe(true);

    // The plugin saw exactly the changes the client's subscribers saw, in the same order.
    expect(changes).toEqual(c.changes);
    expect(changes.map((change) => change.status)).toEqual([
      'connecting',
      'awaiting-hello',
      'identifying',
      'ready',
      'reconnecting',
      'connecting',
      'awaiting-hello',
      'identifying',
      'ready',
      'failed',
      'connecting',
      'awaiting-hello',
      'identifying',
      'ready',
      'stopped',
    ]);
  });
});

describe('order', () => {
  test('plugins run in registration order for each event and hook; events in arrival order', async () => {
    const gw = await gateway();
    const log: string[] = [];
    const recorder = (name: string): GatewayPlugin =>
      definePlugin({
        name,
        events: { tick: (data) => void log.push(`${name} tick ${(data as { n: number }).n}`) },
        onEvent: (event, data) => {
          if (event !== 'bot_connect_success') log.push(`${name} any ${event} ${(data as { n: number }).n}`);
        },
        onReady: () => void log.push(`${name} ready`),
        onStatus: (change) => void log.push(`${name} status ${change.status}`),
      });
    const c = client({ url: gw.url, plugins: [recorder('a'), recorder('b')] });
    c.client.use(recorder('c'));
    expect(c.client.plugins).toEqual(['a', 'b', 'c']);
    await c.client.start();
    const connection = gw.connections[0]!;
    await connection.sendEvent('tick', { n: 1 });
    await connection.sendEvent('other', { n: 2 });
    await connection.sendEvent('tick', { n: 3 });
    await until(() => log.includes('c any tick 3'), 2000, 'the last event');

    const statuses = log.filter((line) => line.includes(' status '));
    expect(statuses.slice(0, 6)).toEqual([
      'a status connecting',
      'b status connecting',
      'c status connecting',
      'a status awaiting-hello',
      'b status awaiting-hello',
      'c status awaiting-hello',
    ]);
    // On the change to ready, every plugin's onStatus runs, then every plugin's onReady.
    const ready = log.indexOf('a status ready');
    expect(log.slice(ready, ready + 6)).toEqual([
      'a status ready',
      'b status ready',
      'c status ready',
      'a ready',
      'b ready',
      'c ready',
    ]);
    // Each plugin's handler for the name, then its onEvent; plugin by plugin; event by event.
    expect(log.filter((line) => / (tick|any) /.test(line))).toEqual([
      'a tick 1',
      'a any tick 1',
      'b tick 1',
      'b any tick 1',
      'c tick 1',
      'c any tick 1',
      'a any other 2',
      'b any other 2',
      'c any other 2',
      'a tick 3',
      'a any tick 3',
      'b tick 3',
      'b any tick 3',
      'c tick 3',
      'c any tick 3',
    ]);
  });
});

describe('isolation', () => {
  test('a throw, a rejection and a handler that never settles: reported, the others run, heartbeats go on', async () => {
    const heartbeatInterval = 80;
    const gw = await gateway({ heartbeatInterval });
    const own: Record<string, string[]> = { throws: [], rejects: [], hangs: [] };
    const seen: number[] = [];
    let hanging = 0;
    const plugins: GatewayPlugin[] = [
      definePlugin({
        name: 'throws',
        events: {
          tick: () => {
            throw new Error('sync boom');
          },
        },
        onError: (error, context) => void own.throws!.push(`${brief(error)} (${context.name})`),
      }),
      definePlugin({
        name: 'rejects',
        events: {
          tick: async () => {
            await sleep(1);
            throw new Error('async boom');
          },
        },
        onError: (error, context) => void own.rejects!.push(`${brief(error)} (${context.name})`),
      }),
      definePlugin({
        name: 'hangs',
        events: {
          tick: () => {
            hanging++;
            return new Promise<void>(() => undefined);
          },
        },
        onError: (error) => void own.hangs!.push(brief(error)),
      }),
      definePlugin({
        name: 'records',
        events: { tick: (data) => void seen.push((data as { n: number }).n) },
      }),
    ];
    const c = client({ url: gw.url, plugins });
    await c.client.start();
    const connection = gw.connections[0]!;
    const readyAt = c.changes.length;
    const beatsAtStart = connection.heartbeats;

    // Several heartbeat intervals, a tick in each, every tick leaving one more promise that never settles.
    for (let n = 1; n <= 6; n++) {
      await connection.sendEvent('tick', { n });
      await sleep(heartbeatInterval);
      expect(isReady(c.client.status)).toBe(true);
    }
    await until(() => seen.length === 6 && own.rejects!.length === 6, 2000, 'six ticks and six rejections');

    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hanging).toBe(6);
    // Heartbeats went on, every one ACKed in time: the session never left ready.
    expect(connection.heartbeats - beatsAtStart).toBeGreaterThanOrEqual(4);
    expect(c.changes.slice(readyAt).every((change) => isReady(change.status))).toBe(true);
    expect(c.client.latency).toEqual(expect.any(Number));
    expect(connection.state).toBe('identified');

    // Each failure reached the client's onError and the failing plugin's own, with the plugin's name.
    expect(c.errors.map(brief).sort()).toEqual([
      ...Array<string>(6).fill('PLUGIN_FAILED:rejects:on tick'),
      ...Array<string>(6).fill('PLUGIN_FAILED:throws:on tick'),
    ]);
    expect(c.errors.find((e) => e.plugin === 'throws')?.message).toBe(
      'PLUGIN_FAILED Plugin Failed: plugin "throws" failed on tick (Error; its error is the cause)',
    );
    expect(c.errors.find((e) => e.plugin === 'throws')?.cause).toEqual(new Error('sync boom'));
    expect(c.errors.find((e) => e.plugin === 'rejects')?.cause).toEqual(new Error('async boom'));
    expect(own.throws).toEqual(Array<string>(6).fill('PLUGIN_FAILED:throws:on tick (throws)'));
    expect(own.rejects).toEqual(Array<string>(6).fill('PLUGIN_FAILED:rejects:on tick (rejects)'));
    // A handler that never settles is not awaited, so it has nothing to report.
    expect(own.hangs).toEqual([]);
  });

  test('failing hooks (setup, onReady, onStatus, onDisconnect, teardown, onError) are reported; the others go on', async () => {
    const gw = await gateway();
    const good: string[] = [];
    const bad = definePlugin({
      name: 'bad',
      setup: () => {
        throw new Error('no setup');
      },
      onReady: () => Promise.reject(new Error('no ready')),
      onStatus: (change) => {
        if (change.status === 'ready') throw new Error('no status');
      },
      onDisconnect: async () => {
        await sleep(1);
        throw new Error('no disconnect');
      },
      onError: () => {
        throw new Error('the error hook fails too');
      },
    });
    const badTeardown = definePlugin({
      name: 'bad-teardown',
      setup: () => () => Promise.reject(new Error('no teardown')),
    });
    const witness = definePlugin({
      name: 'witness',
      setup: () => () => void good.push('teardown'),
      onReady: () => void good.push('ready'),
      onStatus: (change) => void good.push(change.status),
      onDisconnect: (reason) => void good.push(`disconnect ${String(reason.code)}`),
    });
    const c = client({ url: gw.url, plugins: [bad, badTeardown, witness] });
    await c.client.start();
    await c.client.stop();
    await until(() => c.errors.length === 5, 2000, 'five errors');

    expect(good).toEqual([
      'connecting',
      'awaiting-hello',
      'identifying',
      'ready',
      'ready',
      'stopped',
      'disconnect STOPPED',
      'teardown',
    ]);
    expect(c.errors.map(brief).sort()).toEqual([
      'PLUGIN_FAILED:bad-teardown:in teardown',
      'PLUGIN_FAILED:bad:in onDisconnect',
      'PLUGIN_FAILED:bad:in onReady',
      'PLUGIN_FAILED:bad:in onStatus',
      'PLUGIN_FAILED:bad:in setup',
    ]);
    expect(c.client.status).toBe('stopped');
  });
});

describe('use and remove while connected', () => {
  test('use(): setup runs at once, before the next event, and the plugin gets the events after', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const connection = gw.connections[0]!;
    await connection.sendEvent('tick', { n: 1 });
    await sleep(20);

    const log: string[] = [];
    c.client.use(
      definePlugin({
        name: 'late',
        setup: (context) => void log.push(`setup while ${context.status}`),
        events: { tick: (data) => void log.push(`tick ${(data as { n: number }).n}`) },
        onReady: () => void log.push('ready'),
      }),
    );
    expect(c.client.plugins).toEqual(['late']);
    await connection.sendEvent('tick', { n: 2 });
    await until(() => log.length === 2, 2000, 'the tick after use()');
    // No onReady for a session that was ready before the plugin came: only new sessions call it.
    expect(log).toEqual(['setup while ready', 'tick 2']);
  });

  test('remove(): teardown runs, the signal aborts, nothing reaches the plugin after, its codecs are gone', async () => {
    const gw = await gateway();
    const log: string[] = [];
    const raw: unknown[] = [];
    let signal: AbortSignal | undefined;
    const pings = definePlugin({
      name: 'pings',
      codecs: { shard_ping: t.type({ shard: t.number }) },
      setup(context) {
        signal = context.signal;
        return () => void log.push('teardown');
      },
      events: { shard_ping: (data) => void log.push(`ping ${data.shard}`) },
      onEvent: (name) => void log.push(`event ${name}`),
      onStatus: (change) => void log.push(`status ${change.status}`),
      onReady: () => void log.push('ready'),
      onDisconnect: () => void log.push('disconnect'),
    });
    const witness = definePlugin({
      name: 'witness',
      events: { shard_ping: (data) => void raw.push(data) },
    });
    const c = client({ url: gw.url, plugins: [pings, witness] });
    await c.client.start();
    const connection = gw.connections[0]!;

    // While in use, the plugin's codec checks what is sent and what arrives.
    expect(thrown(() => c.client.send('shard_ping', { shard: 'one' }))).toMatchObject({
      code: 'INVALID_EVENT',
    });
    await connection.sendEvent('shard_ping', { shard: 1 });
    await connection.sendEvent('shard_ping', { shard: 'two' });
    await until(() => c.errors.length === 1, 2000, 'the invalid shard_ping to be reported');
    expect(c.errors[0]?.code).toBe('INVALID_FRAME');
    expect(log.filter((line) => line.startsWith('ping'))).toEqual(['ping 1']);
    expect(raw).toEqual([{ shard: 1 }]);
    log.length = 0;

    expect(await c.client.remove('pings')).toBe(true);
    expect(log).toEqual(['teardown']);
    expect(signal?.aborted).toBe(true);
    expect(c.client.plugins).toEqual(['witness']);

    // Its codec is gone: anything goes out, anything comes in raw.
    c.client.send('shard_ping', { shard: 'three' });
    const sentPings = (): unknown[] =>
      connection.frames.filter((f) => f.frame?.op === 1 && f.frame.t === 'shard_ping').map((f) => f.frame);
    await until(() => sentPings().length === 1, 2000, 'the shard_ping to reach the gateway');
    expect(sentPings()).toEqual([{ op: 1, t: 'shard_ping', d: { shard: 'three' } }]);
    await connection.sendEvent('shard_ping', { shard: 'four' });
    await until(() => raw.length === 2, 2000, 'the raw shard_ping');
    expect(raw[1]).toEqual({ shard: 'four' });

    // And nothing reaches it: no event, no status change, no disconnect, no new session.
    connection.drop();
    await until(() => gw.connectionCount === 2 && isReady(c.client.status), 2000, 'ready again');
    await c.client.stop();
    expect(log).toEqual(['teardown']);
    expect(c.errors).toHaveLength(1);
    expect(await c.client.remove('pings')).toBe(false);
  });

  test('a name already in use throws, in the options and in use(); the first plugin stays', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    const named = (tag: string): GatewayPlugin =>
      definePlugin({ name: 'dup', events: { tick: () => void seen.push(tag) } });

    expect(thrown(() => client({ url: gw.url, plugins: [named('first'), named('second')] }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/"dup".*in use/),
    });

    const c = client({ url: gw.url, plugins: [named('first')] });
    await c.client.start();
    expect(thrown(() => c.client.use(named('second')))).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(thrown(() => c.client.use({ name: '' }))).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(c.client.plugins).toEqual(['dup']);
    await gw.connections[0]!.sendEvent('tick', {});
    await until(() => seen.length === 1, 2000, 'the tick');
    expect(seen).toEqual(['first']);

    // Once removed, the name is free again.
    await c.client.remove('dup');
    c.client.use(named('third'));
    await gw.connections[0]!.sendEvent('tick', {});
    await until(() => seen.length === 2, 2000, 'the second tick');
    expect(seen).toEqual(['first', 'third']);
  });
});

describe('dispatch', () => {
  test('handlers run on the object they belong to, for every name, however many names arrive', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    // Methods that use `this`, as an object-literal plugin may be written.
    const handlers = {
      tick(this: unknown, data: unknown) {
        seen.push(`${this === handlers ? 'handlers' : String(this)} ${(data as { n: number }).n}`);
      },
    };
    const stateful = {
      name: 'stateful',
      count: 0,
      events: handlers,
      onEvent(this: { count: number }) {
        this.count += 1;
      },
    };
    const c = client({ url: gw.url, plugins: [stateful] });
    await c.client.start();
    expect(stateful.count).toBe(1); // bot_connect_success
    stateful.count = 0;
    const connection = gw.connections[0]!;
    // More distinct names than dispatch keeps routes for, with a known one between them.
    const names = Array.from({ length: 300 }, (_, i) => `name_${i}`);
    for (const [i, name] of names.entries()) {
      await connection.sendEvent(name, {});
      if (i % 100 === 0) await connection.sendEvent('tick', { n: i });
    }
    await until(() => stateful.count === 303, 5000, 'every event to reach onEvent');
    expect(seen).toEqual(['handlers 0', 'handlers 100', 'handlers 200']);
    expect(c.errors).toEqual([]);
  });
});

describe('handlers a setup sets', () => {
  test('are found even when events came first, and each start uses the handler its setup set', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    let run = 0;
    let release: () => void = () => undefined;
    const events: Record<string, (data: unknown) => void> = {};
    const late = {
      name: 'late',
      events,
      // A hook that is null, as a plugin built from a template may have it: skipped, not a failure.
      onStatus: null,
      async setup() {
        run += 1;
        const mine = run;
        if (mine === 1) await new Promise<void>((resolve) => (release = resolve));
        events.tick = (data) => void seen.push(`run ${mine}: ${(data as { n: number }).n}`);
      },
    };
    const c = client({ url: gw.url, plugins: [late as unknown as GatewayPlugin] });
    await c.client.start();
    const connection = gw.connections[0]!;
    // Before the setup settles there is no handler: this tick reaches nobody.
    await connection.sendEvent('tick', { n: 1 });
    await sleep(20);
    release();
    await sleep(0);
    await connection.sendEvent('tick', { n: 2 });
    await until(() => seen.length === 1, 2000, 'the tick after setup');

    await c.client.stop();
    await c.client.start();
    await gw.connections[1]!.sendEvent('tick', { n: 3 });
    await until(() => seen.length === 2, 2000, 'the tick after the second start');
    expect(seen).toEqual(['run 1: 2', 'run 2: 3']);
    expect(c.errors).toEqual([]);
  });
});

describe('hooks set to null', () => {
  test('are skipped, as absent ones are, never reported as failures', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    const nulls = {
      name: 'nulls',
      setup: null,
      onEvent: null,
      onReady: null,
      onStatus: null,
      onDisconnect: null,
      events: { tick: () => void seen.push('tick') },
    };
    const c = client({ url: gw.url, plugins: [nulls as unknown as GatewayPlugin] });
    await c.client.start();
    await gw.connections[0]!.sendEvent('tick', {});
    await until(() => seen.length === 1, 2000, 'the tick');
    gw.connections[0]!.drop();
    await until(() => gw.connectionCount === 2 && isReady(c.client.status), 4000, 'the new session');
    await c.client.stop();
    expect(c.errors).toEqual([]);
  });
});

describe('a plugin that never settles', () => {
  // The host waits for a setup's promise and its teardown, but never longer than
  // PLUGIN_TEARDOWN_LIMIT_MS: a plugin that hangs is reported, and stop() goes on.
  test.each(['setup', 'teardown'])(
    'a %s that never settles is reported and does not hold stop()',
    async (which) => {
      const gw = await gateway();
      const slow = definePlugin({
        name: 'slow',
        setup: async () => {
          if (which === 'setup') await new Promise(() => undefined);
          return () => (which === 'teardown' ? new Promise<void>(() => undefined) : undefined);
        },
      });
      const c = client({ url: gw.url, plugins: [slow] });
      await c.client.start();
      const began = Date.now();
      await c.client.stop();
      const took = Date.now() - began;
      expect(took).toBeGreaterThanOrEqual(PLUGIN_TEARDOWN_LIMIT_MS - 20);
      expect(took).toBeLessThan(PLUGIN_TEARDOWN_LIMIT_MS + 1000);
      expect(c.errors.map((e) => `${e.code} ${e.plugin ?? ''}`)).toEqual(['PLUGIN_FAILED slow']);
      expect(c.errors[0]?.message).toMatch(/did not finish within/);
    },
  );
});
