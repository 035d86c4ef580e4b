/** Timers and TCP sockets alive in this process: what a stopped client must give back. */
export interface HandleCounts {
  readonly timeouts: number;
  readonly sockets: number;
}

/** Counts `Timeout` and `TCPSocketWrap` in `process.getActiveResourcesInfo()`. */
export function handleCounts(): HandleCounts {
  let timeouts = 0;
  let sockets = 0;
  for (const resource of process.getActiveResourcesInfo()) {
    if (resource === 'Timeout') timeouts++;
    else if (resource === 'TCPSocketWrap') sockets++;
  }
  return { timeouts, sockets };
}

/** `a` as text: `3 timers, 2 sockets`. */
export function showCounts(a: HandleCounts): string {
  return `${a.timeouts} timers, ${a.sockets} sockets`;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` every 5 ms until it holds; `false` if `ms` passed first. Loaded machines (two
 * cores shared with other test runs) make every wait here a bound, never an expected duration.
 */
export async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

/**
 * Waits until the process holds no more timers and sockets than `baseline` (a stopped client and
 * the gateway's side of its connections take a few ms to close), within `ms`; returns the last counts.
 */
export async function handlesBackTo(baseline: HandleCounts, ms: number): Promise<HandleCounts> {
  let now = handleCounts();
  await eventually(() => {
    now = handleCounts();
    return now.timeouts <= baseline.timeouts && now.sockets <= baseline.sockets;
  }, ms);
  return now;
}

/** Whether `promise` settled within `ms` (its result is not wanted). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
