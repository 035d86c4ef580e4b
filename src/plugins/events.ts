import type * as t from 'io-ts';
import type { KnownEvents } from '../protocol/index.js';

/**
 * Event name → data type, for every event the client knows. It starts as the events the docs list
 * (derived from their io-ts codecs) and grows by declaration merging:
 *
 * ```ts
 * declare module 'utilbot-gateway' {
 *   interface GatewayEvents { shard_ping: { shard: number } }
 * }
 * ```
 *
 * or by passing codecs (`createGatewayClient({ codecs })`, a plugin's `codecs`), which also check
 * the data at run time, both ways.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so users can merge into it
export interface GatewayEvents extends KnownEvents {}

/**
 * Switches for the typing, set by declaration merging. With `strictEvents: true`, only names in
 * {@link GatewayEvents} type-check (in `send` and in plugin `events`), so a typo is a compile
 * error; by default an undeclared name is allowed, with `unknown` data.
 *
 * ```ts
 * declare module 'utilbot-gateway' {
 *   interface GatewayTypeOptions { strictEvents: true }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so users can merge into it
export interface GatewayTypeOptions {}

/** Whether {@link GatewayTypeOptions} turned `strictEvents` on. */
export type StrictEvents = GatewayTypeOptions extends { strictEvents: true } ? true : false;

/** No codecs: the default, so the event map is {@link GatewayEvents} alone. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the empty map is the point
export type NoCodecs = {};

/** Any map of event codecs. */
export type EventCodecs = Readonly<Record<string, t.Mixed>>;

/** The event map a set of codecs stands for. */
export type CodecEvents<C extends EventCodecs> = { [K in keyof C]: t.TypeOf<C[K]> };

/** The event map of a client or plugin with codecs `C`: a codec's type replaces a known one. */
export type WithCodecs<C extends EventCodecs> = Omit<GatewayEvents, keyof C> & CodecEvents<C>;

/**
 * A name `send` accepts beside the known ones: any string that is not a known name (whose data
 * must then fit), unless strict events are on.
 */
export type UndeclaredEventName<E, N extends string> = StrictEvents extends true
  ? never
  : N extends keyof E
    ? never
    : N;
