import { cleanUp, client, gateway } from './helpers.js';

afterEach(cleanUp);

/**
 * Node 22 and later have a global WebSocket (undici's), without maxPayload or terminate. The Node
 * build must keep to `ws` even where one exists; here a global that fails when constructed stands
 * for it (this test runs on whatever Node CI has, with or without a real one).
 */
describe('the default WebSocket in Node', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  afterEach(() => {
    if (saved === undefined) delete (globalThis as { WebSocket?: unknown }).WebSocket;
    else Object.defineProperty(globalThis, 'WebSocket', saved);
  });

  test('is ws even where the runtime has a global WebSocket', async () => {
    let constructed = 0;
    Object.defineProperty(globalThis, 'WebSocket', {
      configurable: true,
      writable: true,
      // A constructor function: what `new WebSocket(url)` on the global would call.
      value: function GlobalWebSocket(): never {
        constructed += 1;
        throw new Error('the global WebSocket was used');
      },
    });
    const gw = await gateway();
    const c = client({ url: gw.url });
    await c.client.start();
    expect(c.client.status).toBe('ready');
    expect(constructed).toBe(0);
    expect(c.errors).toEqual([]);
  });
});
