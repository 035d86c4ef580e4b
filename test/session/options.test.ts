import * as t from 'io-ts';
import { WebSocket } from 'ws';
import { createGatewayClient, GatewayError, type GatewayClientOptions } from '../../src/index.js';
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
    // Object options: `null` is not "absent", and a misspelt name is refused, not ignored.
    [
      { reconnect: 'yes' },
      /^\S+ Invalid Options: reconnect must be false or an object \(minDelay, .*\), got "yes"$/,
    ],
    [{ reconnect: null }, /reconnect must be false or an object \(.*shouldRetry\), got null$/],
    [{ onerror: () => undefined }, /options\.onerror is not an option \(url, version, .*, debug\)$/],
    // A key put in the wrong option is not printed (a string of 8 or more is described, not quoted).
    [
      { reconnect: 'k-123-secret' },
      /reconnect must be false or an object .*, got a string of 12 characters$/,
    ],
    [{ reconnect: true }, /reconnect must be false or an object .*, got true$/],
    [
      { reconnect: { maxRetry: 3 } },
      /reconnect.maxRetry is not an option \(minDelay, maxDelay, factor, jitter, maxRetries, minUptime, shouldRetry\)$/,
    ],
    [{ timeouts: null }, /timeouts must be an object \(connect, hello, identify, close\), got null$/],
    [{ timeouts: [] }, /timeouts must be an object .*, got an array$/],
    [{ queue: null }, /queue must be an object \(max\), got null$/],
    [{ queue: { size: 5 } }, /queue.size is not an option \(max\)$/],
    [{ WebSocket: 5 }, /WebSocket must be a WebSocket constructor \(a class\), got 5$/],
    [{ codecs: 5 }, /codecs must be an object of event name → io-ts codec, got 5$/],
    [{ codecs: null }, /codecs must be an object of event name → io-ts codec, got null$/],
    [{ codecs: { x: 5 } }, /codecs.x must be an io-ts codec \(is, decode and encode functions\), got 5$/],
    [{ plugins: 'x' }, /plugins must be an array of plugins, got "x"$/],
    [{ plugins: [null] }, /plugins\[0\] must be a plugin \(\{ name, … \}\), got null$/],
    [
      { plugins: [{ name: 'p', codecs: { x: { decode: 1 } } }] },
      /plugins\[0\].codecs.x must be an io-ts codec \(is, decode and encode functions\), got an object whose is, decode, encode are not functions$/,
    ],
    [
      { plugins: [{ name: 'p', codecs: 5 }] },
      /plugins\[0\].codecs must be an object of event name → io-ts codec, got 5$/,
    ],
    [
      { logger: {} },
      /logger must be an object with debug, info, warn and error functions, got one without debug, info, warn, error$/,
    ],
    [
      { logger: { debug: 1, info: String, warn: String, error: String } },
      /logger must be an object .*, got one without debug$/,
    ],
    [{ logger: 'console' }, /logger must be an object .*, got "console"$/],
    [{ inspect: 5 }, /inspect must be a function or an observer with next\(\), got 5$/],
    [{ inspect: {} }, /inspect must be a function or an observer with next\(\), got an object$/],
    [{ inspect: null }, /inspect must be a function or an observer with next\(\), got null$/],
    [{ allowInsecure: 'yes' }, /allowInsecure must be true or false$/],
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

  test('what the object options take is accepted', () => {
    const observer = { next: () => undefined };
    const accepted: Partial<GatewayClientOptions>[] = [
      { reconnect: false as const },
      { reconnect: { shouldRetry: () => true, maxRetries: 3 } },
      { timeouts: {}, queue: {}, codecs: {} },
      { codecs: { ping: t.type({ at: t.number }) } },
      { plugins: [{ name: 'p', codecs: { ping: t.type({ at: t.number }) } }] },
      { plugins: [{ name: 'p', codecs: undefined }] },
      {
        logger: {
          debug: () => undefined,
          info: () => undefined,
          warn: () => undefined,
          error: () => undefined,
        },
      },
      { inspect: () => undefined },
      { inspect: observer },
      { WebSocket: WebSocket as never }, // ws's overloads are wider than the option's type
      { allowInsecure: false },
    ];
    for (const options of accepted) {
      expect(() => resolveOptions({ identify, ...options })).not.toThrow();
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
