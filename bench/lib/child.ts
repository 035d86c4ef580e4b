/**
 * Helper processes for the benchmarks (flood source, sink, local gateway): TypeScript run through
 * tsx, talking over IPC, so that their CPU never counts in the process that measures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { built, builtPath, root } from './build.js';

export interface HelperMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface Helper {
  readonly process: ChildProcess;
  send(message: HelperMessage): void;
  /** The next message of `type` not taken yet (messages are queued until asked for). */
  next<T extends HelperMessage>(type: string, timeoutMs?: number): Promise<T>;
  /** Asks the helper to stop and waits for it to exit (killed after a grace period). */
  stop(): Promise<void>;
}

/** Starts bench/lib/NAME (from the build, or from source with tsx when this runs from source). */
export function startHelper(name: 'bare-gateway' | 'gateway-child', args: readonly string[] = []): Helper {
  return startHelperFile(`bench/lib/${name}.ts`, args);
}

/** Starts a helper by its path from the repository root, e.g. `bench/peers/servers/hello.ts`. */
export function startHelperFile(path: string, args: readonly string[] = []): Helper {
  const file = built ? builtPath(path) : `${root}${path}`;
  const child = fork(file, [...args], {
    execArgv: built ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queued: HelperMessage[] = [];
  const waiting: { type: string; resolve: (m: HelperMessage) => void }[] = [];
  child.on('message', (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const message = value as HelperMessage;
    const at = waiting.findIndex((w) => w.type === message.type);
    if (at === -1) queued.push(message);
    else waiting.splice(at, 1)[0]?.resolve(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    send(message) {
      child.send(message);
    },
    next<T extends HelperMessage>(type: string, timeoutMs = 30_000): Promise<T> {
      const at = queued.findIndex((m) => m.type === type);
      if (at !== -1) return Promise.resolve(queued.splice(at, 1)[0] as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`helper ${path}: no '${type}' message within ${timeoutMs} ms`));
        }, timeoutMs);
        const entry = {
          type,
          resolve: (m: HelperMessage) => {
            clearTimeout(timer);
            resolve(m as T);
          },
        };
        waiting.push(entry);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`helper ${path} exited while waiting for '${type}'`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a helper: sends a message to the benchmark that started it. */
export function tell(message: HelperMessage): void {
  process.send?.(message);
}

/** In a helper: calls `handler` for each message from the benchmark. */
export function listen(handler: (message: HelperMessage) => void): void {
  process.on('message', (value: unknown) => {
    if (typeof value === 'object' && value !== null) handler(value as HelperMessage);
  });
}

/** CPU time of this process, in microseconds (user + system). */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
