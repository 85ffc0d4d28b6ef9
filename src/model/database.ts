// The database: rows with versions, all-or-nothing transactions, and faults (down for a while, fail the next N
// row writes, commit the next N and lose their replies, or refuse every write of a key: a poison row). Latency is charged by the engine's hops; this class only decides outcomes and applies them.
import { copyStamp, incremented } from './types';
import type { Json, WriteStamp } from './types';

/** A row; its stamp (id, issueSeq, ackSeq) is that of the write whose value it holds (a preloaded row has its own). */
export interface Row extends WriteStamp {
  value: Json;
  /** Bumped on every applied write, like a row version column. */
  rowVersion: number;
  /** Counter increments applied since the row was last set (each coalesced delta carries its count). */
  incrOps: number;
}

export class Database {
  private rows = new Map<string, Row>();
  private downUntil = -1;
  private failNext = 0;
  /** Write transactions still to commit whose replies are lost (the writer hears nothing and takes them for failed). */
  private loseNext = 0;
  /** Keys whose row every write transaction fails on (a poison row, `fail db key K`), until `recover`; null: none. */
  private refused: Set<string> | null = null;
  writesApplied = 0;
  /** Commits so far: each row write (a load included) takes the next number as its `commitSeq`. */
  private commits = 0;

  constructor(private readonly clock: { now(): number }) {}

  isDown(): boolean {
    // Up for good unless a fault was injected (no clock call on the common path).
    return this.downUntil >= 0 && this.clock.now() < this.downUntil;
  }

  get downUntilMs(): number {
    return this.downUntil;
  }

  get failingWrites(): number {
    return this.failNext;
  }

  goDown(forMs: number): void {
    this.downUntil = Math.max(this.downUntil, this.clock.now() + forMs);
  }

  failNextWrites(n: number): void {
    this.failNext += n;
  }

  get losingReplies(): number {
    return this.loseNext;
  }

  loseNextReplies(n: number): void {
    this.loseNext += n;
  }

  /**
   * A write transaction has just committed: is its reply lost on the way back (an injected fault, which this
   * consumes)? The commit stands either way; only its writer does not hear of it.
   */
  replyLost(): boolean {
    if (this.loseNext === 0) return false;
    this.loseNext--;
    return true;
  }

  /** Keys the database refuses to write (sorted), for snapshots. */
  get refusedKeys(): string[] {
    return this.refused === null ? [] : [...this.refused].sort();
  }

  /** From now until `recover`, every write transaction that writes `key` fails and rolls back (a poison row). */
  refuseKey(key: string): void {
    (this.refused ??= new Set()).add(key);
  }

  /** A fault is in force or still to fire: down, failing or losing the next writes, or refusing a key. */
  hasFault(): boolean {
    return this.isDown() || this.failNext > 0 || this.loseNext > 0 || this.refused !== null;
  }

  /** The row `key` is fixed: its writes commit again (every other fault stays). Returns whether it was refused. */
  recoverKey(key: string): boolean {
    if (this.refused === null || !this.refused.delete(key)) return false;
    if (this.refused.size === 0) this.refused = null;
    return true;
  }

  recover(): void {
    this.refused = null;
    this.downUntil = -1;
    this.failNext = 0;
    this.loseNext = 0;
  }

  load(key: string, value: Json, w: WriteStamp): void {
    const row = this.rows.get(key);
    // In place, like every write: a caller holding the row object keeps seeing the current row.
    const commitSeq = ++this.commits;
    if (row) Object.assign(row, { value, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq, rowVersion: 1, incrOps: 0 });
    else this.rows.set(key, { value, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq, rowVersion: 1, incrOps: 0 });
  }

  peek(key: string): Row | undefined {
    return this.rows.get(key);
  }

  keys(): string[] {
    return [...this.rows.keys()].sort();
  }

  /**
   * Start a write transaction of the rows of `keys` (one key, or a batch's entries): the error it fails with (the
   * database is down, it refuses one of the rows, or an injected fault, which it consumes), or undefined when its
   * writes may be applied. A transaction fails here or not at all, so its writes (`setRow`, `incrRow`) all land or
   * none does. A refused row fails the transaction before a `fail db next N writes` fault counts it.
   */
  beginWrite(keys: string | readonly { readonly key: string }[]): string | undefined {
    if (this.isDown()) return 'database is down';
    const refused = this.refused;
    if (refused !== null) {
      const bad = typeof keys === 'string' ? (refused.has(keys) ? keys : undefined) : keys.find((e) => refused.has(e.key))?.key;
      if (bad !== undefined) return `database refused the row ${bad} (a poison row, fail db key); transaction rolled back`;
    }
    if (this.failNext > 0) {
      this.failNext--;
      return 'database rejected the write (injected fault); transaction rolled back';
    }
    return undefined;
  }

  /**
   * Set a row (inside a transaction begun with `beginWrite`). Returns the new value. `known` is the key's row if
   * the caller holds it (saves the lookup).
   */
  setRow(key: string, value: Json, w: WriteStamp, known?: Row): Json {
    this.writesApplied++;
    const row = known ?? this.rows.get(key);
    if (row) {
      row.value = value;
      copyStamp(row, w);
      row.commitSeq = ++this.commits;
      row.rowVersion++;
      row.incrOps = 0;
    } else this.rows.set(key, { value, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq: ++this.commits, rowVersion: 1, incrOps: 0 });
    return value;
  }

  /** Add `delta` (carrying `ops` client increments) to a row, 0 if absent or not a number. Returns the new value. */
  incrRow(key: string, delta: number, ops: number, w: WriteStamp, known?: Row): Json {
    this.writesApplied++;
    const row = known ?? this.rows.get(key);
    const value = incremented(row?.value, delta);
    if (row) {
      row.value = value;
      copyStamp(row, w);
      row.commitSeq = ++this.commits;
      row.rowVersion++;
      row.incrOps += ops;
    } else this.rows.set(key, { value, id: w.id, issueSeq: w.issueSeq, ackSeq: w.ackSeq, commitSeq: ++this.commits, rowVersion: 1, incrOps: ops });
    return value;
  }
}
