import * as t from 'io-ts';
import { left, right, type Either } from './either.js';
import { decodeError, fromIoTsErrors, type DecodeError } from './decode-error.js';
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
   * earlier registration while a later one is in force leaves the later one in force. Something
   * that is not a codec throws a `TypeError` saying so (`eventCodecsProblem`), and nothing
   * changes.
   */
  register(name: string, codec: t.Mixed): () => void;
  /** Every name with a codec. */
  names(): string[];
  /**
   * Decodes an event's data: typed for a known name, as is for an unknown one. Never throws: a
   * codec that throws (or returns no io-ts result) is a failure like any other, whose `cause` is
   * what it threw.
   */
  decodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown>;
  /** Checks and encodes an event's data before it is sent. Never throws, as `decodeData`. */
  encodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown>;
}

/**
 * A registry holding the events the docs list (`identify`, `bot_connect_success`, `send_servers`,
 * `GLOBAL_GUILD_COUNT`) plus `extra`, which may override them. An `extra` that is not a map of
 * codecs throws a `TypeError` saying which one (`eventCodecsProblem`).
 */
export function createEventRegistry(extra: Readonly<Record<string, t.Mixed>> = {}): EventRegistry {
  const problem = eventCodecsProblem(extra, 'codecs');
  if (problem !== undefined) throw new TypeError(problem);
  return new CodecRegistry(extra);
}

/**
 * Why `codecs` is not a map of event name → io-ts codec, in one line starting with `label`
 * (`codecs.ping must be an io-ts codec …`), or `undefined` when it is one. A codec is checked by
 * its shape (`is`, `decode` and `encode` functions), not by `instanceof t.Type`: a plugin may
 * bring its own copy of io-ts. Checked when a codec is given, so that a wrong one is refused
 * there, not found when its event first arrives.
 */
export function eventCodecsProblem(codecs: unknown, label: string): string | undefined {
  if (typeof codecs !== 'object' || codecs === null || Array.isArray(codecs))
    return `${label} must be an object of event name → io-ts codec, got ${kindOf(codecs)}`;
  for (const [name, codec] of Object.entries(codecs)) {
    const problem = eventCodecProblem(codec);
    if (problem !== undefined) return `${label}${memberOf(name)} ${MUST_BE_CODEC}, ${problem}`;
  }
  return undefined;
}

const MUST_BE_CODEC = 'must be an io-ts codec (is, decode and encode functions)';

/** What was given instead of a codec (`got 5`, `got an object whose decode is not a function`), or `undefined`. */
function eventCodecProblem(codec: unknown): string | undefined {
  if (typeof codec !== 'object' || codec === null) return `got ${kindOf(codec)}`;
  try {
    const missing = (['is', 'decode', 'encode'] as const).filter(
      (method) => typeof (codec as Record<string, unknown>)[method] !== 'function',
    );
    if (missing.length === 0) return undefined;
    return `got an object whose ${missing.join(', ')} ${missing.length === 1 ? 'is not a function' : 'are not functions'}`;
  } catch {
    return 'got an object whose methods could not be read'; // a getter or a Proxy that threw
  }
}

/** `.ping`, or `["a name"]` for a name that is not a plain word (it is the user's own text). */
function memberOf(name: string): string {
  return /^[\w$-]{1,40}$/.test(name) ? `.${name}` : `[${JSON.stringify(name.slice(0, 40))}]`;
}

/** A value in a one-line message by its kind alone (a number or boolean as itself); no text of it. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The failure for a codec that threw, or returned something that is not an io-ts result: the
 * codec is a user's, and its error goes into `cause`, never into the message.
 */
function codecFailed(
  name: string,
  doing: 'decode' | 'encode',
  data: unknown,
  op: number,
  threw: boolean,
  cause?: unknown,
): DecodeError {
  const expected = `data its codec can ${doing} (the codec ${threw ? 'threw' : 'returned no io-ts result'})`;
  const failure = decodeError(`invalid ${name} event`, 'd', expected, data, { op, t: name });
  return threw ? { ...failure, cause } : failure;
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
    const problem = eventCodecProblem(codec);
    if (problem !== undefined)
      throw new TypeError(`the codec for event ${JSON.stringify(name)} ${MUST_BE_CODEC}, ${problem}`);
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
      if (stack.length === 0) this.#layers?.delete(name); // a plugin per event name must not leave one entry each
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
    // A user's codec may throw (a `validate` that assumed its input) or return anything: either
    // is this event's failure, never an exception out of the socket's message listener. The
    // try costs nothing while nothing throws (benchmark 2).
    try {
      const result = codec.decode(data) as Either<t.Errors, unknown> | undefined;
      if (result?._tag === 'Right') return result;
      if (result?._tag === 'Left')
        return left(fromIoTsErrors(`invalid ${name} event`, 'd', result.left, { op, t: name }));
    } catch (cause) {
      return left(codecFailed(name, 'decode', data, op, true, cause));
    }
    return left(codecFailed(name, 'decode', data, op, false));
  }

  encodeData(name: string, data: unknown, op: number): Either<DecodeError, unknown> {
    const codec = this.#lookup(name);
    if (codec === undefined) return right(data);
    const identity = this.#lastIsIdentity; // read before a user's `is` runs
    // Typed data (what decodeData gives, e.g. a Date) is checked with `is`: `decode` expects the
    // wire form and would refuse it whenever the codec's two sides differ. Data that is not
    // typed goes through `decode`, which accepts the wire form and explains any failure.
    // The known codecs' encode is the identity: skip it (and its copy) for them.
    // A user's codec that throws is refused data, as in decodeData: `send` throws INVALID_EVENT.
    try {
      if (codec.is(data)) return right(identity ? data : codec.encode(data));
      const checked = codec.decode(data) as Either<t.Errors, unknown> | undefined;
      if (checked?._tag === 'Right') return right(codec.encode(checked.right));
      if (checked?._tag === 'Left')
        return left(fromIoTsErrors(`invalid ${name} event`, 'd', checked.left, { op, t: name }));
    } catch (cause) {
      return left(codecFailed(name, 'encode', data, op, true, cause));
    }
    return left(codecFailed(name, 'encode', data, op, false));
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
