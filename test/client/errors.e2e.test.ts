import { errorCodeTable, GatewayError, isSessionReady } from '../../src/index.js';
import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

describe('gateway errors over a real socket, as the error-code table says', () => {
  test.each(errorCodeTable.map((entry) => [entry.code, entry.name, entry.action] as const))(
    'op -1 with e %i (%s) → %s',
    async (code, name, action) => {
      const gw = await gateway();
      const c = client({ url: gw.url, reconnect: { minDelay: 5000 } });
      const started = c.client.start();
      await started;
      const conn = gw.connections[0]!;
      void conn
        .sendError(code, { message: `test says ${code}`, errors: ['first problem'] })
        .then(() => conn.close(code));
      const change = await c.next(action === 'fail' ? 'failed' : 'reconnecting');
      expect(change.reason).toBeInstanceOf(GatewayError);
      expect(change.reason).toMatchObject({
        code,
        name,
        fatal: action === 'fail',
        gatewayMessage: `test says ${code}`,
      });
      expect(change.reason?.errors).toEqual(['first problem']);
      expect(change.reason?.message.split('\n')).toHaveLength(1);
      const reported = c.errors.filter((e) => e.code === code);
      const entry = errorCodeTable.find((e) => e.code === code)!;
      expect(reported.length > 0).toBe(entry.report);
    },
  );

  test.each([4000, 4007, 4002, 4006])(
    'a close with code %i alone is classified the same way',
    async (code) => {
      const gw = await gateway();
      const c = client({ url: gw.url, reconnect: { minDelay: 5000 } });
      await c.client.start();
      void gw.connections[0]!.close(code);
      const fatal = code === 4000 || code === 4007;
      const change = await c.next(fatal ? 'failed' : 'reconnecting');
      expect(change.reason).toMatchObject({ code, fatal, closeCode: code });
    },
  );

  test('a wrong key fails with 4001 and start() rejects with it', async () => {
    const gw = await gateway({ keys: ['another-key'] });
    const c = client({ url: gw.url });
    const error = await c.client.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 4001, name: 'Wrong Auth Key', fatal: true });
    expect(c.client.status).toBe('failed');
    expect(gw.connectionCount).toBe(1);
    expect((error as Error).message).not.toContain(KEY);
  });

  test('4001 with an identify provider: one fresh try with a freshly provided key', async () => {
    const gw = await gateway();
    const keys = ['stale-key', KEY];
    let calls = 0;
    const c = client({ url: gw.url, identify: () => ({ type: 'bot', key: keys[calls++] ?? 'none' }) });
    await c.client.start();
    expect(calls).toBe(2);
    expect(gw.connectionCount).toBe(2);
    expect(c.statuses()).toContain('reconnecting');
  });

  test('4001 twice from a provider fails', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, identify: () => Promise.resolve({ type: 'bot', key: 'always-wrong' }) });
    await expect(c.client.start()).rejects.toMatchObject({ code: 4001 });
    expect(gw.connectionCount).toBe(2);
  });

  test('a wrong version fails with 4000 from the gateway', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, version: 2 });
    await expect(c.client.start()).rejects.toMatchObject({ code: 4000, name: 'Wrong Version' });
  });

  test('an identify provider that throws is reported with its error as the cause and retried, never a crash', async () => {
    const gw = await gateway();
    let calls = 0;
    const thrown = new Error('vault unreachable');
    const c = client({
      url: gw.url,
      identify: () => {
        calls++;
        if (calls === 1) throw thrown;
        return { type: 'bot', key: KEY };
      },
    });
    await c.client.start();
    const reconnect = c.changes.find((change) => change.status === 'reconnecting');
    expect(reconnect?.reason?.code).toBe('IDENTIFY_PROVIDER_FAILED');
    // The provider's text is its own (it may name the key): a cause, never the message.
    expect(reconnect?.reason?.message).toBe(
      'IDENTIFY_PROVIDER_FAILED Identify Provider Failed: the identify provider failed (its error is the cause of the error given to onError)',
    );
    const reported = c.errors.find((e) => e.code === 'IDENTIFY_PROVIDER_FAILED');
    expect(reported?.cause).toBe(thrown);
    expect(reported?.message).not.toContain('vault unreachable');
  });

  test('frames that do not decode, unknown opcodes and wrong-direction opcodes are reported, never a state change', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const conn = gw.connections[0]!;
    const before = c.changes.length;
    await conn.sendRaw('not json');
    await conn.sendRaw('{"op":7}');
    await conn.sendRaw('{"op":10}');
    await conn.sendRaw('{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":"many"}}');
    await conn.sendRaw(new Uint8Array([0xff, 0xfe, 0x00]));
    await conn.sendRaw('{"op":11}');
    const deadline = Date.now() + 2000;
    while (c.errors.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(c.errors.map((e) => e.code)).toEqual([
      'INVALID_FRAME',
      'INVALID_FRAME',
      'INVALID_FRAME',
      'INVALID_FRAME',
      'INVALID_FRAME',
    ]);
    expect(c.errors[3]?.message).toContain('d.guilds');
    for (const e of c.errors) expect(e.message).not.toMatch(/\n/);
    expect(
      c.changes.slice(before).filter((x) => x.status !== 'ready' && x.status !== 'heartbeat-pending'),
    ).toEqual([]);
    expect(c.client.status).toBe('ready');
  });
});

describe('identify provider results', () => {
  afterEach(cleanUp);
  test('a provider returning the wrong shape fails the session: retrying cannot help', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url, identify: () => ({ type: 'bot', key: 42 }) as never });
    await expect(c.client.start()).rejects.toMatchObject({ code: 'IDENTIFY_PROVIDER_FAILED', fatal: true });
    expect(gw.connectionCount).toBe(1);
  });

  test('bot_connect_success with an empty Bot makes the session ready', async () => {
    const gw = await gateway({ faults: { botConnectSuccess: false } });
    const c = client({ url: gw.url });
    const started = c.client.start();
    const conn = await gw.nextConnection();
    await until(() => conn.state === 'identify-pending', 2000, 'identify taken');
    await conn.sendRaw('{"op":0,"t":"bot_connect_success","d":{}}');
    await started;
    // ready, or heartbeat-pending (the part of ready waiting for an ACK), depending on the race
    // between this frame and the first heartbeat's ACK.
    expect(isSessionReady(c.client.status)).toBe(true);
  });
});
