/**
 * The debug trace (`debug: true`), over real sockets: one line per frame in and out and per status
 * change at `logger.debug`, one line each, the key never shown, long frames cut after redaction.
 */
import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

function recorder() {
  const debug: string[] = [];
  const other: string[] = [];
  return {
    debug,
    other,
    logger: {
      debug: (line: string) => void debug.push(line),
      info: (line: string) => void other.push(line),
      warn: (line: string) => void other.push(line),
      error: (line: string) => void other.push(line),
    },
  };
}

describe('the debug trace', () => {
  test('frames in and out and status changes, one redacted line each; the identify frame never shown', async () => {
    const gw = await gateway({ heartbeatInterval: 200 });
    const log = recorder();
    const c = client({ url: gw.url, debug: true, logger: log.logger });
    await c.client.start();
    const conn = gw.connections[0]!;
    await conn.sendRaw(`{"op":0,"t":"echo","d":{"k":"${KEY}","note":"a\u2028b"}}`);
    await conn.sendRaw(`{"op":0,"t":"big","d":{"text":"${'x'.repeat(5000)}"}}`);
    await until(() => log.debug.some((line) => line.includes('"big"')), 2000, 'the big frame traced');
    await until(() => log.debug.some((line) => line.startsWith('→ {"op":10}')), 2000, 'a heartbeat traced');
    expect(log.debug).toEqual(
      expect.arrayContaining([
        'status idle → connecting',
        'status connecting → awaiting-hello',
        '→ {"op":1,"t":"identify"} (the key is not shown)',
        expect.stringMatching(/^← \{"op":5,"d":\{"hearbeat":200\}\}$/),
        expect.stringMatching(/^← \{"op":0,"t":"bot_connect_success"/),
        '← {"op":0,"t":"echo","d":{"k":"[key]","note":"a b"}}',
      ]),
    );
    const big = log.debug.find((line) => line.includes('"big"'))!;
    expect(big).toMatch(/… \(5\d{3} characters\)$/);
    expect(big.length).toBeLessThan(240);
    for (const line of log.debug) {
      expect(line).not.toContain(KEY.slice(0, 8));
      expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    }
    expect(log.other).toEqual([]);
  });

  test('a frame spelling the key with JSON escapes is traced with the key hidden, as it reads', async () => {
    const gw = await gateway();
    const log = recorder();
    const c = client({ url: gw.url, debug: true, logger: log.logger });
    await c.client.start();
    const conn = gw.connections[0]!;
    // Every other character as `\uXXXX`: the line, read as JSON, would give the key back whole.
    const spelled = Array.from(KEY)
      .map((char, i) => (i % 2 === 0 ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char))
      .join('');
    await conn.sendRaw(`{"op":0,"t":"echo","d":{"k":"${spelled}"}}`);
    await until(() => log.debug.some((line) => line.includes('"echo"')), 2000, 'the echo traced');
    expect(log.debug).toContain('← {"op":0,"t":"echo","d":{"k":"[key]"}}');
    for (const line of log.debug) {
      const read = line.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
      expect(read).not.toContain(KEY.slice(0, 8));
    }
  });

  test('without debug: true a logger gets no trace', async () => {
    const gw = await gateway();
    const log = recorder();
    const c = client({ url: gw.url, logger: log.logger });
    await c.client.start();
    await gw.connections[0]!.sendEvent('anything', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.debug).toEqual([]);
    expect(() => client({ url: gw.url, debug: 'yes' as never })).toThrow(/debug must be true or false/);
  });
});
