// One workload run for `npm run bench:cachegrind` (scripts/cachegrind.mjs runs this under valgrind): the benchmark's
// mixed workload through one strategy, the raw lru-cache loop, or a lean prototype (bench/lean.ts), R times over the
// same N operations after a warm-up.
// The difference between R = 2 and R = 1 in counted instructions and cache misses is what N more operations cost, once
// everything is compiled and warm (a single run would also count the JIT's work on it).
//
//   node out/probe.js STRATEGY|raw|lean-STRATEGY N R [--alloc]
//
// --alloc: V8's sampling heap profiler watches the R runs (objects collected since included) and one JSON line
// reports the bytes they allocated per operation, by allocation site (`npm run bench:profile -- --alloc`).
import { Session } from 'node:inspector';
import { LRUCache } from 'lru-cache';
import { defaultOptions, isStrategy, STRATEGIES } from '../src/model/types';
import type { Strategy } from '../src/model/types';
import { runLean } from './lean';
import { OpList, runWorkload } from '../src/model/workload';
import type { WorkloadSpec } from '../src/model/workload';

const [target = '', count = '', times = '', mode] = process.argv.slice(2);
const ops = Number(count);
const reps = Number(times);
const LEAN: Record<string, Strategy> = Object.fromEntries(STRATEGIES.map((s) => [`lean-${s}`, s]));
const lean = LEAN[target];
if ((target !== 'raw' && lean === undefined && !isStrategy(target)) || !Number.isInteger(ops) || ops < 1 || !Number.isInteger(reps) || reps < 0 || (mode !== undefined && mode !== '--alloc')) {
  console.error('usage: node out/probe.js STRATEGY|raw|lean-STRATEGY N R [--alloc] (N operations, a positive whole number; R runs over them, 0 or more)');
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
if (mode === '--alloc') sampleAllocations();
else for (let i = 0; i < reps; i++) run(measured);

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

/** The R runs under the sampling heap profiler: prints { bytesPerOp, sites: [{ site, bytesPerOp }] }, largest first. */
function sampleAllocations(): void {
  const session = new Session();
  session.connect();
  // A session connected to this same thread dispatches synchronously: each callback has run when `post` returns.
  const post = (method: string, params: object = {}): unknown => {
    let answered = false;
    let result: unknown;
    session.post(method, params, (err, r) => {
      if (err) throw err;
      answered = true;
      result = r;
    });
    if (!answered) throw new Error(`the inspector did not answer ${method} synchronously`);
    return result;
  };
  post('HeapProfiler.enable');
  post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < reps; i++) run(measured);
  const { profile } = post('HeapProfiler.stopSampling') as { profile: { head: SampleNode } };
  session.disconnect();
  // A site is the allocating function and its caller, as V8 names them (line numbers of out/probe.js).
  const bySite = new Map<string, number>();
  const frame = (n: SampleNode): string => `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
  const walk = (n: SampleNode, caller: string): void => {
    const here = frame(n);
    const site = `${here} < ${caller}`;
    if (n.selfSize > 0) bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    for (const c of n.children) walk(c, here);
  };
  walk(profile.head, '(root)');
  const all = reps * ops;
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).map(([site, bytes]) => ({ site, bytesPerOp: Math.round((bytes / all) * 10) / 10 }));
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ bytesPerOp: Math.round((total / all) * 10) / 10, sites }));
}
