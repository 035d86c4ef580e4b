import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUp, connect, identifiedBot, startGateway } from './helpers.js';

afterEach(cleanUp);

describe('gateway-wide faults', () => {
  it('ack = false: heartbeats go unanswered (yet still count) until ACKs are resumed', async () => {
    const gateway = await startGateway({ faults: { ack: false } });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.heartbeat();
    client.identify('local-dev-key');
    // No ACK came before the identify's answer.
    expect((await client.next()).t).toBe('bot_connect_success');
    expect(connection.heartbeats).toBe(1);
    connection.faults.ack = true;
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
  });

  it('applies to connections opened after the change, not to open ones', async () => {
    const gateway = await startGateway();
    const before = connect(`${gateway.url}/?v=1`);
    await before.next();
    gateway.faults.ack = false;
    const after = connect(`${gateway.url}/?v=1`);
    await after.next();
    after.heartbeat();
    after.identify('local-dev-key');
    expect((await after.next()).t).toBe('bot_connect_success');
    before.heartbeat();
    expect(await before.next()).toEqual({ op: 11 });
  });

  it('helloDelay: Hello comes that many ms after the socket opens', async () => {
    const gateway = await startGateway({ faults: { helloDelay: 200 } });
    const client = connect(`${gateway.url}/?v=1`);
    await client.opened;
    const openedAt = Date.now();
    expect((await client.next()).op).toBe(5);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(190);
  });

  it('hello = false: Hello is withheld while the connection lives on', async () => {
    const gateway = await startGateway({ faults: { hello: false } });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.opened;
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 }); // the first frame: no Hello before it
    expect(connection.helloSent).toBe(false);
  });

  it('botConnectSuccess = false: a good identify is taken and never answered', async () => {
    const gateway = await startGateway({ faults: { botConnectSuccess: false } });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.identify('local-dev-key');
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
    expect(connection.state).toBe('identify-pending');
    expect(connection.identified).toBe(false);
    expect(connection.botId).toBeUndefined();
  });

  it('enforceHeartbeat = false: a client that never beats is not closed', async () => {
    const gateway = await startGateway({
      heartbeatInterval: 30,
      heartbeatGrace: 10,
      faults: { enforceHeartbeat: false },
    });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    // Absence cannot be awaited: wait several deadlines (40 ms each), then look.
    await sleep(250);
    expect(connection.state).toBe('connected');
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
  });
});

describe('per-connection controls', () => {
  it('faults.ack stops and resumes ACKs on one connection only', async () => {
    const gateway = await startGateway();
    const a = await identifiedBot(gateway);
    const b = await identifiedBot(gateway);
    a.connection.faults.ack = false;
    a.client.heartbeat();
    b.client.heartbeat();
    expect(await b.client.next()).toEqual({ op: 11 });
    await a.connection.nextFrame(); // identify
    await a.connection.nextFrame(); // heartbeat from identifiedBot
    expect((await a.connection.nextFrame()).frame).toEqual({ op: 10 });
    a.connection.faults.ack = true;
    a.client.heartbeat();
    expect(await a.client.next()).toEqual({ op: 11 });
  });

  it('sendRaw sends text and binary frames as given, even with compression on', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1&compression=zlib`, 'per-message');
    const connection = await gateway.nextConnection();
    await client.next();
    await connection.sendRaw('not json at all');
    await connection.sendRaw(Uint8Array.from([1, 2, 3]));
    await connection.send({ op: 11 });
    expect(await client.next()).toEqual({ op: 11 }); // after the raw frames, which the helper keeps raw
    expect(client.raw[1]).toEqual({ data: Buffer.from('not json at all'), binary: false });
    expect(client.raw[2]).toEqual({ data: Buffer.from([1, 2, 3]), binary: true });
  });

  it('sendEvent sends any op 0 event; send rejects a frame its codec refuses', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await connection.sendEvent('NEW_THING', { a: 1 });
    expect(await client.next()).toEqual({ op: 0, t: 'NEW_THING', d: { a: 1 } });
    await expect(connection.sendEvent('GLOBAL_GUILD_COUNT', { guilds: 'x' })).rejects.toThrow(/guilds/);
  });

  it('sendError sends an op -1 frame and keeps the connection open; close(code) then closes', async () => {
    const gateway = await startGateway();
    const { client, connection } = await identifiedBot(gateway);
    await connection.sendError(4002, { errors: ['Bot id taken.'], data: [null] });
    expect(await client.next()).toEqual({
      op: -1,
      e: 4002,
      m: 'Bot id used.',
      d: { errors: ['Bot id taken.'], data: [null] },
    });
    expect(connection.state).toBe('identified');
    expect(await connection.close(4002, 'Bot id used.')).toEqual({ code: 4002, reason: 'Bot id used.' });
    expect(await client.closed).toEqual({ code: 4002, reason: 'Bot id used.' });
  });

  it('sendError with only a code sends e and m', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await connection.sendError(1000);
    expect(await client.next()).toEqual({ op: -1, e: 1000, m: 'Unknown error.' });
  });

  it('close(code) closes after the frames queued before it', async () => {
    const gateway = await startGateway({ compressionForm: 'stream' });
    const client = connect(`${gateway.url}/?v=1&compression=zlib`, 'stream');
    const connection = await gateway.nextConnection();
    void connection.sendEvent('LAST_WORDS', {});
    const closing = connection.close(4321);
    expect((await client.next()).op).toBe(5);
    expect((await client.next()).t).toBe('LAST_WORDS');
    expect((await client.closed).code).toBe(4321);
    expect((await closing).code).toBe(4321);
  });

  it('goSilent: half-open — no answers, no frames, no 4006, socket kept open until the client gives up', async () => {
    const gateway = await startGateway({ heartbeatInterval: 40, heartbeatGrace: 10 });
    const { client, connection } = await identifiedBot(gateway);
    const seen = client.raw.length;
    connection.goSilent();
    let pongs = 0;
    client.ws.on('pong', () => pongs++);
    client.heartbeat();
    client.ws.ping();
    client.send({ op: 1, t: 'send_servers', d: { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 } });
    // Absence cannot be awaited: wait several heartbeat deadlines (50 ms each), then look.
    await sleep(300);
    expect(client.raw).toHaveLength(seen);
    expect(pongs).toBe(0);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(connection.silent).toBe(true);
    expect(connection.state).toBe('identified');
    expect(gateway.openConnectionCount).toBe(1);
    // The gateway still notices when the client hangs up.
    client.ws.terminate();
    expect((await connection.closed).code).toBe(1006);
    expect(gateway.openConnectionCount).toBe(0);
  });

  it('drop: the socket is destroyed without a close frame (1006 on both sides)', async () => {
    const gateway = await startGateway();
    const { client, connection } = await identifiedBot(gateway);
    connection.drop();
    expect((await client.closed).code).toBe(1006);
    expect((await connection.closed).code).toBe(1006);
  });

  it('nextFrame hands out each received frame once, decoded, and rejects once the connection closed', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.heartbeat();
    client.identify('wrong-key');
    expect((await connection.nextFrame()).frame).toEqual({ op: 10 });
    expect((await connection.nextFrame()).frame).toEqual({
      op: 1,
      t: 'identify',
      d: { type: 'bot', key: 'wrong-key' },
    });
    await connection.closed;
    await expect(connection.nextFrame()).rejects.toThrow(/closed \(4001\)/);
    expect(connection.frames).toHaveLength(2);
  });
});
