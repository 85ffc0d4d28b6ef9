// The consistency checker: an oracle over the history of issues, acknowledgements and read results. It never looks
// inside a strategy: it sees which write produced each returned value and what the database holds.
//
// Order: every history event gets a position in one total order (virtual time, then event sequence).
// Stale read: the read returned the value of write R, and some write W to the same key was acknowledged before the
//   read began and issued after R was acknowledged (so W is certainly newer than R). A read of a missing key is stale
//   when any write to it was acknowledged before the read began.
// Lost write: W was acknowledged, and the database holds (at the end of the run, or now for the live count) a value
//   written by a write that was acknowledged before W was issued, or nothing. A write still pending somewhere (queue,
//   log, a batch in flight) is not yet lost. For keys only ever incremented, a count is lost when the database has
//   applied fewer increments than were acknowledged.
import type { WriteRecord, WriteStamp } from './types';

export interface ReadToken {
  key: string;
  /** Largest issue position among writes to the key acknowledged before the read began (-1 if none). */
  newestAckedIssue: number;
}

export interface DbView {
  /** The stamp of the write behind the key's current row, or undefined if absent; `incrOps` as in the Row. */
  row(key: string): (Pick<WriteStamp, 'issueSeq' | 'ackSeq'> & { incrOps: number }) | undefined;
}

/** One key's history as the checker keeps it; the engine holds it so a hop needs no lookup by key. */
export interface KeyHistory {
  readonly key: string;
  newestAckedIssue: number;
  /**
   * Issue positions of the acknowledged plain writes that could still be judged lost (numbers, not records, so
   * records can be freed). Writes that can no longer be lost are pruned (see `floor`), so this stays bounded by
   * what is acknowledged between two flushes, not by the length of the run.
   */
  acked: number[] | null;
  /** Acknowledged increments (counted, not listed: counters are judged by how many were applied). */
  ackedIncrs: number;
  hasSet: boolean;
  /** Prune `acked` when it reaches this length. */
  pruneAt: number;
}

/**
 * The lowest acknowledgement position the key's database row can ever hold from now on: the row's current write
 * and every write still pending to land on it (queued, logged or in flight). Writes not yet acknowledged land
 * later with larger positions, so they never lower it. -1 when the row may end up absent (or nothing is known).
 */
export type Floor = (key: string) => number;

export class ConsistencyChecker {
  private pos = 0;
  private keys = new Map<string, KeyHistory>();
  staleReads = 0;
  /** Set by the engine: lets the checker forget acknowledged writes no future can lose (bounded memory). */
  floor: Floor | undefined;
  /** Smallest list length worth pruning (tests set 1 to prune at every acknowledgement). */
  minPrune = 16;

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
    h.pruneAt = this.minPrune;
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
   * nothing older can still land on it (no write-behind), so no write acknowledged so far can ever be lost: the
   * list is emptied instead of grown.
   */
  writeAckedIn(h: KeyHistory, rec: WriteRecord, time: number, settled = false): void {
    rec.ackSeq = ++this.pos;
    rec.ackTime = time;
    if (rec.issueSeq > h.newestAckedIssue) h.newestAckedIssue = rec.issueSeq;
    if (rec.delta === undefined) {
      h.hasSet = true;
      if (settled && this.floor !== undefined) {
        if (h.acked !== null) h.acked.length = 0;
        return;
      }
      const a = (h.acked ??= []);
      a[a.length] = rec.issueSeq; // by index: V8 left `push` here a builtin call (see the README's profile)
      if (a.length >= h.pruneAt) this.prune(h, a);
    } else {
      h.ackedIncrs++;
    }
  }

  /** Drop the acknowledged writes whose issue position is at or below the key's floor: they can never be lost. */
  private prune(h: KeyHistory, a: number[]): void {
    if (this.floor !== undefined) {
      const floor = this.floor(h.key);
      if (floor >= 0) {
        let kept = 0;
        for (let i = 0; i < a.length; i++) {
          const seq = a[i] as number;
          if (seq > floor) a[kept++] = seq;
        }
        a.length = kept;
      }
    }
    h.pruneAt = Math.max(this.minPrune, 2 * a.length);
  }

  readStarted(key: string): ReadToken {
    return { key, newestAckedIssue: this.readStartedIn(this.keys.get(key)) };
  }

  /** `readStarted` for a history the caller holds: returns the token's `newestAckedIssue`. */
  readStartedIn(h: KeyHistory | undefined): number {
    ++this.pos;
    return h === undefined ? -1 : h.newestAckedIssue;
  }

  /** Judge a finished read; `returned` is the stamp of the value it returned, or undefined for "missing". */
  readFinished(token: ReadToken, returned: Pick<WriteStamp, 'ackSeq'> | undefined): boolean {
    return this.readFinishedAt(token.newestAckedIssue, returned);
  }

  /** `readFinished` with the token's `newestAckedIssue`. */
  readFinishedAt(newestAckedIssue: number, returned: Pick<WriteStamp, 'ackSeq'> | undefined): boolean {
    ++this.pos;
    const stale = isStale(newestAckedIssue, returned);
    if (stale) this.staleReads++;
    return stale;
  }

  /**
   * Acknowledged writes the database does not hold and nothing can still write. Pass NOTHING_PENDING at the end of
   * a run; during a run, `pending` names what is still queued, logged or in flight.
   */
  lostWrites(db: DbView, pending: Pending): number {
    let lost = 0;
    for (const [key, h] of this.keys) {
      const row = db.row(key);
      if (h.hasSet) {
        for (const issueSeq of h.acked ?? []) if (!pending.has(issueSeq) && holdsOlder(row, issueSeq)) lost++;
      } else if (h.ackedIncrs > 0) {
        const accounted = (row?.incrOps ?? 0) + pending.incrOps(key);
        if (h.ackedIncrs > accounted) lost += h.ackedIncrs - accounted;
      }
    }
    return lost;
  }

  /** Acknowledged plain writes still listed (for tests of the memory bound). */
  get listedWrites(): number {
    let n = 0;
    for (const h of this.keys.values()) n += h.acked?.length ?? 0;
    return n;
  }
}

/** What could still reach the database: a write (by its issue position), or a number of counter increments per key. */
export interface Pending {
  has(issueSeq: number): boolean;
  incrOps(key: string): number;
}

/** A fresh history (nothing acknowledged yet). */
function newHistory(key: string): KeyHistory {
  return { key, newestAckedIssue: -1, acked: null, ackedIncrs: 0, hasSet: false, pruneAt: 0 };
}

export const NOTHING_PENDING: Pending = { has: () => false, incrOps: () => 0 };

/** Stale: a write newer than `returned` (by acknowledgement) was acknowledged before the read began. */
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
