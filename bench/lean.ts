// Measuring sticks for issue #2's redesign, not part of the product: the five strategies with one cache node and no
// faults (the benchmark's case) written lean, with per-key state in typed arrays, a write's identity as a
// number, the checker's positions inline and no tracing. Same scheduler, lru-cache, operations and outcomes as the
// engine (a unit test holds their counts to the engine's metrics on the benchmark's workload), so the difference in
// instructions per operation (`npm run bench:cachegrind -- lean-write-through write-through`) is what the engine's
// general structure costs: objects per key and per write, an operation object with every strategy's fields, generic
// dispatch, and the checks for faults, nodes and tracing at every hop.
//
// Write-behind is the engine's defaults: coalescing, a flush of the whole queue every 5 s in batches of 100 rows (one
// database round trip each), no bound on the queue, no log. The queue is a list of key indices with the pending
// value, newest write and its acknowledgement per slot; a key's slot is found through `pendingAt`, as the engine's
// key state finds its pending entry. The checker's bookkeeping for lost writes is a count per key of writes
// acknowledged and of writes the database has taken.
import { LRUCache } from 'lru-cache';
import { Scheduler } from '../src/model/scheduler';
import type { Strategy } from '../src/model/types';
import type { OpList } from '../src/model/workload';

const CACHE_MS = 1;
const DB_MS = 10;
/** Write-behind: flush interval and batch size (the engine's defaults). */
const FLUSH_EVERY_MS = 5000;
const BATCH = 100;
/** Operation kind codes in an OpList (OP_KINDS): 0 read, 1 read from the database, 2 write, 3 increment. */
const READ_DB = 1;
const WRITE = 2;

interface Entry {
  /** The key's index (so an eviction finds the key's state without a lookup by name). */
  readonly k: number;
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
  /** Write-behind: the largest number of entries waiting in the queue, and writes acknowledged but never persisted. */
  maxQueueDepth: number;
  lostWrites: number;
}

/** How writes go: through the cache to the database, into the cache's queue, or to the database then invalidated. */
const W_THROUGH = 0;
const W_BEHIND = 1;
const W_AROUND = 2;

/** Write-around and cache-aside: a write's invalidation, on its way to the cache after the write is acknowledged. */
class LeanInvalidation {
  time = 0;
  seq = 0;
  k = 0;

  constructor(private readonly run: LeanRun) {}

  fire(): void {
    this.run.invalidate(this);
  }
}

/** Write-behind's flusher: its tick (a flush due at the next interval) and its batch's arrival at the database. */
class LeanFlusher {
  time = 0;
  seq = 0;

  constructor(
    private readonly run: LeanRun,
    private readonly landing: boolean,
  ) {}

  fire(): void {
    if (this.landing) this.run.flushLanded();
    else this.run.tick();
  }
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
  readonly counts: LeanCounts = { acknowledgedWrites: 0, reads: 0, cacheHits: 0, cacheMisses: 0, staleReads: 0, dbWrites: 0, dbReads: 0, evictions: 0, writeLatencySum: 0, readLatencySum: 0, maxQueueDepth: 0, lostWrites: 0 };
  // Write-behind's queue: slots qHead..qTail-1, each a key, its pending value, the newest write folded into it and
  // that write's acknowledgement position, and how many writes it carries. Emptied (head and tail back to 0) whenever
  // a flush takes everything, which every flush does, so it stays as long as the longest queue.
  private qKey: number[] = [];
  private qValue: unknown[] = [];
  private qRec: number[] = [];
  private qAck: number[] = [];
  private qOps: number[] = [];
  private qHead = 0;
  private qTail = 0;
  /** Per key: its pending slot in the queue (-1: none pending, or its entry is out with a flush). */
  private readonly pendingAt: Int32Array;
  /** Per key: writes acknowledged, and writes the database has taken (lost writes are the difference at the end). */
  private readonly ackedWrites: Int32Array;
  private readonly persistedWrites: Int32Array;
  // The batch out to the database, copied from the queue when taken (a write queued meanwhile gets a slot of its own).
  private bKey: number[] = [];
  private bValue: unknown[] = [];
  private bRec: number[] = [];
  private bAck: number[] = [];
  private bOps: number[] = [];
  private bLength = 0;
  private flushing = false;
  /** When the next flush is due (-1: none scheduled). */
  private tickAt = -1;
  private readonly ticker = new LeanFlusher(this, false);
  private readonly lander = new LeanFlusher(this, true);
  private readonly writes: number;
  /** Reads look aside (cache-aside, the hybrid) rather than through the node; the hybrid drops a fill a write raced. */
  private readonly aside: boolean;
  private readonly hybrid: boolean;
  private readonly spareInvalidations: LeanInvalidation[] = [];

  constructor(
    private readonly list: OpList,
    strategy: Strategy,
  ) {
    this.writes = strategy === 'write-behind' ? W_BEHIND : strategy === 'write-around' || strategy === 'cache-aside' ? W_AROUND : W_THROUGH;
    this.aside = strategy === 'cache-aside' || strategy === 'write-through+cache-aside';
    this.hybrid = strategy === 'write-through+cache-aside';
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
    this.pendingAt = new Int32Array(n).fill(-1);
    this.ackedWrites = new Int32Array(n);
    this.persistedWrites = new Int32Array(n);
    this.cache = new LRUCache<string, Entry>({
      max: 1000,
      dispose: (e, _k, reason) => {
        if (reason === 'set') return;
        if (this.cached[e.k] === e) this.cached[e.k] = undefined;
        if (reason === 'evict') this.counts.evictions++;
      },
    });
  }

  advance(op: LeanOp): void {
    const k = op.key;
    if (op.kind >= WRITE) return this.writes === W_THROUGH ? this.write(op, k) : this.writes === W_BEHIND ? this.writeBehind(op, k) : this.writeAround(op, k);
    // Every read starts alike: the checker's token, then a hop to the cache (step 1) or, reading the database
    // directly, to the database (step 3).
    if (op.step === 0) {
      op.token = this.newest[k] as number;
      this.pos++;
      op.step = op.kind === READ_DB ? 3 : 1;
      this.sched.schedule(op, op.kind === READ_DB ? DB_MS : CACHE_MS);
      return;
    }
    if (op.step === 1) return this.lookUp(op, k);
    if (this.aside && op.kind !== READ_DB) return this.readAside(op, k);
    // Read-through: the node's load came back (step 2), or the database answered a direct read (step 3).
    this.counts.dbReads++;
    if (op.step === 2 && this.stamp[k] === op.lease && this.cached[k] === undefined) this.fill(k, this.rowValue[k], this.rowRec[k] as number, this.rowAck[k] as number);
    this.finishRead(op, this.rowAck[k] as number);
  }

  private write(op: LeanOp, k: number): void {
    switch (op.step) {
      case 0:
        this.issueWrite(op);
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
        op.entry = this.cacheWrite(op, k);
        op.step = 3;
        this.sched.schedule(op, DB_MS);
        return;
      }
      default: {
        this.counts.dbWrites++;
        this.rowValue[k] = op.value;
        this.rowRec[k] = op.rec;
        const ack = this.acknowledge(op, k);
        this.rowAck[k] = ack;
        const e = op.entry;
        if (e !== null && e.rec === op.rec) e.ack = ack;
        op.entry = null;
        const w = this.waiters[k];
        if (w === null || w === undefined || w.length === 0) this.locked[k] = 0;
        else this.sched.schedule(w.shift() as LeanOp, 0);
        this.next(op);
      }
    }
  }

  /**
   * Write-around and cache-aside: the database takes the write; its invalidation leaves for the cache before the
   * caller hears back (so the caller's next request lands after it).
   */
  private writeAround(op: LeanOp, k: number): void {
    if (op.step === 0) {
      this.issueWrite(op);
      op.step = 1;
      this.sched.schedule(op, DB_MS);
      return;
    }
    this.counts.dbWrites++;
    this.rowValue[k] = op.value;
    this.rowRec[k] = op.rec;
    const inv = this.spareInvalidations.pop() ?? new LeanInvalidation(this);
    inv.k = k;
    this.sched.schedule(inv, CACHE_MS);
    this.rowAck[k] = this.acknowledge(op, k);
    this.next(op);
  }

  invalidate(inv: LeanInvalidation): void {
    const k = inv.k;
    this.stamp[k] = (this.stamp[k] as number) + 1;
    if (this.cached[k] !== undefined) this.cache.delete(this.names[k] as string);
    this.spareInvalidations.push(inv);
  }

  /** A read at the cache: a hit is over; a miss takes a lease (the key's stamp) and goes to the database (step 2). */
  private lookUp(op: LeanOp, k: number): void {
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
  }

  /**
   * Cache-aside reads (and the hybrid's) after a miss: the application reads the database (step 2), then fills the
   * cache (step 3) if the key is still absent (the hybrid: and no write touched it since the miss).
   */
  private readAside(op: LeanOp, k: number): void {
    switch (op.step) {
      case 2:
        // The row read travels to the fill in the operation's write fields: its value, write and acknowledgement.
        this.counts.dbReads++;
        op.value = this.rowValue[k] as number;
        op.rec = this.rowRec[k] as number;
        op.issue = this.rowAck[k] as number;
        op.step = 3;
        this.sched.schedule(op, CACHE_MS);
        return;
      default:
        if (this.cached[k] === undefined && (!this.hybrid || this.stamp[k] === op.lease)) this.fill(k, op.value, op.rec, op.issue);
        this.finishRead(op, op.issue);
    }
  }

  /** Write-behind: the cache takes the write, queues it and acknowledges it; the database gets it at a flush. */
  private writeBehind(op: LeanOp, k: number): void {
    if (op.step === 0) {
      this.issueWrite(op);
      op.step = 1;
      this.sched.schedule(op, CACHE_MS);
      return;
    }
    const e = this.cacheWrite(op, k);
    // Coalescing: a write to a key with a pending slot folds into it.
    let at = this.pendingAt[k] as number;
    if (at >= 0) this.qOps[at] = (this.qOps[at] as number) + 1;
    else {
      at = this.qTail++;
      this.qKey[at] = k;
      this.qOps[at] = 1;
      this.pendingAt[k] = at;
    }
    this.qValue[at] = op.value;
    this.qRec[at] = op.rec;
    const depth = this.qTail - this.qHead;
    if (depth > this.counts.maxQueueDepth) this.counts.maxQueueDepth = depth;
    const ack = this.acknowledge(op, k);
    e.ack = ack;
    this.qAck[at] = ack;
    this.ackedWrites[k] = (this.ackedWrites[k] as number) + 1;
    this.next(op);
    this.ensureTick();
  }

  /** Schedule a flush at the next multiple of the interval while the queue holds entries and none is due already. */
  private ensureTick(): void {
    if (this.flushing || this.qTail === this.qHead) return;
    const grid = (Math.floor(this.sched.now / FLUSH_EVERY_MS) + 1) * FLUSH_EVERY_MS;
    if (this.tickAt !== -1 && this.tickAt <= grid) return;
    this.tickAt = grid;
    this.sched.scheduleAt(this.ticker, grid);
  }

  tick(): void {
    this.tickAt = -1;
    this.flushing = true;
    this.flushNext();
  }

  /** Take the next batch from the front of the queue and send it, or end the flush when the queue is empty. */
  private flushNext(): void {
    const end = Math.min(this.qTail, this.qHead + BATCH);
    let n = 0;
    for (let i = this.qHead; i < end; i++, n++) {
      const k = this.qKey[i] as number;
      if (this.pendingAt[k] === i) this.pendingAt[k] = -1;
      this.bKey[n] = k;
      this.bValue[n] = this.qValue[i];
      this.bRec[n] = this.qRec[i] as number;
      this.bAck[n] = this.qAck[i] as number;
      this.bOps[n] = this.qOps[i] as number;
    }
    this.bLength = n;
    this.qHead = end;
    if (this.qHead === this.qTail) this.qHead = this.qTail = 0;
    if (n === 0) {
      this.flushing = false;
      this.ensureTick();
      return;
    }
    this.sched.schedule(this.lander, DB_MS);
  }

  /** The batch reached the database: one transaction for all its rows. */
  flushLanded(): void {
    for (let j = 0; j < this.bLength; j++) {
      const k = this.bKey[j] as number;
      this.counts.dbWrites++;
      this.rowValue[k] = this.bValue[j];
      this.rowRec[k] = this.bRec[j] as number;
      this.rowAck[k] = this.bAck[j] as number;
      this.persistedWrites[k] = (this.persistedWrites[k] as number) + (this.bOps[j] as number);
    }
    this.flushNext();
  }

  /** At the end of the run: writes acknowledged that the database never took (none without a crash). */
  countLost(): void {
    let lost = 0;
    for (let k = 0; k < this.ackedWrites.length; k++) lost += (this.ackedWrites[k] as number) - (this.persistedWrites[k] as number);
    this.counts.lostWrites = lost;
  }

  /** A write is issued: its identity, and its position in the history. */
  private issueWrite(op: LeanOp): void {
    op.rec = this.nextRec++;
    op.issue = ++this.pos;
  }

  /** A read's load or fill adds the key's entry to the cache (the caller has found it absent). */
  private fill(k: number, value: unknown, rec: number, ack: number): void {
    const e: Entry = { k, value, rec, ack };
    this.cache.set(this.names[k] as string, e);
    this.cached[k] = e;
  }

  /** The write's value goes into the key's cache entry (in place if cached), not yet acknowledged; a load's lease ends. */
  private cacheWrite(op: LeanOp, k: number): Entry {
    this.stamp[k] = (this.stamp[k] as number) + 1;
    let e = this.cached[k];
    if (e !== undefined) {
      e.value = op.value;
      e.rec = op.rec;
      e.ack = -1;
    } else {
      e = { k, value: op.value, rec: op.rec, ack: -1 };
      this.cached[k] = e;
    }
    this.cache.set(this.names[k] as string, e);
    return e;
  }

  /** The write is acknowledged now: its position in the history (returned), the checker's newest, the latency. */
  private acknowledge(op: LeanOp, k: number): number {
    const ack = ++this.pos;
    if (op.issue > (this.newest[k] as number)) this.newest[k] = op.issue;
    this.counts.acknowledgedWrites++;
    const ms = this.sched.now - op.start;
    this.writeHist[ms] = (this.writeHist[ms] as number) + 1;
    this.counts.writeLatencySum += ms;
    return ack;
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

/** Runs the list's operations (from the start) through the lean strategy with four clients; returns its counts. */
export function runLean(strategy: Strategy, list: OpList, clients = 4): LeanCounts {
  list.rewind();
  const run = new LeanRun(list, strategy);
  for (let c = 0; c < clients; c++) run.next(new LeanOp(run));
  run.sched.runAll();
  run.countLost();
  return run.counts;
}
