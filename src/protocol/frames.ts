import * as t from 'io-ts';
import { isOptionalString, isRecord, withGuard } from './guard.js';
import { MAX_TIMER_MS } from './limits.js';
import { Opcode } from './opcodes.js';

/** op -1: the gateway reports an error, then closes. */
export interface ErrorFrame {
  /** -1. */
  readonly op: typeof Opcode.Error;
  /** The error code (see the error-code table). */
  readonly e?: number;
  /** A human-readable message. */
  readonly m?: string;
  /** Details, when the gateway sends them. */
  readonly d?: {
    /** One message per problem. */
    readonly errors?: readonly string[];
    /** The values the client sent, in the order of `errors`. */
    readonly data?: readonly unknown[];
  };
}

/** op 0: an event from the gateway. `d` is typed by the event registry, raw for unknown names. */
export interface GatewayEventFrame<T = unknown> {
  /** 0. */
  readonly op: typeof Opcode.GatewayEvent;
  /** The event name, case-sensitive. */
  readonly t: string;
  /** The event data. */
  readonly d: T;
  /** A human-readable message, if any. */
  readonly m?: string;
}

/** op 1: an event from the client (`identify`, `send_servers`, …). */
export interface ClientEventFrame<T = unknown> {
  /** 1. */
  readonly op: typeof Opcode.ClientEvent;
  /** The event name, case-sensitive. */
  readonly t: string;
  /** The event data. */
  readonly d: T;
  /** A human-readable message, if any. */
  readonly m?: string;
}

/**
 * op 5: the first frame of every connection. The docs' example spells the field `hearbeat` and the
 * prose `heartbeat`; both are accepted and the decoded frame always has `d.heartbeat`.
 */
export interface HelloFrame {
  /** 5. */
  readonly op: typeof Opcode.Hello;
  /** The heartbeat interval, ms, under its prose spelling whatever the wire said. */
  readonly d: { readonly heartbeat: number };
  /** A human-readable message, if any. */
  readonly m?: string;
}

/** op 10: the client's heartbeat. Nothing but the opcode. */
export interface HeartbeatFrame {
  /** 10. */
  readonly op: typeof Opcode.Heartbeat;
}

/** op 11: the gateway's answer to a heartbeat. */
export interface HeartbeatAckFrame {
  /** 11. */
  readonly op: typeof Opcode.HeartbeatAck;
  /** A human-readable message, if any. */
  readonly m?: string;
}

/** Any frame of version 1. */
export type Frame =
  ErrorFrame | GatewayEventFrame | ClientEventFrame | HelloFrame | HeartbeatFrame | HeartbeatAckFrame;

/** A frame the gateway sends. */
export type GatewayFrame = ErrorFrame | GatewayEventFrame | HelloFrame | HeartbeatAckFrame;

/** A frame the client sends. */
export type ClientFrame = ClientEventFrame | HeartbeatFrame;

const PositiveInterval = `a heartbeat interval in ms, positive and at most ${MAX_TIMER_MS} (d.heartbeat or d.hearbeat)`;

/** Hello's data: either spelling in, `heartbeat` out. Other fields are kept. */
export const HelloData = new t.Type<{ heartbeat: number }, Record<string, unknown>, unknown>(
  'HelloData',
  (u): u is { heartbeat: number } =>
    typeof u === 'object' && u !== null && isInterval((u as { heartbeat?: unknown }).heartbeat),
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'an object');
    const { hearbeat, ...data } = u as { heartbeat?: unknown; hearbeat?: unknown };
    if (isInterval(data.heartbeat)) return t.success(data as { heartbeat: number });
    // Normalised: the decoded frame has `heartbeat` only, so encode → decode gives back the frame.
    if (isInterval(hearbeat)) return t.success({ ...data, heartbeat: hearbeat });
    const field = data.heartbeat === undefined ? 'hearbeat' : 'heartbeat';
    const got = field === 'heartbeat' ? data.heartbeat : hearbeat;
    return t.failure(got, t.appendContext(c, field, t.number, got), PositiveInterval);
  },
  (d) => d,
);

/**
 * A heartbeat interval a timer can keep: positive, and at most {@link MAX_TIMER_MS} (a longer one
 * would make the client beat as fast as it can).
 */
export function isInterval(u: unknown): u is number {
  return typeof u === 'number' && u > 0 && u <= MAX_TIMER_MS;
}

const Message = t.partial({ m: t.string });

/** The hot path's check of an event frame (op 0 and op 1): a string `t`, and `m` a string if there. */
function isEventBody(u: unknown): u is { t: string; m?: string } {
  return isRecord(u) && typeof u.t === 'string' && isOptionalString(u.m);
}

/** Codecs for everything but `op` (checked first) and event data (checked by the event registry). */
export const frameBodyCodecs: Readonly<Record<Opcode, t.Mixed>> = {
  [Opcode.Error]: t.partial({
    e: t.Int,
    m: t.string,
    d: t.partial({ errors: t.array(t.string), data: t.array(t.unknown) }),
  }),
  [Opcode.GatewayEvent]: withGuard(t.intersection([t.type({ t: t.string }), Message]), isEventBody),
  [Opcode.ClientEvent]: withGuard(t.intersection([t.type({ t: t.string }), Message]), isEventBody),
  [Opcode.Hello]: t.intersection([t.type({ d: HelloData }), Message]),
  [Opcode.Heartbeat]: t.UnknownRecord,
  [Opcode.HeartbeatAck]: withGuard(Message, (u): u is { m?: string } => isRecord(u) && isOptionalString(u.m)),
};
