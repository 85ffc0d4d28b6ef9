// Engine throughput against raw lru-cache, in one process: a 1,000,000-operation mixed workload per strategy with
// tracing off, the same key sequence through bare lru-cache get/set, memory at 100k and 1M operations, and the
// time to parse and run a traced 10,000-operation scenario. `--json` prints one JSON object.
//
// Peak RSS per size is also measured in a fresh process that only runs the engine (`--rss-probe=N`: every strategy
// once at N operations), so it shows what the engine needs at that size and nothing the other measurements left.
//
// Throughput is the median of `--rounds=N` (default 3) rounds; each round measures raw lru-cache and then every
// strategy, so a ratio compares numbers taken under the same machine load. Memory: peak RSS (what the OS saw,
// garbage included) and the heap still in use after a run once garbage is collected (what the run retains; needs
// node --expose-gc, which `npm run bench` passes).
import { spawnSync } from 'node:child_process';
import { LRUCache } from 'lru-cache';
import { defaultOptions, STRATEGIES } from '../src/model/types';
import type { Strategy } from '../src/model/types';
import { OpStream, runWorkload } from '../src/model/workload';
import type { WorkloadSpec } from '../src/model/workload';
import { parseScenario } from '../src/scenario/parser';
import { runProgram } from '../src/scenario/runner';

const json = process.argv.includes('--json');
function numArg(name: string, fallback: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return fallback;
  const n = Number(a.slice(name.length + 3));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} expects a positive whole number, got ${JSON.stringify(a.slice(name.length + 3))}`);
    process.exit(2);
  }
  return n;
}
const OPS = numArg('ops', 1_000_000);
const ROUNDS = numArg('rounds', 3);
const gc = (globalThis as { gc?: () => void }).gc;

function spec(ops: number): WorkloadSpec {
  return { kind: 'mixed', ops, keys: 10_000, distribution: 'zipf', clients: 4, seed: 42, preload: true };
}

function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** The same operation sequence as the engine sees, straight into lru-cache: get for reads, set for writes. */
function rawLru(ops: number): number {
  const stream = new OpStream(spec(ops));
  const kinds = new Uint8Array(ops);
  const keys = new Int32Array(ops);
  for (let i = 0; i < ops; i++) {
    const o = stream.next();
    if (!o) break;
    kinds[i] = o.kind === 'read' || o.kind === 'read-db' ? 0 : 1;
    keys[i] = o.key;
  }
  const names = stream.keyNames;
  const cache = new LRUCache<string, { v: number }>({ max: 1000 });
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < ops; i++) {
    const k = names[keys[i] as number] as string;
    if (kinds[i] === 1) cache.set(k, { v: i });
    else sink += cache.get(k)?.v ?? 0;
  }
  const ms = performance.now() - t0;
  if (sink === -1) console.log(sink);
  return ops / (ms / 1000);
}

/** Heap in use after collecting garbage, in MB (undefined without --expose-gc). */
function liveHeapMb(): number | undefined {
  if (!gc) return undefined;
  gc();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
}

let retained = 0;

function engineRun(strategy: Strategy, ops: number): number {
  const o = defaultOptions(strategy);
  o.trace = false;
  const t0 = performance.now();
  let r: ReturnType<typeof runWorkload> | undefined = runWorkload(o, spec(ops));
  const ms = performance.now() - t0;
  if (r.metrics.reads + r.metrics.acknowledgedWrites + r.metrics.failedWrites + r.metrics.failedReads !== ops) throw new Error('workload did not complete');
  // What the finished run still holds (its engine is alive here): measured once per size, below.
  if (measureRetained) retained = Math.max(retained, liveHeapMb() ?? 0);
  r = undefined;
  return ops / (ms / 1000);
}

let measureRetained = false;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function tracedScenarioMs(): { ops: number; ms: number; steps: number } {
  const lines = ['strategy write-behind', 'set writeBehind.flushInterval 1s'];
  for (let i = 0; i < 10_000; i++) lines.push(i % 3 === 0 ? `read k${i % 100}` : `write k${i % 100} {"n": ${i}}`);
  const text = lines.join('\n');
  const t0 = performance.now();
  const r = runProgram(parseScenario(text));
  return { ops: 10_000, ms: Math.round(performance.now() - t0), steps: r.steps.length };
}

/** Peak RSS of a fresh process running every strategy once at `ops` operations (null if the probe failed). */
function probeRss(ops: number): number | null {
  const r = spawnSync(process.execPath, [__filename, `--rss-probe=${ops}`], { encoding: 'utf8' });
  const mb = Number(r.stdout.trim());
  return r.status === 0 && Number.isFinite(mb) ? mb : null;
}

const probe = process.argv.find((a) => a.startsWith('--rss-probe='));
if (probe !== undefined) {
  const n = numArg('rss-probe', 100_000);
  for (const s of STRATEGIES) engineRun(s, n);
  console.log(peakRssMb());
  process.exit(0);
}

// Warm up the JIT on a small run of everything first, so the order of measurement matters less.
rawLru(50_000);
for (const s of STRATEGIES) engineRun(s, 50_000);

const baseHeap = liveHeapMb();
measureRetained = true;
for (const s of STRATEGIES) engineRun(s, 100_000);
const rss100k = peakRssMb();
const retained100k = retained;
retained = 0;

const rawRounds: number[] = [];
const engineRounds = new Map<Strategy, number[]>(STRATEGIES.map((s) => [s, []]));
for (let round = 0; round < ROUNDS; round++) {
  measureRetained = round === ROUNDS - 1;
  rawRounds.push(rawLru(OPS));
  for (const s of STRATEGIES) engineRounds.get(s)?.push(engineRun(s, OPS));
}
const raw = median(rawRounds);
const strategies = STRATEGIES.map((strategy) => {
  const opsPerSec = median(engineRounds.get(strategy) ?? []);
  return { strategy, opsPerSec: Math.round(opsPerSec), ratioToRawLru: Math.round((opsPerSec / raw) * 1000) / 1000 };
});
const rss1m = peakRssMb();
const retained1m = retained;
const engineOnlyRss100k = probeRss(100_000);
const engineOnlyRss1m = probeRss(OPS);
const traced = tracedScenarioMs();

const result = {
  ops: OPS,
  rounds: ROUNDS,
  rawLruOpsPerSec: Math.round(raw),
  rawLruOpsPerSecRounds: rawRounds.map(Math.round),
  strategies,
  peakRssMb: rss1m,
  peakRssMbAt100k: rss100k,
  peakRssMbAt1M: rss1m,
  /** Peak RSS of a fresh process that runs every strategy once at 100k, and at `ops`, operations. */
  engineOnlyPeakRssMbAt100k: engineOnlyRss100k,
  engineOnlyPeakRssMbAt1M: engineOnlyRss1m,
  /** Heap in use after a finished run (its engine still alive), garbage collected; null without --expose-gc. */
  retainedHeapMbAt100k: gc ? retained100k : null,
  retainedHeapMbAt1M: gc ? retained1m : null,
  baseHeapMb: baseHeap ?? null,
  tracedScenario: traced,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`raw lru-cache: ${result.rawLruOpsPerSec.toLocaleString()} ops/s (${OPS.toLocaleString()} ops; median of ${ROUNDS}: ${result.rawLruOpsPerSecRounds.map((x) => x.toLocaleString()).join(', ')})`);
  for (const s of strategies) console.log(`${s.strategy.padEnd(26)} ${s.opsPerSec.toLocaleString().padStart(12)} ops/s  ratio ${s.ratioToRawLru}`);
  console.log(`peak RSS: ${rss100k} MB after the 100k runs, ${rss1m} MB after the ${OPS.toLocaleString()}-op runs (this process)`);
  console.log(`peak RSS of a fresh process running every strategy once: ${engineOnlyRss100k} MB at 100k ops, ${engineOnlyRss1m} MB at ${OPS.toLocaleString()} ops`);
  if (gc) console.log(`heap a finished run retains: ${retained100k} MB at 100k ops, ${retained1m} MB at ${OPS.toLocaleString()} ops (${baseHeap} MB before any run)`);
  console.log(`traced scenario: ${traced.ops} operations, ${traced.steps} steps in ${traced.ms} ms`);
}
