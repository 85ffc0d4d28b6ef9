// Shared fast-check generators for the engine's property tests: small engine configs, client operations and faults
// at virtual times, a driver that runs one history on an Engine, and a scenario-like rendering for failure messages.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Engine, fmt } from '../../src/model/engine';
import type { OpKind, OpRequest, OpResult } from '../../src/model/engine';
import { defaultOptions } from '../../src/model/types';
import type { Delivery, EngineOptions, Json, Metrics, Strategy, WhenFull } from '../../src/model/types';

export const CLIENTS = ['c1', 'c2', 'c3'] as const;
export const KEYS = ['k1', 'k2', 'k3'] as const;
/** The keys property 3 increments (kept apart from plain-write keys: the checker judges counters by count). */
export const COUNTER_KEY = 'n1';

/** The engine options a history varies; everything else keeps its default. */
export interface EngineConfig {
  strategy: Strategy;
  nodes: number;
  capacity: number;
  ttlMs: number | null;
  cacheLatencyMs: number;
  dbLatencyMs: number;
  flushIntervalMs: number;
  /** Per-entry write delay (`writeBehind.writeDelay`); null: off. */
  writeDelayMs: number | null;
  batchSize: number;
  coalescing: boolean;
  wal: boolean;
  retryDelayMs: number;
  /** The queue knobs below keep their defaults unless the shape lets them vary (`queueKnobs`). */
  maxQueue?: number | null;
  whenFull?: WhenFull;
  retryBackoff?: number;
  requeueLimit?: number | null;
  backup?: boolean;
  /** Write-behind's delivery after a lost reply (default at-least-once). */
  delivery?: Delivery;
  /** A miss on a key still queued is answered from the queue (`writeBehind.loadFromQueue`; default off). */
  loadFromQueue?: boolean;
  clientDelayMs: Record<string, number>;
}

export interface OpSpec {
  at: number;
  kind: OpKind;
  key: string;
  client: string;
  node: number;
  /** For 'write': unique per history, so a value names its write. */
  value?: number;
  /** For 'incr'. */
  amount?: number;
}

export type FaultSpec =
  | { kind: 'crash'; at: number; node: number; restartAfter: number | null }
  /** A graceful shutdown: `timeoutMs` null waits until the queue is empty. */
  | { kind: 'shutdown'; at: number; node: number; timeoutMs: number | null; restartAfter: number | null }
  | { kind: 'dbDown'; at: number; ms: number }
  | { kind: 'dbFailNext'; at: number; n: number }
  /** The next `n` write transactions commit but their replies are lost (`fail db next N replies`). */
  | { kind: 'dbLoseReplies'; at: number; n: number }
  /** A poison row (`fail db key`): every write of KEYS[key] fails until `recover db`, `recoverAfter` ms later. */
  | { kind: 'dbRefuseKey'; at: number; key: number; recoverAfter: number };

export interface History {
  config: EngineConfig;
  loads: { key: string; value: number }[];
  ops: OpSpec[];
  faults: FaultSpec[];
}

/** What a generated history may contain. */
export interface HistoryShape {
  strategy: Strategy;
  /** Cache nodes, inclusive range. Default [1, 2]. */
  nodes?: readonly [number, number];
  /** Allow capacities below the key count (evictions). Default true. */
  evictions?: boolean;
  /** Allow a TTL. Default true. */
  ttl?: boolean;
  kinds?: readonly OpKind[];
  /** Operations per history (at most 12). Default 12. */
  maxOps?: number;
  crash?: boolean;
  /** Graceful shutdowns (`shutdown cache`), with any timeout, or (`'no-limit'`) only ones that wait for the queue. */
  shutdown?: boolean | 'no-limit';
  dbDown?: boolean;
  dbFailNext?: boolean;
  dbLoseReplies?: boolean;
  dbRefuseKey?: boolean;
  /** Fix write-behind's delivery after a lost reply, or (undefined) let it vary. */
  delivery?: Delivery;
  /** Every write to a key comes from one client through one node (k1: c1/node1, k2: c2/node2 or node1, ...). */
  writerPerKey?: boolean;
  /** Fix the write-behind WAL, or let it vary. */
  wal?: boolean;
  coalescing?: boolean;
  /**
   * Let the write-behind queue's other knobs vary: a small max queue with each full-queue policy, the retry backoff,
   * a requeue limit (dead letters) and the backup member. Default false (their defaults: unbounded, retry forever).
   * `requeueLimit: false` keeps retrying forever while the rest vary (for properties that need every retry to land).
   */
  queueKnobs?: boolean;
  requeueLimit?: boolean;
  /** Fix the backup member on or off while the other knobs vary. */
  backup?: boolean;
}

const ALL_KINDS: readonly OpKind[] = ['write', 'incr', 'read', 'read-db'];

/** Mostly small times so operations overlap, sometimes far enough apart for flushes, TTLs and retries to happen. */
export const timeArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 12_000 }), weight: 1 },
);

export const dbDownMsArb: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 8000 }));

export function configArb(shape: HistoryShape): fc.Arbitrary<EngineConfig> {
  const [minNodes, maxNodes] = shape.nodes ?? [1, 2];
  const evictions = shape.evictions ?? true;
  const knobs = shape.queueKnobs ?? false;
  return fc.record({
    strategy: fc.constant(shape.strategy),
    nodes: fc.integer({ min: minNodes, max: maxNodes }),
    capacity: evictions ? fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(1000)) : fc.constantFrom(KEYS.length + 1, 1000),
    ttlMs: (shape.ttl ?? true) ? fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 300 }), weight: 1 }) : fc.constant(null),
    cacheLatencyMs: fc.integer({ min: 0, max: 3 }),
    dbLatencyMs: fc.integer({ min: 1, max: 20 }),
    // 0 flushes as soon as possible (a failed flush once re-ticked forever at one instant: pinned in engine.property.test.ts).
    flushIntervalMs: fc.constantFrom(0, 1, 5, 20, 50, 100, 1000, 5000),
    // Off in half the histories; with a delay, entries wait it out whatever the interval.
    writeDelayMs: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.constantFrom(0, 3, 20, 100, 1000), weight: 4 }),
    batchSize: fc.integer({ min: 1, max: 4 }),
    coalescing: shape.coalescing === undefined ? fc.boolean() : fc.constant(shape.coalescing),
    wal: shape.wal === undefined ? fc.boolean() : fc.constant(shape.wal),
    retryDelayMs: fc.constantFrom(5, 50, 1000),
    maxQueue: knobs ? fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }) : fc.constant(null),
    whenFull: knobs ? fc.constantFrom<WhenFull>('block', 'reject', 'flush') : fc.constant<WhenFull>('block'),
    retryBackoff: knobs ? fc.constantFrom(1, 2, 3) : fc.constant(2),
    requeueLimit: knobs && (shape.requeueLimit ?? true) ? fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }) : fc.constant(null),
    backup: shape.backup !== undefined ? fc.constant(shape.backup) : knobs ? fc.boolean() : fc.constant(false),
    delivery: shape.delivery !== undefined ? fc.constant(shape.delivery) : fc.constantFrom<Delivery>('at-least-once', 'exactly-once'),
    loadFromQueue: fc.boolean(),
    clientDelayMs: fc.record({ c2: fc.constantFrom(0, 0, 2, 7, 25), c3: fc.constantFrom(0, 0, 1, 15) }),
  });
}

interface RawOp {
  at: number;
  kind: OpKind;
  key: number;
  client: number;
  node: number;
  amount: number;
}

const faultArb = (shape: HistoryShape): fc.Arbitrary<FaultSpec> | undefined => {
  const options: fc.Arbitrary<FaultSpec>[] = [];
  if (shape.crash) {
    options.push(
      fc.record({
        kind: fc.constant('crash' as const),
        at: timeArb,
        node: fc.integer({ min: 1, max: 2 }),
        restartAfter: fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 6000 })), { nil: null }),
      }),
    );
  }
  if (shape.shutdown) {
    const timeout: fc.Arbitrary<number | null> =
      shape.shutdown === 'no-limit' ? fc.constant(null) : fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 6000 }));
    options.push(
      fc.record({
        kind: fc.constant('shutdown' as const),
        at: timeArb,
        node: fc.integer({ min: 1, max: 2 }),
        timeoutMs: timeout,
        restartAfter: fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 6000 })), { nil: null }),
      }),
    );
  }
  if (shape.dbDown) options.push(fc.record({ kind: fc.constant('dbDown' as const), at: timeArb, ms: dbDownMsArb }));
  if (shape.dbFailNext) options.push(fc.record({ kind: fc.constant('dbFailNext' as const), at: timeArb, n: fc.integer({ min: 1, max: 3 }) }));
  if (shape.dbLoseReplies) options.push(fc.record({ kind: fc.constant('dbLoseReplies' as const), at: timeArb, n: fc.integer({ min: 1, max: 3 }) }));
  if (shape.dbRefuseKey) {
    options.push(fc.record({ kind: fc.constant('dbRefuseKey' as const), at: timeArb, key: fc.nat(KEYS.length - 1), recoverAfter: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 12_000 })) }));
  }
  return options.length === 0 ? undefined : fc.oneof(...options);
};

export function historyArb(shape: HistoryShape): fc.Arbitrary<History> {
  const kinds = shape.kinds ?? ALL_KINDS;
  const rawOp: fc.Arbitrary<RawOp> = fc.record({
    at: timeArb,
    kind: fc.constantFrom(...kinds),
    key: fc.nat(KEYS.length - 1),
    client: fc.nat(CLIENTS.length - 1),
    node: fc.integer({ min: 1, max: 2 }),
    amount: fc.integer({ min: 1, max: 5 }),
  });
  const fault = faultArb(shape);
  return fc
    .record({
      config: configArb(shape),
      keyCount: fc.integer({ min: 1, max: KEYS.length }),
      clientCount: fc.integer({ min: 2, max: CLIENTS.length }),
      loads: fc.tuple(...KEYS.map(() => fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }))),
      ops: fc.array(rawOp, { minLength: 1, maxLength: Math.min(shape.maxOps ?? 12, 12) }),
      faults: fault ? fc.array(fault, { maxLength: 3 }) : fc.constant([] as FaultSpec[]),
    })
    .map(({ config, keyCount, clientCount, loads, ops, faults }) => {
      const keys = KEYS.slice(0, keyCount);
      const h: History = {
        config,
        loads: [],
        ops: ops.map((o, i) => normalizeOp(o, i, keyCount, clientCount, config.nodes, shape.writerPerKey ?? false)),
        faults: faults.map((f) => (f.kind === 'crash' || f.kind === 'shutdown' ? { ...f, node: ((f.node - 1) % config.nodes) + 1 } : f)),
      };
      loads.forEach((v, i) => {
        const key = keys[i];
        if (v !== undefined && key !== undefined) h.loads.push({ key, value: v });
      });
      return h;
    });
}

/** Client and node that own a key's writes under `writerPerKey`. */
export function writerOf(keyIndex: number, clientCount: number, nodes: number): { client: string; node: number } {
  return { client: CLIENTS[keyIndex % clientCount] as string, node: (keyIndex % nodes) + 1 };
}

function normalizeOp(o: RawOp, i: number, keyCount: number, clientCount: number, nodes: number, writerPerKey: boolean): OpSpec {
  const keyIndex = o.key % keyCount;
  const isWrite = o.kind === 'write' || o.kind === 'incr';
  const owner = writerPerKey && isWrite ? writerOf(keyIndex, clientCount, nodes) : { client: CLIENTS[o.client % clientCount] as string, node: ((o.node - 1) % nodes) + 1 };
  const op: OpSpec = { at: o.at, kind: o.kind, key: KEYS[keyIndex] as string, client: owner.client, node: owner.node };
  if (o.kind === 'write') op.value = 100 + i;
  if (o.kind === 'incr') op.amount = o.amount;
  return op;
}

export function buildOptions(c: EngineConfig): EngineOptions {
  const o = defaultOptions(c.strategy);
  o.cache = { capacity: c.capacity, ttlMs: c.ttlMs, latencyMs: c.cacheLatencyMs, nodes: c.nodes };
  o.db = { latencyMs: c.dbLatencyMs };
  o.writeBehind = { ...o.writeBehind, flushIntervalMs: c.flushIntervalMs, writeDelayMs: c.writeDelayMs, batchSize: c.batchSize, coalescing: c.coalescing, wal: c.wal, retryDelayMs: c.retryDelayMs };
  const wb = o.writeBehind;
  if (c.maxQueue !== undefined) wb.maxQueue = c.maxQueue;
  if (c.whenFull !== undefined) wb.whenFull = c.whenFull;
  if (c.retryBackoff !== undefined) wb.retryBackoff = c.retryBackoff;
  if (c.requeueLimit !== undefined) wb.requeueLimit = c.requeueLimit;
  if (c.backup !== undefined) wb.backup = c.backup;
  if (c.delivery !== undefined) wb.delivery = c.delivery;
  if (c.loadFromQueue !== undefined) wb.loadFromQueue = c.loadFromQueue;
  o.clientDelayMs = { ...c.clientDelayMs };
  o.trace = true;
  return o;
}

export function toRequest(op: OpSpec): OpRequest {
  const req: OpRequest = { kind: op.kind, key: op.key, client: op.client, node: op.node, line: null };
  if (op.value !== undefined) req.value = op.value satisfies Json;
  if (op.amount !== undefined) req.amount = op.amount;
  return req;
}

/** Hooks into a run: called just before an operation is issued, and when it completes. */
export interface Observer {
  /** The engine, before anything is loaded or issued. */
  created?(engine: Engine): void;
  issuing?(index: number, op: OpSpec, engine: Engine): void;
  done?(index: number, op: OpSpec, result: OpResult, engine: Engine): void;
}

export interface RunOutcome {
  engine: Engine;
  metrics: Metrics;
  /** Per operation of the history: its result, or undefined if it never completed. */
  results: (OpResult | undefined)[];
  /** Per operation: the engine's operation id (the `op` of its trace steps). */
  opIds: number[];
}

/**
 * A guard against runaway runs. Small histories need a few hundred events, but the flusher wakes every interval even
 * when its only entries are retries waiting out a backoff (up to 60 s): a 1 ms interval can cost ~60,000 empty ticks.
 */
const EVENT_LIMIT = 5_000_000;

export function runHistory(h: History, obs: Observer = {}, eventLimit = EVENT_LIMIT): RunOutcome {
  const engine = new Engine(buildOptions(h.config));
  obs.created?.(engine);
  for (const l of h.loads) engine.load(l.key, l.value);
  const results: (OpResult | undefined)[] = h.ops.map(() => undefined);
  const opIds: number[] = h.ops.map(() => 0);
  h.ops.forEach((op, i) => {
    engine.sched.at(op.at, () => {
      obs.issuing?.(i, op, engine);
      opIds[i] = engine.issue(toRequest(op), (r) => {
        results[i] = r;
        obs.done?.(i, op, r, engine);
      });
    });
  });
  for (const f of h.faults) {
    switch (f.kind) {
      case 'crash':
        engine.sched.at(f.at, () => engine.crashNode(f.node));
        if (f.restartAfter !== null) engine.sched.at(f.at + f.restartAfter, () => engine.restartNode(f.node));
        break;
      case 'shutdown':
        engine.sched.at(f.at, () => engine.shutdownNode(f.node, f.timeoutMs));
        if (f.restartAfter !== null) engine.sched.at(f.at + f.restartAfter, () => engine.restartNode(f.node));
        break;
      case 'dbDown':
        engine.sched.at(f.at, () => engine.failDbFor(f.ms));
        break;
      case 'dbFailNext':
        engine.sched.at(f.at, () => engine.failDbNext(f.n));
        break;
      case 'dbLoseReplies':
        engine.sched.at(f.at, () => engine.failDbReplies(f.n));
        break;
      case 'dbRefuseKey':
        engine.sched.at(f.at, () => engine.failDbKey(KEYS[f.key] as string));
        engine.sched.at(f.at + f.recoverAfter, () => engine.recoverDb());
        break;
    }
  }
  const metrics = engine.finish(eventLimit);
  return { engine, metrics, results, opIds };
}

/** sha256 of a run's observable output: the trace, the metrics and the operations' results. */
export function runDigest(r: RunOutcome): string {
  return createHash('sha256')
    .update(JSON.stringify(r.engine.steps))
    .update('\n')
    .update(JSON.stringify(r.metrics))
    .update('\n')
    .update(JSON.stringify(r.results))
    .digest('hex');
}

/**
 * The history as a `.cachescenario` text, for failure messages (and to replay with `cache-workbench run`; events at
 * the same virtual time may then be ordered differently).
 */
export function describeHistory(h: History): string {
  const c = h.config;
  const lines = [
    `strategy ${c.strategy}`,
    `set cache.nodes ${c.nodes}`,
    `set cache.capacity ${c.capacity}`,
    `set cache.ttl ${c.ttlMs === null ? 'off' : fmt(c.ttlMs)}`,
    `set cache.latency ${fmt(c.cacheLatencyMs)}`,
    `set db.latency ${fmt(c.dbLatencyMs)}`,
  ];
  if (c.strategy === 'write-behind') {
    lines.push(
      `set writeBehind.flushInterval ${fmt(c.flushIntervalMs)}`,
      `set writeBehind.writeDelay ${c.writeDelayMs === null ? 'off' : fmt(c.writeDelayMs)}`,
      `set writeBehind.batchSize ${c.batchSize}`,
      `set writeBehind.coalescing ${c.coalescing ? 'on' : 'off'}`,
      `set writeBehind.wal ${c.wal ? 'on' : 'off'}`,
      `set writeBehind.retryDelay ${fmt(c.retryDelayMs)}`,
    );
    if (c.maxQueue != null) lines.push(`set writeBehind.maxQueue ${c.maxQueue}`, `set writeBehind.whenFull ${c.whenFull ?? 'block'}`);
    if (c.retryBackoff !== undefined) lines.push(`set writeBehind.retryBackoff ${c.retryBackoff}`);
    if (c.requeueLimit != null) lines.push(`set writeBehind.requeueLimit ${c.requeueLimit}`);
    if (c.backup) lines.push('set writeBehind.backup on');
    if (c.delivery !== undefined) lines.push(`set writeBehind.delivery ${c.delivery}`);
    if (c.loadFromQueue !== undefined) lines.push(`set writeBehind.loadFromQueue ${c.loadFromQueue ? 'on' : 'off'}`);
  }
  for (const [client, ms] of Object.entries(c.clientDelayMs)) if (ms > 0) lines.push(`set client.${client}.delay ${fmt(ms)}`);
  for (const l of h.loads) lines.push(`load ${l.key} ${l.value}`);
  const timed: { at: number; text: string }[] = [];
  h.ops.forEach((op, i) => {
    const what = op.kind === 'write' ? `write ${op.key} ${op.value}` : op.kind === 'incr' ? `incr ${op.key} ${op.amount}` : `${op.kind} ${op.key}`;
    const via = op.kind === 'read-db' ? '' : ` via node${op.node}`;
    timed.push({ at: op.at, text: `at ${fmt(op.at)} as ${op.client} ${what}${via}   # op[${i}]` });
  });
  for (const f of h.faults) {
    if (f.kind === 'crash') {
      timed.push({ at: f.at, text: `at ${fmt(f.at)} crash cache node${f.node}` });
      if (f.restartAfter !== null) timed.push({ at: f.at + f.restartAfter, text: `at ${fmt(f.at + f.restartAfter)} restart cache node${f.node}` });
    } else if (f.kind === 'shutdown') {
      timed.push({ at: f.at, text: `at ${fmt(f.at)} shutdown cache node${f.node} timeout ${f.timeoutMs === null ? 'off' : fmt(f.timeoutMs)}` });
      if (f.restartAfter !== null) timed.push({ at: f.at + f.restartAfter, text: `at ${fmt(f.at + f.restartAfter)} restart cache node${f.node}` });
    } else if (f.kind === 'dbDown') timed.push({ at: f.at, text: `at ${fmt(f.at)} fail db for ${fmt(f.ms)}` });
    else if (f.kind === 'dbRefuseKey') {
      timed.push({ at: f.at, text: `at ${fmt(f.at)} fail db key ${KEYS[f.key] ?? '?'}` });
      timed.push({ at: f.at + f.recoverAfter, text: `at ${fmt(f.at + f.recoverAfter)} recover db` });
    } else if (f.kind === 'dbLoseReplies') timed.push({ at: f.at, text: `at ${fmt(f.at)} fail db next ${f.n} ${f.n === 1 ? 'reply' : 'replies'}` });
    else timed.push({ at: f.at, text: `at ${fmt(f.at)} fail db next ${f.n} write${f.n === 1 ? '' : 's'}` });
  }
  timed.sort((a, b) => a.at - b.at);
  return [...lines, ...timed.map((t) => t.text)].join('\n');
}

/** A compact rendering of trace steps for failure messages. */
export function describeSteps(steps: readonly { seq: number; time: number; op: number | null; from: string; to: string; action: string; key: string | null; outcome: string; version?: number | undefined; writes?: number[] | undefined }[]): string {
  return steps
    .map((s) => `#${s.seq} t=${s.time} op=${s.op ?? '-'} ${s.from}->${s.to} ${s.action} ${s.key ?? ''} ${s.outcome}${s.version !== undefined ? ` v${s.version}` : ''}${s.writes ? ` writes=[${s.writes.join(',')}]` : ''}`)
    .join('\n');
}
