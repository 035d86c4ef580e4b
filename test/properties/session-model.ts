import {
  createGatewayClient,
  sessionStatuses,
  statusOf,
  type GatewayClient,
  type SessionStatus,
  type StatusChange,
} from '../../src/index.js';
import {
  createLocalGateway,
  type LocalGateway,
  type LocalGatewayConnection,
} from '../../src/testing/index.js';
import { binaryFrameForm } from '../../src/transport/frame-reader.js';
import { FATAL_CODES, type GatewayStep, type SessionCommand, type StepTiming } from './commands.js';
import { checkDelivery, type SendRecord } from './delivery.js';
import { emptyStats, type RunStats } from './run-stats.js';
import { createSocketProbe, eventNumber } from './probe.js';
import { watchStalls, type StallWatch } from './stalls.js';
import {
  eventually,
  handleCounts,
  handlesBackTo,
  showCounts,
  sleep,
  within,
  type HandleCounts,
} from './resources.js';

/** The event the model sends, numbered in `d.n` from 1. */
export const SEND_EVENT = 'prop_send';
/** An event the gateway sends after a frame the client must go past, to see that it did. */
const MARKER_EVENT = 'prop_marker';
const KEY = 'property-key-7c1d';

/** Short timings, so that one run of a dozen steps takes about a second. */
export const modelTimings = {
  heartbeatInterval: 80,
  reconnect: { minDelay: 10, maxDelay: 40, factor: 2, jitter: 0, minUptime: 200 },
  timeouts: { connect: 200, hello: 200, identify: 200 },
  /**
   * The bound on every wait for something that must happen. It is a bound, not an expectation: a
   * loaded machine (two cores shared with other test runs) may take long, never this long.
   */
  bound: 5000,
} as const;

const isReady = (status: SessionStatus): boolean => status === 'ready' || status === 'heartbeat-pending';

/** Close codes `ws` lets a server send (so the gateway can echo an error code as its close code). */
const isSendableCloseCode = (code: number): boolean =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

/** How the protocol says the client reads a close code: the table's codes as themselves, the rest as a plain close. */
function reasonOfClose(code: number): number | string {
  return code >= 4000 && code <= 4007 ? code : 'SOCKET_CLOSED';
}

interface StartRecord {
  readonly index: number;
  readonly status: SessionStatus;
  settlements: number;
  outcome: 'pending' | 'resolved' | 'rejected';
  error: unknown;
}

/**
 * Runs `commands` against a fresh local gateway and a fresh client over real sockets, checking the
 * invariants after every step and at the end; throws one error listing every violation with the
 * run's trace. The end is always the same: a well-behaved gateway, `start()`, everything written,
 * `stop()`, and no timer or socket left.
 */
export async function runSessionModel(commands: readonly SessionCommand[]): Promise<RunStats> {
  const gateway = await createLocalGateway({
    keys: [KEY],
    heartbeatInterval: modelTimings.heartbeatInterval,
    guildCountInterval: 0,
    closeTimeout: 300,
  });
  // Before the baseline: its timer is the harness's, not the client's.
  const stalls = watchStalls();
  const run = createRun(gateway, handleCounts(), stalls);
  try {
    for (const [index, command] of commands.entries()) {
      run.note(`step ${index}: ${JSON.stringify(command)}`);
      await run.step(command);
      await run.checkStep();
    }
    await run.finish();
    return run.stats;
  } finally {
    await run.dispose();
    await gateway.close();
    stalls.stop();
  }
}

function createRun(gateway: LocalGateway, baseline: HandleCounts, stalls: StallWatch) {
  const t0 = performance.now();
  const trace: string[] = [];
  const note = (line: string): void => {
    trace.push(`${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${line}`);
  };
  const violations: string[] = [];
  const violate = (what: string): void => {
    violations.push(what);
    note(`VIOLATION: ${what}`);
  };

  const stats = emptyStats();
  const changes: StatusChange[] = [];
  /** `performance.now()` of each change in `changes`. */
  const changedAt: number[] = [];
  const seen: { name: string; data: unknown }[] = [];
  const sends: SendRecord[] = [];
  const starts: StartRecord[] = [];
  /** Probe ids of sockets the gateway dropped or abandoned (silent): the only ones that may lose events. */
  const damaged = new Set<number>();
  let fatalSent = false;
  let ackOn = true;
  let ackRestoredAt = -Infinity;
  /** How many sockets there were when the client stopped; `undefined` while not stopped. */
  let socketsAtStop: number | undefined;
  let markers = 0;
  let nextN = 1;
  let probeViolationsSeen = 0;
  const unawaitedStops: Promise<void>[] = [];

  // The machine's own state, not `client.status`: that one is updated by a subscription, after the
  // transition's actions (the queue's flush among them) have run.
  const probe = createSocketProbe(SEND_EVENT, () => isReady(statusOf(client.actor.getSnapshot())));
  const client: GatewayClient = createGatewayClient({
    url: `${gateway.url}/?v=1`,
    identify: { type: 'bot', key: KEY },
    WebSocket: probe.WebSocket,
    reconnect: modelTimings.reconnect,
    timeouts: modelTimings.timeouts,
    onError: (error) => {
      note(`report ${String(error.code)}`);
    },
    plugins: [
      {
        name: 'property-probe',
        onEvent: (name, data) => {
          seen.push({ name, data });
        },
      },
    ],
  });

  const written = (): Set<number> => new Set(probe.sockets.flatMap((socket) => socket.written));
  /** A stop or failure: what is still unwritten may, by the brief's rule, never be written. */
  const interruptSends = (): void => {
    const out = written();
    for (const send of sends) if (!out.has(send.n)) send.interrupted = true;
  };

  client.subscribe((change) => {
    changes.push(change);
    changedAt.push(performance.now());
    const code = change.reason?.code;
    note(`status ${change.previous} → ${change.status}${code === undefined ? '' : ` (${String(code)})`}`);
    if (!(sessionStatuses as readonly string[]).includes(change.status))
      violate(`status "${change.status}" is not one of sessionStatuses`);
    if (change.status === 'failed') {
      stats.failures++;
      interruptSends();
      if (typeof code !== 'number' || !FATAL_CODES.has(code))
        violate(`the session failed with ${String(code)}; only 4000, 4001 and 4007 may fail it`);
      else if (!fatalSent) violate(`the session failed with ${code}, which the gateway never sent`);
    }
    if (change.status === 'stopped') interruptSends();
    if (change.status === 'reconnecting') {
      stats.reconnects++;
      if (code === 'ZOMBIE_CONNECTION') stats.zombies++;
      if (typeof code === 'number' && FATAL_CODES.has(code))
        violate(`reconnecting after ${code}, which must fail the session`);
    }
  });

  function startCall(): StartRecord {
    const status = client.status;
    if (status === 'stopped' && socketsAtStop !== undefined && probe.sockets.length !== socketsAtStop)
      violate(`${probe.sockets.length - socketsAtStop} socket(s) were made while stopped`);
    if (status === 'idle' || status === 'stopped' || status === 'failed') socketsAtStop = undefined;
    const record: StartRecord = {
      index: starts.length,
      status,
      settlements: 0,
      outcome: 'pending',
      error: undefined,
    };
    starts.push(record);
    client.start().then(
      () => {
        record.settlements++;
        record.outcome = 'resolved';
        note(`start() #${record.index} resolved`);
      },
      (error: unknown) => {
        record.settlements++;
        record.outcome = 'rejected';
        record.error = error;
        note(`start() #${record.index} rejected: ${codeOf(error)}`);
      },
    );
    return record;
  }

  /** No timer or socket of the client left (nor of the gateway's side of its connections). */
  async function expectNothingLeft(): Promise<void> {
    const left = await handlesBackTo(baseline, modelTimings.bound);
    if (left.timeouts > baseline.timeouts || left.sockets > baseline.sockets)
      violate(`after stop(): ${showCounts(left)} alive, ${showCounts(baseline)} before the client`);
  }

  async function stopCall(wait: boolean): Promise<void> {
    const pending = starts.filter((record) => record.settlements === 0);
    const stopping = client.stop();
    if (client.status !== 'stopped') violate(`status is ${client.status} right after stop()`);
    if (wait) {
      if (!(await within(stopping, modelTimings.bound))) {
        violate(`stop() did not resolve within ${modelTimings.bound} ms (status ${client.status})`);
        return;
      }
      if (client.status !== 'stopped') violate(`status is ${client.status} after stop() resolved`);
      if (probe.live !== 0) violate(`${probe.live} socket(s) still open after stop() resolved`);
      await expectNothingLeft();
    } else {
      unawaitedStops.push(stopping);
    }
    // A settled promise's handlers run within the microtasks after it settles.
    await Promise.resolve();
    await Promise.resolve();
    for (const record of pending) {
      if (record.settlements === 0) violate(`start() #${record.index} still pending after stop() resolved`);
      else if (record.outcome === 'rejected' && codeOf(record.error) !== 'STOPPED' && !isFatal(record.error))
        violate(`start() #${record.index} rejected with ${codeOf(record.error)} at a stop, not STOPPED`);
    }
    socketsAtStop = probe.sockets.length;
  }

  function sendCall(count: number): void {
    for (let i = 0; i < count; i++) {
      const n = nextN++;
      const status = client.status;
      try {
        client.send(SEND_EVENT, { n });
        sends.push({ n, status, interrupted: false });
      } catch (error) {
        violate(`send(${n}) while ${status} threw ${codeOf(error)}`);
      }
    }
  }

  function setAck(on: boolean): void {
    if (on && !ackOn) ackRestoredAt = performance.now();
    ackOn = on;
    gateway.faults.ack = on;
    for (const connection of gateway.connections) connection.faults.ack = on;
  }

  /** The gateway's newest connection, if it is still open and not closing. */
  function currentConnection(): LocalGatewayConnection | undefined {
    const last = gateway.connections.at(-1);
    return last !== undefined && last.state !== 'closing' && last.state !== 'closed' ? last : undefined;
  }

  const probeIdOf = (connection: LocalGatewayConnection): number => Number(connection.query.get('probe'));

  /**
   * The model predicts a gateway step's outcome exactly only on a quiet session: the client ready on
   * its newest socket, which is this connection, ACKs flowing, nothing dropped or silent. Elsewhere
   * a step races whatever else is happening, and only the invariants are checked. ACKs flowing
   * means the heartbeat in flight is one they will answer: a heartbeat the gateway read while not
   * ACKing is never answered, and the client rightly calls the connection a zombie at the next one.
   */
  function eligible(connection: LocalGatewayConnection): boolean {
    const latest = probe.latest;
    const status = client.status;
    return (
      connection.state === 'identified' &&
      !connection.silent &&
      ackOn &&
      latest?.live === true &&
      probeIdOf(connection) === latest.id &&
      !damaged.has(latest.id) &&
      (status === 'ready' ||
        (status === 'heartbeat-pending' && (latest.lastHeartbeatAt ?? -1) > ackRestoredAt))
    );
  }

  /**
   * A heartbeat verdict (zombie, or the gateway's 4006) is excused when the event loop stalled
   * before it: a loop that runs nothing for a heartbeat period fires the heartbeat timer before it
   * reads an ACK that arrived in time. That is load, not a fault of the client.
   */
  function excused(index: number): boolean {
    const change = changes[index]!;
    const code = change.reason?.code;
    if (code !== 'ZOMBIE_CONNECTION' && code !== 4006) return false;
    const at = changedAt[index]!;
    if (!stalls.stalledWithin(at - 2 * modelTimings.heartbeatInterval - 20, at, 40)) return false;
    stats.excused++;
    note(
      `excused: ${String(code)} after an event-loop stall (longest so far ${stalls.longest.toFixed(0)} ms)`,
    );
    return true;
  }

  /** After a frame the client must report and go past: a marker event arrives, on the same socket, still ready. */
  async function expectStillUp(
    connection: LocalGatewayConnection,
    what: string,
    event?: string,
  ): Promise<void> {
    stats.predicted++;
    const since = changes.length;
    const seenBefore = seen.length;
    const socket = probe.latest?.id;
    const marker = ++markers;
    void connection.sendEvent(MARKER_EVENT, { marker });
    const isMarker = (e: { name: string; data: unknown }): boolean =>
      e.name === MARKER_EVENT && (e.data as { marker?: unknown } | undefined)?.marker === marker;
    const leftAt = (): number => changes.findIndex((change, i) => i >= since && !isReady(change.status));
    // The marker comes behind the frame; if the client left instead, the frame (or a stall) made it.
    const arrived = await eventually(() => seen.some(isMarker) || leftAt() >= 0, modelTimings.bound);
    const left = leftAt();
    if (left >= 0) {
      if (!excused(left))
        violate(
          `${what} made the client leave ready (${changes[left]!.status}, ${codeOf(changes[left]!.reason)})`,
        );
      return;
    }
    if (!arrived) {
      violate(`after ${what}, an event sent behind it never reached the client (status ${client.status})`);
      return;
    }
    if (probe.latest?.id !== socket) violate(`${what} made the client open a new socket`);
    if (event !== undefined) {
      const arrived = seen.slice(seenBefore);
      const at = arrived.findIndex((e) => e.name === event);
      if (at < 0 || at > arrived.findIndex(isMarker))
        violate(`the event ${event} never reached the plugins before the event sent after it`);
    }
  }

  /** After a frame or close that ends the connection: the next status out of the connection is `expected`. */
  async function expectLeft(
    since: number,
    what: string,
    code: number | string,
    fatal: boolean,
  ): Promise<void> {
    stats.predicted++;
    const leaving = (): number =>
      changes.findIndex((c, i) => i >= since && (c.status === 'reconnecting' || c.status === 'failed'));
    if (!(await eventually(() => leaving() >= 0, modelTimings.bound))) {
      violate(`after ${what} the client is still ${client.status}`);
      return;
    }
    const leftAt = leaving();
    const left = changes[leftAt]!;
    if (
      (left.reason?.code !== code || left.status !== (fatal ? 'failed' : 'reconnecting')) &&
      excused(leftAt)
    )
      return;
    const expected = fatal ? 'failed' : 'reconnecting';
    if (left.status !== expected || left.reason?.code !== code)
      violate(
        `after ${what}: ${left.status} (${codeOf(left.reason)}), expected ${expected} (${String(code)})`,
      );
  }

  async function gatewayStep(command: GatewayStep, when: StepTiming): Promise<void> {
    const status = client.status;
    if (when === 'ready' && status !== 'idle' && status !== 'stopped' && status !== 'failed') {
      // Every fault so far is over (ACKs are back on): a started client must get to ready again.
      const settled = (): boolean => isReady(client.status) || client.status === 'failed';
      if (!(await eventually(settled, modelTimings.bound)))
        violate(
          `started on a gateway that behaves, but still ${client.status} after ${modelTimings.bound} ms`,
        );
    }
    if (command.kind === 'ack-pause') {
      setAck(false);
      await sleep(command.ms);
      setAck(true);
      return;
    }
    if (command.kind === 'handshake-pause') {
      const fault = command.withhold === 'hello' ? 'hello' : 'botConnectSuccess';
      gateway.faults[fault] = false;
      await sleep(command.ms);
      gateway.faults[fault] = true;
      return;
    }
    const connection = currentConnection();
    if (connection === undefined) {
      note('no open connection: the step does nothing');
      return;
    }
    const strict = eligible(connection);
    const since = changes.length;
    switch (command.kind) {
      case 'event': {
        const data =
          command.name === 'GLOBAL_GUILD_COUNT'
            ? { guilds: 3, guildMembers: 40, cachedGuildMembers: 12 }
            : { k: markers, nested: { list: [1, 'two'] } };
        void connection.sendEvent(command.name, data);
        if (strict) await expectStillUp(connection, `event ${command.name}`, command.name);
        return;
      }
      case 'garbage-text':
        void connection.sendRaw(command.text);
        if (strict) await expectStillUp(connection, `text ${JSON.stringify(command.text)}`);
        return;
      case 'garbage-binary': {
        const bytes = Uint8Array.from(command.bytes);
        void connection.sendRaw(bytes);
        // A frame ending with the sync-flush marker continues the zlib stream: garbage there
        // breaks the stream, and the client must reconnect (INFLATE_FAILED) instead.
        if (strict && binaryFrameForm(bytes) !== 'zlib-stream')
          await expectStillUp(connection, `${bytes.length} binary bytes`);
        else if (strict) await expectLeft(since, 'a corrupt zlib-stream frame', 'INFLATE_FAILED', false);
        return;
      }
      case 'error-frame': {
        const code = command.code ?? 1000;
        const fatal = FATAL_CODES.has(code);
        if (fatal) fatalSent = true;
        const sent = (
          command.code === null ? connection.sendRaw('{"op":-1}') : connection.sendError(command.code)
        ).catch(() => false);
        if (command.thenClose && isSendableCloseCode(code))
          void connection.close(code).catch(() => undefined);
        if (!(await sent)) {
          note(`the gateway could not send error ${String(command.code)}`);
          return;
        }
        if (strict) await expectLeft(since, `error frame ${String(command.code)}`, code, fatal);
        return;
      }
      case 'close': {
        const fatal = FATAL_CODES.has(command.code);
        if (fatal) fatalSent = true;
        void connection.close(command.code).catch(() => undefined);
        if (strict) await expectLeft(since, `close ${command.code}`, reasonOfClose(command.code), fatal);
        return;
      }
      case 'drop':
        damaged.add(probeIdOf(connection));
        connection.drop();
        if (strict) await expectLeft(since, 'a dropped connection', 'SOCKET_CLOSED', false);
        return;
      case 'silent':
        damaged.add(probeIdOf(connection));
        connection.goSilent();
        return;
    }
  }

  async function step(command: SessionCommand): Promise<void> {
    switch (command.kind) {
      case 'start':
        startCall();
        return;
      case 'stop':
        await stopCall(command.wait);
        return;
      case 'send':
        sendCall(command.count);
        return;
      case 'sleep':
        await sleep(command.ms);
        return;
      default: {
        const { when, ...rest } = command;
        await gatewayStep(rest, when);
      }
    }
  }

  /** Invariants after every step. Throws at the first step that broke one. */
  async function checkStep(): Promise<void> {
    if (!(sessionStatuses as readonly string[]).includes(client.status))
      violate(`status "${client.status}" is not one of sessionStatuses`);
    for (const problem of probe.violations.slice(probeViolationsSeen)) violate(problem);
    probeViolationsSeen = probe.violations.length;
    // The gateway sees a socket close a moment after the client does: one at a time, eventually.
    if (!(await eventually(() => gateway.openConnectionCount <= 1, 1000)))
      violate(`the gateway holds ${gateway.openConnectionCount} open connections`);
    if (violations.length > 0) throw failure();
  }

  /** A well-behaved gateway, one more `start()`, everything written and read, `stop()`, nothing left. */
  async function finish(): Promise<void> {
    note('finish: ACKs on, start, everything written and read, stop');
    setAck(true);
    let ready = false;
    // A fatal frame still in flight may fail the session once more: start again after it.
    for (let attempt = 0; attempt < 3 && !ready; attempt++) {
      const record = startCall();
      if (!(await eventually(() => record.settlements > 0, 2 * modelTimings.bound))) {
        violate(
          `start() neither resolved nor rejected within ${2 * modelTimings.bound} ms (${client.status})`,
        );
        break;
      }
      if (record.outcome === 'resolved') ready = true;
      else if (!(fatalSent && isFatal(record.error))) {
        violate(`start() on a well-behaved gateway rejected with ${codeOf(record.error)}`);
        break;
      }
    }
    if (ready) {
      const everyWritten = (): boolean => {
        const out = written();
        return sends.every((send) => out.has(send.n));
      };
      await eventually(everyWritten, modelTimings.bound);
      const latest = probe.latest!;
      const readAll = (): boolean => {
        const connection = gateway.connections.find((c) => probeIdOf(c) === latest.id);
        const read = connection?.frames.filter((f) => eventNumber(f.text, SEND_EVENT) !== undefined).length;
        return read === latest.written.length;
      };
      if (!(await eventually(readAll, modelTimings.bound)))
        note(`the gateway did not read everything written into socket #${latest.id}`);
    }
    await stopCall(true);
    if (!(await within(Promise.all(unawaitedStops), modelTimings.bound)))
      violate('a stop() that was not awaited never resolved');
    const delivery = checkDelivery(SEND_EVENT, sends, probe.sockets, gateway.connections, damaged);
    for (const problem of delivery.violations) violate(problem);
    stats.lost += delivery.lost;
    stats.heldOverStop += delivery.heldOverStop;
    for (const record of starts)
      if (record.settlements !== 1)
        violate(`start() #${record.index} settled ${record.settlements} times, not once`);
    stats.sockets = probe.sockets.length;
    stats.sends = sends.length;
    if (violations.length > 0) throw failure();
  }

  function failure(): Error {
    return new Error(
      `${violations.length} invariant violation(s):\n  ${violations.join('\n  ')}\n` +
        `trace (last 80 lines):\n${trace.slice(-80).join('\n')}`,
    );
  }

  async function dispose(): Promise<void> {
    await within(client.stop(), modelTimings.bound);
  }

  return { note, step, checkStep, finish, dispose, stats };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number' || typeof code === 'string') return String(code);
  return error instanceof Error ? error.message : String(error);
}

function isFatal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && FATAL_CODES.has(code);
}
