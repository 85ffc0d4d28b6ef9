// A measuring stick for issue #2's redesign, not part of the product: write-through with one cache node and no
// faults (the benchmark's case) written lean, with per-key state in typed arrays, a write's identity as a number,
// the checker's positions inline and no tracing. Same scheduler, lru-cache, operations and outcomes as the engine
// (a unit test holds its counts to the engine's metrics on the benchmark's workload), so the difference in
// instructions per operation (`npm run bench:cachegrind -- lean-write-through write-through`) is what the engine's
// general structure costs: objects per key and per write, an operation object with every strategy's fields, generic
// dispatch, and the checks for faults, nodes and tracing at every hop.
import { LRUCache } from 'lru-cache';
import { Scheduler } from '../src/model/scheduler';
import type { OpList } from '../src/model/workload';

const CACHE_MS = 1;
const DB_MS = 10;
/** Operation kind codes in an OpList (OP_KINDS): 0 read, 1 read from the database, 2 write, 3 increment. */
const READ_DB = 1;
const WRITE = 2;

interface Entry {
  value: unknown;
  /** Id of the write behind the value, and its acknowledgement position (-1 until acknowledged). */
  rec: number;
  ack: number;
}

class LeanOp {
  time = 0;
  seq = 0;
  step = 0;
  key = 0;
  kind = 0;
  value = 0;
  rec = 0;
  issue = 0;
  token = 0;
  lease = 0;
  start = 0;
  entry: Entry | null = null;

  constructor(private readonly run: LeanRun) {}

  fire(): void {
    this.run.advance(this);
  }
}

export interface LeanCounts {
  acknowledgedWrites: number;
  reads: number;
  cacheHits: number;
  cacheMisses: number;
  staleReads: number;
  dbWrites: number;
  dbReads: number;
  evictions: number;
  writeLatencySum: number;
  readLatencySum: number;
}

class LeanRun {
  readonly sched = new Scheduler();
  private readonly cache: LRUCache<string, Entry>;
  private readonly names: readonly string[];
  private readonly rowValue: unknown[];
  private readonly rowRec: Int32Array;
  private readonly rowAck: Int32Array;
  /** Largest issue position of a write acknowledged per key (-1: none). */
  private readonly newest: Int32Array;
  /** Writes that touched the key in the cache (a load's lease). */
  private readonly stamp: Int32Array;
  private readonly locked: Uint8Array;
  private readonly cached: (Entry | undefined)[];
  private readonly waiters: (LeanOp[] | null)[];
  private pos = 0;
  private nextRec = 1;
  /** Latency counts, never read here: the engine keeps both histograms, so the yardstick pays for them too. */
  private readonly writeHist = new Float64Array(4096);
  private readonly readHist = new Float64Array(4096);
  readonly counts: LeanCounts = { acknowledgedWrites: 0, reads: 0, cacheHits: 0, cacheMisses: 0, staleReads: 0, dbWrites: 0, dbReads: 0, evictions: 0, writeLatencySum: 0, readLatencySum: 0 };

  constructor(private readonly list: OpList) {
    const n = list.keyNames.length;
    this.names = list.keyNames;
    // Preloaded rows, as the engine's workloads have: key:i holds i, written by a record acknowledged at position 0.
    this.rowValue = Array.from({ length: n }, (_, i) => i);
    this.rowRec = new Int32Array(n);
    this.rowAck = new Int32Array(n);
    this.newest = new Int32Array(n).fill(-1);
    this.stamp = new Int32Array(n);
    this.locked = new Uint8Array(n);
    this.cached = new Array<Entry | undefined>(n).fill(undefined);
    this.waiters = new Array<LeanOp[] | null>(n).fill(null);
    const index = new Map(this.names.map((k, i) => [k, i]));
    this.cache = new LRUCache<string, Entry>({
      max: 1000,
      dispose: (e, k, reason) => {
        if (reason === 'set') return;
        const i = index.get(k) as number;
        if (this.cached[i] === e) this.cached[i] = undefined;
        if (reason === 'evict') this.counts.evictions++;
      },
    });
  }

  advance(op: LeanOp): void {
    const k = op.key;
    if (op.kind >= WRITE) return this.write(op, k);
    if (op.step === 0) {
      op.token = this.newest[k] as number;
      this.pos++;
      op.step = op.kind === READ_DB ? 3 : 1;
      this.sched.schedule(op, op.kind === READ_DB ? DB_MS : CACHE_MS);
      return;
    }
    if (op.step === 1) {
      const e = this.cached[k];
      if (e !== undefined) {
        this.cache.get(this.names[k] as string);
        this.counts.cacheHits++;
        return this.finishRead(op, e.ack);
      }
      this.counts.cacheMisses++;
      op.lease = this.stamp[k] as number;
      op.step = 2;
      this.sched.schedule(op, DB_MS);
      return;
    }
    this.counts.dbReads++;
    if (op.step === 2 && this.stamp[k] === op.lease && this.cached[k] === undefined) {
      const e: Entry = { value: this.rowValue[k], rec: this.rowRec[k] as number, ack: this.rowAck[k] as number };
      this.cache.set(this.names[k] as string, e);
      this.cached[k] = e;
    }
    this.finishRead(op, this.rowAck[k] as number);
  }

  private write(op: LeanOp, k: number): void {
    switch (op.step) {
      case 0:
        op.rec = this.nextRec++;
        op.issue = ++this.pos;
        if (this.locked[k] === 1) {
          op.step = 1;
          (this.waiters[k] ??= []).push(op);
          return;
        }
        this.locked[k] = 1;
        op.step = 2;
        this.sched.schedule(op, CACHE_MS);
        return;
      case 1:
        op.step = 2;
        this.sched.schedule(op, CACHE_MS);
        return;
      case 2: {
        this.stamp[k] = (this.stamp[k] as number) + 1;
        let e = this.cached[k];
        if (e !== undefined) {
          e.value = op.value;
          e.rec = op.rec;
          e.ack = -1;
        } else {
          e = { value: op.value, rec: op.rec, ack: -1 };
          this.cached[k] = e;
        }
        this.cache.set(this.names[k] as string, e);
        op.entry = e;
        op.step = 3;
        this.sched.schedule(op, DB_MS);
        return;
      }
      default: {
        this.counts.dbWrites++;
        this.rowValue[k] = op.value;
        this.rowRec[k] = op.rec;
        const ack = ++this.pos;
        this.rowAck[k] = ack;
        const e = op.entry;
        if (e !== null && e.rec === op.rec) e.ack = ack;
        op.entry = null;
        if (op.issue > (this.newest[k] as number)) this.newest[k] = op.issue;
        this.counts.acknowledgedWrites++;
        const ms = this.sched.now - op.start;
        this.writeHist[ms] = (this.writeHist[ms] as number) + 1;
        this.counts.writeLatencySum += ms;
        const w = this.waiters[k];
        if (w === null || w === undefined || w.length === 0) this.locked[k] = 0;
        else this.sched.schedule(w.shift() as LeanOp, 0);
        this.next(op);
      }
    }
  }

  private finishRead(op: LeanOp, ack: number): void {
    this.pos++;
    if (ack >= 0 && op.token > ack) this.counts.staleReads++;
    this.counts.reads++;
    const ms = this.sched.now - op.start;
    this.readHist[ms] = (this.readHist[ms] as number) + 1;
    this.counts.readLatencySum += ms;
    this.next(op);
  }

  next(op: LeanOp): void {
    const l = this.list;
    if (!l.advance()) return;
    op.key = l.key;
    op.kind = l.kinds[l.n] as number;
    op.value = l.n;
    op.step = 0;
    op.start = this.sched.now;
    this.advance(op);
  }
}

/** Runs the list's operations (from the start) through lean write-through with four clients; returns its counts. */
export function runLeanWriteThrough(list: OpList, clients = 4): LeanCounts {
  list.rewind();
  const run = new LeanRun(list);
  for (let c = 0; c < clients; c++) run.next(new LeanOp(run));
  run.sched.runAll();
  return run.counts;
}
