import fc from 'fast-check';

/**
 * When a gateway step happens: `now`, to whatever connection is open (maybe mid-handshake, maybe
 * none), or once the client is `ready` (waiting for it, if it is started).
 */
export type StepTiming = 'now' | 'ready';

/** What the gateway does to the client's current connection. */
export type GatewayStep =
  /** A valid op 0 event (known or not). */
  | { readonly kind: 'event'; readonly name: string }
  /** A text frame that is not a frame the client can use: not JSON, unknown opcodes, wrong direction. */
  | { readonly kind: 'garbage-text'; readonly text: string }
  | { readonly kind: 'garbage-binary'; readonly bytes: readonly number[] }
  /**
   * An op -1 frame, then (as the real gateway does) a close with the same code, or not. `code`
   * `null`: a frame without `e`, which the protocol reads as 1000 (Unknown Error).
   */
  | { readonly kind: 'error-frame'; readonly code: number | null; readonly thenClose: boolean }
  | { readonly kind: 'close'; readonly code: number }
  /** The TCP socket destroyed without a close frame: the client sees 1006. */
  | { readonly kind: 'drop' }
  /** No heartbeat ACK for `ms` (on this connection and the next ones), then ACKs again. */
  | { readonly kind: 'ack-pause'; readonly ms: number }
  /** Half-open: the gateway reads and answers nothing more on this connection. */
  | { readonly kind: 'silent' }
  /** New connections get no Hello, or no `bot_connect_success`, for `ms`: the handshake times out. */
  | { readonly kind: 'handshake-pause'; readonly withhold: 'hello' | 'success'; readonly ms: number };

/**
 * One step of a model run: something the application does with the client, or something the local
 * gateway does to the client's current connection. Plain records, so fast-check prints a failing
 * sequence as it is and shrinks it.
 */
export type SessionCommand =
  | { readonly kind: 'start' }
  /** `stop()`, awaited or not (a `start()` may then come while the socket is still closing). */
  | { readonly kind: 'stop'; readonly wait: boolean }
  | { readonly kind: 'send'; readonly count: number }
  | { readonly kind: 'sleep'; readonly ms: number }
  | (GatewayStep & { readonly when: StepTiming });

/** Codes the session cannot recover from with a fixed key: they must end in `failed`. */
export const FATAL_CODES: ReadonlySet<number> = new Set([4000, 4001, 4007]);

/** The table's codes the client reconnects after. */
const reconnectCodes = [1000, 4002, 4003, 4004, 4005, 4006];
/** Fatal codes are rarer: a failed session waits for the next `start` step, and meets nothing until then. */
const fatalCode = fc.constantFrom(...FATAL_CODES);

/** Error codes: the table's, unknown 4xxx, other application codes, and odd ones. */
const errorCode = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...reconnectCodes) },
  { weight: 1, arbitrary: fatalCode },
  { weight: 1, arbitrary: fc.integer({ min: 4008, max: 4999 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, -1, 1001, 3000, 3999, 65_535) },
);

/** Close codes a server may send: normal, going away, the table's, unknown 3xxx and 4xxx. */
const closeCode = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(1001, ...reconnectCodes) },
  { weight: 1, arbitrary: fatalCode },
  { weight: 1, arbitrary: fc.integer({ min: 4008, max: 4999 }) },
  { weight: 1, arbitrary: fc.integer({ min: 3000, max: 3999 }) },
  { weight: 1, arbitrary: fc.constantFrom(1003, 1008, 1011) },
);

/** Text frames the client must report and go past. */
const garbageText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '{}',
    '{"op":"10"}',
    '{"op":7}',
    '{"op":12,"d":{}}',
    '{"op":1,"t":"identify","d":{}}',
    '{"op":10}',
    '{"op":5,"d":{"heartbeat":1}}',
    '{"op":0}',
    '{"op":0,"t":5}',
    '{"op":11,"d":"x"}',
    '{"op":-1,"e":"x"}',
  ),
);

const eventName = fc.constantFrom('prop_gateway_event', 'SOMETHING_NEW', 'GLOBAL_GUILD_COUNT');

/** What the gateway does to the current connection. */
const gatewayStep: fc.Arbitrary<GatewayStep> = fc.oneof(
  { weight: 3, arbitrary: eventName.map((name) => ({ kind: 'event', name }) as const) },
  { weight: 2, arbitrary: garbageText.map((text) => ({ kind: 'garbage-text', text }) as const) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 })
      .map((bytes) => ({ kind: 'garbage-binary', bytes }) as const),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ code: errorCode, thenClose: fc.boolean() })
      .map((r) => ({ kind: 'error-frame', ...r }) as const),
  },
  { weight: 2, arbitrary: closeCode.map((code) => ({ kind: 'close', code }) as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'drop' } as const) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 30, max: 300 }).map((ms) => ({ kind: 'ack-pause', ms }) as const),
  },
  // A silent peer costs the client's one-second close grace: rare, to keep runs short.
  { weight: 1, arbitrary: fc.constant({ kind: 'silent' } as const) },
  {
    weight: 1,
    arbitrary: fc
      .record({ withhold: fc.constantFrom('hello', 'success'), ms: fc.integer({ min: 50, max: 400 }) })
      .map((r) => ({ kind: 'handshake-pause', ...r }) as const),
  },
);

/** A gateway step, now or once ready. */
export const gatewayCommand: fc.Arbitrary<SessionCommand> = fc
  .record({ step: gatewayStep, when: fc.constantFrom<StepTiming>('ready', 'ready', 'now') })
  .map(({ step, when }) => ({ ...step, when }));

/** What the application does. */
export const clientCommand: fc.Arbitrary<SessionCommand> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'start' } as const) },
  { weight: 1, arbitrary: fc.boolean().map((wait) => ({ kind: 'stop', wait }) as const) },
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }).map((count) => ({ kind: 'send', count }) as const) },
);

/** A pause between steps, long enough for some steps to land mid-handshake and some after it. */
export const sleepCommand: fc.Arbitrary<SessionCommand> = fc
  .oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 16, max: 150 }))
  .map((ms) => ({ kind: 'sleep', ms }) as const);

/** Mixed sequences: client calls, gateway faults, and pauses; most start with `start`. */
export const sessionCommands = (maxLength: number): fc.Arbitrary<SessionCommand[]> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constant<SessionCommand[]>([{ kind: 'start' }]) },
        { weight: 1, arbitrary: fc.constant<SessionCommand[]>([]) },
      ),
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: clientCommand },
          { weight: 4, arbitrary: gatewayCommand },
          { weight: 2, arbitrary: sleepCommand },
        ),
        { minLength: 1, maxLength, size: 'max' },
      ),
    )
    .map(([first, rest]) => [...first, ...rest]);

/** Only `start`, `stop`, `send` and short pauses, against a gateway that behaves. */
export const lifecycleCommands = (maxLength: number): fc.Arbitrary<SessionCommand[]> =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: clientCommand },
      {
        weight: 2,
        arbitrary: fc.integer({ min: 0, max: 30 }).map((ms) => ({ kind: 'sleep', ms }) as const),
      },
    ),
    { minLength: 1, maxLength, size: 'max' },
  );
