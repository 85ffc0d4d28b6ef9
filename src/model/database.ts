// The database: rows with versions, all-or-nothing transactions, and faults (down for a while, fail the next N
// row writes). Latency is charged by the engine's hops; this class only decides outcomes and applies them.
import type { Json, WriteRecord } from './types';

export interface Row {
  value: Json;
  /** The write whose value this is (a preloaded row has its own record). */
  rec: WriteRecord;
  /** Bumped on every applied write, like a row version column. */
  rowVersion: number;
  /** Counter increments applied since the row was last set (each coalesced delta carries its count). */
  incrOps: number;
}

export type RowWrite =
  | { kind: 'set'; key: string; value: Json; rec: WriteRecord }
  | { kind: 'incr'; key: string; delta: number; ops: number; rec: WriteRecord };

export type TxResult = { ok: true; values: Json[] } | { ok: false; error: string };

export class Database {
  private rows = new Map<string, Row>();
  private downUntil = -1;
  private failNext = 0;
  writesApplied = 0;

  constructor(private readonly clock: { now(): number }) {}

  isDown(): boolean {
    return this.clock.now() < this.downUntil;
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

  recover(): void {
    this.downUntil = -1;
    this.failNext = 0;
  }

  load(key: string, value: Json, rec: WriteRecord): void {
    this.rows.set(key, { value, rec, rowVersion: 1, incrOps: 0 });
  }

  read(key: string): { ok: true; row: Row | undefined } | { ok: false; error: string } {
    if (this.isDown()) return { ok: false, error: 'database is down' };
    const row = this.rows.get(key);
    // A copy: the caller may hold it across later writes, which update rows in place.
    return { ok: true, row: row ? { value: row.value, rec: row.rec, rowVersion: row.rowVersion, incrOps: row.incrOps } : undefined };
  }

  peek(key: string): Row | undefined {
    return this.rows.get(key);
  }

  keys(): string[] {
    return [...this.rows.keys()].sort();
  }

  /** Apply every write or none: a failure anywhere rolls the whole transaction back. */
  transact(writes: readonly RowWrite[]): TxResult {
    if (this.isDown()) return { ok: false, error: 'database is down' };
    if (this.failNext > 0) {
      this.failNext--;
      return { ok: false, error: 'database rejected the write (injected fault); transaction rolled back' };
    }
    const values: Json[] = [];
    for (const w of writes) values.push(this.apply(w));
    return { ok: true, values };
  }

  /** One row write in its own transaction (the common case): no arrays. Returns the new value, or an error. */
  transactOne(w: RowWrite): { ok: true; value: Json } | { ok: false; error: string } {
    if (this.isDown()) return { ok: false, error: 'database is down' };
    if (this.failNext > 0) {
      this.failNext--;
      return { ok: false, error: 'database rejected the write (injected fault); transaction rolled back' };
    }
    return { ok: true, value: this.apply(w) };
  }

  // Rows are updated in place: nothing outside keeps a row object across writes.
  private apply(w: RowWrite): Json {
    this.writesApplied++;
    const row = this.rows.get(w.key);
    if (w.kind === 'set') {
      if (row) {
        row.value = w.value;
        row.rec = w.rec;
        row.rowVersion++;
        row.incrOps = 0;
      } else this.rows.set(w.key, { value: w.value, rec: w.rec, rowVersion: 1, incrOps: 0 });
      return w.value;
    }
    const value = (typeof row?.value === 'number' ? row.value : 0) + w.delta;
    if (row) {
      row.value = value;
      row.rec = w.rec;
      row.rowVersion++;
      row.incrOps += w.ops;
    } else this.rows.set(w.key, { value, rec: w.rec, rowVersion: 1, incrOps: w.ops });
    return value;
  }
}
