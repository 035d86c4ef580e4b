import { inflateSync } from 'node:zlib';
import {
  hostileFrames,
  hostileLineBreaks,
  type HostileFrameName,
  type LocalGateway,
  type LocalGatewayConnection,
} from '../../src/testing/index.js';
import { cleanUp, connect, identifiedBot, startGateway, type TestClient } from './helpers.js';

afterEach(cleanUp);

const KEY = 'h0stile-s3cret-key';
const MAX = Number.MAX_SAFE_INTEGER;

/** A bot identified with KEY, and the gateway's log lines. */
async function bot(options: Parameters<typeof startGateway>[0] = {}): Promise<{
  gateway: LocalGateway;
  client: TestClient;
  connection: LocalGatewayConnection;
  lines: string[];
}> {
  const lines: string[] = [];
  const gateway = await startGateway({ keys: [KEY], log: (line) => lines.push(line), ...options });
  const { client, connection } = await identifiedBot(gateway, KEY);
  return { gateway, client, connection, lines };
}

/**
 * The frame before the next message, raw: a heartbeat's ACK comes after it, so once the ACK is
 * here, so is the frame (the test client does not deliver text that is not JSON as a message).
 */
async function rawBeforeAck(client: TestClient): Promise<{ text: string; binary: boolean }> {
  client.heartbeat();
  expect(await client.next()).toEqual({ op: 11 });
  const { data, binary } = client.raw.at(-2)!;
  return { text: data.toString('utf8'), binary };
}

/**
 * What the client must receive for each hostile frame. A name added to `hostileFrames` without a
 * line here fails the first test below.
 */
const expected: Record<HostileFrameName, (client: TestClient) => Promise<void>> = {
  'key-in-error-message': async (client) => {
    expect(await client.next()).toEqual({ op: -1, e: 4001, m: `Key ${KEY} is wrong or expired.` });
  },
  'key-in-error-data': async (client) => {
    expect(await client.next()).toEqual({
      op: -1,
      e: 4007,
      m: 'Wrong identify.',
      d: { errors: [`Key ${KEY} is not accepted.`], data: [{ type: 'bot', key: KEY }] },
    });
  },
  'key-in-close-reason': async (client) => {
    expect(await client.closed).toEqual({ code: 4001, reason: KEY });
  },
  'key-as-guild-count': async (client) => {
    expect(await client.next()).toEqual({
      op: 0,
      t: 'GLOBAL_GUILD_COUNT',
      d: { guilds: KEY, guildMembers: 0, cachedGuildMembers: 0 },
    });
  },
  'key-as-hello-interval': async (client) => {
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: KEY } });
  },
  'key-in-non-json-text': async (client) => {
    const { text, binary } = await rawBeforeAck(client);
    expect(binary).toBe(false);
    expect(text).toBe(`{"op":-1,"e":4001,"m":"Key ${KEY} is wrong`);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  },
  'hello-interval-over-max-timer': async (client) => {
    expect(await client.next()).toEqual({ op: 5, d: { hearbeat: 2_147_483_648 } });
  },
  'guild-count-at-max-safe-integer': async (client) => {
    expect(await client.next()).toEqual({
      op: 0,
      t: 'GLOBAL_GUILD_COUNT',
      d: { guilds: MAX, guildMembers: MAX, cachedGuildMembers: MAX },
    });
  },
  'guild-count-past-max-safe-integer': async (client) => {
    // JSON.parse reads 2^53 + 1 as 2^53: the text shows what was sent.
    expect((await client.next()).d).toEqual({
      guilds: 2 ** 53,
      guildMembers: 2 ** 53,
      cachedGuildMembers: 2 ** 53,
    });
    expect(client.raw.at(-1)!.data.toString('utf8')).toBe(
      '{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":9007199254740993,"guildMembers":9007199254740993,"cachedGuildMembers":9007199254740993}}',
    );
  },
  'bot-connect-success': async (client) => {
    const second = await client.next();
    expect(second).toEqual({ op: 0, t: 'bot_connect_success', d: { id: expect.any(String), type: 'bot' } });
  },
  'bot-connect-success-without-data': async (client) => {
    expect(await client.next()).toEqual({ op: 0, t: 'bot_connect_success' });
  },
  'line-breaks-in-error-message': async (client) => {
    expect(await client.next()).toEqual({ op: -1, e: 1000, m: hostileLineBreaks });
  },
  'line-breaks-in-close-reason': async (client) => {
    expect(await client.closed).toEqual({ code: 1000, reason: hostileLineBreaks });
  },
};

describe('a hostile gateway: connection.sendHostile(name)', () => {
  it('has an expectation here for every hostile frame, and each has a one-line description', () => {
    expect(Object.keys(hostileFrames).sort()).toEqual(Object.keys(expected).sort());
    for (const entry of Object.values(hostileFrames)) expect(entry.description).toMatch(/^[^\n]+$/);
  });

  it('holds every line break a reader may split on', () => {
    for (const lineBreak of ['\u2028', '\u2029', '\u0085', '\v', '\f', '\n', '\r\n'])
      expect(hostileLineBreaks).toContain(lineBreak);
  });

  it.each(Object.keys(expected) as HostileFrameName[])(
    '%s reaches a raw client as specified, and the log never shows the key',
    async (name) => {
      const { client, connection, lines } = await bot();
      // Take the ACK now, so the next message is the hostile frame.
      client.heartbeat();
      expect(await client.next()).toEqual({ op: 11 });
      expect(await connection.sendHostile(name)).toBe(true);
      await expected[name](client);
      expect(lines).toContain(`#1 sending hostile frame ${name}`);
      await connection.close();
      expect(lines.join('\n')).not.toContain(KEY);
    },
  );

  it('hides the key the client echoes in its close frame from the log', async () => {
    const { client, connection, lines } = await bot();
    await connection.sendHostile('key-in-close-reason');
    // ws echoes the code and reason of a close it did not start: the key comes back.
    expect((await connection.closed).reason).toBe(KEY);
    expect((await client.closed).reason).toBe(KEY);
    expect(lines).toContain('#1 closed 4001 [key]');
  });

  it('sends frames compressed, like every frame, and non-JSON text as a text frame', async () => {
    const gateway = await startGateway({ keys: [KEY] });
    const client = connect(`${gateway.url}/?v=1&compression=zlib`, 'per-message');
    const connection = await gateway.nextConnection();
    await client.next();
    client.heartbeat();
    client.identify(KEY);
    await client.nextEvent('bot_connect_success');
    await connection.sendHostile('key-as-guild-count');
    expect((await client.nextEvent('GLOBAL_GUILD_COUNT')).d).toEqual({
      guilds: KEY,
      guildMembers: 0,
      cachedGuildMembers: 0,
    });
    const compressed = client.raw.at(-1)!;
    expect(compressed.binary).toBe(true);
    expect(inflateSync(compressed.data).toString('utf8')).toContain(`"guilds":"${KEY}"`);

    await connection.sendHostile('key-in-non-json-text');
    const text = await rawBeforeAck(client);
    expect(text).toEqual({ binary: false, text: `{"op":-1,"e":4001,"m":"Key ${KEY} is wrong` });
  });

  it('uses the gateway’s spelling of the Hello field', async () => {
    const { client, connection } = await bot({ helloField: 'heartbeat' });
    await connection.sendHostile('key-as-hello-interval');
    expect(await client.next()).toEqual({ op: 5, d: { heartbeat: KEY } });
  });

  it('sends bot_connect_success before Hello when Hello is withheld', async () => {
    const gateway = await startGateway({ faults: { hello: false } });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await connection.sendHostile('bot-connect-success');
    expect(await client.next()).toMatchObject({ op: 0, t: 'bot_connect_success' });
    expect(connection.helloSent).toBe(false);
  });

  it('a second bot_connect_success carries a new bot id', async () => {
    const gateway = await startGateway({ keys: [KEY] });
    const { client, connection, botId } = await identifiedBot(gateway, KEY);
    await connection.sendHostile('bot-connect-success');
    const second = await client.nextEvent('bot_connect_success');
    expect((second.d as { id: string }).id).not.toBe(botId);
    expect(connection.botId).toBe(botId);
  });

  it('refuses, with a one-line error, a frame that echoes the key before the client identified', async () => {
    const gateway = await startGateway();
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    await expect(connection.sendHostile('key-in-error-message')).rejects.toThrow(
      /^cannot send key-in-error-message on connection #1: it echoes the key, and the client has not identified$/,
    );
    // Frames that need no key go out before identify too.
    expect(await connection.sendHostile('bot-connect-success-without-data')).toBe(true);
    expect(await client.next()).toEqual({ op: 0, t: 'bot_connect_success' });
  });

  it('echoes the key of an identify whose success is withheld', async () => {
    const gateway = await startGateway({ keys: [KEY], faults: { botConnectSuccess: false } });
    const client = connect(`${gateway.url}/?v=1`);
    const connection = await gateway.nextConnection();
    await client.next();
    client.identify(KEY);
    await connection.nextFrame();
    await connection.sendHostile('key-in-error-message');
    expect((await client.next()).m).toBe(`Key ${KEY} is wrong or expired.`);
  });

  it('refuses a key too long for a close reason, and an unknown name', async () => {
    const long = 'k'.repeat(124);
    const gateway = await startGateway({ keys: [long] });
    const { connection: longKeyed } = await identifiedBot(gateway, long);
    await expect(longKeyed.sendHostile('key-in-close-reason')).rejects.toThrow(
      /the key is longer than a close reason can hold \(123 bytes\)$/,
    );
    expect(longKeyed.state).toBe('identified');
    await expect(longKeyed.sendHostile('nope' as HostileFrameName)).rejects.toThrow(
      new RangeError('no hostile frame is named "nope"'),
    );
  });
});
