// Runs every bundled `.cachescenario` file and holds it to its own expectations, then checks each lesson claim on the
// trace beyond what the file itself asserts. Also keeps the examples index and the files' headers in step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { runReport } from '../../src/cli/format';
import type { Io } from '../../src/cli/main';
import type { Program, Statement } from '../../src/scenario/ast';
import { EXAMPLES, examplesByClaim } from '../../src/scenario/examples';
import { parseScenario } from '../../src/scenario/parser';
import { TRACE_STEP_LIMIT, TRACE_WRITE_LIMIT, jsonEqual, optionsFromProgram, runProgram } from '../../src/scenario/runner';
import type { RunOptions, ScenarioResult } from '../../src/scenario/runner';
import type { Json, TraceStep } from '../../src/model/types';

const DIR = join(__dirname, '..', '..', 'scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.cachescenario'))
  .sort();
const CLAIMS = Array.from({ length: 18 }, (_, i) => `C${i + 1}`);
/** `# C8: Title` for a claim's file `c08-...`, `# X1: Title` for an extra `x01-...`. */
const TITLE_RE = /^# ([CX])(\d+): (\S.*)$/;

function text(file: string): string {
  return readFileSync(join(DIR, file), 'utf8');
}

/** The file whose name starts with the claim's id (`C8` -> `c08-...`). */
function claimFile(claim: string): string {
  const prefix = `c${claim.slice(1).padStart(2, '0')}-`;
  const f = FILES.find((name) => name.startsWith(prefix));
  assert.ok(f, `no scenario file starts with ${prefix}`);
  return f;
}

function parseClean(source: string, what: string): Program {
  const program = parseScenario(source);
  assert.deepEqual(program.diagnostics, [], `${what} has diagnostics`);
  return program;
}

/** Parses and runs source text; fails with every broken expectation and run error listed. */
function runText(source: string, what: string, onStep?: RunOptions['onStep']): { program: Program; result: ScenarioResult } {
  const program = parseClean(source, what);
  const result = runProgram(program, onStep ? { onStep } : {});
  return { program, result };
}

function failures(result: ScenarioResult): string {
  const lines = [
    ...result.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.message}`),
    ...result.errors.map((e) => `line ${e.line}: run error: ${e.message}`),
  ];
  return lines.join('\n');
}

function runFile(file: string): { program: Program; result: ScenarioResult } {
  const run = runText(text(file), file);
  assert.ok(run.result.ok, `${file} failed:\n${failures(run.result)}`);
  return run;
}

/** Lines of the client-operation statements of a given kind, in file order. */
function opLines(program: Program, kind: 'write' | 'incr' | 'read' | 'read-db'): number[] {
  return program.statements.filter((s): s is Extract<Statement, { kind: 'op' }> => s.kind === 'op' && s.op.kind === kind).map((s) => s.span.line);
}

function stepsOf(result: ScenarioResult, pred: (s: TraceStep) => boolean): TraceStep[] {
  return result.steps.filter(pred);
}

function only<T>(items: readonly T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, found ${items.length}`);
  return items[0] as T;
}

/** The `load KEY VALUE` value of a key in the program. */
function loaded(program: Program, key: string): Json {
  const s = program.statements.find((st): st is Extract<Statement, { kind: 'load' }> => st.kind === 'load' && st.key === key);
  assert.ok(s, `no load of ${key}`);
  return s.value;
}

describe('bundled scenarios', () => {
  it('the scenarios folder holds files', () => {
    assert.ok(FILES.length >= CLAIMS.length, `only ${FILES.length} scenario files`);
  });

  for (const file of FILES) {
    it(`${file} parses cleanly and every expectation holds`, () => {
      const { result } = runFile(file);
      assert.ok(result.expectations.length > 0, `${file} has no expectations`);
      for (const e of result.expectations) assert.ok(e.ok, `${file}:${e.line}: ${e.message}`);
      assert.deepEqual(result.errors, []);
    });
  }

  it('every claim C1..C18 has at least one file named after it', () => {
    for (const claim of CLAIMS) claimFile(claim);
  });

  it('every file opens with a title line and 2-5 comment lines', () => {
    for (const file of FILES) {
      const lines = text(file).split(/\r?\n/);
      const m = TITLE_RE.exec(lines[0] ?? '');
      assert.ok(m, `${file}: first line "${lines[0]}" is not "# C8: Title" (or "# X1: Title" for an extra)`);
      const prefix = `${(m[1] as string).toLowerCase()}${(m[2] as string).padStart(2, '0')}-`;
      assert.ok(file.startsWith(prefix), `${file}: its title names ${m[1]}${m[2]}, so the file name should start with ${prefix}`);
      let comments = 0;
      while ((lines[1 + comments] ?? '').startsWith('#')) comments++;
      assert.ok(comments >= 2 && comments <= 5, `${file}: ${comments} comment lines under the title, expected 2 to 5`);
    }
  });

  it('every claim file asserts with at least two expect lines', () => {
    for (const claim of CLAIMS) {
      const file = claimFile(claim);
      const expects = text(file)
        .split(/\r?\n/)
        .filter((l) => /^\s*expect\b/.test(l)).length;
      assert.ok(expects >= 2, `${file} has ${expects} expect line(s)`);
    }
  });

  it('EXAMPLES lists exactly the files on disk, with their titles and strategies', () => {
    assert.deepEqual(
      EXAMPLES.map((e) => e.file).sort(),
      FILES,
    );
    for (const e of EXAMPLES) {
      const source = text(e.file);
      const m = TITLE_RE.exec(source.split(/\r?\n/)[0] ?? '');
      assert.ok(m, e.file);
      assert.equal(e.title, m[3], `${e.file}: title differs from the file's header`);
      assert.equal(e.claim, m[1] === 'X' ? 'extra' : `C${m[2]}`, `${e.file}: claim differs from the file's header`);
      assert.equal(e.strategy, parseScenario(source).strategy, `${e.file}: strategy differs from the file's strategy line`);
      assert.ok(e.summary.length > 20, `${e.file}: summary too short`);
    }
  });

  it('examplesByClaim groups the examples in lesson order', () => {
    const groups = examplesByClaim();
    assert.deepEqual([...groups.keys()], [...CLAIMS, 'extra']);
    for (const [claim, list] of groups) for (const e of list) assert.equal(e.claim, claim);
    assert.equal([...groups.values()].reduce((n, l) => n + l.length, 0), EXAMPLES.length);
  });
});

describe('claims, checked on the trace', () => {
  it('C1: the ack of a write-through write comes after its cache step and its database step', () => {
    const { program, result } = runFile(claimFile('C1'));
    for (const line of opLines(program, 'write')) {
      const ack = only(stepsOf(result, (s) => s.line === line && s.action === 'ack'), `ack for line ${line}`);
      const cache = only(stepsOf(result, (s) => s.op === ack.op && s.action === 'cache.set'), 'cache.set');
      const db = only(stepsOf(result, (s) => s.op === ack.op && s.action === 'db.write'), 'db.write');
      assert.ok(ack.seq > cache.seq && ack.seq > db.seq, `ack #${ack.seq}, cache.set #${cache.seq}, db.write #${db.seq}`);
      assert.ok(ack.time >= db.time && db.time > cache.time);
    }
  });

  it('C2: after every write-through ack the cache and the database hold the same value', () => {
    for (const claim of ['C1', 'C2', 'C3', 'C4', 'C5', 'C16']) {
      const file = claimFile(claim);
      let acks = 0;
      const apart: string[] = [];
      const { result } = runText(text(file), file, (step, engine) => {
        if (step.action !== 'ack' || step.outcome !== 'ok' || step.key === null) return;
        acks++;
        const cached = engine.nodes[0]?.peek(step.key)?.value;
        const row = engine.db.peek(step.key)?.value;
        if (!jsonEqual(cached, row)) apart.push(`step #${step.seq}: cache ${JSON.stringify(cached)}, db ${JSON.stringify(row)}`);
      });
      assert.ok(result.ok, failures(result));
      assert.deepEqual(apart, [], `${file}: cache and database differ at an ack`);
      assert.ok(acks > 0, `${file}: no write was acknowledged`);
      assert.equal(result.metrics.staleReads, 0, file);
    }
  });

  it('C3: write-through write latency is the cache latency plus the database latency', () => {
    const file = claimFile('C3');
    const { program, result } = runFile(file);
    const o = optionsFromProgram(program);
    const both = o.cache.latencyMs + o.db.latencyMs;
    const w = result.metrics.writeLatencyMs;
    assert.deepEqual([w.p50, w.p95, w.p99, w.max, w.mean], [both, both, both, both, both]);
    for (const line of opLines(program, 'write')) {
      const r = result.results[line];
      assert.ok(r, `no result for line ${line}`);
      assert.equal(r.endTime - r.startTime, both);
    }
  });

  it('C6: write-behind acknowledges one cache round trip after the issue; the database batch comes later', () => {
    const { program, result } = runFile(claimFile('C6'));
    const cacheMs = optionsFromProgram(program).cache.latencyMs;
    const line = only(opLines(program, 'write'), 'write');
    const r = result.results[line];
    assert.ok(r?.ok);
    assert.equal(r.endTime - r.startTime, cacheMs);
    const ack = only(stepsOf(result, (s) => s.line === line && s.action === 'ack'), 'ack');
    const batch = only(stepsOf(result, (s) => s.action === 'db.batch' && (s.writes ?? []).includes(ack.version ?? -1)), 'db.batch');
    assert.ok(batch.seq > ack.seq && batch.time > ack.time, `batch at ${batch.time}ms, ack at ${ack.time}ms`);
    assert.equal(batch.outcome, 'persisted');
    // Later means at the flush, not right after the ack: the batch waits for the flush interval.
    const interval = optionsFromProgram(program).writeBehind.flushIntervalMs;
    assert.ok(batch.time >= interval, `batch at ${batch.time}ms, before the ${interval}ms flush`);
    // And the file itself shows the database still old after most of the interval has passed.
    const midway = program.statements.find((s) => s.kind === 'expect' && s.expectation.kind === 'db' && s.span.line > line && result.timeline.some((t) => t.line === s.span.line && t.start >= interval / 2 && t.start < interval));
    assert.ok(midway, 'an `expect db` between half the flush interval and the flush');
    assert.ok(midway.kind === 'expect' && midway.expectation.kind === 'db' && jsonEqual(midway.expectation.value, loaded(program, 'product:1')), 'it expects the old row');
  });

  it('C14: the cache crashes the instant a cache-aside write is acknowledged, and that write is not lost', () => {
    // A crash long after the last write proves nothing about loss: any strategy that persists within a second passes.
    const { program, result } = runFile(claimFile('C14'));
    const crash = only(stepsOf(result, (s) => s.action === 'crash'), 'crash');
    const writes = opLines(program, 'write');
    const lastAck = stepsOf(result, (s) => s.action === 'ack' && s.outcome === 'ok' && s.seq < crash.seq && writes.includes(s.line ?? -1)).pop();
    assert.ok(lastAck, 'no write acknowledged before the crash');
    assert.equal(crash.time, lastAck.time, `crash at ${crash.time}ms, last write acknowledged at ${lastAck.time}ms`);
    assert.equal(result.metrics.lostWrites, 0);
    const dbChecks = program.statements.filter((s) => s.kind === 'expect' && s.expectation.kind === 'db' && s.span.line > (crash.line ?? Infinity));
    assert.ok(dbChecks.some((s) => s.kind === 'expect' && s.expectation.kind === 'db' && jsonEqual(s.expectation.value, lastAck.value ?? null)), 'the file expects the database to hold that write after the crash');
    // The same file under write-behind loses that write: the crash section can tell the two apart.
    const behind = runText(text(claimFile('C14')).replace(/^strategy \S+$/m, 'strategy write-behind'), 'c14 under write-behind').result;
    assert.ok(behind.metrics.lostWrites > 0);
  });

  it('C8: the writes lost equal the writes acknowledged between the last flush and the crash', () => {
    const { result } = runFile(claimFile('C8'));
    const crash = only(stepsOf(result, (s) => s.action === 'crash'), 'crash');
    const lastBatch = stepsOf(result, (s) => s.action === 'db.batch' && s.seq < crash.seq).pop();
    assert.ok(lastBatch, 'no flush before the crash');
    const ackedSince = stepsOf(result, (s) => s.action === 'ack' && s.outcome === 'ok' && s.seq > lastBatch.seq && s.seq < crash.seq).length;
    assert.ok(ackedSince > 0);
    assert.equal(result.metrics.lostWrites, ackedSince);
    const lostIds = stepsOf(result, (s) => s.action === 'queue.lost').flatMap((s) => s.writes ?? []);
    assert.equal(lostIds.length, ackedSince);
  });

  it('C10: the same crash with the write-ahead log on loses nothing', () => {
    const source = text(claimFile('C8'));
    assert.match(source, /^set writeBehind\.wal off$/m);
    const variant = source.replace(/^set writeBehind\.wal off$/m, 'set writeBehind.wal on');
    const { result } = runText(variant, 'c08 with the WAL on');
    assert.deepEqual(result.errors, []);
    assert.equal(result.metrics.lostWrites, 0);
    assert.equal(result.metrics.acknowledgedWrites, runFile(claimFile('C8')).result.metrics.acknowledgedWrites);
    assert.ok(stepsOf(result, (s) => s.action === 'wal.replay').length === 1, 'the restart replays the log');
    assert.equal(stepsOf(result, (s) => s.action === 'queue.lost').length, 0);
  });

  it('C13: the write-around file under write-through would pollute the cache', () => {
    const file = claimFile('C13');
    const { result } = runFile(file);
    assert.equal(result.metrics.cachePollution, 0);
    const variant = text(file).replace(/^strategy write-around$/m, 'strategy write-through');
    assert.ok(runText(variant, `${file} under write-through`).result.metrics.cachePollution > 0);
  });

  it('C16: a failed write-through write errors, rolls the cache back, and both stores keep the old value', () => {
    const { program, result } = runFile(claimFile('C16'));
    const line = opLines(program, 'write')[0] as number;
    const r = result.results[line];
    assert.ok(r && !r.ok, 'the first write should fail');
    const error = only(stepsOf(result, (s) => s.line === line && s.action === 'error'), 'error step');
    const rollback = only(stepsOf(result, (s) => s.line === line && s.action === 'cache.rollback'), 'cache.rollback step');
    assert.ok(rollback.seq < error.seq, 'the rollback happens before the caller hears of the error');
    const dbStep = only(stepsOf(result, (s) => s.line === line && s.action === 'db.write'), 'db.write step');
    assert.equal(dbStep.outcome, 'error');
    const old = loaded(program, 'product:1');
    assert.ok(jsonEqual(rollback.value, old), `rolled back to ${JSON.stringify(rollback.value)}`);
    // The file's `expect db` and `expect cache` lines right after the failed write saw the old value.
    const next = opLines(program, 'read').find((l) => l > line) ?? Infinity;
    const checks = program.statements.filter(
      (s) => s.kind === 'expect' && (s.expectation.kind === 'db' || s.expectation.kind === 'cache') && s.span.line > line && s.span.line < next,
    );
    assert.equal(checks.length, 2);
    for (const s of checks) {
      assert.ok(s.kind === 'expect' && (s.expectation.kind === 'db' || s.expectation.kind === 'cache') && jsonEqual(s.expectation.value, old));
      assert.ok(result.expectations.find((e) => e.line === s.span.line)?.ok);
    }
  });
});

describe('expect cache and expect db see what acknowledged operations did', () => {
  /** The virtual time at which the expectation on `line` was judged. */
  function judgedAt(result: ScenarioResult, line: number): number {
    return only(
      result.timeline.filter((t) => t.line === line),
      `timeline entry for line ${line}`,
    ).start;
  }

  for (const strategy of ['write-around', 'cache-aside'] as const) {
    it(`${strategy}: right after a write, the cached copy is gone (the expectation waits for the invalidation)`, () => {
      const source = `strategy ${strategy}\nload p 1\nread p\nwrite p 2\nexpect cache p missing\nexpect db p == 2\nread p\nexpect value 2\n`;
      const { result } = runText(source, strategy);
      assert.ok(result.ok, failures(result));
      const ack = only(
        stepsOf(result, (s) => s.line === 4 && s.action === 'ack'),
        'ack of the write',
      );
      const invalidation = only(
        stepsOf(result, (s) => s.line === 4 && s.action === 'cache.delete'),
        'invalidation of the write',
      );
      // The writer hears back first; the invalidation lands one cache round trip later, and the expectation after it.
      assert.equal(invalidation.time, ack.time + 1);
      assert.equal(judgedAt(result, 5), invalidation.time);
    });
  }

  it('write-behind: right after a write the database still has the old row (nothing waits for the flush)', () => {
    const { result } = runText('strategy write-behind\nload p 1\nwrite p 2\nexpect db p == 1\nexpect cache p == 2\n', 'write-behind');
    assert.ok(result.ok, failures(result));
    assert.equal(judgedAt(result, 4), 1);
  });

  it('an operation still in flight is not waited for: the expectation sees the state before it lands', () => {
    const { result } = runText('strategy write-through\nload p 1\nat 0ms as bob write p 2\nexpect db p == 1\nexpect cache p missing\n', 'in flight');
    assert.ok(result.ok, failures(result));
    assert.equal(judgedAt(result, 4), 0);
  });
});

describe('stale reads: overlapping writes take the order the database gave them', () => {
  it('two write-through nodes: the node left with the write committed first serves a stale value', () => {
    // The slow client's write takes the row lock first and commits at 20 ms; the fast one's, issued at 1 ms (before the
    // slow one was acknowledged), commits after it. node1 keeps the first value; the database and node2 the second.
    const source = [
      'strategy write-through',
      'set cache.nodes 2',
      'set client.slow.delay 5ms',
      'at 0ms as slow write k 1',
      'at 1ms as fast write k 2 via node2',
      'advance 10s',
      'read k',
      'expect value 1',
      'expect stale',
      'read k via node2',
      'expect value 2',
      'expect fresh',
      'read-db k',
      'expect value 2',
      'expect fresh',
      'expect metric staleReads == 1',
    ].join('\n');
    const { result } = runText(source, 'two nodes');
    assert.ok(result.ok, failures(result));
    const stale = only(
      stepsOf(result, (s) => s.action === 'ack' && s.outcome === 'stale'),
      'stale read',
    );
    assert.equal(stale.line, 7);
  });

  it('two write-behind nodes: the flush that lands second decides, and the other node is stale', () => {
    // Both writes are acknowledged at 1 ms; node1's flush commits first, node2's after it, both at 5010 ms.
    const source = ['strategy write-behind', 'set cache.nodes 2', 'at 0ms as a write k 1', 'at 0ms as b write k 2 via node2', 'advance 10s', 'read k', 'expect stale', 'read k via node2', 'expect fresh', 'read-db k', 'expect value 2', 'expect fresh'].join('\n');
    const { result } = runText(source, 'write-behind, two nodes');
    assert.ok(result.ok, failures(result));
  });

  it('one write-through node never serves a stale value, however the writes overlap', () => {
    const source = ['strategy write-through', 'set client.slow.delay 5ms', 'at 0ms as slow write k 1', 'at 1ms as fast write k 2', 'advance 10s', 'read k', 'expect value 2', 'expect fresh', 'expect metric staleReads == 0'].join('\n');
    const { result } = runText(source, 'one node');
    assert.ok(result.ok, failures(result));
  });
});

describe('client names that are also names of Object members', () => {
  it('constructor and toString run with no delay, and __proto__ takes the delay set for it', () => {
    // `clientDelayMs[name]` read Object's methods for the first two ("cannot schedule at 01function Object() …"), and
    // assigning `client.__proto__.delay` set the options object's prototype instead of a delay.
    const source = ['strategy write-through', 'set client.__proto__.delay 5ms', 'at 0ms as constructor write a 1', 'at 0ms as toString write b 2', 'at 0ms as __proto__ write c 3', 'advance 1s'].join('\n');
    const { result } = runText(source, 'member names');
    assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
    const acks = result.steps.filter((s) => s.action === 'ack').map((s) => [s.client, s.time]);
    assert.deepEqual(acks, [['constructor', 11], ['toString', 11], ['__proto__', 21]]);
  });
});

describe('expect value missing', () => {
  it('holds for a read that found nothing, and tells a stored null from no value', () => {
    const { result } = runText('strategy cache-aside\nload n null\nread k\nexpect value missing\nexpect value null\nread n\nexpect value null\nexpect value missing\n', 'missing');
    assert.deepEqual(
      result.expectations.map((e) => [e.line, e.ok, e.message]),
      [
        [4, true, 'read on line 3 returned missing'],
        [5, false, 'expected value null, got missing'],
        [7, true, 'read on line 6 returned null'],
        [8, false, 'expected value missing, got null'],
      ],
    );
  });
});

describe('cache-workbench run --json', () => {
  for (const file of [claimFile('C1'), claimFile('C8')]) {
    it(`${file} prints the JSON contract and exits 0`, () => {
      const out: string[] = [];
      const err: string[] = [];
      const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), readFile: (p) => readFileSync(p, 'utf8') };
      const code = main(['run', join(DIR, file), '--json'], io);
      assert.equal(code, 0, err.join('\n'));
      const json = JSON.parse(out.join('\n')) as Record<string, unknown>;
      for (const k of ['strategy', 'ok', 'metrics', 'expectations', 'steps']) assert.ok(k in json, `missing ${k}`);
      assert.equal(json.ok, true);
      assert.equal(typeof json.strategy, 'string');
      assert.equal(typeof (json.metrics as Record<string, unknown>).lostWrites, 'number');
      const expectations = json.expectations as Record<string, unknown>[];
      assert.ok(expectations.length > 0);
      for (const e of expectations) {
        assert.equal(typeof e.line, 'number');
        assert.equal(e.ok, true);
        assert.equal(typeof e.message, 'string');
      }
      const steps = json.steps as Record<string, unknown>[];
      assert.ok(steps.length > 0);
      for (const s of steps) for (const k of ['seq', 'time', 'line', 'client', 'from', 'to', 'action', 'key']) assert.ok(k in s, `step ${JSON.stringify(s)} lacks ${k}`);
      assert.deepEqual(
        steps.map((s) => s.seq),
        steps.map((_, i) => i + 1),
      );
    });
  }
});

describe('runs that outgrow their limits', () => {
  // A retry every millisecond against a database down for 1000 hours: billions of events from seven lines.
  const BUSY = ['strategy write-behind', 'set writeBehind.flushInterval 1ms', 'set writeBehind.retryDelay 1ms', 'set writeBehind.retryBackoff 1', 'fail db for 1000h', 'write a 1', 'advance 1000h', 'expect metric lostWrites == 0'].join('\n');

  it('a traced run stops once its trace reaches the step limit, and says where it stopped', () => {
    const r = runProgram(parseScenario(BUSY), { stepLimit: 1000 });
    assert.equal(r.started, true);
    assert.equal(r.ok, false);
    assert.equal(r.steps.length, 1000);
    // On the statement the run was on: `advance 1000h`.
    assert.deepEqual(r.errors.map((e) => e.line), [7]);
    assert.match(r.errors[0]?.message ?? '', /^stopped at \d+ms of virtual time: the trace reached 1,000 steps \(something keeps the simulator busy/);
    assert.equal(r.metrics.acknowledgedWrites, 1);
    // The expectation after the `advance` was never reached: it is listed as failed, saying why.
    assert.deepEqual(r.expectations, [{ line: 8, ok: false, message: 'not checked: the run stopped on line 7 before it reached this line' }]);
  });

  it('an expectation the run stopped on while it waited is not said to be one the run never reached', () => {
    // `expect value` waits for the read `at 1000h`; the retries fill the trace meanwhile, and the run stops there.
    const waiting = [...BUSY.split('\n').slice(0, 6), 'at 1000h read a', 'expect value 1', 'expect metric lostWrites == 0'].join('\n');
    const r = runProgram(parseScenario(waiting), { stepLimit: 1000 });
    assert.deepEqual(r.errors.map((e) => e.line), [8]);
    assert.deepEqual(r.expectations, [
      { line: 8, ok: false, message: 'not checked: the run stopped on this line, while it waited for earlier operations to finish' },
      { line: 9, ok: false, message: 'not checked: the run stopped on line 8 before it reached this line' },
    ]);
  });

  it('a traced run stops once its steps list more write ids than the limit: a failing batch relists its writes at each retry', () => {
    // Coalescing folds each new write into the failing entry, so every retry's step lists one id more than the last.
    const lines = ['strategy write-behind', 'set writeBehind.flushInterval 1ms', 'set writeBehind.retryDelay 1ms', 'set writeBehind.retryBackoff 1', 'fail db for 1h'];
    for (let i = 0; i < 300; i++) lines.push(`at ${i}ms write a ${i}`);
    lines.push('advance 1h');
    const r = runProgram(parseScenario(lines.join('\n')), { traceWriteLimit: 20_000 });
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.line), [306]);
    assert.match(r.errors[0]?.message ?? '', /^stopped at \d+ms of virtual time: the trace's steps list 20,\d{3} write ids, as a failing batch lists its writes again at every retry \(something keeps the simulator busy/);
    const listed = r.steps.reduce((n, s) => n + (s.writes?.length ?? 0), 0);
    // The halt comes after the event that crossed the limit: a failed flush lists its batch twice (error, retry).
    assert.ok(listed > 20_000 && listed <= 20_000 + 2 * 300, `listed ${listed}`);
    assert.ok(r.steps.length < 2000, 'long before the step limit');
    let limit = 0;
    runProgram(parseScenario('strategy write-through\nwrite a 1'), { onStep: (_s, e) => (limit = e.traceWriteLimit) });
    assert.equal(limit, TRACE_WRITE_LIMIT);
  });

  it('a run whose statements are done but whose leftovers never settle blames the last statement', () => {
    const leftovers = BUSY.split('\n').slice(0, 6).join('\n'); // without the `advance`: the retries run on after `write a 1`
    const r = runProgram(parseScenario(leftovers), { stepLimit: 500 });
    assert.deepEqual(r.errors.map((e) => e.line), [6]);
    assert.match(r.errors[0]?.message ?? '', /the trace reached 500 steps/);
  });

  it('the default step limit applies to traced runs only', () => {
    let limit = 0;
    runProgram(parseScenario('strategy write-through\nwrite a 1'), { onStep: (_s, e) => (limit = e.stepLimit) });
    assert.equal(limit, TRACE_STEP_LIMIT);
    assert.equal(TRACE_STEP_LIMIT, 200_000);
    const untraced = runProgram(parseScenario(BUSY), { trace: false, eventLimit: 5000 });
    assert.match(untraced.errors[0]?.message ?? '', /^the run did not settle after 5,000 events/);
  });

  it('the CLI prints a trace of a few hundred thousand steps (no call-stack overflow), and the output channel only the first', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), readFile: () => BUSY };
    const code = main(['run', 'busy.cachescenario'], io);
    assert.equal(code, 1);
    const text = out.join('\n');
    assert.match(text, /^200000 +\d+ms/m);
    assert.match(text, /busy\.cachescenario:7:1: error: stopped at \d+ms of virtual time: the trace reached 200,000 steps/);
    const result = runProgram(parseScenario(BUSY), { stepLimit: 50 });
    const report = runReport('busy.cachescenario', result, 10);
    assert.match(report, /^10 +/m);
    assert.doesNotMatch(report, /^11 +/m);
    assert.match(report, /… 40 more steps not shown \(50 in all; `cache-workbench run` prints them all\)/);
  });

  it('a key or client name of thousands of characters is clipped in the trace table, not padded onto every row', () => {
    // Unclipped, a 100,000-character key made each of the shown rows that wide: "Invalid string length" from V8 on
    // Run Scenario's 5,000 rows, and megabytes of spaces in the output channel for a key of 1,000.
    const key = 'k'.repeat(100_000);
    const client = 'c'.repeat(3000);
    const text = ['strategy write-behind', ...Array.from({ length: 300 }, (_, i) => `at ${i}ms as ${client} write ${key}${i % 3} ${i}`), 'write short 1'].join('\n');
    const report = runReport('long-keys.cachescenario', runProgram(parseScenario(text)), 5000);
    const rows = report.split('\n');
    assert.ok(report.length < 300_000, `${report.length} characters`);
    assert.ok(rows.every((r) => r.length < 500), `a row of ${Math.max(...rows.map((r) => r.length))} characters`);
    assert.match(report, new RegExp(`^\\d+ +\\S+ +\\d+ +c{23}… +\\S+ -> \\S+ +\\S+ +k{39}… `, 'm'));
    assert.match(report, /^\d+ +\S+ +\d+ +\S+ +\S+ -> \S+ +\S+ +short /m);
  });
});

describe('the runner never throws, and presets apply before set lines', () => {
  it('an engine error in the statements before the first wait is a run error on that line', () => {
    // The parser rules this out (the run has one node); a program built by hand can still ask for node3.
    const program = parseScenario('strategy write-through\nread k');
    const read = program.statements[1];
    assert.ok(read?.kind === 'op');
    read.placement.node = 3;
    let result: ScenarioResult | undefined;
    assert.doesNotThrow(() => {
      result = runProgram(program);
    });
    assert.equal(result?.ok, false);
    assert.deepEqual(result?.errors, [{ line: 2, message: 'node3 does not exist: cache.nodes is 1' }]);
  });

  it('a set line keeps its value over a preset below it', () => {
    const program = parseScenario('strategy write-behind\nset writeBehind.batchSize 1\npreset ignite\nwrite a 1\nwrite b 1\nwrite c 1\nadvance 6s\nexpect metric dbRoundTrips == 3');
    assert.equal(optionsFromProgram(program).writeBehind.batchSize, 1);
    assert.equal(optionsFromProgram(program).writeBehind.flushIntervalMs, 5000);
    const result = runProgram(program);
    assert.ok(result.ok, failures(result));
  });
});

describe('each claim file demonstrates its own strategy', () => {
  // Where the claim holds for another strategy too, and why; every other strategy must fail some expectation.
  const ALSO: Record<string, readonly string[]> = {
    c01: ['write-through+cache-aside'], // the hybrid's writes are write-through's
    c02: ['write-through+cache-aside'],
    c03: ['write-through+cache-aside'],
    c16: ['write-through+cache-aside'],
    c04: ['write-behind', 'write-through+cache-aside'], // their writes land in the cache as well
    c05: ['write-through+cache-aside'], // write-behind's reads hit too, but its database lags the ack (expect db)
    c12: ['cache-aside'], // the same write path: the database, then an invalidation
    c13: ['cache-aside'],
    // A row of the comparison table: the hybrid's writes are write-through's, and its reads find what they wrote.
    'c17-comparison-table-write-through': ['write-through+cache-aside'],
  };
  const STRATEGY_NAMES = ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'];

  for (const file of FILES.filter((f) => /^c\d\d-/.test(f))) {
    // By claim, or by file where a claim has several (C17: one per row of the table).
    const name = file.replace(/\.cachescenario$/, '');
    const also = ALSO[name] ?? ALSO[file.slice(0, 3)] ?? [];
    it(`${name}: holds under its strategy${also.length > 0 ? ` and ${also.join(', ')}` : ''}, fails under the others`, () => {
      const source = text(file);
      const own = /^strategy (\S+)$/m.exec(source)?.[1] ?? '';
      const passing = STRATEGY_NAMES.filter((st) => runProgram(parseScenario(source.replace(/^strategy \S+$/m, `strategy ${st}`))).ok);
      assert.deepEqual(passing, STRATEGY_NAMES.filter((st) => st === own || also.includes(st)));
    });
  }
});
