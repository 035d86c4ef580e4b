import { spawn, type ChildProcess } from 'node:child_process';

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process whose output is kept line by line, killed for good after a hard deadline. */
export interface Child {
  readonly process: ChildProcess;
  /** Every complete line the child wrote to stdout so far. */
  readonly out: string[];
  /** Every complete line the child wrote to stderr so far. */
  readonly err: string[];
  /** Resolves when the child has exited and its output is read to the end. */
  readonly exited: Promise<Exit>;
  /** The first stdout line (already written or still to come) that matches `pattern`. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** What a command printed and how it ended. */
export interface Result extends Exit {
  readonly out: string[];
  readonly err: string[];
}

const running = new Set<Child>();

/**
 * Starts `command args`. Past `killAfterMs` it gets SIGKILL, whatever it is doing: a hanging
 * child must fail its test, not hang the run.
 */
export function start(
  command: string,
  args: readonly string[],
  options: { cwd: string; killAfterMs?: number },
): Child {
  const env = { ...process.env };
  // A key from the environment would change what `connect` does; these tests pass keys explicitly.
  delete env.UTILBOT_KEY;
  const proc = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onOut = lineSplitter((line) => {
    out.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const onErr = lineSplitter((line) => err.push(line));
  proc.stdout.setEncoding('utf8').on('data', onOut.push);
  proc.stderr.setEncoding('utf8').on('data', onErr.push);
  const killer = setTimeout(() => proc.kill('SIGKILL'), options.killAfterMs ?? 20_000);
  const exited = new Promise<Exit>((resolve, reject) => {
    proc.once('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    // `close`, not `exit`: it comes after stdout and stderr have ended, so no line is missed.
    proc.once('close', (code, signal) => {
      clearTimeout(killer);
      onOut.end();
      onErr.end();
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const child: Child = {
    process: proc,
    out,
    err,
    exited,
    line(pattern, timeoutMs = 10_000) {
      const seen = out.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      const found = new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
      const ended = exited.then(() => {
        throw new Error(
          `${describe(command, args)} exited before printing ${String(pattern)}:\n${dump(child)}`,
        );
      });
      return within(
        Promise.race([found, ended]),
        timeoutMs,
        `${String(pattern)} from ${describe(command, args)}`,
      );
    },
  };
  running.add(child);
  return child;
}

/** Runs `command args` to the end (SIGKILL after `killAfterMs`). */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; killAfterMs?: number },
): Promise<Result> {
  const child = start(command, args, options);
  const exit = await child.exited;
  return { ...exit, out: child.out, err: child.err };
}

/** SIGKILLs every child still running and waits for it: for `afterAll`, after a failed test. */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const child of left) child.process.kill('SIGKILL');
  await Promise.allSettled(left.map((child) => child.exited));
}

/** A child's output for a failure message. */
export function dump(child: { out: readonly string[]; err: readonly string[] }): string {
  return [...child.out.map((l) => `stdout| ${l}`), ...child.err.map((l) => `stderr| ${l}`)].join('\n');
}

/** Rejects after `ms` unless `promise` settles first; the timer never outlives the wait. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

function describe(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

/** Feeds chunks in, calls `onLine` per complete line; `end()` flushes a last line without `\n`. */
function lineSplitter(onLine: (line: string) => void): { push: (chunk: string) => void; end: () => void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) onLine(part.replace(/\r$/, ''));
    },
    end() {
      if (rest !== '') onLine(rest);
      rest = '';
    },
  };
}
