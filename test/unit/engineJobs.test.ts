// Engine jobs as the worker runs them: the comparison is compareForUi's table, a playground run is runPlayground's
// metrics and series, failures come back as values; the runner keeps only the newest waiting job of each kind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareForUi, defaultKnobs } from '../../src/model/compareView';
import { defaultPlaygroundConfig, runPlayground } from '../../src/scenario/playground';
import { PLAYGROUND_BUCKETS, runEngineJob } from '../../src/views/engineJobs';
import type { EngineJob } from '../../src/views/engineJobs';
import { EngineRunner } from '../../src/views/engineRunner';
import { main } from '../../src/cli/main';
import { WORKLOADS } from '../../src/model/workload';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('stops a playground run whose failing batch relists its writes at every retry, with a message that says so', () => {
    // A millisecond retry against an hour-long outage: coalescing folds every new write into the failing entries, and
    // each retry listed them all again. This ran the engine worker out of memory (2.4 GB at 2,000 operations).
    const base = defaultPlaygroundConfig();
    const config = {
      ...base,
      settings: { ...base.settings, 'writeBehind.retryDelay': 1, 'writeBehind.retryBackoff': 1, 'writeBehind.flushInterval': 1 },
      workload: { ...base.workload, ops: 20_000 },
      faults: [{ kind: 'db-down' as const, atMs: 0, forMs: 3_600_000 }],
    };
    const r = runEngineJob({ kind: 'playground', config });
    assert.ok(r.ok && r.kind === 'playground');
    assert.equal(r.run.errors.length, 1);
    assert.match(r.run.errors[0] as string, /^line \d+: stopped at [\d,]+ms of virtual time: the trace's steps list 2,0\d\d,\d{3} write ids, as a failing batch lists its writes again at every retry/);
    assert.ok(r.run.metrics.retries > 0);
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

/**
 * A stand-in engine worker (plain JavaScript, the real worker's message shape): a compare job with `ops` 1 answers at
 * once with the ops it was given, any other spins until the worker is ended. It counts the jobs it got in the
 * answer, so a test can tell a fresh worker from the old one.
 */
const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
let seen = 0;
parentPort.on('message', ({ id, job }) => {
  seen++;
  if (job.kind === 'compare' && job.request.ops === 1) {
    parentPort.postMessage({ id, result: { kind: 'compare', ok: true, table: { seen }, elapsedMs: 0 } });
    return;
  }
  for (;;) {}
});
`;

describe('EngineRunner on a worker: stopping a job', () => {
  let dir = '';
  let file = '';
  // The runner unrefs its worker (it must not hold the extension host open), so something else keeps this
  // process's event loop alive while a test awaits the worker's answer.
  let keepAlive: NodeJS.Timeout | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-runner-'));
    file = join(dir, 'worker.js');
    writeFileSync(file, FAKE_WORKER);
    keepAlive = setInterval(() => undefined, 1000);
  });
  after(() => {
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  });

  const quick: EngineJob = { kind: 'compare', request: { ...REQUEST, ops: 1 } };
  const endless: EngineJob = { kind: 'compare', request: { ...REQUEST, ops: 2 } };
  const endlessPlayground: EngineJob = { kind: 'playground', config: defaultPlaygroundConfig() };
  const seen = (r: unknown): number => ((r as { table: { seen: number } }).table.seen);
  const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

  it('cancel ends a running job with its worker; the next job gets a fresh worker', async () => {
    const lines: string[] = [];
    const runner = new EngineRunner(file, (l) => lines.push(l));
    assert.equal(runner.usesWorker, true);
    const first = await runner.run(quick);
    assert.ok(first?.ok, JSON.stringify(first));
    assert.equal(seen(first), 1);
    const stuck = runner.run(endless);
    await sleep(50);
    assert.equal(runner.cancel('playground'), false, 'no job of that kind');
    assert.equal(runner.cancel('compare'), true);
    assert.equal(await stuck, undefined, 'a stopped job resolves as a replaced one does');
    const next = await runner.run(quick);
    assert.ok(next?.ok, JSON.stringify(next));
    assert.equal(seen(next), 1, 'a fresh worker answered');
    assert.equal(runner.usesWorker, true, 'a stopped worker is not counted as a crash');
    assert.ok(lines.some((l) => /compare job stopped: ended the engine worker after \d+ ms/.test(l)), lines.join('\n'));
    assert.ok(!lines.some((l) => /exited|failed/.test(l)), lines.join('\n'));
    assert.equal(runner.cancel('compare'), false, 'nothing left to stop');
    runner.dispose();
  });

  it('stopping three times in a row never falls back to the calling thread', async () => {
    const runner = new EngineRunner(file);
    for (let i = 0; i < 3; i++) {
      const stuck = runner.run(endless);
      await sleep(30);
      assert.equal(runner.cancel('compare'), true);
      assert.equal(await stuck, undefined);
    }
    assert.equal(runner.usesWorker, true);
    const r = await runner.run(quick);
    assert.ok(r?.ok, JSON.stringify(r));
    runner.dispose();
  });

  it('a newer job of a take-over kind ends a long one of its kind; other kinds and short runs wait their turn', async () => {
    const runner = new EngineRunner(file, () => undefined, { takeOver: ['compare'], takeOverAfterMs: 100 });
    // Another kind is not taken over: the quick compare waits behind the endless playground job until it is stopped.
    const pg = runner.run(endlessPlayground);
    await sleep(150);
    let quickDone = false;
    let quickResult: unknown;
    const behind = runner.run(quick).then((r) => {
      quickDone = true;
      quickResult = r;
      return r;
    });
    await sleep(100);
    assert.equal(quickDone, false, `a compare job does not end a playground job: ${JSON.stringify(quickResult)}`);
    assert.equal(runner.cancel('playground'), true);
    assert.equal(await pg, undefined);
    assert.ok((await behind)?.ok);
    // A compare job running longer than takeOverAfterMs is ended by a newer compare job, which then runs.
    const long = runner.run(endless);
    await sleep(150);
    const newer = await runner.run(quick);
    assert.equal(await long, undefined);
    assert.ok(newer?.ok);
    assert.equal(seen(newer), 1, 'on a fresh worker');
    runner.dispose();
  });

  it('a newer job does not end one that has run less than takeOverAfterMs', async () => {
    const runner = new EngineRunner(file, () => undefined, { takeOver: ['compare'], takeOverAfterMs: 60_000 });
    const long = runner.run(endless);
    await sleep(30);
    let newerDone = false;
    const newer = runner.run(quick).then((r) => {
      newerDone = true;
      return r;
    });
    await sleep(150);
    assert.equal(newerDone, false, 'the newer job waits');
    assert.equal(runner.cancel('compare'), true, 'stops both: the running one and the one waiting');
    assert.equal(await long, undefined);
    assert.equal(await newer, undefined);
    runner.dispose();
  });
});
