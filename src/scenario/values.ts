// Literal values of the scenario language: durations (`250ms`, `1.5s`), whole numbers and JSON literals.
// Each parser returns a result instead of throwing, so a bad value becomes a diagnostic, never an exception.
import type { Json } from '../model/types';

export type JsonResult = { ok: true; value: Json } | { ok: false; reason: string };

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest duration a scenario may give (`advance`, `at`, `fail db for`, a setting): a year of virtual time. The
 * parser refuses longer ones by name, so the virtual clock stays far within exact integers.
 */
export const MAX_DURATION_MS = 365 * 86_400_000;

/**
 * Milliseconds of a duration like `250ms`, `5s`, `1.5s`, `2m`, `1h`; undefined when malformed or too large to be a
 * number. (The parser also holds it to MAX_DURATION_MS, with a message of its own.)
 */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const factor = UNIT_MS[m[2]];
  if (factor === undefined) return undefined;
  // Rounding to a micro-millisecond hides binary noise such as 1.1 * 1000 = 1100.0000000000002.
  const ms = Math.round(Number(m[1]) * factor * 1e6) / 1e6;
  return Number.isFinite(ms) ? ms : undefined;
}

/** A non-negative whole number written in plain digits (`0`, `100`), or undefined. */
export function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A whole number that may be negative (`5`, `-1`), or undefined. */
export function parseInteger(text: string): number | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? (n === 0 ? 0 : n) : undefined;
}

/** A decimal number (`0`, `-3`, `0.95`, `1e3`), or undefined. */
export function parseNumber(text: string): number | undefined {
  if (!/^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Deepest nesting a value may have: the runner, the trace and the webview copy and compare values recursively. */
export const MAX_JSON_DEPTH = 64;

/**
 * `text` with control characters, spaces other than the plain one and invisible characters escaped as `\uXXXX` (each
 * UTF-16 unit, so a character beyond U+FFFF shows whole): a NUL cannot reach a terminal, and a no-break or zero-width
 * space pasted into a line shows where it is instead of as a plain space, or as nothing.
 */
export function escapeInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs}/gu, (c) => {
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}

/** Text echoed in a message: cut to 40 characters, then escaped (see `escapeInvisible`). */
export function echoText(text: string): string {
  return escapeInvisible(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

/** `text` without the whitespace JSON allows around a value (space, tab, CR, LF); other spaces are the text's own. */
function trimJsonSpace(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/**
 * JSON.parse, plus checks that no number overflowed to Infinity (`1e400`), which JSON cannot carry back out, and
 * that nesting stays within MAX_JSON_DEPTH.
 */
export function parseJsonLiteral(text: string): JsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 already shortens the echoed input in its messages; the cap guards other engines.
    // Newer V8 (Node 22 and later, so VS Code's extension host) adds "(line 1 column 8)": the value's own line and
    // column, which contradict the editor's (the value sits on line 3, at column 9). The position alone is the same
    // message on every Node.
    const reason = (e instanceof Error ? e.message : String(e)).replace(/ \(line \d+ column \d+\)$/, '');
    // A whole value with more after it (`{"a":1} {"b":2}`, `12 13`): say so, rather than V8's "at position 8".
    const after = /after JSON at position (\d+)/.exec(reason);
    if (after !== null) {
      const at = Number(after[1]);
      // Trimmed of JSON's whitespace only: a trailing no-break space is what comes after the value, and must show.
      const first = trimJsonSpace(text.slice(0, at));
      return { ok: false, reason: `one value only, and ${echoText(first)} is a whole one: ${echoText(trimJsonSpace(text.slice(at)))} comes after it` };
    }
    // V8 names the unexpected character by its first UTF-16 unit, so an emoji showed as half of one (a lone
    // surrogate, drawn as a replacement character): name the whole character it starts.
    const whole = reason.replace(/^Unexpected token '([\uD800-\uDBFF])'/, (m, high: string) => {
      const at = text.indexOf(high);
      const ch = at < 0 ? undefined : String.fromCodePoint(text.codePointAt(at) ?? 0xfffd);
      return ch !== undefined && ch.length === 2 ? `Unexpected token '${ch}'` : m;
    });
    return { ok: false, reason: whole.length > 160 ? `${whole.slice(0, 157)}...` : whole };
  }
  // An explicit stack rather than recursion: a deeply nested literal must not overflow ours.
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    const { v, depth } = top;
    if (typeof v === 'number' && !Number.isFinite(v)) return { ok: false, reason: 'a number is too large' };
    if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) return { ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` };
      // A loop, not push(...values): spreading a million-element array would exceed the argument limit.
      for (const child of Object.values(v)) stack.push({ v: child, depth: depth + 1 });
    }
  }
  return { ok: true, value: value as Json };
}
