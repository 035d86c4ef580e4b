/** Event-loop stalls: times when this process did not run its timers for a while. */
export interface StallWatch {
  /** Whether the loop stalled for at least `ms` at some time between `from` and `to` (performance.now()). */
  stalledWithin(from: number, to: number, ms: number): boolean;
  /** The longest stall seen, ms. */
  readonly longest: number;
  stop(): void;
}

/**
 * Watches for stalls with a 10 ms interval timer: a tick that comes late by `d` ms means the loop
 * ran nothing for about `d` ms. On a loaded machine a stall can make the client's heartbeat timer
 * fire before it reads an ACK that had arrived in time; a model must tell that from a real fault.
 */
export function watchStalls(): StallWatch {
  const period = 10;
  const stalls: { readonly end: number; readonly ms: number }[] = [];
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - period;
    if (late > 5) stalls.push({ end: now, ms: late });
    longest = Math.max(longest, late);
    last = now;
  }, period);
  return {
    stalledWithin: (from, to, ms) =>
      stalls.some((stall) => stall.ms >= ms && stall.end >= from && stall.end - stall.ms <= to),
    get longest() {
      return longest;
    },
    stop: () => {
      clearInterval(timer);
    },
  };
}
