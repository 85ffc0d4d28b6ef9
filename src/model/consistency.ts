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
import type { WriteRecord } from './types';

export interface ReadToken {
  key: string;
  /** Largest issue position among writes to the key acknowledged before the read began (-1 if none). */
  newestAckedIssue: number;
}

export interface DbView {
  /** Record behind the key's current row, or undefined if absent; `incrOps` as in the Row. */
  row(key: string): { rec: WriteRecord; incrOps: number } | undefined;
}

interface KeyHistory {
  newestAckedIssue: number;
  /** Issue positions of the acknowledged plain writes (numbers, not records, so records can be freed). */
  acked: number[];
  /** Acknowledged increments (counted, not listed: counters are judged by how many were applied). */
  ackedIncrs: number;
  hasSet: boolean;
}

export class ConsistencyChecker {
  private pos = 0;
  private keys = new Map<string, KeyHistory>();
  staleReads = 0;

  private hist(key: string): KeyHistory {
    let h = this.keys.get(key);
    if (!h) {
      h = { newestAckedIssue: -1, acked: [], ackedIncrs: 0, hasSet: false };
      this.keys.set(key, h);
    }
    return h;
  }

  writeIssued(rec: WriteRecord): void {
    rec.issueSeq = ++this.pos;
  }

  writeAcked(rec: WriteRecord, time: number): void {
    rec.ackSeq = ++this.pos;
    rec.ackTime = time;
    const h = this.hist(rec.key);
    if (rec.issueSeq > h.newestAckedIssue) h.newestAckedIssue = rec.issueSeq;
    if (rec.delta === undefined) {
      h.hasSet = true;
      h.acked.push(rec.issueSeq);
    } else {
      h.ackedIncrs++;
    }
  }

  readStarted(key: string): ReadToken {
    ++this.pos;
    return { key, newestAckedIssue: this.keys.get(key)?.newestAckedIssue ?? -1 };
  }

  /** Judge a finished read; `returned` is the record of the value it returned, or undefined for "missing". */
  readFinished(token: ReadToken, returned: WriteRecord | undefined): boolean {
    ++this.pos;
    const stale = isStale(token, returned);
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
        for (const issueSeq of h.acked) if (!pending.has(issueSeq) && holdsOlder(row?.rec, issueSeq)) lost++;
      } else if (h.ackedIncrs > 0) {
        const accounted = (row?.incrOps ?? 0) + pending.incrOps(key);
        if (h.ackedIncrs > accounted) lost += h.ackedIncrs - accounted;
      }
    }
    return lost;
  }
}

/** What could still reach the database: a write (by its issue position), or a number of counter increments per key. */
export interface Pending {
  has(issueSeq: number): boolean;
  incrOps(key: string): number;
}

export const NOTHING_PENDING: Pending = { has: () => false, incrOps: () => 0 };

export function isStale(token: ReadToken, returned: WriteRecord | undefined): boolean {
  if (returned === undefined) return token.newestAckedIssue >= 0;
  // A value from a write that was never acknowledged (in flight, or rolled back) is not older than anything acked.
  if (returned.ackSeq === undefined) return false;
  return token.newestAckedIssue > returned.ackSeq;
}

/** True when the database's record is older than the write issued at `issueSeq`: absent, or acknowledged before it. */
export function holdsOlder(dbRec: WriteRecord | undefined, issueSeq: number): boolean {
  if (dbRec === undefined) return true;
  if (dbRec.issueSeq === issueSeq) return false;
  return dbRec.ackSeq !== undefined && dbRec.ackSeq < issueSeq;
}
