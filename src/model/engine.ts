// The simulation engine: clients' operations run through the chosen strategy as small processes on the virtual
// clock, hop by hop (each hop costs its round trip), so concurrent operations interleave as the schedule dictates.
// It records a trace step per hop, keeps the metrics, and feeds the consistency checker with the history.
import { CacheNode } from './cacheNode';
import type { CacheEntry, LeaveReason } from './cacheNode';
import { ConsistencyChecker, NOTHING_PENDING } from './consistency';
import type { Pending, ReadToken } from './consistency';
import { Database } from './database';
import type { RowWrite } from './database';
import { LatencyHistogram, round3 } from './histogram';
import { RecordFactory } from './records';
import { Scheduler } from './scheduler';
import type { Action, EngineOptions, Json, Lane, Metrics, Outcome, TraceStep, WriteRecord } from './types';
import { WriteBehindQueue } from './writeBehindQueue';
import type { QueueEntry } from './writeBehindQueue';

export type OpKind = 'write' | 'incr' | 'read' | 'read-db';

export interface OpRequest {
  kind: OpKind;
  key: string;
  /** For 'write'. */
  value?: Json;
  /** For 'incr' (default 1). */
  amount?: number;
  client: string;
  /** 1-based cache node the operation goes through. */
  node: number;
  line: number | null;
}

export interface OpResult {
  op: number;
  kind: OpKind;
  key: string;
  client: string;
  line: number | null;
  ok: boolean;
  error: string | undefined;
  /** Value returned by a read or produced by a write/incr; undefined when the key was missing or the op failed. */
  value: Json | undefined;
  /** Id of the write behind the returned value (reads) or of this write. */
  version: number | undefined;
  /** Reads: judged stale by the consistency checker. */
  stale: boolean;
  /** Reads through a cache: hit or miss. */
  hit: boolean | undefined;
  startTime: number;
  endTime: number;
}

/** A process yields a delay in virtual ms, or a waiter that resumes it later. */
type Waiter = { wait(resume: () => void): void };
type Proc = Generator<number | Waiter, void, unknown>;

interface OpState {
  id: number;
  req: OpRequest;
  start: number;
  delay: number;
  nodeLane: Lane;
  done: (r: OpResult) => void;
}

interface FlushState {
  tickAt: number | null;
  flushing: boolean;
  /** Writers waiting for room in a full queue. */
  waiting: (() => void)[];
  /** Writers waiting for a flush they asked for to finish. */
  flushWaiters: (() => void)[];
  /** Entries the last finished flush took (-1 before any): a synchronous flush that took none cannot make room. */
  lastTaken: number;
}

/** Everything the debugger and the views show about the state at one moment. */
export interface EngineSnapshot {
  time: number;
  nodes: {
    name: string;
    up: boolean;
    /** Most recently used first. */
    entries: { key: string; value: Json; version: number; ttlLeftMs: number | null; unreadWrite: boolean }[];
    queue: { key: string; kind: 'set' | 'incr'; value: Json; delta: number; writes: number[]; ageMs: number; retries: number; inFlight: boolean }[];
    wal: number[];
    deadLetters: { key: string; writes: number[] }[];
  }[];
  db: { key: string; value: Json; version: number; rowVersion: number }[];
  dbDown: boolean;
  dbFailNext: number;
  metrics: Metrics;
}

const MAX_RETRY_DELAY_MS = 60_000;

export class Engine {
  readonly sched = new Scheduler();
  readonly checker = new ConsistencyChecker();
  readonly db: Database;
  readonly nodes: CacheNode[] = [];
  readonly queues: WriteBehindQueue[] = [];
  readonly steps: TraceStep[] = [];
  private readonly flushes: FlushState[] = [];
  /** Per node: keys a write invalidated and no read has missed on since (for missesAfterWrite). */
  private readonly invalidated: Set<string>[] = [];
  private readonly records = new RecordFactory();
  private readonly locks = new Map<string, (() => void)[]>();
  private readonly writeLatency = new LatencyHistogram();
  private readonly readLatency = new LatencyHistogram();
  private readonly tracing: boolean;
  private nextOp = 1;
  private finished = false;
  private readonly clock = { now: (): number => this.sched.now };
  /** Called after each trace step is recorded (the debugger snapshots state here). */
  onStep: ((step: TraceStep) => void) | undefined;

  private m = {
    acknowledgedWrites: 0,
    failedWrites: 0,
    reads: 0,
    failedReads: 0,
    cacheHits: 0,
    cacheMisses: 0,
    missesAfterWrite: 0,
    staleFills: 0,
    dbReads: 0,
    dbRoundTrips: 0,
    cachePollution: 0,
    evictions: 0,
    maxQueueDepth: 0,
    retries: 0,
    deadLetters: 0,
    rejectedWrites: 0,
    rollbacks: 0,
  };
  private finalLost: number | undefined;

  constructor(readonly options: EngineOptions) {
    this.tracing = options.trace;
    this.db = new Database(this.clock);
    const hooks = { onLeave: (n: CacheNode, k: string, e: CacheEntry, r: LeaveReason) => this.onLeave(n, k, e, r) };
    for (let i = 1; i <= options.cache.nodes; i++) {
      this.nodes.push(new CacheNode(i, options.cache.capacity, options.cache.ttlMs, this.clock, hooks));
      this.queues.push(new WriteBehindQueue(options.writeBehind.coalescing, options.writeBehind.wal));
      this.flushes.push({ tickAt: null, flushing: false, waiting: [], flushWaiters: [], lastTaken: -1 });
      this.invalidated.push(new Set());
    }
  }

  get now(): number {
    return this.sched.now;
  }

  // ---------------------------------------------------------------- setup and faults

  /** A row present before the run. */
  load(key: string, value: Json, line: number | null = null): void {
    const rec = this.records.preloaded(key);
    this.db.load(key, value, rec);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.write', key, 'persisted', 0, `row ${key} exists before the run`, { value, version: rec.id });
  }

  crashNode(index: number, line: number | null = null): void {
    const node = this.node(index);
    if (!node.up) return;
    const q = this.queues[index - 1] as WriteBehindQueue;
    const backup = this.options.writeBehind.backup;
    const queued = q.length;
    node.crash();
    let lost: QueueEntry[] = [];
    if (!backup) lost = q.crash();
    const lostIds = lost.flatMap((e) => e.recs.map((r) => r.id));
    if (this.tracing) {
      const what = backup
        ? `its ${queued} pending queue entries live on in the backup member, which keeps flushing`
        : this.options.writeBehind.wal
          ? `${queued} pending queue entries are gone from memory but safe in the write-ahead log`
          : queued > 0
            ? `${lostIds.length} acknowledged writes in its queue never reached the database: they are lost`
            : 'its memory is gone';
      this.emit(null, line, node.name, node.name, 'crash', null, lost.length > 0 ? 'lost' : 'ok', 0, `${node.name} crashed: cache emptied; ${what}`);
      for (const e of lost) {
        this.emit(null, line, `${node.name}/queue`, `${node.name}/queue`, 'queue.lost', e.key, 'lost', 0, `lost ${describeEntry(e)} (acknowledged, never persisted)`, {
          value: e.kind === 'set' ? e.value : e.delta,
          writes: e.recs.map((r) => r.id),
        });
      }
    }
    // Writers waiting on this node's queue fail now.
    this.wake(index);
    const fs = this.flushes[index - 1] as FlushState;
    if (!backup) for (const resume of fs.flushWaiters.splice(0)) this.sched.after(0, resume);
  }

  restartNode(index: number, line: number | null = null): void {
    const node = this.node(index);
    if (node.up) return;
    node.restart();
    const q = this.queues[index - 1] as WriteBehindQueue;
    const replayed = this.options.writeBehind.backup ? [] : q.replay(this.now);
    if (this.tracing) {
      this.emit(null, line, node.name, node.name, 'restart', null, 'ok', 0, `${node.name} restarted with an empty cache`);
      if (replayed.length > 0) {
        this.emit(null, line, `${node.name}/queue`, `${node.name}/queue`, 'wal.replay', null, 'pending', 0, `replayed ${replayed.length} entries from the write-ahead log into the queue`, {
          writes: replayed.flatMap((e) => e.recs.map((r) => r.id)),
        });
      }
    }
    this.ensureTick(index);
  }

  failDbFor(ms: number, line: number | null = null): void {
    this.db.goDown(ms);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.down', null, 'error', 0, `database down until ${fmt(this.db.downUntilMs)}`);
    const until = this.db.downUntilMs;
    this.sched.at(until, () => {
      if (this.tracing && this.db.downUntilMs === until) this.emit(null, null, 'db', 'db', 'db.up', null, 'ok', 0, 'database is back up');
    });
  }

  failDbNext(writes: number, line: number | null = null): void {
    this.db.failNextWrites(writes);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.failNext', null, 'error', 0, `the next ${writes} database write transaction(s) will fail`);
  }

  recoverDb(line: number | null = null): void {
    this.db.recover();
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.up', null, 'ok', 0, 'database recovered');
  }

  // ---------------------------------------------------------------- client operations

  /** Start a client operation now; `done` is called when it completes (after its ack or error). */
  issue(req: OpRequest, done: (r: OpResult) => void = () => {}): number {
    const id = this.nextOp++;
    const op: OpState = {
      id,
      req,
      start: this.now,
      delay: this.options.clientDelayMs[req.client] ?? 0,
      nodeLane: `node${req.node}`,
      done,
    };
    this.node(req.node); // validates the index
    this.spawn(this.opProc(op));
    return id;
  }

  private opProc(op: OpState): Proc {
    const s = this.options.strategy;
    switch (op.req.kind) {
      case 'read-db':
        return this.readDb(op);
      case 'read':
        return s === 'cache-aside' || s === 'write-through+cache-aside' ? this.readAside(op) : this.readThrough(op);
      case 'write':
      case 'incr':
        switch (s) {
          case 'write-through':
          case 'write-through+cache-aside':
            return this.writeThrough(op);
          case 'write-behind':
            return this.writeBehind(op);
          case 'write-around':
          case 'cache-aside':
            return this.writeToDbThenInvalidate(op);
        }
    }
  }

  /** Runs a process: each yielded number is a delay on the virtual clock, each waiter parks it. */
  private spawn(proc: Proc): void {
    const resume = (): void => {
      const r = proc.next();
      if (r.done) return;
      const v = r.value;
      if (typeof v === 'number') this.sched.after(v, resume);
      else v.wait(resume);
    };
    resume();
  }

  // Write-through (and the hybrid's writes): lock the row, cache, then database; roll the cache back on failure.
  private *writeThrough(op: OpState): Proc {
    const { key } = op.req;
    const node = this.node(op.req.node);
    const rec = this.issueWrite(op);
    yield* this.lock(op, key);
    try {
      const incarnation = node.incarnation;
      yield this.options.cache.latencyMs + op.delay;
      if (!node.up || node.incarnation !== incarnation) return this.failWrite(op, rec, `${node.name} is down`, node.name);
      const before = node.peek(key);
      let value: Json;
      if (op.req.kind === 'incr') {
        let base = before?.value;
        if (before === undefined) {
          const loaded = yield* this.loadCount(op, node);
          if (!loaded.ok) return this.failWrite(op, rec, loaded.error, 'db');
          base = loaded.value;
        }
        value = (typeof base === 'number' ? base : 0) + (op.req.amount ?? 1);
      } else value = op.req.value ?? null;
      node.set(key, value, rec, true);
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, op.req.kind === 'incr' ? 'cache.incr' : 'cache.set', key, 'ok', this.options.cache.latencyMs + op.delay, `${node.name} has the new value; not acknowledged yet: the database must confirm too`, { value, version: rec.id });
      yield this.options.db.latencyMs + op.delay;
      this.m.dbRoundTrips++;
      const tx = this.db.transactOne(this.rowWrite(op, rec, value));
      if (!tx.ok) {
        if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', op.req.kind === 'incr' ? 'db.incr' : 'db.write', key, 'error', this.options.db.latencyMs + op.delay, `database write failed (${tx.error}); the transaction rolled back`, { value, version: rec.id });
        yield this.options.cache.latencyMs + op.delay;
        if (node.up && node.incarnation === incarnation) node.restore(key, before);
        this.m.rollbacks++;
        if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.rollback', key, 'ok', this.options.cache.latencyMs + op.delay, before ? `${node.name} restored the old value: both stores keep it` : `${node.name} dropped the new value: both stores keep the old state`, { value: before?.value, version: before?.rec.id });
        return this.failWrite(op, rec, tx.error, op.nodeLane);
      }
      if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', op.req.kind === 'incr' ? 'db.incr' : 'db.write', key, 'persisted', this.options.db.latencyMs + op.delay, 'database committed; cache and database now agree', { value: tx.value, version: rec.id });
      this.ackWrite(op, rec, tx.value, 'db', 'acknowledged after both the cache and the database confirmed');
    } finally {
      this.unlock(key);
    }
  }

  /** Counting on a cold cache: the node first loads the row (one DB round trip) so the cached count is the real one. */
  private *loadCount(op: OpState, node: CacheNode): Generator<number, { ok: true; value: Json | undefined } | { ok: false; error: string }, unknown> {
    const { key } = op.req;
    yield this.options.db.latencyMs;
    this.m.dbRoundTrips++;
    const r = this.db.read(key);
    if (!r.ok) return r;
    this.m.dbReads++;
    const value = r.row?.value;
    if (this.tracing) this.emit(op, op.req.line, op.nodeLane, 'db', 'db.read', key, 'ok', this.options.db.latencyMs, `${node.name} loads ${key} to increment it`, { value: value ?? null });
    return { ok: true, value };
  }

  // Write-behind: the cache takes the write and queues it; the caller is acknowledged before the database has it.
  private *writeBehind(op: OpState): Proc {
    const { key } = op.req;
    const idx = op.req.node;
    const node = this.node(idx);
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const wb = this.options.writeBehind;
    const rec = this.issueWrite(op);
    const incarnation = node.incarnation;
    yield this.options.cache.latencyMs + op.delay;
    const cacheCost = this.options.cache.latencyMs + op.delay;
    if (!node.up || node.incarnation !== incarnation) return this.failWrite(op, rec, `${node.name} is down`, node.name);
    // Backpressure happens at the node, before the write is applied.
    let announced = false;
    while (wb.maxQueue !== null && q.needsSlot(key) && q.length >= wb.maxQueue) {
      if (wb.whenFull === 'reject') {
        this.m.rejectedWrites++;
        if (this.tracing) this.emit(op, op.req.line, op.nodeLane, `${node.name}/queue`, 'queue.reject', key, 'error', cacheCost, `queue full (${q.length}/${wb.maxQueue}): write rejected, the cache is unchanged`);
        return this.failWrite(op, rec, `write-behind queue is full (${wb.maxQueue} entries)`, `${node.name}/queue`);
      }
      if (!announced && this.tracing) {
        this.emit(op, op.req.line, op.nodeLane, `${node.name}/queue`, 'queue.block', key, 'pending', 0, wb.whenFull === 'flush' ? `queue full (${q.length}/${wb.maxQueue}): the writer flushes it synchronously` : `queue full (${q.length}/${wb.maxQueue}): the writer blocks until a flush makes room`);
      }
      announced = true;
      const fs = this.flushes[idx - 1] as FlushState;
      if (wb.whenFull === 'flush' && fs.lastTaken !== 0) {
        // Ignite: the writer itself flushes, and goes on once that flush has finished.
        yield this.flushWaiter(idx);
      } else {
        // Blocking, or a flush that could take nothing (every entry waits for a retry): wait until a flush makes room.
        yield this.waiter(idx);
      }
      if (!node.up || node.incarnation !== incarnation) return this.failWrite(op, rec, `${node.name} crashed while the write waited`, node.name);
    }
    let value: Json;
    let folded: boolean;
    if (op.req.kind === 'incr') {
      let base = node.peek(key)?.value;
      if (base === undefined) {
        const loaded = yield* this.loadCount(op, node);
        if (!loaded.ok) return this.failWrite(op, rec, loaded.error, 'db');
        base = loaded.value;
        if (!node.up || node.incarnation !== incarnation) return this.failWrite(op, rec, `${node.name} is down`, node.name);
      }
      const amount = op.req.amount ?? 1;
      value = (typeof base === 'number' ? base : 0) + amount;
      node.set(key, value, rec, true);
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.incr', key, 'ok', announced ? 0 : cacheCost, `${node.name} has the new count`, { value, version: rec.id });
      folded = q.enqueueIncr(key, amount, value, rec, this.now);
    } else {
      value = op.req.value ?? null;
      node.set(key, value, rec, true);
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.set', key, 'ok', announced ? 0 : cacheCost, `${node.name} has the new value`, { value, version: rec.id });
      folded = q.enqueueSet(key, value, rec, this.now);
    }
    this.noteQueueDepth();
    if (this.tracing) {
      this.emit(op, op.req.line, op.nodeLane, `${node.name}/queue`, folded ? 'queue.coalesce' : 'queue.enqueue', key, 'pending', 0, folded ? `folded into the pending entry for ${key}: one database write will carry both` : `queued for the next flush (${q.length} pending)`, { version: rec.id });
      if (wb.wal) this.emit(op, op.req.line, `${node.name}/queue`, `${node.name}/queue`, 'wal.append', key, 'pending', 0, 'appended to the write-ahead log: it survives a crash', { version: rec.id });
    }
    this.ackWrite(op, rec, value, op.nodeLane, 'acknowledged before the database has it: the write is only in the cache and its queue');
    this.ensureTick(idx);
  }

  // Write-around and cache-aside writes: the database first; the caller is acknowledged once it commits, and the
  // cached copy is invalidated without waiting (so the write costs one round trip, and a racing read can refill it).
  private *writeToDbThenInvalidate(op: OpState): Proc {
    const { key } = op.req;
    const rec = this.issueWrite(op);
    yield this.options.db.latencyMs + op.delay;
    this.m.dbRoundTrips++;
    const tx = this.db.transactOne(this.rowWrite(op, rec, op.req.value ?? null));
    const action: Action = op.req.kind === 'incr' ? 'db.incr' : 'db.write';
    if (!tx.ok) {
      if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', action, key, 'error', this.options.db.latencyMs + op.delay, `database write failed (${tx.error})`);
      return this.failWrite(op, rec, tx.error, 'db');
    }
    const value = tx.value;
    if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', action, key, 'persisted', this.options.db.latencyMs + op.delay, 'database has the new value; the cache is not written', { value, version: rec.id });
    // The invalidation is sent before the caller hears back, on the same connection: the caller's own next request
    // lands after it (read-your-writes), while other clients can still hit the old entry until it lands.
    this.spawn(this.invalidate(op));
    this.ackWrite(op, rec, value, 'db', 'acknowledged once the database committed; the invalidation is on its way to the cache');
  }

  private *invalidate(op: OpState): Proc {
    const { key } = op.req;
    const node = this.node(op.req.node);
    yield this.options.cache.latencyMs + op.delay;
    const removed = node.up ? node.delete(key) : false;
    if (removed) this.invalidated[op.req.node - 1]?.add(key);
    if (this.tracing) {
      this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.delete', key, node.up ? 'ok' : 'error', this.options.cache.latencyMs + op.delay, !node.up ? `${node.name} is down; nothing to invalidate` : removed ? `invalidated ${key} in ${node.name}: the next read misses and loads the new value` : `${key} was not cached in ${node.name}`);
    }
  }

  // Reads through the cache node, which loads misses from the database itself (read-through).
  private *readThrough(op: OpState): Proc {
    const { key } = op.req;
    const node = this.node(op.req.node);
    const token = this.checker.readStarted(key);
    const incarnation = node.incarnation;
    yield this.options.cache.latencyMs + op.delay;
    if (!node.up || node.incarnation !== incarnation) return this.failRead(op, token, `${node.name} is down`, node.name);
    const hit = node.get(key);
    if (hit) {
      this.m.cacheHits++;
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.get', key, 'hit', this.options.cache.latencyMs + op.delay, `hit in ${node.name}`, { value: hit.value, version: hit.rec.id });
      return this.finishRead(op, token, hit.value, hit.rec, true, op.nodeLane);
    }
    this.countMiss(op.req.node, key);
    if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.get', key, 'miss', this.options.cache.latencyMs + op.delay, `miss in ${node.name}: it loads ${key} from the database`);
    // A lease: if any write or invalidation touches the key in this node while the row loads, the load is not kept.
    const lease = node.stamp(key);
    yield this.options.db.latencyMs;
    this.m.dbRoundTrips++;
    const r = this.db.read(key);
    if (!r.ok) {
      if (this.tracing) this.emit(op, op.req.line, op.nodeLane, 'db', 'db.read', key, 'error', this.options.db.latencyMs, r.error);
      return this.failRead(op, token, r.error, 'db');
    }
    this.m.dbReads++;
    const row = r.row;
    if (this.tracing) this.emit(op, op.req.line, op.nodeLane, 'db', 'db.read', key, row ? 'ok' : 'miss', this.options.db.latencyMs, row ? `database returns ${key}` : `database has no row ${key}`, { value: row?.value, version: row?.rec.id });
    // The node keeps what it loaded only if nothing wrote or invalidated the key meanwhile (the lease above).
    if (row && node.up && node.incarnation === incarnation && node.stamp(key) === lease && !node.has(key)) {
      node.set(key, row.value, row.rec, false);
      if (this.db.peek(key)?.rec !== row.rec) this.m.staleFills++;
      if (this.tracing) this.emit(op, op.req.line, 'db', op.nodeLane, 'cache.load', key, 'ok', 0, `${node.name} keeps ${key} for later reads`, { value: row.value, version: row.rec.id });
    }
    return this.finishRead(op, token, row?.value, row?.rec, false, op.nodeLane);
  }

  // Cache-aside reads: the application looks in the cache, and on a miss reads the database and fills the cache.
  private *readAside(op: OpState): Proc {
    const { key } = op.req;
    const node = this.node(op.req.node);
    const token = this.checker.readStarted(key);
    yield this.options.cache.latencyMs + op.delay;
    const hit = node.up ? node.get(key) : undefined;
    if (hit) {
      this.m.cacheHits++;
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.get', key, 'hit', this.options.cache.latencyMs + op.delay, `hit in ${node.name}`, { value: hit.value, version: hit.rec.id });
      return this.finishRead(op, token, hit.value, hit.rec, true, op.nodeLane);
    }
    this.countMiss(op.req.node, key);
    const lease = node.stamp(key);
    if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.get', key, node.up ? 'miss' : 'error', this.options.cache.latencyMs + op.delay, node.up ? `miss in ${node.name}: the application reads the database` : `${node.name} is down: the application reads the database`);
    yield this.options.db.latencyMs + op.delay;
    this.m.dbRoundTrips++;
    const r = this.db.read(key);
    if (!r.ok) {
      if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', 'db.read', key, 'error', this.options.db.latencyMs + op.delay, r.error);
      return this.failRead(op, token, r.error, 'db');
    }
    this.m.dbReads++;
    const row = r.row;
    if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', 'db.read', key, row ? 'ok' : 'miss', this.options.db.latencyMs + op.delay, row ? `database returns ${key}` : `database has no row ${key}`, { value: row?.value, version: row?.rec.id });
    if (!row) return this.finishRead(op, token, undefined, undefined, false, 'db');
    const incarnation = node.incarnation;
    yield this.options.cache.latencyMs + op.delay;
    // The fill only adds (like SET NX): a write-through write that got there first keeps its newer value. In the
    // hybrid the write path owns the key, so a fill is also dropped when a write touched the key since the miss (even
    // if an eviction removed it again). Plain cache-aside cannot see an invalidation that landed meanwhile: that is
    // the classic cache-aside race.
    if (node.up && node.incarnation === incarnation) {
      const added = !node.has(key) && (this.options.strategy !== 'write-through+cache-aside' || node.stamp(key) === lease);
      if (added) {
        node.set(key, row.value, row.rec, false);
        if (this.db.peek(key)?.rec !== row.rec) this.m.staleFills++;
      }
      if (this.tracing) this.emit(op, op.req.line, op.req.client, op.nodeLane, 'cache.set', key, added ? 'ok' : 'hit', this.options.cache.latencyMs + op.delay, added ? `the application fills ${node.name} with what it read (version ${row.rec.id})` : node.has(key) ? `${node.name} already holds ${key}: the fill leaves it alone` : `a write touched ${key} since the miss: the fill is dropped`, { value: row.value, version: row.rec.id });
    }
    return this.finishRead(op, token, row.value, row.rec, false, op.nodeLane);
  }

  private *readDb(op: OpState): Proc {
    const { key } = op.req;
    const token = this.checker.readStarted(key);
    yield this.options.db.latencyMs + op.delay;
    this.m.dbRoundTrips++;
    const r = this.db.read(key);
    if (!r.ok) {
      if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', 'db.read', key, 'error', this.options.db.latencyMs + op.delay, r.error);
      return this.failRead(op, token, r.error, 'db');
    }
    this.m.dbReads++;
    const row = r.row;
    if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', 'db.read', key, row ? 'ok' : 'miss', this.options.db.latencyMs + op.delay, row ? 'read straight from the database, bypassing every cache' : `database has no row ${key}`, { value: row?.value, version: row?.rec.id });
    return this.finishRead(op, token, row?.value, row?.rec, undefined, 'db');
  }

  // ---------------------------------------------------------------- write-behind flushing

  /** Make sure a flush is scheduled while the queue holds entries: fresh ones at the next interval, retries when due. */
  private ensureTick(idx: number): void {
    const fs = this.flushes[idx - 1] as FlushState;
    const q = this.queues[idx - 1] as WriteBehindQueue;
    if (fs.flushing || q.length === 0) return;
    if (!this.flusherAlive(idx)) return;
    const interval = this.options.writeBehind.flushIntervalMs;
    const grid = interval > 0 ? (Math.floor(this.now / interval) + 1) * interval : this.now;
    // Hot path: a tick is already due at or before the next interval and nothing waits on a retry.
    if (fs.tickAt !== null && fs.tickAt <= grid && q.retried === 0) return;
    // Fresh entries are due at the next interval; entries waiting for a retry are due at their own time.
    // A key held back by an entry waiting for its retry is due no earlier than that retry (see takeBatch).
    let t = Number.POSITIVE_INFINITY;
    if (q.retried === 0) t = grid;
    else {
      const heldUntil = new Map<string, number>();
      for (const e of q.list()) {
        let due = e.retries > 0 ? e.notBefore : grid;
        const held = heldUntil.get(e.key);
        if (held !== undefined && held > due) due = held;
        if (e.notBefore > this.now) heldUntil.set(e.key, Math.max(held ?? 0, e.notBefore));
        if (due < t) t = due;
      }
    }
    if (t < this.now) t = this.now;
    if (fs.tickAt !== null && fs.tickAt <= t) return;
    fs.tickAt = t;
    this.sched.at(t, () => {
      if (fs.tickAt !== t) return; // superseded by an earlier tick
      fs.tickAt = null;
      this.startFlush(idx);
    });
  }

  /** The flusher runs on the node, or on the backup member when the node is down and backups are on. */
  private flusherAlive(idx: number): boolean {
    return this.node(idx).up || this.options.writeBehind.backup;
  }

  private startFlush(idx: number): void {
    const fs = this.flushes[idx - 1] as FlushState;
    if (fs.flushing) return;
    fs.flushing = true;
    this.spawn(this.flushProc(idx));
  }

  private *flushProc(idx: number): Proc {
    const fs = this.flushes[idx - 1] as FlushState;
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const node = this.node(idx);
    const wb = this.options.writeBehind;
    const lane = `${node.name}/queue`;
    let taken = 0;
    try {
      while (this.flusherAlive(idx)) {
        const batch = q.takeBatch(wb.batchSize, this.now);
        if (batch.length === 0) break;
        taken += batch.length;
        this.wake(idx); // room freed: blocked writers may go on
        const incarnation = node.incarnation;
        yield this.options.db.latencyMs;
        this.m.dbRoundTrips++;
        const tx = this.db.transact(batch.map(toRowWrite));
        const ids = batch.flatMap((e) => e.recs.map((r) => r.id));
        if (tx.ok) {
          q.persisted(batch);
          if (this.tracing) this.emit(null, null, lane, 'db', 'db.batch', batch.length === 1 ? (batch[0] as QueueEntry).key : null, 'persisted', this.options.db.latencyMs, `flushed ${batch.length} row(s) carrying ${ids.length} write(s) in one round trip`, { writes: ids, value: batch.length === 1 ? entryValue(batch[0] as QueueEntry) : undefined });
          continue;
        }
        if (this.tracing) this.emit(null, null, lane, 'db', 'db.batch', null, 'error', this.options.db.latencyMs, `flush of ${batch.length} row(s) failed: ${tx.error}`, { writes: ids });
        const orphaned = !wb.backup && (node.incarnation !== incarnation || !node.up);
        if (orphaned) {
          // The node died while its batch was out: without a log, nobody holds these writes any more.
          if (wb.wal) {
            if (node.up) q.requeue(batch, this.now);
            else q.abandon(batch);
          } else {
            q.abandon(batch);
            if (this.tracing) this.emit(null, null, lane, lane, 'queue.lost', null, 'lost', 0, `the failed batch had no owner after the crash: ${ids.length} write(s) lost`, { writes: ids });
          }
          break;
        }
        const retry: QueueEntry[] = [];
        for (const e of batch) {
          if (wb.requeueLimit !== null && e.retries >= wb.requeueLimit) {
            q.deadLetter(e);
            this.m.deadLetters++;
            if (this.tracing) this.emit(null, null, lane, lane, 'queue.deadLetter', e.key, 'lost', 0, `${describeEntry(e)} gave up after ${e.retries} retries: moved to the dead-letter queue`, { writes: e.recs.map((r) => r.id) });
          } else retry.push(e);
        }
        if (retry.length > 0) {
          const attempts = Math.max(...retry.map((e) => e.retries));
          const delay = Math.min(MAX_RETRY_DELAY_MS, wb.retryDelayMs * Math.pow(wb.retryBackoff, attempts));
          q.requeue(retry, this.now + delay);
          this.m.retries += retry.length;
          if (this.tracing) this.emit(null, null, lane, lane, 'queue.retry', null, 'pending', 0, `${retry.length} entr${retry.length === 1 ? 'y' : 'ies'} back at the front of the queue; retry in ${fmt(delay)}`, { writes: retry.flatMap((e) => e.recs.map((r) => r.id)) });
        }
        break;
      }
    } finally {
      fs.flushing = false;
      fs.lastTaken = taken;
      for (const resume of fs.flushWaiters.splice(0)) this.sched.after(0, resume);
      this.wake(idx);
      this.ensureTick(idx);
    }
  }

  /** Parks a writer until a flush of this node's queue has finished, starting one if none is running. */
  private flushWaiter(idx: number): Waiter {
    const fs = this.flushes[idx - 1] as FlushState;
    return {
      wait: (resume) => {
        fs.flushWaiters.push(resume);
        this.startFlush(idx);
      },
    };
  }

  private waiter(idx: number): Waiter {
    const fs = this.flushes[idx - 1] as FlushState;
    return { wait: (resume) => fs.waiting.push(resume) };
  }

  private wake(idx: number): void {
    const fs = this.flushes[idx - 1] as FlushState;
    if (fs.waiting.length === 0) return;
    const w = fs.waiting.splice(0);
    for (const resume of w) this.sched.after(0, resume);
  }

  private countMiss(nodeIndex: number, key: string): void {
    this.m.cacheMisses++;
    const inv = this.invalidated[nodeIndex - 1];
    if (inv?.delete(key)) this.m.missesAfterWrite++;
  }

  private noteQueueDepth(): void {
    let d = 0;
    for (let i = 0; i < this.queues.length; i++) d += (this.queues[i] as WriteBehindQueue).length;
    if (d > this.m.maxQueueDepth) this.m.maxQueueDepth = d;
  }

  // ---------------------------------------------------------------- row locks (write-through ordering)

  /** The row lock the database transaction takes: concurrent writes to one key reach cache and DB in one order. */
  private *lock(op: OpState, key: string): Generator<Waiter, void, unknown> {
    const waiters = this.locks.get(key);
    if (waiters === undefined) {
      this.locks.set(key, []);
      return;
    }
    if (this.tracing) this.emit(op, op.req.line, op.req.client, 'db', 'db.lock', key, 'pending', 0, `waits for the row lock on ${key}: another write to it is in progress`);
    yield { wait: (resume) => waiters.push(resume) };
  }

  private unlock(key: string): void {
    const waiters = this.locks.get(key);
    if (!waiters) return;
    const next = waiters.shift();
    if (next) this.sched.after(0, next);
    else this.locks.delete(key);
  }

  // ---------------------------------------------------------------- bookkeeping

  private issueWrite(op: OpState): WriteRecord {
    const rec = this.records.create(op.req.key, op.req.kind === 'incr' ? (op.req.amount ?? 1) : undefined, op.req.line);
    this.checker.writeIssued(rec);
    return rec;
  }

  private rowWrite(op: OpState, rec: WriteRecord, value: Json): RowWrite {
    return op.req.kind === 'incr'
      ? { kind: 'incr', key: op.req.key, delta: op.req.amount ?? 1, ops: 1, rec }
      : { kind: 'set', key: op.req.key, value, rec };
  }

  private ackWrite(op: OpState, rec: WriteRecord, value: Json, from: Lane, note: string): void {
    this.checker.writeAcked(rec, this.now);
    this.m.acknowledgedWrites++;
    this.writeLatency.record(this.now - op.start);
    if (this.tracing) this.emit(op, op.req.line, from, op.req.client, 'ack', op.req.key, 'ok', 0, note, { value, version: rec.id });
    op.done(this.result(op, true, undefined, value, rec.id, false, undefined));
  }

  private failWrite(op: OpState, rec: WriteRecord, error: string, from: Lane): void {
    this.m.failedWrites++;
    if (this.tracing) this.emit(op, op.req.line, from, op.req.client, 'error', op.req.key, 'error', 0, `the caller gets an error: ${error}`, { version: rec.id });
    op.done(this.result(op, false, error, undefined, rec.id, false, undefined));
  }

  private finishRead(op: OpState, token: ReadToken, value: Json | undefined, rec: WriteRecord | undefined, hit: boolean | undefined, from: Lane): void {
    const stale = this.checker.readFinished(token, rec);
    this.m.reads++;
    this.readLatency.record(this.now - op.start);
    if (this.tracing) {
      const note = stale
        ? `returned a stale value: a newer write to ${op.req.key} was acknowledged before this read began`
        : value === undefined
          ? `${op.req.key} does not exist`
          : 'returned the newest acknowledged value';
      this.emit(op, op.req.line, from, op.req.client, 'ack', op.req.key, stale ? 'stale' : 'fresh', 0, note, { value, version: rec?.id });
    }
    op.done(this.result(op, true, undefined, value, rec?.id, stale, hit));
  }

  private failRead(op: OpState, _token: ReadToken, error: string, from: Lane): void {
    // A failed read returned nothing, so there is nothing to judge: it is neither fresh nor stale.
    this.m.failedReads++;
    if (this.tracing) this.emit(op, op.req.line, from, op.req.client, 'error', op.req.key, 'error', 0, `the read fails: ${error}`);
    op.done(this.result(op, false, error, undefined, undefined, false, undefined));
  }

  private result(op: OpState, ok: boolean, error: string | undefined, value: Json | undefined, version: number | undefined, stale: boolean, hit: boolean | undefined): OpResult {
    return { op: op.id, kind: op.req.kind, key: op.req.key, client: op.req.client, line: op.req.line, ok, error, value, version, stale, hit, startTime: op.start, endTime: this.now };
  }

  private onLeave(node: CacheNode, key: string, entry: CacheEntry, reason: LeaveReason): void {
    if (entry.unreadWrite) this.m.cachePollution++;
    if (reason === 'evict') {
      this.m.evictions++;
      if (this.tracing) this.emit(null, null, node.name, node.name, 'cache.evict', key, 'ok', 0, `${node.name} evicted ${key}, its least recently used entry (capacity ${this.options.cache.capacity})`, { version: entry.rec.id });
    } else if (reason === 'expire' && this.tracing) {
      this.emit(null, null, node.name, node.name, 'cache.expire', key, 'ok', 0, `${key} expired in ${node.name} (TTL ${fmt(this.options.cache.ttlMs ?? 0)})`, { version: entry.rec.id });
    }
  }

  node(index: number): CacheNode {
    const n = this.nodes[index - 1];
    if (!n) throw new RangeError(`node${index} does not exist: cache.nodes is ${this.nodes.length}`);
    return n;
  }

  /** Record a step; also used by the runner for its own steps (advance, expect). */
  emit(
    op: OpState | null,
    line: number | null,
    from: Lane,
    to: Lane,
    action: Action,
    key: string | null,
    outcome: Outcome,
    durationMs: number,
    note: string,
    extra?: { value?: Json | undefined; version?: number | undefined; writes?: number[] | undefined },
  ): void {
    const step: TraceStep = {
      seq: this.steps.length + 1,
      time: this.now,
      durationMs,
      line,
      client: op ? op.req.client : null,
      op: op ? op.id : null,
      from,
      to,
      action,
      key,
      outcome,
      note,
    };
    if (extra?.value !== undefined) step.value = extra.value;
    if (extra?.version !== undefined) step.version = extra.version;
    if (extra?.writes !== undefined) step.writes = extra.writes;
    this.steps.push(step);
    this.onStep?.(step);
  }

  get tracingEnabled(): boolean {
    return this.tracing;
  }

  // ---------------------------------------------------------------- results

  /** What could still reach the database: queued, logged or in-flight write-behind entries. */
  private pending(): Pending {
    const recs = new Set<number>();
    const incr = new Map<string, number>();
    for (const q of this.queues) {
      const all = new Set<QueueEntry>([...q.list(), ...q.inFlight, ...q.walEntries()]);
      for (const e of all) {
        for (const r of e.recs) recs.add(r.issueSeq);
        if (e.kind === 'incr') incr.set(e.key, (incr.get(e.key) ?? 0) + e.ops);
      }
    }
    return { has: (r) => recs.has(r), incrOps: (k) => incr.get(k) ?? 0 };
  }

  private dbView() {
    return { row: (k: string) => this.db.peek(k) };
  }

  /** Run every pending event (a live write-behind queue drains at its next flush), then settle the verdicts. */
  finish(eventLimit = 50_000_000): Metrics {
    if (!this.sched.runAll(eventLimit)) throw new Error(`the run did not settle after ${eventLimit} events`);
    if (!this.finished) {
      this.finished = true;
      for (const n of this.nodes) this.m.cachePollution += n.unreadWrites();
      this.finalLost = this.checker.lostWrites(this.dbView(), NOTHING_PENDING);
    }
    return this.metrics();
  }

  /** Metrics now; before `finish`, lostWrites counts writes already beyond recovery. */
  metrics(): Metrics {
    const hits = this.m.cacheHits;
    const lookups = hits + this.m.cacheMisses;
    let depth = 0;
    for (const q of this.queues) depth += q.length;
    return {
      acknowledgedWrites: this.m.acknowledgedWrites,
      failedWrites: this.m.failedWrites,
      reads: this.m.reads,
      failedReads: this.m.failedReads,
      cacheHits: hits,
      cacheMisses: this.m.cacheMisses,
      missesAfterWrite: this.m.missesAfterWrite,
      hitRatio: lookups === 0 ? 0 : round3(hits / lookups),
      staleReads: this.checker.staleReads,
      staleFills: this.m.staleFills,
      lostWrites: this.finalLost ?? this.checker.lostWrites(this.dbView(), this.pending()),
      dbWrites: this.db.writesApplied,
      dbReads: this.m.dbReads,
      dbRoundTrips: this.m.dbRoundTrips,
      cachePollution: this.m.cachePollution,
      evictions: this.m.evictions,
      maxQueueDepth: this.m.maxQueueDepth,
      queueDepth: depth,
      retries: this.m.retries,
      deadLetters: this.m.deadLetters,
      rejectedWrites: this.m.rejectedWrites,
      rollbacks: this.m.rollbacks,
      writeLatencyMs: this.writeLatency.summary(),
      readLatencyMs: this.readLatency.summary(),
    };
  }

  snapshot(): EngineSnapshot {
    const now = this.now;
    return {
      time: now,
      nodes: this.nodes.map((n, i) => {
        const q = this.queues[i] as WriteBehindQueue;
        const queued = [...q.inFlight].map((e) => ({ e, inFlight: true })).concat(q.list().map((e) => ({ e, inFlight: false })));
        return {
          name: n.name,
          up: n.up,
          entries: n.entries().map(([key, e]) => ({ key, value: e.value, version: e.rec.id, ttlLeftMs: n.remainingTtl(key), unreadWrite: e.unreadWrite })),
          queue: queued.map(({ e, inFlight }) => ({
            key: e.key,
            kind: e.kind,
            value: e.value,
            delta: e.delta,
            writes: e.recs.map((r) => r.id),
            ageMs: now - e.enqueuedAt,
            retries: e.retries,
            inFlight,
          })),
          wal: q.walEntries().flatMap((e) => e.recs.map((r) => r.id)),
          deadLetters: q.deadLetters.map((e) => ({ key: e.key, writes: e.recs.map((r) => r.id) })),
        };
      }),
      db: this.db.keys().map((k) => {
        const r = this.db.peek(k);
        return { key: k, value: r?.value ?? null, version: r?.rec.id ?? 0, rowVersion: r?.rowVersion ?? 0 };
      }),
      dbDown: this.db.isDown(),
      dbFailNext: this.db.failingWrites,
      metrics: this.metrics(),
    };
  }
}

function toRowWrite(e: QueueEntry): RowWrite {
  const rec = e.recs[e.recs.length - 1] as WriteRecord;
  return e.kind === 'incr' ? { kind: 'incr', key: e.key, delta: e.delta, ops: e.ops, rec } : { kind: 'set', key: e.key, value: e.value, rec };
}

function entryValue(e: QueueEntry): Json {
  return e.kind === 'incr' ? e.delta : e.value;
}

function describeEntry(e: QueueEntry): string {
  const n = e.recs.length;
  return e.kind === 'incr' ? `+${e.delta} on ${e.key} (${n} increment${n === 1 ? '' : 's'})` : `${e.key} (${n} write${n === 1 ? '' : 's'})`;
}

/** Virtual milliseconds as a short duration (`250ms`, `5s`, `2m`). */
export function fmt(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
