import { GatewayError } from '../errors/gateway-error.js';
import type { BotConnectSuccessData, EventRegistry, GatewayEventFrame } from '../protocol/index.js';
import { eventCodecsProblem } from '../protocol/event-registry.js';
import type { StatusChange } from './status-change.js';
import type { SessionStatus } from '../../machines/status.js';
import type {
  AnyGatewayPlugin,
  PluginContext,
  PluginLogger,
  PluginTeardown,
  SendOptions,
  SendResult,
} from './types.js';

/** What the host needs from the client. */
export interface PluginHostDependencies {
  /** What each plugin's context reads and calls: the client itself. */
  readonly client: {
    send(event: string, data: unknown, options?: SendOptions): SendResult;
    readonly status: SessionStatus;
    readonly latency: number | undefined;
    redact(text: string): string;
  };
  /** The client's logger; lines are prefixed with the plugin's name. */
  readonly logger: PluginLogger;
  /** The client's event registry: plugin codecs are registered here while the plugin is in use. */
  readonly events: EventRegistry;
  /** The client's `onError`. */
  readonly report: (error: GatewayError) => void;
}

/** The plugins in use at one moment ({@link PluginHost.current}); opaque outside the host. */
export type PluginSet = readonly unknown[];

interface Entry {
  readonly plugin: AnyGatewayPlugin;
  readonly context: PluginContext<Record<string, unknown>>;
  readonly dropCodecs: (() => void)[];
  controller: AbortController;
  /**
   * Set while the plugin is set up: resolves to what `setup` returned. Set before `setup` is
   * called, so a setup that removes its plugin (or stops the client) finds a teardown to run.
   */
  teardown: Promise<PluginTeardown> | undefined;
  /** Set while its teardown runs: a second `remove()` or `stop()` waits for that one. */
  tearingDown: Promise<void> | undefined;
  /**
   * Removed: skipped by a dispatch or hook loop already under way over the plugins of its moment,
   * and by a `start()` loop a setup removed it from. One boolean, not a copied list per event.
   */
  removed: boolean;
}

/** A plugin's handler as dispatch calls it: `(data, context)`, or `(name, data, context)` for `onEvent`. */
type Handler = (...args: unknown[]) => unknown;

/** One call dispatch makes for an event name. */
interface Route {
  readonly entry: Entry;
  /** `this` for the call: the plugin's `events` object, or the plugin for `onEvent`. */
  readonly self: unknown;
  readonly handler: Handler;
  /** `onEvent`, which takes the name first. */
  readonly generic: boolean;
}

/** Event names whose routes are kept before the cache starts over. */
const MAX_ROUTES = 256;

/** The longest event name whose routes are kept (longer ones are worked out per event). */
const MAX_ROUTE_NAME = 256;

/**
 * How long `stop()` and `remove()` wait for a plugin's setup and teardown to finish: a plugin that
 * never settles is reported, never allowed to hang the client.
 */
export const PLUGIN_TEARDOWN_LIMIT_MS = 1000;

/** Whether `promise` settles within `ms` (a rejection is passed on); the timer never outlives it. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        reject(cause instanceof Error ? cause : new Error(String(cause)));
      },
    );
  });
}

/**
 * The plugins of one client: their order, lifecycles, and isolated calls into them. A class, not
 * a closure factory: its methods live once on the prototype, not once per client (heap per
 * client, docs/performance.md).
 */
export class PluginHost {
  /**
   * Replaced, never mutated: a loop over it sees the plugins of its moment even when a hook adds
   * or removes one, without copying the list for every event (a removed one is skipped: `removed`).
   */
  #entries: readonly Entry[] = [];
  #started = false;
  /**
   * Event name → the calls dispatch makes for it, in plugin order; emptied whenever the plugins
   * change, bounded because the gateway may send any number of names. Made at the first event.
   */
  #routes: Map<string, readonly Route[]> | undefined;
  #lastName: string | undefined;
  #lastRoutes: readonly Route[] = [];

  constructor(private readonly deps: PluginHostDependencies) {}

  /** Adds a plugin (after the others). A name already in use throws `INVALID_OPTIONS`. */
  use(plugin: AnyGatewayPlugin): void {
    const name = (plugin as { name?: unknown } | null | undefined)?.name;
    if (typeof name !== 'string' || name === '') {
      throw new GatewayError('INVALID_OPTIONS', 'a plugin needs a non-empty string name');
    }
    if (this.#entries.some((entry) => entry.plugin.name === name)) {
      throw new GatewayError('INVALID_OPTIONS', `a plugin named "${name}" is already in use`);
    }
    // Every codec checked before any is registered: a bad second one must not leave the first behind.
    // `null` is absent, as for the `plugins` option.
    const problem =
      pluginShapeProblem(plugin) ??
      (plugin.codecs == null ? undefined : eventCodecsProblem(plugin.codecs, 'codecs'));
    if (problem !== undefined) throw new GatewayError('INVALID_OPTIONS', `plugin "${name}": ${problem}`);
    const dropCodecs = Object.entries(plugin.codecs ?? {}).map(([event, codec]) =>
      this.deps.events.register(event, codec),
    );
    const entry: Entry = {
      plugin,
      dropCodecs,
      controller: new AbortController(),
      teardown: undefined,
      tearingDown: undefined,
      removed: false,
      context: this.#contextFor(name, () => entry),
    };
    this.#setEntries([...this.#entries, entry]);
    if (this.#started) this.#setUp(entry);
  }

  /** Removes a plugin: aborts its signal, runs its teardown, drops its codecs. `false` if there was none. */
  async remove(name: string): Promise<boolean> {
    const entry = this.#entries.find((other) => other.plugin.name === name);
    if (entry === undefined) return false;
    entry.removed = true;
    this.#setEntries(this.#entries.filter((other) => other !== entry));
    for (const drop of entry.dropCodecs) drop();
    await this.#tearDown(entry);
    return true;
  }

  /** Names in registration order. */
  names(): string[] {
    return this.#entries.map((entry) => entry.plugin.name);
  }

  /** The client started: set up every plugin not set up yet. */
  start(): void {
    this.#started = true;
    // The list of this moment: a setup may remove a later plugin, which is not set up then.
    for (const entry of this.#entries) if (entry.teardown === undefined && !entry.removed) this.#setUp(entry);
  }

  /** The client stopped: abort every plugin's signal and run the teardowns. */
  async stop(): Promise<void> {
    this.#started = false;
    const tearingDown: Promise<void>[] = [];
    for (const entry of this.#entries) {
      // An abort listener may start the client again (TS cannot see that #started changes): the
      // plugins not torn down yet stay set up, and start() set up again the ones that were.
      if (this.#started as boolean) break;
      tearingDown.push(this.#tearDown(entry));
    }
    await Promise.all(tearingDown);
  }

  /** A gateway event, to each plugin's handler for its name and then its `onEvent`, in plugin order. */
  dispatch(frame: GatewayEventFrame): void {
    // The hot path: the calls for this name were worked out once (no keyed lookup into every
    // plugin's handlers per event), and nothing is allocated unless a handler fails.
    const name = frame.t;
    if (name !== this.#lastName) {
      this.#lastRoutes = this.#routes?.get(name) ?? this.#routeOf(name);
      this.#lastName = name;
    }
    for (const route of this.#lastRoutes) {
      // Removed by a handler before it in this loop: after remove(), nothing reaches the plugin.
      if (route.entry.removed) continue;
      try {
        // Called on the object they came from, as `plugin.onEvent(…)` would be.
        const result: unknown = route.generic
          ? route.handler.call(route.self, name, frame.d, route.entry.context)
          : route.handler.call(route.self, frame.d, route.entry.context);
        if (result instanceof Promise)
          result.catch((cause: unknown) => this.#fail(route.entry, `on ${eventLabel(name)}`, cause));
      } catch (cause) {
        this.#fail(route.entry, `on ${eventLabel(name)}`, cause);
      }
    }
  }

  /** The session is ready: every `onReady`. */
  ready(session: BotConnectSuccessData, plugins: PluginSet = this.#entries): void {
    this.#callHook('onReady', session, plugins);
  }

  /** The status changed: every `onStatus`. */
  status(change: StatusChange, plugins: PluginSet = this.#entries): void {
    this.#callHook('onStatus', change, plugins);
  }

  /** A ready connection is gone: every `onDisconnect`. */
  disconnect(reason: GatewayError, plugins: PluginSet = this.#entries): void {
    this.#callHook('onDisconnect', reason, plugins);
  }

  /**
   * The plugins in use now. A status change's hooks go to the plugins there were when it happened
   * (the client takes this first): one added by a listener of that change is told from the next.
   */
  get current(): PluginSet {
    return this.#entries;
  }

  #routeOf(name: string): readonly Route[] {
    const found: Route[] = [];
    for (const entry of this.#entries) {
      // Read in a try: a plugin's getter may throw, and this runs under the socket's listener.
      try {
        const events = entry.plugin.events;
        // Own properties only: an event named `constructor` must not call Object.
        const handler: unknown = events != null && Object.hasOwn(events, name) ? events[name] : undefined;
        if (typeof handler === 'function')
          found.push({ entry, self: events, handler: handler as Handler, generic: false });
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(plugin) below
        const onEvent = entry.plugin.onEvent;
        if (typeof onEvent === 'function')
          found.push({ entry, self: entry.plugin, handler: onEvent as Handler, generic: true });
      } catch (cause) {
        this.#fail(entry, `on ${eventLabel(name)}`, cause);
      }
    }
    // Kept only for names of a plausible length: the gateway chooses them, and 256 names of a
    // megabyte each would be a quarter of a gigabyte held for nothing.
    if (name.length > MAX_ROUTE_NAME) return found;
    if (this.#routes === undefined || this.#routes.size >= MAX_ROUTES) this.#routes = new Map();
    this.#routes.set(name, found);
    return found;
  }

  /** Forgets the routes: the plugins changed, or a setup or teardown may have changed a handler. */
  #forgetRoutes(): void {
    this.#routes = undefined;
    this.#lastName = undefined;
  }

  #setEntries(next: readonly Entry[]): void {
    this.#entries = next;
    this.#forgetRoutes();
  }

  /**
   * Reports a plugin's failure `where` (`on GLOBAL_GUILD_COUNT`, `in setup`). What the plugin threw
   * is the error's cause, not part of its message: a user's error text may hold anything, a key
   * included (a failed request quoting its headers). Its class name says enough to start from; a
   * `GatewayError` (a refused `send`) is the client's own, so its message is kept.
   */
  #fail(entry: Entry, where: string, ...thrown: [cause: unknown] | []): void {
    const name = entry.plugin.name;
    const cause = thrown[0];
    let detail = '';
    // One of ours (a send() the plugin made that was refused) has a message of ours: it says why.
    if (cause instanceof GatewayError) detail = `: ${cause.message}`;
    else if (thrown.length > 0)
      detail =
        cause instanceof Error && /^\w{1,40}$/.test(cause.name)
          ? ` (${cause.name}; its error is the cause)`
          : ' (its error is the cause)';
    const error = new GatewayError('PLUGIN_FAILED', `plugin "${name}" failed ${where}${detail}`, {
      plugin: name,
      ...(thrown.length > 0 ? { cause } : {}),
    });
    this.deps.report(error);
    try {
      entry.plugin.onError?.(error, entry.context);
    } catch {
      // A failing error hook has nowhere left to report to.
    }
  }

  #setUp(entry: Entry): void {
    if (entry.controller.signal.aborted) entry.controller = new AbortController();
    const plugin = entry.plugin;
    if (typeof plugin.setup !== 'function') {
      entry.teardown = Promise.resolve(undefined);
      return;
    }
    // The teardown is there before setup is called: a setup that removes its plugin or stops the
    // client (or a failure whose onError does) tears down what it returns, once it has returned.
    let returned!: (result: PluginTeardown | Promise<PluginTeardown>) => void;
    entry.teardown = new Promise<PluginTeardown>((resolve) => {
      returned = resolve;
    }).then(
      (teardown) => {
        this.#forgetRoutes();
        return teardown;
      },
      (cause: unknown) => {
        this.#fail(entry, 'in setup', cause);
        return undefined;
      },
    );
    // Called now, not a tick later: a stop in the same tick must find the setup done, and the
    // signal the setup hands to its timers must be the one that stop aborts.
    let result: PluginTeardown | Promise<PluginTeardown>;
    try {
      result = plugin.setup(entry.context);
    } catch (cause) {
      this.#fail(entry, 'in setup', cause);
      result = undefined;
    }
    // A setup may set the plugin's handlers, now or when it settles: dispatch looks them up again.
    this.#forgetRoutes();
    returned(result);
  }

  #tearDown(entry: Entry): Promise<void> {
    const pending = entry.teardown;
    entry.teardown = undefined;
    if (pending !== undefined) {
      const running = this.#runTeardown(entry, pending).finally(() => {
        if (entry.tearingDown === running) entry.tearingDown = undefined;
      });
      entry.tearingDown = running;
    }
    // Kept before the abort: an abort listener that removes the plugin or stops the client waits
    // for this teardown rather than returning before it ran.
    const tearingDown = entry.tearingDown ?? Promise.resolve();
    // Aborted first, and left aborted while the teardown runs (it is called a tick later at the
    // earliest): the teardown sees the signal its setup saw. The next setup gets a fresh one.
    entry.controller.abort();
    return tearingDown;
  }

  /** Awaits the setup, then calls its teardown, within the limit; failures are reported. */
  async #runTeardown(entry: Entry, pending: Promise<PluginTeardown>): Promise<void> {
    const finishing = pending.then((teardown) => (typeof teardown === 'function' ? teardown() : undefined));
    try {
      if (!(await settlesWithin(finishing, PLUGIN_TEARDOWN_LIMIT_MS))) {
        this.#fail(
          entry,
          `in teardown: setup or teardown did not finish within ${PLUGIN_TEARDOWN_LIMIT_MS} ms`,
        );
      }
    } catch (cause) {
      this.#fail(entry, 'in teardown', cause);
    }
    this.#forgetRoutes(); // a teardown may have removed a handler
  }

  #contextFor(name: string, entry: () => Entry): PluginContext<Record<string, unknown>> {
    const prefix = `[${name}] `;
    const { client, logger: sink } = this.deps;
    const logger: PluginLogger = {
      debug: (message) => sink.debug(prefix + message),
      info: (message) => sink.info(prefix + message),
      warn: (message) => sink.warn(prefix + message),
      error: (message) => sink.error(prefix + message),
    };
    return {
      name,
      send: (event, data, options) => client.send(event, data, options),
      get status() {
        return client.status;
      },
      get latency() {
        return client.latency;
      },
      logger,
      get signal() {
        return entry().controller.signal;
      },
      report: (cause) => {
        this.#fail(entry(), 'in a callback', cause);
      },
      redact: (text) => client.redact(text),
    };
  }

  /**
   * Calls one lifecycle hook of every plugin that has it, each isolated. No closure per call: the
   * status hook runs twice per heartbeat. The list is never mutated, so a plugin a hook adds is
   * called from the next call on; one it removes is skipped at once.
   */
  #callHook(hook: 'onReady' | 'onStatus' | 'onDisconnect', value: unknown, plugins: PluginSet): void {
    for (const entry of plugins as readonly Entry[]) {
      if (entry.removed) continue; // removed by a hook before it in this loop
      try {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(plugin) below
        const call = entry.plugin[hook] as Handler | null | undefined;
        if (typeof call !== 'function') continue;
        const result = call.call(entry.plugin, value, entry.context);
        if (result instanceof Promise)
          result.catch((cause: unknown) => this.#fail(entry, `in ${hook}`, cause));
      } catch (cause) {
        this.#fail(entry, `in ${hook}`, cause);
      }
    }
  }
}

/** An event name for a message: the gateway's text, so a long one is described, not printed. */
function eventLabel(name: string): string {
  if (/^[\w$-]{1,64}$/.test(name)) return name;
  return name.length <= 64 ? JSON.stringify(name) : `an event whose name has ${name.length} characters`;
}

/** The members a plugin may have, by what each must be when present. */
const PLUGIN_FUNCTIONS = ['setup', 'onEvent', 'onReady', 'onStatus', 'onDisconnect', 'onError'] as const;

/**
 * What is wrong with a plugin's shape, or `undefined`: `events` an object, the hooks functions
 * (each may be left out, or `null`). Checked when it is used, so a wrong one is refused then, not
 * found at the first event under the socket's listener. A getter that throws is wrong too.
 */
function pluginShapeProblem(plugin: AnyGatewayPlugin): string | undefined {
  try {
    const events: unknown = plugin.events;
    if (events != null && (typeof events !== 'object' || Array.isArray(events)))
      return 'events must be an object of event name → handler';
    for (const member of PLUGIN_FUNCTIONS) {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- only its type is read
      const value: unknown = plugin[member];
      if (value != null && typeof value !== 'function') return `${member} must be a function`;
    }
    return undefined;
  } catch {
    return 'reading its members threw';
  }
}
