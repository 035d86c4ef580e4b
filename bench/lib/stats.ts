/** Small statistics and formatting helpers; nothing here measures anything. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median of per-round ratios `top[i] / bottom[i]`. Rounds alternate ours and baseline, so a
 * pair shares whatever load the machine had at the time; the paired ratio cancels most of it.
 */
export function pairedRatio(top: readonly number[], bottom: readonly number[]): number {
  const n = Math.min(top.length, bottom.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push((top[i] as number) / (bottom[i] as number));
  return median(ratios);
}

/** A number with about three significant digits and thousands separators: `123,456`, `12.3`, `0.0123`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

export function formatRatio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves after the current I/O phase, letting sockets read and write. */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `forceGc` a few times with turns of the event loop between, so weak and pending work settles. */
export async function settleHeap(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(20);
  }
}
