// The lesson's comparison table as the UI shows it: one row per strategy, each qualitative label next to the
// measured numbers it was derived from, plus the rules text; and the one call the UI makes to build it.
import { LABEL_RULES, compareStrategies } from './compare';
import type { Comparison, ComparisonLabels } from './compare';
import { defaultOptions } from './types';
import type { EngineOptions, Strategy } from './types';
import { thousands } from './words';
import { WORKLOADS, defaultWorkload, isWorkload } from './workload';
import type { WorkloadKind, WorkloadSpec } from './workload';

export interface CompareRow {
  strategy: Strategy;
  /** Median and tail of acknowledged writes, virtual ms. */
  writeLatency: { label: ComparisonLabels['writeLatency']; p50: number; p95: number; p99: number };
  readConsistency: { label: ComparisonLabels['readConsistency']; staleReads: number; staleReadRate: number; missesAfterWrite: number };
  /** Acknowledged writes lost when node1 crashes half-way through the same workload. */
  dataLossRisk: { label: ComparisonLabels['dataLossRisk']; lostInCrash: number };
  bestFor: { label: string };
  dbWrites: number;
  cachePollution: number;
  hitRatio: number;
}

/** The four knobs the comparison page lets a learner turn. */
export interface CompareKnobs {
  cacheLatencyMs: number;
  dbLatencyMs: number;
  flushIntervalMs: number;
  coalescing: boolean;
}

export interface CompareTable {
  workload: WorkloadSpec;
  knobs: CompareKnobs;
  rows: CompareRow[];
  /** How each label follows from the numbers, in words, for under the table. */
  rules: readonly string[];
}

/** Rows for every strategy in the comparison, in its order, numbers copied as measured. */
export function compareView(c: Comparison): CompareTable {
  const rows = c.results.map(
    (r): CompareRow => ({
      strategy: r.strategy,
      writeLatency: { label: r.labels.writeLatency, p50: r.metrics.writeLatencyMs.p50, p95: r.metrics.writeLatencyMs.p95, p99: r.metrics.writeLatencyMs.p99 },
      readConsistency: { label: r.labels.readConsistency, staleReads: r.metrics.staleReads, staleReadRate: r.staleReadRate, missesAfterWrite: r.metrics.missesAfterWrite },
      dataLossRisk: { label: r.labels.dataLossRisk, lostInCrash: r.lostInCrash },
      bestFor: { label: r.labels.bestFor },
      dbWrites: r.metrics.dbWrites,
      cachePollution: r.metrics.cachePollution,
      hitRatio: r.metrics.hitRatio,
    }),
  );
  return { workload: { ...c.workload }, knobs: knobsOf(c.options), rows, rules: LABEL_RULES };
}

/**
 * Why a row's write latency is High or Low, in the numbers the rule compares (LABEL_RULES): its median against one
 * cache round trip plus one database round trip. Beside "11 ms High" and "10 ms Low" it says that one ms decides it.
 */
export function writeLatencyBasis(row: Pick<CompareRow, 'writeLatency'>, knobs: Pick<CompareKnobs, 'cacheLatencyMs' | 'dbLatencyMs'>): string {
  const both = `${thousands(knobs.cacheLatencyMs)} + ${thousands(knobs.dbLatencyMs)} ms`;
  return row.writeLatency.label === 'High' ? `median \u2265 ${both}: cache, then DB` : `median < ${both}: one store`;
}

function knobsOf(o: EngineOptions): CompareKnobs {
  return { cacheLatencyMs: o.cache.latencyMs, dbLatencyMs: o.db.latencyMs, flushIntervalMs: o.writeBehind.flushIntervalMs, coalescing: o.writeBehind.coalescing };
}

/** Bounds of a comparison request (at 100,000 ops the five runs take about half a second on a 2-core host once warm, about a second from the page). */
export const COMPARE_LIMITS = {
  maxOps: 100_000,
  maxKeys: 100_000,
  maxLatencyMs: 60_000,
  minFlushIntervalMs: 1,
  maxFlushIntervalMs: 3_600_000,
} as const;

export interface CompareRequest {
  kind: WorkloadKind;
  ops: number;
  keys: number;
  seed: number;
  knobs: CompareKnobs;
}

export type CompareRequestValidation = { ok: true; request: CompareRequest } | { ok: false; errors: string[] };

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 27)}...` : v);
  if (typeof v === 'number') return thousands(v);
  if (typeof v === 'boolean') return String(v);
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Checks a comparison request from a webview; every problem is reported with the field it concerns. */
export function validateCompareRequest(raw: unknown): CompareRequestValidation {
  const errors: string[] = [];
  const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRec(raw)) return { ok: false, errors: ['request: expected an object with kind, ops, keys, seed and knobs'] };
  const int = (v: unknown, path: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) errors.push(`${path}: expected a whole number from ${thousands(min)} to ${thousands(max)}, got ${show(v)}`);
    return typeof v === 'number' ? v : 0;
  };
  const num = (v: unknown, path: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) errors.push(`${path}: expected a number from ${thousands(min)} to ${thousands(max)}, got ${show(v)}`);
    return typeof v === 'number' ? v : 0;
  };
  const kind = raw.kind;
  if (typeof kind !== 'string' || !isWorkload(kind)) errors.push(`kind: expected one of ${WORKLOADS.join(', ')}, got ${show(kind)}`);
  const ops = int(raw.ops, 'ops', 1, COMPARE_LIMITS.maxOps);
  const keys = int(raw.keys, 'keys', 1, COMPARE_LIMITS.maxKeys);
  const seed = int(raw.seed, 'seed', 0, 0xffff_ffff);
  const k = raw.knobs;
  let knobs: CompareKnobs = defaultKnobs();
  if (!isRec(k)) errors.push('knobs: expected an object with cacheLatencyMs, dbLatencyMs, flushIntervalMs and coalescing');
  else {
    knobs = {
      cacheLatencyMs: num(k.cacheLatencyMs, 'knobs.cacheLatencyMs', 0, COMPARE_LIMITS.maxLatencyMs),
      dbLatencyMs: num(k.dbLatencyMs, 'knobs.dbLatencyMs', 0, COMPARE_LIMITS.maxLatencyMs),
      flushIntervalMs: num(k.flushIntervalMs, 'knobs.flushIntervalMs', COMPARE_LIMITS.minFlushIntervalMs, COMPARE_LIMITS.maxFlushIntervalMs),
      coalescing: k.coalescing === true,
    };
    if (typeof k.coalescing !== 'boolean') errors.push(`knobs.coalescing: expected true or false, got ${show(k.coalescing)}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, request: { kind: kind as WorkloadKind, ops, keys, seed, knobs } };
}

/** The engine's defaults for the four knobs. */
export function defaultKnobs(): CompareKnobs {
  return knobsOf(defaultOptions());
}

/**
 * Builds the workload (the CLI's defaults: Zipf keys, four clients, rows preloaded) and the engine options from the
 * knobs, runs every strategy on it (and again with a crash half-way), and returns the table. Throws a RangeError on
 * a request validateCompareRequest would reject.
 */
export function compareForUi(kind: WorkloadKind, ops: number, keys: number, seed: number, knobs: CompareKnobs): CompareTable {
  const checked = validateCompareRequest({ kind, ops, keys, seed, knobs });
  if (!checked.ok) throw new RangeError(`invalid comparison request: ${checked.errors.join('; ')}`);
  const spec: WorkloadSpec = { ...defaultWorkload(kind), ops, keys, seed };
  const base = defaultOptions();
  base.cache.latencyMs = knobs.cacheLatencyMs;
  base.db.latencyMs = knobs.dbLatencyMs;
  base.writeBehind.flushIntervalMs = knobs.flushIntervalMs;
  base.writeBehind.coalescing = knobs.coalescing;
  return compareView(compareStrategies(spec, base));
}
