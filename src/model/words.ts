// Counts in words for the text a learner reads (trace notes, the CLI's summary, the debugger): never "row(s)".

/** How many things one noun counts, in words: `1 row`, `3 rows` (nouns with a plain plural only). */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
