// The comparison table's rows for the UI: every number copied from compareStrategies' own results (recomputed here
// from the same workload and options), the knobs reaching the engine, and requests from a webview checked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_RULES, compareStrategies } from '../../src/model/compare';
import { compareForUi, compareView, defaultKnobs, validateCompareRequest, writeLatencyBasis } from '../../src/model/compareView';
import type { CompareKnobs } from '../../src/model/compareView';
import { STRATEGIES, defaultOptions } from '../../src/model/types';
import { defaultWorkload } from '../../src/model/workload';

const KNOBS: CompareKnobs = { cacheLatencyMs: 2, dbLatencyMs: 15, flushIntervalMs: 2000, coalescing: false };

describe('compareForUi', () => {
  const table = compareForUi('mixed', 2000, 100, 7, KNOBS);
  const spec = { ...defaultWorkload('mixed'), ops: 2000, keys: 100, seed: 7 };
  const base = defaultOptions();
  base.cache.latencyMs = 2;
  base.db.latencyMs = 15;
  base.writeBehind.flushIntervalMs = 2000;
  base.writeBehind.coalescing = false;
  const reference = compareStrategies(spec, base);

  it('has one row per strategy, in the comparison\'s order, with its numbers', () => {
    assert.deepEqual(table.rows.map((r) => r.strategy), [...STRATEGIES]);
    table.rows.forEach((row, i) => {
      const r = reference.results[i];
      assert.ok(r);
      assert.equal(row.strategy, r.strategy);
      assert.deepEqual(row.writeLatency, { label: r.labels.writeLatency, p50: r.metrics.writeLatencyMs.p50, p95: r.metrics.writeLatencyMs.p95, p99: r.metrics.writeLatencyMs.p99 });
      assert.deepEqual(row.readConsistency, { label: r.labels.readConsistency, staleReads: r.metrics.staleReads, staleReadRate: r.staleReadRate, missesAfterWrite: r.metrics.missesAfterWrite });
      assert.deepEqual(row.dataLossRisk, { label: r.labels.dataLossRisk, lostInCrash: r.lostInCrash });
      assert.deepEqual(row.bestFor, { label: r.labels.bestFor });
      assert.equal(row.dbWrites, r.metrics.dbWrites);
      assert.equal(row.cachePollution, r.metrics.cachePollution);
      assert.equal(row.hitRatio, r.metrics.hitRatio);
    });
  });

  it('says why each write latency is High or Low: its median against one cache plus one database round trip', () => {
    const basis = Object.fromEntries(table.rows.map((r) => [r.strategy, writeLatencyBasis(r, table.knobs)]));
    assert.deepEqual(basis, {
      'write-through': 'median \u2265 2 + 15 ms: cache, then DB',
      'write-behind': 'median < 2 + 15 ms: one store',
      'write-around': 'median < 2 + 15 ms: one store',
      'cache-aside': 'median < 2 + 15 ms: one store',
      'write-through+cache-aside': 'median \u2265 2 + 15 ms: cache, then DB',
    });
    // The label and its basis agree with the measured median.
    for (const r of table.rows) assert.equal(r.writeLatency.p50 >= 2 + 15, r.writeLatency.label === 'High', r.strategy);
  });

  it('carries the workload, the knobs and the rules', () => {
    assert.deepEqual(table.workload, spec);
    assert.deepEqual(table.knobs, KNOBS);
    assert.deepEqual(table.rules, LABEL_RULES);
    assert.deepEqual(compareView(reference), table);
  });

  it('passes the knobs to the engine', () => {
    const row = (s: string) => table.rows.find((r) => r.strategy === s);
    assert.equal(row('write-through')?.writeLatency.p50, 17, 'write-through waits for the cache (2 ms) then the database (15 ms)');
    assert.equal(row('write-behind')?.writeLatency.p50, 2, 'write-behind waits for the cache only');
    assert.equal(row('write-behind')?.dataLossRisk.label, 'Yes (crash before flush)');
  });

  it('rejects bad requests with a RangeError', () => {
    assert.throws(() => compareForUi('mixed', 0, 10, 1, KNOBS), RangeError);
    assert.throws(() => compareForUi('mixed', 10, 10, 1, { ...KNOBS, dbLatencyMs: Number.NaN }), /knobs\.dbLatencyMs/);
  });
});

describe('validateCompareRequest', () => {
  it('accepts a good request', () => {
    const request = { kind: 'counters', ops: 100_000, keys: 1000, seed: 1, knobs: defaultKnobs() };
    assert.deepEqual(validateCompareRequest(request), { ok: true, request });
    assert.deepEqual(defaultKnobs(), { cacheLatencyMs: 1, dbLatencyMs: 10, flushIntervalMs: 5000, coalescing: true });
  });

  it('reports every problem with its field', () => {
    const v = validateCompareRequest({ kind: 'heavy', ops: 200_000, keys: 1.5, seed: -1, knobs: { cacheLatencyMs: -1, dbLatencyMs: 'ten', flushIntervalMs: 0, coalescing: 'on' } });
    assert.ok(!v.ok);
    assert.deepEqual(v.errors, [
      'kind: expected one of read-heavy, write-heavy, counters, mixed, got "heavy"',
      'ops: expected a whole number from 1 to 100,000, got 200,000',
      'keys: expected a whole number from 1 to 100,000, got 1.5',
      'seed: expected a whole number from 0 to 4,294,967,295, got -1',
      'knobs.cacheLatencyMs: expected a number from 0 to 60,000, got -1',
      'knobs.dbLatencyMs: expected a number from 0 to 60,000, got "ten"',
      'knobs.flushIntervalMs: expected a number from 1 to 3,600,000, got 0',
      'knobs.coalescing: expected true or false, got "on"',
    ]);
    assert.deepEqual(validateCompareRequest(null), { ok: false, errors: ['request: expected an object with kind, ops, keys, seed and knobs'] });
    const noKnobs = validateCompareRequest({ kind: 'mixed', ops: 10, keys: 10, seed: 1 });
    assert.ok(!noKnobs.ok && noKnobs.errors.some((e) => e.startsWith('knobs:')));
  });
});
