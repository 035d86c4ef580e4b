import { isLeft, left, right, type Either } from './either.js';
import { decodeError, fromIoTsErrors, type DecodeError } from './decode-error.js';
import { defaultEventRegistry, type EventRegistry } from './event-registry.js';
import {
  frameBodyCodecs,
  isInterval,
  type ClientEventFrame,
  type ClientFrame,
  type Frame,
  type GatewayEventFrame,
  type GatewayFrame,
  type HelloFrame,
} from './frames.js';
import { MAX_TIMER_MS } from './limits.js';
import { Opcode, isSentBy, type OpcodeDirection } from './opcodes.js';

/** Options of {@link decodeFrame}. */
export interface DecodeOptions {
  /** Codecs for event data; the events the docs list when not given. */
  readonly events?: EventRegistry;
  /** When given, an opcode the other side sends (or an unknown one) is an error. */
  readonly sender?: OpcodeDirection;
}

/** Options of {@link encodeFrame}. */
export interface EncodeOptions {
  /** Codecs for event data; the events the docs list when not given. */
  readonly events?: EventRegistry;
  /**
   * How Hello's interval field is spelled on the wire. The docs' example writes `hearbeat`, the
   * prose `heartbeat`; the default follows the example, as the real gateway does.
   */
  readonly helloField?: 'hearbeat' | 'heartbeat';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one frame: a text frame, or the bytes of one (already inflated) binary frame holding
 * UTF-8 JSON. Never throws: anything wrong becomes a one-line {@link DecodeError}.
 */
export function decodeFrame(
  raw: string,
  options: DecodeOptions & { sender: 'gateway' },
): Either<DecodeError, GatewayFrame>;
export function decodeFrame(
  raw: string,
  options: DecodeOptions & { sender: 'client' },
): Either<DecodeError, ClientFrame>;
export function decodeFrame(
  raw: string | Uint8Array | ArrayBuffer,
  options?: DecodeOptions,
): Either<DecodeError, Frame>;
export function decodeFrame(
  raw: string | Uint8Array | ArrayBuffer,
  options: DecodeOptions = {},
): Either<DecodeError, Frame> {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else {
    try {
      text = utf8.decode(raw);
    } catch {
      // Built by hand: decodeError would quote this description as if it were the value.
      const got = `${raw.byteLength} bytes that are not UTF-8`;
      const expected = 'UTF-8 JSON text';
      return left({ message: `binary frame: expected ${expected}, got ${got}`, path: '', expected, got });
    }
  }
  let value: unknown;
  try {
    // A `__proto__` key is removed (as secure-json-parse's "remove" does): JSON.parse keeps it as a
    // plain own key, but any copy by assignment — io-ts's own, when a codec transforms, or a
    // plugin's Object.assign — turns it into the copy's prototype.
    value = mayHoldProtoKey(text) ? JSON.parse(text, withoutProto) : JSON.parse(text);
  } catch {
    return left(decodeError('frame', '', 'JSON', text));
  }
  return decodeFrameValue(value, options);
}

/** Decodes a frame that is already parsed JSON. See {@link decodeFrame}. */
export function decodeFrameValue(value: unknown, options: DecodeOptions = {}): Either<DecodeError, Frame> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return left(decodeError('frame', '', 'a JSON object', value));
  }
  const frame = value as { op?: unknown; t?: unknown; d?: unknown };
  const op = frame.op;
  if (op === undefined) return left(decodeError('frame', 'op', 'an opcode', op));
  if (typeof op !== 'number' || !Number.isInteger(op))
    return left(decodeError('frame', 'op', 'an integer opcode', op));
  const body = frameBodyCodecs[op as Opcode] as (typeof frameBodyCodecs)[Opcode] | undefined;
  if (body === undefined)
    return left(decodeError('frame', 'op', 'a known opcode (-1, 0, 1, 5, 10, 11)', op, { op }));
  if (options.sender !== undefined && !isSentBy(op, options.sender)) {
    return left(decodeError('frame', 'op', `an opcode the ${options.sender} sends`, op, { op }));
  }
  const name = typeof frame.t === 'string' ? frame.t : undefined;
  // Fast path: `is` walks the frame without building anything; only a frame it refuses (or Hello,
  // whose spelling decode normalises) pays for `decode`, which also explains the failure.
  let checked: Frame;
  if (op !== Opcode.Hello && body.is(value)) checked = value as Frame;
  else {
    const decoded = body.decode(value);
    if (isLeft(decoded))
      return left(fromIoTsErrors(`invalid op ${op} frame`, '', decoded.left, { op, t: name }));
    // io-ts copies a changed object with Object.assign, which turns an own `__proto__` key of the
    // frame into the copy's prototype; spread copies it as a plain key. Only Hello's data changes.
    if (op === Opcode.Hello) return right({ ...frame, d: (decoded.right as HelloFrame).d } as HelloFrame);
    checked = decoded.right as Frame;
  }
  if (op !== Opcode.GatewayEvent && op !== Opcode.ClientEvent) return right(checked);
  const data = (options.events ?? defaultEventRegistry).decodeData(name as string, frame.d, op);
  if (isLeft(data)) return data;
  const event = checked as GatewayEventFrame | ClientEventFrame;
  return right(data.right === frame.d ? event : { ...event, d: data.right });
}

/**
 * Checks a frame against its opcode's codec (and its event's codec, for op 0 and op 1) and
 * serialises it to the JSON text that goes on the wire.
 */
export function encodeFrame(frame: Frame, options: EncodeOptions = {}): Either<DecodeError, string> {
  const value = frame as unknown as Record<string, unknown>;
  const op = value.op;
  if (typeof op !== 'number' || !(op in frameBodyCodecs)) {
    return left(decodeError('cannot encode frame', 'op', 'a known opcode (-1, 0, 1, 5, 10, 11)', op));
  }
  if (op === Opcode.Heartbeat) return right('{"op":10}');
  if (op === Opcode.Hello) {
    const interval = (frame as { d?: { heartbeat?: unknown } }).d?.heartbeat;
    if (!isInterval(interval)) {
      return left(
        decodeError(
          'cannot encode op 5 frame',
          'd.heartbeat',
          `a heartbeat interval in ms, positive and at most ${MAX_TIMER_MS}`,
          interval,
          { op },
        ),
      );
    }
    return right(JSON.stringify({ ...value, d: { [options.helloField ?? 'hearbeat']: interval } }));
  }
  const name = typeof value.t === 'string' ? value.t : undefined;
  const body = frameBodyCodecs[op as Opcode];
  // `is` first, as in decodeFrame: a valid frame builds nothing.
  const checked = body.is(value) ? right(value) : body.decode(value);
  if (isLeft(checked))
    return left(fromIoTsErrors(`cannot encode op ${op} frame`, '', checked.left, { op, t: name }));
  if (op !== Opcode.GatewayEvent && op !== Opcode.ClientEvent) return stringify(value, op, name);
  const data = (options.events ?? defaultEventRegistry).encodeData(name as string, value.d, op);
  if (isLeft(data)) return data;
  return stringify(data.right === value.d ? value : { ...value, d: data.right }, op, name);
}

/**
 * Data of unknown events (and `d.data` of error frames) is not checked, so it may hold what JSON
 * cannot write (a bigint, a cycle): that is a Left like any other bad frame, not a throw.
 */
function stringify(
  value: Record<string, unknown>,
  op: number,
  name: string | undefined,
): Either<DecodeError, string> {
  try {
    return right(JSON.stringify(value));
  } catch {
    return left(
      decodeError(`cannot encode op ${op} frame`, 'd', 'data JSON can represent', value.d, { op, t: name }),
    );
  }
}

/** `{"__proto__":0}`: no shorter text can hold the key. */
const SHORTEST_PROTO_TEXT = 15;

/**
 * Whether `text` may hold a `__proto__` key, spelled out or with `\u` escapes (`"\u005f_proto__"`
 * parses to the same key). Plain scans first: `__proto__` without its quotes, because a search for
 * `"__proto__"` stops at every key's quote and cost more than all the validation (~130 ns against
 * ~15 ns a frame); texts too short for the key (a heartbeat ACK) skip them. Only a text with a `\u`
 * escape pays for the pattern, which looks for escapes of the key's letters (`_`, `p`, `r`, `o`,
 * `t`) only, so escaped non-ASCII text does not send every frame through the reviver.
 */
function mayHoldProtoKey(text: string): boolean {
  if (text.length < SHORTEST_PROTO_TEXT) return false;
  if (text.includes('__proto__')) return true;
  return text.includes('\\u') && PROTO_LETTER_ESCAPE.test(text);
}

/** A `\u` escape of a letter of `__proto__`. */
const PROTO_LETTER_ESCAPE = /\\u00(?:5[fF]|6[fF]|7[024])/;

function withoutProto(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}
