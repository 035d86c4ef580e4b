import type { GlobalGuildCountData, SendServersData } from '../protocol/index.js';

/**
 * The sum behind `GLOBAL_GUILD_COUNT`: each identified bot's latest `send_servers` report counts once,
 * and stops counting when its connection ends. Each sum saturates at `Number.MAX_SAFE_INTEGER`: past
 * it the sum would fail the gateway's own codec (counts are safe integers), so the broadcast could
 * not be sent at all.
 */
export interface GuildCountTotals {
  /** Replaces `botId`'s report. Returns whether the total changed. */
  report(botId: string, data: SendServersData): boolean;
  /** Forgets `botId`'s report (its connection ended). Returns whether the total changed. */
  remove(botId: string): boolean;
  /** The current sum over every report. */
  total(): GlobalGuildCountData;
}

/** Empty totals: no bot has reported. */
export function createGuildCountTotals(): GuildCountTotals {
  const reports = new Map<string, GlobalGuildCountData>();
  let sum: GlobalGuildCountData = { guilds: 0, guildMembers: 0, cachedGuildMembers: 0 };

  function recompute(): boolean {
    const next = { guilds: 0, guildMembers: 0, cachedGuildMembers: 0 };
    for (const r of reports.values()) {
      next.guilds = saturatingAdd(next.guilds, r.guilds);
      next.guildMembers = saturatingAdd(next.guildMembers, r.guildMembers);
      next.cachedGuildMembers = saturatingAdd(next.cachedGuildMembers, r.cachedGuildMembers);
    }
    const changed =
      next.guilds !== sum.guilds ||
      next.guildMembers !== sum.guildMembers ||
      next.cachedGuildMembers !== sum.cachedGuildMembers;
    sum = next;
    return changed;
  }

  return {
    report(botId, data) {
      // Only the three summed fields are kept: `guildIds` and any extra field are the bot's own business.
      const { guilds, guildMembers, cachedGuildMembers } = data;
      reports.set(botId, { guilds, guildMembers, cachedGuildMembers });
      return recompute();
    },
    remove(botId) {
      return reports.delete(botId) && recompute();
    },
    total: () => ({ ...sum }),
  };
}

/**
 * `a + b`, at most `Number.MAX_SAFE_INTEGER`. Both are safe integers ≥ 0 (the codec checked each
 * report): a sum up to the limit is exact, and one past it may round but never to below 2^53.
 */
function saturatingAdd(a: number, b: number): number {
  return Math.min(a + b, Number.MAX_SAFE_INTEGER);
}
