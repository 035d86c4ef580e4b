import * as t from 'io-ts';
import { isCount, isRecord, withGuard } from './guard.js';

/** A count of guilds or members: a non-negative safe integer. */
export const Count = new t.Type<number, number, unknown>(
  'a non-negative integer',
  isCount,
  (u, c) => (isCount(u) ? t.success(u) : t.failure(u, c)),
  (n) => n,
);

/** `identify` (client → gateway): who the client is. The key goes here and nowhere else. */
export const IdentifyData = withGuard(
  t.type({ type: t.string, key: t.string }, 'IdentifyData'),
  (u): u is { type: string; key: string } =>
    isRecord(u) && typeof u.type === 'string' && typeof u.key === 'string',
);
/** Data of `identify`. */
export type IdentifyData = t.TypeOf<typeof IdentifyData>;

/**
 * `bot_connect_success` (gateway → client): "receives a Bot", with no fields documented. Every
 * field is kept and none is required, but `d` must be an object: a frame without one (or with
 * `d: null`) does not decode, and the client does not take it for a session (decision 16).
 */
export const BotConnectSuccessData = new t.Type<Record<string, unknown>, unknown, unknown>(
  'BotConnectSuccessData',
  (u): u is Record<string, unknown> => t.UnknownRecord.is(u),
  (u, c) => (t.UnknownRecord.is(u) ? t.success(u) : t.failure(u, c, 'an object (a Bot)')),
  (d) => d,
);
/** Data of `bot_connect_success`. */
export type BotConnectSuccessData = t.TypeOf<typeof BotConnectSuccessData>;

/** `GLOBAL_GUILD_COUNT` (gateway → bots): the sum over every bot's latest report. */
export const GlobalGuildCountData = withGuard(
  t.type({ guilds: Count, guildMembers: Count, cachedGuildMembers: Count }, 'GlobalGuildCountData'),
  (u): u is { guilds: number; guildMembers: number; cachedGuildMembers: number } =>
    isRecord(u) && hasCounts(u),
);

function hasCounts(u: Record<string, unknown>): boolean {
  return isCount(u.guilds) && isCount(u.guildMembers) && isCount(u.cachedGuildMembers);
}
/** Data of `GLOBAL_GUILD_COUNT`. */
export type GlobalGuildCountData = t.TypeOf<typeof GlobalGuildCountData>;

/**
 * `send_servers` (client → gateway): what one bot shard manages. **Inferred**: the docs say only
 * "how many and which guilds, how many users, how many cached users", so the names follow
 * `GLOBAL_GUILD_COUNT` and `guildIds` stands for "which guilds". Replace it in an event registry if
 * the real gateway turns out to want something else. Extra fields pass through.
 */
export const SendServersData = withGuard(
  t.intersection(
    [
      t.type({ guilds: Count, guildMembers: Count, cachedGuildMembers: Count }),
      t.partial({ guildIds: t.array(t.string) }),
    ],
    'SendServersData',
  ),
  (u): u is { guilds: number; guildMembers: number; cachedGuildMembers: number; guildIds?: string[] } =>
    isRecord(u) &&
    hasCounts(u) &&
    (u.guildIds === undefined ||
      (Array.isArray(u.guildIds) && u.guildIds.every((id) => typeof id === 'string'))),
);
/** Data of `send_servers`. */
export type SendServersData = t.TypeOf<typeof SendServersData>;

/**
 * The event names the docs list today, each with its sender and codec. `snapshot`: each one tells
 * the whole state (send_servers is "how many guilds … a bot shard manages"), so a newer one makes
 * an older one still waiting to be sent worthless: the client keeps only the latest queued.
 */
export const knownEvents = {
  identify: { sentBy: 'client', codec: IdentifyData, snapshot: false },
  bot_connect_success: { sentBy: 'gateway', codec: BotConnectSuccessData, snapshot: false },
  send_servers: { sentBy: 'client', codec: SendServersData, snapshot: true },
  GLOBAL_GUILD_COUNT: { sentBy: 'gateway', codec: GlobalGuildCountData, snapshot: true },
} as const;

/** Whether `name` is a known snapshot event (see {@link knownEvents}). */
export function isSnapshotEvent(name: string): boolean {
  return Object.hasOwn(knownEvents, name) && knownEvents[name as KnownEventName].snapshot;
}

/** A name from {@link knownEvents}. */
export type KnownEventName = keyof typeof knownEvents;

/** Event name → data type, for the events the docs list. */
export type KnownEvents = { [K in KnownEventName]: t.TypeOf<(typeof knownEvents)[K]['codec']> };

/** The event names as constants, in the protocol's own spelling (the names mix cases). */
export const GatewayEventName = {
  Identify: 'identify',
  BotConnectSuccess: 'bot_connect_success',
  SendServers: 'send_servers',
  GlobalGuildCount: 'GLOBAL_GUILD_COUNT',
} as const satisfies Record<string, KnownEventName>;
