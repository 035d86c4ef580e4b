/**
 * The client called back into from its own callbacks, and callbacks that misbehave, over real
 * sockets: `stop()` and `start()` from status listeners and hooks, a wrong `signal`, a throwing
 * debug logger or inspector. Each was found by an adversarial probe; none may crash, hang, or leave
 * the client half stopped.
 */
import { createGatewayClient, type GatewayClient, type GatewayError } from '../../src/index.js';
import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

describe('the client called back into', () => {
  test('onReady comes when the session becomes ready with a heartbeat still unanswered', async () => {
    const gw = await gateway();
    gw.faults.ack = false; // the heartbeat sent at Hello is still out when identify is answered
    const ready: unknown[] = [];
    const c = client({
      url: gw.url,
      plugins: [{ name: 'watch', onReady: (session) => void ready.push(session) }],
    });
    await c.client.start();
    expect(c.statuses()).toEqual(['connecting', 'awaiting-hello', 'identifying', 'heartbeat-pending']);
    expect(ready).toHaveLength(1);
  });

  test('stop() from a status listener resolves once the socket is closed', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    let stopping: Promise<void> | undefined;
    c.client.subscribe((change) => {
      if (change.status === 'ready' && stopping === undefined) stopping = c.client.stop();
    });
    await c.client.start().catch(() => undefined);
    await until(() => stopping !== undefined, 2000, 'the listener stopped the client');
    await stopping;
    expect(c.client.status).toBe('stopped');
    expect(gw.openConnectionCount).toBe(0);
  });

  test('start() from a `stopped` listener: the client runs again with its plugins set up', async () => {
    const gw = await gateway();
    const log: string[] = [];
    const c = client({
      url: gw.url,
      plugins: [
        {
          name: 'p',
          setup: () => {
            log.push('setup');
            return () => void log.push('teardown');
          },
        },
      ],
    });
    await c.client.start();
    let restarted: Promise<void> | undefined;
    const off = c.client.subscribe((change) => {
      if (change.status !== 'stopped') return;
      off();
      restarted = c.client.start();
    });
    await c.client.stop();
    await restarted;
    let lateSetUp = false;
    c.client.use({ name: 'late', setup: () => void (lateSetUp = true) });
    expect(['ready', 'heartbeat-pending']).toContain(c.client.status);
    // The first setup's teardown ran; the second setup is the running one (its teardown is to come).
    expect([...log].sort()).toEqual(['setup', 'setup', 'teardown']);
    expect(lateSetUp).toBe(true);
    await c.client.stop();
    expect(log.filter((step) => step === 'teardown')).toHaveLength(2);
  });

  test('stop() from onError while start() sets the plugins up: stop wins, nothing connects', async () => {
    const gw = await gateway();
    const failures: GatewayError[] = [];
    const stopped: Promise<void>[] = [];
    const c: GatewayClient = createGatewayClient({
      url: gw.url,
      identify: { type: 'bot', key: KEY },
      onError: (error) => {
        failures.push(error);
        stopped.push(c.stop());
      },
      plugins: [
        {
          name: 'boom',
          setup: () => {
            throw new Error('boom');
          },
        },
      ],
    });
    await expect(c.start()).rejects.toMatchObject({ code: 'STOPPED' });
    await Promise.all(stopped);
    expect(failures.map((error) => error.code)).toEqual(['PLUGIN_FAILED']);
    expect(c.status).toBe('stopped');
    expect(gw.connectionCount).toBe(0);
  });

  test('a signal that is not an AbortSignal is refused before anything is set up', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, timeouts: { connect: 2000 } });
    await expect(c.client.start({ signal: {} as AbortSignal, timeout: 50 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/start\(\): signal must be an AbortSignal$/),
    });
    expect(c.client.status).toBe('idle');
    let thrown: unknown;
    try {
      c.client.events('x', { signal: 'soon' as unknown as AbortSignal });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringMatching(/events\(\): signal must be an AbortSignal$/),
    });
    // Nothing was left registered: the client starts, stops, and reports nothing.
    await c.client.start();
    await c.client.stop();
    expect(c.errors).toEqual([]);
  });

  test('a throwing debug logger and a throwing inspector are reported, never thrown into the session', async () => {
    const gw = await gateway();
    const c = client({
      url: gw.url,
      debug: true,
      logger: {
        debug: () => {
          throw new Error('logger down');
        },
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
      inspect: () => {
        throw new Error('inspector down');
      },
    });
    await c.client.start();
    await gw.connections[0]!.sendEvent('anything', {});
    await until(() => c.errors.length >= 2, 2000, 'both reported');
    const messages = new Set(c.errors.map((error) => error.message.replace(/^PLUGIN_FAILED [^:]*: /, '')));
    expect([...messages].sort()).toEqual([
      'logger.debug threw (its error is the cause)',
      'the inspect option threw (its error is the cause)',
    ]);
    expect(c.errors.every((error) => error.code === 'PLUGIN_FAILED' && error.cause instanceof Error)).toBe(
      true,
    );
    expect(['ready', 'heartbeat-pending']).toContain(c.client.status);
  });
});
