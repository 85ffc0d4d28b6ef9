// The engine work the pages and Run Scenario ask for, as plain jobs: measuring the comparison table, running a
// playground config, running a scenario's text. No vscode and no worker API here, so the engine worker, the
// in-process fallback and the unit tests run the same code.
import { runReport } from '../cli/format';
import { compareForUi } from '../model/compareView';
import type { CompareRequest, CompareTable } from '../model/compareView';
import { parseScenario } from '../scenario/parser';
import { runPlayground } from '../scenario/playground';
import { runProgram } from '../scenario/runner';
import type { PlaygroundConfig, PlaygroundRun } from '../scenario/playground';
import type { PlaygroundRunView } from './protocol';

export type EngineJob =
  | { kind: 'compare'; request: CompareRequest }
  | { kind: 'playground'; config: PlaygroundConfig }
  /** Run Scenario: the text (already parsed without errors on the host), its name for the report, and a seed. */
  | { kind: 'scenario'; name: string; text: string; seed: number | undefined; outputSteps: number };
export type EngineJobKind = EngineJob['kind'];

export type EngineJobResult =
  | { kind: 'compare'; ok: true; table: CompareTable; elapsedMs: number }
  | { kind: 'playground'; ok: true; run: PlaygroundRunView; elapsedMs: number }
  /** The report for the output channel (its first `outputSteps` steps), not the trace: a run may hold 200,000 steps. */
  | { kind: 'scenario'; ok: true; report: string; total: number; failed: number; runErrors: number; elapsedMs: number }
  | { kind: EngineJobKind; ok: false; error: string };

/** Buckets of the playground's time series: enough for a smooth line, few enough for a readable table of values. */
export const PLAYGROUND_BUCKETS = 60;

/** What the playground page is sent of a run: metrics and series, not the trace (it can hold 50,000 steps). */
export function playgroundRunView(run: PlaygroundRun): PlaygroundRunView {
  return {
    config: run.config,
    metrics: run.result.metrics,
    series: run.series,
    errors: run.result.errors.map((e) => `line ${e.line}: ${e.message}`),
    steps: run.result.steps.length,
    scenarioLines: run.scenarioText.split('\n').filter((l) => l.length > 0).length,
  };
}

/** Runs one job to completion; never throws (a failure comes back as `ok: false` with the reason). */
export function runEngineJob(job: EngineJob, now: () => number = () => performance.now()): EngineJobResult {
  const started = now();
  try {
    switch (job.kind) {
      case 'compare': {
        const { kind, ops, keys, seed, knobs } = job.request;
        const table = compareForUi(kind, ops, keys, seed, knobs);
        return { kind: 'compare', ok: true, table, elapsedMs: now() - started };
      }
      case 'playground': {
        const run = runPlayground(job.config, PLAYGROUND_BUCKETS);
        return { kind: 'playground', ok: true, run: playgroundRunView(run), elapsedMs: now() - started };
      }
      case 'scenario': {
        const result = runProgram(parseScenario(job.text), job.seed === undefined ? {} : { seed: job.seed });
        const failed = result.expectations.filter((e) => !e.ok).length;
        const report = runReport(job.name, result, job.outputSteps);
        return { kind: 'scenario', ok: true, report, total: result.expectations.length, failed, runErrors: result.errors.length, elapsedMs: now() - started };
      }
      default: {
        const unknown: never = job;
        return { kind: 'compare', ok: false, error: `unknown job ${JSON.stringify(unknown)}` };
      }
    }
  } catch (err) {
    return { kind: job.kind, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
