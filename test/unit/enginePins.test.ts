// Engine behaviour a mutation audit found unpinned: each test fails if one small break of the engine (named in its
// comment) is made, with exact values on the virtual clock (cache 1 ms, database 10 ms unless set).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsistencyChecker } from '../../src/model/consistency';
import type { Engine, OpResult } from '../../src/model/engine';
import { LatencyHistogram } from '../../src/model/histogram';
import { RecordFactory } from '../../src/model/records';
import { at, engine } from './support/engineRuns';

/** The database batches: `time outcome [write ids]`. */
function batches(e: Engine): string[] {
  return e.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} [${(s.writes ?? []).join(',')}]`);
}

describe('write-through rollback', () => {
  it('puts back the entry with its unread mark: an entry read before the failed write is not pollution', () => {
    const e = engine('write-through');
    e.load('p', 10);
    at(e, 0, { kind: 'read', key: 'p' }); // fills p, read
    e.sched.at(20, () => e.failDbNext(1));
    const out = at(e, 20, { kind: 'write', key: 'p', value: 99 });
    const m = e.finish();
    assert.equal(out[0]?.ok, false);
    assert.equal(e.nodes[0]?.peek('p')?.unreadWrite, false);
    assert.equal(m.rollbacks, 1);
    assert.equal(m.cachePollution, 0);
  });
});

describe('write-through writers waiting for the row lock', () => {
  it('take the node as it is when the lock passes: a restart while waiting does not fail the write', () => {
    const e = engine('write-through');
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'p', value: 1 }, out); // holds the lock until its commit at 11
    at(e, 0, { kind: 'write', key: 'p', value: 2, client: 'bob' }, out); // waits for the lock
    e.sched.at(5, () => e.crashNode(1));
    e.sched.at(6, () => e.restartNode(1));
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.client, r.ok, r.endTime]),
      [
        ['app', true, 11],
        ['bob', true, 22],
      ],
    );
    assert.equal(e.nodes[0]?.peek('p')?.value, 2);
    assert.equal(e.db.peek('p')?.value, 2);
  });
});

describe('a crash and restart within one cache hop', () => {
  // The node is up again when the operation reaches it, but it is not the node the operation was sent to.
  const crashAndRestart = (e: Engine): void => {
    e.sched.at(0, () => {
      e.crashNode(1);
      e.restartNode(1);
    });
  };

  it('fails a write-behind write: it never reaches the new cache or its queue', () => {
    const e = engine('write-behind');
    const out = at(e, 0, { kind: 'write', key: 'p', value: 1 });
    crashAndRestart(e);
    const m = e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.error, r.endTime]), [[false, 'node1 is down', 1]]);
    assert.equal(e.nodes[0]?.peek('p'), undefined);
    assert.equal(e.db.peek('p'), undefined);
    assert.equal(m.acknowledgedWrites, 0);
    assert.equal(m.dbWrites, 0);
  });

  it('fails a read-through read: the restarted node does not load for it', () => {
    const e = engine('write-through');
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p' });
    crashAndRestart(e);
    const m = e.finish();
    assert.deepEqual(out.map((r) => [r.ok, r.error, r.endTime]), [[false, 'node1 is down', 1]]);
    assert.equal(e.nodes[0]?.peek('p'), undefined);
    assert.equal(m.failedReads, 1);
    assert.equal(m.dbRoundTrips, 0);
  });
});

describe('a crash fails the writers blocked on a full write-behind queue', () => {
  it('at the crash, not never', () => {
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'block';
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
    at(e, 10, { kind: 'write', key: 'b', value: 2 }, out); // blocks at 11
    e.sched.at(20, () => e.crashNode(1));
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.error, r.endTime]),
      [
        ['a', true, undefined, 1],
        ['b', false, 'node1 crashed while the write waited', 20],
      ],
    );
    assert.equal(m.failedWrites, 1);
    assert.equal(m.lostWrites, 1); // a, in the crashed queue
  });
});

describe('the database faults', () => {
  it('a database down for 1 s is up again at exactly 1 s', () => {
    const e = engine('write-around');
    e.sched.at(0, () => e.failDbFor(1000));
    const out = at(e, 989, { kind: 'write', key: 'a', value: 1 }); // at the database at 999: down
    at(e, 990, { kind: 'write', key: 'b', value: 2 }, out); // at the database at 1000: up
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.endTime]),
      [
        ['a', false, 999],
        ['b', true, 1000],
      ],
    );
  });

  it('"fail next N writes" adds up when given twice', () => {
    const e = engine('write-around');
    e.sched.at(0, () => {
      e.failDbNext(1);
      e.failDbNext(1);
    });
    const out: OpResult[] = [];
    for (let i = 0; i < 3; i++) at(e, i * 20, { kind: 'write', key: `k${i}`, value: i }, out);
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => r.ok),
      [false, false, true],
    );
    assert.equal(m.failedWrites, 2);
  });
});

describe('write-behind flushing', () => {
  it('a write queued exactly on the interval grid waits for the next interval, not this one', () => {
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
    });
    at(e, 999, { kind: 'write', key: 'a', value: 1 }); // queued at 1000
    e.finish();
    assert.deepEqual(batches(e), ['2010 persisted [1]']);
  });

  it('a retry batch holds at most batchSize entries: the rest follow in the next round trip', () => {
    // The first batch (a, b) fails at 1010 and is due again at 2000, with c: three entries due, batches of two.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.batchSize = 2;
      o.writeBehind.retryDelayMs = 990;
    });
    e.sched.at(0, () => e.failDbNext(1));
    for (const [i, k] of ['a', 'b', 'c'].entries()) at(e, 0, { kind: 'write', key: k, value: i });
    const m = e.finish();
    assert.deepEqual(batches(e), ['1010 error [1,2]', '2010 persisted [1,2]', '2020 persisted [3]']);
    assert.equal(m.dbRoundTrips, 3);
    assert.equal(m.dbWrites, 3);
  });

  it("a failed batch's retry delay follows its entry with the most attempts", () => {
    // a fails at 1010 (due again at 2000) and goes out at 2000 with b, fresh: that batch fails too, and waits
    // 990 ms x 2 (a's second attempt), not 990 ms (b's first).
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.retryDelayMs = 990;
    });
    e.sched.at(0, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(1500, () => e.failDbNext(1));
    at(e, 1500, { kind: 'write', key: 'b', value: 2 });
    const m = e.finish();
    assert.deepEqual(batches(e), ['1010 error [1]', '2010 error [1,2]', '4000 persisted [1,2]']);
    assert.equal(m.retries, 3);
  });

  it('the retry delay grows with the backoff up to 60 s, and stays there', () => {
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.retryDelayMs = 1000;
      o.writeBehind.retryBackoff = 2;
      o.writeBehind.requeueLimit = 8;
    });
    e.sched.at(0, () => e.failDbFor(10_000_000));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    const m = e.finish();
    const times = e.steps.filter((s) => s.action === 'db.batch').map((s) => s.time);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number) - 10);
    assert.deepEqual(gaps, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    assert.equal(m.retries, 8);
    assert.equal(m.deadLetters, 1);
  });

  it('strict order: a queue that outgrows flushSize while an entry waits for its retry still lands nothing past it', () => {
    // a fails at 1010 (retry at 6010). b, c, d are queued at 2001..2003; c takes the queue past flushSize 2, so a
    // flush starts at once, but in strict order nothing may land before a.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 1000;
      o.writeBehind.retryDelayMs = 5000;
      o.writeBehind.flushSize = 2;
      o.writeBehind.order = 'strict';
    });
    e.sched.at(0, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    for (const [i, k] of ['b', 'c', 'd'].entries()) at(e, 2000 + i, { kind: 'write', key: k, value: i });
    e.finish();
    assert.deepEqual(batches(e), ['1010 error [1]', '6020 persisted [1,2,3,4]']);
  });
});

describe('the write-ahead log after a restart', () => {
  it('a replayed entry takes new writes of its key again (coalescing): one row write carries both', () => {
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 60_000;
      o.writeBehind.wal = true;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(100, () => e.crashNode(1));
    e.sched.at(200, () => e.restartNode(1));
    at(e, 300, { kind: 'write', key: 'a', value: 2 });
    const m = e.finish();
    assert.deepEqual(batches(e), ['60010 persisted [1,2]']);
    assert.equal(m.dbWrites, 1);
    assert.equal(m.maxQueueDepth, 1);
    assert.equal(e.db.peek('a')?.value, 2);
  });
});

describe('a plain write folded into a pending increment', () => {
  it('leaves a plain entry: the queue shows its value and no delta', () => {
    const e = engine('write-behind');
    e.load('n', 5);
    at(e, 0, { kind: 'incr', key: 'n', amount: 3 }); // loads the base (at 11), queues +3
    at(e, 20, { kind: 'write', key: 'n', value: 100 }); // folds into the pending entry
    let queue: unknown;
    e.sched.at(30, () => {
      queue = e.snapshot().nodes[0]?.queue.map((q) => [q.key, q.kind, q.value, q.delta, q.writes]);
    });
    e.finish();
    assert.deepEqual(queue, [['n', 'set', 100, 0, [2, 3]]]);
    assert.equal(e.db.peek('n')?.value, 100);
  });
});

describe('a fill that a write raced with, the key evicted again before the fill', () => {
  it('the hybrid: the application drops its fill (the write touched the key since the miss)', () => {
    // The read misses at 1 and reads the old row at 11; the write caches p at 1 and commits at 11; q evicts p at 6
    // (capacity 1). At the fill (12) p is neither cached nor locked, but a write touched it since the miss.
    const e = engine('write-through+cache-aside', (o) => {
      o.cache.capacity = 1;
    });
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p' });
    at(e, 0, { kind: 'write', key: 'p', value: 2, client: 'w' }, out);
    at(e, 5, { kind: 'write', key: 'q', value: 9, client: 'x' }, out);
    at(e, 30, { kind: 'read', key: 'p' }, out);
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.kind, r.key, r.value, r.hit, r.stale, r.endTime]),
      [
        ['write', 'p', 2, undefined, false, 11],
        ['read', 'p', 1, false, false, 12],
        ['write', 'q', 9, undefined, false, 16],
        ['read', 'p', 2, false, false, 42],
      ],
    );
    const fill = e.steps.find((s) => s.op === 1 && s.action === 'cache.set');
    assert.match(fill?.note ?? '', /a write touched p since the miss: the fill is dropped/);
    assert.equal(m.staleReads, 0);
  });

  it('write-behind read-through: the node does not keep a row older than the write it evicted', () => {
    // The write caches p at 1 (after the read missed) and q evicts it at 4; the read loads the unflushed row at 11.
    const e = engine('write-behind', (o) => {
      o.cache.capacity = 1;
    });
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p' });
    at(e, 0, { kind: 'write', key: 'p', value: 2, client: 'w' }, out);
    at(e, 3, { kind: 'write', key: 'q', value: 9, client: 'x' }, out);
    at(e, 6000, { kind: 'read', key: 'p' }, out); // after the flush at 5010
    const m = e.finish();
    assert.equal(e.steps.some((s) => s.op === 1 && s.action === 'cache.load'), false);
    assert.deepEqual(
      out.filter((r) => r.kind === 'read').map((r) => [r.value, r.hit, r.stale, r.endTime]),
      [
        [1, false, false, 11],
        [2, false, false, 6011],
      ],
    );
    assert.equal(m.staleReads, 0);
  });
});

describe('metrics', () => {
  it('hitRatio is hits over cache lookups: reads straight from the database do not count', () => {
    const e = engine('write-through');
    e.load('p', 1);
    at(e, 0, { kind: 'read', key: 'p' }); // miss
    at(e, 20, { kind: 'read', key: 'p' }); // hit
    at(e, 40, { kind: 'read-db', key: 'p' });
    const m = e.finish();
    assert.equal(m.reads, 3);
    assert.equal(m.cacheHits, 1);
    assert.equal(m.cacheMisses, 1);
    assert.equal(m.hitRatio, 0.5);
    assert.equal(m.dbRoundTrips, 2); // the miss's load and the direct read
    assert.equal(m.dbReads, 2);
  });

  it('hitRatio is 0 when no read looked in a cache', () => {
    const e = engine('write-through');
    at(e, 0, { kind: 'write', key: 'p', value: 1 });
    at(e, 20, { kind: 'read-db', key: 'p' });
    const m = e.finish();
    assert.equal(m.cacheHits + m.cacheMisses, 0);
    assert.equal(m.hitRatio, 0);
  });

  it("a read-through miss costs the client's round trip to the node, then the node's own load (no client delay on it)", () => {
    const e = engine('write-through', (o) => {
      o.clientDelayMs = { slow: 5 };
    });
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p', client: 'slow' });
    const m = e.finish();
    assert.deepEqual(out.map((r) => [r.value, r.hit, r.endTime]), [[1, false, 16]]);
    assert.equal(m.readLatencyMs.max, 16);
  });

  it('maxQueueDepth counts the queues of every node together', () => {
    const e = engine('write-behind', (o) => {
      o.cache.nodes = 2;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1, node: 1 });
    at(e, 0, { kind: 'write', key: 'b', value: 2, node: 2 });
    const m = e.finish();
    assert.equal(m.maxQueueDepth, 2);
  });

  it('latency percentiles are nearest-rank: the rank is ceil(p/100 x n)', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 11; ms++) h.record(ms);
    // p95 of 11 samples: rank ceil(10.45) = 11; p50: ceil(5.5) = 6; p99: ceil(10.89) = 11.
    assert.deepEqual(h.summary(), { p50: 6, p95: 11, p99: 11, max: 11, mean: 6 });
    const g = new LatencyHistogram();
    for (let ms = 1; ms <= 20; ms++) g.record(ms);
    // 20 samples: p50 rank 10, p95 rank 19, p99 rank ceil(19.8) = 20.
    assert.deepEqual(g.summary(), { p50: 10, p95: 19, p99: 20, max: 20, mean: 10.5 });
  });
});

describe('cache pollution: one lifetime per entry', () => {
  it('an entry a read filled and an eviction removed is not pollution', () => {
    const e = engine('write-through', (o) => {
      o.cache.capacity = 1;
    });
    e.load('a', 1);
    e.load('b', 2);
    at(e, 0, { kind: 'read', key: 'a' });
    at(e, 20, { kind: 'read', key: 'b' }); // its fill evicts a
    const m = e.finish();
    assert.equal(m.evictions, 1);
    assert.equal(m.cachePollution, 0);
  });

  it('an entry read once and then overwritten by a write is not pollution', () => {
    const e = engine('write-through');
    at(e, 0, { kind: 'write', key: 'p', value: 1 });
    at(e, 20, { kind: 'read', key: 'p' });
    at(e, 40, { kind: 'write', key: 'p', value: 2 });
    const m = e.finish();
    assert.equal(e.nodes[0]?.peek('p')?.unreadWrite, false);
    assert.equal(m.cachePollution, 0);
  });
});

describe("write-around: the caller's own next request lands after its invalidation (read-your-writes)", () => {
  it('a read sent from the write\'s callback misses and loads the new value', () => {
    const e = engine('write-around');
    e.load('p', 1);
    const out = at(e, 0, { kind: 'read', key: 'p' }); // fills p = 1
    e.sched.at(20, () =>
      e.issue({ kind: 'write', key: 'p', value: 2, client: 'app', node: 1, line: null }, (w) => {
        out.push(w);
        e.issue({ kind: 'read', key: 'p', client: 'app', node: 1, line: null }, (r) => out.push(r));
      }),
    );
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => [r.kind, r.value, r.hit, r.stale, r.endTime]),
      [
        ['read', 1, false, false, 11],
        ['write', 2, undefined, false, 30],
        ['read', 2, false, false, 41],
      ],
    );
    assert.equal(m.staleReads, 0);
  });
});

describe('a load lease ends at an invalidation too', () => {
  it('write-around: a row loaded while an invalidation of the key landed is not kept (the next read misses)', () => {
    // The write commits at 10 and invalidates at 11; the read misses at 6 and loads at 16, after the invalidation.
    const e = engine('write-around');
    e.load('p', 1);
    const out = at(e, 0, { kind: 'write', key: 'p', value: 2, client: 'w' });
    at(e, 5, { kind: 'read', key: 'p' }, out);
    at(e, 30, { kind: 'read', key: 'p' }, out);
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.kind, r.value, r.hit]),
      [
        ['write', 2, undefined],
        ['read', 2, false],
        ['read', 2, false],
      ],
    );
    assert.equal(e.steps.some((s) => s.action === 'cache.load' && s.time === 16), false);
  });
});

describe('more faults', () => {
  it('a shorter outage declared during a longer one does not end it early', () => {
    const e = engine('write-around');
    e.sched.at(0, () => e.failDbFor(1000));
    e.sched.at(500, () => e.failDbFor(100));
    const out = at(e, 700, { kind: 'write', key: 'a', value: 1 }); // at the database at 710
    at(e, 1000, { kind: 'write', key: 'b', value: 2 }, out); // at 1010
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok]),
      [
        ['a', false],
        ['b', true],
      ],
    );
  });

  it('a write refused because the database is down does not use up an injected fault', () => {
    const e = engine('write-around');
    e.sched.at(0, () => {
      e.failDbFor(100);
      e.failDbNext(1);
    });
    const out = at(e, 0, { kind: 'write', key: 'a', value: 1 }); // at the database at 10: down
    at(e, 200, { kind: 'write', key: 'b', value: 2 }, out); // up: the injected fault
    at(e, 300, { kind: 'write', key: 'c', value: 3 }, out);
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.key, r.ok, r.error]),
      [
        ['a', false, 'database is down'],
        ['b', false, 'database rejected the write (injected fault); transaction rolled back'],
        ['c', true, undefined],
      ],
    );
  });

  it('crashing a node that is already down changes nothing', () => {
    const e = engine('write-behind');
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(10, () => e.crashNode(1));
    e.sched.at(20, () => e.crashNode(1));
    e.sched.at(30, () => e.restartNode(1));
    const m = e.finish();
    assert.equal(e.steps.filter((s) => s.action === 'crash').length, 1);
    assert.equal(e.nodes[0]?.incarnation, 1);
    assert.equal(m.lostWrites, 1);
  });
});

describe('the row lock hands on in arrival order', () => {
  it('three writers to one key: the database takes them as they asked', () => {
    const e = engine('write-through');
    const out: OpResult[] = [];
    for (const c of ['a', 'b', 'c']) at(e, 0, { kind: 'write', key: 'p', value: c, client: c }, out);
    e.finish();
    assert.deepEqual(
      out.map((r) => [r.client, r.endTime]),
      [
        ['a', 11],
        ['b', 22],
        ['c', 33],
      ],
    );
    assert.equal(e.db.peek('p')?.value, 'c');
    assert.equal(e.nodes[0]?.peek('p')?.value, 'c');
  });
});

describe('consistency checker: "the newest write acknowledged before the read began"', () => {
  it('is the newest by issue, even when an older write is acknowledged last', () => {
    // w2 issued, w1 issued and acknowledged, w3 issued and acknowledged, then w2 acknowledged: the newest
    // acknowledged write is still w3, so a read of w1 is stale.
    const checker = new ConsistencyChecker();
    const records = new RecordFactory();
    const [w1, w2, w3] = [records.create('k', undefined, null), records.create('k', undefined, null), records.create('k', undefined, null)];
    checker.writeIssued(w2);
    checker.writeIssued(w1);
    checker.writeAcked(w1, 1);
    checker.writeIssued(w3);
    checker.writeAcked(w3, 2);
    checker.writeAcked(w2, 3);
    const token = checker.readStarted('k');
    assert.equal(checker.readFinished(token, w1), true);
    assert.equal(checker.readFinished(checker.readStarted('k'), w3), false);
    assert.equal(checker.staleReads, 1);
  });
});
