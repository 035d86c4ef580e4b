/**
 * The Utilbot Gateway protocol, version 1: opcodes, frames, event codecs, the error-code table,
 * and the decoder and encoder. This folder imports nothing else of the project.
 * @packageDocumentation
 */
export { Opcode, opcodeTable, isSentBy, type OpcodeDirection } from './opcodes.js';
export {
  errorCodeTable,
  errorCodeEntry,
  errorVerdict,
  GatewayErrorCode,
  type ErrorAction,
  type ErrorCodeEntry,
  type ErrorVerdict,
} from './error-codes.js';
export type {
  Frame,
  GatewayFrame,
  ClientFrame,
  ErrorFrame,
  GatewayEventFrame,
  ClientEventFrame,
  HelloFrame,
  HeartbeatFrame,
  HeartbeatAckFrame,
} from './frames.js';
export { HelloData } from './frames.js';
export { MAX_TIMER_MS } from './limits.js';
export {
  Count,
  IdentifyData,
  BotConnectSuccessData,
  GlobalGuildCountData,
  SendServersData,
  knownEvents,
  isSnapshotEvent,
  GatewayEventName,
  type KnownEventName,
  type KnownEvents,
} from './events.js';
export {
  createEventRegistry,
  defaultEventRegistry,
  type EventRegistry,
  type EventCodec,
} from './event-registry.js';
export {
  decodeFrame,
  decodeFrameValue,
  encodeFrame,
  type DecodeOptions,
  type EncodeOptions,
} from './codec.js';
export { decodeError, type DecodeError } from './decode-error.js';
/** The protocol version this package speaks. */
export const PROTOCOL_VERSION = 1;
