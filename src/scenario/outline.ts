// The outline of a scenario (VS Code's Outline view, breadcrumbs and Go to Symbol): its statements, grouped under the
// comment that heads each part of the file. A run of comment-only lines is a heading for the statements below it, up to
// the next heading; the bundled scenarios are written that way ("# Acknowledged, queued, not yet flushed..."). Pure:
// the extension maps it to DocumentSymbols.
import type { Statement } from './ast';
import { plural } from '../model/words';
import { splitLines } from './lexer';
import { parseScenario } from './parser';

export type OutlineKind = 'heading' | 'strategy' | 'setting' | 'load' | 'operation' | 'time' | 'fault' | 'expectation';

/** Lines 1-based, columns 1-based, `endColumn` exclusive (as the parser's spans). */
export interface OutlineItem {
  name: string;
  /** What kind of statement it is, in words (shown beside the name). */
  detail: string;
  kind: OutlineKind;
  /** The whole item: a heading spans its comment and every statement under it. */
  range: { line: number; column: number; endLine: number; endColumn: number };
  /** The part the Outline selects and reveals: the statement's text, or the heading's first comment line. */
  selection: { line: number; column: number; endColumn: number };
  children: OutlineItem[];
}

/** Longest name shown; longer statement texts and headings end in an ellipsis. */
const MAX_NAME = 80;

const DETAIL: Record<Exclude<OutlineKind, 'heading'>, string> = {
  strategy: 'strategy',
  setting: 'setting',
  load: 'row before the run',
  operation: 'client operation',
  time: 'time passes',
  fault: 'fault',
  expectation: 'expectation',
};

function kindOf(st: Statement): Exclude<OutlineKind, 'heading'> {
  switch (st.kind) {
    case 'strategy':
      return 'strategy';
    case 'preset':
    case 'set':
      return 'setting';
    case 'load':
      return 'load';
    case 'op':
      return 'operation';
    case 'advance':
      return 'time';
    case 'expect':
      return 'expectation';
    default:
      return 'fault';
  }
}

function clip(text: string): string {
  return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`;
}

/** The outline of `text`: headings with their statements, and the statements above the first heading on their own. */
export function outlineOf(text: string): OutlineItem[] {
  // Lines as the parser counts them (a byte-order mark dropped, as the editor does not show it).
  const lines = splitLines(text);
  const statements = parseScenario(text).statements;
  const byLine = new Map<number, Statement>();
  for (const st of statements) byLine.set(st.span.line, st);
  const top: OutlineItem[] = [];
  let heading: OutlineItem | undefined;
  // A run of comment-only lines: where it starts and its first line with words (the heading's name).
  let commentStart: number | undefined;
  let named: { line: number; column: number; endColumn: number; text: string } | undefined;
  /** The run of comments is over: a named one heads what follows (it joins `top` with its first statement). */
  const endComment = (): void => {
    if (commentStart !== undefined && named !== undefined) {
      heading = {
        name: clip(named.text),
        detail: '',
        kind: 'heading',
        range: { line: commentStart, column: 1, endLine: commentStart, endColumn: 1 },
        selection: { line: named.line, column: named.column, endColumn: named.endColumn },
        children: [],
      };
    }
    commentStart = undefined;
    named = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      commentStart ??= lineNo;
      const words = trimmed.replace(/^#+/, '').trim();
      if (named === undefined && words.length > 0) {
        const column = raw.indexOf(trimmed) + 1;
        named = { line: lineNo, column, endColumn: column + trimmed.length, text: words };
      }
      continue;
    }
    const st = byLine.get(lineNo);
    // A blank line neither ends a heading's comment nor belongs to it. A line the parser could not read (a statement
    // being typed) is not listed, but it ends the comment above it as a statement does: a comment below it heads
    // the next part, not the same one.
    if (trimmed !== '') endComment();
    if (st === undefined) continue;
    const kind = kindOf(st);
    const source = raw.slice(st.span.column - 1, st.span.endColumn - 1).trim();
    const item: OutlineItem = {
      name: clip(source.length > 0 ? source : st.kind),
      detail: DETAIL[kind],
      kind,
      range: { line: lineNo, column: st.span.column, endLine: lineNo, endColumn: st.span.endColumn },
      selection: { line: lineNo, column: st.span.column, endColumn: st.span.endColumn },
      children: [],
    };
    if (heading === undefined) top.push(item);
    else {
      if (heading.children.length === 0) top.push(heading);
      heading.children.push(item);
      heading.range.endLine = lineNo;
      heading.range.endColumn = st.span.endColumn;
    }
  }
  for (const item of top) if (item.kind === 'heading') item.detail = plural(item.children.length, 'statement');
  return top;
}
