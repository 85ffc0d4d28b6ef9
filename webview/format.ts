// Number formats shared by the comparison and playground pages (and by the browser tests that read them back):
// counts with thousands separators, rates as percentages, virtual times in ms or s. Pure functions, no DOM.

import type { WorkloadKind } from '../src/model/workload.js';

/** The workload kinds as the comparison and playground pages name them. */
export const WORKLOAD_LABELS: Readonly<Record<WorkloadKind, string>> = {
  'read-heavy': 'Read-heavy (90% reads)',
  'write-heavy': 'Write-heavy (90% writes)',
  counters: 'Counters (95% increments)',
  mixed: 'Mixed (half reads, half writes)',
};

/** A whole count: 12345 -> "12,345". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(n);
}

/** A share 0..1 as a percentage with two decimals: 0.0463 -> "4.63%". */
export function formatRate(r: number): string {
  return `${(r * 100).toFixed(2)}%`;
}

/** A ratio 0..1 exactly as the engine reports it (it rounds to three decimals): 0.952 -> "0.952". */
export function formatRatio(r: number): string {
  return String(r);
}

/** Virtual milliseconds: under 10 s in ms ("850 ms", "5,000 ms"), else seconds with one decimal ("12.5 s"). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 10_000) return `${formatCount(Math.round(ms * 1000) / 1000)} ms`;
  return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
}

/** Wall-clock time a computation took: "380 ms", "2.9 s". */
export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A score 0..1 as a whole percentage: 0.8 -> "80%". */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** What the knowledge check's status line needs of the stored progress. */
export interface QuizRecord {
  quizPassed: boolean;
  bestScore: number;
  attempts: number;
}

/**
 * The knowledge check's status in one wording for every place that shows it (the Lesson view, the lesson's
 * navigation, the knowledge-check page): "Not taken yet", "Passed, best score 80% (2 attempts)", "Not passed yet,
 * best score 60% (1 attempt)". `midSentence` starts it in lower case, for after a label ("Knowledge check: passed, ...").
 */
export function quizStatus(p: QuizRecord | undefined, midSentence = false): string {
  const text = !p || (!p.quizPassed && p.attempts === 0)
    ? 'Not taken yet'
    : `${p.quizPassed ? 'Passed' : 'Not passed yet'}, best score ${percent(p.bestScore)} (${p.attempts} attempt${p.attempts === 1 ? '' : 's'})`;
  return midSentence ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}
