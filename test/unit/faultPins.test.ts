// The engine's fault paths and the consistency checker, where a mutation audit found them unpinned: each test fails if
// one small break of the engine or the checker (named in its comment) is made, with exact values on the virtual clock
// (cache 1 ms, database 10 ms unless set).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, OpResult } from '../../src/model/engine';
import type { EngineOptions } from '../../src/model/types';
import { at, engine } from './support/engineRuns';

/** The database batches: `time outcome [write ids]`. */
function batches(e: Engine): string[] {
  return e.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} [${(s.writes ?? []).join(',')}]`);
}

/** The times of the steps with this action. */
function times(e: Engine, action: string): number[] {
  return e.steps.filter((s) => s.action === action).map((s) => s.time);
}

describe('a flush batch that fails after its node crashed', () => {
  // a is queued at 1 and flushed at 5000; the node crashes at 5005 while the batch is out, and the batch fails at 5010.
  const crashDuringFlush = (tweak: (o: EngineOptions) => void = () => {}): Engine => {
    const e = engine('write-behind', tweak);
    e.sched.at(100, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(5005, () => e.crashNode(1));
    return e;
  };

  it('with a backup member: the batch is not orphaned, the backup retries it', () => {
    // Break: `orphaned` ignores the backup (the batch is abandoned and its write lost).
    const e = crashDuringFlush((o) => {
      o.writeBehind.backup = true;
    });
    const m = e.finish();
    assert.deepEqual(batches(e), ['5010 error [1]', '6020 persisted [1]']);
    assert.equal(m.lostWrites, 0);
    assert.equal(m.retries, 1);
    assert.equal(e.db.peek('a')?.value, 1);
  });

  it('without a log: its writes are lost, and nothing of it stays pending', () => {
    // Break: the orphaned batch is not abandoned (it stays in flight, so its write counts as still pending).
    const e = crashDuringFlush();
    let queue: unknown;
    e.sched.at(5020, () => {
      queue = e.snapshot().nodes[0]?.queue;
    });
    const m = e.finish();
    assert.deepEqual(batches(e), ['5010 error [1]']);
    assert.deepEqual(times(e, 'queue.lost'), [5010]);
    assert.deepEqual(queue, []);
    assert.equal(m.lostWrites, 1);
    assert.equal(m.retries, 0);
  });

  it('with the log and no retry left: the entry goes to the dead letters, and no retry is announced', () => {
    // Break: the "the log keeps the failed batch" retry step is written with nothing left to retry.
    const e = crashDuringFlush((o) => {
      o.writeBehind.wal = true;
      o.writeBehind.requeueLimit = 0;
    });
    const m = e.finish();
    assert.deepEqual(times(e, 'queue.deadLetter'), [5010]);
    assert.deepEqual(times(e, 'queue.retry'), []);
    assert.equal(m.deadLetters, 1);
    assert.equal(m.retries, 0);
  });

  it('a batch of a node that crashed and restarted before the flush is its own: a failure retries it', () => {
    // Break: the flusher does not note the node's incarnation when it takes a batch (every batch after the first
    // crash then looks orphaned, and is lost).
    const e = engine('write-behind');
    e.sched.at(100, () => e.crashNode(1));
    e.sched.at(200, () => e.restartNode(1));
    at(e, 300, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(1000, () => e.failDbNext(1));
    const m = e.finish();
    assert.deepEqual(batches(e), ['5010 error [1]', '6020 persisted [1]']);
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('a')?.value, 1);
  });
});

describe('a failed batch past the requeue limit', () => {
  it('goes to the dead letters; no retry step follows', () => {
    // Break: the retry branch runs with an empty retry list (a `queue.retry` step that retries nothing).
    const e = engine('write-behind', (o) => {
      o.writeBehind.requeueLimit = 0;
    });
    e.sched.at(100, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    const m = e.finish();
    assert.deepEqual(
      e.steps.filter((s) => s.time === 5010).map((s) => `${s.action} ${s.outcome}`),
      ['db.batch error', 'queue.deadLetter lost'],
    );
    assert.equal(m.deadLetters, 1);
    assert.equal(m.lostWrites, 1);
  });
});

describe('restarts', () => {
  it('with a backup member and the log both on, a restart replays nothing: the queue never left memory', () => {
    // Break: the restart replays the log on top of the queue the backup member kept (each entry twice).
    const e = engine('write-behind', (o) => {
      o.writeBehind.wal = true;
      o.writeBehind.backup = true;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(100, () => e.crashNode(1));
    e.sched.at(200, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(batches(e), ['5010 persisted [1]']);
    assert.deepEqual(times(e, 'wal.replay'), []);
    assert.equal(m.maxQueueDepth, 1);
    assert.equal(m.dbWrites, 1);
  });

  it('restarting a node that is up changes nothing', () => {
    // Break: restartNode goes on for a node that is up (a restart step, and the log replayed into the live queue).
    const e = engine('write-behind', (o) => {
      o.writeBehind.wal = true;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(100, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(times(e, 'restart'), []);
    assert.deepEqual(batches(e), ['5010 persisted [1]']);
    assert.equal(m.maxQueueDepth, 1);
  });
});

describe("whenFull flush: the writer's own store", () => {
  // a is queued at 1; bob's write finds the queue full at 11 and bob stores a himself, out to the database 11..21.
  const storing = (fail: boolean): { e: Engine; out: OpResult[] } => {
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'flush';
    });
    if (fail) e.sched.at(5, () => e.failDbNext(1));
    const out = at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 10, { kind: 'write', key: 'b', value: 2, client: 'bob' }, out);
    e.sched.at(15, () => e.crashNode(1));
    e.sched.at(16, () => e.restartNode(1));
    return { e, out };
  };

  it('a crash and restart while the store is out fails the writer: its write never reaches the new node', () => {
    // Break: step 4 checks only that the node is up, not that it is the node the writer wrote to.
    const { e, out } = storing(false);
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.error, r.endTime]),
      [
        ['a', true, undefined, 1],
        ['b', false, 'node1 crashed while the writer stored a pending entry', 21],
      ],
    );
    assert.deepEqual(batches(e), ['21 persisted [1]']);
    assert.equal(e.nodes[0]?.peek('b'), undefined);
    assert.equal(m.lostWrites, 0);
  });

  it('a store that fails after its node crashed is orphaned: without a log its write is lost', () => {
    // Break: the store lands with the node's incarnation now, not the writer's (the failed entry is put back into
    // the restarted node's queue and lands later).
    const { e } = storing(true);
    const m = e.finish();
    assert.deepEqual(batches(e), ['21 error [1]']);
    assert.deepEqual(times(e, 'queue.lost'), [21]);
    assert.equal(m.lostWrites, 1);
    assert.equal(e.db.peek('a'), undefined);
  });

  it('a failed store is retried at its retry time, not at the next interval', () => {
    // Breaks: step 4 does not call ensureTick; ensureTick's fast paths skip the retry check while a tick on the
    // interval grid is pending (either way the retry waits for the flush at 1000).
    // a's store fails at 21 and is due again at 121; bob waits for room (a waits for its retry) and goes in at 121,
    // where the flush that lands a takes b next.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'flush';
      o.writeBehind.retryDelayMs = 100;
    });
    e.sched.at(5, () => e.failDbNext(1));
    const out = at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 10, { kind: 'write', key: 'b', value: 2, client: 'bob' }, out);
    const m = e.finish();
    assert.deepEqual(batches(e), ['21 error [1]', '131 persisted [1]', '141 persisted [2]']);
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.endTime]),
      [
        ['a', true, 1],
        ['b', true, 121],
      ],
    );
    assert.equal(m.lostWrites, 0);
  });

  it("another node's store holds back neither this node's flush nor its tick", () => {
    // Breaks: busyKeys counts every node's writer stores; storeLandings counts every node's.
    // node2: k queued at 1, bob finds the queue full at 1 and stores k himself (1..11). node1: k queued at 3, due at 5.
    const e = engine('write-behind', (o) => {
      o.cache.nodes = 2;
      o.writeBehind.flushIntervalMs = 5;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'flush';
    });
    const out = at(e, 0, { kind: 'write', key: 'k', value: 1, node: 2 });
    at(e, 0, { kind: 'write', key: 'j', value: 2, node: 2, client: 'bob' }, out);
    at(e, 2, { kind: 'write', key: 'k', value: 3, node: 1 }, out);
    e.finish();
    assert.deepEqual(
      e.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.from} [${(s.writes ?? []).join(',')}]`),
      ['11 node2/queue [1]', '15 node1/queue [3]', '25 node2/queue [2]'],
    );
  });
});

describe('writers blocked on a full write-behind queue', () => {
  it('a crash and restart in one instant fails them: the node they waited on is gone', () => {
    // Break: a woken writer checks only that the node is up, not its incarnation.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.maxQueue = 1;
    });
    const out = at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 10, { kind: 'write', key: 'b', value: 2 }, out); // blocks at 11
    e.sched.at(20, () => {
      e.crashNode(1);
      e.restartNode(1);
    });
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.error, r.endTime]),
      [
        ['a', true, undefined, 1],
        ['b', false, 'node1 crashed while the write waited', 20],
      ],
    );
    assert.equal(e.nodes[0]?.peek('b'), undefined);
    assert.equal(m.dbWrites, 0);
  });

  it('all go on when a flush takes a batch, not one per batch', () => {
    // Break: wake resumes only the first waiting writer.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.maxQueue = 2;
    });
    const out: OpResult[] = [];
    for (const [i, k] of ['a', 'b'].entries()) at(e, 0, { kind: 'write', key: k, value: i }, out);
    for (const [i, k] of ['c', 'd'].entries()) at(e, 10, { kind: 'write', key: k, value: i, client: k }, out); // block at 11
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.endTime]),
      [
        ['a', 1],
        ['b', 1],
        ['c', 1000],
        ['d', 1000],
      ],
    );
    assert.deepEqual(batches(e), ['1010 persisted [1,2]', '1020 persisted [3,4]']);
  });
});

describe('write-through and its row lock', () => {
  it('a counter whose base failed to load passes the row lock on', () => {
    // Break: the failed load fails the write without unlocking (the next writer to the key waits forever).
    const e = engine('write-through');
    e.sched.at(0, () => e.failDbFor(15));
    const out = at(e, 0, { kind: 'incr', key: 'n' }); // cold cache: the base loads at 11, the database is down
    at(e, 5, { kind: 'write', key: 'n', value: 5, client: 'bob' }, out); // waits for the lock
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.kind, r.ok, r.error, r.endTime]),
      [
        ['incr', false, 'database is down', 11],
        ['write', true, undefined, 22],
      ],
    );
    assert.equal(e.db.peek('n')?.value, 5);
  });

  it('a crash and restart between the lock and the cache write fail the write: the new node never sees it', () => {
    // Break: step 2 checks only that the node is up, not its incarnation.
    const e = engine('write-through');
    const out = at(e, 0, { kind: 'write', key: 'p', value: 1 });
    e.sched.at(0, () => {
      e.crashNode(1);
      e.restartNode(1);
    });
    const m = e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.error, r.endTime]), [[false, 'node1 is down', 1]]);
    assert.equal(e.nodes[0]?.peek('p'), undefined);
    assert.equal(e.db.peek('p'), undefined);
    assert.equal(m.dbRoundTrips, 0);
  });

  it('writes after a restart go through: a write notes the incarnation of the node it starts on', () => {
    // Break: step 0 does not note the node's incarnation (every write after a restart then finds "node1 is down").
    const e = engine('write-through');
    e.sched.at(0, () => {
      e.crashNode(1);
      e.restartNode(1);
    });
    const out = at(e, 10, { kind: 'write', key: 'p', value: 1 });
    e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.endTime]), [[true, 21]]);
    assert.equal(e.nodes[0]?.peek('p')?.value, 1);
  });

  it("a rollback ends the lease of a load under way: the loaded row is not kept", () => {
    // Break: the rollback does not bump the key's stamp in the node.
    // p's write caches p at 1 and fails at 11 (rolled back at 12); q's write evicts p at 3 (capacity 1); the read
    // misses at 5 and loads p at 15, after the rollback touched p in the node.
    const e = engine('write-through', (o) => {
      o.cache.capacity = 1;
    });
    e.load('p', 1);
    e.sched.at(0, () => e.failDbNext(1));
    const out = at(e, 0, { kind: 'write', key: 'p', value: 2, client: 'w' });
    at(e, 2, { kind: 'write', key: 'q', value: 9, client: 'x' }, out);
    at(e, 4, { kind: 'read', key: 'p' }, out);
    at(e, 30, { kind: 'read', key: 'p' }, out);
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.kind, r.key, r.ok, r.value, r.hit, r.endTime]),
      [
        ['write', 'p', false, undefined, undefined, 12],
        ['write', 'q', true, 9, undefined, 13],
        ['read', 'p', true, 1, false, 15],
        ['read', 'p', true, 1, false, 41],
      ],
    );
    assert.deepEqual(times(e, 'cache.load'), [41]);
    assert.equal(m.rollbacks, 1);
  });
});

describe('invalidation (write-around and cache-aside)', () => {
  it('a miss counts as a miss after a write only when the invalidation removed an entry', () => {
    // Break: the "invalidated" mark is set even when the key was not cached.
    const e = engine('write-around');
    e.load('q', 1);
    at(e, 0, { kind: 'write', key: 'p', value: 1 }); // p never cached: its invalidation removes nothing
    at(e, 0, { kind: 'read', key: 'q' }); // fills q
    at(e, 20, { kind: 'write', key: 'q', value: 2 }); // invalidates q at 31
    at(e, 40, { kind: 'read', key: 'p' });
    at(e, 40, { kind: 'read', key: 'q' });
    const m = e.finish();
    assert.equal(m.cacheMisses, 3);
    assert.equal(m.missesAfterWrite, 1);
  });

  it("the invalidation pays the writer's client delay, as every hop does", () => {
    // Break: the invalidation's hop costs the cache round trip alone.
    const e = engine('write-around', (o) => {
      o.clientDelayMs = { slow: 5 };
    });
    e.load('p', 1);
    at(e, 0, { kind: 'read', key: 'p' }); // fills p
    const out = at(e, 20, { kind: 'write', key: 'p', value: 2, client: 'slow' });
    e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.endTime]), [[true, 35]]);
    assert.deepEqual(
      e.steps.filter((s) => s.action === 'cache.delete').map((s) => [s.time, s.durationMs, s.outcome]),
      [[41, 6, 'ok']],
    );
  });
});

describe('cache-aside fills', () => {
  it('a fill of a value the database no longer holds counts as a stale fill', () => {
    // Break: staleFills is never counted.
    const e = engine('cache-aside', (o) => {
      o.clientDelayMs = { slow: 10 };
    });
    e.load('p', 'old');
    at(e, 0, { kind: 'read', key: 'p', client: 'slow' }); // db read at 31, fill at 42
    at(e, 25, { kind: 'write', key: 'p', value: 'new' }); // commits at 35, invalidates at 36
    e.load('r', 1);
    at(e, 0, { kind: 'read', key: 'r' }); // an ordinary fill
    const m = e.finish();
    assert.equal(m.staleFills, 1);
    assert.equal(e.nodes[0]?.peek('p')?.value, 'old');
  });

  it('a node that crashed and restarted during the fill hop does not take the fill', () => {
    // Break: the fill checks only that the node is up, not its incarnation.
    const e = engine('cache-aside');
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p' }); // miss at 1, db read at 11, fill at 12
    e.sched.at(11.5, () => {
      e.crashNode(1);
      e.restartNode(1);
    });
    e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.value, r.hit, r.endTime]), [[true, 1, false, 12]]);
    assert.equal(e.nodes[0]?.peek('p'), undefined);
    assert.deepEqual(times(e, 'cache.set'), []);
  });
});

describe("the hybrid's fill rule", () => {
  it('a fill after a miss with no write since is kept, even on a key written (and evicted) before the miss', () => {
    // Break: the read does not take its lease at the miss (the fill then compares the key's stamp with a stale one).
    const e = engine('write-through+cache-aside', (o) => {
      o.cache.capacity = 1;
    });
    const out = at(e, 0, { kind: 'write', key: 'p', value: 1 }); // cached at 1
    at(e, 20, { kind: 'write', key: 'q', value: 2 }, out); // evicts p at 21
    at(e, 40, { kind: 'read', key: 'p' }, out); // miss at 41, database at 51, fill at 52
    at(e, 60, { kind: 'read', key: 'p' }, out);
    e.finish();
    assert.deepEqual(
      out.filter((r) => r.kind === 'read').map((r) => [r.value, r.hit, r.endTime]),
      [
        [1, false, 52],
        [1, true, 61],
      ],
    );
  });
});

describe('database outages in the trace', () => {
  it('a shorter outage declared during a longer one ends with it: "database is back up" once, at its end', () => {
    // Defect fixed: both outages ended at 1000, and each traced its own "database is back up" step there.
    // Break: the step comes 1 ms late.
    const e = engine('write-around');
    e.sched.at(0, () => e.failDbFor(1000));
    e.sched.at(500, () => e.failDbFor(100));
    e.finish();
    assert.deepEqual(times(e, 'db.down'), [0, 500]);
    assert.deepEqual(times(e, 'db.up'), [1000]);
  });

  it('a longer outage declared during a shorter one: the database is back up only at the longer one\'s end', () => {
    // Break: the end of an outage is traced even when a longer one has superseded it.
    const e = engine('write-around');
    e.sched.at(0, () => e.failDbFor(100));
    e.sched.at(50, () => e.failDbFor(1000));
    const out = at(e, 95, { kind: 'write', key: 'a', value: 1 }); // at the database at 105: still down
    e.finish();
    assert.deepEqual(times(e, 'db.up'), [1050]);
    assert.deepEqual(out.map((r) => [r.ok, r.error]), [[false, 'database is down']]);
  });
});

describe('lost writes: a write still pending is not lost', () => {
  it("a plain write kept in a crashed node's write-ahead log", () => {
    // Break: lostWrites ignores what is still pending.
    const e = engine('write-behind', (o) => {
      o.writeBehind.wal = true;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(100, () => e.crashNode(1));
    const m = e.finish();
    assert.equal(m.lostWrites, 0);
    assert.equal(m.dbWrites, 0);
    assert.deepEqual(e.snapshot().nodes[0]?.wal, [1]);
  });

  it("an increment kept in a crashed node's write-ahead log", () => {
    // Break: a counter's pending increments are not counted with the row's.
    const e = engine('write-behind', (o) => {
      o.writeBehind.wal = true;
    });
    at(e, 0, { kind: 'incr', key: 'n', amount: 2 }); // loads the base at 11, queued then
    e.sched.at(100, () => e.crashNode(1));
    const m = e.finish();
    assert.equal(m.lostWrites, 0);
    assert.equal(m.acknowledgedWrites, 1);
  });

  it('live, before the flush: a queued write is not lost yet', () => {
    // Break: lostWrites ignores what is still pending.
    const e = engine('write-behind');
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 0, { kind: 'incr', key: 'n' });
    e.sched.runUntil(100);
    assert.equal(e.metrics().lostWrites, 0);
    e.sched.at(200, () => e.crashNode(1));
    assert.equal(e.finish().lostWrites, 2);
  });
});
