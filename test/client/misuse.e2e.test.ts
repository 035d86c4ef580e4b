/**
 * A client used wrongly, over real sockets (found by an adversarial probe): every wrong call gets a
 * one-line GatewayError where it is made, and nothing a user's code does inside the client's own
 * callbacks loses a queued frame or ends the process.
 */
import { createGatewayClient, type GatewayPlugin } from '../../src/index.js';
import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

/** The code and message of what `call` throws (`undefined` when it does not throw). */
function thrown(call: () => unknown): { code: unknown; message: string } | undefined {
  try {
    call();
  } catch (error) {
    return { code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return undefined;
}

describe('a client used wrongly', () => {
  test('wrong listeners, names and texts are refused where they are given', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    for (const [call, message] of [
      [() => c.client.subscribe(null as never), /subscribe\(\): the listener must be a function$/],
      [() => c.client.onConnection('x' as never), /onConnection\(\): the listener must be a function$/],
      [() => c.client.on('x', 5 as never), /on\(\): the handler must be a function$/],
      [() => c.client.on(null as never, () => undefined), /on\(\): the name must be a string/],
      [() => c.client.events(null as never), /events\(\): the name must be a string/],
      [() => c.client.redact(undefined as never), /redact\(\): the text must be a string$/],
    ] as const) {
      const error = thrown(call);
      expect(error?.code).toBe('INVALID_OPTIONS');
      expect(error?.message).toMatch(message);
    }
    await c.client.start(null as never); // null options: the defaults, as undefined
    expect(c.errors).toEqual([]);
  });

  test('a plugin of the wrong shape is refused when used, never found at the first event', async () => {
    const gw = await gateway();
    const make = (plugin: unknown) => () =>
      createGatewayClient({
        url: gw.url,
        identify: { type: 'bot', key: KEY },
        plugins: [plugin as GatewayPlugin],
      });
    expect(thrown(make({ name: 'p', events: 5 }))?.message).toMatch(/plugin "p": events must be an object/);
    expect(thrown(make({ name: 'p', onReady: 'soon' }))?.message).toMatch(
      /plugin "p": onReady must be a function$/,
    );
    const throwing = {
      name: 'p',
      get events(): never {
        throw new Error(`boom ${KEY}`);
      },
    };
    const refused = thrown(make(throwing));
    expect(refused?.message).toMatch(/plugin "p": reading its members threw$/);
    expect(refused?.message).not.toContain(KEY.slice(0, 8));
    // `events: null` is absent: the client starts and dispatches as without it.
    const c = client({ url: gw.url, plugins: [{ name: 'n', events: null } as never] });
    const seen: unknown[] = [];
    c.client.on('x', (data) => void seen.push(data));
    await c.client.start();
    await gw.connections[0]!.sendEvent('x', { n: 1 });
    await until(() => seen.length === 1, 2000, 'the event dispatched past the plugin');
    expect(c.errors).toEqual([]);
  });

  test('send() with data whose Proxy traps throw is INVALID_EVENT, its text not in the message', async () => {
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error(`trap ${KEY}`);
        },
      },
    );
    const error = thrown(() => c.client.send('x', hostile));
    expect(error?.code).toBe('INVALID_EVENT');
    expect(error?.message).not.toContain(KEY.slice(0, 8));
    expect(error?.message).not.toMatch(/\n/);
  });

  test('clear() from inside the flush (a debug logger) drops what still waits, and only that', async () => {
    const gw = await gateway();
    let during: (() => void) | undefined;
    const c = client({
      url: gw.url,
      debug: true,
      logger: {
        debug: (line) => {
          if (line.startsWith('→ {"op":1,"t":"a"') && during !== undefined) {
            const act = during;
            during = undefined;
            act();
          }
        },
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    });
    c.client.send('a', { n: 1 });
    c.client.send('b', { n: 2 });
    c.client.send('send_servers', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
    let dropped: number | undefined;
    during = () => {
      dropped = c.client.queue.clear();
    };
    await c.client.start();
    const conn = gw.connections[0]!;
    await c.client.stop();
    // `a` was being written when the logger cleared the queue: b and send_servers were dropped.
    expect(dropped).toBe(2);
    const events = conn.frames.flatMap((received) => (received.frame?.op === 1 ? [received.frame.t] : []));
    expect(events).toEqual(['identify', 'a']);
  });
});
