import { runServe } from '../../src/cli/serve.js';
import type { LocalGateway } from '../../src/testing/index.js';
import { cleanUp, connect, startGateway, within, type TestClient } from './helpers.js';

afterEach(cleanUp);

/** Sends op 1 events numbered `from`..`to`, then a heartbeat, and waits for its ACK: all were read. */
async function sendNumbered(client: TestClient, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) client.send({ op: 1, t: 'numbered', d: { n } });
  client.heartbeat();
  expect(await client.next()).toEqual({ op: 11 });
}

/** The `d.n` of each kept frame (`hb` for a heartbeat). */
function numbers(frames: readonly { frame?: { op: number; d?: unknown } | undefined }[]): unknown[] {
  return frames.map(({ frame }) => (frame?.op === 10 ? 'hb' : (frame?.d as { n: number }).n));
}

describe('what the gateway remembers is bounded', () => {
  it('connection.frames keeps the newest frameHistory frames', async () => {
    const gateway = await startGateway({ frameHistory: 5 });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await sendNumbered(client, 1, 200);
    expect(numbers(connection.frames)).toEqual([197, 198, 199, 200, 'hb']);
    await sendNumbered(client, 201, 203);
    expect(numbers(connection.frames)).toEqual(['hb', 201, 202, 203, 'hb']);
  });

  it('keeps 1000 frames by default', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await sendNumbered(client, 1, 1_100);
    expect(connection.frames).toHaveLength(1_000);
    expect(numbers(connection.frames.slice(-2))).toEqual([1_100, 'hb']);
  });

  it('nextFrame hands out every frame in order even when frameHistory is 0', async () => {
    const gateway = await startGateway({ frameHistory: 0 });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await sendNumbered(client, 1, 3);
    expect(connection.frames).toEqual([]);
    const handed = [];
    for (let i = 0; i < 4; i++) handed.push(await connection.nextFrame());
    expect(numbers(handed)).toEqual([1, 2, 3, 'hb']);
  });

  it('frames nobody asked for are held up to unclaimedLimit; the next ask says how many were dropped', async () => {
    const gateway = await startGateway({ unclaimedLimit: 3 });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await sendNumbered(client, 1, 9);
    // 10 frames came, the newest 3 are held: 7 dropped.
    await expect(connection.nextFrame()).rejects.toThrow(
      /^7 frames were dropped before anyone asked for them \(unclaimedLimit 3\)$/,
    );
    expect(
      numbers([await connection.nextFrame(), await connection.nextFrame(), await connection.nextFrame()]),
    ).toEqual([8, 9, 'hb']);
    // A waiter takes a frame as it comes: nothing is dropped then, whatever the limit.
    const waiting = connection.nextFrame();
    client.heartbeat();
    expect((await waiting).frame).toEqual({ op: 10 });
    expect(numbers(connection.frames.slice(-1))).toEqual(['hb']);
  });

  it('gateway.connections keeps the open ones and the newest connectionHistory closed ones', async () => {
    const gateway = await startGateway({ connectionHistory: 2 });
    const clients = Array.from({ length: 5 }, (_, i) => connect(`${gateway.url}/?v=1&i=${i + 1}`));
    await Promise.all(clients.map((client) => client.next()));
    const connections = await Promise.all(clients.map(() => gateway.nextConnection()));
    // Close 1, 2, 4 and 5 in that order; 3 stays open.
    for (const i of [0, 1, 3, 4]) {
      clients[i]!.ws.close();
      await connections[i]!.closed;
    }
    expect(gateway.connections.map((c) => c.number)).toEqual([3, 4, 5]);
    expect(gateway.connectionCount).toBe(5);
    expect(gateway.openConnectionCount).toBe(1);
    // Numbers go on counting: they are not positions in the list.
    connect(`${gateway.url}/?v=1`);
    expect((await gateway.nextConnection()).number).toBe(6);
  });

  it.each([
    ['frameHistory', -1],
    ['frameHistory', 1.5],
    ['connectionHistory', Number.NaN],
    ['unclaimedLimit', Infinity],
  ])('rejects %s = %p with a one-line RangeError', async (name, value) => {
    await expect(startGateway({ [name]: value })).rejects.toThrow(
      new RangeError(`${name} must be a whole number ≥ 0, got ${String(value)}`),
    );
  });
});

describe('utilbot-gateway serve keeps no frames and forgets closed connections', () => {
  it('holds no frame a client sent, no closed connection, and nothing for nextConnection()', async () => {
    const controller = new AbortController();
    let started: (gateway: LocalGateway) => void = () => undefined;
    const gateway = new Promise<LocalGateway>((resolve) => (started = resolve));
    const running = runServe(
      ['--port', '0'],
      { out: () => undefined, err: () => undefined },
      controller.signal,
      started,
    );
    try {
      const served = await within(gateway, 3_000, 'serve to start');
      const big = 'x'.repeat(100_000);
      const first = connect(`${served.url}/?v=1`);
      await first.next();
      for (let n = 1; n <= 50; n++) first.send({ op: 1, t: 'numbered', d: { n, big } });
      first.heartbeat();
      expect(await first.next()).toEqual({ op: 11 });
      expect(served.connections).toHaveLength(1);
      expect(served.connections[0]!.frames).toEqual([]);
      // Nobody awaits under serve: what nextFrame() would hand out is not held either.
      await expect(served.connections[0]!.nextFrame(10)).rejects.toThrow(/51 frames were dropped/);

      first.ws.close();
      await served.connections[0]!.closed;
      const second = connect(`${served.url}/?v=1`);
      await second.next();
      expect(served.connections.map((c) => c.number)).toEqual([2]);
      expect(served.connectionCount).toBe(2);
      await expect(served.nextConnection(10)).rejects.toThrow(/2 connections were dropped/);
    } finally {
      controller.abort();
      expect(await running).toBe(0);
    }
  });
});
