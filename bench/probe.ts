// One workload run for `npm run bench:cachegrind` (scripts/cachegrind.mjs runs this under valgrind): the benchmark's
// mixed workload through one strategy, the raw lru-cache loop, or a lean prototype (bench/lean.ts), R times over the
// same N operations after a warm-up.
// The difference between R = 2 and R = 1 in counted instructions and cache misses is what N more operations cost, once
// everything is compiled and warm (a single run would also count the JIT's work on it).
//
//   node out/probe.js STRATEGY|raw|lean-STRATEGY N R
import { LRUCache } from 'lru-cache';
import { defaultOptions, isStrategy, STRATEGIES } from '../src/model/types';
import type { Strategy } from '../src/model/types';
import { runLean } from './lean';
import { OpList, runWorkload } from '../src/model/workload';
import type { WorkloadSpec } from '../src/model/workload';

const [target = '', count = '', times = ''] = process.argv.slice(2);
const ops = Number(count);
const reps = Number(times);
const LEAN: Record<string, Strategy> = Object.fromEntries(STRATEGIES.map((s) => [`lean-${s}`, s]));
const lean = LEAN[target];
if ((target !== 'raw' && lean === undefined && !isStrategy(target)) || !Number.isInteger(ops) || ops < 1 || !Number.isInteger(reps) || reps < 0) {
  console.error('usage: node out/probe.js STRATEGY|raw|lean-STRATEGY N R (N operations, a positive whole number; R runs over them, 0 or more)');
  process.exit(2);
}

/** The same workload as `npm run bench` (bench/bench.ts). */
function spec(n: number): WorkloadSpec {
  return { kind: 'mixed', ops: n, keys: 10_000, distribution: 'zipf', clients: 4, seed: 42, preload: true };
}

function run(list: OpList): void {
  list.rewind();
  if (lean !== undefined) {
    runLean(lean, list);
    return;
  }
  if (target !== 'raw') {
    const o = defaultOptions(isStrategy(target) ? target : 'write-through');
    o.trace = false;
    runWorkload(o, list.spec, {}, list);
    return;
  }
  // As bench.ts's raw loop: get for reads, set for writes and increments (kind codes 0, 1 are reads).
  const cache = new LRUCache<string, { v: number }>({ max: 1000 });
  let sink = 0;
  for (let i = 0; i < list.kinds.length; i++) {
    const k = list.keyNames[list.keys[i] as number] as string;
    if ((list.kinds[i] as number) >= 2) cache.set(k, { v: i });
    else sink += cache.get(k)?.v ?? 0;
  }
  if (sink === -1) console.log(sink);
}

// Every invocation builds the same list and warms up alike, so two of them differ only in their runs over it.
const measured = new OpList(spec(ops));
const warm = new OpList(spec(50_000));
for (let i = 0; i < 3; i++) run(warm);
for (let i = 0; i < reps; i++) run(measured);
