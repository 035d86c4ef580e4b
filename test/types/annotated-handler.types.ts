/**
 * Once a gap, now a type test: `definePlugin` infers its codec map `C` from the keys of `events` as well as from `codecs`. When a
 * handler is not context-sensitive (its parameter is annotated, or it takes none), the inference fails
 * its constraint and `C` becomes `EventCodecs` (`Record<string, t.Mixed>`), whose events map every name
 * to `any`: the plugin's handlers and names are no longer checked. Fix: `NoInfer<…>` around the event map
 * in `definePlugin`'s parameter (and in `GatewayClientOptions['plugins']`).
 */
import { definePlugin, type GlobalGuildCountData } from '../../src/index.js';
import { expectTrue, type Equal } from './assert.js';

export const wrongAnnotation = definePlugin({
  name: 'wrong-annotation',
  events: {
    // @ts-expect-error GLOBAL_GUILD_COUNT's guilds is a number
    GLOBAL_GUILD_COUNT: (_data: { guilds: string }) => undefined,
  },
});

// The plugin's type keeps the known data types (today: `any` for every name).
export const zeroArgs = definePlugin({ name: 'zero-args', events: { bot_connect_success: () => undefined } });
type Events = typeof zeroArgs extends { events?: infer H } ? NonNullable<H> : never;
type Handler = NonNullable<Events['GLOBAL_GUILD_COUNT']>;
expectTrue<Equal<Parameters<Handler>[0], GlobalGuildCountData>>();
