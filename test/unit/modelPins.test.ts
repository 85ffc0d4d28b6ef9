// Behaviour of the engine's building blocks (write-behind queue, database, cache node, scheduler, histogram, the
// comparison's labels and view, the product presets) that a mutation audit found unpinned: each test fails if one
// small break of the module (named in its comment) is made. Exact values on the virtual clock (cache 1 ms, database
// 10 ms unless set).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine, OpResult } from '../../src/model/engine';
import { WriteBehindQueue } from '../../src/model/writeBehindQueue';
import type { PendingSlot } from '../../src/model/writeBehindQueue';
import { defaultOptions } from '../../src/model/types';
import type { EngineOptions, Metrics, WriteBehindOptions, WriteStamp } from '../../src/model/types';
import { findPreset, PRESETS } from '../../src/model/presets';
import { Database } from '../../src/model/database';
import { CacheNode } from '../../src/model/cacheNode';
import type { LeaveReason } from '../../src/model/cacheNode';
import { Scheduler } from '../../src/model/scheduler';
import { LatencyHistogram } from '../../src/model/histogram';
import { compareStrategies, comparisonOptions, labelsFor } from '../../src/model/compare';
import { compareForUi, validateCompareRequest } from '../../src/model/compareView';
import { defaultWorkload } from '../../src/model/workload';
import { at, engine } from './support/engineRuns';

/** The database batches: `time outcome [write ids]`. */
function batches(e: Engine): string[] {
  return e.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} [${(s.writes ?? []).join(',')}]`);
}

/** Write n: id n, issued at position 10n, acknowledged at 10n + 1. */
const w = (n: number): WriteStamp => ({ id: n, issueSeq: 10 * n, ackSeq: 10 * n + 1, commitSeq: undefined });
const slot = (key: string): PendingSlot => ({ key, entry: undefined });

describe('write-behind queue: a key a writer is storing itself is held back from the flush', () => {
  // whenFull flush: bob finds the queue full and stores app's pending k=1 itself (out 1..11); app writes k=3 meanwhile.
  // The flush at 5 must leave k=3 queued: sent, it would land before k=1's store, whose failure at 11 puts k=1 back
  // to land after it, so the row would end at the older value.
  it('with nothing waiting for a retry (the fast path)', () => {
    // Break: takeBatch's fast path ignores the busy keys.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 5;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'flush';
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'k', value: 1 }, out);
    at(e, 0, { kind: 'write', key: 'j', value: 2, client: 'bob' }, out);
    at(e, 2, { kind: 'write', key: 'k', value: 3 }, out);
    e.sched.at(10, () => e.failDbNext(1));
    e.finish();
    assert.ok(out.every((r) => r.ok));
    assert.equal(e.db.peek('k')?.value, 3);
    assert.equal(e.db.peek('j')?.value, 2);
  });

  it('with another key waiting for its retry (the slow path)', () => {
    // Break: takeBatch's slow path ignores the busy keys.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 5;
      o.writeBehind.maxQueue = 2;
      o.writeBehind.whenFull = 'flush';
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'x', value: 1 }, out);
    e.sched.at(4, () => e.failDbNext(1)); // x's flush at 5 fails: x waits for its retry at 1015
    at(e, 20, { kind: 'write', key: 'k', value: 1 }, out);
    at(e, 20, { kind: 'write', key: 'j', value: 2, client: 'bob' }, out); // full: bob stores k=1 itself, 21..31
    at(e, 22, { kind: 'write', key: 'k', value: 3 }, out);
    e.sched.at(30, () => e.failDbNext(1));
    e.finish();
    assert.ok(out.every((r) => r.ok));
    assert.equal(e.db.peek('k')?.value, 3);
    assert.equal(e.db.peek('x')?.value, 1);
  });
});

describe('write-behind queue: the pending slot', () => {
  it('stays empty without coalescing, so every write takes an entry of its own', () => {
    // Break: push filling the slot without coalescing. (needsSlot and enqueueSet also check coalescing, so the break
    // shows only with one of those checks gone; the slot is what they rely on.)
    const q = new WriteBehindQueue(false, false);
    const s = slot('k');
    q.enqueueSet(s, 1, w(1), 0);
    q.enqueueIncr(s, 1, w(2), 0);
    assert.equal(s.entry, undefined);
    assert.equal(q.needsSlot(s), true);
    assert.equal(q.length, 2);
  });
});

describe('write-behind queue: takeOne takes what takeBatch(1) would', () => {
  it('in strict order, nothing while an entry waits for its retry', () => {
    // Break: takeOne ignores strict order. (The engine does not call it in strict order, where a writer waits for the
    // flusher instead; the queue's own contract still says takeOne is takeBatch(1).)
    const q = new WriteBehindQueue(true, false, true);
    q.enqueueSet(slot('a'), 1, w(1), 0);
    q.requeue(q.takeBatch(10, 0), 100);
    q.enqueueSet(slot('b'), 2, w(2), 1);
    assert.deepEqual(q.takeBatch(1, 50), []);
    assert.equal(q.takeOne(50), undefined);
    assert.equal(q.takeOne(100)?.key, 'a');
  });
});

describe('write-behind queue: the pending bound counts every entry that can still land', () => {
  // The checker forgets acknowledged writes at or below the queues' lowest pending acknowledgement (lowestAck). An
  // older write A of node2 that lands after node1's W and B makes them lost; if A were left out of the bound, W and B
  // would be forgotten before it lands and the loss would go uncounted. Pruning at every acknowledgement.
  const twoNodes = (wal: boolean) => {
    const e = engine('write-behind', (o) => {
      o.cache.nodes = 2;
      o.writeBehind.wal = wal;
    });
    e.checker.minPrune = 1;
    e.boundRefreshAcks = 1;
    at(e, 0, { kind: 'write', key: 'k', value: 'A', node: 2, client: 'c2' });
    at(e, 2, { kind: 'write', key: 'k', value: 'W', node: 1 });
    at(e, 4, { kind: 'write', key: 'k', value: 'B', node: 1 });
    return e;
  };

  it('an entry in flight', () => {
    // Break: lowestAck skips the in-flight entries.
    const e = twoNodes(false);
    e.sched.at(4999, () => e.failDbNext(1)); // node2's batch lands first at 5010 and fails; it retries 6010..6020
    at(e, 6012, { kind: 'write', key: 'z', value: 1 }); // acknowledged while A is out
    const m = e.finish();
    assert.equal(e.db.peek('k')?.value, 'A');
    assert.equal(m.lostWrites, 2);
  });

  it('an entry back at the front of the queue, waiting for its retry', () => {
    // Break: lowestAck skips the queue's front entry.
    const e = twoNodes(false);
    e.sched.at(4999, () => e.failDbNext(1)); // node2's batch fails at 5010 and waits at the front until 6010
    at(e, 5500, { kind: 'write', key: 'z', value: 1 });
    const m = e.finish();
    assert.equal(e.db.peek('k')?.value, 'A');
    assert.equal(m.lostWrites, 2);
  });

  it('an entry only in the write-ahead log of a node that is down', () => {
    // Break: lowestAck skips the log.
    const e = twoNodes(true);
    e.sched.at(100, () => e.crashNode(2)); // A is only in node2's log until the restart replays it
    at(e, 5100, { kind: 'write', key: 'z', value: 1 }); // acknowledged after B landed, while node2 is down
    e.sched.at(6000, () => e.restartNode(2));
    const m = e.finish();
    assert.equal(e.db.peek('k')?.value, 'A');
    assert.equal(m.lostWrites, 2);
  });
});

describe('product presets: every knob each one sets', () => {
  // engineEdges.test.ts pins the knobs the products document; these are the rest of each preset, the values its
  // summary states (retry delays and backoff, requeue limits, backups, logs, bounds, order), all of them exactly.
  const expected: Record<string, Partial<WriteBehindOptions>> = {
    hazelcast: { flushIntervalMs: 1000, writeDelayMs: 1000, batchSize: 1, coalescing: true, backup: true, wal: false, maxQueue: null, whenFull: 'reject', requeueLimit: null, retryDelayMs: 1000, retryBackoff: 1, shutdownTimeoutMs: 0, loadFromQueue: true },
    ignite: { flushIntervalMs: 5000, batchSize: 512, flushSize: 10_240, coalescing: true, maxQueue: 15_360, whenFull: 'flush', wal: false, backup: false, requeueLimit: null, retryDelayMs: 5000, retryBackoff: 1, loadFromQueue: true },
    coherence: { flushIntervalMs: 0, writeDelayMs: 10_000, batchSize: 128, coalescing: true, backup: true, wal: false, requeueLimit: 0, maxQueue: null, retryDelayMs: 10_000, retryBackoff: 1 },
    ehcache: { flushIntervalMs: 1000, batchSize: 1, coalescing: false, maxQueue: null, whenFull: 'block', requeueLimit: 1, retryDelayMs: 1000, retryBackoff: 1, wal: false, backup: false, order: 'strict' },
    rgsync: { flushIntervalMs: 100, batchSize: 100, coalescing: false, wal: true, backup: false, retryDelayMs: 5000, retryBackoff: 1, requeueLimit: null, maxQueue: null, order: 'strict' },
    rdi: { flushIntervalMs: 100, batchSize: 200, coalescing: false, wal: true, backup: false, retryDelayMs: 5000, retryBackoff: 1, requeueLimit: 1, maxQueue: null, order: 'strict' },
  };
  for (const [name, knobs] of Object.entries(expected)) {
    it(name, () => {
      // Break: any one value changed (a backoff of 2, a requeue limit, a backup or log turned on...).
      assert.deepEqual(findPreset(name)?.writeBehind, knobs);
    });
  }

  it('are found by their exact name only, with their products', () => {
    // Break: findPreset matching a prefix.
    assert.equal(findPreset('ign'), undefined);
    assert.equal(findPreset('IGNITE'), undefined);
    assert.deepEqual(
      PRESETS.map((p) => [p.name, p.product]),
      [
        ['hazelcast', 'Hazelcast MapStore'],
        ['ignite', 'Apache Ignite'],
        ['coherence', 'Oracle Coherence'],
        ['ehcache', 'Ehcache 2 write-behind'],
        ['rgsync', 'Redis rgsync (RedisGears)'],
        ['rdi', 'Redis Data Integration write-behind'],
      ],
    );
  });
});

describe('database rows', () => {
  const clock = { t: 0, now(): number { return this.t; } };
  const stamp = (n: number): WriteStamp => ({ id: n, issueSeq: n, ackSeq: undefined, commitSeq: undefined });

  it('a load sets the row anew: version 1, no increments counted, and the next commit number', () => {
    // Breaks: a load over a row bumps its version; keeps its increment count; takes no commit number.
    const db = new Database(clock);
    db.load('a', 1, stamp(1));
    db.load('b', 2, stamp(2));
    assert.deepEqual([db.peek('a')?.commitSeq, db.peek('b')?.commitSeq], [1, 2]);
    db.incrRow('a', 5, 3, stamp(3));
    assert.deepEqual([db.peek('a')?.value, db.peek('a')?.rowVersion, db.peek('a')?.incrOps, db.peek('a')?.commitSeq], [6, 2, 3, 3]);
    db.load('a', 10, stamp(4));
    assert.deepEqual([db.peek('a')?.value, db.peek('a')?.rowVersion, db.peek('a')?.incrOps, db.peek('a')?.commitSeq], [10, 1, 0, 4]);
  });

  it('a plain write sets the row: the increments counted before it no longer count', () => {
    // Break: setRow keeps the row's increment count.
    const db = new Database(clock);
    db.incrRow('n', 2, 2, stamp(1));
    assert.deepEqual([db.peek('n')?.value, db.peek('n')?.rowVersion, db.peek('n')?.incrOps], [2, 1, 2]);
    db.setRow('n', 7, stamp(2));
    db.incrRow('n', 1, 1, stamp(3));
    assert.deepEqual([db.peek('n')?.value, db.peek('n')?.rowVersion, db.peek('n')?.incrOps, db.writesApplied], [8, 3, 1, 3]);
    // Break: incrRow replacing the count, or keeping the previous write's stamp.
    db.incrRow('n', 3, 2, stamp(4));
    assert.deepEqual([db.peek('n')?.value, db.peek('n')?.id, db.peek('n')?.incrOps, db.peek('n')?.commitSeq], [11, 4, 3, 4]);
  });

  it('recover ends an outage and drops the injected faults', () => {
    // Break: recover keeps the faults still to fire.
    const db = new Database(clock);
    db.failNextWrites(2);
    db.refuseKey('k');
    db.recover();
    assert.equal(db.failingWrites, 0);
    assert.deepEqual(db.refusedKeys, []);
    assert.equal(db.beginWrite('k'), undefined);
  });

  it('a refused key fails every transaction that writes it, before an injected fault counts one', () => {
    const db = new Database(clock);
    db.refuseKey('b');
    db.failNextWrites(1);
    assert.match(db.beginWrite([{ key: 'a' }, { key: 'b' }]) ?? '', /^database refused the row b \(a poison row, fail db key\); transaction rolled back$/);
    assert.match(db.beginWrite('b') ?? '', /refused the row b/);
    assert.equal(db.failingWrites, 1, 'a refused transaction does not use up the next-writes fault');
    assert.match(db.beginWrite([{ key: 'a' }]) ?? '', /injected fault/);
    assert.equal(db.beginWrite('a'), undefined);
    db.refuseKey('a');
    assert.deepEqual(db.refusedKeys, ['a', 'b']);
  });
});

describe('the engine snapshot (what the debugger shows)', () => {
  it('rows in key order with their versions, and each queue entry\'s age', () => {
    // Breaks: the database's keys unsorted; a write not bumping the row version, or a row a write creates starting at
    // version 0; a plain write's entry losing its enqueue time; a TTL of Infinity shown for an entry without one.
    const e = engine('write-behind');
    e.load('b', 1);
    e.load('a', 1);
    at(e, 0, { kind: 'write', key: 'b', value: 2 });
    at(e, 1, { kind: 'incr', key: 'a' });
    at(e, 2, { kind: 'write', key: 'c', value: 3 });
    let queue: [string, number][] = [];
    e.sched.at(3000, () => (queue = (e.snapshot().nodes[0]?.queue ?? []).map((q) => [q.key, q.ageMs])));
    e.finish();
    // In the order queued: b at 1, c at 3, a at 12 (after its counter's base came back from the database).
    assert.deepEqual(queue, [
      ['b', 2999],
      ['c', 2997],
      ['a', 2988],
    ]);
    // Loaded rows start at version 1, a row a write creates too; each write bumps it, an increment as a plain write.
    assert.deepEqual(
      e.snapshot().db.map((r) => [r.key, r.value, r.rowVersion]),
      [
        ['a', 2, 2],
        ['b', 2, 2],
        ['c', 3, 1],
      ],
    );
    // Without a TTL an entry has no time left to show.
    assert.deepEqual(e.snapshot().nodes[0]?.entries.map((x) => x.ttlLeftMs), [null, null, null]);
  });

  it('a recovered database has no faults left to fire', () => {
    // Break: recover keeps the injected faults.
    const e = engine('write-through');
    const out: OpResult[] = [];
    e.sched.at(0, () => e.failDbNext(2));
    e.sched.at(1, () => e.recoverDb());
    at(e, 2, { kind: 'write', key: 'k', value: 1 }, out);
    e.finish();
    assert.deepEqual(out.map((r) => r.ok), [true]);
    assert.equal(e.snapshot().dbFailNext, 0);
  });
});

describe('cache node', () => {
  const clock = { t: 0, now(): number { return this.t; } };
  const stamp = (n: number): WriteStamp => ({ id: n, issueSeq: n, ackSeq: undefined, commitSeq: undefined });
  const node = (capacity: number, ttl: number | null) => {
    const left: string[] = [];
    const n = new CacheNode(1, capacity, ttl, clock, { onLeave: (_n, key, _e, why: LeaveReason) => left.push(`${key}:${why}`) });
    return { n, left };
  };

  it('tells why an entry left: evicted, expired, deleted, or lost in a crash', () => {
    // Break: a crash reported as lru-cache's own reason (a delete).
    clock.t = 0;
    const { n, left } = node(2, 100);
    n.set('a', 1, stamp(1), true);
    n.set('b', 2, stamp(2), true);
    n.set('c', 3, stamp(3), true); // evicts a
    n.delete('b');
    clock.t = 150;
    assert.equal(n.get('c'), undefined); // expired
    n.set('d', 4, stamp(4), true);
    n.crash();
    assert.deepEqual(left, ['a:evict', 'b:delete', 'c:expire', 'd:crash']);
    assert.equal(n.up, false);
  });

  it("a read's fill over an entry a write made clears its unread mark; a write over it keeps the mark", () => {
    // Break: overwrite keeps the mark for a fill. (The engine's fills only add to an absent key; the node's contract
    // still says a fill clears it.)
    const { n } = node(10, null);
    n.set('k', 1, stamp(1), true);
    n.set('k', 2, stamp(2), true);
    assert.equal(n.peek('k')?.unreadWrite, true);
    n.set('k', 3, stamp(3), false);
    assert.equal(n.peek('k')?.unreadWrite, false);
    assert.equal(n.unreadWrites(), 0);
  });
});

describe('cache node inside the engine', () => {
  it("a write-through rollback over a new write's entry counts the entry it puts back, not the one it replaces", () => {
    // Break: lru-cache's dispose on a replaced value (reason 'set') reported as the entry leaving.
    const e = engine('write-through');
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'p', value: 1 }, out);
    e.sched.at(20, () => e.failDbNext(1));
    at(e, 20, { kind: 'write', key: 'p', value: 2 }, out);
    const m = e.finish();
    assert.deepEqual(out.map((r) => r.ok), [true, false]);
    assert.equal(m.rollbacks, 1);
    assert.equal(e.nodes[0]?.peek('p')?.value, 1);
    assert.equal(m.cachePollution, 1, 'p=1, written and never read');
  });

  it('the snapshot taken at an eviction step no longer lists the evicted key', () => {
    // Break: entries() lists the key lru-cache is disposing of.
    const e = engine('write-through', (o) => (o.cache.capacity = 1));
    const seen: string[][] = [];
    e.onStep = (s) => {
      if (s.action === 'cache.evict') seen.push(e.snapshot().nodes[0]?.entries.map((x) => x.key) ?? []);
    };
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 20, { kind: 'write', key: 'b', value: 2 });
    e.finish();
    assert.deepEqual(seen, [[]]);
  });
});

describe('scheduler', () => {
  const order = (times: number[]): string[] => {
    const s = new Scheduler();
    const fired: string[] = [];
    times.forEach((t, i) => s.at(t, () => fired.push(`${i}@${s.now}`)));
    s.runAll();
    return fired;
  };

  it('events due at one instant in the heap run in the order they were scheduled', () => {
    // Breaks: the heap's sift-up, child choice or sift-down comparing sequence numbers the wrong way.
    assert.deepEqual(order([200, 100, 150, 100, 100, 200, 100, 100, 150, 100]), ['1@100', '3@100', '4@100', '6@100', '7@100', '9@100', '2@150', '8@150', '0@200', '5@200']);
  });

  it('an event 64 ms ahead (the wheel\'s reach) and one due now do not share a slot', () => {
    // Break: the wheel taking an event a whole turn ahead, into the slot of the events due now.
    assert.deepEqual(order([64, 0, 128, 1]), ['1@0', '3@1', '0@64', '2@128']);
  });

  it('an event at a fraction of a ms runs after the whole ms before it', () => {
    // Break: fractions go to the wheel, into the slot of their whole ms.
    assert.deepEqual(order([2.5, 2, 3]), ['1@2', '0@2.5', '2@3']);
  });

  it('runUntil sets the clock to its time even with nothing to run', () => {
    // Break: runUntil leaves the clock at the last event.
    const s = new Scheduler();
    s.runUntil(25);
    assert.equal(s.now, 25);
    s.at(30, () => {});
    s.runUntil(40);
    assert.deepEqual([s.now, s.processed], [40, 1]);
  });

  it('refuses an event in the past or at no time at all', () => {
    // Breaks: the past accepted; NaN accepted (a comparison with NaN is false either way round).
    const s = new Scheduler();
    s.runUntil(10);
    assert.throws(() => s.at(5, () => {}), { name: 'RangeError', message: 'cannot schedule at 5ms: the clock is already at 10ms' });
    assert.throws(() => s.at(Number.NaN, () => {}), RangeError);
    assert.throws(() => s.after(Number.NaN, () => {}), RangeError);
    s.at(10, () => {}); // now is fine
    assert.equal(s.pending, 1);
  });

  it('runAll runs at most `limit` events and says whether it ran them all', () => {
    // Break: runAll runs one event past its limit.
    const s = new Scheduler();
    const fired: number[] = [];
    for (const t of [1, 2, 3]) s.at(t, () => fired.push(t));
    assert.equal(s.runAll(2), false);
    assert.deepEqual(fired, [1, 2]);
    assert.deepEqual([s.processed, s.pending, s.now], [2, 1, 2]);
    assert.equal(s.runAll(1), true);
    assert.deepEqual(fired, [1, 2, 3]);
  });
});

// Queue behaviour the property tier catches only now and then (its histories are random): pinned on one history each.
describe('write-behind queue after a failed flush', () => {
  const wb = (tweak: (o: EngineOptions['writeBehind']) => void) =>
    engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 5;
      o.writeBehind.retryDelayMs = 1000;
      tweak(o.writeBehind);
    });

  it('an entry waiting for its retry holds back the later writes to its key (per-key order)', () => {
    // Break: takeBatch lets a later write to the key flush past the waiting one.
    const e = wb((o) => (o.coalescing = false));
    at(e, 0, { kind: 'write', key: 'k', value: 1 });
    e.sched.at(4, () => e.failDbNext(1)); // the flush at 5 fails: k=1 retries at 1015
    at(e, 20, { kind: 'write', key: 'k', value: 2 });
    at(e, 20, { kind: 'write', key: 'x', value: 3 }); // due at the flush at 25, which must leave k=2 queued
    e.finish();
    assert.deepEqual(batches(e), ['15 error [1]', '35 persisted [3]', '1025 persisted [1,2]']);
    assert.equal(e.db.peek('k')?.value, 2);
  });

  it('a writer storing an entry itself skips a key whose entry is out with the flusher', () => {
    // Break: takeOne ignores the keys in flight. Taken, k=2 would land before the failed k=1 comes back after it.
    const e = wb((o) => {
      o.maxQueue = 1;
      o.whenFull = 'flush';
    });
    at(e, 0, { kind: 'write', key: 'k', value: 1 }); // flushed at 5..15
    at(e, 6, { kind: 'write', key: 'k', value: 2 });
    at(e, 6, { kind: 'write', key: 'j', value: 3, client: 'bob' }); // the queue is full
    e.sched.at(10, () => e.failDbNext(1));
    e.finish();
    assert.equal(e.db.peek('k')?.value, 2);
    assert.equal(e.db.peek('j')?.value, 3);
  });

  it('a writer storing an entry itself skips a key held back by an entry waiting for its retry', () => {
    // Break: takeOne ignores the held keys.
    const e = wb((o) => {
      o.coalescing = false;
      o.maxQueue = 2;
      o.whenFull = 'flush';
    });
    at(e, 0, { kind: 'write', key: 'k', value: 1 });
    e.sched.at(4, () => e.failDbNext(1)); // k=1 waits for its retry at 1015
    at(e, 20, { kind: 'write', key: 'k', value: 2 });
    at(e, 20, { kind: 'write', key: 'j', value: 3, client: 'bob' }); // the queue is full
    e.finish();
    assert.equal(e.db.peek('k')?.value, 2);
    assert.equal(e.db.peek('j')?.value, 3);
  });

  it('two increments fold: the deltas and the counts add up', () => {
    // Breaks: fold drops the older entry's delta; fold drops its count of increments.
    const e = wb(() => {});
    e.load('n', 0);
    at(e, 0, { kind: 'incr', key: 'n' }); // queued at 12
    e.sched.at(14, () => e.failDbNext(1)); // the flush at 15 fails at 25
    at(e, 16, { kind: 'incr', key: 'n', amount: 4 }); // queued at 17, while the batch is out
    const m = e.finish();
    assert.deepEqual(batches(e), ['25 error [2]', '1035 persisted [2,3]']); // the load is write 1
    assert.deepEqual([e.db.peek('n')?.value, e.db.peek('n')?.incrOps], [5, 2]);
    assert.equal(m.lostWrites, 0);
  });

  it('an increment folds onto a failed plain write: it counts from that write\'s value', () => {
    // Break: fold takes the increment's delta as the value.
    const e = wb(() => {});
    at(e, 0, { kind: 'write', key: 'n', value: 10 });
    e.sched.at(4, () => e.failDbNext(1)); // the flush at 5 fails at 15
    at(e, 6, { kind: 'incr', key: 'n' }); // the node holds 10: queued at 7 as +1
    e.finish();
    assert.equal(e.db.peek('n')?.value, 11);
  });

  it('the write-ahead log drops what the database has and what folded into a newer entry', () => {
    // Breaks: persisted keeps the log copies; fold keeps the older entry's copy.
    const e = wb((o) => (o.wal = true));
    const logs: number[][] = [];
    const log = (): void => void logs.push(e.snapshot().nodes[0]?.wal ?? []);
    at(e, 0, { kind: 'write', key: 'k', value: 1 });
    e.sched.at(4, () => e.failDbNext(1)); // the flush at 5 fails at 15
    at(e, 6, { kind: 'write', key: 'k', value: 2 }); // queued at 7: k=1 folds into it at 15
    e.sched.at(16, log);
    e.sched.at(2000, log);
    e.finish();
    assert.deepEqual(logs, [[1, 2], []]);
    assert.equal(e.db.peek('k')?.value, 2);
  });
});

describe('latency histogram', () => {
  it('counts fractions of a ms in the percentiles and the mean as recorded', () => {
    // Breaks: a fraction stored in the dense array of whole ms (where the percentiles never see it); the sum rounded.
    const h = new LatencyHistogram();
    for (const ms of [0.5, 0.5, 0.5, 2]) h.record(ms);
    assert.deepEqual(h.summary(), { p50: 0.5, p95: 2, p99: 2, max: 2, mean: 0.875 });
  });

  it('an empty histogram summarises to zeros', () => {
    // Break: the empty summary's mean not a number.
    assert.deepEqual(new LatencyHistogram().summary(), { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
  });
});

describe('comparison labels at the edges of their rules', () => {
  // LABEL_RULES in numbers; cache 1 ms and database 10 ms, so High write latency starts at a median of 11 ms.
  const o = defaultOptions();
  const base: Metrics = engine('write-through').finish();
  const labels = (m: Partial<Metrics>, lost = 0) => labelsFor({ ...base, ...m }, lost, o);
  const latency = (p50: number): Metrics['writeLatencyMs'] => ({ p50, p95: p50, p99: p50, max: p50, mean: p50 });

  it('write latency is High from exactly a cache and a database round trip', () => {
    // Breaks: High only above the sum; the sum without the cache's round trip.
    assert.equal(labels({ writeLatencyMs: latency(11) }).writeLatency, 'High');
    assert.equal(labels({ writeLatencyMs: latency(10.5) }).writeLatency, 'Low');
  });

  it('a miss on first read after write from exactly 10% of the writes, only with writes and no stale fill', () => {
    // Breaks: the 10% share exclusive; no guard for a run without writes (a share of x/0); stale fills ignored.
    const stale = { staleReads: 3, staleFills: 0 };
    assert.equal(labels({ ...stale, acknowledgedWrites: 50, missesAfterWrite: 5 }).readConsistency, 'Miss on first read after write');
    assert.equal(labels({ ...stale, acknowledgedWrites: 50, missesAfterWrite: 4 }).readConsistency, 'Eventually consistent');
    assert.equal(labels({ ...stale, acknowledgedWrites: 0, missesAfterWrite: 2 }).readConsistency, 'Eventually consistent');
    assert.equal(labels({ staleReads: 3, staleFills: 1, acknowledgedWrites: 50, missesAfterWrite: 50 }).readConsistency, 'Eventually consistent');
  });

  it('strong is no stale read, whatever the fills', () => {
    // Break: Strong also asking for no stale fill.
    assert.deepEqual(labels({ staleReads: 0, staleFills: 2, writeLatencyMs: latency(1) }), { writeLatency: 'Low', readConsistency: 'Strong', dataLossRisk: 'None', bestFor: 'Read-heavy' });
    assert.equal(labels({ staleReads: 0, writeLatencyMs: latency(11) }).bestFor, 'Read-heavy, consistency-sensitive');
  });

  it('one acknowledged write lost in the crash is a data-loss risk', () => {
    // Break: a risk only from two lost writes.
    assert.deepEqual(labels({}, 1), { ...labels({}), dataLossRisk: 'Yes (crash before flush)', bestFor: 'Write-heavy, loss-tolerant' });
  });
});

describe('compareStrategies', () => {
  it('counts the writes lost at the crash, half-way (rounded down) through the workload', () => {
    // Breaks: the crash after ceil(ops / 2) operations; the loss counted at the end of the run instead of at the crash.
    // (Crashing after op 101 of 201 loses 89; what is still lost at the end, after later writes, is 4.)
    const c = compareStrategies({ ...defaultWorkload('write-heavy'), ops: 201, keys: 20, seed: 3 }, undefined, ['write-behind']);
    assert.equal(c.results[0]?.lostInCrash, 88);
  });

  it('gives the stale-read rate to four decimals, and 0 with no reads at all', () => {
    // Breaks: three decimals; a rate of NaN (0 / 0) for a run without reads.
    const c = compareStrategies({ ...defaultWorkload('read-heavy'), ops: 201, keys: 20, seed: 3 }, undefined, ['write-behind']);
    assert.equal(c.results[0]?.staleReadRate, 0.0328);
    const none = compareStrategies({ ...defaultWorkload('counters'), ops: 8, keys: 2, seed: 1 }, undefined, ['write-through']);
    assert.deepEqual([none.results[0]?.metrics.reads, none.results[0]?.staleReadRate], [0, 0]);
  });

  it('runs without a trace, and adds the slow client c4 only when the caller named no client delays', () => {
    // Breaks: the comparison traced (every step of 100,000 operations kept); c4 added over the caller's own delays.
    assert.deepEqual([comparisonOptions().trace, comparisonOptions().clientDelayMs], [false, { c4: 5 }]);
    const mine = defaultOptions();
    mine.clientDelayMs = { c2: 3 };
    assert.deepEqual(comparisonOptions(mine).clientDelayMs, { c2: 3 });
  });
});

describe('comparison requests from the webview', () => {
  const knobs = { cacheLatencyMs: 1, dbLatencyMs: 10, flushIntervalMs: 5000, coalescing: true };
  const good = { kind: 'mixed', ops: 1, keys: 1, seed: 0xffff_ffff, knobs };
  const errors = (raw: unknown): string[] => {
    const v = validateCompareRequest(raw);
    return v.ok ? [] : v.errors;
  };

  it('take every bound itself', () => {
    // Breaks: a lower or upper bound exclusive; the seed's range halved.
    assert.deepEqual(errors(good), []);
    assert.deepEqual(errors({ ...good, ops: 100_000, keys: 100_000, seed: 0, knobs: { ...knobs, cacheLatencyMs: 0, dbLatencyMs: 60_000, flushIntervalMs: 1 } }), []);
    assert.deepEqual(errors({ ...good, seed: 0x1_0000_0000 }), ['seed: expected a whole number from 0 to 4,294,967,295, got 4,294,967,296']);
  });

  it('say what they got: a long string cut at 27 characters, null, an array, a number not finite', () => {
    // Breaks: a 30-character string cut; null shown as an object; an array taken for the request object or the knobs;
    // NaN passing as a number; a fraction passing as a whole number.
    const thirty = 'x'.repeat(30);
    assert.deepEqual(errors({ ...good, kind: thirty }), [`kind: expected one of read-heavy, write-heavy, counters, mixed, got "${thirty}"`]);
    assert.deepEqual(errors({ ...good, kind: `${thirty}y` }), [`kind: expected one of read-heavy, write-heavy, counters, mixed, got "${'x'.repeat(27)}..."`]);
    assert.deepEqual(errors({ ...good, ops: null }), ['ops: expected a whole number from 1 to 100,000, got null']);
    assert.deepEqual(errors([good]), ['request: expected an object with kind, ops, keys, seed and knobs']);
    assert.deepEqual(errors({ ...good, knobs: [knobs] }), ['knobs: expected an object with cacheLatencyMs, dbLatencyMs, flushIntervalMs and coalescing']);
    assert.deepEqual(errors({ ...good, knobs: { ...knobs, dbLatencyMs: Number.NaN } }), ['knobs.dbLatencyMs: expected a number from 0 to 60,000, got NaN']);
    assert.deepEqual(errors({ ...good, seed: 2.5 }), ['seed: expected a whole number from 0 to 4,294,967,295, got 2.5']);
  });

  it('reach the engine with every knob: the flush interval and coalescing too', () => {
    // Breaks: compareForUi leaving the flush interval or coalescing at the engine's default.
    const row = (k: typeof knobs) => compareForUi('write-heavy', 400, 5, 1, k).rows.find((r) => r.strategy === 'write-behind');
    const fast = row({ ...knobs, flushIntervalMs: 10 });
    const slow = row(knobs);
    assert.ok(fast && slow);
    assert.ok(fast.dataLossRisk.lostInCrash < slow.dataLossRisk.lostInCrash, `${fast.dataLossRisk.lostInCrash} < ${slow.dataLossRisk.lostInCrash}`);
    const apart = row({ ...knobs, coalescing: false });
    assert.ok(apart && apart.dbWrites > slow.dbWrites, `${apart?.dbWrites} > ${slow.dbWrites}`);
  });
});
