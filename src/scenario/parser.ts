// Parser of the `.cachescenario` language: text in, a Program (statements and diagnostics) out, never an exception.
// It also runs the checks that need earlier lines: node counts, a read before `expect value`, settings after the run starts.
import type { ClientOp, CompareOp, Diagnostic, Expectation, Program, SettingValue, Span, Statement } from './ast';
import type { Json, LatencySummary, Metrics, Strategy } from '../model/types';
import type { SettingSpec } from './settings';
import type { Token } from './lexer';
import { METRIC_NAMES, STRATEGIES, isStrategy } from '../model/types';
import { CLIENT_DELAY_PATTERN, SETTINGS, findSetting } from './settings';
import { lexLine, splitLines } from './lexer';
import { echoText, MAX_DURATION_MS, parseCount, parseDuration, parseInteger, parseJsonLiteral, parseNumber } from './values';
import { HAZELCAST_CAP_FIX, meantEnding } from './fixes';

/** Product presets a scenario can start from (`preset ignite`); the presets module keys its defaults by these names. */
export const PRESET_NAMES = ['hazelcast', 'ignite', 'coherence', 'ehcache', 'rgsync', 'rdi'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Words a statement can start with. */
export const STATEMENT_KEYWORDS = [
  'strategy', 'preset', 'set', 'load', 'write', 'incr', 'read', 'read-db', 'advance',
  'crash', 'shutdown', 'restart', 'fail', 'recover', 'expect', 'at', 'as',
] as const;

/** Words after `expect`. */
export const EXPECTATION_KINDS = ['value', 'error', 'ok', 'stale', 'fresh', 'db', 'cache', 'metric'] as const;

export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];

const LATENCY_FIELDS = ['p50', 'p95', 'p99', 'max', 'mean'] as const satisfies readonly (keyof LatencySummary)[];
type SummaryMetric = { [K in keyof Metrics]: Metrics[K] extends LatencySummary ? K : never }[keyof Metrics];
const SUMMARY_METRICS = ['writeLatencyMs', 'readLatencyMs'] as const satisfies readonly SummaryMetric[];
// Fails to compile when Metrics gains a latency summary that the list above does not name.
const _allSummariesListed: [Exclude<SummaryMetric, (typeof SUMMARY_METRICS)[number]>] extends [never] ? true : false = true;

/**
 * Names `expect metric` accepts: what `metricValue` resolves, listed without a Metrics object so the parser can check
 * them up front. A bare summary name (`writeLatencyMs`) means its mean, as in metricValue.
 */
export const EXPECT_METRIC_NAMES: readonly string[] = [
  ...METRIC_NAMES,
  ...SUMMARY_METRICS.flatMap((m) => LATENCY_FIELDS.map((f) => `${m}.${f}`)),
];

const CLIENT_OPS = ['write', 'incr', 'read', 'read-db'] as const;
const FAULTS = ['crash', 'shutdown', 'restart', 'fail', 'recover'] as const;
type ClientVerb = (typeof CLIENT_OPS)[number];
type FaultVerb = (typeof FAULTS)[number];

const SETTING_NAMES_LISTED = [...SETTINGS.map((s) => s.name), 'client.NAME.delay'];
const DURATION_PHRASE = 'a duration like 250ms, 5s or 2m';
const JSON_PHRASE = 'a JSON value like 12, "alice" or {"price": 12}';
const KEY_RE = /^[A-Za-z0-9:_\-./]+$/;
const CLIENT_RE = /^[A-Za-z_][\w-]*$/;
const NODE_RE = /^node([1-9]\d*)$/;

/** The part of a SettingSpec that decides how a value is read; `client.NAME.delay` has no table row, only this. */
type ValueSpec = Pick<SettingSpec, 'kind' | 'choices' | 'min' | 'max' | 'wholeMs'>;
const CLIENT_DELAY_SPEC: ValueSpec = { kind: 'duration' };

/**
 * Thrown inside one line's parse and turned into that line's diagnostic; it never leaves parseScenario. Not an Error: an
 * Error records a stack trace when made, and a file of garbage throws one per line, on the extension host as the
 * learner types (200,000 bad lines took 2.3 s to check; 200,000 throws of an Error subclass take about three times as
 * long as of this plain object).
 */
class LineError {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly message: string,
  ) {}
}

function errorAt(from: Token, message: string, to: { end: number } = from): LineError {
  return new LineError(from.start, to.end, message);
}

/** A word of the user's in quotes, echoed as `echoText` does (clipped, invisible characters escaped). */
function quote(text: string): string {
  // A JSON string token quotes itself (`incr c "x"` got "x", not ""x"").
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return echoText(text);
  return `"${echoText(text)}"`;
}

/**
 * Edit distance counting a swap of two neighbours as one edit (`valeu` -> value), since that is the commonest typo.
 * Gives up, returning limit + 1, as soon as the distance must exceed `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

/** The closest candidate by edit distance (case-insensitive), else one the word is a prefix of (`lost` -> lostWrites). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > 64) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined) return best;
  return w.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(w)) : undefined;
}

/** `unknown WHAT "word"; expected one of ...`, ending with `hint` (by default the nearest spelling as the one meant). */
function unknownName(what: string, word: string, candidates: readonly string[], listed: readonly string[] = candidates, hint = meantHint(word, candidates)): string {
  return `unknown ${what} ${quote(word)}; expected one of ${listed.join(', ')}${hint}`;
}

/** A metric's name with its comparison (and maybe its number) written against it: `lostWrites==0`, `hitRatio>=`. */
const GLUED_COMPARISON = /^([A-Za-z][\w.]*?)(==|!=|<=|>=|<|>)([^=!<>]*)$/;

/** The percentiles a latency metric keeps (`writeLatencyMs.p95`), as numbers. */
const KEPT_PERCENTILES = [50, 95, 99];

/** A latency percentile by name (`writeLatencyMs.p98`): the metric, and the percentile as written. */
const PERCENTILE_NAME = /^(writeLatencyMs|readLatencyMs)\.p(\d+(?:\.\d+)?)$/;

/**
 * The message for a latency percentile the engine does not keep (`writeLatencyMs.p98`): which ones it keeps, and the
 * nearest one (p99 for p98, the lower on a tie) as the one meant. Undefined for any other name.
 */
function unkeptPercentile(name: string): string | undefined {
  const tooLarge = percentileTooLarge(name);
  if (tooLarge !== undefined) return `unknown metric ${quote(name)}: ${tooLarge}; ${name.slice(0, name.indexOf('.'))} keeps p50, p95 and p99 (and max, mean)`;
  const meant = percentileMeant(name);
  if (meant === undefined) return undefined;
  const metric = meant.slice(0, meant.indexOf('.'));
  return `unknown metric ${quote(name)}: ${metric} keeps the percentiles p50, p95 and p99 (and max, mean)${meantEnding(meant)}`;
}

/**
 * For a latency percentile above 100 (`writeLatencyMs.p1000`), why there is none; undefined for any other name. The
 * debugger's expressions use it too (a misspelling's suggestion would offer p50 there).
 */
export function percentileTooLarge(name: string): string | undefined {
  const m = PERCENTILE_NAME.exec(name);
  return m !== null && Number(m[2]) > 100 ? `a percentile is at most 100 (p100 is the largest latency, ${m[1]}.max)` : undefined;
}

/**
 * For a latency percentile the engine does not keep (`writeLatencyMs.p98`), the kept one nearest to it
 * (`writeLatencyMs.p99`; the lower on a tie; `max` for p100); undefined for any other name (p101 and up included).
 * The debugger's expressions use it too.
 */
export function percentileMeant(name: string): string | undefined {
  const m = PERCENTILE_NAME.exec(name);
  if (m === null) return undefined;
  const [, metric, digits] = m as unknown as [string, string, string];
  const p = Number(digits);
  if (p > 100) return undefined;
  // The 100th percentile is the largest latency, which the engine keeps as max.
  if (p === 100) return `${metric}.max`;
  const nearest = KEPT_PERCENTILES.reduce((best, k) => (Math.abs(k - p) < Math.abs(best - p) ? k : best));
  return `${metric}.p${nearest}`;
}

/** `; did you mean "X"?` when `word` looks like a misspelling of one of `candidates` (the ending a quick fix reads), else ''. */
function meantHint(word: string, candidates: readonly string[]): string {
  const guess = didYouMean(word, candidates);
  return guess !== undefined && guess !== word ? meantEnding(guess) : '';
}

/** Other names the strategies go by (write-back in hardware caches and many texts), and the one meant. */
const STRATEGY_ALIASES: Readonly<Record<string, Strategy>> = {
  'write-back': 'write-behind',
  writeback: 'write-behind',
  'lazy-loading': 'cache-aside',
  'lazy-load': 'cache-aside',
  'look-aside': 'cache-aside',
};

/** Comparisons written another way (other languages' spellings), and the one meant. */
const SWAPPED_OPS: Readonly<Record<string, CompareOp>> = { '=<': '<=', '=>': '>=', '=': '==', '===': '==', '<>': '!=', '!==': '!=' };

function includes<T extends string>(list: readonly T[], word: string): word is T {
  return (list as readonly string[]).includes(word);
}

/** Cursor over one line's tokens; remembers where the last consumed token ended, which is where the statement ends. */
class Cursor {
  private pos = 0;
  /** The last token consumed: where "expected X after ..." errors point, since there is no column past the line's end. */
  last: Token;

  constructor(
    readonly line: string,
    readonly tokens: readonly Token[],
    first: Token,
  ) {
    this.last = first;
  }

  get lastEnd(): number {
    return this.last.end;
  }

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  take(): Token | undefined {
    const t = this.tokens[this.pos];
    if (t) {
      this.pos++;
      this.last = t;
    }
    return t;
  }

  /** The next token, or an error on the last one when the line ends early. */
  need(message: string): Token {
    const t = this.take();
    if (!t) throw errorAt(this.last, message);
    return t;
  }

  takeIf(word: string): Token | undefined {
    return this.peek()?.text === word ? this.take() : undefined;
  }

  /**
   * The raw text from the next token to the end of the line, or, with `stopAtVia`, up to the first `via` token outside
   * a JSON string (no JSON value has a bare word `via`, so it can only be the `via nodeN` clause).
   */
  rest(stopAtVia = false): { text: string; first: Token; last: Token } | undefined {
    const first = this.tokens[this.pos];
    if (!first || (stopAtVia && first.text === 'via' && !first.inString)) return undefined;
    let last = first;
    this.take();
    for (let t = this.peek(); t && !(stopAtVia && t.text === 'via' && !t.inString); t = this.peek()) {
      last = t;
      this.take();
    }
    return { text: this.line.slice(first.start, last.end), first, last };
  }

  /** Fails on whatever is left on the line. */
  end(expected = 'end of line'): void {
    const t = this.peek();
    if (t) throw errorAt(t, `unexpected ${quote(t.text)}; expected ${expected}`, this.final());
  }

  /** The line's last token, for errors that cover everything after some point. */
  final(): Token {
    return this.tokens[this.tokens.length - 1] ?? this.last;
  }
}

/** Parses line by line, carrying what later lines are checked against. */
class ScenarioParser {
  readonly statements: Statement[] = [];
  readonly diagnostics: Diagnostic[] = [];
  strategy: Strategy | undefined;
  /**
   * Any `strategy` line at all, valid or not (its keyword misspelt too): a misspelt one should not also get "no
   * strategy line".
   */
  sawStrategyLine = false;
  private strategyLine: number | undefined;
  private nodes = 1;
  /** The line of the last `set cache.nodes` (the value the whole run uses). */
  private nodesLine: number | undefined;
  /** Nodes named (`via nodeN`, `crash cache nodeN`): checked again at the end against the run's node count. */
  private readonly nodeUses: { line: number; start: number; end: number; n: number; digits: string; text: string }[] = [];
  /** The first `set writeBehind.*` line: a preset after it applies first all the same (see `optionsFromProgram`). */
  private wbSetLine: number | undefined;
  private readonly presetLines: { line: number; start: number; end: number; name: string }[] = [];
  /**
   * The virtual time the statements so far reach at least: the sum of their `advance` lines (operations without `at`
   * only add to it). An `at` before it is certainly in the past.
   */
  private clockFloor = 0;
  private firstReadLine: number | undefined;
  private firstOpLine: number | undefined;
  /** First client operation or fault: from here on the run has started and settings can no longer move. */
  private firstRunLine: number | undefined;
  private lineNo = 0;

  parseLine(lineNo: number, line: string): void {
    this.lineNo = lineNo;
    const tokens = lexLine(line);
    const head = tokens[0];
    if (!head) return;
    try {
      const stmt = this.statement(new Cursor(line, tokens, head));
      this.statements.push(stmt);
    } catch (e) {
      // One error per line: a node this line named is not checked again in finish().
      for (let i = this.nodeUses.length - 1; i >= 0 && this.nodeUses[i]?.line === lineNo; i--) this.nodeUses.pop();
      if (e instanceof LineError) {
        this.report('error', e.start, e.end, e.message);
      } else {
        // A bug here must cost one line, not the editor's whole diagnostics pass.
        const last = tokens[tokens.length - 1] ?? head;
        this.report('error', head.start, last.end, `internal parser error: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** Checks that need the whole file: settings apply to the whole run, wherever their line. */
  finish(): void {
    for (const u of this.nodeUses) {
      if (u.n <= this.nodes) continue;
      // A set line after the use that lowers the count needs saying; otherwise the count has been the same all along.
      const message =
        this.nodesLine !== undefined && this.nodesLine > u.line
          ? `${u.text} does not exist in this run: line ${this.nodesLine} sets cache.nodes ${this.nodes}, and settings apply to the whole run`
          : `${u.text} does not exist: cache.nodes is ${this.nodes} (set cache.nodes ${u.digits} before using ${u.text})`;
      this.diagnostics.push({ severity: 'error', line: u.line, column: u.start + 1, endColumn: u.end + 1, message });
      // A statement with an error is left out, as everywhere else.
      const i = this.statements.findIndex((st) => st.span.line === u.line);
      if (i >= 0) this.statements.splice(i, 1);
    }
    const strategy = this.strategy ?? 'write-through';
    this.warnIdleSettings();
    if (strategy === 'write-behind' && this.presetLines.at(-1)?.name === 'hazelcast') this.warnHazelcastCap();
    if (strategy !== 'write-behind') {
      for (const p of this.presetLines) {
        this.diagnostics.push({ severity: 'warning', line: p.line, column: p.start + 1, endColumn: p.end + 1, message: `preset ${p.name} sets write-behind knobs, which ${strategy} does not use: it changes nothing in this run` });
      }
    }
    this.diagnostics.sort((a, b) => a.line - b.line);
  }

  /**
   * `set` lines that change nothing in this run, said at their line (found by an audit of the CLI: each passed in
   * silence, where a second preset or a preset under another strategy already drew a warning): a setting set again
   * further down (settings apply to the whole run, so the last line wins), and a client's delay for a client no `as`
   * line names. (A writeBehind setting under another strategy is left alone: the c17 files run the same lines under
   * each strategy on purpose.)
   */
  private warnIdleSettings(): void {
    const sets = this.statements.filter((st): st is Extract<Statement, { kind: 'set' }> => st.kind === 'set');
    const warn = (st: { span: Span }, message: string): void => {
      this.diagnostics.push({ severity: 'warning', line: st.span.line, column: st.span.column, endColumn: st.span.endColumn, message });
    };
    const clients = new Set<string>(['app']);
    for (const st of this.statements) if (st.kind === 'op') clients.add(st.placement.client);
    for (const [i, st] of sets.entries()) {
      const later = sets.slice(i + 1).find((x) => x.name === st.name);
      if (later !== undefined) {
        warn(st, `${st.name} is set again on line ${later.span.line}; settings apply to the whole run and the last line wins, so this one changes nothing`);
        continue;
      }
      const client = /^client\.(.+)\.delay$/.exec(st.name)?.[1];
      if (client !== undefined && !clients.has(client)) {
        const near = didYouMean(client, [...clients]);
        const hint = near === undefined ? '' : ` (did you mean ${near}? client names are case-sensitive)`;
        warn(st, `no operation here runs as ${client} (no as ${client} line), so its delay changes nothing${hint}`);
      }
    }
  }

  /**
   * Hazelcast enforces its write-behind queue capacity only with write-coalescing off, and its preset turns coalescing
   * on: a queue bound set under it, with coalescing left on, makes the run stricter than the product. Said at the
   * bound's line (the run keeps the bound: the learner asked for it).
   */
  private warnHazelcastCap(): void {
    const last = (name: string) => this.statements.filter((st): st is Extract<Statement, { kind: 'set' }> => st.kind === 'set' && st.name === name).at(-1);
    const cap = last('writeBehind.maxQueue');
    const coalescing = last('writeBehind.coalescing');
    if (cap === undefined || cap.value === null || coalescing?.value === false) return;
    // A line of its own that turns coalescing on would outvote a line added below the bound: that line is the one to change.
    const ask = coalescing === undefined ? `add ${HAZELCAST_CAP_FIX}` : `change line ${coalescing.span.line} to ${HAZELCAST_CAP_FIX}`;
    this.diagnostics.push({
      severity: 'warning',
      line: cap.span.line,
      column: cap.span.column,
      endColumn: cap.span.endColumn,
      message: `Hazelcast bounds its write-behind queue only with write-coalescing off; with coalescing on, as under preset hazelcast, a real member's queue grows without bound. This run still bounds the queue at ${String(cap.value)} pending entries: ${ask} to run what Hazelcast does`,
    });
  }

  private report(severity: Diagnostic['severity'], start: number, end: number, message: string): void {
    this.diagnostics.push({ severity, line: this.lineNo, column: start + 1, endColumn: Math.max(end, start + 1) + 1, message });
  }

  private span(first: Token, c: Cursor): Span {
    return { line: this.lineNo, column: first.start + 1, endColumn: c.lastEnd + 1 };
  }

  private statement(c: Cursor): Statement {
    const first = c.last;
    c.take();
    switch (first.text) {
      case 'strategy':
        return this.strategyStatement(c, first);
      case 'preset':
        return this.preset(c, first);
      case 'set':
        return this.set(c, first);
      case 'load':
        return this.load(c, first);
      case 'advance': {
        const ms = this.durationRest(c, first, 'advance');
        this.clockFloor += ms;
        return { kind: 'advance', ms, span: this.span(first, c) };
      }
      case 'expect':
        return this.expect(c, first);
      default:
        if (includes(CLIENT_OPS, first.text) || includes(FAULTS, first.text) || first.text === 'at' || first.text === 'as') {
          return this.timed(c, first);
        }
        // `Strategy write-behind` or `stratgy write-behind` is the strategy line, misspelt: its error is enough.
        if (didYouMean(first.text, STATEMENT_KEYWORDS) === 'strategy') this.sawStrategyLine = true;
        throw errorAt(first, unknownName('statement', first.text, STATEMENT_KEYWORDS));
    }
  }

  private strategyStatement(c: Cursor, first: Token): Statement {
    this.sawStrategyLine = true;
    const name = c.need(`expected a strategy after strategy: one of ${STRATEGIES.join(', ')}`);
    if (!isStrategy(name.text)) {
      const alias = STRATEGY_ALIASES[name.text.toLowerCase()];
      const hint = alias === undefined ? undefined : `: ${quote(name.text)} is another name for ${alias}${meantEnding(alias)}`;
      throw errorAt(name, unknownName('strategy', name.text, STRATEGIES, STRATEGIES, hint));
    }
    c.end();
    if (this.strategyLine !== undefined) {
      throw errorAt(first, `strategy is already set on line ${this.strategyLine}`, name);
    }
    this.strategyLine = this.lineNo;
    this.strategy = name.text;
    return { kind: 'strategy', strategy: name.text, span: this.span(first, c) };
  }

  private preset(c: Cursor, first: Token): Statement {
    const name = c.need(`expected a preset after preset: one of ${PRESET_NAMES.join(', ')}`);
    if (!includes(PRESET_NAMES, name.text)) throw errorAt(name, unknownName('preset', name.text, PRESET_NAMES));
    c.end();
    const span = this.span(first, c);
    this.warnIfRunStarted(first, c, 'presets apply to the whole run; move this preset');
    if (this.wbSetLine !== undefined) {
      this.report('warning', first.start, c.lastEnd, `a preset applies before every set line, so the writeBehind settings from line ${this.wbSetLine} on keep their values; move this preset above them`);
    }
    const earlier = this.presetLines.at(-1);
    if (earlier !== undefined) {
      this.report('warning', first.start, c.lastEnd, `preset ${name.text} replaces preset ${earlier.name} from line ${earlier.line}: only the last preset applies`);
    }
    this.presetLines.push({ line: this.lineNo, start: first.start, end: c.lastEnd, name: name.text });
    return { kind: 'preset', preset: name.text, span };
  }

  private set(c: Cursor, first: Token): Statement {
    const nameTok = c.need(`expected a setting after set, like cache.ttl; one of ${SETTING_NAMES_LISTED.join(', ')}`);
    const name = nameTok.text;
    const spec: ValueSpec | undefined = findSetting(name) ?? (CLIENT_DELAY_PATTERN.test(name) ? CLIENT_DELAY_SPEC : undefined);
    if (!spec) {
      // A client's delay is matched by pattern: `client.bob.dealy` is measured against `client.bob.delay`.
      const client = /^client\.([^.]+)\./.exec(name)?.[1];
      const candidates = SETTINGS.map((s) => s.name);
      if (client !== undefined && CLIENT_RE.test(client)) candidates.push(`client.${client}.delay`);
      throw errorAt(nameTok, unknownName('setting', name, candidates, SETTING_NAMES_LISTED));
    }
    const rest = c.rest();
    if (!rest) throw errorAt(nameTok, `expected ${valuePhrase(spec)} after ${name}`);
    if (spec.kind === 'enum' && !(spec.choices ?? []).includes(rest.text)) {
      const choices = spec.choices ?? [];
      throw errorAt(rest.first, `unknown value ${quote(rest.text)} for ${name}; expected one of ${choices.join(', ')}${meantHint(rest.text, choices)}`, rest.last);
    }
    const value = settingValue(spec, rest.text);
    if (value === undefined && (spec.kind === 'duration' || spec.kind === 'duration-or-off') && DURATION_TEXT.test(rest.text)) {
      throw errorAt(rest.first, tooLong(rest.text), rest.last);
    }
    if (value === undefined && (spec.kind === 'count' || spec.kind === 'count-or-off') && /^\d+$/.test(rest.text)) {
      const most = spec.max !== undefined ? `${name} must be at most ${spec.max.toLocaleString('en-US')}, got ${echoText(rest.text)}` : tooLarge(rest.text);
      throw errorAt(rest.first, most, rest.last);
    }
    if (value === undefined) {
      const words = spec.kind === 'on-off' ? ['on', 'off'] : spec.kind === 'duration-or-off' || spec.kind === 'count-or-off' ? ['off'] : [];
      const hint = meantHint(rest.text, words) || (spec.kind === 'duration' || spec.kind === 'duration-or-off' ? durationHint(rest.text) : '');
      throw errorAt(rest.first, `expected ${valuePhrase(spec)}, got ${quote(rest.text)}${hint}`, rest.last);
    }
    if ((spec.kind === 'duration' || spec.kind === 'duration-or-off') && typeof value === 'number' && value > MAX_DURATION_MS) {
      throw errorAt(rest.first, tooLong(rest.text), rest.last);
    }
    if (typeof value === 'number' && spec.min !== undefined && value < spec.min) {
      if (spec.kind === 'duration' || spec.kind === 'duration-or-off') {
        const off = spec.kind === 'duration-or-off' ? `, or off` : '';
        throw errorAt(rest.first, `${name} must be at least ${spec.min}ms${off}, got ${rest.text}`, rest.last);
      }
      throw errorAt(rest.first, `${name} must be at least ${spec.min}, got ${value}`, rest.last);
    }
    if (typeof value === 'number' && spec.max !== undefined && value > spec.max) {
      if (spec.kind === 'duration' || spec.kind === 'duration-or-off') {
        const most = spec.max % 1000 === 0 ? `${spec.max / 1000}s` : `${spec.max}ms`;
        throw errorAt(rest.first, `${name} must be at most ${most}, got ${rest.text}`, rest.last);
      }
      throw errorAt(rest.first, `${name} must be at most ${spec.max.toLocaleString('en-US')}, got ${value.toLocaleString('en-US')}`, rest.last);
    }
    if (typeof value === 'number' && spec.wholeMs && !Number.isInteger(value)) {
      const inMs = /ms$/.test(rest.text) ? '' : ` (${value} ms)`;
      throw errorAt(rest.first, `${name} must be a whole number of milliseconds, got ${rest.text}${inMs}`, rest.last);
    }
    if (name === 'cache.nodes' && typeof value === 'number') {
      this.nodes = value;
      this.nodesLine = this.lineNo;
    }
    if (name.startsWith('writeBehind.')) this.wbSetLine ??= this.lineNo;
    this.warnIfRunStarted(first, c, 'settings apply to the whole run; move this set');
    return { kind: 'set', name, value, span: this.span(first, c) };
  }

  private warnIfRunStarted(first: Token, c: Cursor, message: string): void {
    if (this.firstRunLine !== undefined) this.report('warning', first.start, c.lastEnd, `${message} above line ${this.firstRunLine}`);
  }

  private load(c: Cursor, first: Token): Statement {
    const key = this.key(c);
    const noVia = `load puts a row in the database before the run, which has no nodes, so it takes no via; a read through a node loads it there: read ${echoText(key)} via nodeN`;
    this.noVia(c, noVia);
    const value = this.json(c, 'after the key', true);
    this.noVia(c, noVia);
    c.end();
    this.warnIfRunStarted(first, c, 'rows are loaded before the run starts, whatever the line; move this load');
    return { kind: 'load', key, value, span: this.span(first, c) };
  }

  /** `[at DURATION] [as NAME]` then a client operation or a fault. */
  private timed(c: Cursor, first: Token): Statement {
    let at: number | undefined;
    let client = 'app';
    let prefix = '';
    let asTok: Token | undefined;
    let asEnd: Token | undefined;
    let verb: Token = first;
    if (first.text === 'at') {
      const d = c.need(`expected ${DURATION_PHRASE} after at, like at 5ms read product:1`);
      at = this.duration(d);
      // Valid, as a scheduler takes a deadline already gone: the operation is issued when the script reaches it. A
      // warning, not an error, so the line is kept and the file still runs (the contract's own example has one).
      if (at < this.clockFloor) {
        this.report('warning', d.start, d.end, `at ${echoText(d.text)} is in the past: the advance lines above take the clock to at least ${this.clockFloor}ms before this line runs, so it is issued then, when the script reaches it`);
      }
      prefix = `at ${d.text}`;
      verb = c.need(`expected an operation after at ${echoText(d.text)}, like at ${echoText(d.text)} read product:1`);
    }
    if (verb.text === 'as') {
      asTok = verb;
      const n = c.need('expected a client name after as, like as bob read product:1');
      if (includes(CLIENT_OPS, n.text) || includes(FAULTS, n.text)) {
        throw errorAt(n, `expected a client name after as, got the operation ${quote(n.text)}: name the client first, as in as bob ${n.text} ...`);
      }
      if (!CLIENT_RE.test(n.text)) {
        throw errorAt(n, `expected a client name like bob (an ASCII letter or _, then ASCII letters, digits, _ or -), got ${quote(n.text)}`);
      }
      // Found by an audit of the CLI: the trace's from/to name the lanes, and a client named as one read ambiguously.
      if (n.text === 'db' || /^node\d+$/.test(n.text)) {
        this.report('warning', n.start, n.end, `${n.text} is also the name of ${n.text === 'db' ? 'the database' : 'a cache node'} in the trace, so this client's hops would read as the ${n.text === 'db' ? 'database' : 'node'}'s; pick another name, like bob`);
      }
      client = n.text;
      asEnd = n;
      prefix = `${prefix}${prefix ? ' ' : ''}as ${n.text}`;
      verb = c.need(`expected an operation after as ${n.text}, like as ${n.text} read product:1`);
      if (verb.text === 'at') {
        throw errorAt(asTok, `"at DURATION" must come before "as NAME", as in at 5ms as ${n.text} read product:1`, verb);
      }
    }
    if (includes(CLIENT_OPS, verb.text)) {
      this.firstOpLine ??= this.lineNo;
      this.firstRunLine ??= this.lineNo;
      if (verb.text === 'read' || verb.text === 'read-db') this.firstReadLine ??= this.lineNo;
      return this.clientOp(c, first, verb.text, { at, client });
    }
    if (includes(FAULTS, verb.text)) {
      if (asTok && asEnd) {
        throw errorAt(asTok, `faults are not client operations: ${verb.text} cannot run "as ${asEnd.text}"; remove it`, asEnd);
      }
      this.firstRunLine ??= this.lineNo;
      return this.fault(c, first, verb.text, at);
    }
    const expected = asTok
      ? `a client operation (${CLIENT_OPS.join(', ')})`
      : `a client operation (${CLIENT_OPS.join(', ')}) or a fault (${FAULTS.join(', ')})`;
    const meant = meantHint(verb.text, asTok ? CLIENT_OPS : [...CLIENT_OPS, ...FAULTS]);
    throw errorAt(verb, `expected ${expected} after ${echoText(prefix)}, got ${quote(verb.text)}${meant}`);
  }

  private clientOp(c: Cursor, first: Token, verb: ClientVerb, p: { at: number | undefined; client: string }): Statement {
    const key = this.key(c);
    let op: ClientOp;
    let expected = 'via nodeN or end of line';
    switch (verb) {
      case 'write':
        op = { kind: 'write', key, value: this.json(c, 'after the key', true) };
        break;
      case 'incr': {
        let amount = 1;
        const t = c.peek();
        if (t && t.text !== 'via') {
          c.take();
          const n = parseInteger(t.text);
          if (n === undefined && WHOLE_TEXT.test(t.text)) throw errorAt(t, `amount ${tooLarge(t.text)}`);
          if (n === undefined) throw errorAt(t, `expected a whole amount like 5 or -1, or via nodeN, got ${quote(t.text)}`);
          amount = n;
        }
        op = { kind: 'incr', key, amount };
        break;
      }
      case 'read':
        op = { kind: 'read', key };
        break;
      case 'read-db': {
        const via = c.peek();
        if (via?.text === 'via') {
          throw errorAt(via, `read-db goes straight to the database, bypassing every cache, so it takes no via; use read ${echoText(key)} via nodeN to read through a node`, c.final());
        }
        op = { kind: 'read-db', key };
        expected = 'end of line';
        break;
      }
    }
    const node = this.via(c);
    c.end(node === undefined ? expected : 'end of line');
    return { kind: 'op', op, placement: { at: p.at, client: p.client, node }, span: this.span(first, c) };
  }

  private fault(c: Cursor, first: Token, verb: FaultVerb, at: number | undefined): Statement {
    switch (verb) {
      case 'crash':
      case 'shutdown':
      case 'restart': {
        const what = c.need(`expected "cache" after ${verb}, as in ${verb} cache or ${verb} cache node2`);
        if (what.text !== 'cache') {
          // Only a cache node crashes, shuts down or restarts; the database has faults of its own.
          const dbHint = what.text === 'db' ? (verb === 'restart' ? ' (to bring the database back: recover db)' : ' (to take the database down: fail db for 10s)') : '';
          const hint = dbHint || meantHint(what.text, ['cache']);
          throw errorAt(what, `expected "cache" after ${verb}, as in ${verb} cache or ${verb} cache node2, got ${quote(what.text)}${hint}`);
        }
        if (verb !== 'shutdown') {
          const nodeTok = c.take();
          const node = nodeTok ? this.node(nodeTok) : undefined;
          c.end();
          return { kind: verb, node, at, span: this.span(first, c) };
        }
        // shutdown cache [nodeN] [timeout DURATION | timeout off]
        const next = c.peek();
        if (next?.text === 'via') throw errorAt(next, 'shutdown names its node without via, as in shutdown cache node2', c.final());
        // Anything shaped like a node name is read as one, so `node0` or `Node2` gets the node's own error.
        const node = next !== undefined && /^node/i.test(next.text) ? this.node(c.take() as Token) : undefined;
        const said = node === undefined ? 'shutdown cache' : `shutdown cache node${node}`;
        const tw = c.take();
        let timeoutMs: number | null | undefined;
        if (tw !== undefined) {
          if (tw.text !== 'timeout') {
            const expected = node === undefined ? 'nodeN, timeout DURATION or end of line' : 'timeout DURATION or end of line';
            const hint = DURATION_TEXT.test(tw.text) ? ` (to give the node ${echoText(tw.text)} to flush its queue: ${said} timeout ${echoText(tw.text)})` : meantHint(tw.text, ['timeout']);
            throw errorAt(tw, `expected ${expected} after ${said}, as in shutdown cache node2 timeout 30s, got ${quote(tw.text)}${hint}`, c.final());
          }
          timeoutMs = this.shutdownTimeout(c, tw, said);
        }
        c.end();
        return { kind: 'shutdown', node, timeoutMs, at, span: this.span(first, c) };
      }
      case 'fail': {
        const example = 'as in fail db for 10s, fail db next 2 writes, fail db next 1 reply or fail db key product:1';
        this.db(c, verb, example);
        const how = c.take();
        if (how?.text === 'for') {
          const ms = this.durationRest(c, how, 'for');
          return { kind: 'fail-db-for', ms, at, span: this.span(first, c) };
        }
        if (how?.text === 'next') {
          const nTok = c.need('expected how many writes fail after next, as in fail db next 2 writes');
          const n = parseCount(nTok.text);
          if (n === undefined && WHOLE_TEXT.test(nTok.text) && !nTok.text.startsWith('-')) throw errorAt(nTok, tooLarge(nTok.text));
          if (n === undefined || n < 1) {
            throw errorAt(nTok, `expected how many writes fail (a whole number, at least 1), as in fail db next 2 writes, got ${quote(nTok.text)}`);
          }
          const unit = c.need(`expected "writes" or "replies" after next ${n}, as in fail db next ${n} writes`);
          const replies = unit.text === 'replies' || (n === 1 && unit.text === 'reply');
          if (!replies && unit.text !== 'writes' && !(n === 1 && unit.text === 'write')) {
            throw errorAt(unit, `expected "writes" (the transactions fail) or "replies" (they commit, their replies are lost) after next ${n}, got ${quote(unit.text)}${unit.text === 'reply' ? '; did you mean "replies"?' : meantHint(unit.text, ['writes', 'replies'])}`);
          }
          c.end();
          return { kind: 'fail-db-next', writes: n, replies, at, span: this.span(first, c) };
        }
        if (how?.text === 'key') {
          const key = this.key(c);
          c.end();
          return { kind: 'fail-db-key', key, at, span: this.span(first, c) };
        }
        throw errorAt(c.last, how ? `expected "for", "next" or "key" after fail db, ${example}, got ${quote(how.text)}${meantHint(how.text, ['for', 'next', 'key'])}` : `expected "for", "next" or "key" after fail db, ${example}`);
      }
      case 'recover': {
        this.db(c, verb, 'as in recover db');
        // `recover db key KEY`: only that row is fixed; every other fault stays.
        const key = c.takeIf('key') ? this.key(c) : undefined;
        c.end(key === undefined ? 'end of line or "key KEY" (recover db ends every database fault; recover db key KEY fixes only that row)' : 'end of line');
        return { kind: 'recover-db', ...(key === undefined ? {} : { key }), at, span: this.span(first, c) };
      }
    }
  }

  private db(c: Cursor, verb: string, example: string): void {
    const t = c.need(`expected "db" after ${verb}, ${example}`);
    if (t.text !== 'db') {
      // A cache node's faults are crash and restart.
      const cacheHint = t.text === 'cache' ? (verb === 'fail' ? ' (to take a cache node down: crash cache)' : ' (to bring a cache node back: restart cache)') : '';
      throw errorAt(t, `expected "db" after ${verb}, ${example}, got ${quote(t.text)}${cacheHint || meantHint(t.text, ['db'])}`);
    }
  }

  private expect(c: Cursor, first: Token): Statement {
    const kindTok = c.need(`expected what to check after expect: one of ${EXPECTATION_KINDS.join(', ')}`);
    const kind = kindTok.text;
    if (!includes(EXPECTATION_KINDS, kind)) throw errorAt(kindTok, unknownName('expectation', kind, EXPECTATION_KINDS));
    let expectation: Expectation;
    switch (kind) {
      case 'value': {
        // `missing`: the read found no value (a JSON literal can only say null, which is a stored value).
        const noVia = 'expect value checks the result of the nearest earlier read, so it takes no via; put the via on the read: read KEY via nodeN';
        this.noVia(c, noVia);
        expectation = { kind, value: c.takeIf('missing') ? undefined : this.json(c, 'after expect value (or missing)', true) };
        this.noVia(c, noVia);
        break;
      }
      case 'error':
      case 'ok':
      case 'stale':
      case 'fresh':
        expectation = { kind };
        break;
      case 'db':
      case 'cache': {
        const key = this.key(c);
        // A cache expectation names its node before the comparison or after it: `expect cache K via node2 missing`
        // and `expect cache K missing via node2` say the same.
        let node = kind === 'cache' ? this.via(c) : undefined;
        const expected = `expected == JSON or missing after ${echoText(c.last.text)}${kind === 'cache' && node === undefined ? ' (or via nodeN first)' : ''}`;
        const how = c.need(expected);
        if (kind === 'db' && how.text === 'via') {
          throw errorAt(how, noViaOnDb(key), c.final());
        }
        if (how.text !== '==' && how.text !== 'missing') {
          // `=` and `===` mean `==` (as in expect metric): say so, which also offers the quick fix.
          throw errorAt(how, `${expected}, got ${quote(how.text)}${how.text === '=' || how.text === '===' ? meantEnding('==') : ''}`);
        }
        const trailingVia = kind === 'cache' && node === undefined;
        const value = how.text === 'missing' ? undefined : this.json(c, 'after ==', true);
        if (trailingVia) node = this.via(c);
        const via = c.peek();
        if (kind === 'db' && via?.text === 'via') {
          throw errorAt(via, noViaOnDb(key), c.final());
        }
        expectation = kind === 'db' ? { kind, key, value } : { kind, key, node, value };
        break;
      }
      case 'metric':
        expectation = this.metric(c);
        break;
    }
    c.end();
    if ((kind === 'value' || kind === 'stale' || kind === 'fresh') && this.firstReadLine === undefined) {
      throw errorAt(kindTok, `expect ${kind} needs an earlier read in this scenario`);
    }
    if ((kind === 'error' || kind === 'ok') && this.firstOpLine === undefined) {
      throw errorAt(kindTok, `expect ${kind} needs an earlier client operation in this scenario (write, incr, read or read-db)`);
    }
    return { kind: 'expect', expectation, span: this.span(first, c) };
  }

  private metric(c: Cursor): Expectation {
    const nameTok = c.need('expected a metric after expect metric, like lostWrites');
    if (!EXPECT_METRIC_NAMES.includes(nameTok.text)) {
      // `lostWrites==0`: one word, since the words of a line are split at spaces.
      const glued = GLUED_COMPARISON.exec(nameTok.text);
      if (glued !== null && EXPECT_METRIC_NAMES.includes(glued[1] as string)) {
        const [, name, op, rest] = glued as unknown as [string, string, string, string];
        const where = rest === '' ? `a space between ${name} and ${op}` : `spaces around ${op}`;
        throw errorAt(nameTok, `expected ${where} in ${quote(nameTok.text)}: the metric, the comparison and the number are words of their own${meantEnding(`${name} ${op}${rest === '' ? '' : ` ${rest}`}`)}`);
      }
      const percentile = unkeptPercentile(nameTok.text);
      throw errorAt(nameTok, percentile ?? unknownName('metric', nameTok.text, EXPECT_METRIC_NAMES));
    }
    const opTok = c.need(`expected a comparison after ${nameTok.text}: one of ${COMPARE_OPS.join(' ')}`);
    const op = opTok.text;
    if (!includes(COMPARE_OPS, op)) {
      // `==0`: the comparison and the number written as one word.
      const glued = /^(==|!=|<=|>=|<|>)([^=!<>\s]\S*)$/.exec(op);
      if (glued !== null) {
        throw errorAt(opTok, `expected a space between ${glued[1] as string} and ${echoText(glued[2] as string)} in ${quote(op)}: the comparison and the number are words of their own${meantEnding(`${glued[1] as string} ${glued[2] as string}`)}`);
      }
      // A number here means the comparison was left out: no operator is "meant" in its place (a quick fix would
      // replace the number with one).
      if (NUMBER_TEXT.test(op)) {
        throw errorAt(opTok, `expected a comparison before ${echoText(op)}: one of ${COMPARE_OPS.join(', ')}, as in expect metric ${nameTok.text} == ${echoText(op)}`);
      }
      const meant = Object.hasOwn(SWAPPED_OPS, op) ? SWAPPED_OPS[op] : undefined;
      // Only a word of comparison characters is taken for a misspelt one: any one-character word is one edit away
      // from `<`, so `x` would be "meant" as it.
      const hint = meant !== undefined ? meantEnding(meant) : /^[=!<>]+$/.test(op) ? meantHint(op, COMPARE_OPS) : '';
      throw errorAt(opTok, unknownName('comparison', op, COMPARE_OPS, COMPARE_OPS, hint));
    }
    const numTok = c.need(`expected a number after ${op}, like 0, 12 or 0.95`);
    const value = parseNumber(numTok.text);
    if (value === undefined && NUMBER_TEXT.test(numTok.text)) throw errorAt(numTok, `${echoText(numTok.text)} is too large for a number`);
    if (value === undefined) throw errorAt(numTok, `expected a number like 0, 12 or 0.95, got ${quote(numTok.text)}`);
    return { kind: 'metric', metric: nameTok.text, op, value };
  }

  private key(c: Cursor): string {
    const t = c.need(`expected a key after ${echoText(c.last.text)}, like product:1`);
    if (!KEY_RE.test(t.text)) {
      throw errorAt(t, `expected a key like product:1 (ASCII letters, digits and : _ - . /), got ${quote(t.text)}`);
    }
    return t.text;
  }

  /** The JSON value filling the rest of the line (up to a `via` clause when `stopAtVia`). */
  private json(c: Cursor, where: string, stopAtVia = false): Json {
    const rest = c.rest(stopAtVia);
    if (!rest) throw errorAt(c.last, `expected ${JSON_PHRASE} ${where}`);
    const r = parseJsonLiteral(rest.text);
    if (r.ok) return r.value;
    // V8 counts "at position 7" from the value's first character; the editor, and the diagnostic, count columns.
    const reason = r.reason.replace(/ at position (\d+)$/, (_, n: string) => ` at column ${rest.first.start + Number(n) + 1}`);
    // The commonest slip is a bare word where a JSON string belongs.
    // Any script's letters: `café` and `ключ` need their quotes as much as `alice`.
    const bare = /^[\p{L}_][\p{L}\p{M}\p{N}_-]*$/u.test(rest.text) ? ` (text needs double quotes: "${echoText(rest.text)}")` : '';
    throw errorAt(rest.first, `expected ${JSON_PHRASE}: ${reason}${bare}`, rest.last);
  }

  /** Fails with `message` over the rest of the line when the next token is a `via` clause (outside a JSON string). */
  private noVia(c: Cursor, message: string): void {
    const t = c.peek();
    if (t?.text === 'via' && !t.inString) throw errorAt(t, message, c.final());
  }

  private via(c: Cursor): number | undefined {
    const v = c.takeIf('via');
    if (!v) return undefined;
    return this.node(c.need('expected a node after via, like via node2'));
  }

  private node(t: Token): number {
    const digits = NODE_RE.exec(t.text)?.[1];
    if (digits === undefined) throw errorAt(t, `expected a node like node1 or node2, got ${quote(t.text)}`);
    // Checked in finish() against the run's final cache.nodes: settings apply to the whole run, so a later
    // `set cache.nodes 3` makes node3 exist here too (with a warning on that set line).
    const n = Number(digits);
    this.nodeUses.push({ line: this.lineNo, start: t.start, end: t.end, n, digits: echoText(digits), text: echoText(t.text) });
    return n;
  }

  private duration(t: Token): number {
    const ms = parseDuration(t.text);
    if (ms === undefined && DURATION_TEXT.test(t.text)) throw errorAt(t, tooLong(t.text));
    if (ms === undefined) throw errorAt(t, `expected ${DURATION_PHRASE}, got ${quote(t.text)}${durationHint(t.text)}`);
    if (ms > MAX_DURATION_MS) throw errorAt(t, tooLong(t.text));
    return ms;
  }

  /**
   * The value after `shutdown cache [nodeN] timeout`: a duration, or `off` (no limit). A node named after it is
   * pointed back to its place before `timeout`.
   */
  private shutdownTimeout(c: Cursor, tw: Token, said: string): number | null {
    const expected = 'a duration like 250ms, 5s or 2m, or off (wait until the queue is empty)';
    const value = c.peek();
    if (value === undefined) throw errorAt(tw, `expected ${expected} after timeout`);
    if (value.text === 'off') {
      c.take();
      return null;
    }
    const rest = c.rest() as { text: string; first: Token; last: Token };
    const whole = parseDuration(rest.text);
    if (whole !== undefined) {
      if (whole > MAX_DURATION_MS) throw errorAt(rest.first, tooLong(rest.text), rest.last);
      return whole;
    }
    if (parseDuration(value.text) !== undefined && rest.first !== rest.last) {
      // `timeout 5s node2`: the duration is fine; what follows it is not.
      const extra = c.tokens[c.tokens.indexOf(value) + 1] as Token;
      const hint = /^node/i.test(extra.text) ? ` (name the node before timeout: ${said} ${echoText(extra.text)} timeout ${echoText(value.text)})` : '';
      throw errorAt(extra, `unexpected ${quote(extra.text)}; expected end of line${hint}`, rest.last);
    }
    if (DURATION_TEXT.test(rest.text)) throw errorAt(rest.first, tooLong(rest.text), rest.last);
    const hint = rest.text.toLowerCase() === 'off' ? meantEnding('off') : meantHint(rest.text, ['off']) || durationHint(rest.text);
    throw errorAt(rest.first, `expected ${expected}, got ${quote(rest.text)}${hint}`, rest.last);
  }

  /** A duration filling the rest of the line; taking all of it lets `advance 5 sec` echo "5 sec" back. */
  private durationRest(c: Cursor, after: Token, word: string): number {
    const rest = c.rest();
    if (!rest) throw errorAt(after, `expected ${DURATION_PHRASE} after ${word}`);
    const ms = parseDuration(rest.text);
    if (ms === undefined && DURATION_TEXT.test(rest.text)) throw errorAt(rest.first, tooLong(rest.text), rest.last);
    if (ms === undefined) throw errorAt(rest.first, `expected ${DURATION_PHRASE}, got ${quote(rest.text)}${durationHint(rest.text)}`, rest.last);
    if (ms > MAX_DURATION_MS) throw errorAt(rest.first, tooLong(rest.text), rest.last);
    return ms;
  }
}

/** `expect db KEY ... via nodeN`: the database stands behind no node. */
function noViaOnDb(key: string): string {
  return `expect db checks the database, which has no nodes, so it takes no via; use expect cache ${echoText(key)} == JSON via nodeN to check a node`;
}

/** Unit words people write for the language's `ms`, `s`, `m` and `h`. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  ms: 'ms', msec: 'ms', msecs: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
};

/**
 * What to add to "expected a duration, got TEXT" when TEXT is nearly one: a number without its unit (`5`: which unit
 * is meant is the writer's to say, so no quick fix), or a unit written as a word or in capitals (`5sec`, `5 seconds`,
 * `2MS`: did you mean "5s"?, which a quick fix puts in when the text is one word), or a negative one (`-3ms`). Else ''.
 */
export function durationHint(text: string): string {
  // A negative duration, well formed but for its sign: the virtual clock only moves forward.
  if (/^-\s*\d+(?:\.\d+)?\s*[A-Za-z]*$/.test(text)) return ': a duration cannot be negative (the virtual clock only moves forward)';
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    // Only units that make a duration the scenario may have (`86400000s` is too long, `86400000ms` is a day).
    const fit = ['ms', 's'].map((u) => `${text}${u}`).filter((d) => (parseDuration(d) ?? Infinity) <= MAX_DURATION_MS);
    return `: a duration needs its unit, like ${fit.length > 0 ? fit.join(' or ') : '250ms, 5s or 2m'}`;
  }
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(text);
  const unit = m?.[2] === undefined ? undefined : UNIT_WORDS[m[2].toLowerCase()];
  if (m === null || unit === undefined) return '';
  const meant = `${m[1] as string}${unit}`;
  const ms = parseDuration(meant);
  return ms !== undefined && ms <= MAX_DURATION_MS ? meantEnding(meant) : '';
}

/** A well-formed duration beyond what a scenario may ask for (the virtual clock must stay exact). */
function tooLong(text: string): string {
  return `${echoText(text)} is too long: a duration goes up to 365 days (8760h)`;
}

// Text written as a whole number, a number or a duration. The value readers return undefined for one too large to
// hold (exactly, or at all) as for a typo; these tell the two apart, since "expected a whole number" would be wrong.
const WHOLE_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const DURATION_TEXT = /^\d+(?:\.\d+)?(?:ms|s|m|h)$/;

/** Digits beyond what a whole number holds exactly. */
function tooLarge(text: string): string {
  return `${echoText(text)} is too large: a whole number goes up to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`;
}

/** A whole number, with its range when the usual example (100) would be out of it (`cache.nodes` goes up to 8). */
function countPhrase(spec: ValueSpec): string {
  if (spec.max === undefined || spec.max >= 100) return 'a whole number like 100';
  return `a whole number from ${spec.min ?? 0} to ${spec.max.toLocaleString('en-US')}`;
}

function valuePhrase(spec: ValueSpec): string {
  switch (spec.kind) {
    case 'duration':
      return DURATION_PHRASE;
    case 'duration-or-off':
      return `${DURATION_PHRASE}, or off`;
    case 'count':
      return countPhrase(spec);
    case 'count-or-off':
      return `${countPhrase(spec)}, or off`;
    case 'on-off':
      return 'on or off';
    case 'enum':
      return `one of ${(spec.choices ?? []).join(', ')}`;
  }
}

/** The value of `set NAME VALUE` by the setting's kind; undefined when the text does not fit the kind. */
function settingValue(spec: ValueSpec, text: string): SettingValue | undefined {
  switch (spec.kind) {
    case 'duration':
      return parseDuration(text);
    case 'duration-or-off':
      return text === 'off' ? null : parseDuration(text);
    case 'count':
      return parseCount(text);
    case 'count-or-off':
      return text === 'off' ? null : parseCount(text);
    case 'on-off':
      return text === 'on' || text === 'true' ? true : text === 'off' || text === 'false' ? false : undefined;
    case 'enum':
      return (spec.choices ?? []).includes(text) ? text : undefined;
  }
}

/** Parses a whole scenario. Never throws: every problem is a Diagnostic, and a statement with an error is left out. */
export function parseScenario(text: string): Program {
  const p = new ScenarioParser();
  const lines = splitLines(text);
  lines.forEach((line, i) => p.parseLine(i + 1, line));
  p.finish();
  if (!p.sawStrategyLine) {
    const first = lines[0] ?? '';
    p.diagnostics.unshift({
      severity: 'warning',
      line: 1,
      column: 1,
      endColumn: first.length > 0 ? first.length + 1 : 2,
      message: 'no strategy line; the run will use write-through',
    });
  }
  return { statements: p.statements, diagnostics: p.diagnostics, strategy: p.strategy };
}
