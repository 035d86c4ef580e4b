/**
 * `definePlugin` by default (no strict events): each handler's data has its event's type; other
 * names get `unknown` data; the context's `send` is typed like the client's. Checked by tsc; never run.
 */
import {
  createGatewayClient,
  definePlugin,
  type BotConnectSuccessData,
  type GatewayError,
  type GatewayPlugin,
  type GlobalGuildCountData,
  type PluginContext,
  type SessionStatus,
  type StatusChange,
} from '../../src/index.js';
import { expectTrue, type Equal } from './assert.js';

export const counts = definePlugin({
  name: 'counts',
  events: {
    GLOBAL_GUILD_COUNT: (data, context) => {
      expectTrue<Equal<typeof data, GlobalGuildCountData>>();
      const guilds: number = data.guilds;
      // @ts-expect-error guilds is a number, not a string
      const asText: string = data.guilds;
      // @ts-expect-error no such field in GLOBAL_GUILD_COUNT
      const _missing: unknown = data.guildCount;
      context.logger.info(`${guilds} ${asText}`);
    },
    bot_connect_success: (_data) => {
      expectTrue<Equal<typeof _data, BotConnectSuccessData>>();
    },
    // An undeclared name compiles, with unknown data.
    brand_new_event: (data) => {
      expectTrue<Equal<typeof data, unknown>>();
      // @ts-expect-error unknown data must be narrowed before use
      const _field: unknown = data.anything;
    },
  },
});

// A handler may declare its data type, when it is the event's.
export const annotated = definePlugin({
  name: 'annotated',
  events: {
    GLOBAL_GUILD_COUNT: (data: GlobalGuildCountData, context) => context.logger.info(`${data.guilds}`),
    some_other_event: (_data: unknown) => undefined,
  },
});

export const contextTyping = definePlugin({
  name: 'context',
  events: {
    GLOBAL_GUILD_COUNT: (data, context) => {
      context.send('send_servers', { ...data, guildIds: [] });
      // @ts-expect-error send_servers needs three counts
      context.send('send_servers', { guilds: data.guilds });
      context.send('anything_else', { free: 'form' });
    },
  },
  setup(context) {
    expectTrue<Equal<typeof context.status, SessionStatus>>();
    expectTrue<Equal<typeof context.latency, number | undefined>>();
    expectTrue<Equal<typeof context.signal, AbortSignal>>();
    expectTrue<Equal<typeof context.name, string>>();
    const timer = setInterval(() => context.logger.debug('tick'), 1000);
    context.signal.addEventListener('abort', () => clearInterval(timer));
    return () => clearInterval(timer);
  },
  onReady(session, context) {
    expectTrue<Equal<typeof session, BotConnectSuccessData>>();
    context.logger.info(`ready as ${String(session.id)}`);
  },
  onStatus(_change) {
    expectTrue<Equal<typeof _change, StatusChange>>();
  },
  onDisconnect(_reason) {
    expectTrue<Equal<typeof _reason, GatewayError>>();
  },
  onError(_error, context) {
    expectTrue<Equal<typeof _error, GatewayError>>();
    // The context's send is the plugin's typed send.
    const send: PluginContext['send'] = context.send;
    send('send_servers', { guilds: 0, guildMembers: 0, cachedGuildMembers: 0 });
  },
});

export const badSetup = definePlugin({
  name: 'bad-setup',
  // @ts-expect-error setup returns a teardown function or nothing
  setup: () => 42,
});

// @ts-expect-error a plugin needs a name
export const nameless = definePlugin({ events: {} });

// A plain object typed as GatewayPlugin gets the same typing as definePlugin.
export const plain: GatewayPlugin = {
  name: 'plain',
  events: {
    GLOBAL_GUILD_COUNT: (_data) => {
      expectTrue<Equal<typeof _data, GlobalGuildCountData>>();
    },
  },
};

// Inline in the client's options too.
export const client = createGatewayClient({
  identify: { type: 'bot', key: 'k' },
  plugins: [
    counts,
    plain,
    annotated,
    {
      name: 'inline',
      events: {
        GLOBAL_GUILD_COUNT: (_data) => {
          expectTrue<Equal<typeof _data, GlobalGuildCountData>>();
        },
      },
    },
  ],
});
client.use(contextTyping);
