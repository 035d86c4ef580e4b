/**
 * Hands out items (connections, received frames) one at a time, in arrival order, to whoever asks
 * next. An item that arrived before anyone asked is kept for the next ask, so a test cannot miss a
 * connection by asking a moment too late; but only up to a limit, so a gateway nobody asks (`serve`)
 * does not keep everything it ever received.
 */
export interface Handout<T> {
  /** Adds an item: it goes to the oldest waiter, or is kept for the next `next()`. */
  push(item: T): void;
  /**
   * The oldest item not handed out yet, waiting up to `timeoutMs` for one to arrive. Rejects once,
   * saying how many, when items were dropped for the limit since the last ask: the caller would
   * otherwise take a later item for the next one.
   */
  next(timeoutMs: number): Promise<T>;
  /** No more items will come: waiters (and later asks, once the kept items are gone) reject with `reason`. */
  end(reason: string): void;
}

/**
 * An empty handout. `what` names the items in messages ("connection", "frame"); at most `limit`
 * items nobody asked for are kept, the newest.
 */
export function createHandout<T>(what: string, limit = Infinity): Handout<T> {
  const kept: T[] = [];
  const waiters: { resolve: (item: T) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }[] = [];
  let dropped = 0;
  let ended: string | undefined;

  return {
    push(item) {
      const waiter = waiters.shift();
      if (waiter === undefined) {
        kept.push(item);
        if (kept.length > limit) dropped += kept.splice(0, kept.length - limit).length;
        return;
      }
      clearTimeout(waiter.timer);
      waiter.resolve(item);
    },
    next(timeoutMs) {
      if (dropped > 0) {
        const count = dropped;
        dropped = 0;
        const were = count === 1 ? `1 ${what} was` : `${count} ${what}s were`;
        return Promise.reject(
          new Error(`${were} dropped before anyone asked for them (unclaimedLimit ${limit})`),
        );
      }
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
