// Write records: the identity of each client write. The cache, the queue and the database copy its stamp, so the
// consistency checker can tell which write produced a value without looking inside any strategy.
import type { WriteRecord } from './types';

/** A write record whose fields its holder may reset (see `RecordFactory.reissue`). */
export type ReusableRecord = { -readonly [K in keyof WriteRecord]: WriteRecord[K] };

/** A blank reusable record. */
export function blankRecord(): ReusableRecord {
  return { id: 0, key: '', issueSeq: 0, ackSeq: undefined, commitSeq: undefined, ackTime: undefined, delta: undefined, line: null };
}

export class RecordFactory {
  private nextId = 1;

  create(key: string, delta: number | undefined, line: number | null): WriteRecord {
    return { id: this.nextId++, key, issueSeq: 0, ackSeq: undefined, commitSeq: undefined, ackTime: undefined, delta, line };
  }

  /**
   * `create` into an object the caller reuses write after write (an operation's own record), allocating nothing:
   * only for a write whose record nobody keeps past its operation (stores and the checker copy its stamp).
   */
  reissue(into: ReusableRecord, key: string, delta: number | undefined, line: number | null): WriteRecord {
    into.id = this.nextId++;
    into.key = key;
    into.issueSeq = 0;
    into.ackSeq = undefined;
    into.commitSeq = undefined;
    into.ackTime = undefined;
    into.delta = delta;
    into.line = line;
    return into;
  }

  /** A row that exists before the run: issued and acknowledged at the very start of the history. */
  preloaded(key: string): WriteRecord {
    return { id: this.nextId++, key, issueSeq: 0, ackSeq: 0, commitSeq: undefined, ackTime: 0, delta: undefined, line: null };
  }
}
