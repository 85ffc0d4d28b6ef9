// Engine throughput against raw lru-cache, in one process: a 1,000,000-operation mixed workload per strategy with
// tracing off, the same key sequence through bare lru-cache get/set, peak RSS at 100k and 1M operations, and the
// time to parse and run a traced 10,000-operation scenario. `--json` prints one JSON object.
import { LRUCache } from 'lru-cache';
import { defaultOptions, STRATEGIES } from '../src/model/types';
import type { Strategy } from '../src/model/types';
import { OpStream, runWorkload } from '../src/model/workload';
import type { WorkloadSpec } from '../src/model/workload';
import { parseScenario } from '../src/scenario/parser';
import { runProgram } from '../src/scenario/runner';

const json = process.argv.includes('--json');
const opsArg = process.argv.find((a) => a.startsWith('--ops='));
const OPS = opsArg ? Number(opsArg.slice(6)) : 1_000_000;

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

function engineRun(strategy: Strategy, ops: number): number {
  const o = defaultOptions(strategy);
  o.trace = false;
  const t0 = performance.now();
  const r = runWorkload(o, spec(ops));
  const ms = performance.now() - t0;
  if (r.metrics.reads + r.metrics.acknowledgedWrites + r.metrics.failedWrites + r.metrics.failedReads !== ops) throw new Error('workload did not complete');
  return ops / (ms / 1000);
}

function tracedScenarioMs(): { ops: number; ms: number; steps: number } {
  const lines = ['strategy write-behind', 'set writeBehind.flushInterval 1s'];
  for (let i = 0; i < 10_000; i++) lines.push(i % 3 === 0 ? `read k${i % 100}` : `write k${i % 100} {"n": ${i}}`);
  const text = lines.join('\n');
  const t0 = performance.now();
  const r = runProgram(parseScenario(text));
  return { ops: 10_000, ms: Math.round(performance.now() - t0), steps: r.steps.length };
}

// Warm up the JIT on a small run of everything first, so the order of measurement matters less.
rawLru(50_000);
for (const s of STRATEGIES) engineRun(s, 50_000);

for (const s of STRATEGIES) engineRun(s, 100_000);
const rss100k = peakRssMb();
const raw = rawLru(OPS);
const strategies = STRATEGIES.map((strategy) => {
  const opsPerSec = engineRun(strategy, OPS);
  return { strategy, opsPerSec: Math.round(opsPerSec), ratioToRawLru: Math.round((opsPerSec / raw) * 1000) / 1000 };
});
const rss1m = peakRssMb();
const traced = tracedScenarioMs();

const result = {
  ops: OPS,
  rawLruOpsPerSec: Math.round(raw),
  strategies,
  peakRssMb: rss1m,
  peakRssMbAt100k: rss100k,
  peakRssMbAt1M: rss1m,
  tracedScenario: traced,
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`raw lru-cache: ${result.rawLruOpsPerSec.toLocaleString()} ops/s (${OPS.toLocaleString()} ops)`);
  for (const s of strategies) console.log(`${s.strategy.padEnd(26)} ${s.opsPerSec.toLocaleString().padStart(12)} ops/s  ratio ${s.ratioToRawLru}`);
  console.log(`peak RSS: ${rss100k} MB after the 100k runs, ${rss1m} MB after the 1M runs`);
  console.log(`traced scenario: ${traced.ops} operations, ${traced.steps} steps in ${traced.ms} ms`);
}
