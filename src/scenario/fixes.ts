// Quick fixes for the parser's diagnostics: a message that ends `did you mean "X"?` names the word it meant. The fix
// replaces the diagnostic's range with X, but only when that range holds exactly the word the message quotes, so a
// diagnostic over a longer span (or a clipped quote) offers nothing rather than a wrong edit.

const MEANT = /did you mean "([^"\n]+)"\?$/;

/** The ending of a diagnostic that names the word it meant: the parser writes it, `suggestedReplacement` reads it. */
export function meantEnding(word: string): string {
  return `; did you mean "${word}"?`;
}

/** The replacement a diagnostic suggests for the text in its range, or undefined when it suggests none. */
export function suggestedReplacement(message: string, rangeText: string): string | undefined {
  const meant = MEANT.exec(message)?.[1];
  if (meant === undefined || rangeText.length === 0 || meant === rangeText) return undefined;
  if (/\s/.test(rangeText) || !message.includes(`"${rangeText}"`)) return undefined;
  return meant;
}

/** The line the Hazelcast queue-bound warning asks for: the parser writes it into the message, the quick fix inserts it. */
export const HAZELCAST_CAP_FIX = 'set writeBehind.coalescing off';

const ADD_LINE = /: add (set [\w.]+ \w+) to run what Hazelcast does$/;

/** A line a warning asks to add (below its own line), or undefined when it asks for none. */
export function suggestedLine(message: string): string | undefined {
  return ADD_LINE.exec(message)?.[1];
}
