/**
 * The baseline: what a person would write by hand with `ws` and no library. It does the same
 * handshake as ours (Hello → heartbeat → identify → wait for bot_connect_success), heartbeats on a
 * setInterval, parses every frame with JSON.parse, checks the shape (op 0, t a string, and for
 * GLOBAL_GUILD_COUNT, d with three numbers) and routes events by name to handlers. Optionally it
 * reconnects after a fixed delay. Nothing else: no queue, no zombie detection, no error reporting.
 */
import WebSocket from 'ws';

export interface RawClientOptions {
  readonly url: string;
  readonly key: string;
  /** Handlers by event name. */
  readonly handlers?: ReadonlyMap<string, (data: unknown) => void>;
  /** Reconnect this many ms after a close we did not ask for; no reconnect when absent. */
  readonly reconnectDelay?: number;
  /** Called at every bot_connect_success. */
  readonly onReady?: () => void;
  /** Called when a socket closes (before any reconnect). */
  readonly onClose?: () => void;
  /**
   * Start the heartbeat interval at a random phase (first beat still right after Hello), so that
   * clients that connected together do not beat in the same event-loop turn. Default: false.
   */
  readonly spreadHeartbeats?: boolean;
}

export interface RawClient {
  /** Resolves at the first bot_connect_success. */
  readonly ready: Promise<void>;
  /** Writes a frame's text to the socket; `false` when it is not open. */
  send(text: string): boolean;
  /** Closes for good; resolves when the socket is closed. */
  close(): Promise<void>;
}

const HEARTBEAT = '{"op":10}';

function isGuildCount(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const { guilds, guildMembers, cachedGuildMembers } = d as Record<string, unknown>;
  return (
    typeof guilds === 'number' && typeof guildMembers === 'number' && typeof cachedGuildMembers === 'number'
  );
}

/** The shape checks the baseline makes, by event name (unknown names pass with their raw data). */
const checks = new Map<string, (d: unknown) => boolean>([['GLOBAL_GUILD_COUNT', isGuildCount]]);

export function connectRaw(options: RawClientOptions): RawClient {
  const identify = JSON.stringify({ op: 1, t: 'identify', d: { type: 'bot', key: options.key } });
  const handlers = options.handlers ?? new Map<string, (data: unknown) => void>();
  let ws: WebSocket;
  let heartbeat: NodeJS.Timeout | undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let closing = false;
  let resolveReady: () => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });

  function onMessage(data: WebSocket.RawData): void {
    let frame: unknown;
    try {
      // Text frames with the default binaryType: always one Buffer.
      frame = JSON.parse((data as Buffer).toString());
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const { op, t, d } = frame as { op?: unknown; t?: unknown; d?: unknown };
    switch (op) {
      case 0: {
        if (typeof t !== 'string') return;
        if (t === 'bot_connect_success') {
          resolveReady();
          options.onReady?.();
        }
        const check = checks.get(t);
        if (check !== undefined && !check(d)) return;
        handlers.get(t)?.(d);
        return;
      }
      case 5: {
        const hello = (d ?? {}) as { heartbeat?: unknown; hearbeat?: unknown };
        const interval = Number(hello.heartbeat ?? hello.hearbeat);
        ws.send(HEARTBEAT);
        const beat = (): void => {
          ws.send(HEARTBEAT);
        };
        if (options.spreadHeartbeats === true) {
          heartbeat = setTimeout(() => {
            beat();
            heartbeat = setInterval(beat, interval);
          }, Math.random() * interval);
        } else {
          heartbeat = setInterval(beat, interval);
        }
        ws.send(identify);
        return;
      }
      default:
        return;
    }
  }

  function open(): void {
    ws = new WebSocket(options.url, { perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    ws.on('message', onMessage);
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(heartbeat);
      heartbeat = undefined;
      options.onClose?.();
      if (closing) return;
      if (options.reconnectDelay === undefined) {
        rejectReady(new Error('the socket closed before bot_connect_success'));
        return;
      }
      reconnect = setTimeout(open, options.reconnectDelay);
    });
  }
  open();

  return {
    ready,
    send(text) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(text);
      return true;
    },
    close() {
      closing = true;
      clearTimeout(reconnect);
      clearInterval(heartbeat);
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1000);
      });
    },
  };
}
