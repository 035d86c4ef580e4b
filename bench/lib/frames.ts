/** The frames the benchmarks use, as the gateway sends them. */

/** A GLOBAL_GUILD_COUNT event: the one event a bot receives over and over. */
export const GUILD_COUNT_FRAME = JSON.stringify({
  op: 0,
  t: 'GLOBAL_GUILD_COUNT',
  d: { guilds: 123_456, guildMembers: 98_765_432, cachedGuildMembers: 45_678_901 },
});

/** A heartbeat ACK. */
export const ACK_FRAME = '{"op":11}';

/** An event no codec knows (the list grows): its data reaches the application as is. */
export const UNKNOWN_EVENT_FRAME = JSON.stringify({
  op: 0,
  t: 'SHARD_STATS',
  d: { shard: 3, shards: 16, guilds: 2_048, latency: 42.5, region: 'eu-west', flags: ['a', 'b'] },
});

/** What a bot reports with `send_servers`. */
export const SEND_SERVERS_DATA = { guilds: 1_234, guildMembers: 567_890, cachedGuildMembers: 432_100 };

/**
 * A larger event for the inflate benchmark: an unknown event with a list of 64 guild records
 * (about 5 KiB of JSON), numbered by `i` so that every message differs.
 */
export function largeEventFrame(i: number): string {
  const guilds = Array.from({ length: 64 }, (_, g) => ({
    id: String(100_000_000_000_000_000n + BigInt(i * 64 + g)),
    name: `guild ${i}-${g}`,
    members: (i * 7919 + g * 104_729) % 250_000,
  }));
  return JSON.stringify({ op: 0, t: 'GUILD_LIST', d: { page: i, guilds } });
}

/** A GLOBAL_GUILD_COUNT frame with counts derived from `i`, so that every message differs. */
export function guildCountFrame(i: number): string {
  return JSON.stringify({
    op: 0,
    t: 'GLOBAL_GUILD_COUNT',
    d: { guilds: 100_000 + i, guildMembers: 90_000_000 + i * 13, cachedGuildMembers: 40_000_000 + i * 7 },
  });
}
