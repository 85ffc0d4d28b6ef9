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
    return { ok: true, row: this.rows.get(key) };
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
    for (const w of writes) {
      const prev = this.rows.get(w.key);
      const rowVersion = (prev?.rowVersion ?? 0) + 1;
      if (w.kind === 'set') {
        this.rows.set(w.key, { value: w.value, rec: w.rec, rowVersion, incrOps: 0 });
        values.push(w.value);
      } else {
        const base = typeof prev?.value === 'number' ? prev.value : 0;
        const value = base + w.delta;
        this.rows.set(w.key, { value, rec: w.rec, rowVersion, incrOps: (prev?.incrOps ?? 0) + w.ops });
        values.push(value);
      }
      this.writesApplied++;
    }
    return { ok: true, values };
  }
}
