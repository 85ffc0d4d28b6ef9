// Completion for `.cachescenario` files: what may come next, judged from the words before the cursor on its line.
// Pure: text and a position in, plain items out; src/views turns them into VS Code completion items.
import type { SettingSpec } from './settings';
import { STRATEGIES } from '../model/types';
import { PRESETS } from '../model/presets';
import { COMPARE_OPS, EXPECTATION_KINDS, EXPECT_METRIC_NAMES, STATEMENT_KEYWORDS, parseScenario } from './parser';
import { SETTINGS } from './settings';
import { lexLine, splitLines } from './lexer';
import { parseDuration } from './values';
import {
  CLAUSE_DOCS,
  EXPECTATION_DOCS,
  KEYWORD_DOCS,
  STRATEGY_DOCS,
  metricDoc,
  settingValuePhrase,
  wordMarkdown,
} from './hover';

export type CompletionKind = 'keyword' | 'strategy' | 'preset' | 'setting' | 'metric' | 'key' | 'node' | 'value';

export interface ScenarioCompletion {
  label: string;
  kind: CompletionKind;
  /** One line shown next to the label. */
  detail: string;
  /** Markdown. */
  documentation: string;
  /**
   * Snippet text (tab stops `$1`, `${1:default}`, choices `${1|a,b|}`, `$0`); when absent the label is inserted as is.
   * The editor side turns it into a SnippetString.
   */
  insertText?: string;
}

/** Suggestions of `via`: more nodes than this is no longer a picture anyone reads. */
const MAX_NODE_SUGGESTIONS = 32;
const KEY_RE = /^[A-Za-z0-9:_\-./]+$/;
const CLIENT_RE = /^[A-Za-z_][\w-]*$/;
const KEY_VERBS = new Set(['write', 'read', 'read-db', 'incr', 'load']);
const CLIENT_OPS = ['write', 'incr', 'read', 'read-db'] as const;
const FAULTS = ['crash', 'shutdown', 'restart', 'fail', 'recover'] as const;
const EXAMPLE_DURATIONS = ['100ms', '1s', '5s', '30s', '1m'];
const EXAMPLE_COUNTS = ['1', '10', '100', '1000'];

/** Escapes text for use inside a snippet placeholder or choice. */
function snippetText(s: string): string {
  return s.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** What each statement keyword inserts at the start of a line. */
const KEYWORD_SNIPPETS: Readonly<Record<(typeof STATEMENT_KEYWORDS)[number], string>> = {
  strategy: `strategy \${1|${STRATEGIES.map(snippetText).join(',')}|}`,
  preset: `preset \${1|${PRESETS.map((p) => snippetText(p.name)).join(',')}|}`,
  set: 'set ${1:cache.ttl} ${2:5s}',
  load: 'load ${1:product:1} ${2:{"price": 10\\}}',
  write: 'write ${1:product:1} ${2:{"price": 12\\}}',
  incr: 'incr ${1:views:home}',
  read: 'read ${1:product:1}',
  'read-db': 'read-db ${1:product:1}',
  advance: 'advance ${1:5s}',
  crash: 'crash cache',
  shutdown: 'shutdown cache timeout ${1:30s}',
  restart: 'restart cache',
  fail: 'fail db ${1|for 10s,next 2 writes,next 1 reply,key product:1|}',
  recover: 'recover db',
  expect: `expect \${1|${EXPECTATION_KINDS.join(',')}|} $0`,
  at: 'at ${1:5ms} $0',
  as: 'as ${1:bob} $0',
};

function keyword(word: keyof typeof KEYWORD_DOCS, withSnippet: boolean): ScenarioCompletion {
  const d = KEYWORD_DOCS[word];
  const item: ScenarioCompletion = { label: word, kind: 'keyword', detail: d.syntax.split('\n')[0] ?? word, documentation: wordMarkdown(word, d) };
  if (withSnippet) item.insertText = KEYWORD_SNIPPETS[word];
  return item;
}

function word(label: string, detail: string, documentation = ''): ScenarioCompletion {
  return { label, kind: 'keyword', detail, documentation };
}

function value(label: string, detail: string, documentation = ''): ScenarioCompletion {
  return { label, kind: 'value', detail, documentation };
}

function durations(): ScenarioCompletion[] {
  return EXAMPLE_DURATIONS.map((d) => value(d, `${parseDuration(d) ?? 0} ms`, 'Durations: a number and a unit, `ms`, `s`, `m` or `h` (`250ms`, `1.5s`, `2m`).'));
}

function settingValues(spec: Pick<SettingSpec, 'kind' | 'choices' | 'min' | 'max'>): ScenarioCompletion[] {
  const off = value('off', 'turn it off', '`off`: no limit, or the feature disabled.');
  const counts = (): ScenarioCompletion[] =>
    EXAMPLE_COUNTS.filter((c) => Number(c) >= (spec.min ?? 0) && Number(c) <= (spec.max ?? Number.POSITIVE_INFINITY)).map((c) => value(c, 'a whole number'));
  switch (spec.kind) {
    case 'duration':
      return durations();
    case 'duration-or-off':
      return [off, ...durations()];
    case 'count':
      return counts();
    case 'count-or-off':
      return [off, ...counts()];
    case 'on-off':
      return [value('on', 'enabled'), value('off', 'disabled')];
    case 'enum':
      return (spec.choices ?? []).map((c) => value(c, settingValuePhrase(spec)));
  }
}

/** Quote and comment state at the end of `prefix`: the lexer's rules, so `#` inside a JSON string is text. */
function scan(prefix: string): { inString: boolean; inComment: boolean } {
  let inString = false;
  let escaped = false;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '#') {
      return { inString: false, inComment: true };
    }
  }
  return { inString, inComment: false };
}

/** Keys the other lines of the file use, in order of first use: the operand of every keyed statement. */
function keysInFile(lines: readonly string[], skipLine: number): string[] {
  const keys = new Set<string>();
  lines.forEach((lineText, n) => {
    if (n === skipLine) return;
    const t = lexLine(lineText).map((x) => x.text);
    let i = 0;
    if (t[i] === 'at') i += 2;
    if (t[i] === 'as') i += 2;
    const verb = t[i];
    let key: string | undefined;
    if (verb !== undefined && KEY_VERBS.has(verb)) key = t[i + 1];
    else if (verb === 'expect' && (t[i + 1] === 'db' || t[i + 1] === 'cache')) key = t[i + 2];
    if (key !== undefined && KEY_RE.test(key)) keys.add(key);
  });
  return [...keys];
}

/** Client names given with `as NAME` on other lines. */
function clientsInFile(lines: readonly string[], skipLine: number): string[] {
  const clients = new Set<string>();
  lines.forEach((lineText, n) => {
    if (n === skipLine) return;
    const t = lexLine(lineText).map((x) => x.text);
    const i = t[0] === 'at' ? 2 : 0;
    const name = t[i + 1];
    if (t[i] === 'as' && name !== undefined && CLIENT_RE.test(name)) clients.add(name);
  });
  return [...clients];
}

/**
 * `cache.nodes` as the run has it, default 1: the last valid `set cache.nodes` anywhere in the file. Settings apply to
 * the whole run wherever their line, and the parser checks every node name against this count, so completion offers
 * exactly the nodes the parser accepts. Only the lines naming the setting are parsed (whether a set line is valid
 * depends on that line alone): a whole parse at every node completion cost some 60 ms in a file of 10,000 lines.
 */
function nodesInRun(lines: readonly string[]): number {
  let nodes = 1;
  for (const st of parseScenario(lines.filter((l) => l.includes('cache.nodes')).join('\n')).statements) {
    if (st.kind === 'set' && st.name === 'cache.nodes' && typeof st.value === 'number') nodes = st.value;
  }
  return nodes;
}

function nodeItems(nodes: number): ScenarioCompletion[] {
  const n = Math.min(nodes, MAX_NODE_SUGGESTIONS);
  return Array.from({ length: n }, (_, i) => ({
    label: `node${i + 1}`,
    kind: 'node' as const,
    detail: `cache node ${i + 1} of ${nodes}`,
    documentation: i === 0 ? 'The default node: where operations without `via` go.' : `An independent cache node in front of the same database (\`set cache.nodes ${nodes}\`).`,
  }));
}

/**
 * The word around the cursor, 0-based [start, end): what a chosen item replaces. Words run between spaces, so
 * `write-th`, `writeBehind.fl` and `product:` each count as one word, unlike in VS Code's default word pattern.
 */
export function wordRangeAt(lineText: string, column: number): { start: number; end: number } {
  const col = Math.max(0, Math.min(column, lineText.length));
  const isGap = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';
  let start = col;
  while (start > 0 && !isGap(lineText[start - 1])) start--;
  let end = col;
  while (end < lineText.length && !isGap(lineText[end])) end++;
  return { start, end };
}

/** `load` and `expect value` take no via (the parser says why), so no node is offered after one. */
function takesNoVia(words: readonly string[]): boolean {
  let i = words[0] === 'at' ? 2 : 0;
  if (words[i] === 'as') i += 2;
  return words[i] === 'load' || (words[i] === 'expect' && words[i + 1] === 'value');
}

/** Everything that may come next after the words `before` (the line's words left of the one being typed). */
function suggest(before: readonly string[], lines: readonly string[], line: number): ScenarioCompletion[] {
  // The `at DURATION as NAME` prefix: once complete, an operation (or, without `as`, a fault) follows.
  let i = 0;
  let hasAs = false;
  if (before[0] === 'at') {
    if (before.length === 1) return durations();
    i = 2;
  }
  if (before[i] === 'as') {
    if (before.length === i + 1) {
      return clientsInFile(lines, line).map((c) => value(c, 'client used in this file'));
    }
    hasAs = true;
    i += 2;
  }
  const rest = before.slice(i);
  const [verb, second, third, fourth] = rest;
  if (verb === undefined) {
    if (i === 0) return STATEMENT_KEYWORDS.map((k) => keyword(k, true));
    const next: ScenarioCompletion[] = CLIENT_OPS.map((k) => keyword(k, true));
    if (!hasAs) next.push(...FAULTS.map((k) => keyword(k, true)), keyword('as', true));
    return next;
  }
  const keys = (): ScenarioCompletion[] =>
    keysInFile(lines, line).map((k) => ({ label: k, kind: 'key' as const, detail: 'key used in this file', documentation: '' }));
  const via = (): ScenarioCompletion => word('via', 'via nodeN', wordMarkdown('via', CLAUSE_DOCS.via ?? { syntax: 'via nodeN', doc: '' }));
  const last = rest[rest.length - 1];
  if (last === 'via') return takesNoVia(before) ? [] : nodeItems(nodesInRun(lines));

  switch (verb) {
    case 'strategy':
      return rest.length === 1
        ? STRATEGIES.map((s) => ({ label: s, kind: 'strategy' as const, detail: 'strategy', documentation: STRATEGY_DOCS[s] }))
        : [];
    case 'preset':
      return rest.length === 1
        ? PRESETS.map((p) => ({ label: p.name, kind: 'preset' as const, detail: p.product, documentation: p.summary }))
        : [];
    case 'set': {
      if (rest.length === 1) {
        const items: ScenarioCompletion[] = SETTINGS.map((s) => ({ label: s.name, kind: 'setting' as const, detail: settingValuePhrase(s), documentation: s.doc }));
        items.push({
          label: 'client.NAME.delay',
          kind: 'setting',
          detail: 'a duration',
          documentation: 'Extra delay the named client adds before each of its hops (a slow app server, a GC pause).',
          insertText: 'client.${1:bob}.delay ${2:5ms}',
        });
        return items;
      }
      if (rest.length !== 2 || second === undefined) return [];
      const spec = SETTINGS.find((s) => s.name === second) ?? (/^client\.[A-Za-z_][\w-]*\.delay$/.test(second) ? { kind: 'duration' as const } : undefined);
      return spec ? settingValues(spec) : [];
    }
    case 'load':
    case 'write':
    case 'read':
    case 'read-db':
    case 'incr':
      if (rest.length === 1) return keys();
      // After the key: read and incr may name a node; write and load take a JSON value, typed freely.
      if (rest.length === 2 && (verb === 'read' || verb === 'incr')) return [via()];
      if (rest.length === 3 && verb === 'incr' && third !== undefined && /^-?\d+$/.test(third)) return [via()];
      return [];
    case 'advance':
      return rest.length === 1 ? durations() : [];
    case 'crash':
    case 'restart':
      if (rest.length === 1) return [word('cache', `${verb} cache [nodeN]`)];
      return rest.length === 2 && second === 'cache' ? nodeItems(nodesInRun(lines)) : [];
    case 'shutdown': {
      if (rest.length === 1) return [word('cache', 'shutdown cache [nodeN] [timeout DURATION]')];
      if (second !== 'cache') return [];
      const timeout = (): ScenarioCompletion => {
        const d = CLAUSE_DOCS.timeout ?? { syntax: 'timeout', doc: '' };
        return word('timeout', d.syntax, wordMarkdown('timeout', d));
      };
      if (rest.length === 2) return [...nodeItems(nodesInRun(lines)), timeout()];
      if (rest.length === 3 && third !== undefined && /^node\d+$/.test(third)) return [timeout()];
      if (last === 'timeout' && rest.length <= 4) return [...durations(), word('off', 'wait until the queue is empty')];
      return [];
    }
    case 'recover':
      if (rest.length === 1) return [word('db', 'recover db [key KEY]')];
      if (rest.length === 2 && second === 'db') return [word('key', 'recover db key KEY: fix only that row')];
      if (rest.length === 3 && third === 'key') return keys();
      return [];
    case 'fail':
      if (rest.length === 1) return [word('db', 'fail db for DURATION | next N writes | next N replies | key KEY')];
      if (rest.length === 2 && second === 'db') {
        return (['for', 'next', 'key'] as const).map((w) => {
          const d = CLAUSE_DOCS[w] ?? { syntax: w, doc: '' };
          return word(w, d.syntax, wordMarkdown(w, d));
        });
      }
      if (rest.length === 3 && third === 'for') return durations();
      if (rest.length === 3 && third === 'key') return keys();
      if (rest.length === 3 && third === 'next') return ['1', '2', '5'].map((n) => value(n, 'writes that fail'));
      if (rest.length === 4 && third === 'next' && fourth !== undefined) {
        const one = fourth === '1';
        return [word(one ? 'write' : 'writes', 'the transactions fail'), word(one ? 'reply' : 'replies', 'the transactions commit, their replies are lost')];
      }
      return [];
    case 'expect':
      return expectItems(rest, keys, via);
    default:
      return [];
  }
}

function expectItems(rest: readonly string[], keys: () => ScenarioCompletion[], via: () => ScenarioCompletion): ScenarioCompletion[] {
  const [, kind, third] = rest;
  if (kind === undefined) {
    return EXPECTATION_KINDS.map((k) => ({ label: k, kind: 'keyword' as const, detail: EXPECTATION_DOCS[k].syntax.split('\n')[0] ?? k, documentation: wordMarkdown(`expect ${k}`, EXPECTATION_DOCS[k]) }));
  }
  const compareTo = (): ScenarioCompletion[] => [
    word('==', 'equals this JSON value'),
    word('missing', 'no entry', wordMarkdown('missing', CLAUSE_DOCS.missing ?? { syntax: 'missing', doc: '' })),
  ];
  switch (kind) {
    case 'metric':
      if (rest.length === 2) {
        return EXPECT_METRIC_NAMES.map((m) => ({ label: m, kind: 'metric' as const, detail: 'metric', documentation: metricDoc(m) ?? '' }));
      }
      if (rest.length === 3 && third !== undefined && EXPECT_METRIC_NAMES.includes(third)) {
        return COMPARE_OPS.map((op) => word(op, `${third} ${op} NUMBER`));
      }
      return [];
    case 'db':
      if (rest.length === 2) return keys();
      return rest.length === 3 ? compareTo() : [];
    case 'cache':
      if (rest.length === 2) return keys();
      if (rest.length === 3) return [via(), ...compareTo()];
      // `missing` may still take its node after it (`expect cache K missing via node2`).
      if (rest.length === 4 && rest[3] === 'missing') return [via()];
      return rest.length === 5 && rest[3] === 'via' ? compareTo() : [];
    case 'value':
      // `expect value JSON` is typed freely; `missing` is the one word it takes.
      return rest.length === 2 ? [word('missing', 'the read found no value', wordMarkdown('missing', CLAUSE_DOCS.missing ?? { syntax: 'missing', doc: '' }))] : [];
    default:
      // error, ok, stale and fresh take nothing more.
      return [];
  }
}

/**
 * Completions at a 0-based line and column (VS Code's Position), from the words before the cursor on its line.
 * Every item fitting the position is returned, unfiltered by the partly typed word (the editor filters, fuzzily);
 * `wordRangeAt` gives the range they replace. Never throws, whatever the text and position.
 */
export function completeAt(text: string, line: number, column: number): ScenarioCompletion[] {
  if (!Number.isInteger(line) || !Number.isInteger(column) || line < 0 || column < 0) return [];
  const lines = splitLines(text);
  const lineText = lines[line];
  if (lineText === undefined) return [];
  const col = Math.min(column, lineText.length);
  const prefix = lineText.slice(0, col);
  const state = scan(prefix);
  if (state.inComment || state.inString) return [];
  const before = lexLine(prefix.slice(0, wordRangeAt(prefix, col).start));
  // Inside or after a JSON value: only the trailing `via nodeN` clause is ever suggested there, and only after a
  // complete value, which the word list below cannot tell from a partial one; so stay quiet.
  if (before.some((t) => t.inString || /^[[{"]/.test(t.text))) {
    const last = before[before.length - 1]?.text;
    return last === 'via' && !takesNoVia(before.map((t) => t.text)) ? nodeItems(nodesInRun(lines)) : [];
  }
  return suggest(
    before.map((t) => t.text),
    lines,
    line,
  );
}
