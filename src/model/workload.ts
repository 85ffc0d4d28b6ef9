// Generated workloads (read-heavy, write-heavy, counters, mixed; uniform or Zipf keys; seeded) and the closed-loop
// driver that runs one on an engine: each client issues its next operation when the previous one completes.
import { Engine } from './engine';
import type { KeyState, OpKind } from './engine';
import { mulberry32, Zipf } from './random';
import type { EngineOptions, Metrics } from './types';

export const WORKLOADS = ['read-heavy', 'write-heavy', 'counters', 'mixed'] as const;
export type WorkloadKind = (typeof WORKLOADS)[number];
export type KeyDistribution = 'uniform' | 'zipf';

export interface WorkloadSpec {
  kind: WorkloadKind;
  /** Total operations across all clients. */
  ops: number;
  /** Distinct keys. */
  keys: number;
  distribution: KeyDistribution;
  /** Concurrent clients (closed loop). */
  clients: number;
  seed: number;
  /** Rows loaded before the run (key:0..key:N-1) so reads of unwritten keys find data. */
  preload: boolean;
}

export function defaultWorkload(kind: WorkloadKind = 'mixed'): WorkloadSpec {
  return { kind, ops: 10_000, keys: 1000, distribution: 'zipf', clients: 4, seed: 1, preload: true };
}

/** Share of reads; the rest are writes (or increments, for counters). */
const READ_SHARE: Record<WorkloadKind, number> = { 'read-heavy': 0.9, 'write-heavy': 0.1, counters: 0.05, mixed: 0.5 };

/** Share of reads that go straight to the database. */
export const DB_READ_SHARE = 0.05;

export function isWorkload(s: string): s is WorkloadKind {
  return (WORKLOADS as readonly string[]).includes(s);
}

/** Where a workload run takes its operations: `advance` moves to the next one and sets `kind`, `key` and `n`. */
export interface OpSource {
  readonly keyNames: readonly string[];
  /** Operations not yet taken. */
  readonly remaining: number;
  kind: OpKind;
  /** Index into `keyNames`. */
  key: number;
  /** Position of the operation in the workload (0-based). */
  n: number;
  advance(): boolean;
}

/** A deterministic stream of operations; generated on the fly so memory does not grow with the count. */
export class OpStream implements OpSource {
  private readonly rnd: () => number;
  private readonly zipf: Zipf | undefined;
  readonly keyNames: string[];
  private issued = 0;
  private readonly readShare: number;
  private readonly writeKind: OpKind;

  constructor(readonly spec: WorkloadSpec) {
    this.rnd = mulberry32(spec.seed);
    this.zipf = spec.distribution === 'zipf' ? new Zipf(spec.keys) : undefined;
    this.keyNames = Array.from({ length: spec.keys }, (_, i) => `key:${i}`);
    this.readShare = READ_SHARE[spec.kind];
    this.writeKind = spec.kind === 'counters' ? 'incr' : 'write';
  }

  get remaining(): number {
    return this.spec.ops - this.issued;
  }

  /** The current operation's kind, key index and position (set by `advance`). */
  kind: OpKind = 'read';
  key = 0;
  n = -1;

  /** Move to the next operation (its fields above); false when the workload is exhausted. Allocates nothing. */
  advance(): boolean {
    if (this.issued >= this.spec.ops) return false;
    this.n = this.issued++;
    const u = this.rnd();
    this.key = this.zipf ? this.zipf.sample(this.rnd()) : Math.floor(this.rnd() * this.spec.keys);
    const readShare = this.readShare;
    // A small share of reads bypass the caches (a reporting job reading the database), as real systems have.
    this.kind = u < readShare ? (u < readShare * DB_READ_SHARE ? 'read-db' : 'read') : this.writeKind;
    return true;
  }

  /** The next operation's kind and key index, or undefined when the workload is exhausted. */
  next(): { kind: OpKind; key: number; n: number } | undefined {
    return this.advance() ? { kind: this.kind, key: this.key, n: this.n } : undefined;
  }
}

/** Operation kinds by their code in an OpList. */
export const OP_KINDS: readonly OpKind[] = ['read', 'read-db', 'write', 'incr'];

/**
 * A workload's whole operation sequence, generated up front: the same operations as its OpStream, for a caller
 * that times the engine and not the generator (the benchmark). Its memory grows with the count; `rewind` replays it.
 */
export class OpList implements OpSource {
  /** Per operation: its kind (an index into OP_KINDS) and its key (an index into `keyNames`). */
  readonly kinds: Uint8Array;
  readonly keys: Int32Array;
  readonly keyNames: string[];
  kind: OpKind = 'read';
  key = 0;
  n = -1;

  constructor(readonly spec: WorkloadSpec) {
    const stream = new OpStream(spec);
    this.keyNames = stream.keyNames;
    this.kinds = new Uint8Array(spec.ops);
    this.keys = new Int32Array(spec.ops);
    for (let i = 0; stream.advance(); i++) {
      this.kinds[i] = OP_KINDS.indexOf(stream.kind);
      this.keys[i] = stream.key;
    }
  }

  get remaining(): number {
    return this.kinds.length - (this.n + 1);
  }

  advance(): boolean {
    const i = this.n + 1;
    if (i >= this.kinds.length) return false;
    this.n = i;
    this.kind = OP_KINDS[this.kinds[i] as number] as OpKind;
    this.key = this.keys[i] as number;
    return true;
  }

  /** Back to before the first operation. */
  rewind(): void {
    this.n = -1;
  }
}

export interface WorkloadFaults {
  /** Crash node1 once this many operations have been issued, and restart it at once (a crash before a flush). */
  crashAfterOps?: number;
}

export interface WorkloadRun {
  engine: Engine;
  metrics: Metrics;
  /**
   * With `crashAfterOps`: the acknowledged writes the crash dropped, counted right after it (the end of the run can
   * count fewer: a later write that reaches the database overwrites a lost one there, which does not undo the loss).
   */
  lostAtCrash: number | undefined;
}

/**
 * Run a workload to completion on a fresh engine (closed loop: each client issues its next operation when one
 * completes). Its operations come from `source`: generated as they are needed unless the caller prepared them.
 */
export function runWorkload(options: EngineOptions, spec: WorkloadSpec, faults: WorkloadFaults = {}, source: OpSource = new OpStream(spec)): WorkloadRun {
  const engine = new Engine(options);
  const stream = source;
  if (spec.preload) for (let i = 0; i < spec.keys; i++) engine.load(stream.keyNames[i] as string, spec.kind === 'counters' ? 0 : i);
  // Key states are found once here, not once per operation.
  const keys = stream.keyNames.map((k) => engine.keyState(k));
  let crashed = false;
  let lostAtCrash: number | undefined;
  const nodes = options.cache.nodes;
  const startClient = (ci: number): void => {
    const client = engine.client(`c${ci + 1}`);
    const node = (ci % nodes) + 1;
    const issueNext = (): void => {
      if (!crashed && faults.crashAfterOps !== undefined && spec.ops - stream.remaining >= faults.crashAfterOps) {
        crashed = true;
        engine.crashNode(1);
        lostAtCrash = engine.metrics().lostWrites;
        engine.restartNode(1);
      }
      if (!stream.advance()) return;
      const kind = stream.kind;
      engine.submit(kind, keys[stream.key] as KeyState, kind === 'write' ? stream.n : undefined, client, node, null, issueNext);
    };
    issueNext();
  };
  for (let ci = 0; ci < Math.max(1, spec.clients); ci++) startClient(ci);
  const metrics = engine.finish();
  return { engine, metrics, lostAtCrash };
}
