import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { isLeft } from '../protocol/either.js';
import type WebSocket from 'ws';
import {
  encodeFrame,
  GatewayErrorCode,
  GatewayEventName,
  Opcode,
  type GatewayFrame,
  type GlobalGuildCountData,
  type SendServersData,
} from '../protocol/index.js';
import { readClientFrame, type ClientFrameVerdict } from './client-frames.js';
import { createFrameCompressor } from './compression.js';
import type {
  CloseInfo,
  ConnectionState,
  LocalGatewayConnection,
  ReceivedFrame,
} from './connection-types.js';
import { localGatewayDefaults, type ResolvedGatewayOptions } from './defaults.js';
import type { GatewayFaults } from './faults.js';
import { createHandout } from './handout.js';
import { hostileFrames, type HostileAct } from './hostile.js';
import { printable } from '../errors/one-line.js';
import { clientText, createLogRedactor } from './log-text.js';
import { createOutbox } from './outbox.js';
import { errorFrame, errorMessage, rejection, type GatewayRejection } from './rejection.js';

/** What the gateway hears from a connection. */
export interface ConnectionHooks {
  /** A `send_servers` report from an identified bot. */
  reported(connection: ConnectionSession, data: SendServersData): void;
  /** The socket is gone. */
  closed(connection: ConnectionSession): void;
}

/** A connection plus what only the gateway calls. */
export interface ConnectionSession extends LocalGatewayConnection {
  /** Sends `GLOBAL_GUILD_COUNT` if this connection is an identified bot that is not silent. */
  sendGuildCount(total: GlobalGuildCountData): void;
  /** Ends the connection for `gateway.close()`: 1001 if it can still talk, destroyed if silent. */
  shutdown(): Promise<CloseInfo>;
}

/** What a new connection is made from. */
export interface ConnectionInit {
  readonly number: number;
  readonly socket: WebSocket;
  /** The query of the request target, which the gateway parsed before it accepted the upgrade. */
  readonly query: URLSearchParams;
  /** The TCP socket under `socket`, needed to go half-open. */
  readonly tcp: Duplex;
  readonly request: IncomingMessage;
  readonly options: ResolvedGatewayOptions;
  readonly faults: GatewayFaults;
  readonly hooks: ConnectionHooks;
}

/** Starts the gateway's side of one connection: checks `v`, then Hello (unless a fault says otherwise). */
export function createConnection(init: ConnectionInit): ConnectionSession {
  const { number, socket, tcp, request, query, options, faults, hooks } = init;
  const version = query.get('v');
  // `encoding=zlib` is the older docs' spelling of `compression=zlib`; both are honoured.
  const zlib = query.get('compression') === 'zlib' || query.get('encoding') === 'zlib';
  const compression = zlib ? options.compressionForm : 'none';
  const compressor = zlib ? createFrameCompressor(options.compressionForm) : undefined;
  const outbox = createOutbox(socket, compressor, {
    bytes: options.maxUnwrittenBytes,
    overflow: () => {
      overflowed();
    },
  });
  const frames: ReceivedFrame[] = [];
  const received = createHandout<ReceivedFrame>('frame', options.unclaimedLimit);
  /**
   * Hides in log lines every accepted key and the keys this client identified with (hostile frames
   * echo them): any 8-character run of one, raw or JSON-escaped, as the client hides its own key.
   */
  const redactor = createLogRedactor(options.keys, 2);
  /** The key of the client's latest identify, accepted or not: hostile frames echo it. */
  let clientKey: string | undefined;
  /** A line of the gateway's own words around pieces of client text, each passed through {@link shown}. */
  const log = (line: string): void => {
    options.log(`#${number} ${printable(redactor.redact(line))}`);
  };
  /** Client-chosen text (an event name, a close reason, a codec message quoting a value) for {@link log}. */
  const shown = (text: string): string => clientText(text, redactor);

  let state: ConnectionState = 'connected';
  let helloSent = false;
  let botId: string | undefined;
  let silent = false;
  let heartbeats = 0;
  let helloTimer: NodeJS.Timeout | undefined;
  let heartbeatDeadline: NodeJS.Timeout | undefined;
  let closeTimer: NodeJS.Timeout | undefined;
  let resolveClosed: (info: CloseInfo) => void = () => undefined;
  const closed = new Promise<CloseInfo>((resolve) => {
    resolveClosed = resolve;
  });

  function stopTimers(): void {
    clearTimeout(helloTimer);
    clearTimeout(heartbeatDeadline);
    helloTimer = undefined;
    heartbeatDeadline = undefined;
  }

  function encode(frame: GatewayFrame): string {
    const json = encodeFrame(frame, { helloField: options.helloField });
    if (isLeft(json)) throw new TypeError(json.left.message);
    return json.right;
  }

  function send(frame: GatewayFrame, own = false): Promise<boolean> {
    try {
      return outbox.frame(encode(frame), own);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError(String(error)));
    }
  }

  /**
   * The gateway's own frames: none once it is silent or closing. Nobody awaits them, so a frame the
   * codec refuses is logged here: an unhandled rejection would end a `serve` process.
   */
  function sendOwn(frame: GatewayFrame): void {
    if (silent || state === 'closing' || state === 'closed') return;
    send(frame, true).catch((error: unknown) => {
      log(`could not send an op ${frame.op} frame: ${shown(describeError(error))}`);
    });
  }

  /**
   * A bug of the gateway met while it handled this connection: the connection goes (op -1 with
   * 1000 "Unknown error", then a close with 1011, WebSocket's "internal error"); the gateway and its
   * other connections go on.
   */
  function internalError(where: string, error: unknown): void {
    log(`internal error in ${where}: ${shown(describeError(error))}`);
    try {
      if (state === 'closing' || state === 'closed') return;
      sendOwn(errorFrame(GatewayErrorCode.UnknownError));
      closeAfterQueue(1011, 'Internal error.').catch(() => undefined);
    } catch {
      socket.terminate();
    }
  }

  /** `step`, with what it throws reported by {@link internalError}: it runs in a socket's or a timer's callback. */
  function guarded<A extends unknown[]>(where: string, step: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        step(...args);
      } catch (error) {
        internalError(where, error);
      }
    };
  }

  function sendHello(): void {
    helloTimer = undefined;
    if (helloSent || silent || state === 'closing' || state === 'closed') return;
    helloSent = true;
    sendOwn({ op: Opcode.Hello, d: { heartbeat: options.heartbeatInterval } });
    log(`hello sent (heartbeat ${options.heartbeatInterval} ms)`);
    // The 4006 clock starts at Hello: the client cannot beat before it knows the interval.
    armHeartbeatDeadline();
  }

  function armHeartbeatDeadline(): void {
    clearTimeout(heartbeatDeadline);
    heartbeatDeadline = setTimeout(
      guarded('the heartbeat deadline', () => {
        heartbeatDeadline = undefined;
        if (silent || !faults.enforceHeartbeat) return;
        fail(rejection(GatewayErrorCode.NoHeartbeat, 'Heartbeat not received in time.'));
      }),
      options.heartbeatInterval + options.heartbeatGrace,
    );
  }

  /** What the gateway does on any protocol error: the op -1 frame, then a close with the same code. */
  function fail(r: GatewayRejection): void {
    if (state === 'closing' || state === 'closed') return;
    log(`error ${r.code} (${errorMessage(r.code)}) ${shown(r.errors.join(' '))}`);
    sendOwn(errorFrame(r.code, r));
    void closeAfterQueue(r.code, errorMessage(r.code)).catch(() => undefined);
  }

  function closeAfterQueue(code: number, reason: string): Promise<CloseInfo> {
    stopTimers();
    if (state !== 'closed') state = 'closing';
    return outbox
      .after(() => {
        closeNow(code, reason);
      })
      .then(() => closed);
  }

  function closeNow(code: number, reason: string): void {
    if (closeTimer !== undefined || socket.readyState === socket.CLOSED) return;
    socket.close(code, reason);
    // ws waits 30 s for the peer's close frame; a test gateway should not.
    closeTimer = setTimeout(() => {
      socket.terminate();
    }, options.closeTimeout);
  }

  /**
   * The client left more than `maxUnwrittenBytes` of the gateway's own frames unread: close now
   * (1008, policy violation), ahead of the queue, which would only drain once the client reads. What
   * is still queued is dropped as the socket closes; `closeTimeout` ends a client that reads nothing.
   */
  function overflowed(): void {
    if (state === 'closed') return;
    log(`closing with 1008: over ${options.maxUnwrittenBytes} bytes of frames wait for the client to read`);
    stopTimers();
    state = 'closing';
    closeNow(1008, 'Client is not reading.');
  }

  function onIdentify(key: string): void {
    clientKey = key;
    redactor.remember(key);
    if (state === 'identified') {
      fail(rejection(GatewayErrorCode.MalformedData, 'Already identified.'));
      return;
    }
    // A gateway that withholds success does not answer a second identify either.
    if (state === 'identify-pending') return;
    if (!options.keys.has(key)) {
      fail(rejection(GatewayErrorCode.WrongAuthKey, 'Key is wrong or expired.'));
      return;
    }
    if (!faults.botConnectSuccess) {
      state = 'identify-pending';
      log('identify taken, bot_connect_success withheld');
      return;
    }
    botId = randomUUID();
    state = 'identified';
    sendOwn({
      op: Opcode.GatewayEvent,
      t: GatewayEventName.BotConnectSuccess,
      d: { id: botId, type: 'bot' },
    });
    log(`identified as bot ${botId}`);
  }

  function act(verdict: ClientFrameVerdict): void {
    switch (verdict.kind) {
      case 'rejected':
        fail(verdict.rejection);
        return;
      case 'heartbeat':
        heartbeats++;
        if (helloSent) armHeartbeatDeadline();
        if (faults.ack) sendOwn({ op: Opcode.HeartbeatAck });
        return;
      case 'identify':
        onIdentify(verdict.frame.d.key);
        return;
      case 'event':
        // Before identify every event is ignored and never answered; after it, unknown names too.
        if (state !== 'identified') {
          log(`ignored ${shown(verdict.frame.t)} before identify`);
          return;
        }
        if (verdict.frame.t === GatewayEventName.SendServers)
          hooks.reported(session, verdict.frame.d as SendServersData);
        return;
    }
  }

  socket.on(
    'message',
    guarded('reading a frame', (data: WebSocket.RawData, binary: boolean) => {
      if (silent) return;
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const verdict = readClientFrame(bytes);
      const frame: ReceivedFrame = {
        receivedAt: Date.now(),
        binary,
        text: bytes.toString('utf8'),
        frame: verdict.kind === 'rejected' ? undefined : verdict.frame,
        rejection: verdict.kind === 'rejected' ? verdict.rejection : undefined,
      };
      remember(frame);
      received.push(frame);
      if (state === 'connected' || state === 'identify-pending' || state === 'identified') act(verdict);
    }),
  );
  // ws reports socket and framing errors (a frame over maxPayload, …) here, then closes.
  socket.on('error', (error) => {
    log(`socket error: ${shown(error.message)}`);
  });
  socket.on('close', (code, reason) => {
    state = 'closed';
    stopTimers();
    clearTimeout(closeTimer);
    compressor?.close();
    const info = { code, reason: reason.toString('utf8') };
    log(`closed ${code}${info.reason === '' ? '' : ` ${shown(info.reason)}`}`);
    received.end(`connection #${number} closed (${code})`);
    resolveClosed(info);
    try {
      hooks.closed(session);
    } catch (error) {
      log(`internal error after the close: ${shown(describeError(error))}`);
    }
  });

  /** Keeps the newest `frameHistory` frames: a long-lived connection must not hold all it ever read. */
  function remember(frame: ReceivedFrame): void {
    if (options.frameHistory === 0) return;
    frames.push(frame);
    if (frames.length > options.frameHistory) frames.splice(0, frames.length - options.frameHistory);
  }

  function sendHostile(name: string): Promise<boolean> {
    if (!Object.hasOwn(hostileFrames, name))
      return Promise.reject(new RangeError(`no hostile frame is named ${JSON.stringify(name)}`));
    let act: HostileAct;
    try {
      act = hostileFrames[name as keyof typeof hostileFrames].build({
        key: clientKey,
        helloField: options.helloField,
      });
    } catch (error) {
      return Promise.reject(
        new Error(`cannot send ${name} on connection #${number}: ${describeError(error)}`),
      );
    }
    log(`sending hostile frame ${name}`);
    switch (act.kind) {
      case 'frame':
        return outbox.frame(act.text);
      case 'text':
        return outbox.raw(act.text);
      case 'close':
        // A close already on its way cannot be made again.
        if (state === 'closing' || state === 'closed') return Promise.resolve(false);
        return closeAfterQueue(act.code, act.reason).then(() => true);
    }
  }

  const session: ConnectionSession = {
    number,
    query,
    compression,
    get state() {
      return state;
    },
    get helloSent() {
      return helloSent;
    },
    get identified() {
      return state === 'identified';
    },
    get botId() {
      return botId;
    },
    get silent() {
      return silent;
    },
    get heartbeats() {
      return heartbeats;
    },
    frames,
    faults,
    closed,
    nextFrame: (timeoutMs = localGatewayDefaults.waitTimeout) => received.next(timeoutMs),
    send,
    sendEvent: (name, data) => send({ op: Opcode.GatewayEvent, t: name, d: data }),
    sendRaw: (data) => outbox.raw(data),
    sendError: (code, details = {}) => send(errorFrame(code, details)),
    sendHostile,
    close(code = 1000, reason = '') {
      if (state === 'closed') return closed;
      return closeAfterQueue(code, reason);
    },
    goSilent() {
      if (silent || state === 'closed') return;
      silent = true;
      stopTimers();
      // ws reads through the TCP socket's `data` listener. Replacing it with a sink keeps the socket
      // flowing (so the gateway still notices when the client hangs up) while ws sees nothing: no
      // frame is read, no ping is ponged, no close frame is answered. That is a half-open peer.
      tcp.removeAllListeners('data');
      tcp.on('data', () => undefined);
      tcp.resume();
      log('went silent (half-open)');
    },
    drop() {
      if (state === 'closed') return;
      stopTimers();
      log('dropped (no close frame)');
      socket.terminate();
    },
    sendGuildCount(total) {
      if (state !== 'identified') return;
      sendOwn({ op: Opcode.GatewayEvent, t: GatewayEventName.GlobalGuildCount, d: total });
    },
    shutdown() {
      if (state === 'closed') return closed;
      if (silent) {
        socket.terminate();
        return closed;
      }
      return closeAfterQueue(1001, 'Gateway closing.');
    },
  };

  log(
    `connected from ${request.socket.remoteAddress ?? '?'} (v=${version === null ? 'absent' : shown(version)}, compression ${compression})`,
  );
  if (version !== null && version !== '1') {
    fail(rejection(GatewayErrorCode.WrongVersion, 'Gateway version must be 1.', version));
  } else if (faults.hello) {
    if (faults.helloDelay > 0)
      helloTimer = setTimeout(guarded('sending Hello', sendHello), faults.helloDelay);
    else sendHello();
  } else {
    log('hello withheld');
  }
  return session;
}

/** An error's message, for a log line: the first line only, as the log keeps one line per event. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}
