/**
 * Gap (strict events): a typo in a plugin's `events` compiles when the handlers are not all
 * context-sensitive (a handler with no parameter, or an annotated one), or when a correct name sits
 * beside it: `definePlugin` then infers its codec map from the `events` keys, falls back to
 * `Record<string, t.Mixed>`, and every name is allowed, with `any` data. Fix: `NoInfer<…>`.
 */
import { definePlugin } from '../../../src/index.js';

export const noParameter = definePlugin({
  name: 'no-parameter',
  events: {
    // @ts-expect-error a typo of a known name
    GLOBAL_GUILD_COUNTS: () => undefined,
  },
});

export const besideACorrectName = definePlugin({
  name: 'beside-a-correct-name',
  events: {
    GLOBAL_GUILD_COUNT: (_data) => undefined,
    // @ts-expect-error a typo of a known name
    GLOBAL_GUILD_COUNTS: (_data) => undefined,
  },
});

export const annotated = definePlugin({
  name: 'annotated',
  events: {
    // @ts-expect-error a typo of a known name
    bot_connect_succes: (_data: unknown) => undefined,
  },
});
