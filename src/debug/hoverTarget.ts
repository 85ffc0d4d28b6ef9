// What hovering a word in a stopped scenario evaluates, decided from the line's tokens alone (no VS Code API, so a
// unit test pins it): a key where a statement names one, a metric by its name, and nothing else. A comment, a setting,
// a strategy or a client name could only fail to evaluate, and each failure would be an error for the user to read.
// A key is asked for as `key NAME`, so one that reads as a number, a duration, a metric or a keyword (`write 42 …`,
// `write time 7`, `write reads 3`) still shows the key, not the number, the clock or the metric.
import { lexLine } from '../scenario/lexer';
import { EXPECT_METRIC_NAMES } from '../scenario/parser';

/** Statements whose next token is a key (after any `at T` and `as NAME`). */
const KEY_VERBS = new Set(['write', 'incr', 'read', 'read-db', 'load']);

/**
 * The expression to evaluate for the word at 0-based offset `at` of `line`, or undefined. Keys (`key NAME`): the token
 * after a client operation or `load`, and after `expect db` or `expect cache`. Metrics (`metric NAME`): a metric's
 * name after `metric`.
 */
export function hoverExpression(line: string, at: number): string | undefined {
  const tokens = lexLine(line);
  const i = tokens.findIndex((t) => t.start <= at && at < t.end);
  // Past the tokens: a comment (the lexer cuts it off) or blank space.
  if (i < 0) return undefined;
  const t = tokens[i];
  if (t === undefined || t.inString) return undefined;
  // Where a key goes, the word is a key whatever else it could read as; that is decided first.
  const prev = tokens[i - 1]?.text;
  if (prev !== undefined && KEY_VERBS.has(prev)) return `key ${t.text}`;
  if (tokens[i - 2]?.text === 'expect' && (prev === 'db' || prev === 'cache')) return `key ${t.text}`;
  // A metric where `expect metric` names one; the same word elsewhere is a client's name (`as reads`) or no statement.
  if (prev === 'metric' && EXPECT_METRIC_NAMES.includes(t.text)) return `metric ${t.text}`;
  return undefined;
}
