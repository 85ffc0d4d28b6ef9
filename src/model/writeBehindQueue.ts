// A node's write-behind queue: pending row writes in arrival order, optionally coalesced per key, with retry
// bookkeeping, a dead-letter list and an optional durable log (WAL) that survives a crash.
import { copyStamp, incremented } from './types';
import type { Json, WriteStamp } from './types';

/**
 * Where a queue keeps the entry pending for one key (what coalescing folds into). The caller holds one per key and
 * queue and passes it in, so finding the pending entry needs no lookup by key.
 */
export interface PendingSlot {
  readonly key: string;
  entry: QueueEntry | undefined;
}

/**
 * A pending row write. Its stamp (id, issueSeq, ackSeq) is its newest write's, copied as a cache entry or a row copies
 * it: what the row holds once the entry lands. The writes folded into it are numbers, not records, so no object per
 * write lives until the flush.
 */
export interface QueueEntry extends WriteStamp {
  key: string;
  /** The key's slot in this queue (it points back here while this entry is the one pending for the key). */
  slot: PendingSlot;
  kind: 'set' | 'incr';
  /** New value for 'set'. */
  value: Json;
  /** Summed increments for 'incr'. */
  delta: number;
  /** Client increments folded into this entry. */
  ops: number;
  /**
   * The writes folded into this entry before its newest (whose id and issue position are the stamp's), oldest first,
   * as pairs: id, issue position. Null until a second write folds in, so an entry carrying one write (most of them)
   * has no array. Read them with `entryWriteIds`, `entryIssues` and `entryWrites`.
   */
  earlier: number[] | null;
  /** Taken by a flush and not yet settled (listed in the queue's `inFlight`). */
  inFlight: boolean;
  retries: number;
  /** Not flushed before this virtual time: its write delay (`writeBehind.writeDelay`) or its retry's backoff. */
  notBefore: number;
  enqueuedAt: number;
}

export class WriteBehindQueue {
  /** Pending entries in order, from `head` on (a flush takes from the front without copying the rest). */
  private entries: QueueEntry[] = [];
  private head = 0;
  private flying: QueueEntry[] = [];

  /**
   * Entries taken by a flush and not yet confirmed by the database. A list and a flag on each entry, not a Set: a
   * flush adds and removes a whole batch, and a Set's hash table grew and shrank with every batch (dropping it cut
   * write-behind's instructions per operation by 16% under Node 20 and 5% under Node 24, by `npm run bench:cachegrind`).
   */
  get inFlight(): readonly QueueEntry[] {
    return this.flying;
  }
  readonly deadLetters: QueueEntry[] = [];
  /** Durable copy of every entry not yet persisted (only used when the WAL is on). */
  private readonly wal = new Set<QueueEntry>();

  /**
   * @param strictOrder an entry waiting for its retry holds back every later entry, not only its key's.
   * @param delayMs each new entry is due this long after it was queued (`writeBehind.writeDelay`); 0: at once.
   */
  constructor(
    readonly coalescing: boolean,
    readonly walEnabled: boolean,
    readonly strictOrder = false,
    readonly delayMs = 0,
  ) {}

  get length(): number {
    return this.entries.length - this.head;
  }

  /** Entries in the queue that are waiting to be retried (so the flusher knows when a retry tick is needed). */
  get retried(): number {
    let n = 0;
    if (this.retriedEntries === 0) return 0;
    for (const e of this.list()) if (e.retries > 0) n++;
    this.retriedEntries = n;
    return n;
  }

  private retriedEntries = 0;

  /** The oldest entry still queued (in flight ones excluded); the queue must not be empty. */
  front(): QueueEntry {
    return this.entries[this.head] as QueueEntry;
  }

  list(): readonly QueueEntry[] {
    if (this.head > 0) this.compact();
    return this.entries;
  }

  private compact(): void {
    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }

  /**
   * The smallest acknowledgement position among the entries that can still land (queued, in flight, or only in the
   * log), or `f` if none is smaller. An entry with no acknowledgement yet is skipped: its newest write is being
   * acknowledged in this very instant (the checker has given it its position, the entry takes the copy next), so its
   * position is at or after the checker's position now, which is where the engine's `f` starts.
   */
  lowestAck(f: number): number {
    const entries = this.entries;
    for (let i = this.head; i < entries.length; i++) {
      const a = (entries[i] as QueueEntry).ackSeq;
      if (a !== undefined && a < f) f = a;
    }
    const flying = this.flying;
    for (let i = 0; i < flying.length; i++) {
      const a = (flying[i] as QueueEntry).ackSeq;
      if (a !== undefined && a < f) f = a;
    }
    if (this.walEnabled) {
      for (const e of this.wal) {
        const a = e.ackSeq;
        if (a !== undefined && a < f) f = a;
      }
    }
    return f;
  }

  walEntries(): readonly QueueEntry[] {
    return [...this.wal];
  }

  /**
   * The key's entries still to be stored, oldest first: those out with a flush, then those queued. Empty when none
   * (the usual case: a key's miss looks here only with `writeBehind.loadFromQueue` on).
   */
  pendingFor(key: string): QueueEntry[] {
    const out: QueueEntry[] = [];
    for (const e of this.flying) if (e.key === key) out.push(e);
    const entries = this.entries;
    for (let i = this.head; i < entries.length; i++) if ((entries[i] as QueueEntry).key === key) out.push(entries[i] as QueueEntry);
    return out;
  }

  /** Would a write to the slot's key need a new entry (as opposed to folding into a pending one)? */
  needsSlot(slot: PendingSlot): boolean {
    return !(this.coalescing && slot.entry !== undefined);
  }

  /**
   * Queue a plain write (stamped `w`). Returns the entry that carries it: one already pending for the key when the
   * write folds into it (coalescing), a new one otherwise (so it folded exactly when the entry carries more than one
   * write).
   */
  enqueueSet(slot: PendingSlot, value: Json, w: WriteStamp, now: number): QueueEntry {
    const pending = this.coalescing ? slot.entry : undefined;
    if (pending) {
      pending.kind = 'set';
      pending.value = value;
      pending.delta = 0;
      addWrite(pending, w);
      return pending;
    }
    return this.push({ key: slot.key, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq: undefined, slot, kind: 'set', value, delta: 0, ops: 0, earlier: null, inFlight: false, retries: 0, notBefore: now + this.delayMs, enqueuedAt: now });
  }

  /**
   * Queue an increment (as `enqueueSet`). Folded into a pending plain write, it adds to that write's value: the
   * pending value is what the row will hold, where the cache's copy may be older (an entry evicted and loaded again
   * from the database).
   */
  enqueueIncr(slot: PendingSlot, delta: number, w: WriteStamp, now: number): QueueEntry {
    const pending = this.coalescing ? slot.entry : undefined;
    if (pending) {
      if (pending.kind === 'set') pending.value = incremented(pending.value, delta);
      else pending.delta += delta;
      pending.ops++;
      addWrite(pending, w);
      return pending;
    }
    return this.push({ key: slot.key, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq: undefined, slot, kind: 'incr', value: null, delta, ops: 1, earlier: null, inFlight: false, retries: 0, notBefore: now + this.delayMs, enqueuedAt: now });
  }

  private push(e: QueueEntry): QueueEntry {
    const entries = this.entries;
    entries[entries.length] = e;
    if (this.coalescing) e.slot.entry = e;
    if (this.walEnabled) this.wal.add(e);
    return e;
  }

  /**
   * Take up to `max` entries that are due, oldest first; they stay pending (in flight) until settled. `busy`: keys with
   * an entry out to the database in another batch (a writer storing an entry itself while a flush is out): held back,
   * so two writes to one key never race to the database.
   */
  takeBatch(max: number, now: number, busy?: ReadonlySet<string>): QueueEntry[] {
    const batch: QueueEntry[] = [];
    const entries = this.entries;
    // Nothing waits for a retry and none is held back: the batch is the front of the queue, every entry without a write
    // delay (it was queued at or before now), and with one the entries whose delay is over (-1: not the front alone).
    const end = this.retriedEntries !== 0 || busy !== undefined ? -1 : this.delayMs === 0 ? Math.min(entries.length, this.head + max) : this.dueFront(max, now);
    if (end >= 0) {
      for (let i = this.head; i < end; i++) this.take(entries[i] as QueueEntry, batch);
      this.head = end;
      if (this.head === entries.length) {
        this.entries = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > entries.length) this.compact();
      return batch;
    }
    // Strict order: an entry waiting for its retry holds back every other, wherever it stands (a failed entry folded
    // into a newer write of its key stands behind writes made after it).
    if (this.strictOrder && this.waitingForRetry(now)) return batch;
    const rest: QueueEntry[] = [];
    // A key whose older entry is not due yet (waiting for its retry or its delay) is held back entirely: a newer write
    // must not land before it. In strict order an entry not due yet holds back every entry after it as well.
    let held: Set<string> | undefined = busy === undefined ? undefined : new Set(busy);
    let stopped = false;
    for (const e of this.list()) {
      if (e.notBefore > now) {
        (held ??= new Set()).add(e.key);
        if (this.strictOrder) stopped = true;
      }
      if (!stopped && batch.length < max && e.notBefore <= now && !held?.has(e.key)) this.take(e, batch);
      else rest.push(e);
    }
    this.entries = rest;
    return batch;
  }

  /**
   * With a write delay and no retry waiting: where the run of entries due at `now` at the front of the queue ends (up
   * to `max` of them), or -1 when an entry further back is due too (then the front is not the whole batch). Entries
   * stand in the order they are due (one delay, from times that only grow; a replay keeps that order), so this looks
   * past the first entry not due only when the batch is not full by then, once per flush.
   */
  private dueFront(max: number, now: number): number {
    const entries = this.entries;
    const end = Math.min(entries.length, this.head + max);
    let i = this.head;
    while (i < end && (entries[i] as QueueEntry).notBefore <= now) i++;
    if (i === end || this.strictOrder) return i;
    for (let j = i + 1; j < entries.length; j++) if ((entries[j] as QueueEntry).notBefore <= now) return -1;
    return i;
  }

  /** Does an entry wait for its retry (not due at `now`)? (An entry only waiting out its write delay does not count.) */
  waitingForRetry(now: number): boolean {
    if (this.retriedEntries === 0) return false;
    for (const e of this.list()) if (e.retries > 0 && e.notBefore > now) return true;
    return false;
  }

  /** A graceful shutdown: every entry waiting out its write delay is due now (one waiting for a retry still waits). */
  ripen(now: number): void {
    if (this.delayMs === 0) return;
    for (const e of this.list()) if (e.retries === 0 && e.notBefore > now) e.notBefore = now;
  }

  /**
   * Take the oldest entry that is due (as `takeBatch(1, now, busy)` would), without rebuilding the queue when it is at
   * the front: a writer storing one entry itself calls this once per write while the queue is full.
   */
  takeOne(now: number, busy?: ReadonlySet<string>): QueueEntry | undefined {
    if (this.strictOrder && this.waitingForRetry(now)) return undefined;
    const entries = this.entries;
    let held: Set<string> | undefined;
    for (let i = this.head; i < entries.length; i++) {
      const e = entries[i] as QueueEntry;
      if (e.notBefore > now) {
        // Strict order: nothing after an entry that is not due yet goes before it.
        if (this.strictOrder) return undefined;
        (held ??= new Set()).add(e.key);
        continue;
      }
      if (held?.has(e.key) === true || busy?.has(e.key) === true) continue;
      const batch: QueueEntry[] = [];
      this.take(e, batch);
      if (i === this.head) this.head++;
      else entries.splice(i, 1);
      if (this.head === entries.length) {
        this.entries = [];
        this.head = 0;
      }
      return e;
    }
    return undefined;
  }

  private take(e: QueueEntry, batch: QueueEntry[]): void {
    batch[batch.length] = e;
    e.inFlight = true;
    const flying = this.flying;
    flying[flying.length] = e;
    if (e.slot.entry === e) e.slot.entry = undefined;
  }

  /** The database has the batch: drop it from the flight list and the log. */
  persisted(batch: readonly QueueEntry[]): void {
    this.land(batch);
    if (this.walEnabled) for (const e of batch) this.wal.delete(e);
  }

  /**
   * Put failed entries back at the front, in their order, so a later write to the same key is still applied after
   * them. With coalescing, one entry per key survives and it carries the newest value: a failed entry folds into a
   * write queued since the batch left, and two failed entries for one key fold into the later of them. They come back
   * whatever the queue's length: the max queue bounds new writes only (the writes here are already acknowledged).
   */
  requeue(failed: readonly QueueEntry[], retryAt: number): void {
    const front: QueueEntry[] = [];
    const frontByKey = new Map<string, number>();
    this.land(failed);
    for (const e of failed) {
      e.retries++;
      e.notBefore = retryAt;
      if (!this.coalescing) {
        front.push(e);
        continue;
      }
      const queuedSince = e.slot.entry;
      if (queuedSince) {
        this.fold(e, queuedSince);
        // The entry now carries writes that have failed: it waits for their retry and counts their attempts (else a
        // key written during every flight would be retried at once, forever, and never reach the dead-letter queue).
        if (queuedSince.retries === 0) this.retriedEntries++;
        queuedSince.retries = Math.max(queuedSince.retries, e.retries);
        queuedSince.notBefore = Math.max(queuedSince.notBefore, e.notBefore);
        continue;
      }
      const at = frontByKey.get(e.key);
      if (at !== undefined) {
        this.fold(front[at] as QueueEntry, e);
        front[at] = e;
      } else {
        frontByKey.set(e.key, front.length);
        front.push(e);
      }
    }
    if (this.coalescing) for (const e of front) e.slot.entry = e;
    this.entries = [...front, ...this.list()];
    this.retriedEntries += front.length;
  }

  /** These entries are no longer in flight (persisted, back in the queue, abandoned or dead-lettered). */
  private land(entries: readonly QueueEntry[]): void {
    let left = this.flying.length;
    for (const e of entries) {
      if (e.inFlight) left--;
      e.inFlight = false;
    }
    // The usual case, a whole batch settled: the list empties without a search.
    if (left === 0) this.flying.length = 0;
    else this.flying = this.flying.filter((e) => e.inFlight);
  }

  /** Fold an older pending entry into a newer one for the same key; the older one leaves the log. */
  private fold(older: QueueEntry, newer: QueueEntry): void {
    if (newer.kind === 'incr' && older.kind === 'incr') newer.delta += older.delta;
    else if (newer.kind === 'incr' && older.kind === 'set') {
      // The older plain write sets the base the newer increments were counted on.
      newer.kind = 'set';
      newer.value = incremented(older.value, newer.delta);
      newer.delta = 0;
    }
    newer.ops += older.ops;
    // The older entry's writes, its newest included, come before every write of the newer one.
    newer.earlier = [...(older.earlier ?? []), older.id, older.issueSeq, ...(newer.earlier ?? [])];
    this.wal.delete(older);
  }

  /**
   * The batch's node is gone: stop tracking it as in flight (a WAL copy, if any, stays for replay). `retryAt`: the
   * batch failed and its log copy is kept for a retry: the attempt counts, and the replay waits until then.
   */
  abandon(batch: readonly QueueEntry[], retryAt?: number): void {
    this.land(batch);
    if (retryAt === undefined) return;
    for (const e of batch) {
      e.retries++;
      e.notBefore = retryAt;
    }
  }

  deadLetter(e: QueueEntry): void {
    this.land([e]);
    this.deadLetters.push(e);
    this.wal.delete(e);
  }

  /** A crash: memory is gone. Returns what was lost (everything not in the WAL). */
  crash(): QueueEntry[] {
    const queued = this.list();
    const lost = this.walEnabled ? [] : [...queued];
    for (const e of queued) if (e.slot.entry === e) e.slot.entry = undefined;
    this.entries = [];
    this.head = 0;
    return lost;
  }

  /** A restart replays the WAL into the queue. Returns the replayed entries. */
  replay(now: number): QueueEntry[] {
    const replayed = [...this.wal].filter((e) => !e.inFlight);
    for (const e of replayed) {
      // An entry whose failed attempt was counted while the node was down still waits out its retry delay.
      e.notBefore = Math.max(e.notBefore, now);
      if (e.retries > 0) this.retriedEntries++;
      this.entries.push(e);
      if (this.coalescing) e.slot.entry = e;
    }
    return replayed;
  }
}

/** A new write joins a pending entry: it becomes the entry's newest (its stamp), after every write already there. */
function addWrite(e: QueueEntry, w: WriteStamp): void {
  const earlier = (e.earlier ??= []);
  // By index: V8 left `push` here a builtin call (see docs/performance-log.md, instruction profile).
  earlier[earlier.length] = e.id;
  earlier[earlier.length] = e.issueSeq;
  copyStamp(e, w);
}

/** How many writes the entry carries. */
export function entryWrites(e: QueueEntry): number {
  return (e.earlier === null ? 0 : e.earlier.length / 2) + 1;
}

/** The ids of the writes the entry carries, oldest first (a new array). */
export function entryWriteIds(e: QueueEntry): number[] {
  return writesColumn(e, 0, e.id);
}

/** The issue positions of the writes the entry carries, oldest first (a new array). */
export function entryIssues(e: QueueEntry): number[] {
  return writesColumn(e, 1, e.issueSeq);
}

/** One column of the entry's writes (0: ids, 1: issue positions), ending with the newest's `last`. */
function writesColumn(e: QueueEntry, column: 0 | 1, last: number): number[] {
  const out: number[] = [];
  const earlier = e.earlier;
  if (earlier !== null) for (let i = column; i < earlier.length; i += 2) out.push(earlier[i] as number);
  out.push(last);
  return out;
}
