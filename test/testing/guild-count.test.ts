import { cleanUp, connect, identifiedBot, startGateway, type TestClient } from './helpers.js';

afterEach(cleanUp);

function report(client: TestClient, guilds: number, guildMembers: number, cachedGuildMembers: number): void {
  client.send({ op: 1, t: 'send_servers', d: { guilds, guildMembers, cachedGuildMembers } });
}

const count = (guilds: number, guildMembers: number, cachedGuildMembers: number): unknown => ({
  op: 0,
  t: 'GLOBAL_GUILD_COUNT',
  d: { guilds, guildMembers, cachedGuildMembers },
});

describe('GLOBAL_GUILD_COUNT', () => {
  it('sums the latest report of every bot and broadcasts the sum when it changes', async () => {
    const gateway = await startGateway();
    const a = await identifiedBot(gateway);
    const b = await identifiedBot(gateway);

    report(a.client, 10, 100, 50);
    expect(await a.client.next()).toEqual(count(10, 100, 50));
    expect(await b.client.next()).toEqual(count(10, 100, 50));

    report(b.client, 5, 20, 10);
    expect(await a.client.next()).toEqual(count(15, 120, 60));
    expect(await b.client.next()).toEqual(count(15, 120, 60));

    // A newer report replaces the bot's last one; it does not add to it.
    report(a.client, 11, 100, 50);
    expect(await b.client.next()).toEqual(count(16, 120, 60));
    expect(await a.client.next()).toEqual(count(16, 120, 60));
    expect(gateway.guildCount).toEqual({ guilds: 16, guildMembers: 120, cachedGuildMembers: 60 });
  });

  it('sends nothing when a report leaves the sum as it was', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    report(client, 1, 2, 3);
    expect(await client.next()).toEqual(count(1, 2, 3));
    report(client, 1, 2, 3);
    client.heartbeat();
    expect(await client.next()).toEqual({ op: 11 });
  });

  it('broadcasts the new sum when a bot leaves', async () => {
    const gateway = await startGateway();
    const a = await identifiedBot(gateway);
    const b = await identifiedBot(gateway);
    report(a.client, 10, 100, 50);
    report(b.client, 5, 20, 10);
    await b.client.nextEvent('GLOBAL_GUILD_COUNT');
    await b.client.nextEvent('GLOBAL_GUILD_COUNT');
    await a.client.nextEvent('GLOBAL_GUILD_COUNT');
    expect(await a.client.nextEvent('GLOBAL_GUILD_COUNT')).toEqual(count(15, 120, 60));

    b.client.ws.close(1000);
    expect(await a.client.next()).toEqual(count(10, 100, 50));
    expect(gateway.guildCount).toEqual({ guilds: 10, guildMembers: 100, cachedGuildMembers: 50 });
  });

  it('broadcasts on the configured period even without a change', async () => {
    const gateway = await startGateway({ guildCountInterval: 80 });
    const { client } = await identifiedBot(gateway);
    expect(await client.next()).toEqual(count(0, 0, 0));
    const first = Date.now();
    expect(await client.next()).toEqual(count(0, 0, 0));
    expect(Date.now() - first).toBeGreaterThanOrEqual(60);
  });

  it('sends it to identified bots only', async () => {
    const gateway = await startGateway();
    const bot = await identifiedBot(gateway);
    const stranger = connect(`${gateway.url}/?v=1`);
    expect((await stranger.next()).op).toBe(5);
    report(bot.client, 7, 8, 9);
    expect(await bot.client.next()).toEqual(count(7, 8, 9));
    stranger.heartbeat();
    expect(await stranger.next()).toEqual({ op: 11 });
  });

  it('sums only the three counts: guildIds and extra fields are taken and not summed', async () => {
    const gateway = await startGateway();
    const { client } = await identifiedBot(gateway);
    client.send({
      op: 1,
      t: 'send_servers',
      d: { guilds: 2, guildMembers: 3, cachedGuildMembers: 1, guildIds: ['1', '2'], shard: 0 },
    });
    expect(await client.next()).toEqual(count(2, 3, 1));
  });
});
