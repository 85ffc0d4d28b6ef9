// Shared vocabulary of the engine: strategies, values, trace steps and the one options object (with defaults).
// Everything here is plain data so the CLI, the debugger, the webview and the tests can all read it.

/** A JSON literal, as written in a scenario (`12`, `"alice"`, `{"price": 12}`). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What an increment of `delta` makes of `base`: a value that is not a number (or none) counts as 0. The cache, the
 * write-behind queue and the database all count this way, so a counter ends the same wherever it was summed.
 */
export function incremented(base: Json | undefined, delta: number): number {
  return (typeof base === 'number' ? base : 0) + delta;
}

export const STRATEGIES = [
  'write-through',
  'write-behind',
  'write-around',
  'cache-aside',
  'write-through+cache-aside',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export function isStrategy(s: string): s is Strategy {
  return (STRATEGIES as readonly string[]).includes(s);
}

/** What a write-behind writer does when the queue is full. */
export type WhenFull = 'block' | 'reject' | 'flush';

/**
 * Which write a stored value came from, as the consistency checker needs it: the write's id and its two positions in
 * the history. Cache entries, database rows and write-behind queue entries carry these fields themselves, copied from
 * the write's record, so no record outlives the write's own operation (see WriteRecord).
 */
export interface WriteStamp {
  /** Unique, increasing in issue order; 0 is never used. */
  id: number;
  /** Position in the history's total order (virtual time, then event sequence) when the write was issued. */
  issueSeq: number;
  /** Position in the history when the write was acknowledged to its client; undefined while in flight or if it failed. */
  ackSeq: number | undefined;
  /**
   * The database's commit order: which commit (1, 2, ... across all rows) put this write in its row; undefined until
   * it is committed (and for a write that never is: rolled back, coalesced into a later one, lost).
   */
  commitSeq: number | undefined;
}

/** `to` now carries the stamp of the write `from` stands for (a store taking that write's value, or a copy kept). */
export function copyStamp(to: WriteStamp, from: WriteStamp): void {
  to.id = from.id;
  to.issueSeq = from.issueSeq;
  to.ackSeq = from.ackSeq;
  to.commitSeq = from.commitSeq;
}

/**
 * One client write, as the consistency checker sees it. Only its operation holds it (the engine reuses one record per
 * operation object, see `RecordFactory.reissue`). A cache entry, a row or a write-behind queue entry keeps a copy of
 * its stamp, which the engine brings up to date when the write is acknowledged after the store took it
 * (write-through caches its value before the database commits; write-behind queues it just before the
 * acknowledgement).
 */
export interface WriteRecord extends WriteStamp {
  readonly id: number;
  readonly key: string;
  /** Virtual time of the acknowledgement. */
  ackTime: number | undefined;
  /** Set for counter increments: the amount added. */
  readonly delta: number | undefined;
  /** Line of the scenario statement that issued it (null for generated workloads and loads). */
  readonly line: number | null;
}

/** Lanes of the sequence diagram: a client name, a cache node (`node1`), its write-behind queue (`node1/queue`), or `db`. */
export type Lane = string;

export type Action =
  | 'cache.get'
  | 'cache.set'
  | 'cache.delete'
  | 'cache.incr'
  | 'cache.load'
  | 'cache.rollback'
  | 'cache.evict'
  | 'cache.expire'
  | 'db.lock'
  | 'db.read'
  | 'db.write'
  | 'db.incr'
  | 'db.batch'
  | 'queue.enqueue'
  | 'queue.coalesce'
  | 'queue.reject'
  | 'queue.block'
  | 'queue.retry'
  | 'queue.deadLetter'
  | 'queue.lost'
  | 'wal.append'
  | 'wal.replay'
  | 'ack'
  | 'error'
  | 'crash'
  | 'shutdown'
  | 'restart'
  | 'db.down'
  | 'db.up'
  | 'db.failNext'
  | 'db.failKey'
  | 'advance'
  | 'expect';

/** A step announcing a database fault: its outcome is `error`, though no operation failed. */
export function isDbFault(action: Action): boolean {
  return action === 'db.down' || action === 'db.failNext' || action === 'db.failKey';
}

export type Outcome = 'hit' | 'miss' | 'ok' | 'error' | 'stale' | 'fresh' | 'pending' | 'persisted' | 'lost';

/** One hop or event of a run. `time` is when its effect lands; it began `durationMs` earlier. */
export interface TraceStep {
  seq: number;
  /** Virtual milliseconds since the start of the run. */
  time: number;
  durationMs: number;
  /** Scenario line that caused it, or null (flusher, workload). */
  line: number | null;
  /** Client whose operation this step belongs to, or null for background work (flusher, faults). */
  client: string | null;
  /** Operation id within the run, or null for background work. */
  op: number | null;
  from: Lane;
  to: Lane;
  action: Action;
  key: string | null;
  outcome: Outcome;
  /** Value carried or returned, when there is one. */
  value?: Json | undefined;
  /** Id of the write whose value this step carries (a row loaded before the run has an id of its own). */
  version?: number | undefined;
  /** Write ids touched: those flushed by a batch, lost in a crash, rejected... */
  writes?: number[] | undefined;
  /** A database batch (`db.batch`): the keys of its rows, in order (`key` names the row of a batch of one). */
  keys?: string[] | undefined;
  /**
   * A lost reply. On a database write or batch: the database committed it, but the reply never reached its writer,
   * which takes it for failed. On a `db.failNext` fault: the transactions it announces commit and lose their replies
   * (rather than fail).
   */
  replyLost?: true | undefined;
  /**
   * A database batch sent again after a lost reply (at-least-once delivery): the ids of the writes it carries that the
   * database had applied already, and now applies again (counted in `duplicateWrites`).
   */
  appliedAgain?: number[] | undefined;
  /** One plain sentence saying what happened and why it matters. */
  note: string;
}

/** A read's answer to its client (a hit or a load, fresh or stale). */
export function isReadAnswer(s: TraceStep): boolean {
  return s.action === 'ack' && (s.outcome === 'fresh' || s.outcome === 'stale');
}

/**
 * The ids of the writes whose writer got an error and that no store kept: no step of the trace persisted them (a
 * write whose reply was lost is in the database after all). A read that returned one saw a dirty value.
 */
export function discardedWrites(steps: readonly TraceStep[]): Set<number> {
  const failed = new Set<number>();
  const persisted = new Set<number>();
  for (const s of steps) {
    if (s.action === 'error' && s.version !== undefined) failed.add(s.version);
    if (s.outcome === 'persisted') {
      if (s.version !== undefined) persisted.add(s.version);
      for (const w of s.writes ?? []) persisted.add(w);
    }
  }
  for (const w of persisted) failed.delete(w);
  return failed;
}

/** Whether step `s` is a read that returned a write the trace discards (see discardedWrites): a dirty read. */
export function isDirtyRead(s: TraceStep, discarded: ReadonlySet<number>): boolean {
  return isReadAnswer(s) && s.version !== undefined && discarded.has(s.version);
}

/** Latency percentiles of one kind of operation, in virtual ms. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface Metrics {
  acknowledgedWrites: number;
  failedWrites: number;
  reads: number;
  failedReads: number;
  cacheHits: number;
  cacheMisses: number;
  /** Cache misses on a key whose cached copy a write had invalidated (write-around's "first read after a write"). */
  missesAfterWrite: number;
  /** cacheHits / (cacheHits + cacheMisses), 0 when there were no cache lookups. */
  hitRatio: number;
  staleReads: number;
  /** Cache fills that stored a value the database had already replaced: a stale entry that lingers (the cache-aside race). */
  staleFills: number;
  /**
   * Reads that returned a write which then failed: they saw a value no store kept (the window of write-through, and of
   * the hybrid's writes, between the cache update and the commit, when the commit fails). Judged when the write settles.
   */
  dirtyReads: number;
  lostWrites: number;
  /** Row writes applied by the database (a batch of 10 rows counts 10). */
  dbWrites: number;
  dbReads: number;
  dbRoundTrips: number;
  /** Cache entries created by a write and never read in that cache before they left it (or the run ended). */
  cachePollution: number;
  evictions: number;
  maxQueueDepth: number;
  queueDepth: number;
  /**
   * Write-behind: the longest a queue entry waited, from its first write's acknowledgement until the database took
   * it (virtual ms): the window in which a crash would have lost that write. Entries never persisted do not count.
   */
  maxPendingAgeMs: number;
  retries: number;
  deadLetters: number;
  rejectedWrites: number;
  /**
   * Writes that found the write-behind queue full, whatever its policy did then (reject, block, or the writer storing
   * an entry itself: Ignite's WriteBehindTotalCriticalOverflowCount); each counted once.
   */
  queueOverflows: number;
  rollbacks: number;
  /**
   * Client writes the database applied more than once: a write-behind batch sent again after the database committed
   * it but its reply was lost (at-least-once delivery). A plain write applied twice leaves the same value; an
   * increment applied twice counts twice.
   */
  duplicateWrites: number;
  writeLatencyMs: LatencySummary;
  readLatencyMs: LatencySummary;
}

export const METRIC_NAMES = [
  'acknowledgedWrites',
  'failedWrites',
  'reads',
  'failedReads',
  'cacheHits',
  'cacheMisses',
  'missesAfterWrite',
  'hitRatio',
  'staleReads',
  'staleFills',
  'dirtyReads',
  'lostWrites',
  'dbWrites',
  'dbReads',
  'dbRoundTrips',
  'cachePollution',
  'evictions',
  'maxQueueDepth',
  'queueDepth',
  'maxPendingAgeMs',
  'retries',
  'deadLetters',
  'rejectedWrites',
  'queueOverflows',
  'rollbacks',
  'duplicateWrites',
  'writeLatencyMs',
  'readLatencyMs',
] as const satisfies readonly (keyof Metrics)[];
export type MetricName = (typeof METRIC_NAMES)[number];

/** Whether `name` is a latency summary, whose value named bare is its mean (see `metricValue`). */
export function isLatencyMetric(name: string): name is 'writeLatencyMs' | 'readLatencyMs' {
  return name === 'writeLatencyMs' || name === 'readLatencyMs';
}

/** Metric names usable in comparisons: scalars, and the latency summaries' fields as `writeLatencyMs.p99`. */
export function metricValue(m: Metrics, name: string): number | undefined {
  const parts = name.split('.');
  if (parts.length > 2) return undefined;
  const [head, field] = parts;
  if (!head || !(METRIC_NAMES as readonly string[]).includes(head)) return undefined;
  const v = m[head as MetricName];
  if (typeof v === 'number') return field === undefined ? v : undefined;
  if (field === undefined) return v.mean;
  return (['p50', 'p95', 'p99', 'max', 'mean'] as const).includes(field as 'p50') ? v[field as keyof LatencySummary] : undefined;
}

/** Options of the write-behind queue; every node has its own queue built from these. */
export interface WriteBehindOptions {
  /**
   * Time between flushes of a non-empty queue, virtual ms. Default 5000 (Ignite's `writeBehindFlushFrequency`). With
   * `writeDelayMs` set, how often the flusher looks for entries whose delay is over (Hazelcast's store worker: every
   * second); 0: as soon as one is (Coherence's write-behind thread).
   */
  flushIntervalMs: number;
  /**
   * Per-entry delay, virtual ms: an entry is stored no earlier than this long after it was queued, at the first flush
   * from then on (Hazelcast's `write-delay-seconds`, Coherence's `write-delay`). A write that folds into a pending
   * entry keeps that entry's time, so a key written without pause is still stored. null: every entry is due at the
   * next flush, whenever it was queued (Ignite's flush frequency). Default null.
   */
  writeDelayMs: number | null;
  /** Rows sent to the database in one round trip. Default 100. */
  batchSize: number;
  /**
   * A queue longer than this starts a flush at once, without waiting for the interval (Ignite's
   * `writeBehindFlushSize`); null = only the interval flushes. Default null.
   */
  flushSize: number | null;
  /** Keep only the newest pending value per key (counters: the summed delta). Default true. */
  coalescing: boolean;
  /** Pending entries allowed before the full-queue policy applies; null = unbounded. Default null. */
  maxQueue: number | null;
  /** What a write does when the queue is full. Default 'block'. */
  whenFull: WhenFull;
  /** Delay before the first retry of a failed flush, virtual ms. Default 1000. */
  retryDelayMs: number;
  /** Each further retry waits this many times longer (capped at 60 s). Default 2. */
  retryBackoff: number;
  /** Retries of one entry before it goes to the dead-letter queue; null = retry forever. Default null. */
  requeueLimit: number | null;
  /** Append every enqueued write to a durable log replayed on restart. Default false. */
  wal: boolean;
  /** Keep a copy of the pending queue on another member, which takes over flushing when this node crashes. Default false. */
  backup: boolean;
  /**
   * 'per-key': an entry waiting for its retry holds back only later writes to its own key, and other keys flush past
   * it. 'strict': it holds back the whole queue, as a stream consumer that retries its batch before reading on
   * (rgsync, RDI). Default 'per-key'.
   */
  order: WriteOrder;
  /**
   * How long a graceful shutdown (`shutdown cache`) waits for the node's queue to drain before it gives up and the
   * entries still pending are lost (NCache waits 180 s; Hazelcast's member does not wait: 0), virtual ms; null = wait
   * until the queue is empty. Default null.
   */
  shutdownTimeoutMs: number | null;
  /**
   * What the flusher does with a batch it sent but got no reply for (the database committed it, the reply was lost:
   * `fail db next N replies`): 'at-least-once' sends it again, so the database applies its writes twice (harmless for
   * a plain write, the same final value; an increment counts twice); 'exactly-once' sends it again too, but the
   * database keeps a table of the write ids it has applied and skips the ones it already has. Default 'at-least-once'.
   */
  delivery: Delivery;
  /**
   * A read that misses on a key whose write is still waiting in the node's queue (or out with a flush) is answered
   * from there, not from the database's older row: Hazelcast's staging area, Ignite's write-behind buffer. Off: the
   * miss loads the row, as Ehcache's read-through does and as a hand-written write-behind cache would. Default off.
   */
  loadFromQueue: boolean;
}

export type Delivery = 'at-least-once' | 'exactly-once';

export type WriteOrder = 'per-key' | 'strict';

export interface CacheOptions {
  /** Entries per node (lru-cache `max`). Default 1000. */
  capacity: number;
  /** Time to live of an entry, virtual ms; null = no expiry. Default null. */
  ttlMs: number | null;
  /** One round trip to a cache node, virtual ms. Default 1. */
  latencyMs: number;
  /** Independent cache nodes `node1..N` in front of the one database. Default 1. */
  nodes: number;
}

export interface DbOptions {
  /** One round trip to the database, virtual ms. Default 10. */
  latencyMs: number;
}

export interface EngineOptions {
  strategy: Strategy;
  cache: CacheOptions;
  db: DbOptions;
  writeBehind: WriteBehindOptions;
  /** Extra delay each named client adds before every hop it makes (a slow app server, a GC pause), virtual ms. */
  clientDelayMs: Record<string, number>;
  /** Record every step (off for benchmarks and large comparisons). Default true. */
  trace: boolean;
  /** Seed for anything random in the run (workloads). Default 1. */
  seed: number;
}

export function defaultOptions(strategy: Strategy = 'write-through'): EngineOptions {
  return {
    strategy,
    cache: { capacity: 1000, ttlMs: null, latencyMs: 1, nodes: 1 },
    db: { latencyMs: 10 },
    writeBehind: {
      flushIntervalMs: 5000,
      writeDelayMs: null,
      batchSize: 100,
      flushSize: null,
      coalescing: true,
      maxQueue: null,
      whenFull: 'block',
      retryDelayMs: 1000,
      retryBackoff: 2,
      requeueLimit: null,
      wal: false,
      backup: false,
      order: 'per-key',
      shutdownTimeoutMs: null,
      delivery: 'at-least-once',
      loadFromQueue: false,
    },
    clientDelayMs: {},
    trace: true,
    seed: 1,
  };
}

/** Deep-enough copy so callers can tweak options without touching a shared default. */
export function cloneOptions(o: EngineOptions): EngineOptions {
  return { ...o, cache: { ...o.cache }, db: { ...o.db }, writeBehind: { ...o.writeBehind }, clientDelayMs: { ...o.clientDelayMs } };
}
