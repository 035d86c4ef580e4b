/**
 * A gateway serving many bots must not let one of them make it buffer without bound: a flood of
 * send_servers is broadcast once per chunk the gateway reads, not once per report, and a client that
 * leaves the gateway's frames unread is closed with 1008 instead of being written to for ever.
 */
import { cleanUp, identifiedBot, startGateway, within } from './helpers.js';

afterEach(cleanUp);

describe('GLOBAL_GUILD_COUNT under a flood of send_servers', () => {
  it('goes out coalesced: far fewer broadcasts than reports, the last with the final sum', async () => {
    const gateway = await startGateway();
    const watcher = await identifiedBot(gateway);
    const flooder = await identifiedBot(gateway);
    for (let guilds = 1; guilds <= 1_000; guilds++)
      flooder.client.send({
        op: 1,
        t: 'send_servers',
        d: { guilds, guildMembers: 1, cachedGuildMembers: 1 },
      });
    const seen: number[] = [];
    for (;;) {
      const { d } = await watcher.client.nextEvent('GLOBAL_GUILD_COUNT');
      seen.push((d as { guilds: number }).guilds);
      if (seen.at(-1) === 1_000) break;
    }
    // Every report changed the sum; the watcher saw each sum at most once, and far from all of them.
    expect(seen.length).toBeLessThan(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(gateway.guildCount).toEqual({ guilds: 1_000, guildMembers: 1, cachedGuildMembers: 1 });
  });

  it('sends nothing when the reports of one burst cancel out', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    client.send({ op: 1, t: 'send_servers', d: { guilds: 5, guildMembers: 0, cachedGuildMembers: 0 } });
    client.send({ op: 1, t: 'send_servers', d: { guilds: 0, guildMembers: 0, cachedGuildMembers: 0 } });
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
    client.send({ op: 1, t: 'send_servers', d: { guilds: 7, guildMembers: 0, cachedGuildMembers: 0 } });
    expect((await client.next()).d).toEqual({ guilds: 7, guildMembers: 0, cachedGuildMembers: 0 });
  });
});

describe('a client that leaves the gateway’s frames unread', () => {
  it('is closed with 1008 once more than maxUnwrittenBytes of them wait; the others are served', async () => {
    const lines: string[] = [];
    const gateway = await startGateway({ maxUnwrittenBytes: 4_096, log: (line) => lines.push(line) });
    const bot = await identifiedBot(gateway);
    // The gateway's own frames, more than 4 KiB of them at once: the queue cannot drain that fast.
    for (let i = 0; i < 200; i++) gateway.broadcastGuildCount();
    const closed = await within(bot.client.closed, 3_000, 'the close');
    expect(closed).toEqual({ code: 1008, reason: 'Client is not reading.' });
    expect((await bot.connection.closed).code).toBe(1008);
    expect(lines).toContain('#1 closing with 1008: over 4096 bytes of frames wait for the client to read');

    // A bot that reads gets its broadcasts as before.
    const reader = await identifiedBot(gateway);
    gateway.broadcastGuildCount();
    expect((await reader.client.next()).t).toBe('GLOBAL_GUILD_COUNT');
    expect(reader.connection.state).toBe('identified');
  });

  it('a bot that stops reading is closed once the kernel holds no more; a bot that reads the same frames is not', async () => {
    const gateway = await startGateway({ maxUnwrittenBytes: 65_536, closeTimeout: 100 });
    const sink = await identifiedBot(gateway);
    // Stop reading: the kernel's buffers fill, then the gateway's frames wait in its own queue.
    (sink.client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const reporter = await identifiedBot(gateway);
    let guilds = 0;
    while (sink.connection.state !== 'closed') {
      // 200 broadcasts (~18 KB) per turn: a reader drains them between turns.
      for (let i = 0; i < 200; i++) gateway.broadcastGuildCount();
      reporter.client.send({
        op: 1,
        t: 'send_servers',
        d: { guilds: ++guilds, guildMembers: 0, cachedGuildMembers: 0 },
      });
      await new Promise((resolve) => setImmediate(resolve));
      if (guilds > 5_000) throw new Error('the bot that does not read was never closed');
    }
    expect((await sink.connection.closed).code).not.toBe(1000);
    expect(gateway.openConnectionCount).toBe(1);
    expect(reporter.connection.state).toBe('identified');
  });
});
