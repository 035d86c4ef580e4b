import * as t from 'io-ts';
import { isLeft, left, right, type Either } from './either.js';
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
  return new CodecRegistry(extra);
}

/**
 * `createEventRegistry`'s registry. A class: one per client, and its methods live once on the
 * prototype instead of as closures per client (heap per client, docs/performance.md).
 */
class CodecRegistry implements EventRegistry {
  readonly #builtIn: ReadonlyMap<string, EventCodec>;
  /**
   * Copied on the first register(): most clients never register a codec, and 1,000 clients in one
   * process then share one map instead of holding a copy each.
   */
  #codecs: ReadonlyMap<string, EventCodec>;
  /**
   * Per name, the register() calls still in force, oldest first. A stack rather than "the one
   * before": when two plugins override the same event, removing them in either order must end
   * with the codec of the one still there (or the built-in one), never the removed one's.
   */
  #layers: Map<string, { readonly codec: EventCodec }[]> | undefined;
  /**
   * The last lookup by name. A connection mostly receives the same few events, and comparing the
   * name JSON.parse has just made with the last one is cheaper than hashing it for the map
   * (measured ~35 ns per event on GLOBAL_GUILD_COUNT, the largest step of decodeFrame).
   */
  #lastName: string | undefined;
  #lastCodec: EventCodec | undefined;
  #lastIsIdentity = false;

  constructor(extra: Readonly<Record<string, t.Mixed>>) {
    this.#builtIn =
      Object.keys(extra).length === 0 ? knownCodecs : new Map([...knownCodecs, ...Object.entries(extra)]);
    this.#codecs = this.#builtIn;
  }

  codecOf(name: string): EventCodec | undefined {
    return this.#codecs.get(name);
  }

  register(name: string, codec: t.Mixed): () => void {
    this.#layers ??= new Map();
    let stack = this.#layers.get(name);
    if (stack === undefined) this.#layers.set(name, (stack = []));
    const layer = { codec };
    stack.push(layer);
    this.#writable().set(name, codec);
    return () => {
      const at = stack.indexOf(layer);
      if (at === -1) return;
      stack.splice(at, 1);
      const current = stack[stack.length - 1]?.codec ?? this.#builtIn.get(name);
      if (current === undefined) this.#writable().delete(name);
      else this.#writable().set(name, current);
    };
  }

  names(): string[] {
    return [...this.#codecs.keys()];
  }

  decodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown> {
    const codec = this.#lookup(name);
    if (codec === undefined) return right(data);
    // The known codecs' `is` accepts exactly what `decode` returns unchanged, so a value it
    // accepts needs no decode. A user's codec may transform (t.exact strips keys): always decode.
    if (this.#lastIsIdentity && codec.is(data)) return right(data);
    const result = codec.decode(data);
    return isLeft(result)
      ? left(fromIoTsErrors(`invalid ${name} event`, 'd', result.left, { op, t: name }))
      : result;
  }

  encodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown> {
    const codec = this.#lookup(name);
    if (codec === undefined) return right(data);
    const identity = this.#lastIsIdentity; // read before a user's `is` runs
    // Typed data (what decodeData gives, e.g. a Date) is checked with `is`: `decode` expects the
    // wire form and would refuse it whenever the codec's two sides differ. Data that is not
    // typed goes through `decode`, which accepts the wire form and explains any failure.
    // The known codecs' encode is the identity: skip it (and its copy) for them.
    if (codec.is(data)) return right(identity ? data : codec.encode(data));
    const checked = codec.decode(data);
    if (isLeft(checked))
      return left(fromIoTsErrors(`invalid ${name} event`, 'd', checked.left, { op, t: name }));
    return right(codec.encode(checked.right));
  }

  #lookup(name: string): EventCodec | undefined {
    if (name !== this.#lastName) {
      this.#lastCodec = this.#codecs.get(name);
      this.#lastIsIdentity = this.#lastCodec !== undefined && identityOnValid.has(this.#lastCodec);
      this.#lastName = name;
    }
    return this.#lastCodec;
  }

  #writable(): Map<string, EventCodec> {
    // Forgotten whole: a name of `undefined` (from plain JavaScript) must not meet a stale codec.
    this.#lastName = undefined;
    this.#lastCodec = undefined;
    this.#lastIsIdentity = false;
    if (this.#codecs === this.#builtIn) this.#codecs = new Map(this.#builtIn);
    return this.#codecs as Map<string, EventCodec>;
  }
}

/** The events the docs list, by name: the base every registry starts from. */
const knownCodecs: ReadonlyMap<string, EventCodec> = new Map(
  Object.entries<{ readonly codec: t.Mixed }>(knownEvents).map(([name, entry]) => [name, entry.codec]),
);

/**
 * Codecs whose `decode` returns any value their `is` accepts unchanged: the known events' (the Bot
 * codec normalises only null and undefined, which its `is` refuses).
 */
const identityOnValid: ReadonlySet<EventCodec> = new Set(
  Object.values(knownEvents).map((entry) => entry.codec as EventCodec),
);

/**
 * The registry `decodeFrame` and `encodeFrame` use when none is given. Frozen, and `register`
 * throws: every caller shares it. (A frozen view of a registry, whose own lookup cache must stay
 * writable.)
 */
export const defaultEventRegistry: EventRegistry = ((registry: EventRegistry) =>
  Object.freeze<EventRegistry>({
    codecOf: (name) => registry.codecOf(name),
    register: () => {
      throw new TypeError('the default event registry is shared: create your own with createEventRegistry()');
    },
    names: () => registry.names(),
    decodeData: (name, data, op) => registry.decodeData(name, data, op),
    encodeData: (name, data, op) => registry.encodeData(name, data, op),
  }))(new CodecRegistry({}));
