// The one-line outcome of Run Scenario for its notification: the outcome comes first, so a toast cut short still
// says whether the expectations held; the scenario's name (never an absolute path) follows.

import { plural } from '../model/words';

export interface RunCounts {
  /** Expectations in the scenario. */
  total: number;
  /** Expectations that did not hold. */
  failed: number;
  /** Errors the run itself reported (not expectations). */
  runErrors: number;
}

/** `3 expectations held — c08.cachescenario`, `1 of 3 expectations failed, 2 run errors — c08.cachescenario`. */
export function runNotice(name: string, c: RunCounts): string {
  const parts: string[] = [];
  if (c.failed > 0) parts.push(`${c.failed} of ${plural(c.total, 'expectation')} failed`);
  if (c.runErrors > 0) parts.push(plural(c.runErrors, 'run error'));
  if (c.failed === 0) parts.push(c.total === 0 ? 'no expectations to check' : `${plural(c.total, 'expectation')} held`);
  return `${parts.join(', ')} — ${name}`;
}

/**
 * `2 errors — c08.cachescenario: fix them to run the scenario.` (Run Scenario), or with `to` given,
 * `… fix them to step through the scenario.` (Step Through Scenario).
 */
export function parseErrorNotice(name: string, errors: number, to = 'run'): string {
  return `${plural(errors, 'error')} — ${name}: fix ${errors === 1 ? 'it' : 'them'} to ${to} the scenario.`;
}
