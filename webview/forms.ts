// What the comparison and playground forms share. Pure (no DOM types at load time), so it is unit-tested.

/** What `submitsOnEnter` reads of a keydown event. */
export interface KeyLike {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  isComposing?: boolean;
  target: unknown;
}

/** Inputs whose Enter submits their form in a browser (implicit submission). */
const SUBMITTING_TYPES = new Set(['number', 'text']);

/**
 * Whether a keydown is Enter in one of the form's number or text fields. A browser submits a form on that only when
 * it has a submit button or a single field; these forms have many fields and VS Code Elements buttons (not submit
 * buttons), so the page does it: Run on the playground, Measure now on the comparison.
 */
export function submitsOnEnter(e: KeyLike): boolean {
  if (e.key !== 'Enter' || e.altKey || e.ctrlKey || e.metaKey || e.isComposing === true) return false;
  const t = e.target as { tagName?: unknown; type?: unknown } | null;
  return typeof t === 'object' && t !== null && t.tagName === 'INPUT' && typeof t.type === 'string' && SUBMITTING_TYPES.has(t.type);
}
