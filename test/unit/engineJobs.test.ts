// Engine jobs as the worker runs them: the comparison is compareForUi's table, a playground run is runPlayground's
// metrics and series, failures come back as values; the runner keeps only the newest waiting job of each kind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareForUi, defaultKnobs } from '../../src/model/compareView';
import { defaultPlaygroundConfig, runPlayground } from '../../src/scenario/playground';
import { PLAYGROUND_BUCKETS, runEngineJob } from '../../src/views/engineJobs';
import type { EngineJob } from '../../src/views/engineJobs';
import { EngineRunner } from '../../src/views/engineRunner';
import { main } from '../../src/cli/main';
import { WORKLOADS } from '../../src/model/workload';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReport } from '../../src/cli/format';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';

const REQUEST = { kind: 'write-heavy' as const, ops: 1500, keys: 60, seed: 4, knobs: defaultKnobs() };

describe('runEngineJob', () => {
  it('measures the comparison table exactly as compareForUi does', () => {
    const r = runEngineJob({ kind: 'compare', request: REQUEST });
    assert.ok(r.ok && r.kind === 'compare');
    assert.deepEqual(r.table, compareForUi('write-heavy', 1500, 60, 4, defaultKnobs()));
    assert.ok(r.elapsedMs >= 0);
  });

  it('gives the comparison page the numbers `cache-workbench compare --json` prints for the same inputs', () => {
    for (const kind of WORKLOADS) {
      let out = '';
      const code = main(['compare', '--json', '--workload', kind, '--ops', '800', '--keys', '40', '--seed', '5'], { out: (s) => { out += s; }, err: () => undefined, readFile: () => '' });
      assert.equal(code, 0);
      const cli = JSON.parse(out) as { results: { strategy: string; metrics: { writeLatencyMs: { p50: number; p95: number; p99: number }; staleReads: number; missesAfterWrite: number; dbWrites: number; cachePollution: number; hitRatio: number }; lostInCrash: number; staleReadRate: number; labels: Record<string, string> }[] };
      const r = runEngineJob({ kind: 'compare', request: { kind, ops: 800, keys: 40, seed: 5, knobs: defaultKnobs() } });
      assert.ok(r.ok && r.kind === 'compare');
      assert.deepEqual(
        r.table.rows.map((row) => [row.strategy, row.writeLatency.p50, row.writeLatency.p95, row.writeLatency.p99, row.readConsistency.staleReads, row.readConsistency.staleReadRate,
          row.readConsistency.missesAfterWrite, row.dataLossRisk.lostInCrash, row.dbWrites, row.cachePollution, row.hitRatio,
          row.writeLatency.label, row.readConsistency.label, row.dataLossRisk.label, row.bestFor.label]),
        cli.results.map((c) => [c.strategy, c.metrics.writeLatencyMs.p50, c.metrics.writeLatencyMs.p95, c.metrics.writeLatencyMs.p99, c.metrics.staleReads, c.staleReadRate,
          c.metrics.missesAfterWrite, c.lostInCrash, c.metrics.dbWrites, c.metrics.cachePollution, c.metrics.hitRatio,
          c.labels.writeLatency, c.labels.readConsistency, c.labels.dataLossRisk, c.labels.bestFor]),
        kind,
      );
    }
  });

  it('runs a playground config and keeps its metrics and series, not its trace', () => {
    const config = { ...defaultPlaygroundConfig(), faults: [{ kind: 'crash' as const, atMs: 600 }] };
    const r = runEngineJob({ kind: 'playground', config });
    assert.ok(r.ok && r.kind === 'playground');
    const direct = runPlayground(config, PLAYGROUND_BUCKETS);
    assert.deepEqual(r.run.metrics, direct.result.metrics);
    assert.deepEqual(r.run.series, direct.series);
    assert.equal(r.run.steps, direct.result.steps.length);
    assert.equal(r.run.scenarioLines, direct.scenarioText.split('\n').filter((l) => l.length > 0).length);
    assert.ok(!('result' in r.run), 'the trace stays behind');
  });

  it("runs a scenario's text into the report the CLI prints, with its counts, and not the trace", () => {
    const text = readFileSync(join(__dirname, '..', '..', 'scenarios', 'c08-write-behind-crash-loses-writes.cachescenario'), 'utf8');
    const r = runEngineJob({ kind: 'scenario', name: 'c08.cachescenario', text, seed: undefined, outputSteps: 5000 });
    assert.ok(r.ok && r.kind === 'scenario');
    assert.equal(r.report, runReport('c08.cachescenario', runProgram(parseScenario(text)), 5000));
    assert.deepEqual([r.total, r.failed, r.runErrors], [runProgram(parseScenario(text)).expectations.length, 0, 0]);
    assert.equal(Object.hasOwn(r, 'steps'), false);
    const cut = runEngineJob({ kind: 'scenario', name: 'c08.cachescenario', text, seed: undefined, outputSteps: 3 });
    assert.ok(cut.ok && cut.kind === 'scenario');
    assert.match(cut.report, /more steps/);
  });

  it('returns a failure instead of throwing', () => {
    const r = runEngineJob({ kind: 'compare', request: { ...REQUEST, ops: 0 } });
    assert.ok(!r.ok);
    assert.match(r.error, /invalid comparison request: ops/);
    const p = runEngineJob({ kind: 'playground', config: { ...defaultPlaygroundConfig(), strategy: 'nope' as never } });
    assert.ok(!p.ok && /invalid playground config/.test(p.error));
  });
});

describe('EngineRunner without a worker', () => {
  it('runs jobs in order and drops a waiting job replaced by a newer one of the same kind', async () => {
    const runner = new EngineRunner(undefined);
    assert.equal(runner.usesWorker, false);
    const job = (ops: number): EngineJob => ({ kind: 'compare', request: { ...REQUEST, ops } });
    const pg: EngineJob = { kind: 'playground', config: defaultPlaygroundConfig() };
    const [a, b, c, d] = await Promise.all([runner.run(job(100)), runner.run(job(200)), runner.run(pg), runner.run(job(300))]);
    assert.ok(a?.ok && a.kind === 'compare' && a.table.workload.ops === 100, 'the first starts at once');
    assert.equal(b, undefined, 'replaced while waiting');
    assert.ok(c?.ok && c.kind === 'playground', 'another kind is not replaced');
    assert.ok(d?.ok && d.kind === 'compare' && d.table.workload.ops === 300);
    runner.dispose();
  });

  it('answers nothing useful after dispose', async () => {
    const runner = new EngineRunner(undefined);
    runner.dispose();
    const r = await runner.run({ kind: 'compare', request: REQUEST });
    assert.ok(r && !r.ok && /shutting down/.test(r.error));
  });

  it('falls back to the calling thread when the worker file is missing', async () => {
    const runner = new EngineRunner('/no/such/engineWorker.js');
    assert.equal(runner.usesWorker, false);
    const r = await runner.run({ kind: 'compare', request: { ...REQUEST, ops: 50 } });
    assert.ok(r?.ok);
    runner.dispose();
  });
});
