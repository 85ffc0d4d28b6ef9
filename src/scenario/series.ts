// Time series of a scenario run for the playground's charts: queue depth, database writes, hit ratio, stale reads and
// lost writes at evenly spaced instants of virtual time, each value exact for its instant, from a single run.
import { Engine } from '../model/engine';
import type { Metrics } from '../model/types';
import type { Program } from './ast';
import { optionsFromProgram, runProgram } from './runner';
import type { RunOptions, ScenarioResult } from './runner';

/**
 * Metrics over virtual time. Every array has one entry per instant in `times`. Entry k is the engine's state once
 * every event at or before `times[k]` has run and none after it has; the last entry, at `endMs`, is the run's final
 * metrics (after `finish`, so `lostWrites` and `cachePollution` carry their end-of-run verdicts).
 */
export interface Series {
  /**
   * Virtual ms: 0, bucketMs, 2*bucketMs, ... (every multiple below endMs), then endMs itself. That is between
   * `buckets` and 2 * `buckets` intervals; fewer only when the run lasts less than `buckets` ms, and a single
   * instant when it all happens at time 0.
   */
  times: number[];
  /** Entries waiting in the write-behind queues, all nodes together. */
  queueDepth: number[];
  /** Row writes the database has applied so far. */
  dbWrites: number[];
  /** Writes acknowledged to clients so far (beside dbWrites it shows write-behind's lag). */
  acknowledgedWrites: number[];
  /** Cache hit ratio so far, 0..1. */
  hitRatio: number[];
  staleReads: number[];
  /**
   * Acknowledged writes beyond recovery at that instant. Not always non-decreasing: the checker calls a write lost
   * when the database holds an older value of its key, so a newer write to that key that reaches the database later
   * supersedes the loss. Counters never recover (increments are counted, not superseded).
   */
  lostWrites: number[];
  /** Virtual time of the run's last event. */
  endMs: number;
  /** Spacing of `times` before the last one: a whole number of ms, at least 1. */
  bucketMs: number;
}

export interface SeriesRun {
  /** What runProgram returned for the program (trace on); the sampling leaves it exactly as a plain run's. */
  result: ScenarioResult;
  series: Series;
}

/** Run options passed through to runProgram. `eventLimit` also counts the sampler's own events. */
export type SeriesOptions = Pick<RunOptions, 'seed' | 'eventLimit'>;

/** Most buckets a series may ask for: a bucket costs one metrics computation. */
export const MAX_BUCKETS = 2000;

type SeriesField = 'queueDepth' | 'dbWrites' | 'acknowledgedWrites' | 'hitRatio' | 'staleReads' | 'lostWrites';
const FIELDS: readonly SeriesField[] = ['queueDepth', 'dbWrites', 'acknowledgedWrites', 'hitRatio', 'staleReads', 'lostWrites'];

/**
 * A lower bound of the run's end: the latest `at` time and the sum of the `advance` durations (the director cannot
 * get past an advance sooner). Only used to pick the first bucket width.
 */
export function estimateEndMs(program: Program): number {
  let latest = 0;
  let advanced = 0;
  for (const s of program.statements) {
    if (s.kind === 'advance') advanced += s.ms;
    else if (s.kind === 'op' && s.placement.at !== undefined) latest = Math.max(latest, s.placement.at);
    else if ('at' in s && s.at !== undefined) latest = Math.max(latest, s.at);
  }
  return Math.max(latest, advanced);
}

/**
 * Runs `program` once and samples it on a grid of virtual time.
 *
 * Exactness: a watcher event rides on the engine's own scheduler. It is placed at the time of the next pending
 * event, and when it fires while more events of that instant are queued it re-queues itself behind them, so it runs
 * exactly when an instant is over. The state then holds until the next pending event, so every grid point in
 * [now, next event) gets these metrics: a value that is exact for its instant, not interpolated and not skewed to
 * the first step after a boundary. Grid points before the first trace step get a fresh engine's metrics (with
 * tracing on, every change of state records a step). The watcher is only ever placed where a real event already is,
 * and it changes no state, so the run's steps, end time and metrics are those of a plain runProgram.
 *
 * The end is unknown up front, so the grid starts at estimateEndMs / buckets (whole ms) and, whenever it would hold
 * more than 2 * buckets points, keeps every other point and doubles its spacing; points on the coarser grid were
 * all points of the finer one, so nothing is approximated.
 */
export function runWithSeries(program: Program, buckets = 60, options: SeriesOptions = {}): SeriesRun {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) {
    throw new RangeError(`buckets must be a whole number from 1 to ${MAX_BUCKETS}, got ${String(buckets)}`);
  }
  let bucketMs = Math.max(1, Math.floor(estimateEndMs(program) / buckets));
  /** grid[k]: the state at k * bucketMs. Entries may share one Metrics object. */
  let grid: Metrics[] = [];
  const push = (m: Metrics): void => {
    grid.push(m);
    if (grid.length > 2 * buckets) {
      grid = grid.filter((_, k) => k % 2 === 0);
      bucketMs *= 2;
    }
  };
  const fresh = (): Metrics => new Engine(optionsFromProgram(program)).metrics();

  let engine: Engine | undefined;
  const runOptions: RunOptions = {
    trace: true,
    onStep: (step, e) => {
      if (engine) return;
      engine = e;
      // Nothing changed before the first step; the first step's own instant is sampled once it is over.
      if (grid.length * bucketMs < step.time) {
        const initial = fresh();
        while (grid.length * bucketMs < step.time) push(initial);
      }
      const sched = e.sched;
      const watch = (): void => {
        if (sched.peekTime() === sched.now) return sched.after(0, watch);
        const next = sched.peekTime();
        // No event left: this instant ends the run, and the final metrics below describe it.
        if (next === undefined) return;
        if (grid.length * bucketMs < next) {
          const m = e.metrics();
          while (grid.length * bucketMs < next) push(m);
        }
        sched.at(next, watch);
      };
      sched.after(0, watch);
    },
  };
  if (options.seed !== undefined) runOptions.seed = options.seed;
  if (options.eventLimit !== undefined) runOptions.eventLimit = options.eventLimit;
  const result = runProgram(program, runOptions);

  // Without a single step nothing ever changed; the end is where the director's last advance left the clock.
  const endMs = engine ? engine.now : Math.max(0, ...result.timeline.map((t) => t.end));
  if (!engine) {
    const m = fresh();
    while (grid.length * bucketMs < endMs) push(m);
  }
  // A run stopped at its event limit leaves grid points past its last sampled instant: they are dropped.
  const kept = grid.filter((_, k) => k * bucketMs < endMs);

  const series: Series = {
    times: [],
    queueDepth: [],
    dbWrites: [],
    acknowledgedWrites: [],
    hitRatio: [],
    staleReads: [],
    lostWrites: [],
    endMs,
    bucketMs,
  };
  const add = (t: number, m: Metrics): void => {
    series.times.push(t);
    for (const f of FIELDS) series[f].push(m[f]);
  };
  kept.forEach((m, k) => add(k * bucketMs, m));
  add(endMs, result.metrics);
  return { result, series };
}
