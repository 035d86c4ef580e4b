import { createGatewayClient, GatewayError } from '../../src/index.js';
import { clientDefaults, isLoopback, resolveOptions } from '../../src/session/options.js';
import { CLOSE_GRACE_MS } from '../../src/transport/close-socket.js';

const identify = { type: 'bot', key: 'k-123-secret' };

describe('options', () => {
  test.each([
    [{ url: 'http://example.com' }, /url must start with ws:\/\/ or wss:\/\//],
    [{ url: 'not a url' }, /url is not a URL/],
    [{ url: 'ws://gateway.example.com' }, /must use wss:\/\/ for gateway.example.com/],
    [{ version: 0 }, /version must be a positive integer/],
    [{ compression: 'gzip' }, /compression must be 'zlib'/],
    [{ timeouts: { connect: -1 } }, /timeouts.connect must be a positive number/],
    [{ timeouts: { close: -1 } }, /timeouts.close must be a positive number \(ms\), got -1$/],
    [{ timeouts: { close: NaN } }, /timeouts.close must be a positive number \(ms\), got NaN$/],
    [{ timeouts: { close: 0 } }, /timeouts.close must be a positive number/],
    [{ timeouts: { close: '100' } }, /timeouts.close must be a positive number/],
    [
      { timeouts: { connnect: 100 } },
      /timeouts.connnect is not an option \(connect, hello, identify, close\)$/,
    ],
    [{ timeouts: { hello: 2 ** 31 } }, /timeouts.hello must be at most 2147483647 ms/],
    [
      { timeouts: { close: 5000, connect: 5000 } },
      /timeouts.close \(5000 ms\) must be less than timeouts.connect \(5000 ms\)/,
    ],
    [{ reconnect: { maxDelay: 30 * 86_400_000 } }, /reconnect.maxDelay must be at most 2147483647 ms/],
    [{ reconnect: { jitter: 2 } }, /reconnect.jitter must be between 0 and 1/],
    [{ reconnect: { factor: 0.5 } }, /reconnect.factor must be a number >= 1/],
    [{ reconnect: { minDelay: 10, maxDelay: 5 } }, /maxDelay must not be less than reconnect.minDelay/],
    [{ reconnect: { maxRetries: 1.5 } }, /maxRetries must be a whole number/],
    [{ queue: { max: -1 } }, /queue.max must be a whole number/],
    [{ maxPayload: 0 }, /maxPayload must be a positive number \(bytes\)/],
    [{ identify: { type: 'bot', key: '' } }, /non-empty string key/],
    [{ identify: { type: 'bot', key: 12345 } }, /the key is not shown/],
    [{ identify: undefined }, /identify must be/],
    [{ plugins: [{ name: 'a' }, { name: 'a' }] }, /a plugin named "a" is already in use/],
  ])('%j is refused with one clear line', (bad, message) => {
    const create = (): unknown => createGatewayClient({ identify, ...(bad as object) });
    expect(create).toThrow(GatewayError);
    expect(create).toThrow(message);
    try {
      create();
    } catch (error) {
      expect((error as GatewayError).code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).not.toMatch(/\n/);
      expect((error as Error).message).not.toContain('k-123-secret');
      expect((error as Error).message).not.toContain('12345');
    }
  });

  test('timeouts.close defaults to CLOSE_GRACE_MS and stays out of the machine timeouts', () => {
    expect(clientDefaults.timeouts.close).toBe(CLOSE_GRACE_MS);
    const byDefault = resolveOptions({ identify });
    expect(byDefault.closeGrace).toBe(CLOSE_GRACE_MS);
    expect(byDefault.timeouts).toEqual({ connect: 10000, hello: 10000, identify: 10000 });
    const set = resolveOptions({ identify, timeouts: { close: 100, hello: 500 } });
    expect(set.closeGrace).toBe(100);
    expect(set.timeouts).toEqual({ connect: 10000, hello: 500, identify: 10000 });
    // The default grace stays under a short connect timeout (a reconnect waits for it within that).
    expect(resolveOptions({ identify, timeouts: { connect: 150 } }).closeGrace).toBe(75);
  });

  test('ws:// to a non-loopback host needs the explicit opt-in; loopback does not', () => {
    expect(() =>
      createGatewayClient({ identify, url: 'ws://gateway.example.com', allowInsecure: true }),
    ).not.toThrow();
    for (const url of ['ws://127.0.0.1:8080', 'ws://localhost:1', 'ws://[::1]:9', 'ws://127.4.5.6']) {
      expect(() => createGatewayClient({ identify, url })).not.toThrow();
    }
  });

  test.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['localhost', true],
    ['a.localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
