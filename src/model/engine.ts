// The simulation engine: clients' operations run through the chosen strategy as small state machines on the
// virtual clock, hop by hop (each hop costs its round trip), so concurrent operations interleave as the schedule
// dictates. It records a trace step per hop, keeps the metrics, and feeds the consistency checker with the history.
//
// Each operation is one object that is also its own scheduler event: a hop sets the operation's next step and puts
// it back in the scheduler, so a hop allocates nothing. Per key, the engine keeps one `KeyState` (the checker's history,
// the write stamps per node, the row lock), found once when the operation starts.
import { CacheNode } from './cacheNode';
import type { CacheEntry, EntryMirror, LeaveReason } from './cacheNode';
import { ConsistencyChecker } from './consistency';
import type { CommitToken, KeyHistory, Pending } from './consistency';
import { Database } from './database';
import type { Row } from './database';
import { LatencyHistogram, round3 } from './histogram';
import { copyStamp, incremented } from './types';
import { blankRecord, RecordFactory } from './records';
import { Scheduler } from './scheduler';
import type { Timed } from './scheduler';
import type { Action, EngineOptions, Json, Lane, Metrics, Outcome, TraceStep, WriteStamp } from './types';
import { entryIssues, entryWriteIds, entryWrites, WriteBehindQueue } from './writeBehindQueue';
import type { PendingSlot, QueueEntry } from './writeBehindQueue';
import { plural } from './words';

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

/**
 * What the engine keeps per key, found once per operation; it is also the checker's history of the key, so an
 * operation touches one object for all of it. Bounded by the key space, not by the run's length.
 */
export interface KeyState extends KeyHistory {
  /** The key's database row once it exists (rows are updated in place, never removed). */
  row: Row | undefined;
  /** Writes and invalidations node1 has seen for the key (a load's lease, see `readThrough`); `stamps` for the rest. */
  stamp: number;
  stamps: number[] | null;
  /** Nodes (bit i-1 for node i, up to 30; beyond that `invalidatedMore`) where a write invalidated the key and no read has missed since. */
  invalidated: number;
  invalidatedMore: Set<number> | null;
  /** The row lock write-through takes; writers waiting for it, in order. */
  locked: boolean;
  lockWaiters: Op[] | null;
  /**
   * The key's slot in node1's write-behind queue is the key state itself (`entry`, and `ks` pointing back here), so
   * the common case touches no other object; `slots` holds the other nodes' (index node - 1), made on first use.
   */
  entry: QueueEntry | undefined;
  readonly ks: KeyState;
  /** The key's entry in node1 while it is cached there (node1's mirror, see EntryMirror); other nodes are asked. */
  cached: CacheEntry | undefined;
  slots: (KeySlot | undefined)[] | null;
}

/** A key's slot in one node's write-behind queue; it leads back to the key's state (a flush finds the row there). */
interface KeySlot extends PendingSlot {
  readonly ks: KeyState;
}

/** The note of a write-behind acknowledgement: where the write is when its caller hears back. */
function writeBehindAckNote(wal: boolean, backup: boolean): string {
  const head = 'acknowledged before the database has it: ';
  if (!wal && !backup) return `${head}the write is only in the cache and its queue`;
  const stores = wal ? 'the write is in the cache, its queue and the write-ahead log' : 'the write is in the cache and its queue';
  return backup ? `${head}${stores}, and the backup member holds a copy of the queue` : head + stores;
}

/** A client as the engine sees it: its name and the extra delay it adds to every hop. */
export interface ClientRef {
  readonly name: string;
  readonly delay: number;
}

/** Called when an operation completes; the operation's result fields are final then. */
export type OpDone = (op: Op) => void;

// The processes an operation can run, and (per process) the step it resumes at.
const P_WRITE_THROUGH = 0;
const P_WRITE_BEHIND = 1;
const P_WRITE_DB = 2;
const P_INVALIDATE = 3;
const P_READ_THROUGH = 4;
const P_READ_ASIDE = 5;
const P_READ_DB = 6;

/**
 * One client operation in flight: its request, where it is in its strategy's steps, and (once done) its result.
 * The engine reuses an operation object once the operation is over, so its fields are read inside `done`.
 */
export class Op implements Timed, CommitToken {
  time = 0;
  seq = 0;
  proc = 0;
  step = 0;
  /** The operation has run its last step (it goes back to the engine's spares after this event). */
  over = false;
  /**
   * The record of a write, reissued for each write this object carries (see `issueWrite`): nothing keeps a record past
   * its operation. Read only by write steps, after the write is issued.
   */
  readonly rec = blankRecord();
  /** Reads: the newest acknowledged issue position when the read began (the checker's token). */
  token = -1;
  /** Reads: what the checker remembers of the key's row when the read began (set at every read's start). */
  commitSeq = -1;
  commitIssue = 0;
  commitAck = 0;
  incarnation = 0;
  lease = 0;
  /** Queue-full backpressure was announced (write-behind). */
  announced = false;
  /** The database committed this write but its reply was lost (`fail db next N replies`): the writer hears an error. */
  replyLost = false;
  /**
   * Before-image of the cache entry (write-through rollback), copied since entries are overwritten in place: whether
   * there was one, and its value, stamp and unread mark (`before` is this operation's own, reused, object).
   */
  had = false;
  beforeValue: Json | undefined = undefined;
  readonly before: WriteStamp = { id: 0, issueSeq: 0, ackSeq: undefined, commitSeq: undefined };
  beforeUnread = false;
  /**
   * The row's value and stamp as the database returned them: cache-aside keeps them across the fill hop, and a
   * counter on a cold cache takes its base from the value.
   */
  rowValue: Json | undefined = undefined;
  readonly rowStamp: WriteStamp = { id: 0, issueSeq: 0, ackSeq: undefined, commitSeq: undefined };
  // Result.
  ok = false;
  error: string | undefined = undefined;
  value: Json | undefined = undefined;
  version: number | undefined = undefined;
  stale = false;
  hit: boolean | undefined = undefined;
  endTime = 0;

  constructor(
    private readonly engine: Engine,
    public id: number,
    public kind: OpKind,
    public ks: KeyState,
    /** The written value, or the increment's amount. */
    public input: Json | undefined,
    public client: ClientRef,
    public node: number,
    public nodeLane: Lane,
    public line: number | null,
    public start: number,
    public done: OpDone,
  ) {}

  /** Make a spent operation a fresh one (every field as the constructor leaves it). */
  reuse(id: number, kind: OpKind, ks: KeyState, input: Json | undefined, client: ClientRef, node: number, nodeLane: Lane, line: number | null, start: number, done: OpDone): void {
    this.id = id;
    this.kind = kind;
    this.ks = ks;
    this.input = input;
    this.client = client;
    this.node = node;
    this.nodeLane = nodeLane;
    this.line = line;
    this.start = start;
    this.done = done;
    this.proc = 0;
    this.step = 0;
    this.over = false;
    this.token = -1;
    this.incarnation = 0;
    this.lease = 0;
    this.announced = false;
    this.replyLost = false;
    this.had = false;
    this.beforeValue = undefined;
    this.beforeUnread = false;
    this.rowValue = undefined;
    this.ok = false;
    this.error = undefined;
    this.value = undefined;
    this.version = undefined;
    this.stale = false;
    this.hit = undefined;
    this.endTime = 0;
  }

  /** The increment's amount (1 unless given). */
  get amount(): number {
    return typeof this.input === 'number' ? this.input : 1;
  }

  fire(): void {
    this.engine.advance(this);
  }

  result(): OpResult {
    return {
      op: this.id,
      kind: this.kind,
      key: this.ks.key,
      client: this.client.name,
      line: this.line,
      ok: this.ok,
      error: this.error,
      value: this.value,
      version: this.version,
      stale: this.stale,
      hit: this.hit,
      startTime: this.start,
      endTime: this.endTime,
    };
  }
}

/** A node's flusher: also its own scheduler event while its batch is out to the database. */
class Flusher implements Timed {
  time = 0;
  seq = 0;
  flushing = false;
  /** A tick is scheduled for this time (null: none). */
  tickAt: number | null = null;
  /** That tick was set for the next interval (not for a retry): it stays at or before the next interval while pending. */
  tickOnGrid = false;
  /** Writers waiting for room in a full queue. */
  waiting: Op[] = [];
  /** The running flush: the batch out to the database, the node's incarnation then. */
  batch: QueueEntry[] = [];
  incarnation = 0;
  /** The node is shutting down gracefully and its queue still drains (the flusher runs on though the node is down). */
  draining = false;
  /** Bumped whenever a drain starts or ends, so a shutdown's deadline can tell it belongs to an earlier drain. */
  drainToken = 0;
  /** The scenario line of the shutdown that started the drain: its deadline's and its end's steps are shown there. */
  drainLine: number | null = null;

  constructor(
    private readonly engine: Engine,
    readonly idx: number,
  ) {}

  fire(): void {
    this.engine.flushLanded(this);
  }
}

/** Everything the debugger and the views show about the state at one moment. */
export interface EngineSnapshot {
  time: number;
  nodes: {
    name: string;
    up: boolean;
    /** Down after `shutdown cache`, with its write-behind queue still draining to the database. */
    shuttingDown: boolean;
    /** Most recently used first. */
    entries: { key: string; value: Json; version: number; ttlLeftMs: number | null; unreadWrite: boolean }[];
    /**
     * Pending entries, oldest first. `dueInMs`: how long the entry still waits before a flush may take it (its write
     * delay, or its retry's backoff); 0 when it goes at the next flush.
     */
    queue: { key: string; kind: 'set' | 'incr'; value: Json; delta: number; writes: number[]; ageMs: number; dueInMs: number; retries: number; inFlight: boolean }[];
    wal: number[];
    deadLetters: { key: string; writes: number[] }[];
  }[];
  db: { key: string; value: Json; version: number; rowVersion: number }[];
  dbDown: boolean;
  dbFailNext: number;
  /** Keys whose every write transaction fails (`fail db key`), sorted. */
  dbRefusedKeys: string[];
  /** Write transactions still to commit whose replies will be lost. */
  dbLoseReplies: number;
  metrics: Metrics;
}

const MAX_RETRY_DELAY_MS = 60_000;
const isSet = (e: QueueEntry): boolean => e.kind === 'set';

/**
 * What a key's row becomes once `pending` (the node's entries for the key still to be stored, oldest first: see
 * `WriteBehindQueue.pendingFor`) land on `row`. A counter's base on a node that does not hold the key is the row as
 * loaded with these applied, since a new increment lands after all of them: without them the node would count on a
 * row that misses its own pending writes, and its cached count would stay short of the database's for good
 * (Hazelcast's store answers such a load from its write-behind staging area the same way); `writeBehind.loadFromQueue`
 * answers a read's miss with it.
 */
function withPending(row: Json | undefined, pending: readonly QueueEntry[]): Json | undefined {
  let value = row;
  for (const e of pending) value = e.kind === 'set' ? e.value : incremented(value, e.delta);
  return value;
}
/** The error a writer gets when the database committed its write but the reply was lost. */
const REPLY_LOST = 'no reply from the database (timed out): the write may or may not have committed';

/**
 * The writes of one queue entry in a batch the database committed but whose reply was lost (every id of the entry maps
 * to it): for an increment entry, its summed delta and client increments (what applying it again adds twice).
 */
interface UnconfirmedGroup {
  incr: boolean;
  delta: number;
  ops: number;
}
const MAX_SPARE_OPS = 1024;

export class Engine {
  readonly sched = new Scheduler();
  readonly checker = new ConsistencyChecker();
  readonly db: Database;
  readonly nodes: CacheNode[] = [];
  readonly queues: WriteBehindQueue[] = [];
  readonly steps: TraceStep[] = [];
  private readonly flushers: Flusher[] = [];
  private readonly keyStates = new Map<string, KeyState>();
  private readonly clients = new Map<string, ClientRef>();
  private readonly records = new RecordFactory();
  private readonly writeLatency = new LatencyHistogram();
  private readonly readLatency = new LatencyHistogram();
  private readonly tracing: boolean;
  private readonly cacheMs: number;
  private readonly dbMs: number;
  /** Per node index: its lane name (index 0 unused). */
  private readonly lanes: (Lane | undefined)[] = [undefined];
  /** The processes this strategy runs for reads (through a cache) and writes. */
  private readonly readProc: number;
  private readonly writeProc: number;
  /** Write-through + cache-aside (a fill is dropped when a write touched the key since the miss). */
  private readonly hybrid: boolean;
  /** What a write-behind acknowledgement says holds the write (the log and a backup member outlive a crash). */
  private readonly behindAckNote: string;
  /** writeBehind.flushSize, or infinity when off (one comparison per queued write). */
  private readonly flushSize: number;
  /** Write-behind with `writeBehind.loadFromQueue`: a miss on a key still queued is answered from the queue. */
  private readonly loadFromQueue: boolean;
  private nextOp = 1;
  /** Operations that are over, kept to carry new ones (a closed-loop workload allocates none per operation). */
  private readonly spares: Op[] = [];
  private finished = false;
  private readonly clock = { now: (): number => this.sched.now };
  /** Called after each trace step is recorded (the debugger snapshots state here). */
  onStep: ((step: TraceStep) => void) | undefined;
  /**
   * Trace steps a run may record: once it has this many, the run stops after the current event (`finish` says so).
   * A trace grows with the run, so this bounds its memory.
   */
  stepLimit = Number.POSITIVE_INFINITY;
  /**
   * Write ids the trace's steps may list in all (`TraceStep.writes`), checked with `stepLimit`. A flush lists every
   * write its batch carries, and a batch failing again and again lists them again at each retry, so a short trace
   * can still hold millions of ids (a retry every millisecond against a long outage, with coalescing folding more
   * writes into the same entries each time).
   */
  traceWriteLimit = Number.POSITIVE_INFINITY;
  /** Write ids listed by the trace's steps so far. */
  private traceWrites = 0;

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
    maxPendingAgeMs: 0,
    retries: 0,
    deadLetters: 0,
    rejectedWrites: 0,
    queueOverflows: 0,
    rollbacks: 0,
    duplicateWrites: 0,
  };
  private finalLost: number | undefined;

  constructor(readonly options: EngineOptions) {
    this.tracing = options.trace;
    this.cacheMs = options.cache.latencyMs;
    this.dbMs = options.db.latencyMs;
    this.db = new Database(this.clock);
    const hooks = { onLeave: (n: CacheNode, k: string, e: CacheEntry, r: LeaveReason) => this.onLeave(n, k, e, r) };
    for (let i = 1; i <= options.cache.nodes; i++) {
      this.nodes.push(new CacheNode(i, options.cache.capacity, options.cache.ttlMs, this.clock, hooks));
      this.queues.push(new WriteBehindQueue(options.writeBehind.coalescing, options.writeBehind.wal, options.writeBehind.order === 'strict', options.writeBehind.writeDelayMs ?? 0));
      this.flushers.push(new Flusher(this, i));
    }
    // The checker's histories are the engine's key states (adopted in `keyState`).
    this.checker.pruning = true;
    for (const n of this.nodes) this.lanes.push(n.name);
    const st = options.strategy;
    this.readProc = st === 'cache-aside' || st === 'write-through+cache-aside' ? P_READ_ASIDE : P_READ_THROUGH;
    this.writeProc = st === 'write-through' || st === 'write-through+cache-aside' ? P_WRITE_THROUGH : st === 'write-behind' ? P_WRITE_BEHIND : P_WRITE_DB;
    this.hybrid = st === 'write-through+cache-aside';
    this.flushSize = options.writeBehind.flushSize ?? Number.POSITIVE_INFINITY;
    this.loadFromQueue = options.writeBehind.loadFromQueue && this.writeProc === P_WRITE_BEHIND;
    this.behindAckNote = writeBehindAckNote(options.writeBehind.wal, options.writeBehind.backup);
    // Write-behind lands writes after their acknowledgement: what is still pending bounds every key's floor.
    if (this.writeProc === P_WRITE_BEHIND) this.checker.pendingBound = () => this.pendingBound();
  }

  get now(): number {
    return this.sched.now;
  }

  /**
   * Client operations started so far (their ids are 1 up to this). Read at a step, it says which operations had begun
   * by then, which the time alone cannot in a millisecond where several things happen.
   */
  get opsIssued(): number {
    return this.nextOp - 1;
  }

  /** The engine's state for a key (created on first use); hold it to start many operations on the key. */
  keyState(key: string): KeyState {
    let ks = this.keyStates.get(key);
    if (ks === undefined) {
      // One literal with every field, so all key states share one shape.
      const fresh: Omit<KeyState, 'ks'> & { ks: KeyState | null } = {
        key,
        newestAckedIssue: -1,
        ackedIncrs: 0,
        hasSet: false,
        commitSeq: -1,
        commitIssue: 0,
        commitAck: undefined,
        glimpsedIssue: -1,
        glimpses: 0,
        row: this.db.peek(key),
        stamp: 0,
        stamps: null,
        invalidated: 0,
        invalidatedMore: null,
        locked: false,
        lockWaiters: null,
        entry: undefined,
        ks: null,
        cached: undefined,
        slots: null,
      };
      fresh.ks = fresh as KeyState;
      ks = this.checker.adopt(fresh as KeyState);
      this.keyStates.set(key, ks);
    }
    return ks;
  }

  /** A client by name (created on first use), with its configured delay. */
  client(name: string): ClientRef {
    let c = this.clients.get(name);
    if (c === undefined) {
      // Own keys only: a client named `constructor` or `toString` would otherwise get Object's method as its delay.
      c = { name, delay: Object.hasOwn(this.options.clientDelayMs, name) ? (this.options.clientDelayMs[name] as number) : 0 };
      this.clients.set(name, c);
    }
    return c;
  }

  // ---------------------------------------------------------------- setup and faults

  /** A row present before the run. */
  load(key: string, value: Json, line: number | null = null): void {
    const rec = this.records.preloaded(key);
    this.db.load(key, value, rec);
    this.committed(this.keyState(key));
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.write', key, 'persisted', 0, `row ${key} exists before the run`, { value, version: rec.id });
  }

  /** Node `index` is down after `shutdown cache` and its write-behind queue still drains (a crash or a shutdown still ends or changes that). */
  draining(index: number): boolean {
    this.node(index);
    return (this.flushers[index - 1] as Flusher).draining;
  }

  crashNode(index: number, line: number | null = null): void {
    const node = this.node(index);
    const fl = this.flushers[index - 1] as Flusher;
    // A node still draining its queue after a shutdown can crash: the drain ends there, as its process does.
    if (!node.up && !fl.draining) return;
    this.endDrain(fl);
    const q = this.queues[index - 1] as WriteBehindQueue;
    const backup = this.options.writeBehind.backup;
    const queued = q.length;
    node.crash();
    let lost: QueueEntry[] = [];
    if (!backup) lost = q.crash();
    if (this.tracing) {
      const lostIds = lost.flatMap(entryWriteIds);
      const entries = queued === 1 ? '1 pending queue entry' : `${queued} pending queue entries`;
      const what = backup
        ? `its ${entries} ${queued === 1 ? 'lives' : 'live'} on in the backup member, which keeps flushing`
        : this.options.writeBehind.wal
          ? `${entries}${q.inFlight.length > 0 ? ` (and ${q.inFlight.length} out to the database)` : ''} ${queued === 1 && q.inFlight.length === 0 ? 'is' : 'are'} gone from memory but safe in the write-ahead log`
          : queued > 0
            ? `${plural(lostIds.length, 'acknowledged write')} in its queue never reached the database: ${lostIds.length === 1 ? 'it is' : 'they are'} lost`
            : 'its memory is gone';
      this.emit(null, line, node.name, node.name, 'crash', null, lost.length > 0 ? 'lost' : 'ok', 0, `${node.name} crashed: cache emptied; ${what}`);
      this.traceLost(node, line, lost);
    }
    // Writers waiting on this node's queue fail now.
    this.wake(index);
  }

  restartNode(index: number, line: number | null = null): void {
    const node = this.node(index);
    if (node.up) return;
    const fl = this.flushers[index - 1] as Flusher;
    // Restarted during a shutdown's drain: the queue never left memory, so it carries on as it is (nothing to replay).
    const draining = fl.draining;
    this.endDrain(fl);
    node.restart();
    const q = this.queues[index - 1] as WriteBehindQueue;
    const replayed = this.options.writeBehind.backup || draining ? [] : q.replay(this.now);
    if (replayed.length > 0) this.noteQueueDepth();
    if (this.tracing) {
      const still = draining && q.length + q.inFlight.length > 0 ? `; its queue, which was still draining, stays with it and goes on flushing (${pendingEntries(q.length + q.inFlight.length)})` : '';
      this.emit(null, line, node.name, node.name, 'restart', null, 'ok', 0, `${node.name} restarted with an empty cache${still}`);
      if (replayed.length > 0) {
        this.emit(null, line, `${node.name}/queue`, `${node.name}/queue`, 'wal.replay', null, 'pending', 0, `replayed ${entries(replayed.length)} from the write-ahead log into the queue`, {
          writes: replayed.flatMap(entryWriteIds),
        });
      }
    }
    this.ensureTick(index);
  }

  /**
   * A graceful shutdown of node `index`: it stops serving clients at once (its cache empties, as the process's memory
   * goes), while its write-behind queue goes on flushing, without waiting for the interval, until it is empty or
   * `timeoutMs` has passed (null: no limit; undefined: `writeBehind.shutdownTimeoutMs`). What is still queued at the
   * deadline is lost as in a crash, unless the write-ahead log keeps it for a restart. With a backup member the
   * queue is not the node's to drain: the backup member flushes it, as after a crash.
   */
  shutdownNode(index: number, timeoutMs?: number | null, line: number | null = null): void {
    const node = this.node(index);
    const fl = this.flushers[index - 1] as Flusher;
    const wb = this.options.writeBehind;
    const limit = timeoutMs === undefined ? wb.shutdownTimeoutMs : timeoutMs;
    // Where the limit came from, for the notes: the line's own, or the setting's.
    const source = timeoutMs === undefined ? ' (writeBehind.shutdownTimeout)' : '';
    const q = this.queues[index - 1] as WriteBehindQueue;
    const pending = q.length + q.inFlight.length;
    if (!node.up) {
      // Shut down again while its queue drains: the new limit counts from now and replaces the old one.
      if (!fl.draining) return;
      if (limit === 0) return this.drainTimedOut(fl, 0, line, source);
      if (this.tracing) {
        const bound = limit === null ? 'it waits however long its queue takes' : `it now waits at most ${fmt(limit)} more${source}`;
        this.emit(null, line, node.name, node.name, 'shutdown', null, 'pending', 0, `${node.name} is already shutting down (${pendingEntries(pending)}): ${bound}`);
      }
      return this.startDrain(fl, limit, line);
    }
    // A node that drains keeps its process (and so owns its batches out to the database) until the drain ends.
    const drains = pending > 0 && !wb.backup && limit !== 0;
    node.stop(!drains);
    // Writers waiting for room in this node's queue fail now, as the node no longer takes writes.
    this.wake(index);
    if (pending === 0 || wb.backup) {
      if (this.tracing) {
        const what =
          pending > 0
            ? `; its ${pendingEntries(pending)} ${pending === 1 ? 'lives' : 'live'} on in the backup member, which keeps flushing`
            : this.writeProc === P_WRITE_BEHIND
              ? '; nothing was waiting in its queue'
              : '';
        this.emit(null, line, node.name, node.name, 'shutdown', null, 'ok', 0, `${node.name} shut down: it no longer serves clients and its cache is gone${what}`);
      }
      return;
    }
    // Timeout 0: the node does not wait, and what is pending goes as in a crash (an in-flight batch too, should it fail).
    if (limit === 0) return this.drainTimedOut(fl, 0, line, source);
    // Draining from here on (the step's snapshot shows it so).
    fl.draining = true;
    if (this.tracing) {
      const bound = limit === null ? 'however long that takes' : `for at most ${fmt(limit)}${source}`;
      this.emit(null, line, node.name, node.name, 'shutdown', null, 'pending', 0, `${node.name} shutting down: it no longer serves clients and its cache is gone; it flushes its ${pendingEntries(pending)} now, ${bound}`);
    }
    this.startDrain(fl, limit, line);
  }

  /**
   * Drain `fl`'s queue from now on, for at most `limit` ms (null: no limit), flushing at once. A deadline set by an
   * earlier shutdown of the node no longer applies.
   */
  private startDrain(fl: Flusher, limit: number | null, line: number | null): void {
    fl.draining = true;
    fl.drainToken++;
    fl.drainLine = line;
    // The drain stores what is queued at once, whatever is left of its write delay.
    (this.queues[fl.idx - 1] as WriteBehindQueue).ripen(this.now);
    if (limit !== null) {
      const token = fl.drainToken;
      this.sched.at(this.now + limit, () => {
        if (fl.draining && fl.drainToken === token) this.drainTimedOut(fl, limit, fl.drainLine, '');
      });
    }
    // Flush now rather than at the next interval (an entry waiting for its retry still waits: see ensureTick).
    fl.tickOnGrid = false;
    if (fl.flushing) return;
    fl.tickAt = null;
    this.startFlush(fl);
  }

  /** Stop a drain (it finished, timed out, or the node crashed or restarted meanwhile), cancelling its deadline. */
  private endDrain(fl: Flusher): void {
    if (!fl.draining) return;
    fl.draining = false;
    fl.drainToken++;
  }

  /**
   * A shutdown's deadline passed (or it had none to give: `limit` 0) with entries still queued: they are lost.
   * `source`: where a limit of 0 came from, for the note.
   */
  private drainTimedOut(fl: Flusher, limit: number, line: number | null, source: string): void {
    this.endDrain(fl);
    const node = this.node(fl.idx);
    // The node's process ends here: a batch still out belongs to nobody now, as after a crash (should it fail, even
    // after a restart, its writes are lost unless the log keeps them).
    node.incarnation++;
    const q = this.queues[fl.idx - 1] as WriteBehindQueue;
    const queued = q.length;
    const flying = q.inFlight.length;
    const lost = q.crash();
    if (this.tracing) {
      const lostIds = lost.flatMap(entryWriteIds);
      const out = flying > 0 ? `; the batch already out to the database (${entries(flying)}) still lands, unless it fails` : '';
      const what =
        queued === 0
          ? 'nothing else is queued'
          : this.options.writeBehind.wal
            ? `its ${pendingEntries(queued)} ${queued === 1 ? 'stays' : 'stay'} in the write-ahead log for a restart to replay`
            : `${plural(lostIds.length, 'acknowledged write')} still in its queue never reached the database: ${lostIds.length === 1 ? 'it is' : 'they are'} lost`;
      const head = limit === 0 ? `${node.name} shut down without waiting for its queue (shutdown timeout 0ms${source})` : `${node.name} stopped waiting after ${fmt(limit)} (its shutdown timeout)`;
      this.emit(null, line, node.name, node.name, 'shutdown', null, lost.length > 0 ? 'lost' : 'ok', 0, `${head}: ${what}${out}`);
      this.traceLost(node, line, lost);
    }
  }

  /** One `queue.lost` step per queue entry a crash or a shutdown's deadline threw away (only while tracing). */
  private traceLost(node: CacheNode, line: number | null, lost: readonly QueueEntry[]): void {
    for (const e of lost) {
      this.emit(null, line, `${node.name}/queue`, `${node.name}/queue`, 'queue.lost', e.key, 'lost', 0, `lost ${describeEntry(e)}: acknowledged, never persisted`, {
        value: e.kind === 'set' ? e.value : e.delta,
        writes: entryWriteIds(e),
      });
    }
  }

  /** A draining node whose queue is empty, with nothing out to the database, has finished its shutdown. */
  private checkDrained(fl: Flusher): void {
    if (!fl.draining) return;
    const q = this.queues[fl.idx - 1] as WriteBehindQueue;
    if (q.length > 0 || q.inFlight.length > 0) return;
    this.endDrain(fl);
    const node = this.node(fl.idx);
    // The node's process ends with its drain: an operation still on its way to it fails, even after a restart.
    node.incarnation++;
    if (this.tracing) this.emit(null, fl.drainLine, node.name, node.name, 'shutdown', null, 'ok', 0, `${node.name} finished shutting down: its queue drained, so every write that was still in it has reached the database or the dead letters`);
  }

  failDbFor(ms: number, line: number | null = null): void {
    this.db.goDown(ms);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.down', null, 'error', 0, `database down until ${fmt(this.db.downUntilMs)}`);
    const until = this.db.downUntilMs;
    this.sched.at(until, () => {
      // Outages declared to end at one instant (a shorter one inside a longer) end once: one step, not one each.
      if (this.tracing && this.db.downUntilMs === until && this.dbUpTraced !== until) {
        this.dbUpTraced = until;
        this.emit(null, null, 'db', 'db', 'db.up', null, 'ok', 0, 'database is back up');
      }
    });
  }

  /** The end of an outage already traced as "database is back up" (-1: none). */
  private dbUpTraced = -1;

  failDbNext(writes: number, line: number | null = null): void {
    this.db.failNextWrites(writes);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.failNext', null, 'error', 0, `the next ${writes === 1 ? 'database write transaction' : `${writes} database write transactions`} will fail`);
  }

  /** From now until `recover db`, every write transaction that writes `key` fails (a poison row). */
  failDbKey(key: string, line: number | null = null): void {
    this.db.refuseKey(key);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.failKey', key, 'error', 0, `the database refuses every write of ${key} until it recovers: a transaction that writes it fails as a whole`);
  }

  /** The next `n` write transactions commit, but their replies are lost: each writer takes its write for failed. */
  failDbReplies(n: number, line: number | null = null): void {
    this.db.loseNextReplies(n);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.failNext', null, 'error', 0, `the next ${n === 1 ? 'database write transaction commits' : `${n} database write transactions commit`}, but ${n === 1 ? 'its reply is' : 'their replies are'} lost: the writer cannot tell the write happened`, { replyLost: true });
  }

  /** The poison row `key` is fixed (`recover db key KEY`): its writes commit again; every other fault stays. */
  recoverDbKey(key: string, line: number | null = null): void {
    const was = this.db.recoverKey(key);
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.up', key, 'ok', 0, was ? `the database takes writes of ${key} again (the row is fixed); any other fault stays` : `the database was not refusing writes of ${key}: nothing changes`);
  }

  recoverDb(line: number | null = null): void {
    this.db.recover();
    if (this.tracing) this.emit(null, line, 'db', 'db', 'db.up', null, 'ok', 0, 'database recovered');
  }

  // ---------------------------------------------------------------- client operations

  /**
   * Start a client operation now; `done` is called with its result when it completes (after its ack or error), and
   * `settled` once it has run its last step: at the same moment, or later for a write-around or cache-aside write,
   * whose invalidation lands one cache round trip after the acknowledgement.
   */
  issue(req: OpRequest, done: (r: OpResult) => void = () => {}, settled?: () => void): number {
    const input = req.kind === 'write' ? (req.value ?? null) : req.kind === 'incr' ? (req.amount ?? 1) : undefined;
    const onDone =
      settled === undefined
        ? (o: Op) => done(o.result())
        : (o: Op) => {
            done(o.result());
            // Over at its acknowledgement, or still to invalidate (`invalidate` calls `settled` then).
            if (o.over) settled();
            else (this.trailing ??= new Map()).set(o, settled);
          };
    return this.submit(req.kind, this.keyState(req.key), input, this.client(req.client), req.node, req.line, onDone).id;
  }

  /** Operations acknowledged whose caller waits for their last step (see `issue`); null until one does. */
  private trailing: Map<Op, () => void> | null = null;

  /**
   * Start a client operation now without building a request or a result (generated workloads): `input` is the
   * written value, or the increment's amount. `done` gets the operation itself once its result fields are final.
   */
  submit(kind: OpKind, ks: KeyState, input: Json | undefined, client: ClientRef, node: number, line: number | null, done: OpDone): Op {
    const lane = this.lanes[node];
    if (lane === undefined) this.node(node); // throws: no such node
    const spare = this.spares.pop();
    let op: Op;
    if (spare === undefined) op = new Op(this, this.nextOp++, kind, ks, input, client, node, lane as Lane, line, this.now, done);
    else {
      op = spare;
      op.reuse(this.nextOp++, kind, ks, input, client, node, lane as Lane, line, this.now, done);
    }
    op.proc = kind === 'read' ? this.readProc : kind === 'read-db' ? P_READ_DB : this.writeProc;
    this.advance(op);
    return op;
  }

  /** Run an operation's next step (called when it starts and whenever its hop or wait is over). */
  advance(op: Op): void {
    switch (op.proc) {
      case P_WRITE_THROUGH:
        this.writeThrough(op);
        break;
      case P_WRITE_BEHIND:
        this.writeBehind(op);
        break;
      case P_WRITE_DB:
        this.writeToDbThenInvalidate(op);
        break;
      case P_INVALIDATE:
        this.invalidate(op);
        break;
      case P_READ_THROUGH:
        this.readThrough(op);
        break;
      case P_READ_ASIDE:
        this.readAside(op);
        break;
      default:
        this.readDb(op);
    }
    // Over: nothing holds the operation any more (its `done` has run), so it can carry the next one. (Appended by
    // index: V8 left `push` here a builtin call, once per operation; see docs/performance-log.md.)
    if (op.over && this.spares.length < MAX_SPARE_OPS) this.spares[this.spares.length] = op;
  }

  /** Park `op` for `ms` virtual ms; it resumes at `step`. */
  private hop(op: Op, step: number, ms: number): void {
    op.step = step;
    this.sched.schedule(op, ms);
  }

  // Write-through (and the hybrid's writes): lock the row, cache, then database; roll the cache back on failure.
  // Steps: 0 issue and lock; 1 lock held; 2 at the cache; 3 a counter's base loaded; 4 at the database; 5 rolled back.
  private writeThrough(op: Op): void {
    const key = op.ks.key;
    const node = this.node(op.node);
    const cost = this.cacheMs + op.client.delay;
    switch (op.step) {
      case 0:
        this.issueWrite(op);
        if (!this.lock(op)) return; // queued for the lock: resumes at step 1
        op.incarnation = node.incarnation;
        return this.hop(op, 2, cost);
      case 1:
        op.incarnation = node.incarnation;
        return this.hop(op, 2, cost);
      case 2: {
        if (!node.up || node.incarnation !== op.incarnation) return this.failLocked(op, `${node.name} is down`, node.name);
        const before = node.peek(key, mirrorOf(op));
        if (before !== undefined) {
          op.had = true;
          op.beforeValue = before.value;
          copyStamp(op.before, before);
          op.beforeUnread = before.unreadWrite;
        }
        if (op.kind !== 'incr') return this.writeThroughApply(op, op.input ?? null, before);
        if (before !== undefined) return this.writeThroughApply(op, incremented(before.value, op.amount), before);
        // Counting on a cold cache: the node first loads the row (one DB round trip) so the cached count is the real one.
        return this.hop(op, 3, this.dbMs);
      }
      case 3: {
        const error = this.loadCount(op, node);
        if (error !== undefined) return this.failLocked(op, error, 'db');
        // The node crashed while the count loaded: the cache write never happens (as at step 2).
        if (!node.up || node.incarnation !== op.incarnation) return this.failLocked(op, `${node.name} is down`, node.name);
        return this.writeThroughApply(op, incremented(op.rowValue, op.amount), node.peek(key, mirrorOf(op)));
      }
      case 4: {
        this.m.dbRoundTrips++;
        const rec = op.rec;
        const action: Action = op.kind === 'incr' ? 'db.incr' : 'db.write';
        const error = this.db.beginWrite(key);
        if (error !== undefined) {
          op.error = error;
          if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, key, 'error', this.dbMs + op.client.delay, `database write failed: ${error}`, { value: op.value, version: rec.id });
          return this.hop(op, 5, cost);
        }
        const value = op.kind === 'incr' ? this.db.incrRow(key, op.amount, 1, rec, op.ks.row) : this.db.setRow(key, op.value ?? null, rec, op.ks.row);
        this.committed(op.ks);
        if (this.db.replyLost()) {
          // Committed, but the writer never hears so: it takes the write for failed and rolls its cache entry back.
          op.replyLost = true;
          op.error = REPLY_LOST;
          if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, key, 'persisted', this.dbMs + op.client.delay, 'database committed the write, but its reply was lost: the writer gets no answer and takes the write for failed', { value, version: rec.id, replyLost: true });
          return this.hop(op, 5, cost);
        }
        if (op.kind === 'incr' || this.tracing) this.writeThroughCommitted(op, node, action, value);
        // The caller hears first, then the lock passes on (in this same instant). The other order read better, but made
        // V8 lay out write-through's hot code worse (timed 10% slower, `npm run bench:ab`); the trace says what a write
        // the caller sends from its callback waits for (see `lock`).
        this.ackWrite(op, value, 'db', 'acknowledged after both the cache and the database confirmed');
        return this.unlock(op.ks);
      }
      default: {
        const had = op.had;
        // A node that crashed since the cache write lost the new value with the rest of its memory: nothing to undo.
        const same = node.up && node.incarnation === op.incarnation;
        if (same) {
          this.bump(op.ks, op.node);
          node.restore(key, had ? { value: op.beforeValue ?? null, w: op.before, unreadWrite: op.beforeUnread } : undefined, mirrorOf(op));
          this.m.rollbacks++;
        }
        if (this.tracing) {
          const note = !same
            ? `${node.name} ${node.up ? 'restarted' : node.downWord} since the cache write: the new value went with its memory, nothing to roll back`
            : op.replyLost
              ? `${node.name} ${had ? 'restored the old value' : 'dropped the new value'}, but the database kept the new one: the cache and the database now disagree`
              : had
                ? `${node.name} restored the old value: both stores keep it`
                : `${node.name} dropped the new value: both stores keep the old state`;
          this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.rollback', key, same ? 'ok' : 'error', cost, note, same ? { value: op.beforeValue, version: had ? op.before.id : undefined } : undefined);
        }
        return this.failLocked(op, op.error as string, op.nodeLane);
      }
    }
  }

  /**
   * Write-through: the node has the value; on to the database. (`op.value` carries it until the ack.) `before` is
   * the node's entry for the key, peeked in this same instant.
   */
  private writeThroughApply(op: Op, value: Json, before: CacheEntry | undefined): void {
    const node = this.node(op.node);
    const rec = op.rec;
    this.bump(op.ks, op.node);
    if (before !== undefined) node.overwrite(op.ks.key, before, value, rec, true);
    else node.add(op.ks.key, value, rec, true, mirrorOf(op));
    op.value = value;
    if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, op.kind === 'incr' ? 'cache.incr' : 'cache.set', op.ks.key, 'ok', this.cacheMs + op.client.delay, `${node.name} has the new value; not acknowledged yet: the database must confirm too`, { value, version: rec.id });
    this.hop(op, 4, this.dbMs + op.client.delay);
  }

  /**
   * Write-through's commit, for an increment or a traced run (a plain write untraced has nothing to do here): an
   * increment counted on a copy that missed increments made through another node commits a different count, and the
   * node's entry takes the database's, so the two agree as write-through promises; the trace says what the node holds.
   */
  private writeThroughCommitted(op: Op, node: CacheNode, action: Action, value: Json): void {
    const same = node.up && node.incarnation === op.incarnation;
    const entry = same ? node.peek(op.ks.key, mirrorOf(op)) : undefined;
    const holds = entry !== undefined && entry.id === op.rec.id;
    if (holds && value !== op.value) entry.value = value;
    if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, op.ks.key, 'persisted', this.dbMs + op.client.delay, committedNote(node, same, holds, op.value, value), { value, version: op.rec.id });
  }

  /** A write holding the row lock fails: the caller hears first, then the lock passes on (as at a commit). */
  private failLocked(op: Op, error: string, from: Lane): void {
    this.failWrite(op, error, from);
    this.unlock(op.ks);
  }

  /** The counter's base, loaded from the database for a cold cache; an error if the read failed. */
  private loadCount(op: Op, node: CacheNode): string | undefined {
    this.m.dbRoundTrips++;
    if (this.db.isDown()) return 'database is down';
    this.m.dbReads++;
    const row = this.rowOf(op.ks);
    op.rowValue = row?.value;
    // A missing row is a miss with no value, as on a read: a null here would claim the row holds null.
    if (this.tracing) {
      const note = row ? `${node.name} loads ${op.ks.key} to increment it` : `database has no row ${op.ks.key}: ${node.name} counts from 0`;
      this.emit(op, op.line, op.nodeLane, 'db', 'db.read', op.ks.key, row ? 'ok' : 'miss', this.dbMs, note, { value: row?.value, version: row?.id });
    }
    return undefined;
  }

  // Write-behind: the cache takes the write and queues it; the caller is acknowledged before the database has it.
  // Steps: 0 issue; 1 at the cache; 2 woken from a full queue; 3 a counter's base loaded; 4 the writer's own store of
  // a pending entry is back (whenFull flush).
  private writeBehind(op: Op): void {
    const node = this.node(op.node);
    switch (op.step) {
      case 0:
        this.issueWrite(op);
        op.incarnation = node.incarnation;
        return this.hop(op, 1, this.cacheMs + op.client.delay);
      case 1:
        if (!node.up || node.incarnation !== op.incarnation) return this.failWrite(op, `${node.name} is down`, node.name);
        return this.writeBehindAdmit(op);
      case 2:
        if (!node.up || node.incarnation !== op.incarnation) return this.failWrite(op, `${node.name} ${node.downWord} while the write waited`, node.name);
        return this.writeBehindAdmit(op);
      case 4: {
        const stored = this.writerStores?.get(op) as QueueEntry;
        this.writerStores?.delete(op);
        this.landBatch(op.node, [stored], op.incarnation, op);
        this.checkDrained(this.flushers[op.node - 1] as Flusher);
        // The flusher's next tick: the keys this store held are free again, and a failed entry waits for its retry.
        this.ensureTick(op.node);
        if (!node.up || node.incarnation !== op.incarnation) return this.failWrite(op, `${node.name} ${node.downWord} while the writer stored a pending entry`, node.name);
        // Room again, unless other writers took it meanwhile: then this writer stores another entry.
        return this.writeBehindAdmit(op);
      }
      default: {
        const error = this.loadCount(op, node);
        if (error !== undefined) return this.failWrite(op, error, 'db');
        if (!node.up || node.incarnation !== op.incarnation) return this.failWrite(op, `${node.name} is down`, node.name);
        // The queue may have filled up during the load: the counter is admitted again before it is applied.
        return this.writeBehindAdmit(op, true);
      }
    }
  }

  /**
   * Backpressure happens at the node, before the write is applied: reject, or park until a flush makes room.
   * `loaded`: a counter's base has just come back from the database (op.rowValue), in this same instant.
   */
  private writeBehindAdmit(op: Op, loaded = false): void {
    const key = op.ks.key;
    const idx = op.node;
    const node = this.node(idx);
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const wb = this.options.writeBehind;
    if (wb.maxQueue !== null && q.needsSlot(this.slotOf(op.ks, idx)) && q.length >= wb.maxQueue) {
      // Once per write, however often it finds the queue full again (a blocked writer woken into a queue others refilled).
      if (!op.announced) this.m.queueOverflows++;
      if (wb.whenFull === 'reject') {
        this.m.rejectedWrites++;
        if (this.tracing) this.emit(op, op.line, op.nodeLane, `${node.name}/queue`, 'queue.reject', key, 'error', this.cacheMs + op.client.delay, `queue full (${q.length}/${wb.maxQueue}): write rejected, the cache is unchanged`);
        return this.failWrite(op, `write-behind queue is full (${wb.maxQueue} entries)`, `${node.name}/queue`);
      }
      if (!op.announced && this.tracing) {
        this.emit(op, op.line, op.nodeLane, `${node.name}/queue`, 'queue.block', key, 'pending', 0, wb.whenFull === 'flush' && wb.order !== 'strict' ? `queue full (${q.length}/${wb.maxQueue}): the writer stores the oldest pending entry itself before its write goes in` : `queue full (${q.length}/${wb.maxQueue}): the writer blocks until a flush makes room`);
      }
      op.announced = true;
      op.step = 2;
      const fl = this.flushers[idx - 1] as Flusher;
      // Ignite: the writing thread stores one pending entry (the oldest it can take) in one database round trip, in
      // its own time, then tries again. Not in strict order: a store out of turn would let a write land before an
      // older one, so there the writer waits for the flusher as a blocked one does.
      if (wb.whenFull === 'flush' && wb.order !== 'strict') {
        const one = q.takeOne(this.now, this.busyKeys(idx, fl.flushing ? fl.batch : []));
        if (one !== undefined) {
          (this.writerStores ??= new Map()).set(op, one);
          return this.hop(op, 4, this.dbMs);
        }
      }
      // Blocking, or a writer that could take nothing (every entry waits for a retry or is out with a flush): wait
      // until a flush makes room.
      fl.waiting.push(op);
      return;
    }
    if (op.kind !== 'incr') return this.writeBehindApply(op, op.input ?? null);
    // The node's own value is the newest (the cache leads the database), even one a write stored during the load. A
    // base loaded earlier is not used after a wait for room: a flush may have changed the row since; it loads again.
    const cached = node.peek(key, mirrorOf(op));
    if (cached === undefined && !loaded) return this.hop(op, 3, this.dbMs);
    this.writeBehindApply(op, incremented(cached !== undefined ? cached.value : withPending(op.rowValue, q.pendingFor(key)), op.amount));
  }

  private writeBehindApply(op: Op, value: Json): void {
    const key = op.ks.key;
    const idx = op.node;
    const node = this.node(idx);
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const rec = op.rec;
    const incr = op.kind === 'incr';
    this.bump(op.ks, idx);
    node.set(key, value, rec, true, mirrorOf(op));
    if (this.tracing) {
      const cost = op.announced ? 0 : this.cacheMs + op.client.delay;
      this.emit(op, op.line, op.client.name, op.nodeLane, incr ? 'cache.incr' : 'cache.set', key, 'ok', cost, incr ? `${node.name} has the new count` : `${node.name} has the new value`, { value, version: rec.id });
    }
    const slot = this.slotOf(op.ks, idx);
    const queued = incr ? q.enqueueIncr(slot, op.amount, rec, this.now) : q.enqueueSet(slot, value, rec, this.now);
    // A new entry carries only this write; an entry it folded into carries more.
    const folded = queued.earlier !== null;
    // A folded write leaves the queue as long as it was.
    if (!folded) this.noteQueueDepth();
    if (this.tracing) {
      const queuedNote = q.length > this.flushSize ? `queued (${q.length} pending, more than flushSize ${this.flushSize}): a flush starts now` : q.delayMs > 0 ? `queued (${q.length} pending): its write delay holds it until ${fmt(queued.notBefore)}, then the next flush stores it` : `queued for the next flush (${q.length} pending)`;
      const foldNote = q.delayMs > 0 ? `${foldedNote(key, entryWrites(queued))}; the entry keeps its time, due at ${fmt(queued.notBefore)}` : foldedNote(key, entryWrites(queued));
      this.emit(op, op.line, op.nodeLane, `${node.name}/queue`, folded ? 'queue.coalesce' : 'queue.enqueue', key, 'pending', 0, folded ? foldNote : queuedNote, { version: rec.id });
      if (this.options.writeBehind.wal) this.emit(op, op.line, `${node.name}/queue`, `${node.name}/queue`, 'wal.append', key, 'pending', 0, 'appended to the write-ahead log: it survives a crash', { version: rec.id });
    }
    this.ackWrite(op, value, op.nodeLane, this.behindAckNote, queued);
    if (q.length > this.flushSize) this.flushEarly(idx);
    else this.ensureTick(idx);
  }

  /** The queue outgrew `writeBehind.flushSize`: its flusher starts now rather than at the next interval (Ignite). */
  private flushEarly(idx: number): void {
    const fl = this.flushers[idx - 1] as Flusher;
    if (fl.flushing || !this.flusherAlive(idx)) return this.ensureTick(idx);
    this.startFlush(fl);
  }

  // Write-around and cache-aside writes: the database first; the caller is acknowledged once it commits, and the
  // cached copy is invalidated without waiting (so the write costs one round trip, and a racing read can refill it).
  private writeToDbThenInvalidate(op: Op): void {
    if (op.step === 0) {
      this.issueWrite(op);
      return this.hop(op, 1, this.dbMs + op.client.delay);
    }
    const key = op.ks.key;
    const rec = op.rec;
    this.m.dbRoundTrips++;
    const action: Action = op.kind === 'incr' ? 'db.incr' : 'db.write';
    const error = this.db.beginWrite(key);
    if (error !== undefined) {
      if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, key, 'error', this.dbMs + op.client.delay, `database write failed: ${error}`);
      return this.failWrite(op, error, 'db');
    }
    const value = op.kind === 'incr' ? this.db.incrRow(key, op.amount, 1, rec, op.ks.row) : this.db.setRow(key, op.input ?? null, rec, op.ks.row);
    this.committed(op.ks);
    if (this.db.replyLost()) {
      // The application's call throws before it gets to invalidate: the cached copy, if any, outlives the new row.
      op.replyLost = true;
      if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, key, 'persisted', this.dbMs + op.client.delay, 'database committed the write, but its reply was lost: the application takes the write for failed and never sends the invalidation', { value, version: rec.id, replyLost: true });
      return this.failWrite(op, REPLY_LOST, 'db');
    }
    if (this.tracing) this.emit(op, op.line, op.client.name, 'db', action, key, 'persisted', this.dbMs + op.client.delay, 'database has the new value; the cache is not written', { value, version: rec.id });
    // The invalidation is sent before the caller hears back, on the same connection: the caller's own next request
    // lands after it (read-your-writes), while other clients can still hit the old entry until it lands.
    op.proc = P_INVALIDATE;
    this.hop(op, 0, this.cacheMs + op.client.delay);
    this.ackWrite(op, value, 'db', 'acknowledged once the database committed; the invalidation is on its way to the cache');
  }

  private invalidate(op: Op): void {
    op.over = true;
    const key = op.ks.key;
    const node = this.node(op.node);
    let removed = false;
    if (node.up) {
      this.bump(op.ks, op.node);
      removed = node.delete(key, mirrorOf(op));
    }
    if (removed) this.markInvalidated(op.ks, op.node, true);
    if (this.tracing) {
      this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.delete', key, node.up ? 'ok' : 'error', this.cacheMs + op.client.delay, !node.up ? `${node.name} is down; nothing to invalidate` : removed ? `invalidated ${key} in ${node.name}: the next read misses and loads the new value` : `${key} was not cached in ${node.name}`);
    }
    if (this.trailing !== null) {
      const settled = this.trailing.get(op);
      if (settled !== undefined) {
        this.trailing.delete(op);
        settled();
      }
    }
  }

  // Reads through the cache node, which loads misses from the database itself (read-through).
  // Steps: 0 start; 1 at the cache; 2 the node's load came back.
  private readThrough(op: Op): void {
    const key = op.ks.key;
    const node = this.node(op.node);
    if (op.step === 0) {
      op.token = this.checker.readStartedIn(op.ks, op);
      op.incarnation = node.incarnation;
      return this.hop(op, 1, this.cacheMs + op.client.delay);
    }
    if (op.step === 1) {
      if (!node.up || node.incarnation !== op.incarnation) return this.failRead(op, `${node.name} is down`, node.name);
      const hit = node.get(key, mirrorOf(op));
      if (hit !== undefined) {
        this.m.cacheHits++;
        if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.get', key, 'hit', this.cacheMs + op.client.delay, `hit in ${node.name}`, { value: hit.value, version: hit.id });
        return this.finishRead(op, hit.value, hit, true, op.nodeLane);
      }
      this.countMiss(op);
      // Hazelcast and Ignite: a write still waiting in the node's queue answers the miss, without the database.
      // Increments alone need the row as their base: the node loads it and adds them (step 2).
      if (this.loadFromQueue) {
        const pending = (this.queues[op.node - 1] as WriteBehindQueue).pendingFor(key);
        if (pending.some(isSet)) {
          if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.get', key, 'miss', this.cacheMs + op.client.delay, `miss in ${node.name}, but its write-behind queue still holds a write of ${key}: the queue answers, not the database`);
          return this.answerFromQueue(op, node, pending, undefined);
        }
      }
      if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.get', key, 'miss', this.cacheMs + op.client.delay, `miss in ${node.name}: it loads ${key} from the database`);
      // A lease: if any write or invalidation touches the key in this node while the row loads, the load is not kept.
      op.lease = stampOf(op.ks, op.node);
      return this.hop(op, 2, this.dbMs);
    }
    const row = this.readRow(op, op.nodeLane, this.dbMs, null);
    if (row === null) return;
    if (this.loadFromQueue && node.up && node.incarnation === op.incarnation) {
      const pending = (this.queues[op.node - 1] as WriteBehindQueue).pendingFor(key);
      if (pending.length > 0) return this.answerFromQueue(op, node, pending, row);
    }
    // The node keeps what it loaded only if nothing wrote or invalidated the key meanwhile (the lease above), and no
    // write-through write to it is under way: one that wrote the cache before the miss (its entry evicted since) is
    // about to commit a newer row, and the loaded one would stay cached after it.
    if (row !== undefined && node.up && node.incarnation === op.incarnation && stampOf(op.ks, op.node) === op.lease && !node.has(key, mirrorOf(op))) {
      if (!op.ks.locked) {
        node.add(key, row.value, row, false, mirrorOf(op));
        if (this.tracing) this.emit(op, op.line, 'db', op.nodeLane, 'cache.load', key, 'ok', 0, `${node.name} keeps ${key} for later reads`, { value: row.value, version: row.id });
      } else if (this.tracing) {
        this.emit(op, op.line, 'db', op.nodeLane, 'cache.load', key, 'hit', 0, `${node.name} does not keep ${key}: a write to it is under way and will commit a newer row`, { value: row.value, version: row.id });
      }
    }
    this.finishRead(op, row?.value, row, false, op.nodeLane);
  }

  /**
   * `writeBehind.loadFromQueue`: the miss is answered with what the node's pending writes of the key make of the row
   * (`row`: loaded, for increments alone; undefined: a plain write among them sets the value), stamped as the newest
   * of them, and the node keeps it (unless it holds the key again: another read or a write put it there meanwhile).
   */
  private answerFromQueue(op: Op, node: CacheNode, pending: readonly QueueEntry[], row: Row | undefined): void {
    const key = op.ks.key;
    const value = withPending(row?.value, pending) ?? null;
    const newest = pending[pending.length - 1] as QueueEntry;
    const keep = !node.has(key, mirrorOf(op));
    if (keep) node.add(key, value, newest, false, mirrorOf(op));
    if (this.tracing) {
      const writes = pending.flatMap(entryWriteIds);
      const what = row === undefined ? `its pending ${writes.length === 1 ? 'write' : 'writes'} of ${key}` : `the row with its pending ${writes.length === 1 ? 'increment' : 'increments'} added`;
      const source = `(${writes.length === 1 ? 'write' : 'writes'} ${writes.join(', ')}, not yet in the database), as Hazelcast's staging area and Ignite's write-behind buffer answer a load`;
      const note = keep ? `${node.name} keeps ${what} ${source}` : `${node.name} answers with ${what} ${source}; it holds ${key} again already, so it keeps that copy`;
      this.emit(op, op.line, `${node.name}/queue`, op.nodeLane, 'cache.load', key, keep ? 'ok' : 'hit', 0, note, { value, version: newest.id });
    }
    this.finishRead(op, value, newest, false, op.nodeLane);
  }

  // Cache-aside reads: the application looks in the cache, and on a miss reads the database and fills the cache.
  // Steps: 0 start; 1 at the cache; 2 the database answered; 3 the fill reached the cache.
  private readAside(op: Op): void {
    const key = op.ks.key;
    const node = this.node(op.node);
    const cost = this.cacheMs + op.client.delay;
    switch (op.step) {
      case 0:
        op.token = this.checker.readStartedIn(op.ks, op);
        return this.hop(op, 1, cost);
      case 1: {
        const hit = node.up ? node.get(key, mirrorOf(op)) : undefined;
        if (hit !== undefined) {
          this.m.cacheHits++;
          if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.get', key, 'hit', cost, `hit in ${node.name}`, { value: hit.value, version: hit.id });
          return this.finishRead(op, hit.value, hit, true, op.nodeLane);
        }
        this.countMiss(op);
        op.lease = stampOf(op.ks, op.node);
        if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.get', key, node.up ? 'miss' : 'error', cost, node.up ? `miss in ${node.name}: the application reads the database` : `${node.name} is down: the application reads the database`);
        return this.hop(op, 2, this.dbMs + op.client.delay);
      }
      case 2: {
        const row = this.readRow(op, op.client.name, this.dbMs + op.client.delay, null);
        if (row === null) return;
        if (row === undefined) return this.finishRead(op, undefined, undefined, false, 'db');
        op.rowValue = row.value;
        copyStamp(op.rowStamp, row);
        op.incarnation = node.incarnation;
        return this.hop(op, 3, cost);
      }
      default: {
        const rec = op.rowStamp;
        // The fill only adds (like SET NX): a write-through write that got there first keeps its newer value. In the
        // hybrid the write path owns the key, so a fill is also dropped when a write touched the key since the miss
        // (even if an eviction removed it again). Plain cache-aside cannot see an invalidation that landed
        // meanwhile: that is the classic cache-aside race.
        if (node.up && node.incarnation === op.incarnation) {
          // Nor while the hybrid's write-through write to the key is under way (see readThrough).
          const added = !node.has(key, mirrorOf(op)) && (!this.hybrid || (stampOf(op.ks, op.node) === op.lease && !op.ks.locked));
          if (added) {
            node.add(key, op.rowValue ?? null, rec, false, mirrorOf(op));
            if (this.rowOf(op.ks)?.id !== rec.id) this.m.staleFills++;
          }
          if (this.tracing) this.emit(op, op.line, op.client.name, op.nodeLane, 'cache.set', key, added ? 'ok' : 'hit', cost, added ? `the application fills ${node.name} with what it read (version ${rec.id})` : node.has(key, mirrorOf(op)) ? `${node.name} already holds ${key}: the fill leaves it alone` : op.ks.locked ? `a write to ${key} is under way: the fill is dropped` : `a write touched ${key} since the miss: the fill is dropped`, { value: op.rowValue, version: rec.id });
        }
        return this.finishRead(op, op.rowValue, rec, false, op.nodeLane);
      }
    }
  }

  private readDb(op: Op): void {
    if (op.step === 0) {
      op.token = this.checker.readStartedIn(op.ks, op);
      return this.hop(op, 1, this.dbMs + op.client.delay);
    }
    const row = this.readRow(op, op.client.name, this.dbMs + op.client.delay, 'read straight from the database, bypassing every cache');
    if (row !== null) this.finishRead(op, row?.value, row, undefined, 'db');
  }

  /**
   * A read's database round trip, traced from `from` at `cost`: the row (undefined: none), or null once the read has
   * failed (the database is down). `found` is the note for a row found (null: "database returns KEY").
   */
  private readRow(op: Op, from: Lane, cost: number, found: string | null): Row | undefined | null {
    const key = op.ks.key;
    this.m.dbRoundTrips++;
    if (this.db.isDown()) {
      if (this.tracing) this.emit(op, op.line, from, 'db', 'db.read', key, 'error', cost, 'database is down');
      this.failRead(op, 'database is down', 'db');
      return null;
    }
    this.m.dbReads++;
    const row = this.rowOf(op.ks);
    if (this.tracing) this.emit(op, op.line, from, 'db', 'db.read', key, row ? 'ok' : 'miss', cost, row ? (found ?? `database returns ${key}`) : `database has no row ${key}`, { value: row?.value, version: row?.id });
    return row;
  }

  // ---------------------------------------------------------------- write-behind flushing

  /** Make sure a flush is scheduled while the queue holds entries: fresh ones at the next interval, retries when due. */
  private ensureTick(idx: number): void {
    const fl = this.flushers[idx - 1] as Flusher;
    const q = this.queues[idx - 1] as WriteBehindQueue;
    // Hot path, first: a tick set on the interval grid is due at or before the next interval (the next interval only
    // moves later), so while it is pending and nothing waits on a retry there is nothing to do (what the checks below
    // would conclude too, after a node lookup and a division).
    if (fl.tickOnGrid && fl.tickAt !== null && q.retried === 0) return;
    if (fl.flushing || q.length === 0) return;
    if (!this.flusherAlive(idx)) return;
    const interval = this.options.writeBehind.flushIntervalMs;
    const delayed = q.delayMs > 0;
    // A draining node flushes at once: its grid is now.
    const onGrid = interval > 0 && !fl.draining;
    const grid = onGrid ? (Math.floor(this.now / interval) + 1) * interval : this.now;
    // Hot path: a tick is already due at or before the next interval and nothing waits on a retry.
    if (fl.tickAt !== null && fl.tickAt <= grid && q.retried === 0) return;
    // Fresh entries are due at the next interval; entries waiting for a retry are due at their own time.
    // A key held back by an entry waiting for its retry is due no earlier than that retry (see takeBatch).
    let t = Number.POSITIVE_INFINITY;
    // Keys a writer is storing itself (whenFull flush) are due once that store is back (takeBatch holds them).
    const stored = this.writerStores === null || this.writerStores.size === 0 ? null : this.storeLandings(idx);
    // With a write delay and no retry waiting, entries stand in the order they are due (one delay, from the times they
    // were queued), so the front one is due first.
    if (q.retried === 0 && stored === null) t = delayed ? dueOnGrid(q.front().notBefore, grid, onGrid ? interval : 0) : grid;
    else {
      const heldUntil = new Map<string, number>(stored ?? []);
      const strict = this.options.writeBehind.order === 'strict';
      // Strict order: every entry waits for every retry, wherever the waiting entry stands (see takeBatch).
      let allHeldUntil = 0;
      if (strict) for (const e of q.list()) if (e.notBefore > this.now && e.notBefore > allHeldUntil) allHeldUntil = e.notBefore;
      for (const e of q.list()) {
        // An entry waiting out its write delay is due at the first flush of the grid from then on.
        let due = e.retries > 0 ? e.notBefore : delayed ? dueOnGrid(e.notBefore, grid, onGrid ? interval : 0) : grid;
        const held = heldUntil.get(e.key);
        if (held !== undefined && held > due) due = held;
        if (strict && allHeldUntil > due) due = allHeldUntil;
        if (e.notBefore > this.now) heldUntil.set(e.key, Math.max(held ?? 0, e.notBefore));
        if (due < t) t = due;
      }
    }
    if (t < this.now) t = this.now;
    if (fl.tickAt !== null && fl.tickAt <= t) return;
    this.scheduleTick(fl, t, t === grid);
  }

  /**
   * Tick the flusher at `t` (a method of its own: a closure in `ensureTick` made V8 allocate its context at every
   * call, on the hot path that returns early too).
   */
  private scheduleTick(fl: Flusher, t: number, onGrid: boolean): void {
    fl.tickAt = t;
    fl.tickOnGrid = onGrid;
    this.sched.at(t, () => {
      if (fl.tickAt !== t) return; // superseded by an earlier tick
      fl.tickAt = null;
      this.startFlush(fl);
    });
  }

  /** The flusher runs on the node, or on the backup member when the node is down and backups are on. */
  private flusherAlive(idx: number): boolean {
    return this.node(idx).up || this.options.writeBehind.backup || (this.flushers[idx - 1] as Flusher).draining;
  }

  private startFlush(fl: Flusher): void {
    if (fl.flushing) return;
    fl.flushing = true;
    this.flushNext(fl);
  }

  /** Take the next batch and send it to the database, or finish the flush when nothing is due. */
  private flushNext(fl: Flusher): void {
    const idx = fl.idx;
    if (!this.flusherAlive(idx)) return this.flushDone(fl);
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const batch = q.takeBatch(this.options.writeBehind.batchSize, this.now, this.busyKeys(idx, []));
    if (batch.length === 0) return this.flushDone(fl);
    this.wake(idx); // room freed: blocked writers may go on
    fl.incarnation = this.node(idx).incarnation;
    fl.batch = batch;
    this.sched.schedule(fl, this.dbMs);
  }

  /** A flush's batch reached the database: one transaction for the whole batch. */
  flushLanded(fl: Flusher): void {
    const batch = fl.batch;
    fl.batch = [];
    if (this.landBatch(fl.idx, batch, fl.incarnation, null)) return this.flushNext(fl);
    this.flushDone(fl);
  }

  /**
   * A batch taken from node `idx`'s queue (when the node was in `incarnation`) reaches the database: one transaction
   * for all its rows. On failure the rows go back for a retry, or to the dead letters, or are lost (an orphaned batch
   * without a log). `writer`: the writer that stored it itself (whenFull flush), else the
   * flusher. Returns whether the database took it.
   */
  private landBatch(idx: number, batch: QueueEntry[], incarnation: number, writer: Op | null): boolean {
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const node = this.node(idx);
    const wb = this.options.writeBehind;
    const lane = `${node.name}/queue`;
    this.m.dbRoundTrips++;
    let error = this.db.beginWrite(batch);
    // Writes of the batch applied before, in a batch whose reply was lost: applied again, or skipped by the ids table.
    const twice: number[] = [];
    let skipped = 0;
    if (error === undefined) {
      for (const e of batch) {
        // How long the entry's oldest write was at risk: acknowledged, and only in the queue.
        const waited = this.now - e.enqueuedAt;
        if (waited > this.m.maxPendingAgeMs) this.m.maxPendingAgeMs = waited;
        // The row takes the entry's stamp: its newest write's.
        const ks = (e.slot as KeySlot).ks;
        const row = this.rowOf(ks);
        let delta = e.delta;
        let ops = e.ops;
        if (this.unconfirmed !== null) {
          // Sent again after a lost reply: some of its writes the database has already applied.
          const again = this.appliedBefore(e);
          if (again !== null) {
            if (this.options.writeBehind.delivery === 'at-least-once') twice.push(...again.ids);
            else {
              skipped += again.ids.length;
              if (again.ids.length === entryWrites(e)) continue; // the ids table has every write of the entry: no row write
              if (e.kind === 'incr') {
                delta -= again.delta;
                ops -= again.ops;
              }
            }
          }
        }
        if (e.kind === 'incr') this.db.incrRow(e.key, delta, ops, e, row);
        else this.db.setRow(e.key, e.value, e, row);
        const landed = this.committed(ks);
        // The node's entry, if it still holds that write, now knows it was committed.
        // (node1 mirrors the entry in the key state, as `mirrorOf` says: a shared helper for both cost write-through
        // 1.4% more instructions, V8 inlining one level less on its hot path.)
        const cached = node.peek(e.key, idx === 1 ? ks : null);
        if (cached !== undefined && cached.id === e.id) cached.commitSeq = landed.commitSeq;
      }
      this.m.duplicateWrites += twice.length;
      if (this.db.replyLost()) {
        // Committed, but the flusher never hears so: it takes the batch for failed (below) and will send it again.
        this.noteUnconfirmed(batch);
        error = REPLY_LOST;
        if (this.tracing) {
          const note = `the database committed ${rowsCarrying(batch)}, but its reply was lost: ${writer === null ? 'the flusher' : 'the writer'} takes the batch for failed`;
          this.emit(writer, writer?.line ?? null, lane, 'db', 'db.batch', batchKey(batch), 'persisted', this.dbMs, note, { ...batchCarries(batch), replyLost: true });
        }
      }
    }
    if (error === undefined) {
      if (this.unconfirmed !== null) for (const e of batch) for (const id of entryWriteIds(e)) this.unconfirmed.delete(id);
      q.persisted(batch);
      if (this.tracing) {
        const what = `${rowsCarrying(batch)} in one round trip`;
        const dedup =
          skipped > 0
            ? `; the database's ids table skipped ${plural(skipped, 'write')} it had already applied before the lost reply (exactly-once)`
            : twice.length > 0
              ? `; the database had already applied ${plural(twice.length, 'write')} of it before the lost reply: applied twice (at-least-once)`
              : '';
        const note = (writer === null ? `flushed ${what}` : `the writer itself stored ${what}; its own write goes in next`) + dedup;
        this.emit(writer, writer?.line ?? null, lane, 'db', 'db.batch', batchKey(batch), 'persisted', this.dbMs, note, { ...batchCarries(batch), appliedAgain: twice.length > 0 ? twice : undefined });
      }
      return true;
    }
    const committed = error === REPLY_LOST;
    if (this.tracing && !committed) this.emit(writer, writer?.line ?? null, lane, 'db', 'db.batch', batchKey(batch), 'error', this.dbMs, `${writer === null ? 'flush' : "the writer's store"} of ${plural(batch.length, 'row')} failed: ${error}`, { writes: recIds(batch), keys: batchKeys(batch) });
    // A node draining after its shutdown still owns its batches: a failed one goes back to its queue.
    const orphaned = !wb.backup && !(this.flushers[idx - 1] as Flusher).draining && (node.incarnation !== incarnation || !node.up);
    // The node died while its batch was out. Without a log nobody holds these writes any more; with one, a node that is
    // down keeps them in the log for its restart's replay, and a node already restarted takes them back as any failed
    // batch (below: the requeue limit, the dead letters and the retry delay apply).
    if (orphaned && !(wb.wal && node.up)) {
      if (!wb.wal) {
        q.abandon(batch);
        if (this.tracing) {
          if (committed) this.emit(null, null, lane, lane, 'queue.retry', null, 'ok', 0, `the batch had no owner after the ${node.stopped ? 'shutdown' : 'crash'}: nobody sends it again, and the database has it all the same`, { writes: recIds(batch) });
          else this.emit(null, null, lane, lane, 'queue.lost', null, 'lost', 0, `the failed batch had no owner after the ${node.stopped ? 'shutdown' : 'crash'}: ${plural(countRecs(batch), 'write')} lost`, { writes: recIds(batch) });
        }
        return false;
      }
      // The log keeps the batch for the restart's replay. The failed attempt counts as any other: the requeue limit,
      // the retries metric, and the retry delay, which the replay then waits out.
      const kept = this.settleFailed(batch, idx, lane);
      q.abandon(kept.retry, this.now + kept.delay);
      if (this.tracing && kept.retry.length > 0) this.emit(null, null, lane, lane, 'queue.retry', null, 'pending', 0, `${node.name} ${node.downWord} while the batch was out: the write-ahead log keeps the failed batch (${plural(countRecs(kept.retry), 'write')}) until the node restarts and replays it; retry in ${fmt(kept.delay)} at the earliest`, { writes: recIds(kept.retry) });
      return false;
    }
    const { retry, delay } = this.settleFailed(batch, idx, lane);
    if (retry.length > 0) {
      // With coalescing, a failed entry folds into a write of its key queued since the batch left, where that write stands.
      const folded = this.tracing && q.coalescing ? retry.filter((e) => e.slot.entry !== undefined).length : 0;
      q.requeue(retry, this.now + delay);
      this.noteQueueDepth();
      if (this.tracing) {
        const front = retry.length - folded;
        const parts = [
          ...(front > 0 ? [`${front} entr${front === 1 ? 'y' : 'ies'} back at the front of the queue`] : []),
          ...(folded > 0 ? [`${folded} folded into ${folded === 1 ? 'a newer write of its key' : 'newer writes of their keys'}`] : []),
        ];
        const back = `${parts.join(', ')}; retry in ${fmt(delay)}`;
        const note = orphaned ? `${node.name} crashed while the batch was out: the write-ahead log gives it back to the restarted node, ${back}` : back;
        this.emit(null, null, lane, lane, 'queue.retry', null, 'pending', 0, note, { writes: recIds(retry) });
      }
    }
    return false;
  }

  /**
   * A failed attempt of `batch`: entries past the requeue limit go to the dead letters (traced), the others count a
   * retry. Returns those, and the delay before their next attempt (their attempt counts are bumped by the requeue, or
   * by `abandon` for a batch the log keeps).
   */
  private settleFailed(batch: readonly QueueEntry[], idx: number, lane: string): { retry: QueueEntry[]; delay: number } {
    const q = this.queues[idx - 1] as WriteBehindQueue;
    const wb = this.options.writeBehind;
    const retry: QueueEntry[] = [];
    for (const e of batch) {
      if (wb.requeueLimit !== null && e.retries >= wb.requeueLimit) {
        q.deadLetter(e);
        this.m.deadLetters++;
        if (this.tracing) this.emit(null, null, lane, lane, 'queue.deadLetter', e.key, 'lost', 0, `${describeEntry(e)} gave up after ${e.retries === 1 ? '1 retry' : `${e.retries} retries`}: moved to the dead-letter queue`, { writes: entryWriteIds(e) });
      } else retry.push(e);
    }
    const attempts = retry.length === 0 ? 0 : Math.max(...retry.map((e) => e.retries));
    const delay = Math.min(MAX_RETRY_DELAY_MS, wb.retryDelayMs * Math.pow(wb.retryBackoff, attempts));
    this.m.retries += retry.length;
    return { retry, delay };
  }

  /**
   * Writes the database committed in a batch whose reply was lost, by write id (null until a reply is lost): a batch
   * sent again applies them twice (at-least-once), or the database's ids table skips them (exactly-once).
   */
  private unconfirmed: Map<number, UnconfirmedGroup> | null = null;

  /** The batch was committed but its reply lost: each entry's writes are one group the database has applied. */
  private noteUnconfirmed(batch: readonly QueueEntry[]): void {
    const map = (this.unconfirmed ??= new Map());
    for (const e of batch) {
      const g: UnconfirmedGroup = { incr: e.kind === 'incr', delta: e.kind === 'incr' ? e.delta : 0, ops: e.ops };
      for (const id of entryWriteIds(e)) map.set(id, g);
    }
  }

  /**
   * The writes of `e` the database has already applied (in batches whose replies were lost): their ids, and their
   * groups' deltas and increments summed (an entry folds whole groups: a failed entry is never split), or null if
   * none. The sums only matter when `e` is an increment (a plain write folded in sets the value outright).
   */
  private appliedBefore(e: QueueEntry): { ids: number[]; delta: number; ops: number } | null {
    const map = this.unconfirmed as Map<number, UnconfirmedGroup>;
    const seen = new Set<UnconfirmedGroup>();
    const ids: number[] = [];
    for (const id of entryWriteIds(e)) {
      const g = map.get(id);
      if (g === undefined) continue;
      seen.add(g);
      ids.push(id);
    }
    if (ids.length === 0) return null;
    const sum = { ids, delta: 0, ops: 0 };
    for (const g of seen) {
      if (g.incr) {
        sum.delta += g.delta;
        sum.ops += g.ops;
      }
    }
    return sum;
  }

  private flushDone(fl: Flusher): void {
    fl.flushing = false;
    this.wake(fl.idx);
    this.checkDrained(fl);
    this.ensureTick(fl.idx);
  }

  private wake(idx: number): void {
    const fl = this.flushers[idx - 1] as Flusher;
    if (fl.waiting.length === 0) return;
    for (const op of fl.waiting.splice(0)) this.sched.schedule(op, 0);
  }

  private countMiss(op: Op): void {
    this.m.cacheMisses++;
    if (this.markInvalidated(op.ks, op.node, false)) this.m.missesAfterWrite++;
  }

  private noteQueueDepth(): void {
    let d = 0;
    for (let i = 0; i < this.queues.length; i++) d += (this.queues[i] as WriteBehindQueue).length;
    if (d > this.m.maxQueueDepth) this.m.maxQueueDepth = d;
  }

  /** The key's slot in a node's write-behind queue. */
  private slotOf(ks: KeyState, node: number): KeySlot {
    if (node === 1) return ks;
    const slots = (ks.slots ??= []);
    let slot = slots[node - 1];
    if (slot === undefined) {
      slot = { key: ks.key, entry: undefined, ks };
      slots[node - 1] = slot;
    }
    return slot;
  }

  /**
   * The database has just committed a write into the key's row (every row write goes through the engine, which calls
   * this right after): the checker's history takes the row's stamp. Returns the row.
   */
  private committed(ks: KeyState): Row {
    const row = this.rowOf(ks) as Row;
    this.checker.writeCommittedIn(ks, row);
    return row;
  }

  /** The key's row (found once it exists, then held). */
  private rowOf(ks: KeyState): Row | undefined {
    return ks.row ?? (ks.row = this.db.peek(ks.key));
  }

  /** A write or invalidation touched the key in a node (ends any load's lease there). */
  private bump(ks: KeyState, node: number): void {
    if (node === 1) ks.stamp++;
    else {
      const s = (ks.stamps ??= new Array<number>(this.nodes.length + 1).fill(0));
      s[node] = (s[node] as number) + 1;
    }
  }

  /** Set or clear the key's "invalidated in this node" mark; returns whether it was set before. */
  private markInvalidated(ks: KeyState, node: number, on: boolean): boolean {
    if (node <= 30) {
      const bit = 1 << (node - 1);
      const was = (ks.invalidated & bit) !== 0;
      ks.invalidated = on ? ks.invalidated | bit : ks.invalidated & ~bit;
      return was;
    }
    const more = (ks.invalidatedMore ??= new Set());
    const was = more.has(node);
    if (on) more.add(node);
    else more.delete(node);
    return was;
  }

  // ---------------------------------------------------------------- row locks (write-through ordering)

  /** Take the row lock the database transaction takes, or queue for it (false: the writer resumes at step 1). */
  private lock(op: Op): boolean {
    const ks = op.ks;
    if (!ks.locked) {
      ks.locked = true;
      if (this.tracing) (this.lockHolders ??= new Map()).set(ks, op);
      return true;
    }
    if (this.tracing) this.emit(op, op.line, op.client.name, 'db', 'db.lock', ks.key, 'pending', 0, lockWaitNote(op, this.lockHolders?.get(ks)));
    op.step = 1;
    (ks.lockWaiters ??= []).push(op);
    return false;
  }

  /** Hand the lock to the next waiter (it resumes in this same instant), or free it. */
  private unlock(ks: KeyState): void {
    const next = ks.lockWaiters?.shift();
    if (next !== undefined) {
      this.sched.schedule(next, 0);
      if (this.tracing) this.lockHolders?.set(ks, next);
    } else ks.locked = false;
  }

  /** Writers storing a pending entry themselves (whenFull flush): the entry each has out to the database. */
  private writerStores: Map<Op, QueueEntry> | null = null;

  /** When each key of node `idx` that a writer is storing itself is back from the database (null: none). */
  private storeLandings(idx: number): Map<string, number> | null {
    let at: Map<string, number> | null = null;
    if (this.writerStores !== null) {
      for (const [op, e] of this.writerStores) if (op.node === idx) (at ??= new Map()).set(e.key, Math.max(at.get(e.key) ?? 0, op.time));
    }
    return at;
  }

  /**
   * Keys of node `idx` with an entry out to the database: in `flight`, or stored by a writer itself; undefined when
   * there are none, so the queue takes from its front (another node's writer stores do not hold this one back).
   */
  private busyKeys(idx: number, flight: readonly QueueEntry[]): Set<string> | undefined {
    let keys: Set<string> | undefined;
    for (const e of flight) (keys ??= new Set()).add(e.key);
    if (this.writerStores !== null) for (const [op, e] of this.writerStores) if (op.node === idx) (keys ??= new Set()).add(e.key);
    return keys;
  }

  /** Traced runs only: the write holding each key's row lock (for the note of a write that waits for it). */
  private lockHolders: Map<KeyState, Op> | null = null;

  // ---------------------------------------------------------------- bookkeeping

  /** Issue the operation's write: its record (the operation's own, reissued) gets an id and an issue position. */
  private issueWrite(op: Op): void {
    const delta = op.kind === 'incr' ? op.amount : undefined;
    // Nothing keeps a record past its operation: the stores, write-behind's queue and the checker copy its stamp.
    this.checker.writeIssued(this.records.reissue(op.rec, op.ks.key, delta, op.line));
  }

  /** `queued`: the write-behind queue entry that carries the write (it takes the acknowledgement too). */
  private ackWrite(op: Op, value: Json, from: Lane, note: string, queued?: QueueEntry): void {
    const rec = op.rec;
    // Without write-behind a write is acknowledged as its row takes it, and nothing older is left to land after it.
    // Write-behind's row holds an older write until the flush: no need to look.
    const row = this.writeProc === P_WRITE_BEHIND ? undefined : this.rowOf(op.ks);
    const inRow = row !== undefined && row.id === rec.id;
    this.checker.writeAckedIn(op.ks, rec, this.now, inRow);
    // The stores that took this write's value before this moment hold a copy of its stamp: the row (written in this
    // same instant) and, for write-through and write-behind, the node's entry (unless a later write replaced it).
    if (inRow) row.ackSeq = rec.ackSeq;
    if (this.writeProc !== P_WRITE_DB) {
      const e = this.node(op.node).peek(op.ks.key, mirrorOf(op));
      if (e !== undefined && e.id === rec.id) {
        e.ackSeq = rec.ackSeq;
        // Write-through committed it just before: the entry learns its commit too.
        if (inRow) e.commitSeq = row.commitSeq;
      }
    }
    if (queued !== undefined && queued.id === rec.id) queued.ackSeq = rec.ackSeq;
    this.m.acknowledgedWrites++;
    this.writeLatency.record(this.now - op.start);
    if (this.tracing) this.emit(op, op.line, from, op.client.name, 'ack', op.ks.key, 'ok', 0, note, { value, version: rec.id });
    // A write-around or cache-aside write goes on to its invalidation after the ack.
    op.over = op.proc !== P_INVALIDATE;
    op.ok = true;
    op.value = value;
    op.version = rec.id;
    op.endTime = this.now;
    op.done(op);
  }

  private failWrite(op: Op, error: string, from: Lane): void {
    const rec = op.rec;
    this.m.failedWrites++;
    // A write whose reply was lost is in the database after all: reads that returned it early saw a kept value.
    let dirty = 0;
    if (op.replyLost) this.checker.writeKeptIn(op.ks, rec.issueSeq, rec.delta === undefined);
    else dirty = this.checker.writeFailedIn(op.ks, rec.issueSeq);
    if (this.tracing) {
      const seen = dirty === 0 ? '' : `; ${dirty === 1 ? '1 read' : `${dirty} reads`} already returned this value, which no store kept (a dirty read)`;
      this.emit(op, op.line, from, op.client.name, 'error', op.ks.key, 'error', 0, `the caller gets an error: ${error}${seen}`, { version: rec.id });
    }
    op.over = true;
    op.ok = false;
    op.error = error;
    op.value = undefined;
    op.version = rec.id;
    op.endTime = this.now;
    op.done(op);
  }

  private finishRead(op: Op, value: Json | undefined, rec: WriteStamp | undefined, hit: boolean | undefined, from: Lane): void {
    const stale = this.checker.readFinishedAt(op.token, rec, op);
    // A write not yet acknowledged (write-through's cache update before its commit): judged when the write settles.
    const early = rec !== undefined && rec.ackSeq === undefined;
    if (early) this.checker.readReturnedUnacked(op.ks, rec.issueSeq);
    this.m.reads++;
    this.readLatency.record(this.now - op.start);
    if (this.tracing) {
      const note = stale
        ? `returned a stale value: a newer write to ${op.ks.key} was acknowledged before this read began`
        : value === undefined
          ? `${op.ks.key} does not exist`
          : early
            ? 'returned a write still in progress: its writer has not been acknowledged yet'
            : 'returned the newest acknowledged value';
      this.emit(op, op.line, from, op.client.name, 'ack', op.ks.key, stale ? 'stale' : 'fresh', 0, note, { value, version: rec?.id });
    }
    op.over = true;
    op.ok = true;
    op.value = value;
    op.version = rec?.id;
    op.stale = stale;
    op.hit = hit;
    op.endTime = this.now;
    op.done(op);
  }

  private failRead(op: Op, error: string, from: Lane): void {
    // A failed read returned nothing, so there is nothing to judge: it is neither fresh nor stale.
    this.m.failedReads++;
    if (this.tracing) this.emit(op, op.line, from, op.client.name, 'error', op.ks.key, 'error', 0, `the read fails: ${error}`);
    op.over = true;
    op.ok = false;
    op.error = error;
    op.endTime = this.now;
    op.done(op);
  }

  private onLeave(node: CacheNode, key: string, entry: CacheEntry, reason: LeaveReason): void {
    if (entry.unreadWrite) this.m.cachePollution++;
    if (reason === 'evict') {
      this.m.evictions++;
      if (this.tracing) this.emit(null, null, node.name, node.name, 'cache.evict', key, 'ok', 0, `${node.name} evicted ${key}, its least recently used entry (capacity ${this.options.cache.capacity})`, { version: entry.id });
    } else if (reason === 'expire' && this.tracing) {
      this.emit(null, null, node.name, node.name, 'cache.expire', key, 'ok', 0, `${key} expired in ${node.name} (TTL ${fmt(this.options.cache.ttlMs ?? 0)})`, { version: entry.id });
    }
  }

  node(index: number): CacheNode {
    const n = this.nodes[index - 1];
    // The message is built in another function: V8 computed this one's `node${index}` before the test, on every
    // hop of every operation (27 instructions per write-through operation; docs/performance-log.md).
    if (n === undefined) noSuchNode(index, this.nodes.length);
    return n;
  }

  private pendingBoundValue = -1;
  private pendingBoundAcks = Number.NEGATIVE_INFINITY;
  /** Acknowledgements between two refreshes of the pending bound (tests vary it; any value is safe). */
  boundRefreshAcks = 1024;

  /**
   * A lower bound on the acknowledgement position of anything write-behind can still land: the smallest among
   * the entries pending now (queued, in flight, logged; each lands its newest write), and the checker's position
   * now (whatever is pending later was acknowledged later). Folding only raises an entry's landing write, so a
   * bound stays valid as it ages; it is refreshed every `boundRefreshAcks` acknowledgements to keep pruning effective.
   */
  private pendingBound(): number {
    return this.m.acknowledgedWrites - this.pendingBoundAcks < this.boundRefreshAcks ? this.pendingBoundValue : this.refreshPendingBound();
  }

  /** `pendingBound` computed afresh (its own function, so the cached answer above stays small enough to inline). */
  private refreshPendingBound(): number {
    let f = this.checker.position;
    for (let i = 0; i < this.queues.length; i++) f = (this.queues[i] as WriteBehindQueue).lowestAck(f);
    this.pendingBoundValue = f;
    this.pendingBoundAcks = this.m.acknowledgedWrites;
    return f;
  }

  /** Record a step. */
  emit(
    op: Op | null,
    line: number | null,
    from: Lane,
    to: Lane,
    action: Action,
    key: string | null,
    outcome: Outcome,
    durationMs: number,
    note: string,
    extra?: { value?: Json | undefined; version?: number | undefined; writes?: number[] | undefined; keys?: string[] | undefined; replyLost?: true; appliedAgain?: number[] | undefined },
  ): void {
    const step: TraceStep = {
      seq: this.steps.length + 1,
      time: this.now,
      durationMs,
      line,
      client: op ? op.client.name : null,
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
    if (extra?.writes !== undefined) {
      step.writes = extra.writes;
      this.traceWrites += extra.writes.length;
    }
    if (extra?.keys !== undefined) step.keys = extra.keys;
    if (extra?.replyLost === true) step.replyLost = true;
    if (extra?.appliedAgain !== undefined) step.appliedAgain = extra.appliedAgain;
    this.steps.push(step);
    this.onStep?.(step);
    if (this.steps.length >= this.stepLimit || this.traceWrites > this.traceWriteLimit) this.sched.halt();
  }

  get tracingEnabled(): boolean {
    return this.tracing;
  }

  // ---------------------------------------------------------------- results

  /** What could still reach the database: queued, logged or in-flight write-behind entries. */
  private pending(): Pending {
    const issues = new Set<number>();
    const incr = new Map<string, number>();
    for (const q of this.queues) {
      const all = new Set<QueueEntry>([...q.list(), ...q.inFlight, ...q.walEntries()]);
      for (const e of all) {
        for (const s of entryIssues(e)) issues.add(s);
        // The acknowledged increments an entry carries (read only for keys never set, as acknowledged), so the live
        // lostWrites never jumps (found by an audit of the debugger):
        // - between a write's enqueue and its acknowledgement (one instant, two trace steps) the entry already carries
        //   it, and an increment not yet acknowledged must not cover one already lost (an entry whose newest,
        //   unacknowledged write is an increment is an incr entry here: a set entry holding an increment holds an
        //   acknowledged set, and its key is judged as set);
        // - a plain write folded over increments still carries them (its `ops`);
        // - an entry the database committed but whose reply was lost is in the row already (and is sent again later).
        if (e.ops > 0 && this.unconfirmed?.has(e.id) !== true) incr.set(e.key, (incr.get(e.key) ?? 0) + e.ops - (e.kind === 'incr' && e.ackSeq === undefined ? 1 : 0));
      }
    }
    return { has: (r) => issues.has(r), incrOps: (k) => incr.get(k) ?? 0 };
  }

  private dbView() {
    return { row: (k: string) => this.db.peek(k) };
  }

  /** Run every pending event (a live write-behind queue drains at its next flush), then settle the verdicts. */
  finish(eventLimit = 50_000_000): Metrics {
    if (!this.sched.runAll(eventLimit)) {
      const refused = this.db.refusedKeys;
      // A poison row with no `recover db` after it: its writes are retried for ever, so that is the likeliest cause.
      const busy = refused.length > 0
        ? `the database still refuses every write of ${refused.join(', ')} (fail db key), so a queued write of it is retried without end; add recover db, or set writeBehind.requeueLimit`
        : 'something keeps the simulator busy, such as a retry every few milliseconds against a database down for hours?';
      if (this.sched.halted) {
        const size = this.traceWrites > this.traceWriteLimit
          ? `the trace's steps list ${this.traceWrites.toLocaleString('en-US')} write ids, as a failing batch lists its writes again at every retry`
          : `the trace reached ${this.steps.length.toLocaleString('en-US')} steps`;
        throw new Error(`stopped at ${fmt(this.now)} of virtual time: ${size} (${busy})`);
      }
      throw new Error(`the run did not settle after ${eventLimit.toLocaleString('en-US')} events (${busy})`);
    }
    if (!this.finished) {
      this.finished = true;
      for (const n of this.nodes) this.m.cachePollution += n.unreadWrites();
      // Every queue that can drain has: what is still pending is a crashed node's write-ahead log, which its restart
      // would replay, so those writes are not lost ("nothing left that could still write it" is false for them).
      this.finalLost = this.checker.lostWrites(this.dbView(), this.pending());
    }
    return this.metrics();
  }

  /**
   * Metrics now; before `finish`, lostWrites counts writes already beyond recovery, and cachePollution counts the
   * entries written and not read so far, those still cached included (so a live view ends at the final figure).
   */
  metrics(): Metrics {
    let pollution = this.m.cachePollution;
    if (!this.finished) for (const n of this.nodes) pollution += n.unreadWrites();
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
      dirtyReads: this.checker.dirtyReads,
      lostWrites: this.finalLost ?? this.checker.lostWrites(this.dbView(), this.pending()),
      dbWrites: this.db.writesApplied,
      dbReads: this.m.dbReads,
      dbRoundTrips: this.m.dbRoundTrips,
      cachePollution: pollution,
      evictions: this.m.evictions,
      maxQueueDepth: this.m.maxQueueDepth,
      queueDepth: depth,
      maxPendingAgeMs: this.m.maxPendingAgeMs,
      retries: this.m.retries,
      deadLetters: this.m.deadLetters,
      rejectedWrites: this.m.rejectedWrites,
      queueOverflows: this.m.queueOverflows,
      rollbacks: this.m.rollbacks,
      duplicateWrites: this.m.duplicateWrites,
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
          shuttingDown: (this.flushers[i] as Flusher).draining,
          entries: n.entries().map(([key, e]) => ({ key, value: e.value, version: e.id, ttlLeftMs: n.remainingTtl(key), unreadWrite: e.unreadWrite })),
          queue: queued.map(({ e, inFlight }) => ({
            key: e.key,
            kind: e.kind,
            value: e.value,
            delta: e.delta,
            writes: entryWriteIds(e),
            ageMs: now - e.enqueuedAt,
            dueInMs: inFlight || e.notBefore <= now ? 0 : e.notBefore - now,
            retries: e.retries,
            inFlight,
          })),
          wal: q.walEntries().flatMap(entryWriteIds),
          deadLetters: q.deadLetters.map((e) => ({ key: e.key, writes: entryWriteIds(e) })),
        };
      }),
      db: this.db.keys().map((k) => {
        const r = this.db.peek(k);
        return { key: k, value: r?.value ?? null, version: r?.id ?? 0, rowVersion: r?.rowVersion ?? 0 };
      }),
      dbDown: this.db.isDown(),
      dbFailNext: this.db.failingWrites,
      dbRefusedKeys: this.db.refusedKeys,
      dbLoseReplies: this.db.losingReplies,
      metrics: this.metrics(),
    };
  }
}

/**
 * Write-through's note when the database commits: whether the node still holds the write's value (`same`: the node is
 * the one the value went to; `holds`: its entry still carries this write), and whether the count it held (`cached`)
 * had to take the database's (`value`).
 */
function committedNote(node: CacheNode, same: boolean, holds: boolean, cached: Json | undefined, value: Json): string {
  if (!same) return `database committed; ${node.name} ${node.up ? 'restarted' : node.downWord} since the cache write, so only the database has the new value`;
  if (!holds) return `database committed; ${node.name} no longer holds the new value (evicted or expired meanwhile)`;
  if (cached !== value) return `database committed ${JSON.stringify(value)}; ${node.name} had counted ${JSON.stringify(cached)} on a copy that missed increments made through another node, and takes the database's count: cache and database now agree`;
  return 'database committed; cache and database now agree';
}

/**
 * Why a write-through write waits for the row lock: another write to the key is in progress, or (the write was sent
 * when the one holding it finished, from its caller's callback) that write hands the lock on in this same instant.
 */
function lockWaitNote(op: Op, holder: Op | undefined): string {
  const key = op.ks.key;
  // `over` is set before the holder's caller hears back, which is where a write sent next comes from.
  if (holder !== undefined && holder.over) {
    return `waits for the row lock on ${key}: the write holding it has just finished and hands it on in this same instant (no time passes)`;
  }
  return `waits for the row lock on ${key}: another write to it is in progress`;
}

/**
 * When a flush takes an entry that may go from `notBefore` on (its write delay): at the next flush of the grid (`grid`,
 * the next interval) if its delay is over by then, else at the first flush of the grid after it (`interval` 0: no
 * grid, the moment its delay is over).
 */
function dueOnGrid(notBefore: number, grid: number, interval: number): number {
  if (notBefore <= grid) return grid;
  return interval > 0 ? Math.ceil(notBefore / interval) * interval : notBefore;
}

/** A write folded into a pending entry that now carries `n` writes (2 or more). */
function foldedNote(key: string, n: number): string {
  return `folded into the pending entry for ${key}: one database write will carry ${n === 2 ? 'both' : `all ${n}`}`;
}

function entryValue(e: QueueEntry): Json {
  return e.kind === 'incr' ? e.delta : e.value;
}

function describeEntry(e: QueueEntry): string {
  const n = entryWrites(e);
  return e.kind === 'incr' ? `+${e.delta} on ${e.key} (${n} increment${n === 1 ? '' : 's'})` : `${e.key} (${n} write${n === 1 ? '' : 's'})`;
}

/** Virtual milliseconds as a short duration (`250ms`, `5s`, `2m`). */
export function fmt(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `node(index)` found no such node: the error, built out of the hot path. */
/** `1 entry`, `3 entries`. */
function entries(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/** `1 pending entry`, `3 pending entries`. */
function pendingEntries(n: number): string {
  return `${n} pending ${n === 1 ? 'entry' : 'entries'}`;
}

function noSuchNode(index: number, count: number): never {
  throw new RangeError(`node${index} does not exist: cache.nodes is ${count}`);
}

/** Where the operation's node mirrors its key's entry: node1's is in the key state; other nodes have none. */
function mirrorOf(op: Op): EntryMirror | null {
  return op.node === 1 ? op.ks : null;
}

/** The key's write stamp in a node. */
function stampOf(ks: KeyState, node: number): number {
  return node === 1 ? ks.stamp : (ks.stamps?.[node] ?? 0);
}

/** A batch step's key: its row's, when it has one row (a batch of several names them in `keys`). */
function batchKey(batch: readonly QueueEntry[]): string | null {
  return batch.length === 1 ? (batch[0] as QueueEntry).key : null;
}

/** The keys of a batch's rows, in the batch's order. */
function batchKeys(batch: readonly QueueEntry[]): string[] {
  return batch.map((e) => e.key);
}

/** What a committed batch's `db.batch` step carries: its write ids, its rows' keys, and a batch of one row's value. */
function batchCarries(batch: readonly QueueEntry[]): { writes: number[]; keys: string[]; value: Json | undefined } {
  return { writes: recIds(batch), keys: batchKeys(batch), value: batch.length === 1 ? entryValue(batch[0] as QueueEntry) : undefined };
}

/** `2 rows carrying 3 writes`: a batch in a note. */
function rowsCarrying(batch: readonly QueueEntry[]): string {
  return `${plural(batch.length, 'row')} carrying ${plural(countRecs(batch), 'write')}`;
}

function recIds(batch: readonly QueueEntry[]): number[] {
  return batch.flatMap(entryWriteIds);
}

function countRecs(batch: readonly QueueEntry[]): number {
  let n = 0;
  for (const e of batch) n += entryWrites(e);
  return n;
}
