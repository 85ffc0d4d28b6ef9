// A poison row (`fail db key KEY`): every write transaction that writes the key fails, until `recover db`. Exact traces
// per strategy on the virtual clock, the debugger's view of the fault, and the bundled examples x12 and x13.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpResult } from '../../src/model/engine';
import type { TraceStep } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { at, engine } from './support/engineRuns';

function brief(steps: readonly TraceStep[]): string[] {
  return steps.map((s) => `${s.time} ${s.action} ${s.key ?? '-'} ${s.outcome}`);
}

describe('a poison row', () => {
  it('write-through: the write of the refused key fails and rolls the cache back; another key and, after recover, the same key commit', () => {
    const e = engine('write-through');
    e.load('a', 1);
    e.load('b', 1);
    const out: OpResult[] = [];
    e.sched.at(0, () => e.failDbKey('a'));
    at(e, 0, { kind: 'write', key: 'a', value: 2 }, out);
    at(e, 0, { kind: 'write', key: 'b', value: 2 }, out);
    e.sched.at(50, () => e.recoverDb());
    at(e, 50, { kind: 'write', key: 'a', value: 3 }, out);
    const m = e.finish();
    assert.deepEqual(brief(e.steps.filter((s) => s.action !== 'db.write' || s.time > 0)), [
      '0 db.failKey a error',
      '1 cache.set a ok',
      '1 cache.set b ok',
      '11 db.write a error',
      '11 db.write b persisted',
      '11 ack b ok',
      '12 cache.rollback a ok',
      '12 error a error',
      '50 db.up - ok',
      '51 cache.set a ok',
      '61 db.write a persisted',
      '61 ack a ok',
    ]);
    // In the order they completed: b's write at 11 ms, a's error at 12 ms, a's second write at 61 ms.
    assert.deepEqual(out.map((r) => `${r.key} ${r.ok} ${r.endTime}`), ['b true 11', 'a false 12', 'a true 61']);
    assert.match(out[1]?.error ?? '', /^database refused the row a \(a poison row, fail db key\); transaction rolled back/);
    assert.equal(e.db.peek('a')?.value, 3);
    assert.equal(e.db.peek('b')?.value, 2);
    assert.equal(m.failedWrites, 1);
    assert.equal(m.lostWrites, 0);
  });

  it('write-around: the write fails and the cached copy stays (no invalidation for a write the database refused)', () => {
    const e = engine('write-around');
    e.load('a', 1);
    const out: OpResult[] = [];
    at(e, 0, { kind: 'read', key: 'a' }, out);
    e.sched.at(20, () => e.failDbKey('a'));
    at(e, 20, { kind: 'write', key: 'a', value: 2 }, out);
    at(e, 40, { kind: 'read', key: 'a' }, out);
    e.finish();
    assert.deepEqual(out.map((r) => [r.kind, r.ok, r.value ?? null]), [['read', true, 1], ['write', false, null], ['read', true, 1]]);
    assert.equal(e.db.peek('a')?.value, 1);
    assert.equal(e.nodes[0]?.peek('a')?.value, 1);
  });

  it('a scenario that never recovers the row stops at the trace limit and says why', () => {
    const r = runProgram(parseScenario('strategy write-behind\nfail db key order:7\nwrite order:7 1\nadvance 6s'), { stepLimit: 2000 });
    assert.equal(r.ok, false);
    assert.match(r.errors[0]?.message ?? '', /: the trace reached 2,00\d steps \(the database still refuses every write of order:7 \(fail db key\), so a queued write of it is retried without end; add recover db, or set writeBehind\.requeueLimit\)$/);
  });

  it('shows in the snapshot the debugger reads, and recover db clears it', () => {
    const e = engine('write-behind');
    e.failDbKey('z');
    e.failDbKey('a');
    assert.deepEqual(e.snapshot().dbRefusedKeys, ['a', 'z']);
    e.recoverDb();
    assert.deepEqual(e.snapshot().dbRefusedKeys, []);
  });

  const example = (file: string): ReturnType<typeof runProgram> => {
    const program = parseScenario(readFileSync(join(__dirname, '..', '..', 'scenarios', file), 'utf8'));
    assert.deepEqual(program.diagnostics, []);
    return runProgram(program);
  };

  it('x12: the good row of the batch fails and is dead-lettered with the poison row; the row behind waits for the next flush', () => {
    const r = example('x12-poison-row-fails-its-batch.cachescenario');
    const batches = r.steps.filter((s) => s.action === 'db.batch' || s.action === 'queue.deadLetter');
    assert.deepEqual(batches.map((s) => `${s.time} ${s.action} ${s.keys?.join('+') ?? s.key} ${s.outcome}`), [
      '5010 db.batch order:7+order:8 error',
      '6020 db.batch order:7+order:8 error',
      '7030 db.batch order:7+order:8 error',
      '7030 queue.deadLetter order:7 lost',
      '7030 queue.deadLetter order:8 lost',
      '10010 db.batch order:9 persisted',
    ]);
    assert.equal(r.metrics.lostWrites, 2);
    assert.equal(r.metrics.deadLetters, 2);
    assert.ok(r.expectations.every((x) => x.ok), 'every expect of x12 holds');
  });

  it('preset hazelcast (not strict): a later row lands at the next flush while the poison row waits out its retry', () => {
    const text = ['strategy write-behind', 'preset hazelcast', 'load order:7 "new"', 'load order:8 "new"', 'fail db key order:7', 'write order:7 "paid"', 'advance 10ms', 'write order:8 "paid"', 'advance 4s', 'recover db', 'advance 2s'].join('\n');
    const program = parseScenario(text);
    assert.deepEqual(program.diagnostics, []);
    const r = runProgram(program);
    const batches = r.steps.filter((s) => s.action === 'db.batch');
    assert.deepEqual(batches.map((s) => `${s.time} ${s.keys?.join('+')} ${s.outcome}`), [
      // Each row waits out Hazelcast's 1 s write delay, to the store worker's run after it (2 s).
      '2010 order:7 error',
      '3010 order:8 persisted',
      '3020 order:7 error',
      '4030 order:7 persisted',
    ]);
  });

  it('x13: in strict order nothing lands while the row is refused, and both writes land once it recovers', () => {
    const r = example('x13-poison-row-blocks-strict-order.cachescenario');
    const landed = r.steps.filter((s) => s.action === 'db.batch' && s.outcome === 'persisted');
    assert.deepEqual(landed.map((s) => `${s.time} ${s.keys?.join('+')}`), ['35180 order:7+order:8']);
    assert.equal(r.steps.filter((s) => s.action === 'db.batch' && s.outcome === 'error').length, 7);
    assert.equal(r.metrics.lostWrites, 0);
    assert.ok(r.expectations.every((x) => x.ok), 'every expect of x13 holds');
  });
});

describe('recover db key KEY: only that row is fixed', () => {
  it('the fixed row commits again while an outage and another refused row stay', () => {
    // Break: recoverDbKey ending every fault (b would commit and the outage would end at 20 ms), or fixing nothing.
    const e = engine('write-through');
    e.sched.at(0, () => {
      e.failDbKey('a');
      e.failDbKey('b');
    });
    e.sched.at(20, () => e.recoverDbKey('a'));
    const out: OpResult[] = [];
    at(e, 30, { kind: 'write', key: 'a', value: 1 }, out);
    at(e, 30, { kind: 'write', key: 'b', value: 1 }, out);
    e.sched.at(60, () => e.failDbFor(100));
    e.sched.at(70, () => e.recoverDbKey('b'));
    at(e, 80, { kind: 'write', key: 'b', value: 2 }, out);
    e.finish();
    assert.deepEqual(out.map((r) => `${r.key} ${r.ok}`), ['a true', 'b false', 'b false']);
    assert.match(out[2]?.error ?? '', /database is down/, 'the outage outlives the row fix');
    assert.deepEqual(e.db.refusedKeys, []);
    const fix = e.steps.filter((s) => s.action === 'db.up' && s.key !== null).map((s) => `${s.time} ${s.key} ${s.note}`);
    assert.deepEqual(fix, [
      '20 a the database takes writes of a again (the row is fixed); any other fault stays',
      '70 b the database takes writes of b again (the row is fixed); any other fault stays',
    ]);
  });

  it('in the language: parsed with its key, warned about when the key is not refused, refused with anything else after db', () => {
    const ok = parseScenario('strategy write-behind\nfail db key a\nrecover db key a\nrecover db key b\nrecover db');
    assert.deepEqual(ok.diagnostics, []);
    assert.deepEqual(ok.statements.filter((s) => s.kind === 'recover-db').map((s) => (s.kind === 'recover-db' ? (s.key ?? '(all)') : '')), ['a', 'b', '(all)']);
    const r = runProgram(ok);
    assert.deepEqual(r.warnings.map((w) => `${w.line}: ${w.message}`), [
      '4: the database does not refuse writes of b at this moment (no fail db key b in force), so recover db key b changes nothing',
      '5: the database has no fault to end by now (not down, no failing writes or lost replies to come, no refused key), so recover db changes nothing',
    ]);
    const bad = parseScenario('strategy write-behind\nrecover db now').diagnostics;
    assert.equal(bad.length, 1);
    assert.match(bad[0]?.message ?? '', /^unexpected "now"; expected end of line or "key KEY"/);
    assert.match(parseScenario('strategy write-behind\nrecover db key').diagnostics[0]?.message ?? '', /key/);
  });
});
