export { definePlugin } from './types.js';
export { PLUGIN_TEARDOWN_LIMIT_MS } from './host.js';
export type {
  AnyGatewayPlugin,
  EventHandler,
  EventHandlers,
  GatewayPlugin,
  HandledEventName,
  PluginContext,
  PluginLogger,
  PluginTeardown,
  SendEvent,
  SendOptions,
  SendQueueView,
  SendResult,
} from './types.js';
export type {
  CodecEvents,
  EventCodecs,
  GatewayEvents,
  GatewayTypeOptions,
  NoCodecs,
  StrictEvents,
  UndeclaredEventName,
  WithCodecs,
} from './events.js';
export { serverStats, serverStatsDefaults, type ServerStatsOptions } from './builtin/server-stats.js';
export { logger, loggerDefaults, type LoggerLine, type LoggerOptions } from './builtin/logger.js';
export {
  metrics,
  metricsDefaults,
  METRICS_MAX_NAMES,
  type LatencySummary,
  type MetricsOptions,
  type MetricsPlugin,
  type MetricsSnapshot,
} from './builtin/metrics.js';
