import { createHarness } from './harness.js';
import { backoffDelay, reconnectDefaults } from '../../machines/backoff.js';
import { heartbeatPeriod } from '../../machines/heartbeat.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { sessionStatuses } from '../../machines/status.js';

describe('session machine: the handshake', () => {
  test('START opens a socket; OPEN → awaiting-hello; Hello sends a heartbeat, then identify', () => {
    const h = createHarness();
    expect(h.status()).toBe('idle');
    h.send({ type: 'START' });
    expect(h.status()).toBe('connecting');
    expect(h.sockets.opened).toBe(1);
    h.send({ type: 'OPEN' });
    expect(h.status()).toBe('awaiting-hello');
    h.send({ type: 'HELLO', heartbeatInterval: 1000 });
    expect(h.status()).toBe('identifying');
    expect(h.commands).toEqual(['HEARTBEAT', 'IDENTIFY']);
    expect(h.context().heartbeatInterval).toBe(1000);
    h.send({ type: 'BOT_CONNECT_SUCCESS' });
    expect(h.status()).toBe('heartbeat-pending');
    h.send({ type: 'ACK', latency: 7 });
    expect(h.status()).toBe('ready');
    expect(h.context().latency).toBe(7);
    expect(h.commands).toEqual(['HEARTBEAT', 'IDENTIFY', 'FLUSH']);
    expect(h.sockets.open).toBe(1);
  });

  test.each([
    ['connect', 100, 'CONNECT_TIMEOUT', (h: ReturnType<typeof createHarness>) => h.send({ type: 'START' })],
    [
      'hello',
      200,
      'HELLO_TIMEOUT',
      (h: ReturnType<typeof createHarness>) => {
        h.send({ type: 'START' });
        h.send({ type: 'OPEN' });
      },
    ],
    [
      'identify',
      300,
      'IDENTIFY_TIMEOUT',
      (h: ReturnType<typeof createHarness>) => {
        h.send({ type: 'START' });
        h.send({ type: 'OPEN' });
        h.send({ type: 'HELLO', heartbeatInterval: 10_000 });
      },
    ],
  ])('%s timeout (%i ms) → reconnecting, socket closed', (_name, ms, code, enter) => {
    const h = createHarness();
    enter(h);
    h.clock.increment(ms - 1);
    expect(h.status()).not.toBe('reconnecting');
    h.clock.increment(1);
    expect(h.status()).toBe('reconnecting');
    expect(h.context().reason?.code).toBe(code);
    expect(h.context().retryIn).toBe(reconnectDefaults.minDelay);
    expect(h.sockets.open).toBe(0);
  });
});

describe('session machine: heartbeats', () => {
  test('each heartbeat goes out a little before the interval: 5 %, at most 1 s', () => {
    expect(heartbeatPeriod(1000)).toBe(950);
    expect(heartbeatPeriod(60_000)).toBe(59_000);
    expect(heartbeatPeriod(100)).toBe(95);
  });

  test('heartbeats run while identifying, every period from the last heartbeat sent', () => {
    const h = createHarness();
    h.send({ type: 'START' });
    h.send({ type: 'OPEN' });
    h.send({ type: 'HELLO', heartbeatInterval: 100 });
    h.send({ type: 'ACK', latency: 1 });
    h.clock.increment(94);
    expect(h.commands.filter((c) => c === 'HEARTBEAT')).toHaveLength(1);
    h.clock.increment(1);
    expect(h.commands.filter((c) => c === 'HEARTBEAT')).toHaveLength(2);
    expect(h.status()).toBe('identifying');
  });

  test('an ACK that comes late in the period does not delay the next heartbeat', () => {
    const h = createHarness();
    h.toReady(1000);
    const beats = (): number => h.commands.filter((c) => c === 'HEARTBEAT').length;
    expect(beats()).toBe(1);
    h.clock.increment(950);
    expect(beats()).toBe(2);
    h.clock.increment(900);
    h.send({ type: 'ACK', latency: 900 });
    h.clock.increment(50);
    expect(beats()).toBe(3);
    expect(h.status()).toBe('heartbeat-pending');
  });

  test('an ACK still missing when the next heartbeat is due is a zombie socket', () => {
    const h = createHarness();
    h.toReady(1000);
    h.clock.increment(950);
    expect(h.status()).toBe('heartbeat-pending');
    h.clock.increment(949);
    expect(h.status()).toBe('heartbeat-pending');
    h.clock.increment(1);
    expect(h.status()).toBe('reconnecting');
    expect(h.context().reason?.code).toBe('ZOMBIE_CONNECTION');
    expect(h.sockets.open).toBe(0);
  });
});

describe('session machine: faults and backoff', () => {
  test('a fatal error fails the session with its reason', () => {
    const h = createHarness();
    h.toReady();
    h.fault(4000, true);
    expect(h.status()).toBe('failed');
    expect(h.context().reason).toMatchObject({ code: 4000, fatal: true });
    expect(h.sockets.open).toBe(0);
  });

  test('4001 from a fixed key fails at once; from a provider it gets one fresh try', () => {
    const fixed = createHarness();
    fixed.send({ type: 'START' });
    fixed.fault(4001, true, { freshIdentifyHelps: true });
    expect(fixed.status()).toBe('failed');

    const provided = createHarness({ identifyIsProvider: true });
    provided.send({ type: 'START' });
    provided.fault(4001, true, { freshIdentifyHelps: true });
    expect(provided.status()).toBe('reconnecting');
    provided.clock.increment(1000);
    expect(provided.status()).toBe('connecting');
    provided.fault(4001, true, { freshIdentifyHelps: true });
    expect(provided.status()).toBe('failed');
  });

  test('4001 from a provider with no retry left fails with the 4001 itself', () => {
    const h = createHarness({ identifyIsProvider: true, reconnect: { maxRetries: 0 } });
    h.send({ type: 'START' });
    h.fault(4001, true, { freshIdentifyHelps: true });
    expect(h.status()).toBe('failed');
    expect(h.context().reason?.code).toBe(4001);
  });

  test('delays grow by factor up to maxDelay, and the machine reconnects after each', () => {
    const h = createHarness({ reconnect: { minDelay: 100, factor: 3, maxDelay: 1000 } });
    h.send({ type: 'START' });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      h.fault('SOCKET_CLOSED');
      expect(h.status()).toBe('reconnecting');
      const wait = h.context().retryIn ?? -1;
      delays.push(wait);
      h.clock.increment(wait - 1);
      expect(h.status()).toBe('reconnecting');
      h.clock.increment(1);
      expect(h.status()).toBe('connecting');
    }
    expect(delays).toEqual([100, 300, 900, 1000, 1000]);
    expect(h.sockets.opened).toBe(6);
  });

  test('maxRetries 3 means at most 4 connections, then failed', () => {
    const h = createHarness({ reconnect: { maxRetries: 3, minDelay: 10 } });
    h.send({ type: 'START' });
    for (let i = 0; i < 3; i++) {
      h.fault('SOCKET_CLOSED');
      h.clock.increment(h.context().retryIn ?? 0);
    }
    expect(h.sockets.opened).toBe(4);
    h.fault('SOCKET_CLOSED');
    expect(h.status()).toBe('failed');
    expect(h.context().reason?.code).toBe('RETRIES_EXHAUSTED');
    expect(h.sockets.opened).toBe(4);
  });

  test('the retry count resets only after a session stayed ready for minUptime', () => {
    const h = createHarness({ reconnect: { minDelay: 100, minUptime: 5000 } });
    h.toReady(10_000);
    h.fault('SOCKET_CLOSED');
    expect(h.context().retryIn).toBe(100);
    h.clock.increment(100);
    h.toReady(10_000);
    h.clock.increment(4999);
    h.fault('SOCKET_CLOSED');
    expect(h.context().retryIn).toBe(200);
    h.clock.increment(200);
    h.toReady(10_000);
    h.send({ type: 'ACK', latency: 1 });
    h.clock.increment(5000);
    expect(h.context().retries).toBe(0);
    h.fault('SOCKET_CLOSED');
    expect(h.context().retryIn).toBe(100);
  });

  test('backoffDelay: jitter is the random fraction of each delay', () => {
    const options = { ...reconnectDefaults, minDelay: 1000, jitter: 0.5 };
    expect(backoffDelay(1, options, 0)).toBe(500);
    expect(backoffDelay(1, options, 0.999999)).toBe(1000);
    expect(backoffDelay(2, { ...options, jitter: 0 }, 0.7)).toBe(2000);
    expect(backoffDelay(30, options, 0)).toBe(15000);
  });

  test('backoffDelay: a factor grown to Infinity over a minDelay of 0 is 0, never NaN', () => {
    expect(backoffDelay(1025, { ...reconnectDefaults, minDelay: 0, factor: 2 }, 0.5)).toBe(0);
    expect(backoffDelay(3, { ...reconnectDefaults, minDelay: 0, factor: 1e300 }, 0.5)).toBe(0);
    expect(backoffDelay(3, { ...reconnectDefaults, minDelay: 1, factor: 1e300, maxDelay: 500 }, 0)).toBe(250);
  });
});

describe('session machine: start and stop', () => {
  test.each([
    'connecting',
    'awaiting-hello',
    'identifying',
    'ready',
    'heartbeat-pending',
    'reconnecting',
    'failed',
    'idle',
  ])('STOP from %s → stopped, no socket, no timer left', (from) => {
    const h = createHarness();
    const steps: Record<string, () => void> = {
      idle: () => undefined,
      connecting: () => h.send({ type: 'START' }),
      'awaiting-hello': () => {
        h.send({ type: 'START' });
        h.send({ type: 'OPEN' });
      },
      identifying: () => {
        h.send({ type: 'START' });
        h.send({ type: 'OPEN' });
        h.send({ type: 'HELLO', heartbeatInterval: 50 });
      },
      ready: () => h.toReady(50),
      'heartbeat-pending': () => {
        h.toReady(50);
        h.clock.increment(heartbeatPeriod(50));
      },
      reconnecting: () => {
        h.send({ type: 'START' });
        h.fault('SOCKET_CLOSED');
      },
      failed: () => {
        h.send({ type: 'START' });
        h.fault(4007, true);
      },
    };
    steps[from]?.();
    expect(h.status()).toBe(from);
    h.send({ type: 'STOP' });
    expect(h.status()).toBe('stopped');
    expect(h.sockets.open).toBe(0);
    const opened = h.sockets.opened;
    const commands = h.commands.length;
    h.clock.increment(60_000);
    expect(h.status()).toBe('stopped');
    expect(h.sockets.opened).toBe(opened);
    expect(h.commands.length).toBe(commands);
  });

  test('START from stopped or failed starts over with a fresh retry count', () => {
    const h = createHarness({ reconnect: { maxRetries: 0 } });
    h.send({ type: 'START' });
    h.fault('SOCKET_CLOSED');
    expect(h.status()).toBe('failed');
    h.send({ type: 'START' });
    expect(h.status()).toBe('connecting');
    expect(h.context().retries).toBe(0);
    h.send({ type: 'STOP' });
    h.send({ type: 'START' });
    expect(h.status()).toBe('connecting');
    expect(h.context().reason).toBeUndefined();
  });

  test('START while connecting or ready changes nothing', () => {
    const h = createHarness();
    h.toReady();
    h.send({ type: 'START' });
    expect(h.status()).toBe('ready');
    expect(h.sockets.opened).toBe(1);
  });
});

describe('session machine: the chart', () => {
  test('every public status name is a state of the chart', () => {
    const ids = new Set<string>();
    const walk = (node: { key: string; states: Record<string, unknown> }): void => {
      ids.add(node.key);
      for (const child of Object.values(node.states)) walk(child as typeof node);
    };
    walk(sessionMachine.root);
    for (const status of sessionStatuses) expect(ids).toContain(status);
  });
});
