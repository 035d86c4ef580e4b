import { cleanUp, connect, identifiedBot, startGateway } from './helpers.js';

afterEach(cleanUp);

describe('identify', () => {
  it('answers a good identify with bot_connect_success carrying a generated bot id', async () => {
    const gateway = await startGateway({ keys: ['k1', 'k2'] });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.identify('k2');
    const success = await client.next();
    expect(success).toEqual({ op: 0, t: 'bot_connect_success', d: { id: expect.any(String), type: 'bot' } });
    expect(connection.identified).toBe(true);
    expect(connection.state).toBe('identified');
    expect(connection.botId).toBe((success.d as { id: string }).id);
  });

  it('gives every bot its own id', async () => {
    const gateway = await startGateway();
    const first = await identifiedBot(gateway);
    const second = await identifiedBot(gateway);
    expect(first.botId).not.toBe(second.botId);
  });

  it('accepts the documented default key when no keys are given', async () => {
    const gateway = await startGateway();
    const { connection } = await identifiedBot(gateway, 'local-dev-key');
    expect(connection.identified).toBe(true);
  });

  it('answers a wrong key with 4001, never echoing the key', async () => {
    const gateway = await startGateway({ keys: ['k1'] });
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    client.identify('not-the-key');
    const error = await client.next();
    expect(error).toMatchObject({ op: -1, e: 4001, m: 'Wrong auth key.', d: { data: [null] } });
    expect((await client.closed).code).toBe(4001);
    expect(client.raw.some((frame) => frame.data.toString().includes('not-the-key'))).toBe(false);
  });

  it.each([
    ['no data', undefined, ['Type not provided.', 'Key not provided.'], [null, null]],
    ['an empty object', {}, ['Type not provided.', 'Key not provided.'], [null, null]],
    ['no key', { type: 'bot' }, ['Key not provided.'], [null]],
    ['an empty key', { type: 'bot', key: '' }, ['Key not provided.'], [null]],
    ['no type', { key: 'local-dev-key' }, ['Type not provided.'], [null]],
    ['wrong types', { type: 5, key: 1234 }, ['Type must be a string.', 'Key must be a string.'], [5, null]],
    ['a type other than bot', { type: 'user', key: 'local-dev-key' }, ['Type must be "bot".'], ['user']],
  ])('answers an identify with %s with 4007, d.errors and d.data', async (_, d, errors, data) => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    client.send({ op: 1, t: 'identify', ...(d === undefined ? {} : { d }) });
    expect(await client.next()).toEqual({ op: -1, e: 4007, m: 'Wrong identify.', d: { errors, data } });
    expect((await client.closed).code).toBe(4007);
    expect(client.raw.some((frame) => frame.data.toString().includes('local-dev-key'))).toBe(false);
  });

  it('ignores and never answers events sent before identify', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.send({ op: 1, t: 'send_servers', d: { guilds: 3, guildMembers: 4, cachedGuildMembers: 5 } });
    client.send({ op: 1, t: 'something_new', d: { x: 1 } });
    client.heartbeat();
    // The ACK is the first answer: nothing was sent for the two events before it.
    expect(await client.next()).toEqual({ op: 11 });
    expect(connection.frames.map((f) => f.frame?.op)).toEqual([1, 1, 10]);
    expect(gateway.guildCount).toEqual({ guilds: 0, guildMembers: 0, cachedGuildMembers: 0 });
    client.identify('local-dev-key');
    expect((await client.next()).t).toBe('bot_connect_success');
  });

  it('answers a second identify after success with 4005', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    client.identify('local-dev-key');
    expect(await client.next()).toEqual({
      op: -1,
      e: 4005,
      m: 'Malformed data.',
      d: { errors: ['Already identified.'], data: [null] },
    });
    expect((await client.closed).code).toBe(4005);
  });
});
