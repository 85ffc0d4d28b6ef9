// One side of `npm run bench:ab` (scripts/benchAb.mjs), run in a process of its own: the benchmark's workload for one
// strategy, R rounds of raw lru-cache right before the engine, printing the median of the rounds' ratios. It is
// bundled against the working tree and against the other revision's tree, so it uses only APIs both have had since
// the sixth session (defaultOptions, OpList, runWorkload with a prepared list).
//
//   node out/ab-SIDE.js STRATEGY OPS ROUNDS
import { LRUCache } from 'lru-cache';
import { defaultOptions } from '../src/model/types';
import type { Strategy } from '../src/model/types';
import { OpList, runWorkload } from '../src/model/workload';

const [strategy = '', count = '', times = ''] = process.argv.slice(2);
const ops = Number(count);
const rounds = Number(times);
if (strategy === '' || !Number.isInteger(ops) || ops < 1 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node out/ab-SIDE.js STRATEGY OPS ROUNDS (OPS and ROUNDS positive whole numbers)');
  process.exit(2);
}

/** As bench/bench.ts: Zipf keys over 10,000 keys, 4 clients, preloaded rows. */
const list = new OpList({ kind: 'mixed', ops, keys: 10_000, distribution: 'zipf', clients: 4, seed: 42, preload: true });

function raw(): number {
  list.rewind();
  const cache = new LRUCache<string, { v: number }>({ max: 1000 });
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const k = list.keyNames[list.keys[i] as number] as string;
    if ((list.kinds[i] as number) >= 2) cache.set(k, { v: i });
    else sink += cache.get(k)?.v ?? 0;
  }
  const ms = performance.now() - t0;
  if (sink === -1) console.log(sink);
  return ops / (ms / 1000);
}

function engine(): number {
  list.rewind();
  const o = defaultOptions(strategy as Strategy);
  o.trace = false;
  const t0 = performance.now();
  runWorkload(o, list.spec, {}, list);
  return ops / ((performance.now() - t0) / 1000);
}

// Warm up both sides once, then measure.
engine();
raw();
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const rawOps = raw();
  ratios.push(engine() / rawOps);
}
ratios.sort((a, b) => a - b);
console.log(JSON.stringify({ ratio: ratios[Math.floor(ratios.length / 2)] }));
