// The consistency checker: an oracle over the history of issues, acknowledgements and read results. It never looks
// inside a strategy: it sees which write produced each returned value and what the database holds.
//
// Order: every history event gets a position in one total order (virtual time, then event sequence).
// Newer: write W is newer than write R (same key) when W was issued after R was acknowledged, or when the two
//   overlapped in time (neither was acknowledged before the other was issued) and the database committed W after R:
//   once the database has put overlapping writes in an order, that order stands.
// Stale read: the read returned the value of write R, and a newer write was acknowledged before the read began: one
//   issued after R was acknowledged, or the write the key's row held when the read began (acknowledged by then),
//   overlapping R and committed after it. A read of a missing key is stale when any write to it was acknowledged
//   before the read began.
// Lost write: W was acknowledged, and the database holds (at the end of the run, or now for the live count) a value
//   written by a write that was acknowledged before W was issued, or nothing. A write still pending somewhere (queue,
//   log, a batch in flight) is not yet lost. For keys only ever incremented, a count is lost when the database has
//   applied fewer increments than were acknowledged; on a key that also takes plain writes, an increment is judged
//   as a plain write is (the row holds a write acknowledged before it was issued, or nothing).
import type { WriteRecord, WriteStamp } from './types';

export interface ReadToken extends CommitToken {
  key: string;
  /** Largest issue position among writes to the key acknowledged before the read began (-1 if none). */
  newestAckedIssue: number;
}

/**
 * What a read remembers of the key's row when it began, if the row's write was acknowledged by then: its commit
 * number (-1: none to remember), issue and acknowledgement positions.
 */
export interface CommitToken {
  commitSeq: number;
  commitIssue: number;
  commitAck: number;
}

export interface DbView {
  /** The stamp of the write behind the key's current row, or undefined if absent; `incrOps` as in the Row. */
  row(key: string): (Pick<WriteStamp, 'issueSeq' | 'ackSeq'> & { incrOps: number }) | undefined;
}

/** One key's history as the checker keeps it; the engine holds it so a hop needs no lookup by key. */
export interface KeyHistory {
  readonly key: string;
  newestAckedIssue: number;
  /** Acknowledged increments (counted, not listed: counters are judged by how many were applied). */
  ackedIncrs: number;
  /**
   * A plain write to the key was acknowledged, or committed though its writer heard of a failure (a lost reply): then
   * its increments too are judged from the checker's log, as the row no longer counts them all.
   */
  hasSet: boolean;
  /**
   * The write the key's row holds (the database's newest commit for the key): its commit number (-1: no row yet),
   * issue position, and acknowledgement position once it is acknowledged. A copy, although the engine's key state
   * also holds the row: a read's start then touches only this object (reading the row there counted +8.6%
   * instructions for write-through).
   */
  commitSeq: number;
  commitIssue: number;
  commitAck: number | undefined;
  /**
   * Reads that returned a write of this key before it was acknowledged (write-through's window between the cache
   * update and the commit): that write's issue position (-1: none) and how many reads. Settled when it is
   * acknowledged; if it fails instead, each such read saw a value that was never kept (`dirtyReads`). One write at a
   * time is enough: the strategies that show a write before its acknowledgement hold the row lock meanwhile.
   */
  glimpsedIssue: number;
  glimpses: number;
}

export class ConsistencyChecker {
  private pos = 0;
  private keys = new Map<string, KeyHistory>();
  staleReads = 0;
  /** Reads that returned a write which then failed: a value no store kept and its writer never had acknowledged. */
  dirtyReads = 0;
  /**
   * Set by the engine (tests turn it off to compare): forget the acknowledged writes no future can lose (bounded
   * memory). A write can never be lost once it is at or below its key's floor: the lowest acknowledgement position the
   * key's row can hold from now on. The row's own write gives it, from the commits the checker has seen (see
   * `rowFloor`); writes still pending to land can lower it, which only write-behind has: see `pendingBound`.
   */
  pruning = false;
  /**
   * Set by the engine when writes can land after their acknowledgement (write-behind): a lower bound on the
   * acknowledgement position of anything still pending (queued, logged or in flight). No key's floor is above it,
   * and a logged write issued after it is kept without looking at its key (most of write-behind's log is the writes
   * of the current flush interval, which no flush has landed yet).
   */
  pendingBound: (() => number) | undefined;
  /** Smallest log worth compacting (tests set 1 to compact at every acknowledgement). */
  minPrune = 16;
  /**
   * The acknowledged writes (plain writes and increments) that could still be judged lost, every key's in one log
   * (appended in order of acknowledgement): the key's history and the write's issue position (numbers, not records,
   * so records can be freed). Writes that can no longer be lost are dropped when the log is compacted (see `floor`), so it stays
   * bounded by what is acknowledged between two flushes, not by the length of the run. One log rather than a list
   * per key: appending then touches no per-key list, which cost write-behind 9% of its instructions.
   */
  private readonly logH: KeyHistory[] = [];
  private readonly logSeq: number[] = [];
  private logLen = 0;
  /** Compact the log when it reaches this length (twice what the last compaction kept). */
  private compactAt = 0;

  /** Positions handed out so far (the last event's place in the history's order). */
  get position(): number {
    return this.pos;
  }

  /** The key's history, created on first use. */
  history(key: string): KeyHistory {
    return this.keys.get(key) ?? this.adopt(newHistory(key));
  }

  /**
   * Keep `h` as the key's history: a caller may keep the history inside its own per-key object (the engine does, so
   * one object per key carries everything an operation touches). The key must not have a history yet.
   */
  adopt<H extends KeyHistory>(h: H): H {
    if (this.keys.has(h.key)) throw new Error(`the checker already has a history for ${h.key}`);
    this.keys.set(h.key, h);
    return h;
  }

  writeIssued(rec: WriteRecord): void {
    rec.issueSeq = ++this.pos;
  }

  writeAcked(rec: WriteRecord, time: number): void {
    this.writeAckedIn(this.history(rec.key), rec, time);
  }

  /**
   * `writeAcked` for a history the caller already holds. `settled`: the database row holds this very write and
   * nothing older can still land on it (no write-behind), so no write of the key acknowledged so far can ever be
   * lost: this one is not logged, and the key's older entries go at the next compaction (its floor is at least this
   * write's acknowledgement, which comes after every logged one).
   */
  writeAckedIn(h: KeyHistory, rec: WriteRecord, time: number, settled = false): void {
    rec.ackSeq = ++this.pos;
    rec.ackTime = time;
    if (rec.issueSeq > h.newestAckedIssue) h.newestAckedIssue = rec.issueSeq;
    // Reads that saw this write early saw a value that is kept after all.
    if (h.glimpses !== 0 && h.glimpsedIssue === rec.issueSeq) h.glimpses = 0;
    // Committed before its acknowledgement (write-through, write-around, cache-aside): the row's write is acknowledged now.
    if (rec.issueSeq === h.commitIssue) h.commitAck = rec.ackSeq;
    if (rec.delta === undefined) h.hasSet = true;
    else h.ackedIncrs++;
    // Increments are logged too: a key that also takes plain writes judges them as it judges those (see `lostWrites`).
    if (settled && this.pruning) return;
    const n = this.logLen;
    // By index: V8 left `push` a builtin call (see docs/performance-log.md).
    this.logH[n] = h;
    this.logSeq[n] = rec.issueSeq;
    this.logLen = n + 1;
    if (n + 1 >= this.compactAt && n + 1 >= this.minPrune) this.compact();
  }

  /**
   * Drop the logged writes whose issue position is at or below their key's floor: they can never be lost (a floor
   * of -1, a row that may end up absent, keeps them all). The floor is the smaller of the row's (`rowFloor`) and the
   * pending bound, so a write at or below the bound is kept exactly when it is above the row's. The log keeps its
   * storage, to be filled again.
   */
  private compact(): void {
    let kept = this.logLen;
    if (this.pruning) {
      const hs = this.logH;
      const seqs = this.logSeq;
      const bound = this.pendingBound === undefined ? Number.POSITIVE_INFINITY : this.pendingBound();
      kept = 0;
      for (let i = 0; i < this.logLen; i++) {
        const seq = seqs[i] as number;
        if (seq > bound || seq > rowFloor(hs[i] as KeyHistory)) {
          // Until the first drop, every write kept is already where it belongs: no store.
          if (kept !== i) {
            hs[kept] = hs[i] as KeyHistory;
            seqs[kept] = seq;
          }
          kept++;
        }
      }
      this.logLen = kept;
    }
    this.compactAt = Math.max(this.minPrune, 2 * kept);
  }

  /**
   * The database committed `w` into the key's row (a load included): from now on it is the row's write. Its stamp
   * carries its commit number; it may be acknowledged already (write-behind) or in this same instant, just after.
   */
  writeCommittedIn(h: KeyHistory, w: WriteStamp): void {
    h.commitSeq = w.commitSeq ?? -1;
    h.commitIssue = w.issueSeq;
    h.commitAck = w.ackSeq;
  }

  readStarted(key: string): ReadToken {
    const token: ReadToken = { key, newestAckedIssue: -1, commitSeq: -1, commitIssue: 0, commitAck: 0 };
    token.newestAckedIssue = this.readStartedIn(this.keys.get(key), token);
    return token;
  }

  /**
   * `readStarted` for a history the caller holds: returns the token's `newestAckedIssue`, and notes what the read
   * must remember of the key's row in `row` (the caller's own object, reused).
   */
  readStartedIn(h: KeyHistory | undefined, row: CommitToken): number {
    ++this.pos;
    if (h === undefined) {
      row.commitSeq = -1;
      return -1;
    }
    const ack = h.commitAck;
    if (ack === undefined) row.commitSeq = -1;
    else {
      row.commitSeq = h.commitSeq;
      row.commitIssue = h.commitIssue;
      row.commitAck = ack;
    }
    return h.newestAckedIssue;
  }

  /** Judge a finished read; `returned` is the stamp of the value it returned, or undefined for "missing". */
  readFinished(token: ReadToken, returned: Returned | undefined): boolean {
    return this.readFinishedAt(token.newestAckedIssue, returned, token);
  }

  /** `readFinished` with the token's parts: its `newestAckedIssue` and what it remembered of the row. */
  readFinishedAt(newestAckedIssue: number, returned: Returned | undefined, row: CommitToken): boolean {
    ++this.pos;
    const stale = isStale(newestAckedIssue, returned) || overtaken(row, returned);
    if (stale) this.staleReads++;
    return stale;
  }

  /** A read returned the key's write issued at `issueSeq` before that write was acknowledged. */
  readReturnedUnacked(h: KeyHistory, issueSeq: number): void {
    if (h.glimpsedIssue !== issueSeq) {
      h.glimpsedIssue = issueSeq;
      h.glimpses = 0;
    }
    h.glimpses++;
  }

  /**
   * The key's write issued at `issueSeq` failed (its writer got an error): reads that returned it before are dirty
   * reads. Returns how many.
   */
  writeFailedIn(h: KeyHistory, issueSeq: number): number {
    if (h.glimpses === 0 || h.glimpsedIssue !== issueSeq) return 0;
    const n = h.glimpses;
    h.glimpses = 0;
    this.dirtyReads += n;
    return n;
  }

  /**
   * The key's write issued at `issueSeq` failed as far as its writer knows, but the database committed it (its reply
   * was lost): reads that returned it early saw a value that is kept, so they are not dirty. A plain write (`plain`)
   * now in the row replaced the key's count, so the key is no longer judged as a counter.
   */
  writeKeptIn(h: KeyHistory, issueSeq: number, plain: boolean): void {
    if (h.glimpsedIssue === issueSeq) h.glimpses = 0;
    if (plain) h.hasSet = true;
  }

  /**
   * Acknowledged writes the database does not hold and nothing can still write. Pass NOTHING_PENDING at the end of
   * a run; during a run, `pending` names what is still queued, logged or in flight.
   */
  lostWrites(db: DbView, pending: Pending): number {
    let lost = 0;
    for (let i = 0; i < this.logLen; i++) {
      const h = this.logH[i] as KeyHistory;
      const issueSeq = this.logSeq[i] as number;
      // A key only ever incremented is judged by its count, below.
      if (h.hasSet && !pending.has(issueSeq) && holdsOlder(db.row(h.key), issueSeq)) lost++;
    }
    for (const [key, h] of this.keys) {
      if (!h.hasSet && h.ackedIncrs > 0) {
        const row = db.row(key);
        const accounted = (row?.incrOps ?? 0) + pending.incrOps(key);
        if (h.ackedIncrs > accounted) lost += h.ackedIncrs - accounted;
      }
    }
    return lost;
  }

  /** Acknowledged plain writes still listed (for tests of the memory bound). */
  get listedWrites(): number {
    return this.logLen;
  }
}

/** What could still reach the database: a write (by its issue position), or a number of counter increments per key. */
export interface Pending {
  has(issueSeq: number): boolean;
  incrOps(key: string): number;
}

/**
 * The lowest acknowledgement position the key's row can hold from now on, as far as its own write goes: that write's
 * (the row holds it until a newer commit; a write not yet acknowledged is acknowledged after everything logged), or -1
 * when the key has no row yet (it may end up absent).
 */
function rowFloor(h: KeyHistory): number {
  if (h.commitSeq < 0) return -1;
  return h.commitAck ?? Number.POSITIVE_INFINITY;
}

/** A fresh history (nothing acknowledged yet). */
function newHistory(key: string): KeyHistory {
  return { key, newestAckedIssue: -1, ackedIncrs: 0, hasSet: false, commitSeq: -1, commitIssue: 0, commitAck: undefined, glimpsedIssue: -1, glimpses: 0 };
}

/** What the checker reads of a returned value's stamp. */
export type Returned = Pick<WriteStamp, 'issueSeq' | 'ackSeq' | 'commitSeq'>;

export const NOTHING_PENDING: Pending = { has: () => false, incrOps: () => 0 };

/**
 * Stale by the database's order: the row held, when the read began, an acknowledged write committed after the
 * returned one, which overlapped it (issued before it was acknowledged, and acknowledged after it was issued).
 */
function overtaken(row: CommitToken, returned: Returned | undefined): boolean {
  if (returned === undefined || row.commitSeq < 0) return false;
  const { commitSeq, ackSeq } = returned;
  return commitSeq !== undefined && ackSeq !== undefined && row.commitSeq > commitSeq && row.commitIssue < ackSeq && returned.issueSeq < row.commitAck;
}

/** Stale: a write issued after `returned` was acknowledged was itself acknowledged before the read began. */
function isStale(newestAckedIssue: number, returned: Pick<WriteStamp, 'ackSeq'> | undefined): boolean {
  if (returned === undefined) return newestAckedIssue >= 0;
  // A value from a write that was never acknowledged (in flight, or rolled back) is not older than anything acked.
  if (returned.ackSeq === undefined) return false;
  return newestAckedIssue > returned.ackSeq;
}

/** True when the database's write is older than the write issued at `issueSeq`: absent, or acknowledged before it. */
export function holdsOlder(dbRec: Pick<WriteStamp, 'issueSeq' | 'ackSeq'> | undefined, issueSeq: number): boolean {
  if (dbRec === undefined) return true;
  if (dbRec.issueSeq === issueSeq) return false;
  return dbRec.ackSeq !== undefined && dbRec.ackSeq < issueSeq;
}
