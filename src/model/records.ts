// Write records: the identity of each client write, shared by the cache, the queue and the database so that
// the consistency checker can tell which write produced a value without looking inside any strategy.
import type { WriteRecord } from './types';

export class RecordFactory {
  private nextId = 1;

  create(key: string, delta: number | undefined, line: number | null): WriteRecord {
    return { id: this.nextId++, key, issueSeq: 0, ackSeq: undefined, ackTime: undefined, delta, line };
  }

  /** A row that exists before the run: issued and acknowledged at the very start of the history. */
  preloaded(key: string): WriteRecord {
    return { id: this.nextId++, key, issueSeq: 0, ackSeq: 0, ackTime: 0, delta: undefined, line: null };
  }
}
