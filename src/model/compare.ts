// The lesson's comparison table, measured: every strategy runs the same generated workload (and the same workload
// with a cache crash part-way), and the qualitative labels are derived from the numbers by stated rules.
import { cloneOptions, defaultOptions, STRATEGIES } from './types';
import type { EngineOptions, Metrics, Strategy } from './types';
import { runWorkload } from './workload';
import type { WorkloadSpec } from './workload';

export interface StrategyComparison {
  strategy: Strategy;
  metrics: Metrics;
  /**
   * Acknowledged writes lost when node1 crashes half-way through the same workload (restarted at once), counted at
   * the crash: what the crash dropped, even where a later write to the key overwrote it in the database afterwards.
   */
  lostInCrash: number;
  staleReadRate: number;
  labels: ComparisonLabels;
}

export interface ComparisonLabels {
  writeLatency: 'High' | 'Low';
  readConsistency: 'Strong' | 'Eventually consistent' | 'Miss on first read after write';
  dataLossRisk: 'None' | 'Yes (crash before flush)';
  bestFor: string;
}

export interface Comparison {
  workload: WorkloadSpec;
  options: EngineOptions;
  results: StrategyComparison[];
}

/** The rules behind the labels, in words (shown under the table). */
export const LABEL_RULES = [
  'Write latency is High when the median write waits for a cache round trip and a database round trip in sequence (p50 >= cache latency + DB latency), else Low.',
  'Read consistency is Strong when no read was stale; Miss on first read after write when the only stale reads fell in the instant before an invalidation landed (no cache fill stored a replaced value) and at least 10% of writes were followed by a miss on the key they invalidated; otherwise Eventually consistent.',
  'Data-loss risk is Yes when the crash run lost any acknowledged write, else None (counted at the crash: a later write to a key overwrites a lost one in the database, and does not undo the loss).',
  'Best for follows from the three: loss -> write-heavy, loss-tolerant; stale reads -> general purpose, read-heavy; misses after writes -> data rarely re-read; high latency and strong -> read-heavy, consistency-sensitive.',
];

/** Defaults for a comparison: four clients, one of them a slow app server (5 ms more per hop), so races can occur. */
export function comparisonOptions(base?: EngineOptions): EngineOptions {
  const o = base ? cloneOptions(base) : defaultOptions();
  o.trace = false;
  if (Object.keys(o.clientDelayMs).length === 0) o.clientDelayMs = { c4: 5 };
  return o;
}

export function compareStrategies(spec: WorkloadSpec, base?: EngineOptions, strategies: readonly Strategy[] = STRATEGIES): Comparison {
  const options = comparisonOptions(base);
  const results = strategies.map((strategy) => {
    const o = cloneOptions(options);
    o.strategy = strategy;
    const normal = runWorkload(o, spec).metrics;
    const crash = runWorkload(cloneOptions(o), spec, { crashAfterOps: Math.floor(spec.ops / 2) });
    return measured(strategy, normal, crash.lostAtCrash ?? crash.metrics.lostWrites, o);
  });
  return { workload: spec, options, results };
}

function measured(strategy: Strategy, m: Metrics, lostInCrash: number, o: EngineOptions): StrategyComparison {
  const staleReadRate = m.reads === 0 ? 0 : Math.round((m.staleReads / m.reads) * 10_000) / 10_000;
  return { strategy, metrics: m, lostInCrash, staleReadRate, labels: labelsFor(m, lostInCrash, o) };
}

export function labelsFor(m: Metrics, lostInCrash: number, o: EngineOptions): ComparisonLabels {
  const writeLatency = m.writeLatencyMs.p50 >= o.cache.latencyMs + o.db.latencyMs ? 'High' : 'Low';
  const missesAfterWrites = m.acknowledgedWrites > 0 && m.missesAfterWrite / m.acknowledgedWrites >= 0.1;
  const readConsistency =
    m.staleReads === 0 ? 'Strong' : m.staleFills === 0 && missesAfterWrites ? 'Miss on first read after write' : 'Eventually consistent';
  const dataLossRisk = lostInCrash > 0 ? 'Yes (crash before flush)' : 'None';
  const bestFor =
    dataLossRisk !== 'None'
      ? 'Write-heavy, loss-tolerant'
      : readConsistency === 'Eventually consistent'
        ? 'General purpose, read-heavy'
        : readConsistency === 'Miss on first read after write'
          ? 'Data rarely re-read after write'
          : writeLatency === 'High'
            ? 'Read-heavy, consistency-sensitive'
            : 'Read-heavy';
  return { writeLatency, readConsistency, dataLossRisk, bestFor };
}
