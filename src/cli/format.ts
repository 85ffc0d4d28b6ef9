// Text output of the CLI: an aligned trace table, the expectation results, a metrics summary and the comparison table.
import { fmt } from '../model/engine';
import { LABEL_RULES } from '../model/compare';
import type { Comparison } from '../model/compare';
import type { LatencySummary, Metrics, TraceStep } from '../model/types';
import type { ScenarioResult } from '../scenario/runner';
import { plural } from '../model/words';

export function table(head: string[], rows: string[][]): string {
  return [...tableLines(head, rows)].join('\n');
}

/** The lines of `table`, one at a time: a long trace's table can be more text than one string may hold. */
export function* tableLines(head: string[], rows: string[][]): Generator<string> {
  // A loop, not Math.max(...column): a trace of a few hundred thousand rows would overflow the call stack.
  const widths = head.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i] ?? 0, (r[i] ?? '').length);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  yield line(head);
  yield line(widths.map((w) => '-'.repeat(w)));
  for (const r of rows) yield line(r);
}

function short(v: unknown, max = 28): string {
  if (v === undefined) return '';
  return clip(JSON.stringify(v), max);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * Widest key and client shown (a client is also a hop's end), and longest note (a note names the key). The table pads every row to its widest cell,
 * so one key of 100,000 characters made each of 5,000 rows that wide: half a gigabyte of spaces, which V8 refuses
 * ("Invalid string length"). The longest note the engine writes about a short key is about 130 characters.
 */
const KEY_WIDTH = 40;
const CLIENT_WIDTH = 24;
const NOTE_WIDTH = 200;

function traceTableLines(steps: readonly TraceStep[]): Generator<string> {
  return tableLines(
    ['seq', 'time', 'line', 'client', 'from -> to', 'action', 'key', 'outcome', 'value', 'note'],
    steps.map((s) => [
      String(s.seq),
      fmt(s.time),
      s.line === null ? '' : String(s.line),
      clip(s.client ?? '', CLIENT_WIDTH),
      `${clip(s.from, CLIENT_WIDTH)} -> ${clip(s.to, CLIENT_WIDTH)}`,
      s.action,
      // A batch of several rows has no one key: its rows' keys, as many as fit.
      clip(s.key ?? s.keys?.join(', ') ?? '', KEY_WIDTH),
      s.outcome,
      short(s.value),
      clip(s.note, NOTE_WIDTH),
    ]),
  );
}

/** Percentiles of `count` operations; with none there is no latency to report (all zeros read as instant ones). */
function lat(l: LatencySummary, count: number, none: string): string {
  if (count === 0) return none;
  return `p50 ${l.p50}ms  p95 ${l.p95}ms  p99 ${l.p99}ms  max ${l.max}ms  mean ${l.mean}ms`;
}

export function metricsSummary(m: Metrics): string {
  const rows: [string, string][] = [
    ['writes acknowledged / failed', `${m.acknowledgedWrites} / ${m.failedWrites}`],
    ['reads ok / failed', `${m.reads} / ${m.failedReads}`],
    ['cache hits / misses (hit ratio)', `${m.cacheHits} / ${m.cacheMisses} (${m.hitRatio})`],
    ['stale reads', String(m.staleReads)],
    // Only write-through with a failing commit has them: shown when there are some.
    ...(m.dirtyReads > 0 ? [['dirty reads', String(m.dirtyReads)] as [string, string]] : []),
    ['lost writes', String(m.lostWrites)],
    ['db row writes / round trips', `${m.dbWrites} / ${m.dbRoundTrips}`],
    ['cache pollution', String(m.cachePollution)],
    ['max queue depth', m.maxPendingAgeMs > 0 ? `${m.maxQueueDepth} (longest wait ${m.maxPendingAgeMs}ms)` : String(m.maxQueueDepth)],
    // Only a bounded write-behind queue that filled up has them: shown when there are some.
    ...(m.queueOverflows > 0 ? [['queue overflows / rejected writes', `${m.queueOverflows} / ${m.rejectedWrites}`] as [string, string]] : []),
    ...(m.duplicateWrites > 0 ? [['writes applied twice (lost replies)', String(m.duplicateWrites)] as [string, string]] : []),
    ['retries / dead letters', `${m.retries} / ${m.deadLetters}`],
    ['write latency', lat(m.writeLatencyMs, m.acknowledgedWrites, 'none (no write was acknowledged)')],
    ['read latency', lat(m.readLatencyMs, m.reads, 'none (no read was answered)')],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

/**
 * The run as text: trace table, expectations, errors, metrics, verdict. `maxSteps` shows only the trace's first
 * steps (an output channel is no place for a trace of hundreds of thousands of lines), and says how many it left out.
 */
export function runReport(file: string, r: ScenarioResult, maxSteps = Number.POSITIVE_INFINITY): string {
  return [...runReportLines(file, r, maxSteps)].join('\n');
}

/** The lines of `runReport`, one at a time, for the CLI to write as they come (see `tableLines`). */
export function* runReportLines(file: string, r: ScenarioResult, maxSteps = Number.POSITIVE_INFINITY): Generator<string> {
  const shown = r.steps.length > maxSteps ? r.steps.slice(0, maxSteps) : r.steps;
  yield `${file}: ${r.strategy}`;
  yield '';
  yield* traceTableLines(shown);
  yield '';
  if (shown.length < r.steps.length) {
    yield `… ${(r.steps.length - shown.length).toLocaleString('en-US')} more steps not shown (${r.steps.length.toLocaleString('en-US')} in all; \`cache-workbench run\` prints them all)`;
    yield '';
  }
  if (r.expectations.length > 0) {
    yield 'expectations:';
    for (const e of r.expectations) yield `  ${e.ok ? 'ok  ' : 'FAIL'} line ${e.line}: ${e.message}`;
    yield '';
  }
  for (const w of r.warnings) yield `${file}:${w.line}:1: warning: ${w.message}`;
  for (const e of r.errors) yield `${file}:${e.line}:1: error: ${e.message}`;
  yield metricsSummary(r.metrics);
  yield '';
  const failed = r.expectations.filter((e) => !e.ok).length;
  yield r.ok ? `ok: ${plural(r.expectations.length, 'expectation')} held` : `FAILED: ${failed} of ${plural(r.expectations.length, 'expectation')} failed${r.errors.length ? `, ${plural(r.errors.length, 'run error')}` : ''}`;
}

/**
 * `JSON.stringify(value, null, 2)` as lines, the array fields one element at a time: a trace whose steps carry large
 * values can be more text than one string may hold (V8 stops at some 512 MB), though each step is small enough.
 */
export function* jsonLines(value: Readonly<Record<string, unknown>>): Generator<string> {
  const nested = (v: unknown, indent: string): string => (JSON.stringify(v, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i] as [string, unknown];
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length > 0) {
      yield `  ${JSON.stringify(key)}: [`;
      for (let j = 0; j < v.length; j++) yield `    ${nested(v[j], '    ')}${j < v.length - 1 ? ',' : ''}`;
      yield `  ]${comma}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(v, '  ')}${comma}`;
    }
  }
  yield '}';
}

export function comparisonReport(c: Comparison): string {
  const w = c.workload;
  const head = ['Strategy', 'Write latency', 'Read consistency', 'Data loss risk', 'Best for'];
  const rows = c.results.map((r) => [r.strategy, r.labels.writeLatency, r.labels.readConsistency, r.labels.dataLossRisk, r.labels.bestFor]);
  const numHead = ['Strategy', 'write p50/p99', 'read p50/p99', 'stale reads', 'stale fills', 'lost in crash', 'db writes', 'db round trips', 'pollution', 'hit ratio'];
  const numRows = c.results.map((r) => [
    r.strategy,
    `${r.metrics.writeLatencyMs.p50}/${r.metrics.writeLatencyMs.p99}ms`,
    `${r.metrics.readLatencyMs.p50}/${r.metrics.readLatencyMs.p99}ms`,
    `${r.metrics.staleReads} (${(r.staleReadRate * 100).toFixed(2)}%)`,
    String(r.metrics.staleFills),
    String(r.lostInCrash),
    String(r.metrics.dbWrites),
    String(r.metrics.dbRoundTrips),
    String(r.metrics.cachePollution),
    String(r.metrics.hitRatio),
  ]);
  return [
    `workload ${w.kind}: ${w.ops} ops over ${w.keys} keys (${w.distribution}), ${plural(w.clients, 'client')}, seed ${w.seed}; cache ${c.options.cache.latencyMs}ms, db ${c.options.db.latencyMs}ms`,
    '',
    table(head, rows),
    '',
    'measured:',
    table(numHead, numRows),
    '',
    'rules:',
    ...LABEL_RULES.map((r) => `  - ${r}`),
  ].join('\n');
}
