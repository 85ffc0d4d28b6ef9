// Property tests of three engine parts with a shortcut each: the scheduler's timing wheel (round trips skip the heap)
// must keep the exact (time, seq) order of a plain sorted list; a cache node's entry mirrors (presence
// without an lru-cache call) must always agree with lru-cache itself, through adds, overwrites, evictions, deletions,
// rollbacks and crashes; and a write-behind queue's in-flight list (a list and a flag per entry, emptied without a
// search when a whole batch settles) must always hold exactly the entries taken by a flush and not yet settled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Scheduler } from '../../src/model/scheduler';
import { CacheNode } from '../../src/model/cacheNode';
import type { CacheEntry, EntryMirror, LeaveReason } from '../../src/model/cacheNode';
import type { WriteRecord } from '../../src/model/types';
import { WriteBehindQueue } from '../../src/model/writeBehindQueue';
import type { PendingSlot, QueueEntry } from '../../src/model/writeBehindQueue';

const RUNS = 1000;

/** An event: the delays of the events it schedules when it fires (each with its own children), by index. */
interface Plan {
  delay: number;
  children: number[];
}

// Delays: round trips (the timing wheel's), fractions of a ms and delays at and beyond the wheel's reach (the heap's).
const planArb = fc.array(fc.record({ delay: fc.constantFrom(0, 0, 1, 1, 2, 5, 10, 0.5, 2.25, 63, 64, 65, 130, 5000), children: fc.array(fc.nat(40), { maxLength: 3 }) }), {
  minLength: 1,
  maxLength: 40,
});

/** Fire order of a plan on the real scheduler: roots scheduled at 0, each fired event schedules its children. */
function realOrder(plan: Plan[], roots: number[], untilSteps: number[]): string[] {
  const s = new Scheduler();
  const fired: string[] = [];
  let budget = 200;
  const schedule = (i: number): void => {
    const p = plan[i % plan.length] as Plan;
    s.after(p.delay, () => {
      fired.push(`${i}@${s.now}`);
      for (const c of p.children) if (budget-- > 0) schedule(c);
    });
  };
  for (const r of roots) schedule(r);
  // Some of the run goes through runUntil (which must see the wheel and the heap too), the rest through runAll.
  for (const t of untilSteps) s.runUntil(s.now + t);
  assert.equal(s.runAll(), true);
  assert.equal(s.pending, 0);
  return fired;
}

/** The same plan on a reference: a plain list, always taking the smallest (time, seq). */
function referenceOrder(plan: Plan[], roots: number[]): string[] {
  const queue: { time: number; seq: number; i: number }[] = [];
  let seq = 0;
  let now = 0;
  let budget = 200;
  const fired: string[] = [];
  const schedule = (i: number): void => {
    queue.push({ time: now + (plan[i % plan.length] as Plan).delay, seq: seq++, i });
  };
  for (const r of roots) schedule(r);
  while (queue.length > 0) {
    let best = 0;
    for (let k = 1; k < queue.length; k++) {
      const a = queue[k] as { time: number; seq: number };
      const b = queue[best] as { time: number; seq: number };
      if (a.time < b.time || (a.time === b.time && a.seq < b.seq)) best = k;
    }
    const ev = queue.splice(best, 1)[0] as { time: number; i: number };
    now = ev.time;
    fired.push(`${ev.i}@${now}`);
    for (const c of (plan[ev.i % plan.length] as Plan).children) if (budget-- > 0) schedule(c);
  }
  return fired;
}

describe('scheduler: the timing wheel and the heap together keep the exact (time, seq) order', () => {
  it('fires every event in the order of a sorted reference, however they are scheduled', () => {
    fc.assert(
      fc.property(planArb, fc.array(fc.nat(40), { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom(0, 1, 3, 6, 0.75, 70, 9000), { maxLength: 4 }), (plan, roots, untilSteps) => {
        assert.deepEqual(realOrder(plan, roots, untilSteps), referenceOrder(plan, roots));
      }),
      { numRuns: RUNS },
    );
  });

  it('peekTime and pending see both the wheel and the heap', () => {
    const s = new Scheduler();
    s.after(100, () => {}); // beyond the wheel's reach: the heap
    s.after(5, () => {}); // the wheel
    assert.equal(s.peekTime(), 5);
    assert.equal(s.pending, 2);
    s.after(2.5, () => {}); // a fraction of a ms: the heap, yet first
    assert.equal(s.peekTime(), 2.5);
    assert.equal(s.pending, 3);
    s.runUntil(5);
    assert.equal(s.pending, 1);
    assert.equal(s.peekTime(), 100);
    s.runUntil(200);
    assert.equal(s.pending, 0);
    assert.equal(s.peekTime(), undefined);
  });

  it('an event due at the same ms in the heap and in the wheel runs in the order it was scheduled', () => {
    const s = new Scheduler();
    const fired: string[] = [];
    s.after(70, () => fired.push('heap')); // 70 ms ahead: the heap
    s.after(10, () => s.after(60, () => fired.push('wheel'))); // at 10 ms, 70 is within reach: the wheel
    s.runAll();
    assert.deepEqual(fired, ['heap', 'wheel']);
    assert.equal(s.now, 70);
  });

  it('halt stops runUntil and runAll once the current event is over; what is pending stays pending', () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (const t of [1, 2, 3, 4]) s.at(t, () => (fired.push(t), t === 2 ? s.halt() : undefined));
    s.runUntil(10);
    assert.deepEqual(fired, [1, 2]);
    assert.equal(s.now, 2, 'the clock stays where the run stopped');
    assert.equal(s.runAll(), false);
    assert.deepEqual(fired, [1, 2]);
    assert.equal(s.pending, 2);
  });
});

type CacheOp =
  | { op: 'add' | 'set'; key: number; byWrite: boolean }
  | { op: 'get' | 'delete' | 'restoreSome' | 'restoreNone'; key: number }
  | { op: 'crash' | 'restart' };

const cacheOpArb: fc.Arbitrary<CacheOp> = fc.oneof(
  fc.record({ op: fc.constantFrom('add' as const, 'set' as const), key: fc.nat(5), byWrite: fc.boolean() }),
  fc.record({ op: fc.constantFrom('get' as const, 'delete' as const, 'restoreSome' as const, 'restoreNone' as const), key: fc.nat(5) }),
  fc.record({ op: fc.constantFrom('crash' as const, 'restart' as const) }),
);

function rec(id: number): WriteRecord {
  return { id, key: 'k', issueSeq: id, ackSeq: id, commitSeq: undefined, ackTime: 0, delta: undefined, line: null };
}

/** Runs the ops on a node with mirrors and on one without; returns what left each (the hooks' log). */
function runCache(ops: CacheOp[], ttlMs: number | null, check: (node: CacheNode, mirrors: EntryMirror[]) => void): [string[], string[]] {
  const logs: [string[], string[]] = [[], []];
  const clock = { now: () => 0 };
  const nodes = logs.map(
    (log) =>
      new CacheNode(1, 3, ttlMs, clock, {
        onLeave: (_n: CacheNode, key: string, e: CacheEntry, why: LeaveReason) => log.push(`${key}:${e.id}:${why}:${e.unreadWrite}`),
      }),
  ) as [CacheNode, CacheNode];
  const mirrors: EntryMirror[] = Array.from({ length: 6 }, () => ({ cached: undefined }));
  let id = 0;
  ops.forEach((o) => {
    for (const [n, node] of nodes.entries()) {
      // Node 0 passes its mirrors, node 1 passes none: both must behave the same.
      const m = (k: number): EntryMirror | null => (n === 0 ? (mirrors[k] as EntryMirror) : null);
      const key = 'key' in o ? `k${o.key}` : '';
      const r = rec(id);
      switch (o.op) {
        case 'add':
          if (!node.has(key, m(o.key))) node.add(key, id, r, o.byWrite, m(o.key));
          break;
        case 'set':
          node.set(key, id, r, o.byWrite, m(o.key));
          break;
        case 'get':
          node.get(key, m(o.key));
          break;
        case 'delete':
          node.delete(key, m(o.key));
          break;
        case 'restoreSome':
          node.restore(key, { value: -1, w: r, unreadWrite: true }, m(o.key));
          break;
        case 'restoreNone':
          node.restore(key, undefined, m(o.key));
          break;
        case 'crash':
          node.crash();
          break;
        default:
          node.restart();
      }
    }
    id++;
    check(nodes[0], mirrors);
    assert.deepEqual(
      nodes[0].entries().map(([k, e]) => [k, e.value, e.id, e.unreadWrite]),
      nodes[1].entries().map(([k, e]) => [k, e.value, e.id, e.unreadWrite]),
      'the node with mirrors holds what the node without holds, in the same order',
    );
  });
  return logs;
}

describe('cache node: entry mirrors agree with lru-cache', () => {
  it('without TTL a mirror holds exactly the entry lru-cache holds, after every operation', () => {
    fc.assert(
      fc.property(fc.array(cacheOpArb, { maxLength: 60 }), (ops) => {
        const [withMirrors, without] = runCache(ops, null, (node, mirrors) => {
          mirrors.forEach((m, k) => assert.equal(m.cached, node.peek(`k${k}`), `mirror of k${k}`));
        });
        assert.deepEqual(withMirrors, without, 'the same entries left for the same reasons');
      }),
      { numRuns: RUNS },
    );
  });

  it('with TTL the node asks lru-cache (an expired entry must not look present)', () => {
    let now = 0;
    const node = new CacheNode(1, 3, 10, { now: () => now }, { onLeave: () => {} });
    const m: EntryMirror = { cached: undefined };
    node.add('k', 1, rec(1), true, m);
    assert.equal(m.cached, undefined, 'a TTL node does not fill mirrors');
    assert.equal(node.has('k', m), true);
    now = 11;
    assert.equal(node.has('k', m), false);
    assert.equal(node.peek('k', m), undefined);
    assert.equal(node.get('k', m), undefined);
  });
});

type QueueStep =
  | { op: 'set' | 'incr'; key: number }
  | { op: 'take'; max: number }
  | { op: 'persist' | 'requeue' | 'abandon' | 'deadLetter'; pick: number[] }
  | { op: 'crash' | 'replay' };

const queueStepArb: fc.Arbitrary<QueueStep> = fc.oneof(
  fc.record({ op: fc.constantFrom('set' as const, 'incr' as const), key: fc.nat(4) }),
  fc.record({ op: fc.constant('take' as const), max: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constantFrom('persist' as const, 'requeue' as const, 'abandon' as const, 'deadLetter' as const), pick: fc.array(fc.nat(9), { maxLength: 4 }) }),
  fc.record({ op: fc.constantFrom('crash' as const, 'replay' as const) }),
);

describe('write-behind queue: the in-flight list', () => {
  it('holds exactly the entries taken and not yet settled, each flagged, through partial and whole settlements', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.array(queueStepArb, { maxLength: 60 }), (coalescing, wal, steps) => {
        const q = new WriteBehindQueue(coalescing, wal);
        const slots: PendingSlot[] = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, entry: undefined }));
        /** The reference: entries taken by a batch and not settled since, in the order they were taken. */
        let flying: QueueEntry[] = [];
        const all = new Set<QueueEntry>();
        let id = 0;
        const rec = (key: string): WriteRecord => ({ id: ++id, key, issueSeq: id, ackSeq: id, commitSeq: undefined, ackTime: 0, delta: undefined, line: null });
        for (const [i, st] of steps.entries()) {
          if (st.op === 'set' || st.op === 'incr') {
            const slot = slots[st.key] as PendingSlot;
            if (st.op === 'set') q.enqueueSet(slot, i, rec(slot.key), i);
            else q.enqueueIncr(slot, 1, rec(slot.key), i);
            for (const e of q.list()) all.add(e);
          } else if (st.op === 'take') {
            flying.push(...q.takeBatch(st.max, i));
          } else if (st.op === 'crash' || st.op === 'replay') {
            if (st.op === 'crash') q.crash();
            else for (const e of q.replay(i)) all.add(e);
          } else if ('pick' in st) {
            // Settle some of the flying entries (each at most once), as the engine does with a batch or part of one.
            const picked = [...new Set(st.pick.filter((p) => p < flying.length).map((p) => flying[p] as QueueEntry))];
            if (st.op === 'persist') q.persisted(picked);
            else if (st.op === 'requeue') q.requeue(picked, i + 1);
            else if (st.op === 'abandon') q.abandon(picked);
            else for (const e of picked) q.deadLetter(e);
            flying = flying.filter((e) => !picked.includes(e));
          }
          assert.deepEqual(q.inFlight, flying, `after step ${i} (${JSON.stringify(st)})`);
          for (const e of all) assert.equal(e.inFlight, flying.includes(e), `entry for ${e.key} flagged ${e.inFlight} after step ${i}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
