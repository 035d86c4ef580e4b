/**
 * `utilbot-gateway/testing`: a faithful local Utilbot gateway (protocol version 1) on a real
 * WebSocket server, with fault controls, for testing gateway clients, ours or yours.
 * See docs/testing.md.
 * @packageDocumentation
 */
export { createLocalGateway, type LocalGateway } from './server.js';
export {
  localGatewayDefaults,
  type LocalGatewayOptions,
  type CompressionForm,
  type HelloField,
} from './defaults.js';
export type { GatewayFaults } from './faults.js';
export type {
  LocalGatewayConnection,
  ConnectionState,
  CloseInfo,
  ReceivedFrame,
} from './connection-types.js';
export type { GatewayRejection } from './rejection.js';
export {
  hostileFrames,
  hostileLineBreaks,
  type HostileFrameName,
  type HostileFrame,
  type HostileAct,
  type HostileContext,
} from './hostile.js';
export { createFaultProxy } from './fault-proxy.js';
export type {
  FaultProxy,
  FaultProxyOptions,
  FaultProxyTarget,
  FaultProxyConditions,
  FaultDirection,
} from './fault-proxy-types.js';
