/**
 * An in-memory WebSocket playing the gateway, for measuring the client without any I/O: Hello on
 * open, an ACK on the next microtask for each heartbeat, bot_connect_success for identify; other
 * frames are counted and dropped.
 */
import type { WebSocketLike } from '../../src/transport/websocket.js';

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;

export class MemorySocket implements WebSocketLike {
  /** Heartbeat interval sent in Hello, ms. */
  static interval = 50;
  /** Frames sent that were neither heartbeats nor identify. */
  static dropped = 0;
  readyState = 0;
  binaryType = 'nodebuffer';
  private readonly listeners = new Map<string, Set<Listener>>();
  constructor() {
    setImmediate(() => {
      this.readyState = 1;
      this.emit('open', {});
      this.emit('message', { data: JSON.stringify({ op: 5, d: { hearbeat: MemorySocket.interval } }) });
    });
  }
  send(data: string): void {
    if (data === '{"op":10}') queueMicrotask(() => this.emit('message', { data: '{"op":11}' }));
    else if (data.includes('"identify"'))
      queueMicrotask(() =>
        this.emit('message', { data: '{"op":0,"t":"bot_connect_success","d":{"id":"x"}}' }),
      );
    else MemorySocket.dropped++;
  }
  close(code = 1000): void {
    this.readyState = 3;
    queueMicrotask(() => this.emit('close', { code, reason: '' }));
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener);
  }
  removeEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.get(type)?.delete(listener as Listener);
  }
  private emit(type: string, event: Parameters<Listener>[0]): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}
