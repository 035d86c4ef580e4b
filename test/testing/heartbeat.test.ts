import { cleanUp, connect, startGateway } from './helpers.js';

afterEach(cleanUp);

describe('heartbeats', () => {
  it('answers every heartbeat with a Heartbeat ACK', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    for (let i = 0; i < 3; i++) client.heartbeat();
    for (let i = 0; i < 3; i++) expect(await client.next()).toEqual({ op: 11 });
    expect(connection.heartbeats).toBe(3);
  });

  it('closes with 4006 (frame, then close code) when no heartbeat comes after Hello', async () => {
    const gateway = await startGateway({ heartbeatInterval: 100, heartbeatGrace: 30 });
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    const helloAt = Date.now();
    expect(await client.next()).toMatchObject({ op: -1, e: 4006, m: 'No heartbeat.' });
    expect(Date.now() - helloAt).toBeGreaterThanOrEqual(100);
    expect((await client.closed).code).toBe(4006);
  });

  it('closes with 4006 when the heartbeats stop after a few', async () => {
    const gateway = await startGateway({ heartbeatInterval: 60, heartbeatGrace: 30 });
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
    const lastBeatAt = Date.now();
    expect(await client.next()).toMatchObject({ op: -1, e: 4006 });
    expect(Date.now() - lastBeatAt).toBeGreaterThanOrEqual(60);
    expect((await client.closed).code).toBe(4006);
  });

  it('starts the 4006 clock at Hello, not at the socket opening', async () => {
    const gateway = await startGateway({
      heartbeatInterval: 50,
      heartbeatGrace: 20,
      faults: { helloDelay: 250 },
    });
    const client = connect(`${gateway.url}/?v=1`);
    await client.opened;
    const openedAt = Date.now();
    expect((await client.next()).op).toBe(5);
    expect(await client.next()).toMatchObject({ op: -1, e: 4006 });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(250 + 50);
  });

  it('never cuts off a client beating exactly on time, over more than interval + grace', async () => {
    // Default grace: max(10% of 100 ms, 1000 ms). 15 beats run past the first deadline, so this also
    // shows that every heartbeat moves the deadline.
    const gateway = await startGateway({ heartbeatInterval: 100 });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 100 } });
    client.heartbeat(); // the first right after Hello, then one every interval
    const timer = setInterval(() => {
      client.heartbeat();
    }, 100);
    try {
      for (let i = 0; i < 15; i++) expect(await client.next()).toEqual({ op: 11 });
    } finally {
      clearInterval(timer);
    }
    expect(connection.state).toBe('connected');
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('keeps a tightly graced client that beats early alive', async () => {
    const gateway = await startGateway({ heartbeatInterval: 200, heartbeatGrace: 100 });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    const timer = setInterval(() => {
      client.heartbeat();
    }, 50);
    try {
      for (let i = 0; i < 12; i++) expect(await client.next()).toEqual({ op: 11 });
    } finally {
      clearInterval(timer);
    }
    expect(connection.state).toBe('connected');
  });
});
