import { randomUUID } from 'node:crypto';
import { GatewayErrorCode, GatewayEventName, Opcode } from '../protocol/index.js';
import type { HelloField } from './defaults.js';

/**
 * Every line break a reader may split on: U+2028, U+2029, NEL (U+0085), vertical tab, form feed,
 * `\n` and `\r\n`. A client that prints a gateway's message or close reason on one line must escape
 * them all, not only `\n`.
 */
export const hostileLineBreaks = 'one\u2028two\u2029three\u0085four\u000bfive\u000csix\nseven\r\neight';

/** Longest close reason WebSocket allows, in UTF-8 bytes (125 bytes of payload minus the code). */
const MAX_CLOSE_REASON = 123;

/** What a hostile frame is built from: facts about the connection it goes to. */
export interface HostileContext {
  /**
   * The key the client identified with on this connection, accepted or not; `undefined` before any
   * identify. Frames that echo it cannot be built without it.
   */
  readonly key: string | undefined;
  /** How this gateway spells Hello's interval field (`helloField`). */
  readonly helloField: HelloField;
}

/**
 * What the gateway does for one hostile frame:
 * - `frame`: sends `text` the way it sends every frame (compressed when the client asked for zlib),
 *   but without the checks of `encodeFrame`: the text is wrong on purpose;
 * - `text`: sends `text` as a text frame, never compressed (what `sendRaw` does);
 * - `close`: closes with `code` and `reason`, after the frames queued before it.
 */
export type HostileAct =
  | { readonly kind: 'frame'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string };

/** One entry of {@link hostileFrames}. */
export interface HostileFrame {
  /** What the client receives, in one line. */
  readonly description: string;
  /** Builds it for one connection; throws a one-line `Error` when the connection cannot have it. */
  build(context: HostileContext): HostileAct;
}

/**
 * The frames a hostile gateway sends, by name: send one with `connection.sendHostile(name)`, or
 * build one yourself with `hostileFrames[name].build({ key, helloField })`. Each is something a
 * client must survive without crashing, and without carrying the key into a log, an error message
 * or a status: the key echoed in every place a gateway could put it, values past the limits a
 * client computes with, frames out of their place, and text with line breaks a log would split on.
 * None of them closes the connection, except the `…-close-reason` ones.
 */
export const hostileFrames = {
  'key-in-error-message': {
    description: 'op -1, e 4001, with the key in m',
    build: (c) =>
      frame({
        op: Opcode.Error,
        e: GatewayErrorCode.WrongAuthKey,
        m: `Key ${keyOf(c)} is wrong or expired.`,
      }),
  },
  'key-in-error-data': {
    description: 'op -1, e 4007, with the key in d.errors and the identify data, key included, in d.data',
    build: (c) =>
      frame({
        op: Opcode.Error,
        e: GatewayErrorCode.WrongIdentify,
        m: 'Wrong identify.',
        d: { errors: [`Key ${keyOf(c)} is not accepted.`], data: [{ type: 'bot', key: keyOf(c) }] },
      }),
  },
  'key-in-close-reason': {
    description:
      'a close with code 4001 whose reason is the key (at most 123 bytes: a longer key is refused)',
    build: (c) => {
      const key = keyOf(c);
      if (Buffer.byteLength(key) > MAX_CLOSE_REASON)
        throw new Error(`the key is longer than a close reason can hold (${MAX_CLOSE_REASON} bytes)`);
      return { kind: 'close', code: GatewayErrorCode.WrongAuthKey, reason: key };
    },
  },
  'key-as-guild-count': {
    description: 'GLOBAL_GUILD_COUNT whose guilds is a string holding the key',
    build: (c) => guildCount(keyOf(c), 0, 0),
  },
  'key-as-hello-interval': {
    description: "Hello whose interval (in the gateway's helloField) is a string holding the key",
    build: (c) => frame({ op: Opcode.Hello, d: { [c.helloField]: keyOf(c) } }),
  },
  'key-in-non-json-text': {
    description:
      'a text frame that is not JSON: an op -1 frame cut off in the middle of its m, after the key',
    build: (c) => {
      const message = JSON.stringify(`Key ${keyOf(c)} is wrong`);
      return { kind: 'text', text: `{"op":-1,"e":4001,"m":${message.slice(0, -1)}` };
    },
  },
  'hello-interval-over-max-timer': {
    description:
      'Hello with an interval of 2^31 ms, one past the longest delay a Node or browser timer takes',
    build: (c) => frame({ op: Opcode.Hello, d: { [c.helloField]: 2 ** 31 } }),
  },
  'guild-count-at-max-safe-integer': {
    description:
      'GLOBAL_GUILD_COUNT with every count at Number.MAX_SAFE_INTEGER: valid, but one more overflows',
    build: () => guildCount(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  },
  'guild-count-past-max-safe-integer': {
    description:
      'GLOBAL_GUILD_COUNT with every count 9007199254740993 (2^53 + 1), which JSON.parse cannot hold exactly',
    build: () => {
      const n = '9007199254740993';
      return {
        kind: 'frame',
        text: `{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":${n},"guildMembers":${n},"cachedGuildMembers":${n}}}`,
      };
    },
  },
  'bot-connect-success': {
    description:
      'bot_connect_success with a new bot id: a second one after identify, or one before Hello when Hello is withheld',
    build: () =>
      frame({
        op: Opcode.GatewayEvent,
        t: GatewayEventName.BotConnectSuccess,
        d: { id: randomUUID(), type: 'bot' },
      }),
  },
  'bot-connect-success-without-data': {
    description: 'bot_connect_success without d',
    build: () => frame({ op: Opcode.GatewayEvent, t: GatewayEventName.BotConnectSuccess }),
  },
  'line-breaks-in-error-message': {
    description: 'op -1, e 1000, whose m holds every line break (hostileLineBreaks)',
    build: () => frame({ op: Opcode.Error, e: GatewayErrorCode.UnknownError, m: hostileLineBreaks }),
  },
  'line-breaks-in-close-reason': {
    description: 'a close with code 1000 whose reason holds every line break (hostileLineBreaks)',
    build: () => ({ kind: 'close', code: 1000, reason: hostileLineBreaks }),
  },
} satisfies Record<string, HostileFrame>;

/** The name of a hostile frame: a key of {@link hostileFrames}. */
export type HostileFrameName = keyof typeof hostileFrames;

function frame(value: Record<string, unknown>): HostileAct {
  return { kind: 'frame', text: JSON.stringify(value) };
}

function guildCount(guilds: unknown, guildMembers: unknown, cachedGuildMembers: unknown): HostileAct {
  return frame({
    op: Opcode.GatewayEvent,
    t: GatewayEventName.GlobalGuildCount,
    d: { guilds, guildMembers, cachedGuildMembers },
  });
}

function keyOf(context: HostileContext): string {
  if (context.key === undefined) throw new Error('it echoes the key, and the client has not identified');
  return context.key;
}
