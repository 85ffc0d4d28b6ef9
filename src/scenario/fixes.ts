// Quick fixes for the parser's diagnostics: a message that ends `did you mean "X"?` names the word it meant. The fix
// replaces the diagnostic's range with X, but only when that range holds exactly the word the message quotes, so a
// diagnostic over a longer span (or a clipped quote) offers nothing rather than a wrong edit.

import type { Program } from './ast';
import { escapeInvisible } from './values';

const MEANT = /did you mean "([^"\n]+)"\?$/;

/** The ending of a diagnostic that names the word it meant: the parser writes it, `suggestedReplacement` reads it. */
export function meantEnding(word: string): string {
  return `; did you mean "${word}"?`;
}

/**
 * The replacement a diagnostic suggests for the text in its range, or undefined when it suggests none. The message
 * quotes the word with invisible characters escaped (`"write-behind\u200b"`), so the range's text is looked for
 * escaped the same way.
 */
export function suggestedReplacement(message: string, rangeText: string): string | undefined {
  const meant = MEANT.exec(message)?.[1];
  if (meant === undefined || rangeText.length === 0 || meant === rangeText) return undefined;
  if (/\s/.test(rangeText) || !message.includes(`"${escapeInvisible(rangeText)}"`)) return undefined;
  return meant;
}

/** The line the Hazelcast queue-bound warning asks for: the parser writes it into the message, the quick fix puts it in. */
export const HAZELCAST_CAP_FIX = 'set writeBehind.coalescing off';

const ASK_LINE = /: (?:add|change line \d+ to) (set ([\w.]+) \w+) to run what Hazelcast does$/;
/** `node3 does not exist: cache.nodes is 1 (set cache.nodes 3 before using node3)`: the line it names. */
const ASK_NODES = /\((set (cache\.nodes) \d+) before using node\d+\)$/;

/** A `set` line a diagnostic asks for, or undefined when it asks for none. */
export function suggestedLine(message: string): string | undefined {
  return (ASK_LINE.exec(message) ?? ASK_NODES.exec(message))?.[1];
}

/**
 * Where the line a diagnostic asks for goes (lines 1-based, columns as the parser's spans: from 1, end exclusive): in
 * place of the program's last `set` of the same setting, which would otherwise outvote it; else, for Hazelcast's
 * warning, below the warning's own line, and for a missing node, below the settings at the top of the file (`below`
 * 0: above the first line).
 */
export type LineFix = { kind: 'insert'; below: number; text: string } | { kind: 'replace'; line: number; column: number; endColumn: number; text: string };

/** The edit for a warning that asks for a line (`message` at `line` of `program`), or undefined when it asks for none. */
export function suggestedLineFix(message: string, line: number, program: Program): LineFix | undefined {
  const hazelcast = ASK_LINE.exec(message);
  const m = hazelcast ?? ASK_NODES.exec(message);
  if (m === null) return undefined;
  const [, text, name] = m as unknown as [string, string, string];
  const last = program.statements.filter((st) => st.kind === 'set' && st.name === name).at(-1);
  if (last !== undefined) return { kind: 'replace', line: last.span.line, column: last.span.column, endColumn: last.span.endColumn, text };
  if (hazelcast !== null) return { kind: 'insert', below: line, text };
  // The settings block: the strategy, preset and set lines before the first line that does something.
  let below = 0;
  for (const st of program.statements) {
    if (st.span.line >= line || (st.kind !== 'strategy' && st.kind !== 'preset' && st.kind !== 'set')) break;
    below = st.span.line;
  }
  return { kind: 'insert', below, text };
}
