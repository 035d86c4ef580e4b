import { logger, type LoggerLine, type PluginLogger } from '../../src/index.js';
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

/** A client logger that keeps its lines. */
function sink(): PluginLogger & { readonly all: string[] } {
  const all: string[] = [];
  const keep = (level: string) => (line: string) => void all.push(`${level} ${line}`);
  return { all, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** Runs a session: ready, two events, a dropped connection, ready again, stop. */
async function session(options: Parameters<typeof logger>[0] = {}): Promise<string[]> {
  const written: string[] = [];
  const seen: string[] = [];
  const gw = await gateway({ guildCountInterval: 0 });
  const c = client({
    url: gw.url,
    plugins: [
      logger({ ...options, write: (line) => void written.push(line) }),
      { name: 'probe', onEvent: (name) => void seen.push(name) },
    ],
  });
  await c.client.start();
  await gw.connections[0]!.sendEvent('tick', { n: 1 });
  await gw.connections[0]!.sendEvent('GLOBAL_GUILD_COUNT', {
    guilds: 2,
    guildMembers: 3,
    cachedGuildMembers: 1,
  });
  await until(() => seen.includes('GLOBAL_GUILD_COUNT'), 2000, 'the events');
  const again = c.next('ready');
  gw.connections[0]!.drop();
  await again;
  await c.client.stop();
  expect(c.errors).toEqual([]);
  return written;
}

/** A started client with two loggers writing to arrays: text lines (`logger`) and JSON lines (`audit`). */
async function textAndJsonLoggers() {
  const gw = await gateway({ guildCountInterval: 0 });
  const text: string[] = [];
  const json: string[] = [];
  const c = client({
    url: gw.url,
    plugins: [
      logger({ events: true, write: (line) => void text.push(line) }),
      logger({ name: 'audit', json: true, write: (line) => void json.push(line) }),
    ],
  });
  await c.client.start();
  return { gw, c, text, json };
}

describe('logger over real sockets', () => {
  test('text: one line per status change and per event, through a reconnect, and never the key', async () => {
    const written = await session();
    expect(written).toEqual(
      expect.arrayContaining([
        'status connecting (was idle)',
        'status awaiting-hello (was connecting)',
        'status identifying (was awaiting-hello)',
        'status ready (was identifying)',
        expect.stringMatching(/^event bot_connect_success \{.*"type":"bot".*\}$/),
        'event tick {"n":1}',
        'event GLOBAL_GUILD_COUNT {"guilds":2,"guildMembers":3,"cachedGuildMembers":1}',
        'status connecting (was reconnecting)',
        'status stopped (was ready)',
      ]),
    );
    const reconnecting = written.filter((line) => line.startsWith('status reconnecting'));
    expect(reconnecting).toHaveLength(1);
    expect(reconnecting[0]).toMatch(
      /^status reconnecting \(was (ready|heartbeat-pending)\), retry in \d+ ms; reason: \S+ .+$/,
    );
    expect(written.filter((line) => line === 'status ready (was identifying)')).toHaveLength(2);
    expect(written.every((line) => !line.includes('\n'))).toBe(true);
    expect(written.join('\n')).not.toContain(KEY);
  });

  test('json: every line is one JSON object with time, kind and fields', async () => {
    const written = await session({ json: true });
    const parsed = written.map((line) => JSON.parse(line) as LoggerLine);
    for (const line of parsed) {
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(['status', 'event']).toContain(line.kind);
    }
    expect(parsed).toContainEqual(expect.objectContaining({ kind: 'event', name: 'tick', data: { n: 1 } }));
    expect(parsed).toContainEqual(
      expect.objectContaining({ kind: 'status', status: 'ready', previous: 'identifying' }),
    );
    const reconnecting = parsed.find((line) => line.kind === 'status' && line.status === 'reconnecting');
    expect(reconnecting).toMatchObject({
      retryIn: expect.any(Number),
      reason: { code: expect.anything(), message: expect.any(String), fatal: false },
    });
    expect(written.join('\n')).not.toContain(KEY);
  });

  test('events: false logs status changes only; a list logs those names only', async () => {
    const statusOnly = await session({ events: false });
    expect(statusOnly.length).toBeGreaterThan(5);
    expect(statusOnly.every((line) => line.startsWith('status '))).toBe(true);
    await cleanUp();
    const ticks = await session({ events: ['tick'] });
    expect(ticks.filter((line) => line.startsWith('event '))).toEqual(['event tick {"n":1}']);
  });

  test('default write: the plugin logger, prefixed and redacted, even when the gateway echoes the key', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const log = sink();
    const c = client({ url: gw.url, logger: log, plugins: [logger()] });
    await c.client.start();
    // A gateway that sends the key back inside event data: the default write goes through redaction.
    await gw.connections[0]!.sendEvent('echo', { note: `you sent ${KEY}` });
    await until(() => log.all.some((line) => line.includes('echo')), 2000, 'the echo line');
    await c.client.stop();
    expect(log.all).toContain('info [logger] status ready (was identifying)');
    expect(log.all).toContain('info [logger] event echo {"note":"you sent [key]"}');
    expect(log.all.join('\n')).not.toContain(KEY);
  });

  test('a failure whose gateway message quotes the key reaches a write of your own without it', async () => {
    const gw = await gateway({ guildCountInterval: 0 });
    const written: string[] = [];
    const c = client({
      url: gw.url,
      plugins: [logger({ json: true, write: (line) => void written.push(line) })],
    });
    await c.client.start();
    const failed = c.next('failed');
    await gw.connections[0]!.sendError(4001, { message: `key ${KEY} expired`, errors: [`${KEY} is wrong`] });
    await gw.connections[0]!.close(4001);
    await failed;
    const last = JSON.parse(written.at(-1)!) as LoggerLine;
    expect(last).toMatchObject({ kind: 'status', status: 'failed', reason: { code: 4001, fatal: true } });
    expect(written.join('\n')).toContain('[key]');
    expect(written.join('\n')).not.toContain(KEY);
  });

  test('names and data that would break a line are escaped; two instances coexist', async () => {
    const { gw, c, text, json } = await textAndJsonLoggers();
    expect(c.client.plugins).toEqual(['logger', 'audit']);
    await gw.connections[0]!.sendRaw(
      '{"op":0,"t":"two\\nlines \\u001b[31m","d":{"s":"a\\u2028b","c1":"\\u0085\\u009b2J\\u202e"}}',
    );
    await until(
      () => json.length > 0 && text.some((line) => line.startsWith('event "two')),
      2000,
      'the line',
    );
    const line = text.find((l) => l.startsWith('event "two'))!;
    expect(line).toBe('event "two\\nlines \\u001b[31m" {"s":"a\\u2028b","c1":"\\u0085\\u009b2J\\u202e"}');
    const parsed = json.map((l) => JSON.parse(l) as LoggerLine);
    expect(parsed).toContainEqual(
      expect.objectContaining({
        kind: 'event',
        name: 'two\nlines \u001b[31m',
        data: { s: 'a\u2028b', c1: '\u0085\u009b2J\u202e' },
      }),
    );
    // eslint-disable-next-line no-control-regex -- no control character may reach a line
    for (const l of [...text, ...json]) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028-\u202e]/);
  });

  test('a write of your own gets redacted lines, and a megabyte event a bounded one', async () => {
    const { gw, text, json } = await textAndJsonLoggers();
    const conn = gw.connections[0]!;
    await conn.sendEvent('echo', { key: KEY });
    await conn.sendEvent('huge', { blob: '"'.repeat(1024 * 1024) });
    // Short as JSON, six times longer once its bidi overrides are escaped: still one valid JSON line.
    await conn.sendEvent('bidi', { s: '\u202e'.repeat(700) });
    await until(
      () => json.length >= 3 && text.some((line) => line.startsWith('event bidi')),
      5000,
      'the lines',
    );
    expect(text).toContain('event echo {"key":"[key]"}');
    const huge = text.find((line) => line.startsWith('event huge'))!;
    expect(huge.length).toBeLessThan(4200);
    expect(huge).toMatch(/… \(\d+ characters\)$/);
    const parsed = json.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed).toContainEqual(expect.objectContaining({ name: 'echo', data: { key: '[key]' } }));
    expect(parsed).toContainEqual(
      expect.objectContaining({ name: 'huge', cut: expect.any(Number) as number }),
    );
    expect(parsed).toContainEqual(
      expect.objectContaining({ name: 'bidi', cut: expect.any(Number) as number }),
    );
    for (const line of [...text, ...json]) expect(line).not.toContain(KEY.slice(0, 8));
  });

  test('wrong options throw INVALID_OPTIONS at once', () => {
    expect(thrownCode(() => logger({ write: 'stdout' as unknown as (line: string) => void }))).toBe(
      'INVALID_OPTIONS',
    );
    expect(thrownCode(() => logger({ events: 'all' as unknown as boolean }))).toBe('INVALID_OPTIONS');
    expect(thrownCode(() => logger({ events: [1] as unknown as string[] }))).toBe('INVALID_OPTIONS');
    expect(thrownCode(() => logger({ events: [] }))).toBeUndefined();
  });
});
