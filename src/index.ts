/**
 * utilbot-gateway: a client for the Utilbot Gateway. An XState v5 machine keeps the session
 * alive; io-ts codecs decode every frame; plugins react to events.
 * @packageDocumentation
 */
export * from './protocol/index.js';
export {
  createGatewayClient,
  type ConnectionChange,
  type EventsOptions,
  type GatewayClient,
  type GatewayEvent,
  type StartOptions,
  type StatusChange,
} from './client.js';
export { eventsDefaults } from './session/event-listeners.js';
export { GatewayError, nameOf } from './errors/gateway-error.js';
export { clientConditionTable, type ClientConditionCode } from './errors/conditions.js';
export {
  clientDefaults,
  type GatewayClientOptions,
  type IdentifyOption,
  type ShouldRetry,
} from './session/options.js';
export * from './plugins/index.js';
export type { DisconnectReason } from './errors/reason.js';
export type { DisconnectReason as ChartReason, ChartConditionCode } from '../machines/reason.js';
export {
  sessionMachine,
  type SessionContext,
  type SessionEvent,
  type SessionInput,
  type SessionTimeouts,
  type SocketCommand,
  type SocketInput,
} from '../machines/session.machine.js';
export {
  connectionOf,
  isSessionReady,
  sessionStatuses,
  statusOf,
  type ConnectionStatus,
  type SessionStatus,
} from '../machines/status.js';
export { backoffDelay, reconnectDefaults, type ReconnectOptions } from '../machines/backoff.js';
export { heartbeatPeriod } from '../machines/heartbeat.js';
export { ReadyState, type WebSocketConstructor, type WebSocketLike } from './transport/websocket.js';
export { createSessionView, type SessionView, type SessionViewOptions } from './view/server.js';
export { renderSessionView, type RenderedSessionView, type RenderSessionViewOptions } from './view/render.js';
export { sessionGraph, type SessionEdge, type SessionGraph } from '../machines/session-graph.js';
export type { ViewedClient } from './view/feed.js';
export type { ViewError, ViewEvent, ViewMessage, ViewSnapshot, ViewTransition } from './view/messages.js';
