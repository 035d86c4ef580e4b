import type { GatewayClient, GatewayPlugin, StatusChange } from '../../src/index.js';
import { cleanUp, client, gateway, until } from '../client/helpers.js';

/**
 * Re-entry: `use()`, `remove()`, `start()` and `stop()` called from inside a plugin's setup, its
 * teardown (or the abort of its signal), a handler or a hook. Each setup that ran gets its teardown
 * exactly once, and after `remove()` nothing reaches the plugin, whatever the plugin calls back.
 * A real client against the local gateway on 127.0.0.1.
 */

afterEach(cleanUp);

/** A promise and what settles it, for a teardown the test lets finish when it chooses. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Counts a plugin's setups and teardowns (`setup` calls `during` first, with the client). */
function counted(
  name: string,
  during: (client: GatewayClient) => void = () => undefined,
): { plugin: (client: () => GatewayClient) => GatewayPlugin; setups: () => number; teardowns: () => number } {
  let setups = 0;
  let teardowns = 0;
  return {
    plugin: (c) => ({
      name,
      setup: () => {
        setups++;
        during(c());
        return () => {
          teardowns++;
        };
      },
    }),
    setups: () => setups,
    teardowns: () => teardowns,
  };
}

describe('re-entry from a setup', () => {
  test('a setup that removes its own plugin (added to a started client) gets its teardown, once', async () => {
    const gw = await gateway();
    const { client: c, errors } = client({ url: gw.url });
    await c.start();
    let removed: Promise<boolean> | undefined;
    const self = counted('self-remove', (cl) => {
      removed = cl.remove('self-remove');
    });
    c.use(self.plugin(() => c));
    expect(await removed).toBe(true);
    // remove() resolved after the teardown that the setup returned (a timer it clears, say).
    expect([self.setups(), self.teardowns()]).toEqual([1, 1]);
    expect(c.plugins).toEqual([]);
    await c.stop();
    expect([self.setups(), self.teardowns()]).toEqual([1, 1]);
    expect(errors).toEqual([]);
  });

  test('a setup that removes its own plugin while the client starts gets its teardown, once', async () => {
    const gw = await gateway();
    let removed: Promise<boolean> | undefined;
    const self = counted('self-remove', (cl) => {
      removed = cl.remove('self-remove');
    });
    const c: GatewayClient = client({ url: gw.url, plugins: [self.plugin(() => c)] }).client;
    await c.start();
    expect(await removed).toBe(true);
    expect([self.setups(), self.teardowns()]).toEqual([1, 1]);
    await c.stop();
    expect([self.setups(), self.teardowns()]).toEqual([1, 1]);
  });

  test('a setup whose failure makes onError remove its plugin gets what it returned torn down', async () => {
    // A setup cannot both throw and return a teardown; one that reports a failure through its
    // context and then returns one can: the client's onError removes the plugin in the middle.
    const gw = await gateway();
    let teardowns = 0;
    let removed: Promise<boolean> | undefined;
    const c: GatewayClient = client({
      url: gw.url,
      onError: (error) => {
        if (error.plugin === 'flaky') removed ??= c.remove('flaky');
      },
    }).client;
    await c.start();
    c.use({
      name: 'flaky',
      setup: (context) => {
        context.report(new Error('half set up'));
        return () => {
          teardowns++;
        };
      },
    });
    expect(await removed).toBe(true);
    expect(teardowns).toBe(1);
  });

  test('a setup that removes a later plugin while the client starts: that plugin is not set up', async () => {
    const gw = await gateway();
    const first = counted('first', (cl) => void cl.remove('second'));
    const second = counted('second');
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [first.plugin(() => c), second.plugin(() => c)],
    }).client;
    await c.start();
    expect(c.plugins).toEqual(['first']);
    await c.stop();
    expect({ setups: second.setups(), teardowns: second.teardowns() }).toEqual({ setups: 0, teardowns: 0 });
    expect([first.setups(), first.teardowns()]).toEqual([1, 1]);
  });

  test('a setup that calls start() again while the client starts is set up once', async () => {
    const gw = await gateway();
    const again = counted('again', (cl) => void cl.start().catch(() => undefined));
    const c: GatewayClient = client({ url: gw.url, plugins: [again.plugin(() => c)] }).client;
    await c.start();
    expect(again.setups()).toBe(1);
    await c.stop();
    expect([again.setups(), again.teardowns()]).toEqual([1, 1]);
  });
});

describe('re-entry from a handler or a hook', () => {
  test('a plugin removed by a handler earlier in the same event does not get that event', async () => {
    const gw = await gateway();
    const seen: string[] = [];
    let bSignal: AbortSignal | undefined;
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [
        {
          name: 'a',
          events: {
            x: () => {
              seen.push('a');
              void c.remove('b');
            },
          },
        },
        {
          name: 'b',
          setup: (context) => void (bSignal = context.signal),
          events: { x: () => void seen.push(`b (aborted: ${String(bSignal?.aborted)})`) },
          onEvent: (name) => {
            if (name === 'x') seen.push(`b onEvent ${name}`);
          },
        },
        { name: 'c', events: { x: () => void seen.push('c') } },
      ],
    }).client;
    await c.start();
    await gw.connections[0]!.sendEvent('x', {});
    await until(() => seen.includes('c'));
    expect(seen).toEqual(['a', 'c']);
  });

  test("a handler that removes its own plugin: the plugin's onEvent does not get that event", async () => {
    const gw = await gateway();
    const seen: string[] = [];
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [
        {
          name: 'once',
          events: {
            x: () => {
              seen.push('handler');
              void c.remove('once');
            },
          },
          onEvent: (name) => {
            if (name === 'x') seen.push(`onEvent ${name}`);
          },
        },
        { name: 'last', events: { x: () => void seen.push('last') } },
      ],
    }).client;
    await c.start();
    await gw.connections[0]!.sendEvent('x', {});
    await until(() => seen.includes('last'));
    expect(seen).toEqual(['handler', 'last']);
  });

  test('a plugin removed by an earlier onStatus does not get that status change', async () => {
    const gw = await gateway();
    const bSaw: string[] = [];
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [
        {
          name: 'a',
          onStatus: (change) => {
            if (change.status === 'ready') void c.remove('b');
          },
        },
        {
          name: 'b',
          onStatus: (change: StatusChange) => void bSaw.push(change.status),
          onReady: () => void bSaw.push('onReady'),
        },
      ],
    }).client;
    await c.start();
    expect(c.plugins).toEqual(['a']);
    expect(bSaw.at(-1)).toBe('identifying'); // neither onStatus(ready) nor onReady
  });

  test('a plugin added by a `ready` listener hears of the next session, not of the one under way', async () => {
    const gw = await gateway();
    const saw: string[] = [];
    const late: GatewayPlugin = {
      name: 'late',
      onStatus: (change) => void saw.push(change.status),
      onReady: () => void saw.push('onReady'),
      onDisconnect: () => void saw.push('onDisconnect'),
    };
    const c = client({ url: gw.url });
    const off = c.client.subscribe((change) => {
      if (change.status !== 'ready') return;
      off();
      c.client.use(late);
    });
    await c.client.start();
    expect(c.client.plugins).toEqual(['late']);
    expect(saw).toEqual([]); // as for a plugin added to a ready client: no onReady for this session
    const again = c.next('ready');
    gw.connections[0]!.drop();
    await again;
    // From the next change on, it hears everything: the drop, and the next session's onReady.
    expect(saw.slice(0, 2)).toEqual(['reconnecting', 'onDisconnect']);
    expect(saw.filter((x) => x === 'onReady')).toHaveLength(1);
    expect(saw.at(-1)).toBe('onReady');
  });
});

describe('re-entry from a teardown', () => {
  test('remove() from the abort of a stopping plugin resolves only after its teardown', async () => {
    const gw = await gateway();
    const slow = gate();
    let finished = false;
    let removed: Promise<boolean> | undefined;
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [
        {
          name: 'slow',
          setup: (context) => {
            context.signal.addEventListener('abort', () => {
              removed = c.remove('slow');
            });
            return async () => {
              await slow.promise;
              finished = true;
            };
          },
        },
      ],
    }).client;
    await c.start();
    const stopping = c.stop();
    await until(() => removed !== undefined);
    const finishedWhenRemoved = removed!.then(() => finished);
    slow.open();
    await stopping;
    expect(await finishedWhenRemoved).toBe(true);
  });

  test('a second stop() resolves only after the teardowns the first one started', async () => {
    const gw = await gateway();
    const slow = gate();
    let finished = false;
    const c = client({
      url: gw.url,
      plugins: [
        {
          name: 'slow',
          setup: () => async () => {
            await slow.promise;
            finished = true;
          },
        },
      ],
    }).client;
    await c.start();
    const first = c.stop();
    const finishedWhenFirst = first.then(() => finished);
    // The second stop once the socket is closed, so that only the teardown can hold it back.
    await until(() => c.status === 'stopped' && gw.connections[0]!.state === 'closed');
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    const finishedWhenSecond = c.stop().then(() => finished);
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    slow.open();
    expect(await finishedWhenFirst).toBe(true);
    expect(await finishedWhenSecond).toBe(true);
  });

  test('start() from the abort of the first plugin while stopping: every plugin ends set up', async () => {
    const gw = await gateway();
    let restarted: Promise<void> | undefined;
    const first = counted('first');
    const second = counted('second');
    const restartOnce: GatewayPlugin = {
      name: 'restart',
      setup: (context) => {
        context.signal.addEventListener('abort', () => {
          restarted ??= c.start();
        });
      },
    };
    const c: GatewayClient = client({
      url: gw.url,
      plugins: [first.plugin(() => c), restartOnce, second.plugin(() => c)],
    }).client;
    await c.start();
    await c.stop();
    await restarted;
    // Running again: each plugin set up once more than torn down, none left torn down.
    expect({
      first: first.setups() - first.teardowns(),
      second: second.setups() - second.teardowns(),
    }).toEqual({ first: 1, second: 1 });
    await c.stop();
    expect({
      first: first.setups() - first.teardowns(),
      second: second.setups() - second.teardowns(),
    }).toEqual({ first: 0, second: 0 });
  });
});
