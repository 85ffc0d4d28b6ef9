// Words for the text a learner reads (trace notes, the CLI's summary, the debugger, the output channel): counts in
// words, never "row(s)", and values named in messages.

/** A value as a message names it: its JSON, cut short, or its type (a BigInt or a cycle has no JSON). */
export function described(v: unknown): string {
  if (v === undefined) return 'nothing';
  let json: string | undefined;
  try {
    json = JSON.stringify(v) as string | undefined;
  } catch {
    json = undefined;
  }
  if (json === undefined) return typeof v;
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/**
 * A number as a message shows it: a whole one with thousands separators (`100,000`), anything else as it is (`1.5`,
 * `NaN`), so a range error reads the same on every page.
 */
export function thousands(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-US') : String(n);
}

/** How many things one noun counts, in words: `1 row`, `3 rows` (nouns with a plain plural only). */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
