import { isLeft } from '../protocol/either.js';
import {
  defaultEventRegistry,
  GatewayErrorCode,
  GatewayEventName,
  knownEvents,
  Opcode,
  type ClientEventFrame,
  type HeartbeatFrame,
} from '../protocol/index.js';
import { rejection, type GatewayRejection } from './rejection.js';

/** What one frame from a client turned out to be, before any session state is consulted. */
export type ClientFrameVerdict =
  | { readonly kind: 'heartbeat'; readonly frame: HeartbeatFrame }
  | { readonly kind: 'identify'; readonly frame: ClientEventFrame<{ type: 'bot'; key: string }> }
  | { readonly kind: 'event'; readonly frame: ClientEventFrame }
  | { readonly kind: 'rejected'; readonly rejection: GatewayRejection };

/** Event names a client sends whose data has a codec; `identify` has its own checks (4007, not 4005). */
const checkedClientEvents = new Set(
  Object.entries(knownEvents)
    .filter(([name, entry]) => entry.sentBy === 'client' && name !== GatewayEventName.Identify)
    .map(([name]) => name),
);

/** Field names whose values are never echoed back in `d.data` (nor logged). */
const SECRET_FIELD = /key|token|secret|password|authorization/i;

/**
 * Reads one frame a client sent, as the gateway judges it:
 * - not JSON, or not a JSON object → 4005;
 * - no `op` → 4003; `op` not an integer → 4005;
 * - an opcode the gateway sends (-1, 0, 5, 11) or one version 1 does not have → 4004;
 * - op 1 without a string `t` → 4005; `identify` with bad data → 4007; a known client event whose data
 *   fails its codec (`send_servers` with a string count) → 4005;
 * - anything else is a heartbeat, an identify, or an event (known or not).
 */
export function readClientFrame(data: Buffer): ClientFrameVerdict {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    // The text is not echoed: a broken identify could carry a key.
    return rejected(rejection(GatewayErrorCode.MalformedData, 'Data is not JSON.'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return rejected(rejection(GatewayErrorCode.MalformedData, 'Frame is not a JSON object.'));
  const frame = value as { op?: unknown; t?: unknown; d?: unknown };
  if (frame.op === undefined) return rejected(rejection(GatewayErrorCode.NoOpcode, 'Opcode not provided.'));
  if (typeof frame.op !== 'number' || !Number.isInteger(frame.op))
    return rejected(rejection(GatewayErrorCode.MalformedData, 'Opcode must be an integer.', frame.op));
  if (frame.op === Opcode.Heartbeat) return { kind: 'heartbeat', frame: { op: Opcode.Heartbeat } };
  if (frame.op !== Opcode.ClientEvent) {
    const known = Object.values(Opcode).includes(frame.op as Opcode);
    const error = known
      ? `Opcode ${frame.op} is sent by the gateway only.`
      : `Opcode ${frame.op} does not exist.`;
    return rejected(rejection(GatewayErrorCode.WrongOpcode, error, frame.op));
  }
  if (frame.t === undefined || frame.t === null)
    return rejected(rejection(GatewayErrorCode.MalformedData, 'Event name not provided.'));
  if (typeof frame.t !== 'string')
    return rejected(rejection(GatewayErrorCode.MalformedData, 'Event name must be a string.', frame.t));
  const event = value as ClientEventFrame;
  if (event.t === GatewayEventName.Identify) return readIdentify(event);
  if (checkedClientEvents.has(event.t)) {
    const checked = defaultEventRegistry.decodeData(event.t, event.d, Opcode.ClientEvent);
    if (isLeft(checked)) {
      const { path, message } = checked.left;
      return rejected(rejection(GatewayErrorCode.MalformedData, message, echo(valueAt(value, path), path)));
    }
    return { kind: 'event', frame: { ...event, d: checked.right } };
  }
  return { kind: 'event', frame: event };
}

/**
 * Identify's own checks, each problem reported as the docs' example does ("Type not provided.",
 * "Key not provided.") with the value sent beside it. The key's value is never echoed: `null`.
 */
function readIdentify(frame: ClientEventFrame): ClientFrameVerdict {
  const d = typeof frame.d === 'object' && frame.d !== null && !Array.isArray(frame.d) ? frame.d : {};
  const { type, key } = d as { type?: unknown; key?: unknown };
  const errors: string[] = [];
  const data: unknown[] = [];
  if (type === undefined || type === null) errors.push('Type not provided.');
  else if (typeof type !== 'string') errors.push('Type must be a string.');
  else if (type !== 'bot') errors.push('Type must be "bot".');
  if (errors.length > 0) data.push(type ?? null);
  if (key === undefined || key === null || key === '') errors.push('Key not provided.');
  else if (typeof key !== 'string') errors.push('Key must be a string.');
  while (data.length < errors.length) data.push(null);
  if (errors.length > 0) return rejected({ code: GatewayErrorCode.WrongIdentify, errors, data });
  return { kind: 'identify', frame: frame as ClientEventFrame<{ type: 'bot'; key: string }> };
}

function rejected(r: GatewayRejection): ClientFrameVerdict {
  return { kind: 'rejected', rejection: r };
}

/** The value at a dotted path from the frame's root (`d.guilds`). */
function valueAt(root: unknown, path: string): unknown {
  let here = root;
  for (const segment of path === '' ? [] : path.split('.')) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[segment];
  }
  return here;
}

function echo(value: unknown, path: string): unknown {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return SECRET_FIELD.test(last) ? null : (value ?? null);
}
