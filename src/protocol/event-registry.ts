import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { fromIoTsErrors, type DecodeError } from './decode-error.js';
import { knownEvents } from './events.js';

/** Any io-ts codec for an event's data. */
export type EventCodec = t.Type<unknown, unknown, unknown>;

/**
 * Event name → codec of its data. Known names decode to typed data; a name without a codec decodes
 * to its raw data, because the gateway's list of events grows and an unknown event is normal.
 */
export interface EventRegistry {
  /** The codec for `name`, if one is registered. Names are case-sensitive. */
  codecOf(name: string): EventCodec | undefined;
  /**
   * Adds or replaces the codec for `name`. Returns a function that puts back what was there before
   * (so a plugin can remove the codec it added).
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
  const codecs = new Map<string, EventCodec>();
  for (const [name, entry] of Object.entries(knownEvents)) codecs.set(name, entry.codec as EventCodec);
  for (const [name, codec] of Object.entries(extra)) codecs.set(name, codec as EventCodec);

  return {
    codecOf: (name) => codecs.get(name),
    register(name, codec) {
      const before = codecs.get(name);
      codecs.set(name, codec as EventCodec);
      return () => {
        if (codecs.get(name) !== codec) return;
        if (before === undefined) codecs.delete(name);
        else codecs.set(name, before);
      };
    },
    names: () => [...codecs.keys()],
    decodeData(name, data, op) {
      const codec = codecs.get(name);
      if (codec === undefined) return right(data);
      const result = codec.decode(data);
      return isLeft(result)
        ? left(fromIoTsErrors(`invalid ${name} event`, 'd', result.left, { op, t: name }))
        : result;
    },
    encodeData(name, data, op) {
      const codec = codecs.get(name);
      if (codec === undefined) return right(data);
      // Validate with `decode` (it checks refinements that `is` may skip), then encode what it gave.
      const checked = codec.decode(data);
      if (isLeft(checked))
        return left(fromIoTsErrors(`invalid ${name} event`, 'd', checked.left, { op, t: name }));
      return right(codec.encode(checked.right));
    },
  };
}

/** The registry `decodeFrame` and `encodeFrame` use when none is given. Not to be mutated. */
export const defaultEventRegistry: EventRegistry = Object.freeze(
  ((registry) => ({
    ...registry,
    register: () => {
      throw new TypeError('the default event registry is shared: create your own with createEventRegistry()');
    },
  }))(createEventRegistry()),
);
