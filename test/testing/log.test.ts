/**
 * The gateway's log (what `utilbot-gateway serve` prints) shows text a client chose: event names,
 * close reasons, codec messages quoting a value. None of it may show a part of a key, and none of
 * it may make a line longer than a person can read.
 */
import { cleanUp, connect, identifiedBot, startGateway } from './helpers.js';

afterEach(cleanUp);

const KEY = 's3cret-key-0123456789';

/** Every run of 8 characters of `key`: the redactor's rule is that none of them is printed. */
function fragments(key: string): string[] {
  return Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8));
}

async function gatewayWithLog(keys = [KEY]) {
  const lines: string[] = [];
  const gateway = await startGateway({ keys, log: (line) => lines.push(line) });
  return { gateway, lines };
}

describe('the local gateway log hides every part of a key', () => {
  it('in a codec message quoting a value, an event name and a close reason', async () => {
    const { gateway, lines } = await gatewayWithLog();
    const bot = await identifiedBot(gateway, KEY);
    // A buggy bot puts part of its key where a count goes: the codec's message quotes the value.
    bot.client.send({
      op: 1,
      t: 'send_servers',
      d: { guilds: KEY.slice(0, 15), guildMembers: 1, cachedGuildMembers: 1 },
    });
    await bot.connection.closed;

    const stranger = connect(`${gateway.url}/?v=1`);
    await stranger.next();
    const strangerConnection = await gateway.nextConnection();
    stranger.send({ op: 1, t: `debug ${KEY.slice(0, 12)}`, d: {} });
    stranger.heartbeat();
    await stranger.next();
    stranger.ws.close(4000, `bye ${KEY.slice(3)}`);
    await strangerConnection.closed;

    const log = lines.join('\n');
    for (const fragment of fragments(KEY)) expect(log).not.toContain(fragment);
    expect(lines.some((line) => /^#1 error 4005 .*got "\[key\]"/.test(line))).toBe(true);
    expect(lines).toContain('#2 ignored debug [key] before identify');
    expect(lines).toContain('#2 closed 4000 bye [key]');
  });

  it('in a key spelled with JSON escapes, and in a key a client identified with that the gateway does not accept', async () => {
    const { gateway, lines } = await gatewayWithLog();
    const other = 'other-s3cret-9876543210';
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    const connection = await gateway.nextConnection();
    // Before identify: an event named after an accepted key, written with \u escapes.
    const escaped = Array.from(
      KEY.slice(2, 14),
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    client.send({ op: 1, t: `escaped ${escaped.join('')}`, d: {} });
    // Refused with 4001; the client echoes the key it tried in its close reason.
    client.identify(other);
    client.ws.close(4000, `bye ${other.slice(2)}`);
    await connection.closed;

    const log = lines.join('\n');
    for (const fragment of fragments(KEY)) expect(log).not.toContain(fragment);
    expect(lines.some((line) => line.startsWith('#1 ignored escaped ') && line.includes('[key]'))).toBe(true);
    expect(log).not.toContain(other.slice(0, 8));
  });
});

describe('log lines are short whatever the client sends', () => {
  it('cuts an event name and a close reason to about 200 characters, after hiding keys', async () => {
    const { gateway, lines } = await gatewayWithLog();
    const client = connect(`${gateway.url}/?v=1`);
    await client.next();
    const connection = await gateway.nextConnection();
    client.send({ op: 1, t: 'n'.repeat(1_000_000), d: {} });
    client.send({ op: 1, t: '\u2028'.repeat(300_000), d: {} });
    // The key straddles the 200th character: a cut before redaction would leave 9 of its characters.
    client.send({ op: 1, t: `${'k'.repeat(191)}${KEY}${'k'.repeat(500)}`, d: {} });
    // Past the part searched for keys (the first 10,000 characters), a key cut at its end.
    client.send({ op: 1, t: `${KEY.repeat(476)}${KEY.slice(0, 12)}${'k'.repeat(1000)}`, d: {} });
    client.heartbeat();
    await client.next();
    client.ws.close(4000, `${KEY.slice(1)}${'r'.repeat(100)}`); // about as long as a close reason can be
    await connection.closed;

    const longest = Math.max(...lines.map((line) => line.length));
    expect(longest).toBeLessThan(400);
    expect(lines.some((line) => line.startsWith(`#1 ignored ${'n'.repeat(150)}`))).toBe(true);
    expect(lines.some((line) => line.startsWith(`#1 ignored ${'\\u2028'.repeat(20)}`))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^#1 ignored k{191}\\[key\\]k+…`)));
    const log = lines.join('\n');
    for (const fragment of fragments(KEY)) expect(log).not.toContain(fragment);
    expect(lines).toContain(`#1 closed 4000 [key]${'r'.repeat(100)}`);
    for (const line of lines) expect(line).not.toContain('\n');
  });
});
