// Issue #2's measuring sticks (bench/lean.ts) count only if they do the engine's work: on the benchmark's workload
// each must reach exactly the engine's outcomes (hits, misses, stale reads, database traffic, evictions, latencies,
// and for write-behind the queue's depth and the writes lost), or its instruction count would compare unlike things.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLean } from '../../bench/lean';
import type { LeanCounts } from '../../bench/lean';
import { round3 } from '../../src/model/histogram';
import { defaultOptions, STRATEGIES } from '../../src/model/types';
import type { Metrics } from '../../src/model/types';
import { OpList, runWorkload } from '../../src/model/workload';
import type { WorkloadSpec } from '../../src/model/workload';

/** Outcomes counted alike by the engine and the prototypes. */
const COUNTED = ['acknowledgedWrites', 'reads', 'cacheHits', 'cacheMisses', 'staleReads', 'dbWrites', 'dbReads', 'evictions', 'maxQueueDepth', 'lostWrites'] as const;

function outcomes(c: Record<(typeof COUNTED)[number], number>, writeMean: number, readMean: number): Record<string, number> {
  return { ...Object.fromEntries(COUNTED.map((k) => [k, c[k]])), writeMean, readMean };
}

const leanOutcomes = (c: LeanCounts) => outcomes(c, round3(c.writeLatencySum / c.acknowledgedWrites), round3(c.readLatencySum / c.reads));
const engineOutcomes = (m: Metrics) => outcomes(m, m.writeLatencyMs.mean, m.readLatencyMs.mean);

for (const strategy of STRATEGIES) {
  describe(`lean ${strategy} prototype`, () => {
    for (const [keys, clients] of [
      [10_000, 4],
      [50, 4],
      [20, 9],
    ] as const) {
      it(`reaches the engine's outcomes on the mixed Zipf workload (${keys} keys, ${clients} clients)`, () => {
        const spec: WorkloadSpec = { kind: 'mixed', ops: 30_000, keys, distribution: 'zipf', clients, seed: 42, preload: true };
        const o = defaultOptions(strategy);
        o.trace = false;
        const m = runWorkload(o, spec).metrics;
        assert.deepEqual(leanOutcomes(runLean(strategy, new OpList(spec), clients)), engineOutcomes(m));
        // Not a vacuous match: the workload exercises each of these.
        assert.ok(m.cacheHits > 0 && m.cacheMisses > 0 && m.dbWrites > 0);
        if (strategy === 'write-behind') assert.ok(m.staleReads > 0 && m.maxQueueDepth > 1 && m.dbWrites < m.acknowledgedWrites, 'stale reads, a queue and coalescing');
      });
    }
  });
}
