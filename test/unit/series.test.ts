// Time series of a run: exact values at grid instants (events landing on a boundary count), shapes and ends,
// agreement with per-operation results, and a sampled run that is step for step the plain run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import type { ScenarioResult } from '../../src/scenario/runner';
import { MAX_BUCKETS, estimateEndMs, runWithSeries } from '../../src/scenario/series';
import type { Series } from '../../src/scenario/series';
import { defaultPlaygroundConfig, runPlayground } from '../../src/scenario/playground';
import { PINNED } from './support/seriesScenario';

const sha256 = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Every array has one value per instant, times rise strictly from 0 to endMs, and the last values are the final metrics. */
function assertShape(s: Series, r: ScenarioResult): void {
  const n = s.times.length;
  for (const f of ['queueDepth', 'dbWrites', 'acknowledgedWrites', 'hitRatio', 'staleReads', 'lostWrites'] as const) {
    assert.equal(s[f].length, n, `${f} has ${s[f].length} values for ${n} instants`);
    assert.equal(s[f][n - 1], r.metrics[f], `${f} must end on the final metrics`);
  }
  assert.equal(s.times[n - 1], s.endMs);
  if (n > 1) assert.equal(s.times[0], 0);
  for (let i = 1; i < n; i++) assert.ok((s.times[i] as number) > (s.times[i - 1] as number), `times must rise: ${s.times.join()}`);
  for (let i = 0; i < n - 1; i++) assert.equal(s.times[i], i * s.bucketMs);
}

function nonDecreasing(xs: readonly number[]): boolean {
  return xs.every((x, i) => i === 0 || x >= (xs[i - 1] as number));
}


describe('runWithSeries', () => {
  it('samples exactly at each instant, events on a boundary included (pinned)', () => {
    const { result, series } = runWithSeries(parseScenario(PINNED), 10);
    assert.deepEqual(series, {
      times: [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1010],
      queueDepth: [0, 1, 1, 2, 2, 0, 0, 1, 1, 1, 0, 0],
      dbWrites: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      acknowledgedWrites: [0, 1, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4],
      hitRatio: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      staleReads: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      // The crash loses k's two writes and j's first; j's second reaches the database at the end and supersedes it.
      lostWrites: [0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 2],
      endMs: 1010,
      bucketMs: 100,
    });
    assertShape(series, result);
  });

  it('leaves the run exactly as a plain runProgram leaves it', () => {
    for (const text of [PINNED, `strategy write-through\n${Array.from({ length: 30 }, (_, i) => `at ${i % 3}ms as c${i % 5} write k${i % 4} ${i}`).join('\n')}\nadvance 1s`]) {
      const program = parseScenario(text);
      const plain = runProgram(program);
      const { result } = runWithSeries(program, 7);
      assert.equal(sha256(result.steps), sha256(plain.steps));
      assert.deepEqual(result.metrics, plain.metrics);
      assert.deepEqual(result.timeline, plain.timeline);
    }
  });

  it('agrees with the per-operation results at every instant', () => {
    // Without faults every read completes, so the checker's stale count and the reads' own verdicts coincide. (With a
    // crash, a read failing on a down node is counted stale by the checker but reports stale: false.)
    for (const faults of [[], [{ kind: 'crash' as const, atMs: 400, node: 2, restartAfterMs: 30 }]]) {
      const c = defaultPlaygroundConfig();
      Object.assign(c.workload, { kind: 'mixed', ops: 400, keys: 12, clients: 3, intervalMs: 7, seed: 5 });
      c.settings = { 'writeBehind.flushInterval': 300, 'cache.nodes': 2 };
      c.faults = faults;
      const { result, series } = runPlayground(c, 25);
      assertShape(series, result);
      const ops = Object.values(result.results);
      for (let i = 0; i < series.times.length - 1; i++) {
        const t = series.times[i] as number;
        const acked = ops.filter((o) => o.ok && (o.kind === 'write' || o.kind === 'incr') && o.endTime <= t).length;
        assert.equal(series.acknowledgedWrites[i], acked, `acknowledged writes at ${t}ms`);
        if (faults.length === 0) {
          const stale = ops.filter((o) => o.stale && o.endTime <= t).length;
          assert.equal(series.staleReads[i], stale, `stale reads at ${t}ms`);
        }
      }
      assert.ok(series.staleReads.at(-1) as number > 0, 'the workload should produce stale reads to compare');
      assert.ok(nonDecreasing(series.dbWrites) && nonDecreasing(series.acknowledgedWrites) && nonDecreasing(series.staleReads));
    }
  });

  it('never sees counts come back: lostWrites only grows for counters', () => {
    const c = defaultPlaygroundConfig();
    Object.assign(c.workload, { kind: 'counters', ops: 600, keys: 5, clients: 4, intervalMs: 5, seed: 3 });
    c.settings = { 'writeBehind.flushInterval': 250 };
    c.faults = [{ kind: 'crash', atMs: 200, restartAfterMs: 5 }, { kind: 'crash', atMs: 600, restartAfterMs: 5 }];
    const { result, series } = runPlayground(c, 40);
    assertShape(series, result);
    assert.ok(nonDecreasing(series.lostWrites), series.lostWrites.join());
    assert.ok((series.lostWrites.at(-1) as number) > 0);
  });

  it('has between buckets and 2 * buckets intervals, however far the run outlasts its estimate', () => {
    for (const [text, buckets] of [
      ['strategy write-behind\nset writeBehind.flushInterval 10m\nwrite k 1', 12],
      ['strategy write-through\nat 5s write k 1\nadvance 1s\nat 9s read k', 60],
      [PINNED, 3],
    ] as const) {
      const program = parseScenario(text);
      const { result, series } = runWithSeries(program, buckets);
      assertShape(series, result);
      const intervals = series.times.length - 1;
      assert.ok(intervals >= buckets && intervals <= 2 * buckets, `${intervals} intervals for ${buckets} buckets`);
      assert.ok(Number.isInteger(series.bucketMs) && series.bucketMs >= 1);
      assert.ok(estimateEndMs(program) <= series.endMs);
    }
  });

  it('handles runs without time or without steps', () => {
    const instant = runWithSeries(parseScenario('strategy write-through\nset cache.latency 0ms\nset db.latency 0ms\nwrite k 1\nread k'));
    assert.deepEqual(instant.series.times, [0]);
    assertShape(instant.series, instant.result);
    const empty = runWithSeries(parseScenario(''));
    assert.deepEqual(empty.series.times, [0]);
    assert.deepEqual(empty.series.dbWrites, [0]);
    const idle = runWithSeries(parseScenario('strategy write-through\nadvance 5s'), 10);
    assert.equal(idle.series.endMs, 5000);
    assert.equal(idle.series.times.length, 11);
    assert.ok(idle.series.queueDepth.every((v) => v === 0));
    assertShape(idle.series, idle.result);
  });

  it('rejects a bad bucket count', () => {
    const p = parseScenario(PINNED);
    for (const b of [0, -1, 1.5, MAX_BUCKETS + 1, Number.NaN]) assert.throws(() => runWithSeries(p, b), RangeError);
  });
});
