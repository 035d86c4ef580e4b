/**
 * A hostile gateway, over real sockets: it echoes the key into every text the client may print,
 * sends intervals no timer can hold, misplaces bot_connect_success and breaks lines where a log
 * would. Each test here failed before the client was hardened (issue "Hostile input").
 */
import fc from 'fast-check';
import type { GatewayError, StatusChange } from '../../src/index.js';
import { KEY_FRAGMENT } from '../../src/errors/redact.js';
import { cleanUp, client, gateway, until } from './helpers.js';

afterEach(cleanUp);

/** A 64-character key, as real ones are, with the two characters JSON escapes inside. */
const LONG_KEY = 'Zq8"Lm4\\Tx7Vb2Nc9Wd3Pf6Gh1Jk5Rs0Yt8Ua2Ei4Oo6Qw1Az3Sx5Dc7Fv9Gb!';

/** Every run of {@link KEY_FRAGMENT} characters of `key`, raw and JSON-escaped. */
function fragmentsOf(key: string): string[] {
  const out = new Set<string>();
  for (const form of [key, JSON.stringify(key).slice(1, -1)])
    for (let i = 0; i + KEY_FRAGMENT <= form.length; i++) out.add(form.slice(i, i + KEY_FRAGMENT));
  return [...out];
}

/** Fails naming the first fragment of `key` found in `text`, and where. */
function expectNoFragment(text: string, key: string): void {
  for (const fragment of fragmentsOf(key)) {
    const at = text.indexOf(fragment);
    if (at >= 0)
      throw new Error(
        `key fragment ${JSON.stringify(fragment)} leaked: …${text.slice(Math.max(0, at - 60), at + 60)}…`,
      );
  }
}

/** Everything a user or the inspector can see of a client, as one text (and its JSON). */
function observe() {
  const inspected: unknown[] = [];
  const printed: string[] = [];
  const logged: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
  );
  const line = (level: string) => (text: string) => void logged.push(`${level} ${text}`);
  return {
    inspect: (event: unknown) => void inspected.push(event),
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    printed,
    /** The texts, raw (messages as printed) and as JSON (what --json and the inspector send). */
    everything(c: { errors: GatewayError[]; changes: StatusChange[]; client: { actor: unknown } }): string {
      const actor = c.client.actor as { getSnapshot(): unknown; getPersistedSnapshot(): unknown };
      const messages = [
        ...c.errors.flatMap((e) => [e.message, e.gatewayMessage ?? '', ...(e.errors ?? [])]),
        ...c.changes.map((change) => change.reason?.message ?? ''),
        ...printed,
        ...logged,
      ];
      const json = JSON.stringify({
        inspected,
        snapshot: actor.getSnapshot(),
        persisted: actor.getPersistedSnapshot(),
        errors: c.errors.map((e) => e.toJSON()),
        changes: c.changes,
        messages,
      });
      return `${messages.join('\n')}\n${json}`;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('the key never leaks through what the gateway echoes', () => {
  test('wrongly typed fields, non-JSON text, object keys, error texts and close reasons holding the key', async () => {
    const gw = await gateway({ keys: [LONG_KEY], heartbeatInterval: 60_000 });
    const seen = observe();
    try {
      const c = client({
        url: gw.url,
        identify: { type: 'bot', key: LONG_KEY },
        inspect: seen.inspect,
        logger: seen.logger,
        onError: undefined, // the default: console.warn
      });
      const errors: GatewayError[] = [];
      c.client.use({
        name: 'thrower',
        onEvent(name) {
          if (name.length > 20) throw new Error(`handler for ${name} failed`);
        },
        onError: (error) => void errors.push(error),
      });
      await c.client.start();
      const conn = gw.connections[0]!;
      const quoted = JSON.stringify(LONG_KEY).slice(1, -1); // the key as JSON writes it
      const half = LONG_KEY.slice(0, 39);
      await conn.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":${JSON.stringify(LONG_KEY)}}}`);
      await conn.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":${JSON.stringify(half)}}}`);
      await conn.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":"${quoted}${quoted}"}}`);
      await conn.sendRaw(`not json: ${LONG_KEY}`);
      await conn.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{${JSON.stringify(half)}:1}}`);
      await conn.sendRaw(`{"op":0,"t":${JSON.stringify(LONG_KEY)},"d":{}}`);
      await conn.sendRaw(`{"op":11,"m":${JSON.stringify(half)}}`);
      await until(() => errors.length >= 1 && seen.printed.length >= 6, 3000, 'reports');
      const reconnecting = c.next('reconnecting');
      await conn.sendError(4005, {
        message: `your key ${LONG_KEY.slice(5, 50)} is malformed`,
        errors: [`${quoted} is not valid`, LONG_KEY.slice(20)],
      });
      await conn.close(4005, LONG_KEY.slice(10, 60));
      await reconnecting;
      await c.next('ready');
      // A Hello with the key where the interval belongs, on a connection after the identify.
      gw.faults.hello = false;
      const again = c.next('reconnecting');
      gw.connections[1]!.drop();
      await again;
      await until(() => gw.connectionCount >= 3, 3000, 'a third connection');
      const malformed = c.next('reconnecting');
      await gw.connections[2]!.sendRaw(`{"op":5,"d":{"heartbeat":${JSON.stringify(LONG_KEY)}}}`);
      const change = await malformed;
      expect(change.reason?.code).toBe('HELLO_MALFORMED');
      await c.client.stop();

      const everything = seen.everything(c);
      // The reports did happen: the checks below look at real text.
      expect(everything).toContain('GLOBAL_GUILD_COUNT');
      expect(everything).toContain('Malformed Data');
      expect(errors[0]?.message).toMatch(/^PLUGIN_FAILED/);
      expectNoFragment(everything, LONG_KEY);
    } finally {
      seen.restore();
    }
  });

  test('an identify provider whose error names the key: the error is the cause, nothing else holds it', async () => {
    const gw = await gateway({ keys: [LONG_KEY] });
    const seen = observe();
    try {
      let calls = 0;
      const thrown = new Error(`GET /keys failed: Authorization: Bearer ${LONG_KEY}`);
      const c = client({
        url: gw.url,
        inspect: seen.inspect,
        identify: async () => {
          calls++;
          if (calls === 1) throw thrown;
          if (calls === 2) return Promise.reject(new Error(`rejected ${LONG_KEY}`));
          return { type: 'bot', key: LONG_KEY };
        },
      });
      await c.client.start();
      expect(c.changes.filter((x) => x.reason?.code === 'IDENTIFY_PROVIDER_FAILED')).toHaveLength(2);
      const causes = c.errors.filter((e) => e.code === 'IDENTIFY_PROVIDER_FAILED').map((e) => e.cause);
      expect(causes[0]).toBe(thrown);
      expect(causes[1]).toEqual(new Error(`rejected ${LONG_KEY}`));
      expectNoFragment(seen.everything(c), LONG_KEY);
    } finally {
      seen.restore();
    }
  });

  test('property: for generated keys and generated echoes, no 8 characters of the key get out', async () => {
    const alphabet = [...Array.from('abcXYZ0189-_+/="\\ \t\n'), '\u2028', 'é', '€'];
    const keys = fc
      .array(fc.constantFrom(...alphabet), { minLength: KEY_FRAGMENT, maxLength: 48 })
      .map((chars) => chars.join(''))
      // A key that is mostly blanks is folded with them; real keys are not.
      .filter((key) => key.trim().length === key.length && !key.includes('[key]'));
    const echo = fc.record({
      start: fc.nat(),
      length: fc.integer({ min: KEY_FRAGMENT, max: 64 }),
      escaped: fc.boolean(),
      before: fc.constantFrom('', 'x', '"', '\n', '\u2028', '\\'),
      after: fc.constantFrom('', 'y', '"', '\r\n', '\u0085', '\\'),
    });
    await fc.assert(
      fc.asyncProperty(keys, fc.array(echo, { minLength: 1, maxLength: 4 }), async (key, echoes) => {
        const gw = await gateway({ keys: [key], heartbeatInterval: 60_000 });
        const seen = observe();
        try {
          const c = client({ url: gw.url, identify: { type: 'bot', key }, inspect: seen.inspect });
          await c.client.start();
          const texts = echoes.map(({ start, length, escaped, before, after }) => {
            const form = escaped ? JSON.stringify(key).slice(1, -1) : key;
            const from = start % form.length;
            return before + form.slice(from, from + length) + after;
          });
          const conn = gw.connections[0]!;
          for (const text of texts) {
            await conn.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":${JSON.stringify(text)}}}`);
            await conn.sendRaw(text);
          }
          const reconnecting = c.next('reconnecting');
          await conn.sendError(4002, { message: texts.join(' '), errors: texts });
          // A close reason holds at most 123 bytes.
          await conn.close(
            4002,
            Buffer.from(texts[0] ?? '')
              .subarray(0, 100)
              .toString(),
          );
          await reconnecting;
          await until(() => c.errors.length >= texts.length * 2, 2000, 'reports');
          await c.client.stop();
          expectNoFragment(seen.everything(c), key);
        } finally {
          seen.restore();
          await cleanUp();
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('intervals no timer can hold', () => {
  test('a Hello interval above 2^31 − 1 ms is malformed: no heartbeat storm, no TimeoutOverflowWarning', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const c = client({ url: gw.url, reconnect: { minDelay: 5000 } });
      void c.client.start().catch(() => undefined);
      const conn = await gw.nextConnection();
      await until(() => c.client.status === 'awaiting-hello', 2000, 'awaiting-hello');
      const reconnecting = c.next('reconnecting');
      await conn.sendRaw('{"op":5,"d":{"hearbeat":2147483648}}');
      const change = await reconnecting;
      expect(change.reason?.code).toBe('HELLO_MALFORMED');
      expect(change.reason?.message).toContain('at most 2147483647');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(conn.heartbeats).toBe(0);
      // The longest interval a timer holds is still taken.
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('the longest interval a timer holds is accepted', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const c = client({ url: gw.url });
    const started = c.client.start();
    const conn = await gw.nextConnection();
    await until(() => c.client.status === 'awaiting-hello', 2000, 'awaiting-hello');
    await conn.sendRaw('{"op":5,"d":{"hearbeat":2147483647}}');
    await started;
    expect(c.client.actor.getSnapshot().context.heartbeatInterval).toBe(2_147_483_647);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(conn.heartbeats).toBe(1);
  });
});

describe('bot_connect_success only as the answer to identify', () => {
  const counting = () => {
    const seen: unknown[] = [];
    return {
      seen,
      plugin: {
        name: 'count',
        events: { bot_connect_success: (data: unknown) => void seen.push(data) },
      },
    };
  };

  test.each([
    ['without d', '{"op":0,"t":"bot_connect_success"}'],
    ['with d: null', '{"op":0,"t":"bot_connect_success","d":null}'],
    ['with d not an object', '{"op":0,"t":"bot_connect_success","d":[1]}'],
  ])(
    '%s: INVALID_FRAME ends the connection, the session is not ready, plugins see nothing',
    async (_, raw) => {
      const gw = await gateway({ faults: { botConnectSuccess: false } });
      const count = counting();
      const c = client({ url: gw.url, plugins: [count.plugin], reconnect: { minDelay: 5000 } });
      void c.client.start().catch(() => undefined);
      const conn = await gw.nextConnection();
      await until(() => conn.state === 'identify-pending', 2000, 'identify taken');
      const reconnecting = c.next('reconnecting');
      await conn.sendRaw(raw);
      const change = await reconnecting;
      expect(change.reason?.code).toBe('INVALID_FRAME');
      expect(change.reason?.message).toMatch(/bot_connect_success event at d: expected an object \(a Bot\)/);
      expect(c.statuses()).not.toContain('ready');
      expect(count.seen).toEqual([]);
    },
  );

  test('before identify, or a second time: UNEXPECTED_FRAME, dispatched once', async () => {
    const gw = await gateway({ faults: { hello: false } });
    const count = counting();
    const c = client({ url: gw.url, plugins: [count.plugin] });
    const started = c.client.start();
    const conn = await gw.nextConnection();
    await until(() => c.client.status === 'awaiting-hello', 2000, 'awaiting-hello');
    await conn.sendRaw('{"op":0,"t":"bot_connect_success","d":{"early":true}}');
    await until(() => c.errors.length >= 1, 2000, 'a report');
    expect(c.client.status).toBe('awaiting-hello');
    // Now the real handshake: Hello, then the gateway answers the identify itself.
    await conn.sendRaw('{"op":5,"d":{"heartbeat":60000}}');
    await started;
    await conn.sendRaw('{"op":0,"t":"bot_connect_success","d":{"again":true}}');
    await until(() => c.errors.length >= 2, 2000, 'a second report');
    expect(c.errors.map((e) => e.message)).toEqual([
      'UNEXPECTED_FRAME Unexpected Frame: a bot_connect_success before identify was sent was ignored',
      'UNEXPECTED_FRAME Unexpected Frame: a second bot_connect_success on one connection was ignored',
    ]);
    expect(count.seen).toHaveLength(1);
    expect(count.seen[0]).not.toHaveProperty('early');
    expect(count.seen[0]).not.toHaveProperty('again');
  });
});

describe('every message is one line', () => {
  const breaks = ['\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];

  test('a gateway m, errors entries and a close reason with any line break come out folded', async () => {
    const gw = await gateway();
    const seen = observe();
    try {
      const c = client({ url: gw.url, onError: undefined, logger: seen.logger });
      await c.client.start();
      const conn = gw.connections[0]!;
      const text = `one${breaks.join('two')}end`;
      await conn.sendError(4005, { message: text, errors: breaks.map((b) => `bad${b}field`) });
      await c.next('reconnecting');
      await c.next('ready');
      const closed = c.next('reconnecting');
      await gw.connections[1]!.close(4002, `closing${breaks.join('now')}!`);
      const change = await closed;
      expect(change.reason?.message).toBe('4002 Bot ID Used: closing now now now now now now !');
      const reported = seen.printed.find((line) => line.includes('Malformed Data'));
      expect(reported).toBe('[utilbot-gateway] 4005 Malformed Data: one two two two two two two end');
      const reason = c.changes.find((x) => x.reason?.code === 4005)?.reason;
      expect(reason?.gatewayMessage).toBe('one two two two two two two end');
      expect(reason?.errors).toEqual(breaks.map(() => 'bad field'));
      for (const line of [...seen.printed, ...c.changes.map((x) => x.reason?.message ?? '')])
        expect(line).not.toMatch(/[\n\r\v\f\u0085\u2028\u2029]/);
    } finally {
      seen.restore();
    }
  });
});
