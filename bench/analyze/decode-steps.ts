/**
 * Where decodeFrame's time goes on a GLOBAL_GUILD_COUNT frame (benchmark 2): decodeFrame rebuilt
 * one step at a time, each rung parsing afresh, so that the difference between rungs is what a
 * step costs. Rounds interleave the rungs; medians.
 *
 *   node --import tsx bench/analyze/decode-steps.ts
 */
import * as t from 'io-ts';
import { right } from 'fp-ts/lib/Either.js';
import { createEventRegistry, decodeFrame, Opcode } from '../../src/protocol/index.js';
import { frameBodyCodecs } from '../../src/protocol/frames.js';
import { GUILD_COUNT_FRAME } from '../lib/frames.js';
import { formatNumber, median } from '../lib/stats.js';

const registry = createEventRegistry();
const options = { sender: 'gateway', events: registry } as const;
const iterations = 100_000;
const rounds = 25;
let sink = 0;

/** What the steps would cost with plain checks instead of io-ts (a possible fast path). */
function plainEventCheck(u: unknown): boolean {
  if (typeof u !== 'object' || u === null) return false;
  const f = u as { t?: unknown; m?: unknown };
  return typeof f.t === 'string' && (f.m === undefined || typeof f.m === 'string');
}
const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
function plainGuildCount(d: unknown): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const g = d as Record<string, unknown>;
  return isCount(g.guilds) && isCount(g.guildMembers) && isCount(g.cachedGuildMembers);
}

const sentBy = new Map<number, string>([
  [-1, 'gateway'],
  [0, 'gateway'],
  [5, 'gateway'],
  [11, 'gateway'],
]);
/** decodeFrame rebuilt step by step: each rung parses afresh and does one more of its steps. */
function upTo(step: number): unknown {
  // decodeFrame scans for a `__proto__` key before parsing (it then parses with a reviver); since
  // 1e898c2 without the quotes, which cost ~100 ns more (a search for `"` stops at every key).
  if (step >= 1 && GUILD_COUNT_FRAME.includes('__proto__')) return undefined;
  const v = JSON.parse(GUILD_COUNT_FRAME) as unknown;
  if (step <= 1) return v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const frame = v as { op?: unknown; t?: unknown; d?: unknown };
  const op = frame.op;
  if (typeof op !== 'number' || !Number.isInteger(op)) return undefined;
  const codec = frameBodyCodecs[op as Opcode] as t.Mixed | undefined;
  if (codec === undefined || sentBy.get(op) !== 'gateway') return undefined;
  if (step === 2) return v;
  if (!codec.is(v)) return undefined;
  if (step === 3) return v;
  const data = registry.decodeData(frame.t as string, frame.d, op);
  if (step === 4) return data;
  const checked = right(frame);
  return right(checked);
}

const steps: [string, () => unknown][] = [
  ['JSON.parse (the baseline)', () => upTo(0)],
  ["+ text.includes('__proto__') before parsing", () => upTo(1)],
  ['+ object, op, opcode-table and direction checks', () => upTo(2)],
  ['+ frame body codec .is (hand-written guard since bd47bcd)', () => upTo(3)],
  ['+ registry.decodeData (Map lookup, GlobalGuildCountData.is)', () => upTo(4)],
  ['+ two Either allocations (= decodeFrame, rebuilt)', () => upTo(5)],
  ['decodeFrame itself', () => decodeFrame(GUILD_COUNT_FRAME, options)],
  [
    "alternative: includes('__proto__') + JSON.parse + plain-JS checks + Either",
    () => {
      if (GUILD_COUNT_FRAME.includes('__proto__')) return undefined;
      const v = JSON.parse(GUILD_COUNT_FRAME) as unknown;
      return plainEventCheck(v) && plainGuildCount((v as { d?: unknown }).d) ? right(v) : undefined;
    },
  ],
];

/** CPU time per call, ns: CPU time rather than wall time, so that being preempted does not count. */
function time(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < iterations; i++) if (fn() !== undefined) sink++;
  const used = process.cpuUsage(c0);
  return ((used.user + used.system) * 1000) / iterations;
}

const results = steps.map(() => [] as number[]);
for (const [, fn] of steps) time(fn);
for (let round = 0; round < rounds; round++) steps.forEach(([, fn], i) => results[i]?.push(time(fn)));
process.stdout.write(`CPU ns per call, median of ${rounds} rounds of ${formatNumber(iterations)}:\n`);
steps.forEach(([name], i) => {
  process.stdout.write(`  ${formatNumber(median(results[i] ?? [])).padStart(6)} ns  ${name}\n`);
});
if (sink < 0) process.stdout.write('\n');
