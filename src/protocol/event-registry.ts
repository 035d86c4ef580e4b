import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { fromIoTsErrors, type DecodeError } from './decode-error.js';
import { knownEvents } from './events.js';

/** Any io-ts codec for an event's data. */
export type EventCodec = t.Type<unknown, unknown>;

/**
 * Event name → codec of its data. Known names decode to typed data; a name without a codec decodes
 * to its raw data, because the gateway's list of events grows and an unknown event is normal.
 */
export interface EventRegistry {
  /** The codec for `name`, if one is registered. Names are case-sensitive. */
  codecOf(name: string): EventCodec | undefined;
  /**
   * Adds or replaces the codec for `name`. Returns a function that puts back what was there before
   * (so a plugin can remove the codec it added). Each returned function works once; undoing an
   * earlier registration while a later one is in force leaves the later one in force.
   */
  register(name: string, codec: t.Mixed): () => void;
  /** Every name with a codec. */
  names(): string[];
  /** Decodes an event's data: typed for a known name, as is for an unknown one. */
  decodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown>;
  /** Checks and encodes an event's data before it is sent. */
  encodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown>;
}

/**
 * A registry holding the events the docs list (`identify`, `bot_connect_success`, `send_servers`,
 * `GLOBAL_GUILD_COUNT`) plus `extra`, which may override them.
 */
export function createEventRegistry(extra: Readonly<Record<string, t.Mixed>> = {}): EventRegistry {
  const builtIn = new Map<string, EventCodec>();
  for (const [name, entry] of Object.entries<{ readonly codec: t.Mixed }>(knownEvents))
    builtIn.set(name, entry.codec);
  for (const [name, codec] of Object.entries(extra)) builtIn.set(name, codec);
  const codecs = new Map(builtIn);
  // Per name, the register() calls still in force, oldest first. A stack rather than "the one
  // before": when two plugins override the same event, removing them in either order must end
  // with the codec of the one still there (or the built-in one), never the removed one's.
  const layers = new Map<string, { readonly codec: EventCodec }[]>();

  return {
    codecOf: (name) => codecs.get(name),
    register(name, codec) {
      let stack = layers.get(name);
      if (stack === undefined) layers.set(name, (stack = []));
      const layer = { codec };
      stack.push(layer);
      codecs.set(name, codec);
      return () => {
        const at = stack.indexOf(layer);
        if (at === -1) return;
        stack.splice(at, 1);
        const current = stack[stack.length - 1]?.codec ?? builtIn.get(name);
        if (current === undefined) codecs.delete(name);
        else codecs.set(name, current);
      };
    },
    names: () => [...codecs.keys()],
    decodeData(name, data, op) {
      const codec = codecs.get(name);
      if (codec === undefined) return right(data);
      // The known codecs' `is` accepts exactly what `decode` returns unchanged, so a value it
      // accepts needs no decode. A user's codec may transform (t.exact strips keys): always decode.
      if (identityOnValid.has(codec) && codec.is(data)) return right(data);
      const result = codec.decode(data);
      return isLeft(result)
        ? left(fromIoTsErrors(`invalid ${name} event`, 'd', result.left, { op, t: name }))
        : result;
    },
    encodeData(name, data, op) {
      const codec = codecs.get(name);
      if (codec === undefined) return right(data);
      // Typed data (what decodeData gives, e.g. a Date) is checked with `is`: `decode` expects the
      // wire form and would refuse it whenever the codec's two sides differ. Data that is not
      // typed goes through `decode`, which accepts the wire form and explains any failure.
      // The known codecs' encode is the identity: skip it (and its copy) for them.
      if (codec.is(data)) return right(identityOnValid.has(codec) ? data : codec.encode(data));
      const checked = codec.decode(data);
      if (isLeft(checked))
        return left(fromIoTsErrors(`invalid ${name} event`, 'd', checked.left, { op, t: name }));
      return right(codec.encode(checked.right));
    },
  };
}

/**
 * Codecs whose `decode` returns any value their `is` accepts unchanged: the known events' (the Bot
 * codec normalises only null and undefined, which its `is` refuses).
 */
const identityOnValid: ReadonlySet<EventCodec> = new Set(
  Object.values(knownEvents).map((entry) => entry.codec as EventCodec),
);

/** The registry `decodeFrame` and `encodeFrame` use when none is given. Not to be mutated. */
export const defaultEventRegistry: EventRegistry = Object.freeze(
  ((registry) => ({
    ...registry,
    register: () => {
      throw new TypeError('the default event registry is shared: create your own with createEventRegistry()');
    },
  }))(createEventRegistry()),
);
