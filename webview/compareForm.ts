// The comparison page's form as plain data: the text the learner typed, turned into a CompareRequest and checked by
// the same validator the extension uses, each message filed under its field. Pure, so it is unit-tested.
import { defaultKnobs, validateCompareRequest } from '../src/model/compareView.js';
import type { CompareRequest } from '../src/model/compareView.js';

/** The CLI's defaults (`cache-workbench compare`): mixed, 10,000 ops, 1,000 keys, seed 1, the engine's knobs. */
export function defaultCompareRequest(): CompareRequest {
  return { kind: 'mixed', ops: 10_000, keys: 1000, seed: 1, knobs: defaultKnobs() };
}

/** The form as typed: text for the numbers, so a half-typed value is kept and reported rather than lost. */
export interface Draft {
  kind: string;
  ops: string;
  keys: string;
  seed: string;
  cacheLatencyMs: string;
  dbLatencyMs: string;
  flushIntervalMs: string;
  coalescing: boolean;
}
export type DraftField = Exclude<keyof Draft, 'coalescing'>;

export function draftOf(r: CompareRequest): Draft {
  return {
    kind: r.kind,
    ops: String(r.ops),
    keys: String(r.keys),
    seed: String(r.seed),
    cacheLatencyMs: String(r.knobs.cacheLatencyMs),
    dbLatencyMs: String(r.knobs.dbLatencyMs),
    flushIntervalMs: String(r.knobs.flushIntervalMs),
    coalescing: r.knobs.coalescing,
  };
}

const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

/** The form's values checked by the same validator the extension uses; errors keyed by form field. */
export function checkDraft(d: Draft): { request?: CompareRequest; errors: Partial<Record<DraftField | 'coalescing', string>> } {
  const raw = {
    kind: d.kind,
    ops: num(d.ops),
    keys: num(d.keys),
    seed: num(d.seed),
    knobs: { cacheLatencyMs: num(d.cacheLatencyMs), dbLatencyMs: num(d.dbLatencyMs), flushIntervalMs: num(d.flushIntervalMs), coalescing: d.coalescing },
  };
  const checked = validateCompareRequest(raw);
  if (checked.ok) return { request: checked.request, errors: {} };
  const errors: Partial<Record<DraftField | 'coalescing', string>> = {};
  for (const e of checked.errors) {
    const at = e.indexOf(': ');
    const path = at < 0 ? '' : e.slice(0, at);
    const field = (path.startsWith('knobs.') ? path.slice(6) : path) as DraftField;
    errors[field] = (at < 0 ? e : e.slice(at + 2)).replace(/^expected /, 'Expected ');
  }
  return { errors };
}

/** The form's fields as the page labels them, in the page's order. */
export const FIELD_LABELS: Readonly<Record<DraftField | 'coalescing', string>> = {
  kind: 'Kind',
  ops: 'Operations',
  keys: 'Keys',
  seed: 'Seed',
  cacheLatencyMs: 'Cache latency',
  dbLatencyMs: 'Database latency',
  flushIntervalMs: 'Flush interval',
  coalescing: 'Coalescing',
};

/**
 * The status while a field is invalid (the table below is then out of date): "Fix Operations to measure again.",
 * "Fix Operations and Keys to measure again.", or undefined when every field is valid.
 */
export function fixStatus(errors: Partial<Record<DraftField | 'coalescing', string>>): string | undefined {
  const labels = (Object.keys(FIELD_LABELS) as (DraftField | 'coalescing')[]).filter((f) => errors[f] !== undefined).map((f) => FIELD_LABELS[f]);
  // A problem filed under no field (should not happen) still counts.
  const other = Object.keys(errors).some((k) => !Object.hasOwn(FIELD_LABELS, k));
  if (labels.length === 0 && !other) return undefined;
  if (labels.length === 0) return 'Fix the fields marked below to measure again.';
  const list = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  return `Fix ${list} to measure again.`;
}
