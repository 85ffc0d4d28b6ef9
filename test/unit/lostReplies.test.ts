// Lost replies (`fail db next N replies`): the database commits a write transaction but its writer never hears so. Exact
// times on the virtual clock (cache 1 ms, database 10 ms), per strategy, and write-behind's two deliveries: at least
// once (the batch is sent again and applied twice) and exactly once (the database's applied-ids table skips the
// replay). Each engine test names the break of the engine it catches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, OpResult } from '../../src/model/engine';
import type { EngineOptions, Metrics, Strategy } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { hoverAt } from '../../src/scenario/hover';
import { at, engine } from './support/engineRuns';

/** The steps with these actions: `time action outcome: note`. */
function notes(e: Engine, ...actions: string[]): string[] {
  return e.steps.filter((s) => actions.includes(s.action)).map((s) => `${s.time} ${s.action} ${s.outcome}: ${s.note}`);
}

function results(out: OpResult[]): string[] {
  return out.map((r) => `${r.endTime} ${r.kind} ${r.key} ${r.ok ? `ok ${JSON.stringify(r.value)}` : `error: ${r.error}`}`);
}

const REPLY_LOST = 'no reply from the database (timed out): the write may or may not have committed';

/** Write-behind flushing every second, a counter at 0 and a title; `tweak` changes the options. */
function behind(tweak: (o: EngineOptions) => void = () => {}): Engine {
  const e = engine('write-behind', (o) => {
    o.writeBehind.flushIntervalMs = 1000;
    tweak(o);
  });
  e.load('views', 0);
  e.load('title', 'Home');
  return e;
}

/**
 * A price at 10, read once (so it is cached), then written 12 at 50 ms with its reply lost, and read again at 100 ms;
 * the results after the first read.
 */
function priceChange(strategy: Strategy): { e: Engine; out: OpResult[]; m: Metrics } {
  const e = engine(strategy);
  e.load('price', 10);
  const out: OpResult[] = [];
  at(e, 0, { kind: 'read', key: 'price' }, out);
  e.sched.at(50, () => e.failDbReplies(1));
  at(e, 50, { kind: 'write', key: 'price', value: 12 }, out);
  at(e, 100, { kind: 'read', key: 'price' }, out);
  const m = e.finish();
  return { e, out: out.slice(1), m };
}

describe('lost replies under write-through and the hybrid', () => {
  for (const strategy of ['write-through', 'write-through+cache-aside'] as Strategy[]) {
    it(`${strategy}: the row takes the write, the cache is rolled back, the writer gets an error`, () => {
      // Break: the reply-lost commit acknowledged, the cache left holding the new value, or the row rolled back too.
      const { e, out, m } = priceChange(strategy);
      assert.deepEqual(results(out), [`62 write price error: ${REPLY_LOST}`, '101 read price ok 10']);
      assert.equal(e.db.peek('price')?.value, 12);
      assert.equal(e.node(1).peek('price')?.value, 10);
      assert.deepEqual(notes(e, 'db.write', 'cache.rollback').slice(-2), [
        '61 db.write persisted: database committed the write, but its reply was lost: the writer gets no answer and takes the write for failed',
        '62 cache.rollback ok: node1 restored the old value, but the database kept the new one: the cache and the database now disagree',
      ]);
      assert.deepEqual([m.acknowledgedWrites, m.failedWrites, m.rollbacks, m.dbWrites, m.lostWrites, m.staleReads], [0, 1, 1, 1, 0, 0]);
    });
  }

  it('a read that saw the write before its lost reply is not a dirty read: the database kept the value', () => {
    // Break: the failed write's early readers counted as dirty (a value no store kept), as after a real failure.
    const e = engine('write-through');
    e.load('price', 10);
    const out: OpResult[] = [];
    e.failDbReplies(1);
    at(e, 0, { kind: 'write', key: 'price', value: 12 }, out);
    // The cache has 12 from t=1 until the rollback at 12; this read reaches the cache at 6.
    at(e, 5, { kind: 'read', key: 'price' }, out);
    const m = e.finish();
    assert.deepEqual(results(out), ['6 read price ok 12', `12 write price error: ${REPLY_LOST}`]);
    assert.equal(m.dirtyReads, 0);
    // The same read with a real failure is dirty: the contrast the flag is for.
    const f = engine('write-through');
    f.load('price', 10);
    f.failDbNext(1);
    at(f, 0, { kind: 'write', key: 'price', value: 12 });
    at(f, 5, { kind: 'read', key: 'price' });
    assert.equal(f.finish().dirtyReads, 1);
  });

  it('a failing transaction consumes its fault first: a lost reply waits for the next one that commits', () => {
    // Break: the lost reply consumed by a transaction that failed (nothing committed), or taken before the failure.
    const e = engine('write-through');
    const out: OpResult[] = [];
    e.failDbNext(1);
    e.failDbReplies(1);
    at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
    at(e, 100, { kind: 'write', key: 'a', value: 2 }, out);
    at(e, 200, { kind: 'write', key: 'a', value: 3 }, out);
    e.finish();
    assert.deepEqual(results(out), [
      '12 write a error: database rejected the write (injected fault); transaction rolled back',
      `112 write a error: ${REPLY_LOST}`,
      '211 write a ok 3',
    ]);
    assert.equal(e.db.peek('a')?.value, 3);
  });

  it('recover db drops the lost replies still to come', () => {
    // Break: `recover` clears failing writes only.
    const e = engine('write-through');
    const out: OpResult[] = [];
    e.failDbReplies(2);
    assert.equal(e.snapshot().dbLoseReplies, 2);
    e.recoverDb();
    assert.equal(e.snapshot().dbLoseReplies, 0);
    at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
    e.finish();
    assert.deepEqual(results(out), ['11 write a ok 1']);
  });
});

describe('lost replies under write-around and cache-aside', () => {
  for (const strategy of ['write-around', 'cache-aside'] as Strategy[]) {
    it(`${strategy}: the row takes the write but the invalidation is never sent, so the cached copy stays old`, () => {
      // Break: the invalidation sent after a lost reply (the application's call threw before it), or the write acked.
      const { e, out, m } = priceChange(strategy);
      assert.deepEqual(results(out), [`60 write price error: ${REPLY_LOST}`, '101 read price ok 10']);
      assert.equal(e.db.peek('price')?.value, 12);
      assert.equal(e.node(1).peek('price')?.value, 10);
      assert.deepEqual(notes(e, 'cache.delete'), []);
      assert.deepEqual(notes(e, 'db.write').slice(-1), [
        '60 db.write persisted: database committed the write, but its reply was lost: the application takes the write for failed and never sends the invalidation',
      ]);
      assert.deepEqual([m.failedWrites, m.dbWrites, m.staleReads, m.lostWrites], [1, 1, 0, 0]);
    });
  }
});

describe('lost replies under write-behind', () => {
  it('at least once: the batch is sent again; the plain write keeps its value, the counter counts its increments twice', () => {
    // Break: the committed batch taken as persisted (no replay), its rows rolled back, or duplicates not counted.
    const e = behind();
    const out: OpResult[] = [];
    at(e, 0, { kind: 'incr', key: 'views' }, out);
    at(e, 20, { kind: 'incr', key: 'views' }, out);
    at(e, 30, { kind: 'write', key: 'title', value: 'Welcome' }, out);
    e.failDbReplies(1);
    const m = e.finish();
    assert.deepEqual(notes(e, 'db.batch', 'queue.retry'), [
      '1010 db.batch persisted: the database committed 2 rows carrying 3 writes, but its reply was lost: the flusher takes the batch for failed',
      '1010 queue.retry pending: 2 entries back at the front of the queue; retry in 1s',
      '2020 db.batch persisted: flushed 2 rows carrying 3 writes in one round trip; the database had already applied 3 writes of it before the lost reply: applied twice (at-least-once)',
    ]);
    assert.equal(e.db.peek('views')?.value, 4);
    assert.equal(e.db.peek('title')?.value, 'Welcome');
    // Which writes the replay applied again, and which steps the fault and the lost reply are.
    assert.deepEqual(e.steps.filter((s) => s.appliedAgain !== undefined).map((s) => `${s.time} ${s.appliedAgain?.join(',') ?? ''}`), ['2020 3,4,5']);
    assert.deepEqual(e.steps.filter((s) => s.replyLost === true).map((s) => `${s.time} ${s.action}`), ['0 db.failNext', '1010 db.batch']);
    assert.deepEqual([m.acknowledgedWrites, m.duplicateWrites, m.retries, m.dbWrites, m.lostWrites, m.dbRoundTrips], [3, 3, 2, 4, 0, 3]);
  });

  it('exactly once: the applied-ids table skips the replayed entries, and writes folded in since are applied once', () => {
    // Break: the replay applied again, the folded increment skipped with it, or its delta applied in full.
    const e = behind((o) => {
      o.writeBehind.delivery = 'exactly-once';
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'incr', key: 'views' }, out);
    at(e, 20, { kind: 'incr', key: 'views' }, out);
    at(e, 30, { kind: 'write', key: 'title', value: 'Welcome' }, out);
    e.failDbReplies(1);
    // After the lost reply, before the retry: folds into the requeued entry for views.
    at(e, 1500, { kind: 'incr', key: 'views', amount: 5 }, out);
    const m = e.finish();
    assert.deepEqual(notes(e, 'db.batch').slice(-1), [
      "2020 db.batch persisted: flushed 2 rows carrying 4 writes in one round trip; the database's ids table skipped 3 writes it had already applied before the lost reply (exactly-once)",
    ]);
    assert.equal(e.db.peek('views')?.value, 7);
    assert.equal(e.db.peek('title')?.value, 'Welcome');
    // The title's row write is skipped outright: 2 rows at the lost reply, then views alone.
    assert.deepEqual([m.acknowledgedWrites, m.duplicateWrites, m.dbWrites, m.lostWrites], [4, 0, 3, 0]);
    assert.equal(e.steps.filter((s) => s.appliedAgain !== undefined).length, 0);
  });

  it('a reply lost twice: at least once applies the first writes three times, exactly once still once', () => {
    // Break: the second lost reply does not record the whole entry (the writes folded in since it was first sent).
    const run = (delivery: 'at-least-once' | 'exactly-once'): { e: Engine; dup: number } => {
      const e = behind((o) => {
        o.writeBehind.delivery = delivery;
      });
      at(e, 0, { kind: 'incr', key: 'views' });
      e.failDbReplies(2);
      at(e, 1500, { kind: 'incr', key: 'views' });
      const m = e.finish();
      return { e, dup: m.duplicateWrites };
    };
    const once = run('exactly-once');
    assert.equal(once.e.db.peek('views')?.value, 2);
    assert.equal(once.dup, 0);
    // At least once: +1 at 1010 (lost), +2 at 2010 (lost again), +2 at 4010: 5 for 2 increments.
    const least = run('at-least-once');
    assert.equal(least.e.db.peek('views')?.value, 5);
    assert.equal(least.dup, 1 + 2);
  });

  it('coalescing off: exactly once skips an entry that is sent again unchanged', () => {
    // Break: the skipped entry still counted as a row write, or applied.
    const e = behind((o) => {
      o.writeBehind.coalescing = false;
      o.writeBehind.delivery = 'exactly-once';
    });
    at(e, 0, { kind: 'incr', key: 'views' });
    at(e, 20, { kind: 'incr', key: 'views' });
    e.failDbReplies(1);
    const m = e.finish();
    assert.equal(e.db.peek('views')?.value, 2);
    assert.deepEqual([m.dbWrites, m.duplicateWrites], [2, 0]);
    assert.deepEqual(notes(e, 'db.batch').slice(-1), [
      "2020 db.batch persisted: flushed 2 rows carrying 2 writes in one round trip; the database's ids table skipped 2 writes it had already applied before the lost reply (exactly-once)",
    ]);
  });

  it('at least once, two nodes: the replay of an older write lands after a newer one and overwrites it, which is lost', () => {
    // Break: the replay judged by the engine rather than from the history (the checker must see the newer write lost).
    const run = (delivery: 'at-least-once' | 'exactly-once'): { e: Engine; lost: number } => {
      const e = engine('write-behind', (o) => {
        o.cache.nodes = 2;
        o.writeBehind.flushIntervalMs = 1000;
        o.writeBehind.retryDelayMs = 3000;
        o.writeBehind.delivery = delivery;
      });
      at(e, 0, { kind: 'write', key: 'k', value: 'old', node: 1 });
      e.failDbReplies(1);
      // Issued after the first write was acknowledged: newer. node2 flushes it at 2010, before node1's retry at 4010.
      at(e, 1500, { kind: 'write', key: 'k', value: 'new', node: 2 });
      return { e, lost: e.finish().lostWrites };
    };
    const least = run('at-least-once');
    assert.equal(least.e.db.peek('k')?.value, 'old');
    assert.equal(least.lost, 1);
    const once = run('exactly-once');
    assert.equal(once.e.db.peek('k')?.value, 'new');
    assert.equal(once.lost, 0);
  });

  it('a node that crashes after the lost reply never sends the batch again, and nothing is lost: the database has it', () => {
    // Break: the batch reported lost (a queue.lost step) though it was committed.
    const e = behind();
    at(e, 0, { kind: 'write', key: 'title', value: 'Welcome' });
    e.failDbReplies(1);
    // The batch leaves at 1000 and its (lost) reply would be due at 1010: the crash comes between.
    e.sched.at(1005, () => e.crashNode(1));
    const m = e.finish();
    assert.deepEqual(notes(e, 'queue.lost', 'queue.retry'), [
      '1010 queue.retry ok: the batch had no owner after the crash: nobody sends it again, and the database has it all the same',
    ]);
    assert.equal(e.db.peek('title')?.value, 'Welcome');
    assert.deepEqual([m.lostWrites, m.duplicateWrites], [0, 0]);
  });
});

describe('lost replies in the language', () => {
  it('runs `fail db next N replies` and `set writeBehind.delivery` from a scenario', () => {
    const text = ['strategy write-behind', 'set writeBehind.flushInterval 1s', 'set writeBehind.delivery exactly-once', 'load n 0', 'incr n', 'fail db next 1 reply', 'advance 3s', 'expect db n == 1', 'expect metric duplicateWrites == 0'].join('\n');
    const parsed = parseScenario(text);
    assert.deepEqual(parsed.diagnostics, []);
    const run = runProgram(parsed);
    assert.deepEqual(
      run.expectations.map((x) => x.ok),
      [true, true],
    );
    const fault = run.steps.find((s) => s.action === 'db.failNext');
    assert.equal(fault?.line, 6);
    assert.equal(fault?.note, 'the next database write transaction commits, but its reply is lost: the writer cannot tell the write happened');
  });

  it('hovers explain the fault, the setting and the metric', () => {
    const text = 'strategy write-behind\nset writeBehind.delivery at-least-once\nfail db next 2 replies\nexpect metric duplicateWrites == 0\n';
    const hover = (line: number, column: number): string => hoverAt(text, line, column)?.markdown ?? '';
    assert.match(hover(2, 9), /`replies`: the next N commit, but their replies are lost/);
    assert.match(hover(1, 8), /`exactly-once`: the database keeps a table of the write ids it has applied/);
    // The fault's last word and its verb say it too.
    assert.match(hover(2, 17), /^\*\*replies\*\*\n\n```cachescenario\nfail db next N writes \| replies\n```/);
    assert.match(hover(2, 1), /fail db next N replies\nfail db key KEY\n```\n\nInjects a database fault: .*the next N writes committed with their replies lost/);
    assert.match(hover(3, 18), /applied more than once: a write-behind batch sent again after its commit's reply was lost/);
  });
});
