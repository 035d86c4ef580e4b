/** What one run did, summed over runs to show that the faults were really met. */
export interface RunStats {
  sends: number;
  /** Events written into a socket the gateway then dropped or abandoned, never read. */
  lost: number;
  /** Events sent while not ready that were still waiting at a stop or failure, and went out after. */
  heldOverStop: number;
  reconnects: number;
  zombies: number;
  failures: number;
  sockets: number;
  /** Gateway steps whose outcome the model predicted exactly (see `eligible`). */
  predicted: number;
  /** Predictions not held against the client: a heartbeat verdict during an event-loop stall. */
  excused: number;
}

export function emptyStats(): RunStats {
  return {
    sends: 0,
    lost: 0,
    heldOverStop: 0,
    reconnects: 0,
    zombies: 0,
    failures: 0,
    sockets: 0,
    predicted: 0,
    excused: 0,
  };
}

export function addStats(into: RunStats, from: RunStats): void {
  for (const key of Object.keys(into) as (keyof RunStats)[]) into[key] += from[key];
}
