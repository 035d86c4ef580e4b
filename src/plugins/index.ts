export { definePlugin } from './types.js';
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
} from './types.js';
export type {
  CodecEvents,
  EventCodecs,
  GatewayEvents,
  GatewayTypeOptions,
  NoCodecs,
  StrictEvents,
} from './events.js';
