// The lesson's comparison table (claim C17), measured: every strategy on one small mixed workload. Checks the
// orderings the lesson states, re-derives each label from the numbers by the stated rules, and checks determinism.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareStrategies, LABEL_RULES } from '../../src/model/compare';
import type { Comparison, ComparisonLabels, StrategyComparison } from '../../src/model/compare';
import { defaultWorkload } from '../../src/model/workload';
import { STRATEGIES } from '../../src/model/types';
import type { Strategy } from '../../src/model/types';

const SPEC = { ...defaultWorkload('mixed'), ops: 3000, seed: 7 };
const first: Comparison = compareStrategies(SPEC);

function row(strategy: Strategy, c: Comparison = first): StrategyComparison {
  const r = c.results.find((x) => x.strategy === strategy);
  assert.ok(r, `no result for ${strategy}`);
  return r;
}

/** LABEL_RULES, restated here from their wording, independently of labelsFor. */
function expectedLabels(r: StrategyComparison, c: Comparison): ComparisonLabels {
  const m = r.metrics;
  const writeLatency = m.writeLatencyMs.p50 >= c.options.cache.latencyMs + c.options.db.latencyMs ? 'High' : 'Low';
  let readConsistency: ComparisonLabels['readConsistency'] = 'Strong';
  const missesAfterWrites = m.acknowledgedWrites > 0 && m.missesAfterWrite >= 0.1 * m.acknowledgedWrites;
  if (m.staleReads > 0) readConsistency = m.staleFills === 0 && missesAfterWrites ? 'Miss on first read after write' : 'Eventually consistent';
  const dataLossRisk = r.lostInCrash > 0 ? 'Yes (crash before flush)' : 'None';
  let bestFor = 'Read-heavy';
  if (dataLossRisk !== 'None') bestFor = 'Write-heavy, loss-tolerant';
  else if (readConsistency === 'Eventually consistent') bestFor = 'General purpose, read-heavy';
  else if (readConsistency === 'Miss on first read after write') bestFor = 'Data rarely re-read after write';
  else if (writeLatency === 'High') bestFor = 'Read-heavy, consistency-sensitive';
  return { writeLatency, readConsistency, dataLossRisk, bestFor };
}

describe('compareStrategies on a mixed workload (3000 ops, seed 7)', () => {
  it('measures every strategy on the same workload', () => {
    assert.deepEqual(
      first.results.map((r) => r.strategy),
      [...STRATEGIES],
    );
    const writes = first.results.map((r) => r.metrics.acknowledgedWrites + r.metrics.failedWrites);
    assert.ok(writes.every((w) => w === writes[0] && w > 0), `writes per strategy: ${writes.join(', ')}`);
  });

  it('write-behind has the lowest median write latency, and a crash loses acknowledged writes', () => {
    const wb = row('write-behind');
    for (const r of first.results) {
      if (r.strategy !== 'write-behind') assert.ok(wb.metrics.writeLatencyMs.p50 < r.metrics.writeLatencyMs.p50, `${r.strategy} p50 ${r.metrics.writeLatencyMs.p50}`);
    }
    assert.equal(wb.metrics.writeLatencyMs.p50, first.options.cache.latencyMs);
    assert.ok(wb.lostInCrash > 0);
  });

  it('write-through and the hybrid read nothing stale and lose nothing', () => {
    for (const s of ['write-through', 'write-through+cache-aside'] as const) {
      const r = row(s);
      assert.equal(r.metrics.staleReads, 0, s);
      assert.equal(r.staleReadRate, 0, s);
      assert.equal(r.metrics.lostWrites, 0, s);
      assert.equal(r.lostInCrash, 0, s);
      assert.equal(r.metrics.writeLatencyMs.p50, first.options.cache.latencyMs + first.options.db.latencyMs, s);
    }
  });

  it('write-around leaves no cache pollution where write-through does', () => {
    assert.equal(row('write-around').metrics.cachePollution, 0);
    assert.equal(row('cache-aside').metrics.cachePollution, 0);
    assert.ok(row('write-through').metrics.cachePollution > 0);
  });

  it('the strategies that write the database first lose nothing in the crash', () => {
    for (const s of ['write-around', 'cache-aside'] as const) assert.equal(row(s).lostInCrash, 0, s);
  });

  it('every label follows from the numbers by the stated rules', () => {
    assert.equal(LABEL_RULES.length, 4);
    for (const r of first.results) assert.deepEqual(r.labels, expectedLabels(r, first), r.strategy);
  });

  it('on the default comparison workload (mixed, 10,000 ops, seed 1) the measured labels reproduce the lesson table', () => {
    const lesson = compareStrategies(defaultWorkload('mixed'));
    for (const r of lesson.results) assert.deepEqual(r.labels, expectedLabels(r, lesson), r.strategy);
    const labels = Object.fromEntries(lesson.results.map((r) => [r.strategy, r.labels]));
    assert.deepEqual(labels, {
      'write-through': { writeLatency: 'High', readConsistency: 'Strong', dataLossRisk: 'None', bestFor: 'Read-heavy, consistency-sensitive' },
      'write-behind': { writeLatency: 'Low', readConsistency: 'Eventually consistent', dataLossRisk: 'Yes (crash before flush)', bestFor: 'Write-heavy, loss-tolerant' },
      // Stale reads here only fall in the instant before an invalidation lands; no fill stores a replaced value.
      'write-around': { writeLatency: 'Low', readConsistency: 'Miss on first read after write', dataLossRisk: 'None', bestFor: 'Data rarely re-read after write' },
      'cache-aside': { writeLatency: 'Low', readConsistency: 'Eventually consistent', dataLossRisk: 'None', bestFor: 'General purpose, read-heavy' },
      'write-through+cache-aside': { writeLatency: 'High', readConsistency: 'Strong', dataLossRisk: 'None', bestFor: 'Read-heavy, consistency-sensitive' },
    });
  });

  it('is deterministic: the same workload and seed give the same comparison', () => {
    assert.deepEqual(compareStrategies(SPEC), first);
  });
});
