/**
 * Hands out items (connections, received frames) one at a time, in arrival order, to whoever asks
 * next. An item that arrived before anyone asked is kept for the next ask, so a test cannot miss a
 * connection by asking a moment too late.
 */
export interface Handout<T> {
  /** Adds an item: it goes to the oldest waiter, or is kept for the next `next()`. */
  push(item: T): void;
  /** The oldest item not handed out yet, waiting up to `timeoutMs` for one to arrive. */
  next(timeoutMs: number): Promise<T>;
  /** No more items will come: waiters (and later asks, once the kept items are gone) reject with `reason`. */
  end(reason: string): void;
}

/** An empty handout. `what` names the items in timeout messages ("connection", "frame"). */
export function createHandout<T>(what: string): Handout<T> {
  const kept: T[] = [];
  const waiters: { resolve: (item: T) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }[] = [];
  let ended: string | undefined;

  return {
    push(item) {
      const waiter = waiters.shift();
      if (waiter === undefined) {
        kept.push(item);
        return;
      }
      clearTimeout(waiter.timer);
      waiter.resolve(item);
    },
    next(timeoutMs) {
      if (kept.length > 0) return Promise.resolve(kept.shift() as T);
      if (ended !== undefined) return Promise.reject(new Error(ended));
      return new Promise<T>((resolve, reject) => {
        const waiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`no ${what} came within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.push(waiter);
      });
    },
    end(reason) {
      ended ??= reason;
      for (const waiter of waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(reason));
      }
    },
  };
}
