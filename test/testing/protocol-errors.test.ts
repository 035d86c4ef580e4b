import { cleanUp, connect, identifiedBot, startGateway, type TestClient } from './helpers.js';

afterEach(cleanUp);

/** A client that has taken Hello, so the next message it gets answers what it sends. */
async function helloed(): Promise<TestClient> {
  const gateway = await startGateway();
  const client = connect(`${gateway.url}/?v=1`);
  await client.next();
  return client;
}

async function expectRejected(
  client: TestClient,
  code: number,
  errors: unknown,
  data: unknown,
): Promise<void> {
  const error = await client.next();
  expect(error).toMatchObject({ op: -1, e: code, m: expect.any(String), d: { errors, data } });
  expect((await client.closed).code).toBe(code);
}

describe('protocol errors: an op -1 frame, then a close with the same code', () => {
  it('4003 for a frame without op', async () => {
    const client = await helloed();
    client.send({ d: { hello: 1 } });
    await expectRejected(client, 4003, ['Opcode not provided.'], [null]);
  });

  it('4003 for a frame without op from an identified bot too', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    client.send({ t: 'send_servers' });
    await expectRejected(client, 4003, ['Opcode not provided.'], [null]);
  });

  it.each([0, 5, 11, -1])('4004 for the receive-only opcode %i', async (op) => {
    const client = await helloed();
    client.send({ op });
    await expectRejected(client, 4004, [`Opcode ${op} is sent by the gateway only.`], [op]);
  });

  it('4004 for an opcode version 1 does not have', async () => {
    const client = await helloed();
    client.send({ op: 7 });
    await expectRejected(client, 4004, ['Opcode 7 does not exist.'], [7]);
  });

  it('4005 for text that is not JSON, without echoing it', async () => {
    const client = await helloed();
    client.sendText('{"op":1,"t":"identify","d":{"key":"abc');
    await expectRejected(client, 4005, ['Data is not JSON.'], [null]);
  });

  it('4005 for JSON that is not an object', async () => {
    const client = await helloed();
    client.sendText('[10]');
    await expectRejected(client, 4005, ['Frame is not a JSON object.'], [null]);
  });

  it('4005 for an op that is not an integer', async () => {
    const client = await helloed();
    client.send({ op: '10' });
    await expectRejected(client, 4005, ['Opcode must be an integer.'], ['10']);
  });

  it('4005 for an event without a name', async () => {
    const client = await helloed();
    client.send({ op: 1, d: {} });
    await expectRejected(client, 4005, ['Event name not provided.'], [null]);
  });

  it('4005 for send_servers with a string count, naming the field', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    client.send({ op: 1, t: 'send_servers', d: { guilds: '12', guildMembers: 1, cachedGuildMembers: 1 } });
    const error = await client.next();
    expect(error).toMatchObject({ op: -1, e: 4005, m: 'Malformed data.', d: { data: ['12'] } });
    expect((error.d as { errors: string[] }).errors[0]).toMatch(/d\.guilds/);
    expect((await client.closed).code).toBe(4005);
  });

  it('4005 for bad send_servers data even before identify', async () => {
    const client = await helloed();
    client.send({ op: 1, t: 'send_servers', d: { guilds: -1, guildMembers: 1, cachedGuildMembers: 1 } });
    const error = await client.next();
    expect(error).toMatchObject({ op: -1, e: 4005, d: { data: [-1] } });
  });

  it('records the frame that earned the error', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.send({ op: 11 });
    expect((await connection.closed).code).toBe(4004);
    expect(connection.frames).toHaveLength(1);
    expect(connection.frames[0]).toMatchObject({ frame: undefined, rejection: { code: 4004 } });
    expect(connection.state).toBe('closed');
  });
});

describe('what is not an error', () => {
  it('accepts and ignores an unknown event from an identified bot', async () => {
    const gateway = await startGateway();
    const { client, connection } = await identifiedBot(gateway);
    client.send({ op: 1, t: 'SOMETHING_NEW', d: { anything: [1, 2] } });
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
    expect(connection.frames.at(-2)?.frame).toEqual({ op: 1, t: 'SOMETHING_NEW', d: { anything: [1, 2] } });
    expect(connection.state).toBe('identified');
  });

  it('takes a binary frame holding JSON like a text frame', async () => {
    const client = await helloed();
    client.ws.send(Buffer.from('{"op":10}'), { binary: true });
    expect(await client.next()).toEqual({ op: 11 });
  });
});
