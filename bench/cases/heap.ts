/**
 * 3. Heap per ready idle client: N clients of ours, then N raw `ws` clients (the baseline), in this
 * process, against one local gateway in a child process (heartbeat interval 10 min, so the clients
 * are idle). Per client = (heapUsed with N ready clients − heapUsed before they were made) / N,
 * both read after forced GCs (node --expose-gc). Rounds alternate ours and baseline; each round
 * tears its clients down, and the heap left after teardown is reported as a leak check.
 * `--heap-snapshot=DIR` writes one snapshot with ours ready and one with the baseline ready (first
 * round only), for bench/analyze/heap-diff.ts.
 */
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { startHelper } from '../lib/child.js';
import { log, main, makeRow, quick } from '../lib/case.js';
import { createOurClient, BENCH_KEY } from '../lib/our-client.js';
import { connectRaw } from '../lib/raw-client.js';
import { formatNumber, median, settleHeap, sleep } from '../lib/stats.js';

const count = quick ? 200 : 1_000;
const rounds = quick ? 2 : 3;
/** Clients connecting at once: stays well under the server's listen backlog (511). */
const BATCH = 100;
const snapshotDir = process.argv.find((a) => a.startsWith('--heap-snapshot='))?.split('=')[1];

interface Population {
  readonly stop: () => Promise<void>;
}

main(async () => {
  const gateway = startHelper('gateway-child', [
    JSON.stringify({ heartbeatInterval: 600_000, guildCountInterval: 0 }),
  ]);
  const { url } = await gateway.next<{ type: string; url: string }>('listening');

  async function startOurs(n: number): Promise<Population> {
    const clients: ReturnType<typeof createOurClient>[] = [];
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, () => createOurClient(url));
      await Promise.all(batch.map((c) => c.client.start()));
      clients.push(...batch);
    }
    return {
      stop: async () => {
        await Promise.all(clients.map((c) => c.client.stop()));
        clients.length = 0;
      },
    };
  }

  async function startRaw(n: number): Promise<Population> {
    const clients: ReturnType<typeof connectRaw>[] = [];
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, () => connectRaw({ url, key: BENCH_KEY }));
      await Promise.all(batch.map((c) => c.ready));
      clients.push(...batch);
    }
    return {
      stop: async () => {
        await Promise.all(clients.map((c) => c.close()));
        clients.length = 0;
      },
    };
  }

  const heap = { ours: [] as number[], baseline: [] as number[] };
  const external = { ours: [] as number[], baseline: [] as number[] };
  const leftover = { ours: [] as number[], baseline: [] as number[] };

  async function measure(side: 'ours' | 'baseline', round: number): Promise<void> {
    await settleHeap();
    const before = process.memoryUsage();
    const population = await (side === 'ours' ? startOurs(count) : startRaw(count));
    await sleep(300);
    await settleHeap();
    const ready = process.memoryUsage();
    heap[side].push((ready.heapUsed - before.heapUsed) / count);
    external[side].push((ready.external - before.external) / count);
    if (snapshotDir !== undefined && round === 0) {
      const file = writeHeapSnapshot(join(snapshotDir, `heap-${side}-${count}.heapsnapshot`));
      log(`wrote ${file}`);
    }
    await population.stop();
    await sleep(300);
    await settleHeap();
    leftover[side].push((process.memoryUsage().heapUsed - before.heapUsed) / count);
  }

  // Warm-up: loads and compiles every module either side uses, so the first round does not count it.
  await (await startOurs(10)).stop();
  await (await startRaw(10)).stop();

  for (let round = 0; round < rounds; round++) {
    const order: ('ours' | 'baseline')[] = round % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) await measure(side, round);
    log(
      `round ${round + 1}: heap/client ours ${formatNumber(heap.ours.at(-1) ?? 0)} B, baseline ${formatNumber(heap.baseline.at(-1) ?? 0)} B; ` +
        `left after teardown ours ${formatNumber(leftover.ours.at(-1) ?? 0)} B, baseline ${formatNumber(leftover.baseline.at(-1) ?? 0)} B`,
    );
  }
  await gateway.stop();

  return [
    makeRow({
      id: '3',
      name: `heap per ready idle client (${count} clients)`,
      unit: 'B/client',
      ours: heap.ours,
      baseline: heap.baseline,
      ratioOf: 'ours/baseline',
      goal: (ratio) => ({ text: '≤ 2.00×', pass: ratio <= 2 }),
      notes: [
        `heapUsed after GC; ${count} clients in one process, local gateway in a child process, heartbeat 600 s, ${rounds} rounds alternating`,
        `external memory per client (Buffers, outside the JS heap): ours ${formatNumber(median(external.ours))} B, baseline ${formatNumber(median(external.baseline))} B`,
        `heap left per client after teardown and GC (leak check, ~0 expected): ours ${formatNumber(median(leftover.ours))} B, baseline ${formatNumber(median(leftover.baseline))} B`,
      ],
    }),
  ];
});
