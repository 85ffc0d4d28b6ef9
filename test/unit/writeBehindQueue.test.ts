// The write-behind queue's entries carry their writes as numbers: the newest write's stamp on the entry itself, the
// earlier ones (id, issue position) in an array made only when a second write folds in. These pin what the engine
// reads from them: every write in order, oldest first, through coalescing and through a failed flush folding back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryIssues, entryWriteIds, entryWrites, WriteBehindQueue } from '../../src/model/writeBehindQueue';
import type { PendingSlot, QueueEntry } from '../../src/model/writeBehindQueue';
import type { WriteStamp } from '../../src/model/types';

/** Write n: id n, issued at position 10n, acknowledged at 10n + 1. */
const w = (n: number): WriteStamp => ({ id: n, issueSeq: 10 * n, ackSeq: 10 * n + 1, commitSeq: undefined });
const slot = (key: string): PendingSlot => ({ key, entry: undefined });

describe('write-behind queue entries', () => {
  it('an entry of one write has no array, and its stamp is the write', () => {
    const q = new WriteBehindQueue(true, false);
    const e = q.enqueueSet(slot('k'), 'a', w(1), 0);
    assert.equal(e.earlier, null);
    assert.deepEqual([e.id, e.issueSeq, e.ackSeq], [1, 10, 11]);
    assert.equal(entryWrites(e), 1);
    assert.deepEqual(entryWriteIds(e), [1]);
    assert.deepEqual(entryIssues(e), [10]);
  });

  it('coalescing: writes fold into the pending entry, which takes the newest stamp and keeps every write in order', () => {
    const q = new WriteBehindQueue(true, false);
    const s = slot('k');
    const first = q.enqueueSet(s, 'a', w(1), 0);
    assert.equal(q.enqueueIncr(s, 2, w(2), 1), first, 'folded into the same entry');
    assert.equal(q.enqueueSet(s, 'c', w(3), 2), first);
    assert.deepEqual([first.id, first.issueSeq, first.ackSeq], [3, 30, 31]);
    assert.deepEqual(entryWriteIds(first), [1, 2, 3]);
    assert.deepEqual(entryIssues(first), [10, 20, 30]);
    assert.equal(entryWrites(first), 3);
    assert.equal(q.length, 1);
  });

  it('without coalescing, every write has an entry of its own', () => {
    const q = new WriteBehindQueue(false, false);
    const s = slot('k');
    const a = q.enqueueSet(s, 'a', w(1), 0);
    const b = q.enqueueSet(s, 'b', w(2), 1);
    assert.notEqual(a, b);
    assert.deepEqual([entryWriteIds(a), entryWriteIds(b)], [[1], [2]]);
    assert.equal(q.length, 2);
  });

  it('a failed batch folds back into a write queued since, its writes first', () => {
    const q = new WriteBehindQueue(true, false);
    const s = slot('k');
    q.enqueueSet(s, 'a', w(1), 0);
    q.enqueueSet(s, 'b', w(2), 0);
    const batch = q.takeBatch(10, 0);
    assert.equal(batch.length, 1);
    const since = q.enqueueSet(s, 'c', w(3), 1);
    q.enqueueSet(s, 'd', w(4), 2);
    q.requeue(batch, 100);
    const [back] = q.list() as QueueEntry[];
    assert.equal(back, since, 'one entry per key survives: the one queued since');
    assert.equal(q.length, 1);
    assert.deepEqual(entryWriteIds(since), [1, 2, 3, 4]);
    assert.deepEqual(entryIssues(since), [10, 20, 30, 40]);
    assert.deepEqual([since.id, since.ackSeq], [4, 41], 'the newest write is still the stamp');
  });

  it('two failed entries for one key fold into the later one', () => {
    const q = new WriteBehindQueue(true, false);
    const s = slot('k');
    q.enqueueSet(s, 'a', w(1), 0);
    const first = q.takeBatch(10, 0);
    q.enqueueSet(s, 'b', w(2), 1);
    q.enqueueSet(s, 'c', w(3), 1);
    const second = q.takeBatch(10, 1);
    q.requeue([...first, ...second], 100);
    const [back] = q.list() as QueueEntry[];
    assert.equal(q.length, 1);
    assert.equal(back, second[0]);
    assert.deepEqual(entryWriteIds(back as QueueEntry), [1, 2, 3]);
    assert.deepEqual(entryIssues(back as QueueEntry), [10, 20, 30]);
  });
});
