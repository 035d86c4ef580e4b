import { WebSocket as Ws } from 'ws';
import type { GatewayPlugin, WebSocketConstructor } from '../../src/index.js';
import { cleanUp, client, gateway, isReady, proxy, recordingWebSocket, sleep, until } from './helpers.js';

afterEach(cleanUp);

/** A plugin recording every event it gets, with the client's status at that moment. */
function recorder(): { plugin: GatewayPlugin; seen: { name: string; data: unknown; status: string }[] } {
  const seen: { name: string; data: unknown; status: string }[] = [];
  return {
    seen,
    plugin: {
      name: 'recorder',
      onEvent: (name, data, context) => {
        seen.push({ name, data, status: context.status });
      },
    },
  };
}

const ReadyStateClosing = 2;

describe('an event from an old socket', () => {
  test('through the proxy: an event still in flight when the client gives up on its socket never reaches a plugin', async () => {
    const interval = 200;
    const gw = await gateway({ heartbeatInterval: interval });
    const p = await proxy(gw.url);
    const ws = recordingWebSocket();
    const { plugin, seen } = recorder();
    const c = client({ url: p.url, WebSocket: ws.WebSocket, plugins: [plugin] });
    await c.client.start();
    await c.next('ready', 2000); // an ACK just came: the next heartbeat is 190 ms away
    const old = gw.connections[0]!;

    // From now on, what the gateway sends takes 800 ms to arrive: the ACK of the next heartbeat
    // will be missing when the one after is due (about 380 ms from now), so the client drops
    // this socket while the event sent now is still on its way.
    p.latency(800, 'downstream');
    c.client.subscribe((change) => {
      // Only what is already in flight stays slow; the next connection is not delayed.
      if (change.status === 'reconnecting') p.latency(0);
    });
    await old.sendEvent('late', { from: 'old socket' });
    const change = await c.next('reconnecting', 2000);
    expect(change.reason?.code).toBe('ZOMBIE_CONNECTION');
    await until(() => isReady(c.client.status), 4000, 'the new session');

    // The event did reach the old socket, after the client had left it (it was closing)…
    const first = ws.sockets[0]!;
    await until(() => first.received.some((m) => m.text.includes('"late"')), 2000, 'the late event');
    const late = first.received.find((m) => m.text.includes('"late"'))!;
    expect(late.readyState).toBe(ReadyStateClosing);
    // …and no plugin ever saw it, while events of the new session do arrive.
    await gw.connections[1]!.sendEvent('fresh', { from: 'new socket' });
    await until(() => seen.some((s) => s.name === 'fresh'), 2000, 'the new event');
    expect(seen.map((s) => s.name)).toEqual(['bot_connect_success', 'bot_connect_success', 'fresh']);
    expect(ws.sockets).toHaveLength(2);
    expect(p.maxOpenConnectionCount).toBe(1);
  });

  test('a WebSocket that emits on an old instance after the new session is ready: the client has unbound it', async () => {
    const gw = await gateway();
    const ws = recordingWebSocket();
    const { plugin, seen } = recorder();
    const c = client({ url: gw.url, WebSocket: ws.WebSocket, plugins: [plugin] });
    await c.client.start();
    gw.connections[0]!.drop();
    await c.next('reconnecting');
    await c.next('ready');
    const old = ws.sockets[0]!;
    expect(old.messageListeners()).toBe(0);
    old.emitLate('{"op":0,"t":"late","d":{"from":"old socket"}}');
    await sleep(50);
    expect(seen.map((s) => s.name)).not.toContain('late');
  });

  test('even if unbinding failed, an old socket cannot reach plugins or the machine', async () => {
    const gw = await gateway({ heartbeatInterval: 60_000 });
    const ws = recordingWebSocket({ ignoreRemovals: true });
    const { plugin, seen } = recorder();
    const c = client({ url: gw.url, WebSocket: ws.WebSocket, plugins: [plugin] });
    await c.client.start();
    gw.connections[0]!.drop();
    await c.next('reconnecting');
    await c.next('ready');
    const old = ws.sockets[0]!;
    expect(old.messageListeners()).toBeGreaterThan(0); // the client's listeners are still bound
    const changesBefore = c.changes.length;
    old.emitLate('{"op":0,"t":"late","d":{"from":"old socket"}}');
    old.emitLate('{"op":0,"t":"bot_connect_success","d":{}}');
    old.emitLate('{"op":-1,"e":4002,"m":"Bot ID Used"}'); // would reconnect, if it counted
    old.emitLate('{"op":5,"d":{"heartbeat":10}}');
    old.emitLate('not json');
    old.emitLateClose(4002, 'Bot ID Used');
    await sleep(100);
    expect(seen.map((s) => s.name)).toEqual(['bot_connect_success', 'bot_connect_success']);
    expect(c.changes.length).toBe(changesBefore);
    expect(isReady(c.client.status)).toBe(true);
    expect(gw.connectionCount).toBe(2);
    expect(c.errors).toEqual([]);
  });
});

describe("ws's own sockets (read with on('message'))", () => {
  test('an old socket keeps no message listener of the client, after a reconnect and after stop()', async () => {
    const gw = await gateway();
    const sockets: Ws[] = [];
    // A Proxy of ws's class: its sockets are plain ws sockets (so the client reads them with
    // on('message'), as with the default), and the test gets hold of each one.
    const Recorded = new Proxy(Ws, {
      construct(target, args: ConstructorParameters<typeof Ws>) {
        const socket = new target(...args);
        sockets.push(socket);
        return socket;
      },
    });
    const { plugin, seen } = recorder();
    const c = client({
      url: gw.url,
      WebSocket: Recorded as unknown as WebSocketConstructor,
      plugins: [plugin],
    });
    await c.client.start();
    expect(sockets[0]!.listenerCount('message')).toBe(1);
    // The client's own listener, not the wrapper ws's addEventListener would have added.
    expect(sockets[0]!.listeners('message')[0]?.name).toMatch(/onEmitterMessage$/);
    await gw.connections[0]!.sendEvent('first', {});
    await until(() => seen.some((s) => s.name === 'first'), 2000, 'the first event');

    gw.connections[0]!.drop();
    await until(() => gw.connectionCount === 2 && isReady(c.client.status), 4000, 'the new session');
    expect(sockets).toHaveLength(2);
    expect(sockets[0]!.listenerCount('message')).toBe(0);
    expect(sockets[1]!.listenerCount('message')).toBe(1);
    // A late emit on the old socket reaches nobody.
    sockets[0]!.emit('message', Buffer.from('{"op":0,"t":"late","d":{}}'), false);
    await gw.connections[1]!.sendEvent('second', {});
    await until(() => seen.some((s) => s.name === 'second'), 2000, 'the second event');

    await c.client.stop();
    expect(sockets[1]!.listenerCount('message')).toBe(0);
    expect(seen.map((s) => s.name)).toEqual([
      'bot_connect_success',
      'first',
      'bot_connect_success',
      'second',
    ]);
  });
});
