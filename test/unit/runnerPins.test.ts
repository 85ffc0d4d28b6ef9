// Scenario-runner behaviour a mutation audit found unpinned: each test fails if one small break of
// `src/scenario/runner.ts` (named in its comment) is made, with exact values on the virtual clock (cache 1 ms,
// database 10 ms).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import type { ScenarioResult } from '../../src/scenario/runner';

describe('faults that undo nothing', () => {
  // Found by a review: recover db with no fault and restart cache on a running node passed in silence.
  it('warn: recover db with no database fault, restart cache on a node that is running; not when there is one', () => {
    const idle = run('strategy write-through', 'recover db', 'restart cache', 'write a 1');
    assert.deepEqual(idle.warnings, [
      { line: 2, message: 'the database has no fault to end by now (not down, no failing writes or lost replies to come, no refused key), so recover db changes nothing' },
      { line: 3, message: 'node1 is running (it has not crashed or shut down by now), so restart cache does nothing' },
    ]);
    for (const fault of ['fail db for 1s', 'fail db next 1 write', 'fail db next 1 reply', 'fail db key a']) {
      assert.deepEqual(run('strategy write-through', fault, 'recover db', 'crash cache', 'restart cache').warnings, [], fault);
    }
    // An outage already over by the recover line: nothing left to end.
    assert.equal(run('strategy write-through', 'fail db for 1s', 'advance 2s', 'recover db').warnings.length, 1);
  });
});

describe('latency metrics named bare', () => {
  // Found by a review: `expect metric writeLatencyMs == 11` failed with "got 10" and never said 10 is the mean.
  it('say the figure is the mean, and name the others; a percentile says nothing more', () => {
    const r = run('strategy write-through', 'write k 1', 'expect metric writeLatencyMs == 12', 'expect metric writeLatencyMs.p99 == 11', 'expect metric readLatencyMs <= 0');
    assert.deepEqual(r.expectations, [
      { line: 3, ok: false, message: 'expected metric writeLatencyMs == 12, got 11 (the mean; writeLatencyMs.p50, .p99 or .max name another figure)' },
      { line: 4, ok: true, message: 'metric writeLatencyMs.p99 is 11 (== 11)' },
      { line: 5, ok: true, message: 'metric readLatencyMs is 0 (the mean; readLatencyMs.p50, .p99 or .max name another figure) (<= 0)' },
    ]);
  });
});

/** Runs scenario lines that parse without errors (warnings allowed). */
function run(...lines: string[]): ScenarioResult {
  const program = parseScenario(lines.join('\n'));
  assert.deepEqual(
    program.diagnostics.filter((d) => d.severity === 'error'),
    [],
    'the scenario parses',
  );
  return runProgram(program);
}

/** The trace as `time action outcome line`, one string a step. */
function trace(r: ScenarioResult): string[] {
  return r.steps.map((s) => `${s.time} ${s.action} ${s.outcome} ${s.line}`);
}

describe('a scenario without a strategy line', () => {
  // Break: the runner's fallback strategy changed from write-through.
  it('runs write-through, as the parser warns it will', () => {
    const r = run('write k 1');
    assert.equal(r.strategy, 'write-through');
    assert.deepEqual(trace(r), ['1 cache.set ok 1', '11 db.write persisted 1', '11 ack ok 1']);
  });

  // Break: the search for the operation an expectation checks stopped before the program's first statement.
  it('lets an expectation check a read on the first line', () => {
    const r = run('read k', 'expect value missing');
    assert.deepEqual(r.expectations, [{ line: 2, ok: true, message: 'read on line 1 returned missing' }]);
  });
});

describe('database faults', () => {
  // Break: `fail db for` passed its duration to the engine one millisecond long.
  it('fail db for 10s keeps the database down until exactly 10 s', () => {
    const r = run('strategy write-through', 'fail db for 10s');
    assert.deepEqual(
      r.steps.map((s) => [s.time, s.action, s.line, s.note]),
      [
        [0, 'db.down', 2, 'database down until 10s'],
        [10_000, 'db.up', null, 'database is back up'],
      ],
    );
  });

  // Break: `recover db` did nothing.
  it('recover db brings the database back at once, and the next write commits', () => {
    const r = run('strategy write-through', 'fail db for 1m', 'recover db', 'write k 1', 'expect ok');
    assert.deepEqual(trace(r).slice(0, 2), ['0 db.down error 2', '0 db.up ok 3']);
    assert.equal(r.steps[1]?.note, 'database recovered');
    assert.deepEqual(r.expectations, [{ line: 5, ok: true, message: 'line 4 succeeded' }]);
    assert.equal(r.metrics.failedWrites, 0);
  });
});

describe('`at` placement', () => {
  // Break: the runner warned only about an `at` after (not at) the sum of the `advance` lines above it.
  it('warns about an `at` equal to the advances above it when the operations have passed it (the parser does not)', () => {
    const program = parseScenario('strategy write-through\nadvance 5ms\nwrite k 1\nat 5ms as bob read k\nexpect value 1');
    assert.deepEqual(program.diagnostics, []);
    const r = runProgram(program);
    assert.deepEqual(r.warnings, [{ line: 4, message: 'at 5ms is in the past: the previous statements already ran until 16ms, so it was issued then' }]);
    assert.equal(r.steps.find((s) => s.line === 4)?.time, 17);
    assert.equal(r.ok, true);
  });

  // Break: a client's `at` operation replaced the client's earlier pending operation as the one its next operation
  // waits for, instead of adding to it.
  it("a client's operation without `at` waits for all of its earlier `at` operations, the longest one included", () => {
    // Bob's write (20 to 31 ms) outlasts his read of k (21 to 22 ms, a hit): his read of a starts at 31 ms.
    const r = run('strategy write-through', 'load k 0', 'read k', 'at 20ms as bob write a 1', 'at 21ms as bob read k', 'as bob read a', 'expect value 1');
    assert.deepEqual(
      r.steps.filter((s) => s.line === 6).map((s) => [s.time, s.action, s.outcome, s.note]),
      [
        [32, 'cache.get', 'hit', 'hit in node1'],
        [32, 'ack', 'fresh', 'returned the newest acknowledged value'],
      ],
    );
  });
});

describe('expect fresh', () => {
  // Break: `expect fresh` held for a read that failed (it is not stale, but it returned nothing).
  it('fails on a read that failed, saying so', () => {
    const r = run('strategy write-behind', 'set cache.nodes 2', 'write a 1', 'crash cache node2', 'read a via node2', 'expect fresh');
    assert.deepEqual(r.expectations, [{ line: 6, ok: false, message: 'the read on line 5 failed: node2 is down' }]);
    assert.equal(r.ok, false);
  });
});

describe('values in expectation messages', () => {
  // Break: a value of exactly 200 characters of JSON was cut (the cut is for longer ones).
  it('shows a value of 200 characters whole and cuts one of 201 to 199 and its length', () => {
    const v200 = JSON.stringify('x'.repeat(198));
    const v201 = JSON.stringify('x'.repeat(199));
    const r = run('strategy write-through', `load a ${v200}`, `load b ${v201}`, `expect db a == ${v200}`, `expect db b == ${v201}`);
    assert.deepEqual(r.expectations, [
      { line: 4, ok: true, message: `db a == ${v200}` },
      { line: 5, ok: true, message: `db b == ${v201.slice(0, 199)}… (201 characters)` },
    ]);
  });
});
