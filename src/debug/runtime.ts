// The scenario debugger's runtime, free of VS Code and of the debug protocol: it runs a scenario once, records every
// trace step with a snapshot of the engine, then moves a cursor over that recording, forward and back.
import { Engine, fmt } from '../model/engine';
import type { EngineSnapshot } from '../model/engine';
import { METRIC_NAMES, discardedWrites, isDbFault, isDirtyRead, isLatencyMetric, metricValue } from '../model/types';
import type { EngineOptions, Json, LatencySummary, TraceStep } from '../model/types';
import { plural } from '../model/words';
import { diagnosticLine } from '../scenario/ast';
import type { Program, Statement } from '../scenario/ast';
import { lexLine, splitLines } from '../scenario/lexer';
import { EXPECT_METRIC_NAMES, didYouMean, parseScenario, percentileMeant, percentileTooLarge } from '../scenario/parser';
import { compare, jsonEqual, optionsFromProgram, runProgram } from '../scenario/runner';
import type { Checkpoint, ExpectationResult, ScenarioResult } from '../scenario/runner';
import { parseDuration, parseJsonLiteral, parseNumber } from '../scenario/values';

// ------------------------------------------------------------------------------------------------ recording

/**
 * One position of the recording: a trace step and the engine state right after it, or a checkpoint: an `advance` or
 * `expect` statement, which runs no step of its own, at the moment it is done (so the debugger can stop on it).
 */
export interface RecordedStep {
  /** For a checkpoint, a step made for the debugger only (never part of the trace) that describes it. */
  step: TraceStep;
  snapshot: EngineSnapshot;
  /** Set for a checkpoint: its statement, and for `expect` its verdict (a metric one in the closing block is judged when the run ends). */
  check?: { kind: 'advance' | 'expect'; verdict: ExpectationResult | undefined; deferred: boolean };
  /**
   * Scenario line the debugger shows for this step: the step's own line, or for background work (flushes, evictions,
   * a database coming back up) the statement most recently started before it.
   */
  line: number;
  /** True when this step is the first one shown at its line: `next` stops exactly at these. */
  statementStart: boolean;
  /**
   * Client operations started when this step was recorded (ids 1 up to this): a step before an operation began has
   * fewer than its id, even in the millisecond it began.
   */
  opsIssued: number;
}

/** A scenario run once and kept whole; every debugger position is an index into `steps` (-1 = on entry). */
export interface Recording {
  path: string;
  lines: string[];
  program: Program;
  options: EngineOptions;
  result: ScenarioResult;
  /** The engine before anything ran: an empty engine at time 0 with the scenario's options. */
  initial: EngineSnapshot;
  steps: RecordedStep[];
  /** Where the debugger stands on entry: the first statement of the file (line 1 when there is none). */
  entryLine: number;
}

export type LoadResult = { ok: true; recording: Recording } | { ok: false; message: string };

export interface RecordOptions {
  /** Seed of the run (default: the engine's, 1). */
  seed?: number | undefined;
}

/**
 * What the debugger may keep of one recording, in snapshot units: one per cache entry, queue entry, log entry, dead
 * letter and row, plus 16 for the metrics and the rest (measured: about 140 bytes a unit, so some 140 MB in all), and
 * more for what grows inside them: a value's text, a queue entry's or dead letter's list of writes.
 */
export const RECORDING_BUDGET = 1_000_000;

/** Characters of a value's text, and write ids of a list, that make one more unit (about 140 bytes). */
const CHARS_PER_UNIT = 140;
const WRITES_PER_UNIT = 16;

/** A snapshot's size in units of RECORDING_BUDGET. */
function snapshotWeight(s: EngineSnapshot): number {
  let n = 16;
  for (const row of s.db) n += 1 + valueUnits(row.value);
  for (const node of s.nodes) {
    n += node.wal.length;
    for (const e of node.entries) n += 1 + valueUnits(e.value);
    for (const e of node.queue) n += 1 + valueUnits(e.value) + Math.floor(e.writes.length / WRITES_PER_UNIT);
    for (const d of node.deadLetters) n += 1 + Math.floor(d.writes.length / WRITES_PER_UNIT);
  }
  return n;
}

/** The units a value adds beyond its entry's own: nothing for a number or a short text, one per 140 characters. */
function valueUnits(v: Json | undefined): number {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return 0;
  const chars = typeof v === 'string' ? v.length : JSON.stringify(v).length;
  return Math.floor(chars / CHARS_PER_UNIT);
}

/**
 * Parses and runs a scenario, snapshotting the engine after every trace step. Parse errors fail the load, each error
 * diagnostic as `file:line:col: message` on a line of its own; a run that outgrows RECORDING_BUDGET, or cannot start, fails
 * it too.
 */
export function recordScenario(path: string, text: string, options: RecordOptions = {}): LoadResult {
  const program = parseScenario(text);
  const errors = program.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, message: parseErrorsText(path, errors) };
  const engineOptions = optionsFromProgram(program);
  if (options.seed !== undefined) engineOptions.seed = options.seed;
  // Checkpoints are kept raw until the run ends: a metric expectation in the closing block is judged on the final metrics.
  const recorded: ({ step: TraceStep; snapshot: EngineSnapshot; opsIssued: number } | { checkpoint: Checkpoint; time: number; seq: number; snapshot: EngineSnapshot; opsIssued: number })[] = [];
  let lastSeq = 0;
  let result: ScenarioResult;
  // The recording keeps the whole state at every step: its size is bounded, and a run that outgrows it is stopped.
  let weight = 0;
  let tooLarge = false;
  const keep = (snapshot: EngineSnapshot, engine: Engine): EngineSnapshot => {
    weight += snapshotWeight(snapshot);
    if (weight > RECORDING_BUDGET && !tooLarge) {
      tooLarge = true;
      engine.sched.halt();
    }
    return snapshot;
  };
  try {
    result = runProgram(program, {
      trace: true,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      // structuredClone: a snapshot must not share a single object with the live engine, or a later step could change it.
      // Once over the budget nothing more is copied: the halt stops the run at its next event, but the steps of the
      // current one (a long run of `load` lines, say) still come here.
      onStep: (step, engine) => {
        if (tooLarge) return;
        lastSeq = step.seq;
        recorded.push({ step: structuredClone(step), snapshot: keep(structuredClone(engine.snapshot()), engine), opsIssued: engine.opsIssued });
      },
      onCheckpoint: (checkpoint, engine) => {
        if (!tooLarge) recorded.push({ checkpoint, time: engine.now, seq: lastSeq, snapshot: keep(structuredClone(engine.snapshot()), engine), opsIssued: engine.opsIssued });
      },
    });
  } catch (e) {
    return { ok: false, message: `${path}:1:1: the scenario could not run: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (tooLarge) {
    // The halt ends the run with the runner's error, on the statement the run was on when it stopped; rows that were
    // still loading (a long run of `load` lines) blame the last one kept.
    const lastKept = recorded.at(-1);
    const loading = lastKept !== undefined && 'step' in lastKept && lastKept.step.action === 'db.write' && lastKept.step.op === null;
    const line = (loading ? lastKept.step.line : undefined) ?? result.errors.at(-1)?.line ?? 1;
    return {
      ok: false,
      message:
        `${path}:${line}:1: too large to step through: after ${lastSeq.toLocaleString('en-US')} steps (${fmt(result.steps.at(-1)?.time ?? 0)} of virtual time) ` +
        'the recording outgrew what the debugger keeps in memory (the whole state at every step). Run it with Run Scenario, or step through a shorter scenario.',
    };
  }
  // A run that could not start has nothing to step through.
  const why = result.errors[0];
  if (!result.started && why) return { ok: false, message: `${path}:${why.line}:1: ${why.message}` };
  const done = result;
  const positions = recorded.map((r): Omit<RecordedStep, 'line' | 'statementStart'> => {
    if ('step' in r) return r;
    const c = r.checkpoint;
    const deferred = c.kind === 'expect' && c.verdict === undefined;
    const verdict = deferred ? done.expectations.find((x) => x.line === c.line) : c.verdict;
    return { step: checkpointStep(c, verdict, deferred, r.time, r.seq, program), snapshot: r.snapshot, check: { kind: c.kind, verdict, deferred }, opsIssued: r.opsIssued };
  });
  const entryLine = program.statements[0]?.span.line ?? 1;
  const shown = displayLines(positions.map((r) => r.step), result, entryLine);
  const seen = new Set<number>();
  const steps = positions.map((r, i): RecordedStep => {
    const line = shown[i] ?? entryLine;
    // An `advance` line's checkpoint (the clock arrived) is a Step Over stop of its own, also after the background
    // steps the line shows first (a flush during the advance): Step Over reached it only by Step Into before (found by
    // an audit of the debugger; README: "an advance stop shows the state when the clock gets there").
    const statementStart = !seen.has(line) || r.check?.kind === 'advance';
    seen.add(line);
    return { ...r, line, statementStart };
  });
  return {
    ok: true,
    recording: {
      path,
      lines: splitLines(text),
      program,
      options: engineOptions,
      result,
      initial: structuredClone(new Engine(engineOptions).snapshot()),
      steps,
      entryLine,
    },
  };
}

/** How many parse errors a failed load lists, one a line; the rest are counted. */
const LISTED_PARSE_ERRORS = 10;

/**
 * A scenario's parse errors as `file:line:col: message`, one a line, so one launch names every line to fix (the first
 * line alone is what it said before there were several).
 */
function parseErrorsText(path: string, errors: readonly { line: number; column: number; message: string }[]): string {
  const lines = errors.slice(0, LISTED_PARSE_ERRORS).map((e) => `${path}:${e.line}:${e.column}: ${e.message}`);
  const rest = errors.length - LISTED_PARSE_ERRORS;
  if (rest > 0) lines.push(`(and ${plural(rest, 'more error')}, from line ${(errors[LISTED_PARSE_ERRORS] as { line: number }).line} on)`);
  return lines.join('\n');
}

/**
 * The line shown for each step. Background steps (line null) go to the statement most recently started before them:
 * statements start at their timeline start (operations, `advance`, faults, expectations) or at their first step
 * (loads, faults placed with `at`). Of statements that start in the same instant as a background step, only those
 * already seen in the recording before it had started (an eviction caused by a write shows at the write, not at the
 * read that starts in the same millisecond, after it); among those, the one seen first started first.
 */
export function displayLines(steps: readonly TraceStep[], result: Pick<ScenarioResult, 'timeline'>, entryLine: number): number[] {
  const starts = new Map<number, number>();
  for (const t of result.timeline) starts.set(t.line, Math.min(t.start, starts.get(t.line) ?? Infinity));
  for (const s of steps) if (s.line !== null && !starts.has(s.line)) starts.set(s.line, s.time);
  // Where each statement first shows in the recording (a checkpoint counts): of statements that start in the same
  // instant, one whose first position comes after a background step had not started yet when that step ran.
  const firstAt = new Map<number, number>();
  steps.forEach((s, i) => {
    if (s.line !== null && !firstAt.has(s.line)) firstAt.set(s.line, i);
  });
  const ordered = [...starts]
    .map(([line, start]) => ({ line, start, first: firstAt.get(line) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.start - b.start || a.first - b.first || a.line - b.line);
  return steps.map((s, i) => {
    if (s.line !== null) return s.line;
    let line = entryLine;
    for (const o of ordered) {
      if (o.start > s.time) break;
      // Started in this same instant but not yet at this point of the run: a later statement.
      if (o.start === s.time && o.first > i) continue;
      line = o.line;
    }
    return line;
  });
}

/** An expectation's verdict in words: `holds: …` or `FAILS: …`. */
function verdictText(v: ExpectationResult | undefined): string {
  return v === undefined ? 'not judged (the run stopped first)' : `${v.ok ? 'holds' : 'FAILS'}: ${v.message}`;
}

/**
 * The step a checkpoint is shown as (never part of the trace): it keeps the seq of the last real step, so views that
 * follow the debugger stay on that hop.
 */
function checkpointStep(c: Checkpoint, verdict: ExpectationResult | undefined, deferred: boolean, now: number, lastSeq: number, program: Program): TraceStep {
  const stmt = program.statements.find((s) => s.span.line === c.line);
  const exp = stmt?.kind === 'expect' ? stmt.expectation : undefined;
  const key = exp && (exp.kind === 'db' || exp.kind === 'cache') ? exp.key : null;
  const ok = verdict?.ok ?? true;
  let note: string;
  if (c.kind === 'advance') note = `${fmt(now - c.start)} of virtual time passed: the clock is at ${fmt(now)}`;
  else note = `${deferred ? 'judged on the final metrics when the run ends: ' : ''}${verdictText(verdict)}`;
  return {
    seq: lastSeq,
    time: now,
    durationMs: c.kind === 'advance' ? now - c.start : 0,
    line: c.line,
    client: null,
    op: null,
    from: 'scenario',
    to: 'scenario',
    action: c.kind,
    key,
    outcome: ok ? 'ok' : 'error',
    note,
  };
}

// ------------------------------------------------------------------------------------------------ navigation

/** Index of the end of the trace: a position after the last step, where the final state and the verdicts show. */
export function endIndex(rec: Recording): number {
  return rec.steps.length;
}

/** Step Over: the first step of the next statement to start, in execution order. */
export function nextStatementIndex(rec: Recording, from: number): number {
  for (let i = Math.max(from + 1, 0); i < rec.steps.length; i++) if (rec.steps[i]?.statementStart) return i;
  return endIndex(rec);
}

/**
 * Step Out: the end of what the current step belongs to. For a client operation, its ack or error (or, once past
 * it, the operation's last step, such as write-around's invalidation); for a fault or background work, the last of
 * the consecutive steps of that kind at the same moment. When there is nothing further to finish, the next statement.
 */
export function stepOutIndex(rec: Recording, from: number): number {
  const cur = rec.steps[from];
  if (!cur) return nextStatementIndex(rec, from);
  const { step } = cur;
  if (step.op !== null) {
    let last = -1;
    for (let i = from + 1; i < rec.steps.length; i++) {
      const s = (rec.steps[i] as RecordedStep).step;
      if (s.op !== step.op) continue;
      if (s.action === 'ack' || s.action === 'error') return i;
      last = i;
    }
    return last > from ? last : nextStatementIndex(rec, from);
  }
  let end = from;
  for (let i = from + 1; i < rec.steps.length; i++) {
    const r = rec.steps[i] as RecordedStep;
    if (r.step.op !== null || r.step.time !== step.time || r.line !== cur.line) break;
    end = i;
  }
  return end > from ? end : nextStatementIndex(rec, from);
}

// ------------------------------------------------------------------------------------------------ expressions

/** What an expression or a condition reads: the engine state at one position. */
export interface EvalState {
  snapshot: EngineSnapshot;
}

export type ExprValue = Json | undefined;

export interface CompiledExpression {
  readonly source: string;
  /** True when the expression yields true/false (a comparison or a logical combination). */
  readonly isCondition: boolean;
  /** True when it yields a key's summary (a bare key or `key NAME`): text to show as it is. */
  readonly isSummary: boolean;
  evaluate(state: EvalState): ExprValue;
}

export type CompileResult = { ok: true; expr: CompiledExpression } | { ok: false; message: string };

export interface CompileContext {
  /** Cache nodes of the scenario, to check `nodeN` up front. */
  nodes: number;
  /** Keys a bare word may name (`product:1` = everything about this key, for hover and the Debug Console). */
  keys?: ReadonlySet<string>;
}

type Tok = { kind: 'word' | 'json' | 'op' | '(' | ')' | 'and' | 'or' | 'not' | 'end'; text: string; col: number };

type CmpOp = '==' | '!=' | '<=' | '>=' | '<' | '>';
const WORD_RE = /[A-Za-z0-9:_\-./+]+/y;
const KEY_RE = /^[A-Za-z0-9:_\-./]+$/;
const NODE_RE = /^node([1-9]\d*)$/;
const KEYWORDS = ['db', 'cache', 'key', 'metric', 'queue.length', 'time', 'via', 'missing', 'and', 'or', 'not', 'true', 'false', 'null'];

class ExprError extends Error {}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const col = i + 1;
    if (c === '{' || c === '[' || c === '"') {
      const end = scanJson(src, i);
      out.push({ kind: 'json', text: src.slice(i, end), col });
      i = end;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', text: two, col });
      i += 2;
      continue;
    }
    if (two === '&&' || two === '||') {
      out.push({ kind: two === '&&' ? 'and' : 'or', text: two, col });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>') {
      out.push({ kind: 'op', text: c, col });
      i++;
      continue;
    }
    if (c === '!' || c === '(' || c === ')') {
      out.push({ kind: c === '!' ? 'not' : c, text: c, col });
      i++;
      continue;
    }
    if (c === '=') throw new ExprError(`column ${col}: use == to compare, not =`);
    WORD_RE.lastIndex = i;
    const m = WORD_RE.exec(src);
    if (!m) throw new ExprError(`column ${col}: unexpected character ${JSON.stringify(c)}`);
    const word = m[0];
    const kind = word === 'and' ? 'and' : word === 'or' ? 'or' : word === 'not' ? 'not' : 'word';
    out.push({ kind, text: word, col });
    i += word.length;
  }
  out.push({ kind: 'end', text: '', col: src.length + 1 });
  return out;
}

/** End offset of the JSON literal starting at `start` (strings and nested brackets balanced). */
function scanJson(src: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new ExprError(`column ${start + 1}: the JSON value is not closed`);
}

/** A node of the compiled expression: a function of the state, plus whether it yields a truth value. */
interface Node {
  bool: boolean;
  /** Describes the operand in messages. */
  label: string;
  /** Yields a key's one-line summary (a bare key, `key NAME`): shown as it is, not as JSON. */
  summary?: boolean;
  run(state: EvalState): ExprValue;
}

/** How deep `(` and `not` may nest in an expression (the parser recurses on each). */
const MAX_NESTING = 64;

class ExprParser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly ctx: CompileContext,
  ) {}

  private peek(): Tok {
    return this.toks[this.pos] as Tok;
  }

  private take(): Tok {
    const t = this.toks[this.pos] as Tok;
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  parseAll(): Node {
    const n = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new ExprError(`column ${t.col}: unexpected ${show(t.text)} after ${n.label}`);
    return n;
  }

  private or(): Node {
    let left = this.and();
    while (this.peek().kind === 'or') {
      const t = this.take();
      const right = this.and();
      this.needBool(left, t);
      this.needBool(right, t);
      const a = left;
      left = { bool: true, label: `${a.label} or ${right.label}`, run: (s) => a.run(s) === true || right.run(s) === true };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.peek().kind === 'and') {
      const t = this.take();
      const right = this.not();
      this.needBool(left, t);
      this.needBool(right, t);
      const a = left;
      left = { bool: true, label: `${a.label} and ${right.label}`, run: (s) => a.run(s) === true && right.run(s) === true };
    }
    return left;
  }

  /** One level deeper (a `(` or a `not`), refused past MAX_NESTING before the recursion could exhaust the stack. */
  private deeper(t: Tok): void {
    if (++this.depth > MAX_NESTING) throw new ExprError(`column ${t.col}: the expression nests too deeply (more than ${MAX_NESTING} levels of ( and not)`);
  }

  private not(): Node {
    if (this.peek().kind === 'not') {
      const t = this.take();
      this.deeper(t);
      const inner = this.not();
      this.depth--;
      this.needBool(inner, t);
      return { bool: true, label: `not ${inner.label}`, run: (s) => inner.run(s) !== true };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'word' && t.text === 'missing') {
      this.take();
      return { bool: true, label: `${left.label} missing`, run: (s) => left.run(s) === undefined };
    }
    if (t.kind !== 'op') return left;
    this.take();
    const op = t.text as CmpOp;
    const right = this.operand();
    if (left.bool || right.bool) {
      if (op !== '==' && op !== '!=') throw new ExprError(`column ${t.col}: ${op} compares numbers, not true/false`);
    }
    const label = `${left.label} ${op} ${right.label}`;
    return { bool: true, label, run: (s) => compareValues(left.run(s), op, right.run(s)) };
  }

  private needBool(n: Node, at: Tok): void {
    if (!n.bool) throw new ExprError(`column ${at.col}: ${show(at.text)} joins conditions, but ${n.label} is a value; compare it, e.g. ${n.label} > 0`);
  }

  private operand(): Node {
    const t = this.take();
    switch (t.kind) {
      case '(': {
        this.deeper(t);
        const inner = this.or();
        this.depth--;
        const close = this.take();
        if (close.kind !== ')') throw new ExprError(`column ${close.col}: expected ) to close the ( at column ${t.col}`);
        return { ...inner, label: `(${inner.label})`, summary: false };
      }
      case 'json': {
        const r = parseJsonLiteral(t.text);
        if (!r.ok) throw new ExprError(`column ${t.col}: ${t.text} is not valid JSON (${r.reason})`);
        return literal(r.value, t.text);
      }
      case 'word':
        return this.word(t);
      case 'end':
        throw new ExprError(this.pos <= 1 && this.toks.length <= 1 ? 'the expression is empty' : 'the expression ends too early: a value is missing');
      default:
        throw new ExprError(`column ${t.col}: expected a value, got ${show(t.text)}`);
    }
  }

  private word(t: Tok): Node {
    const w = t.text;
    switch (w) {
      case 'db': {
        const key = this.key('db');
        return { bool: false, label: `db ${key}`, run: (s) => s.snapshot.db.find((r) => r.key === key)?.value };
      }
      case 'cache': {
        const key = this.key('cache');
        let node = 1;
        if (this.peek().kind === 'word' && this.peek().text === 'via') {
          this.take();
          node = this.node(this.take());
        }
        const label = node === 1 ? `cache ${key}` : `cache ${key} via node${node}`;
        return { bool: false, label, run: (s) => s.snapshot.nodes[node - 1]?.entries.find((e) => e.key === key)?.value };
      }
      case 'key': {
        // Any key at all, named after `key`: one that reads as a number, a duration, a metric or a keyword too
        // (`key 42`, `key 5s`, `key reads`, `key time`, `key and`). Hovering a key evaluates this form.
        const k = this.take();
        if ((k.kind !== 'word' && k.kind !== 'and' && k.kind !== 'or' && k.kind !== 'not') || !KEY_RE.test(k.text)) {
          throw new ExprError(`column ${k.col}: expected a key after key, e.g. key product:1`);
        }
        const name = k.text;
        return { bool: false, label: `key ${name}`, summary: true, run: (s) => keySummary(s.snapshot, name) };
      }
      case 'metric': {
        const n = this.take();
        if (n.kind !== 'word') throw new ExprError(`column ${n.col}: expected a metric name after metric, e.g. metric lostWrites`);
        return this.metric(n);
      }
      case 'queue.length': {
        let node: number | undefined;
        if (this.peek().kind === '(') {
          this.take();
          node = this.node(this.take());
          const close = this.take();
          if (close.kind !== ')') throw new ExprError(`column ${close.col}: expected ) after queue.length(node${node}`);
        }
        const label = node === undefined ? 'queue.length' : `queue.length(node${node})`;
        return {
          bool: false,
          label,
          run: (s) => (node === undefined ? s.snapshot.nodes.reduce((n, x) => n + x.queue.length, 0) : (s.snapshot.nodes[node - 1]?.queue.length ?? 0)),
        };
      }
      case 'time':
        return { bool: false, label: 'time', run: (s) => s.snapshot.time };
      case 'true':
      case 'false':
      case 'null':
        return literal(JSON.parse(w) as Json, w);
      default:
        break;
    }
    const n = parseNumber(w) ?? parseDuration(w);
    if (n !== undefined) return literal(n, w);
    if (EXPECT_METRIC_NAMES.includes(w)) return this.metric(t);
    if (this.ctx.keys?.has(w)) {
      return { bool: false, label: w, summary: true, run: (s) => keySummary(s.snapshot, w) };
    }
    // A keyword that only follows an operand (found by an audit of the debugger: `db k == missing` answered "did you
    // mean missing?").
    if (w === 'missing') throw new ExprError(`column ${t.col}: missing is not a value to compare with; it follows what it tests, as in db order:1 missing or cache order:1 missing`);
    if (w === 'via') throw new ExprError(`column ${t.col}: via is not a value; it names a node after a cache operand, as in cache order:1 via node2`);
    throw new ExprError(`column ${t.col}: unknown name ${show(w)}${unknownNameEnding(w, [...EXPECT_METRIC_NAMES, ...KEYWORDS])}`);
  }

  private metric(t: Tok): Node {
    const name = t.text;
    if (!EXPECT_METRIC_NAMES.includes(name)) {
      throw new ExprError(`column ${t.col}: unknown metric ${show(name)}${unknownNameEnding(name, EXPECT_METRIC_NAMES)}`);
    }
    return { bool: false, label: name, run: (s) => metricValue(s.snapshot.metrics, name) };
  }

  /**
   * The key after `db` or `cache`: a key is always what comes there, so one named like a keyword (`db and`, `cache or`:
   * the Variables view's evaluateName of such a row or entry) is that key, as after `key`.
   */
  private key(after: string): string {
    const t = this.take();
    if ((t.kind !== 'word' && t.kind !== 'and' && t.kind !== 'or' && t.kind !== 'not') || !KEY_RE.test(t.text)) {
      throw new ExprError(`column ${t.col}: expected a key after ${after}, e.g. ${after} product:1`);
    }
    return t.text;
  }

  private node(t: Tok): number {
    const m = t.kind === 'word' ? NODE_RE.exec(t.text) : null;
    if (!m) throw new ExprError(`column ${t.col}: expected a cache node like node1, got ${show(t.text)}`);
    const n = Number(m[1]);
    if (n > this.ctx.nodes) throw new ExprError(`column ${t.col}: node${n} does not exist: the scenario has ${this.ctx.nodes} cache node${this.ctx.nodes === 1 ? '' : 's'}`);
    return n;
  }
}

function literal(value: Json, text: string): Node {
  return { bool: typeof value === 'boolean', label: text, run: () => value };
}

/** Equality compares JSON values; ordering only numbers, with the runner's own operator semantics. */
function compareValues(a: ExprValue, op: CmpOp, b: ExprValue): boolean {
  if (op === '==') return jsonEqual(a, b);
  if (op === '!=') return !jsonEqual(a, b);
  return typeof a === 'number' && typeof b === 'number' && compare(a, op, b);
}

/** Compiles a Debug Console / watch / hover expression, or a breakpoint condition. Never throws. */
export function compileExpression(source: string, ctx: CompileContext): CompileResult {
  try {
    const node = new ExprParser(tokenize(source.trim()), ctx).parseAll();
    return { ok: true, expr: { source, isCondition: node.bool, isSummary: node.summary === true, evaluate: (s) => node.run(s) } };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, message: e.message };
    throw e;
  }
}

/** Compiles a breakpoint condition: an expression that yields true or false. */
export function compileCondition(source: string, ctx: CompileContext): CompileResult {
  const r = compileExpression(source, { nodes: ctx.nodes });
  if (!r.ok) return { ok: false, message: `bad condition ${show(source)}: ${sentence(r.message)} ${CONDITION_HELP}` };
  if (!r.expr.isCondition) return { ok: false, message: `bad condition ${show(source)}: it is a value, not true/false; compare it, e.g. ${source.trim()} > 0. ${CONDITION_HELP}` };
  return r;
}

export const CONDITION_HELP =
  'Conditions compare metrics and state: lostWrites > 0, staleReads >= 1, writeLatencyMs.p99 > 10, queue.length >= 3, ' +
  'queue.length(node2) > 0, db product:1 == {"price":12}, cache product:1 via node2 missing, time >= 60s; combine them with and, or, not.';

export const EVALUATE_HELP = [
  'Expressions the Debug Console understands:',
  '  db KEY                  the database row, e.g. db product:1',
  '  cache KEY [via nodeN]   a cache entry, e.g. cache product:1 via node2',
  '  metric NAME             a metric, e.g. metric lostWrites or metric writeLatencyMs.p99',
  '  queue [nodeN]           the write-behind queue',
  '  time                    the virtual clock',
  '  key KEY                 everything about one key, whatever its name: key 42, key time, key reads',
  '  KEY                     the same, for a key that is not also a number, a duration, a metric or a word above',
  '  a condition             e.g. lostWrites > 0, queue.length(node2) >= 3, db product:1 == {"price":12}, time >= 60s',
].join('\n');

function sentence(s: string): string {
  return /[.?!]$/.test(s) ? s : `${s}.`;
}

/**
 * How an unknown name's message ends: why a percentile above 100 does not exist, else the kept percentile nearest to
 * one not kept, else a name it looks like, else nothing.
 */
function unknownNameEnding(name: string, candidates: readonly string[]): string {
  const tooLarge = percentileTooLarge(name);
  if (tooLarge !== undefined) return `: ${tooLarge}`;
  const hint = percentileMeant(name) ?? didYouMean(name, candidates);
  return hint ? `; did you mean ${hint}?` : '';
}

/** A word of the user's, quoted for a message (a very long one clipped). */
function show(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

function json(v: Json | undefined): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

/** One line about a key everywhere it lives: the database row and every cache node's entry. */
function keySummary(snap: EngineSnapshot, key: string): string {
  const row = snap.db.find((r) => r.key === key);
  const parts = [`db ${row ? `${json(row.value)} (write #${row.version})` : 'missing'}`];
  for (const n of snap.nodes) {
    const e = n.entries.find((x) => x.key === key);
    parts.push(`${n.name} ${!n.up ? 'down' : e ? `${json(e.value)} (write #${e.version})` : 'missing'}`);
    const q = n.queue.filter((x) => x.key === key);
    if (q.length > 0) parts.push(`${n.name}/queue ${q.length} pending`);
  }
  return parts.join(' · ');
}

// ------------------------------------------------------------------------------------------------ breakpoints

export interface BreakpointSpec {
  line: number;
  condition?: string | undefined;
  /** How many hits to wait for: `3` (the third only), `>= 3`, `> 3`, `== 3`, `< 3`, `<= 3`, `% 3` (every third). */
  hitCondition?: string | undefined;
  /** Set for a logpoint: the text to write, `{expression}` parts evaluated there; it never stops. */
  logMessage?: string | undefined;
}

export interface BreakpointState {
  id: number;
  /** Line the breakpoint was set on. */
  requestedLine: number;
  /** Line it stops at: the requested line, or the next line where a step is shown. */
  line: number;
  verified: boolean;
  message?: string | undefined;
  condition?: string | undefined;
  hitCondition?: string | undefined;
  logMessage?: string | undefined;
}

interface ActiveBreakpoint {
  state: BreakpointState;
  compiled: CompiledExpression | undefined;
  /** The hit condition, as a test of the hit's number (1 = the first hit from the start of the trace). */
  hitTest: ((n: number) => boolean) | undefined;
  /** Every position where it is hit, ascending; worked out the first time a hit count needs it. */
  hits: number[] | undefined;
}

/** What a hit count may be, short enough for the Breakpoints view (it cuts a long message off). */
export const HIT_CONDITION_HELP = 'use 3 (the third hit), >= 3, > 3, < 3, <= 3 or % 3 (every third)';

/** What a hit is, for the Debug Console line that repeats a hit count's problem. */
const HIT_COUNT_NOTE = 'A hit is a visit to the line (with a condition, a visit where it holds), counted from the start of the trace.';

const HIT_CONDITION_RE = /^(>=|<=|===|==|=|>|<|%)?\s*(\d+)$/;

/**
 * Parses a hit condition the way VS Code's JavaScript debugger does (`N`, `>= N`, `> N`, `== N`, `< N`, `<= N`,
 * `% N`; `=` and `===` mean `==`), into a test of the hit's number. A bare `N` is `== N`: stop at the N-th hit.
 */
export function parseHitCondition(source: string): { ok: true; test: (n: number) => boolean } | { ok: false; message: string } {
  const bad = (why: string) => ({ ok: false as const, message: `bad hit count ${show(source)}: ${why}` });
  const m = HIT_CONDITION_RE.exec(source.trim());
  if (!m) return bad(HIT_CONDITION_HELP);
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) return bad('the number is too large');
  switch (m[1] ?? '==') {
    case '>=':
      return { ok: true, test: (k) => k >= n };
    case '>':
      return { ok: true, test: (k) => k > n };
    case '<':
      return n <= 1 ? bad('it would never stop: hits count from 1') : { ok: true, test: (k) => k < n };
    case '<=':
      return n < 1 ? bad('it would never stop: hits count from 1') : { ok: true, test: (k) => k <= n };
    case '%':
      return n < 1 ? bad('% 0 divides by zero; % 1 stops at every hit') : { ok: true, test: (k) => k % n === 0 };
    default:
      return n < 1 ? bad('it would never stop: hits count from 1') : { ok: true, test: (k) => k === n };
  }
}

/** Why a hit count never fires: `line 13 runs once in this scenario: hit count 2 never fires`. */
function neverFires(line: number, hits: number, conditional: boolean, hitCondition: string): string {
  const times = hits === 1 ? 'once' : hits === 2 ? 'twice' : `${hits} times`;
  const why = !conditional
    ? `line ${line} runs ${times} in this scenario`
    : hits === 0
      ? `the condition never holds on line ${line}`
      : `the condition holds on ${hits === 1 ? 'one visit' : `${hits} visits`} to line ${line}`;
  return `${why}: hit count ${hitCondition} never fires`;
}

/**
 * A logpoint's text with each `{expression}` replaced by what `evaluate` gives there; one that cannot be evaluated
 * shows its error in place (`{db: expected a key after db, e.g. db product:1}`). A `{` without its `}` stays as is.
 */
export function interpolateLogMessage(template: string, evaluate: (expression: string) => EvaluateResult): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = closingBrace(template, open);
    if (close < 0) break;
    out += template.slice(i, open);
    const expression = template.slice(open + 1, close);
    const r = evaluate(expression);
    out += r.ok ? r.result : `{${expression.trim()}: ${r.message.split('\n')[0] ?? ''}}`;
    i = close + 1;
  }
  return out + template.slice(i);
}

/**
 * Offset of the `}` that closes the `{` at `open` (brackets inside JSON strings and nested values skipped, as
 * `scanJson` scans a literal), or -1 when it is never closed.
 */
function closingBrace(s: string, open: number): number {
  try {
    return scanJson(s, open) - 1;
  } catch {
    return -1;
  }
}

// ------------------------------------------------------------------------------------------------ the runtime

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'pause' | 'exception' | 'data breakpoint' | 'goto';

/** A place Jump to Cursor can go: the first step of one visit to a line (DAP's GotoTarget; `id` is that index + 1). */
export interface GotoTarget {
  id: number;
  label: string;
  line: number;
}

/** A data breakpoint as set (setDataBreakpoints): the dataId dataBreakpointInfo gave out, and an optional condition. */
export interface DataBreakpointSpec {
  dataId: string;
  condition?: string | undefined;
  hitCondition?: string | undefined;
  accessType?: string | undefined;
}

/** A data breakpoint's answer: verified, or not with why. */
export interface DataBreakpointState {
  id: number;
  verified: boolean;
  message?: string | undefined;
}

/** A variable of the Variables view the debugger watches for a change of value (Break on Value Change). */
interface DataBreakpoint {
  /** As set: checked again when a scenario loads (it may have been set before). */
  spec: DataBreakpointSpec;
  state: DataBreakpointState;
  /** The scope or variable that lists it (a variables() path), and its name there. */
  parent: string[];
  name: string;
  /** How the stop names it: `db product:1`, `metrics lostWrites`. */
  label: string;
  compiled: CompiledExpression | undefined;
  /** Its hit count's test, if it has one: which hits (changes where the condition holds, counted from the start) stop. */
  hitTest: ((n: number) => boolean) | undefined;
  /** Every position where its value differs from the position before, ascending; worked out when first needed. */
  changes: number[] | undefined;
  /** The changes where its condition holds, ascending: its hits (with a hit count, worked out when first needed). */
  hits: number[] | undefined;
}

/** What a watched variable reads while it does not exist: a row not written yet, an entry not cached (or gone). */
function absent(root: string | undefined): string {
  return root === 'db' ? '(no row)' : root === 'cache' ? '(not cached)' : '(not there)';
}

/**
 * The name of the database's own status (up or down) under Database: the rows are named by their keys, and no key can
 * hold a parenthesis, so a row keyed `status` keeps a name of its own.
 */
export const DB_STATUS = '(status)';

/** Why the variable `name` under `parent` cannot be watched for a change of value, or undefined when it can. */
function unwatchable(parent: readonly string[], name: string): string | undefined {
  const root = parent[0];
  if (root === 'clock') return 'the clock changes at every step: step with F11 (Step Into) instead';
  // An entry's fields sit under ['cache', node, key]; one level up, `ttlLeft` is a key like any other.
  if (root === 'cache' && parent.length === 3 && name === 'ttlLeft') return "the TTL left changes as the clock moves: watch the entry's value instead";
  if (root === 'queue' && parent.length > 1) {
    const node = parent[1] ?? '';
    const instead = `watch ${node}'s row under Write-behind queue instead`;
    if (parent.length === 2) return `${node}'s row under Write-behind queue counts its pending, lost and dead-letter writes: ${instead}`;
    if (parent[2] === 'pending') return `queue entries age at every step: ${instead}`;
    return `${node}'s row under Write-behind queue counts its ${parent[2] === 'lost' ? 'lost writes' : 'dead letters'}: ${instead}`;
  }
  if (root !== 'db' && root !== 'cache' && root !== 'metrics' && root !== 'queue') return `${show(name)} is not a variable of a scope this debugger shows`;
  return undefined;
}

const ROW_FIELDS = ['value', 'write', 'rowVersion'];
const ENTRY_FIELDS = ['value', 'write', 'unreadWrite'];
const LATENCY_FIELDS = ['p50', 'p95', 'p99', 'max', 'mean'] as const;

/**
 * Why a watchable path names nothing this scenario can ever show (a node it does not have, a metric or a field that
 * does not exist, a key no step touches), or undefined. A row or an entry not there yet is fine: it may appear later.
 * A dataId comes back from another session when a client keeps data breakpoints, so it is checked against the
 * scenario loaded.
 */
function notInScenario(rec: Recording, path: readonly string[]): string | undefined {
  const [root, a, b, c] = path;
  const nodes = rec.options.cache.nodes;
  const node = (name: string | undefined): string | undefined => {
    const m = NODE_RE.exec(name ?? '');
    if (m && Number(m[1]) <= nodes) return undefined;
    return `there is no ${show(name ?? '')} in this scenario: it has ${nodes === 1 ? '1 cache node (node1)' : `${nodes} cache nodes (node1 to node${nodes})`}`;
  };
  const field = (f: string | undefined, fields: readonly string[], of: string): string | undefined =>
    f === undefined || fields.includes(f) ? undefined : `${show(f)} is not a field of ${of}: it has ${fields.join(', ')}`;
  // A key no step of the run touches never has a row or an entry to change (a data breakpoint kept from a session of
  // another scenario, say): refused, where a key the run reaches later is fine.
  const unused = (key: string | undefined): string | undefined =>
    key === undefined || rec.result.steps.some((s) => s.key === key) ? undefined : `no step of this scenario touches the key ${show(key)}: nothing loads, writes or reads it`;
  switch (root) {
    case 'db':
      if (a === DB_STATUS) return path.length === 2 ? undefined : 'the database status has no fields';
      return path.length > 3 ? 'a row has no deeper fields' : (field(b, ROW_FIELDS, 'a row') ?? unused(a));
    case 'cache':
      return node(a) ?? (path.length > 4 ? 'a cache entry has no deeper fields' : (field(c, ENTRY_FIELDS, 'a cache entry') ?? unused(b)));
    case 'queue':
      return node(a);
    case 'metrics': {
      const m = rec.initial.metrics as unknown as Record<string, unknown>;
      if (a === undefined || !(METRIC_NAMES as readonly string[]).includes(a)) return `${show(a ?? '')} is not a metric: the metrics are ${METRIC_NAMES.join(', ')}`;
      if (b === undefined) return undefined;
      if (typeof m[a] === 'number') return `metric ${a} is a number, with no fields`;
      return path.length > 3 ? 'a latency has no deeper fields' : field(b, LATENCY_FIELDS, `metric ${a}`);
    }
    default:
      return undefined;
  }
}

/**
 * How a watched variable is named, as the Debug Console's expressions name it: `db product:1`, `cache product:1 via
 * node2`, `metric lostWrites`, `metric writeLatencyMs.p99`, `queue node1`; a field of a row or an entry after it in
 * parentheses (`db product:1 (value)`).
 */
function watchLabel(parent: readonly string[], name: string): string {
  const [root, a, b] = [...parent, name];
  const field = parent.length >= 3 || (root === 'db' && parent.length === 2) ? ` (${name})` : '';
  switch (root) {
    case 'db':
      return a === DB_STATUS && parent.length === 1 ? 'database status' : `db ${a ?? ''}${field}`;
    case 'cache':
      return b === undefined ? `cache ${a ?? ''}` : `cache ${b} via ${a ?? ''}${parent.length >= 3 ? ` (${name})` : ''}`;
    case 'metrics':
      return `metric ${parent.length === 2 ? `${a ?? ''}.${name}` : name}`;
    default:
      return [...parent, name].join(' ');
  }
}

/** A cache entry's row shows its TTL left, which moves with the clock: watched without it. */
function withoutTtl(value: string): string {
  return value.replace(/, [^,()]+ left\)$/, ')');
}

/**
 * What can go wrong in a run, offered as the debugger's exception filters (checkboxes in VS Code's Breakpoints view):
 * with one on, Continue and Reverse Continue stop where it happens, and the stop shows what happened as an exception.
 */
export const ANOMALY_FILTERS = [
  { filter: 'stale', label: 'Stale reads', exceptionId: 'Stale read', description: 'Stop where a read returns a value older than a write already acknowledged' },
  {
    filter: 'dirty',
    label: 'Dirty reads',
    exceptionId: 'Dirty read',
    description: "Stop where a read returns a write still in progress whose commit then fails, a value no store keeps (write-through's window between the cache update and the commit)",
  },
  {
    filter: 'lost',
    label: 'Lost writes',
    exceptionId: 'Lost writes',
    description: 'Stop where acknowledged writes are lost: a crash empties a write-behind queue, a failed batch has no owner, or a write goes to the dead-letter queue',
  },
  {
    filter: 'duplicate',
    label: 'Writes applied twice',
    exceptionId: 'Applied twice',
    description: 'Stop where the database applies writes a second time: a write-behind batch sent again after its reply was lost (at-least-once delivery)',
  },
  { filter: 'error', label: 'Errors', exceptionId: 'Error', description: "Stop where a step fails: an operation's error, a rejected write, a failed flush (not the faults the scenario injects)" },
  { filter: 'expect', label: 'Failed expectations', exceptionId: 'Expectation failed', description: 'Stop at an expect line that does not hold' },
] as const;

export type AnomalyFilter = (typeof ANOMALY_FILTERS)[number]['filter'];

/** The filter names, for messages: `stale, lost, error or expect`. */
export const ANOMALY_FILTER_NAMES = listed(
  ANOMALY_FILTERS.map((f) => f.filter),
  'or',
);

export function isAnomalyFilter(name: string): name is AnomalyFilter {
  return ANOMALY_FILTERS.some((f) => f.filter === name);
}

/** The writes of a recording that no store keeps (see discardedWrites), computed once per recording. */
const discardedCache = new WeakMap<Recording, Set<number>>();

function discardedIn(rec: Recording): Set<number> {
  let d = discardedCache.get(rec);
  if (d === undefined) {
    d = discardedWrites(rec.result.steps);
    discardedCache.set(rec, d);
  }
  return d;
}

/**
 * The anomaly a recorded position of `rec` shows, if any (injected faults such as `fail db for` are the scenario's,
 * not one). A dirty read is known from the whole recording: the read, before the failure that makes it dirty.
 */
export function anomalyOf(rec: Recording, r: RecordedStep | undefined): AnomalyFilter | undefined {
  if (r === undefined) return undefined;
  if (r.check) return r.check.kind === 'expect' && r.check.verdict !== undefined && !r.check.verdict.ok ? 'expect' : undefined;
  const { outcome, action } = r.step;
  if (outcome === 'stale') return 'stale';
  if (isDirtyRead(r.step, discardedIn(rec))) return 'dirty';
  if (outcome === 'lost') return 'lost';
  if (r.step.appliedAgain !== undefined && r.step.appliedAgain.length > 0) return 'duplicate';
  if (outcome === 'error' && !isDbFault(action)) return 'error';
  return undefined;
}

/**
 * Where each anomaly of a recording starts: at position i, its kind, or undefined where i shows none or continues one.
 * An operation's steps of one kind are one anomaly, whatever hops come between them (a write the database rejects,
 * the cache's rollback, then the error its caller gets). Other steps continue the anomaly of the step right before
 * them when it is the same kind of background work on the same line: a crash's lost queue entries follow the crash,
 * one step each. Computed once per recording.
 */
const anomalyStartsCache = new WeakMap<Recording, (AnomalyFilter | undefined)[]>();

function anomalyStarts(rec: Recording): (AnomalyFilter | undefined)[] {
  const cached = anomalyStartsCache.get(rec);
  if (cached) return cached;
  const seen = new Map<number, Set<AnomalyFilter>>();
  const starts = rec.steps.map((r, i) => {
    const kind = anomalyOf(rec, r);
    if (kind === undefined) return undefined;
    if (!r.check && r.step.op !== null) {
      const kinds = seen.get(r.step.op) ?? new Set<AnomalyFilter>();
      seen.set(r.step.op, kinds);
      if (kinds.has(kind)) return undefined;
      kinds.add(kind);
      return kind;
    }
    return continuesBackground(rec, rec.steps[i - 1], r, kind) ? undefined : kind;
  });
  anomalyStartsCache.set(rec, starts);
  return starts;
}

/** Whether `r`, background work or a fault showing `kind`, continues the same anomaly as `before`, the step before it. */
function continuesBackground(rec: Recording, before: RecordedStep | undefined, r: RecordedStep, kind: AnomalyFilter): boolean {
  return before !== undefined && !before.check && !r.check && before.step.op === null && anomalyOf(rec, before) === kind && before.line === r.line;
}

/** The anomaly that starts at position `i`, or undefined. */
function startsAnomaly(rec: Recording, i: number): AnomalyFilter | undefined {
  return anomalyStarts(rec)[i];
}

/** Where the anomaly shown at position `i` starts (-1 when `i` shows none). */
function anomalyStartOf(rec: Recording, i: number): number {
  const r = rec.steps[i];
  const kind = anomalyOf(rec, r);
  if (kind === undefined || r === undefined) return -1;
  if (!r.check && r.step.op !== null) return rec.steps.findIndex((s) => !s.check && s.step.op === r.step.op && anomalyOf(rec, s) === kind);
  let start = i;
  while (startsAnomaly(rec, start) === undefined && start > 0) start--;
  return start;
}

/** The positions of the anomaly that starts at `i`: it and the steps that continue it. */
function anomalyGroup(rec: Recording, i: number): RecordedStep[] {
  const first = rec.steps[i];
  const kind = anomalyOf(rec, first);
  if (first === undefined || kind === undefined) return [];
  if (!first.check && first.step.op !== null) return rec.steps.slice(i).filter((s) => !s.check && s.step.op === first.step.op && anomalyOf(rec, s) === kind);
  const group = [first];
  for (let j = i + 1; j < rec.steps.length && continuesBackground(rec, rec.steps[j - 1], rec.steps[j] as RecordedStep, kind); j++) group.push(rec.steps[j] as RecordedStep);
  return group;
}

/**
 * The anomalies of a recording in words, one count per filter, each as many as Continue stops at (`2 stale reads,
 * 1 loss of 3 acknowledged writes`), and the labels of those filters; an empty list when nothing goes wrong.
 */
function anomalyCounts(rec: Recording): { counts: string[]; labels: string[] } {
  const n = new Map<AnomalyFilter, number>();
  let lostWrites = 0;
  for (let i = 0; i < rec.steps.length; i++) {
    const k = startsAnomaly(rec, i);
    if (k === undefined) continue;
    n.set(k, (n.get(k) ?? 0) + 1);
    if (k === 'lost') lostWrites += anomalyGroup(rec, i).flatMap((r) => r.step.writes ?? []).length;
  }
  const words: Record<AnomalyFilter, [string, string]> = {
    stale: ['stale read', 'stale reads'],
    dirty: ['dirty read', 'dirty reads'],
    lost: ['loss of acknowledged writes', 'losses of acknowledged writes'],
    duplicate: ['batch applied again', 'batches applied again'],
    error: ['error', 'errors'],
    expect: ['failed expectation', 'failed expectations'],
  };
  const on = ANOMALY_FILTERS.filter((f) => n.has(f.filter));
  const counts = on.map((f) => {
    const c = n.get(f.filter) ?? 0;
    // The writes lost, counted as the summary counts them: "1 loss of 3 acknowledged writes".
    if (f.filter === 'lost' && lostWrites > 0) return `${c} ${c === 1 ? 'loss' : 'losses'} of ${plural(lostWrites, 'acknowledged write')}`;
    return `${c} ${words[f.filter][c === 1 ? 0 : 1]}`;
  });
  return { counts, labels: on.map((f) => f.label) };
}

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
function listed(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) ?? ''}`;
}

/** What the debugger tells of the anomaly at the current position (DAP's exceptionInfo). */
export interface AnomalyInfo {
  filter: AnomalyFilter;
  /** A short name: `Stale read`. */
  exceptionId: string;
  /** What happened, in a sentence: the note of the anomaly's first step. */
  description: string;
  /** The value the read returned, the writes lost, or the verdict: what the step carried. */
  details: string;
}

/**
 * What an anomaly's steps carried, line by line: for a stale read, the value it returned and the newer write already
 * acknowledged when it began (found in the recording); for lost writes, which writes; else the hop or the verdict.
 */
function anomalyDetails(rec: Recording, first: RecordedStep, group: readonly RecordedStep[]): string {
  const { step } = first;
  // An expectation's verdict is its description already ("expect ...: FAILS: expected ..., got ..."): nothing to add.
  if (first.check) return '';
  if (step.outcome === 'stale' && step.op !== null) {
    const start = rec.steps.findIndex((r) => r.step.op === step.op);
    // The read as its line says it (`read-db product:1`, `read product:1 via node2`): where the stale value came from.
    const s = statementAt(rec, first.line);
    const read = s?.kind === 'op' ? describeOp(s) : `read ${step.key ?? ''}`;
    // When the read was issued, from its line's timeline: its first step lands a hop later (a database read, 10 ms on).
    const began = rec.result.timeline.find((t) => t.line === step.line)?.start ?? rec.steps[start]?.step.time ?? step.time;
    const lines = [`${read} returned ${json(step.value)}${step.version !== undefined ? ` (write #${step.version})` : ''}; it began at ${fmt(began)}`];
    // The newest write to the key acknowledged before the read began (not one acknowledged while it was under way): the
    // value it should have seen at least. Before it began by the operations started, not by the time: a write
    // acknowledged in the millisecond the read began, after it, is not one the read should have seen.
    for (let j = start - 1; j >= 0; j--) {
      const w = (rec.steps[j] as RecordedStep).step;
      if (w.action === 'ack' && w.outcome === 'ok' && w.key === step.key && w.op !== null && (rec.steps[j] as RecordedStep).opsIssued < step.op) {
        lines.push(`write #${w.version ?? '?'} of ${json(w.value)} was acknowledged at ${fmt(w.time)} (line ${(rec.steps[j] as RecordedStep).line})`);
        break;
      }
    }
    return lines.join('\n');
  }
  if (isDirtyRead(step, discardedIn(rec))) {
    // The failure that makes the read dirty comes later in the run: name it, as the diagram's DIRTY READ mark does.
    const failure = rec.steps.find((r) => !r.check && r.step.action === 'error' && r.step.version === step.version);
    const read = `read ${step.key ?? ''} returned ${json(step.value)} (write #${step.version ?? '?'}) before its writer was acknowledged`;
    return failure === undefined ? read : `${read}\nwrite #${step.version ?? '?'} fails at ${fmt(failure.step.time)} (step ${failure.step.seq}, line ${failure.line}) and no store keeps it`;
  }
  if (step.outcome === 'lost') {
    const ids = group.flatMap((r) => r.step.writes ?? []);
    const keys = [...new Set(group.map((r) => r.step.key).filter((k): k is string => k !== null))];
    return ids.length === 0 ? hopText(step) : `${plural(ids.length, 'acknowledged write')} lost: ${ids.map((id) => `#${id}`).join(', ')}${keys.length > 0 ? ` (${keys.join(', ')})` : ''}`;
  }
  if (step.appliedAgain !== undefined && step.appliedAgain.length > 0) {
    const keys = step.keys ?? (step.key === null ? [] : [step.key]);
    return `${plural(step.appliedAgain.length, 'write')} applied a second time: ${step.appliedAgain.map((id) => `#${id}`).join(', ')}${keys.length > 0 ? ` (in the batch of ${keys.join(', ')})` : ''}`;
  }
  return hopText(step);
}

/**
 * The keys package.json binds to Step Back and Reverse Continue while a scenario is debugged (Cmd+K for Ctrl+K on
 * macOS): VS Code has no default key for either. The Debug Console names them wherever it says how to go back.
 */
export const BACK_KEYS = { stepBack: 'Ctrl+K F10', reverseContinue: 'Ctrl+K F5' } as const;
const GO_BACK = `Step Back (${BACK_KEYS.stepBack}) or Reverse Continue (${BACK_KEYS.reverseContinue}; Cmd+K on macOS)`;

/** Where the debugger stands; the body of `cacheScenario/position` and of the `cacheScenario/step` event. */
export interface ScenarioPosition {
  /**
   * -1 on entry; `total` at the end of the trace (past the last step: the final state, the verdicts); else the index
   * of the current step.
   */
  index: number;
  total: number;
  /** The current step; at the end of the trace the last one (whose state is the final state); null on entry. */
  step: TraceStep | null;
  line: number;
  /** Virtual ms. */
  time: number;
}

/** Everything the runtime tells its host; the adapter turns each into one DAP event. */
export type RuntimeEvent =
  | { type: 'stopped'; reason: StopReason; description: string; text: string; hitBreakpointIds: number[] }
  | { type: 'position'; position: ScenarioPosition }
  /** `line` is a line of the scenario, or of `path` when set (a breakpoint set in another file). */
  | { type: 'output'; category: 'console' | 'stdout' | 'stderr' | 'important'; text: string; line?: number | undefined; path?: string | undefined }
  /** A breakpoint re-checked when the scenario loads; `path` is the file it was set in (not always the scenario). */
  | { type: 'breakpoint'; breakpoint: BreakpointState; path: string }
  /** A data breakpoint re-checked when the scenario loads. */
  | { type: 'dataBreakpoint'; breakpoint: DataBreakpointState };

export interface FrameInfo {
  name: string;
  line: number;
}

export interface ScopeInfo {
  name: string;
  path: string[];
}

/** A row of the Variables view; `path` is set when it can be expanded. */
export interface VariableInfo {
  name: string;
  value: string;
  type?: string;
  path?: string[];
  /**
   * The Debug Console expression that reads this variable (`db product:1`, `cache k via node2`, `metric lostWrites`),
   * when there is one: VS Code then offers Add to Watch and Copy as Expression on it.
   */
  evaluateName?: string;
}

export type EvaluateResult = { ok: true; result: string; path?: string[] } | { ok: false; message: string };

export interface InlineValue {
  line: number;
  text: string;
}

export interface StartOptions {
  program: string;
  text: string;
  seed?: number | undefined;
  /** Echo every step the cursor passes to the Debug Console. */
  trace?: boolean | undefined;
  /** Run without debugging (Ctrl+F5): the first Debug Console line says the scenario ran, not how to step it. */
  noDebug?: boolean | undefined;
}

/** What a forward move meets on its way: where it stops, why, and the logpoints it passes. */
interface Passage {
  target: number;
  reason: StopReason;
  hits: BreakpointState[];
  logs: { index: number; breakpoint: ActiveBreakpoint }[];
}

/** Per recording, the positions of its `queue.lost` steps, ascending. */
const lostPositions = new WeakMap<Recording, number[]>();

export class ScenarioRuntime {
  private rec: Recording | undefined;
  /** -1 on entry, `steps.length` at the end of the trace, else the current step. */
  private index = -1;
  private trace = false;
  private nextBreakpointId = 1;
  /** Breakpoints by source path; only those of the scenario being debugged can stop it. */
  private readonly breakpoints = new Map<string, ActiveBreakpoint[]>();
  /** Conditions that failed at run time, reported once each. */
  private readonly reported = new Set<number>();
  /** The verdicts and the summary have been written: later arrivals at the end of the trace get one short line. */
  private reportWritten = false;
  /** Data breakpoints (Break on Value Change), in the order set. */
  private dataBreakpoints: DataBreakpoint[] = [];
  /** The exception filters turned on (setExceptionBreakpoints): anomalies Continue and Reverse Continue stop at. */
  private anomalyFilters = new Set<AnomalyFilter>();

  constructor(private readonly emit: (e: RuntimeEvent) => void) {}

  get recording(): Recording | undefined {
    return this.rec;
  }

  get currentIndex(): number {
    return this.index;
  }

  /** True at the end of the trace: past the last step, where the final state and the verdicts are shown. */
  get atEnd(): boolean {
    return this.rec !== undefined && this.index >= this.rec.steps.length;
  }

  /** Runs and records the scenario; breakpoints set before it are re-checked against it. */
  load(options: StartOptions): { ok: true } | { ok: false; message: string } {
    const r = recordScenario(options.program, options.text, { seed: options.seed });
    if (!r.ok) return r;
    this.rec = r.recording;
    this.trace = options.trace ?? false;
    this.index = -1;
    this.reportWritten = false;
    const warnings = r.recording.program.diagnostics.filter((d) => d.severity === 'warning');
    for (const w of warnings) this.emit({ type: 'output', category: 'console', text: `${diagnosticLine(options.program, w)}\n`, line: w.line });
    for (const w of r.recording.result.warnings) this.emit({ type: 'output', category: 'console', text: `${options.program}:${w.line}: warning: ${w.message}\n`, line: w.line });
    for (const e of r.recording.result.errors) this.emit({ type: 'output', category: 'stderr', text: `${options.program}:${e.line}: ${e.message}\n`, line: e.line });
    const { result } = r.recording;
    // The run lasts until its last position, a checkpoint included: an `advance` after the last step moves the clock on
    // (the Clock shows that time at the end of the trace).
    const lasted = r.recording.steps.at(-1)?.step.time ?? 0;
    const run = `${plural(result.steps.length, 'step')} of a ${result.strategy} run (${fmt(lasted)} of virtual time)`;
    // What the run is and how to move through it: stdout, which VS Code draws as information. It draws the `console`
    // category as a warning, which is kept for what deserves a look (warnings, what goes wrong in this run).
    this.emit({
      type: 'output',
      category: 'stdout',
      text: options.noDebug
        ? `Ran ${run} without debugging.\n`
        : `Recorded ${run}${checkpointCount(r.recording)}. Step with F10 and F11; go back with ${GO_BACK}; type "help" here for expressions.\n`,
    });
    const wrong = anomalyCounts(r.recording);
    if (!options.noDebug && wrong.counts.length > 0) {
      // The boxes to tick are named as the Breakpoints view labels them, only those that stop somewhere in this run.
      const one = wrong.counts.length === 1 && /^1 /.test(wrong.counts[0] ?? '');
      const how = `To stop ${one ? 'there' : 'at each'}, tick ${listed(wrong.labels)} under Breakpoints and press Continue.`;
      this.emit({ type: 'output', category: 'console', text: `What goes wrong in this run: ${wrong.counts.join(', ')}. ${how}\n` });
    }
    for (const [path, list] of this.breakpoints) {
      for (const b of list) {
        this.resolve(b, path);
        this.emit({ type: 'breakpoint', breakpoint: b.state, path });
      }
    }
    for (const d of this.dataBreakpoints) {
      this.resolveData(d);
      this.emit({ type: 'dataBreakpoint', breakpoint: d.state });
    }
    return { ok: true };
  }

  private get loaded(): Recording {
    if (!this.rec) throw new Error('no scenario is loaded');
    return this.rec;
  }

  // ---------------------------------------------------------------- breakpoints

  /** Replaces the breakpoints of one file; only the scenario being debugged can have verified ones. */
  setBreakpoints(path: string, specs: readonly BreakpointSpec[]): BreakpointState[] {
    const list = specs.map((spec) => {
      const state: BreakpointState = { id: this.nextBreakpointId++, requestedLine: spec.line, line: spec.line, verified: false, condition: spec.condition };
      if (spec.hitCondition !== undefined) state.hitCondition = spec.hitCondition;
      if (spec.logMessage !== undefined) state.logMessage = spec.logMessage;
      const b: ActiveBreakpoint = { state, compiled: undefined, hitTest: undefined, hits: undefined };
      this.resolve(b, path);
      return b;
    });
    if (list.length > 0) this.breakpoints.set(path, list);
    else this.breakpoints.delete(path);
    return list.map((b) => b.state);
  }

  private resolve(b: ActiveBreakpoint, path: string): void {
    const s = b.state;
    s.line = s.requestedLine;
    s.verified = false;
    s.message = undefined;
    b.compiled = undefined;
    b.hitTest = undefined;
    b.hits = undefined;
    if (s.requestedLine < 1) {
      s.message = `line ${s.requestedLine} is not a line of the file: lines count from 1`;
      return;
    }
    const rec = this.rec;
    if (s.condition !== undefined && s.condition.trim() !== '') {
      const c = compileCondition(s.condition, { nodes: rec?.options.cache.nodes ?? Number.MAX_SAFE_INTEGER });
      if (!c.ok) {
        s.message = c.message;
        this.emit({ type: 'output', category: 'stderr', text: `breakpoint on line ${s.requestedLine}: ${c.message}\n`, line: s.requestedLine, path });
        return;
      }
      b.compiled = c.expr;
    }
    if (s.hitCondition !== undefined && s.hitCondition.trim() !== '') {
      const h = parseHitCondition(s.hitCondition);
      if (!h.ok) {
        s.message = h.message;
        this.emit({ type: 'output', category: 'stderr', text: `breakpoint on line ${s.requestedLine}: ${h.message}. ${HIT_COUNT_NOTE}\n`, line: s.requestedLine, path });
        return;
      }
      b.hitTest = h.test;
    }
    if (!rec) {
      s.message = 'the scenario is not loaded yet';
      return;
    }
    if (path !== rec.path) {
      s.message = `only ${rec.path} is being debugged`;
      return;
    }
    const shown = new Set(rec.steps.map((r) => r.line));
    let line = s.requestedLine;
    while (line <= rec.lines.length && !shown.has(line)) line++;
    if (line > rec.lines.length) {
      s.message = `no step of the run happens on line ${s.requestedLine} or after it (settings, comments and blank lines run no step)`;
      return;
    }
    s.line = line;
    // A hit count above the number of hits can never fire (most scenarios visit a line once): say so rather than wait.
    if (b.hitTest) {
      const hits = this.hitsOf(b).length;
      let fires = false;
      for (let k = 1; k <= hits && !fires; k++) fires = b.hitTest(k);
      if (!fires) {
        s.message = neverFires(line, hits, b.compiled !== undefined, (s.hitCondition ?? '').trim());
        this.emit({ type: 'output', category: 'console', text: `breakpoint on line ${s.requestedLine}: ${s.message}. ${HIT_COUNT_NOTE}\n`, line: s.requestedLine });
        return;
      }
    }
    s.verified = true;
  }

  // ---------------------------------------------------------------- data breakpoints

  /**
   * Whether the variable `name` listed under `parent` (a variables() path) can be watched for a change of value, and
   * the dataId that names it: rows, cache entries, metrics and each node's queue summary can; the clock, a TTL left
   * and the queue's entries change as time passes, so they cannot.
   */
  dataBreakpointInfo(parent: readonly string[], name: string): { dataId: string | null; description: string } {
    const why = unwatchable(parent, name);
    if (why !== undefined) return { dataId: null, description: why };
    if (!this.variables(parent).some((v) => v.name === name)) return { dataId: null, description: `there is no ${show(name)} under ${parent.join(' ')} at this step` };
    return { dataId: JSON.stringify([...parent, name]), description: watchLabel(parent, name) };
  }

  /** Replaces the data breakpoints; each dataId must be one dataBreakpointInfo gave out. */
  setDataBreakpoints(specs: readonly DataBreakpointSpec[]): DataBreakpointState[] {
    this.dataBreakpoints = specs.map((spec) => {
      const b: DataBreakpoint = {
        spec,
        state: { id: this.nextBreakpointId++, verified: false },
        parent: [],
        name: '',
        label: spec.dataId,
        compiled: undefined,
        hitTest: undefined,
        changes: undefined,
        hits: undefined,
      };
      this.resolveData(b);
      return b;
    });
    return this.dataBreakpoints.map((b) => b.state);
  }

  /** Checks a data breakpoint against the scenario loaded (none yet: unverified until one is), as `resolve` does a line's. */
  private resolveData(b: DataBreakpoint): void {
    const { spec, state } = b;
    state.verified = false;
    state.message = undefined;
    b.compiled = undefined;
    b.hitTest = undefined;
    b.changes = undefined;
    b.hits = undefined;
    let path: unknown;
    try {
      path = JSON.parse(spec.dataId);
    } catch {
      path = undefined;
    }
    if (!Array.isArray(path) || path.length < 2 || !path.every((p): p is string => typeof p === 'string')) {
      state.message = `${show(spec.dataId)} is not a dataId this debugger gave out: right-click a variable under Database, Cache, Write-behind queue or Metrics and pick Break on Value Change`;
      return;
    }
    b.parent = path.slice(0, -1);
    b.name = path.at(-1) as string;
    // A variable that does not exist at this step still can be watched: it may appear later (a row, an entry).
    const why = unwatchable(b.parent, b.name);
    if (why !== undefined) {
      state.message = why;
      return;
    }
    b.label = watchLabel(b.parent, b.name);
    if (spec.accessType !== undefined && spec.accessType !== 'write') {
      state.message = `only a change of value can be watched (accessType "write"); a scenario's reads do not read variables, got ${show(spec.accessType)}`;
      return;
    }
    if (spec.hitCondition !== undefined && spec.hitCondition.trim() !== '') {
      const h = parseHitCondition(spec.hitCondition);
      if (!h.ok) {
        state.message = h.message;
        return;
      }
      b.hitTest = h.test;
    }
    const rec = this.rec;
    if (!rec) {
      state.message = 'the scenario is not loaded yet';
      return;
    }
    const missing = notInScenario(rec, path);
    if (missing !== undefined) {
      state.message = missing;
      return;
    }
    if (spec.condition !== undefined && spec.condition.trim() !== '') {
      const c = compileCondition(spec.condition, { nodes: rec.options.cache.nodes });
      if (!c.ok) {
        state.message = c.message;
        return;
      }
      b.compiled = c.expr;
    }
    // As for a line: a hit count above the number of hits can never fire; say so rather than wait.
    if (b.hitTest) {
      const hits = this.dataHitsOf(b).length;
      let fires = false;
      for (let k = 1; k <= hits && !fires; k++) fires = b.hitTest(k);
      if (!fires) {
        const times = hits === 1 ? 'once' : hits === 2 ? 'twice' : `${hits} times`;
        const why = b.compiled ? `the value of ${b.label} changes ${times} in this scenario where the condition holds` : `the value of ${b.label} changes ${times} in this scenario`;
        state.message = `${why}: hit count ${(spec.hitCondition ?? '').trim()} never fires`;
        return;
      }
    }
    state.verified = true;
  }

  /** What the watched variable reads at position `i` (-1: on entry), TTL left aside. */
  private watchedAt(b: DataBreakpoint, i: number): string {
    const keep = this.index;
    this.index = i;
    try {
      const v = this.variables(b.parent).find((x) => x.name === b.name);
      return v === undefined ? absent(b.parent[0]) : b.parent[0] === 'cache' ? withoutTtl(v.value) : v.value;
    } finally {
      this.index = keep;
    }
  }

  /** Positions where `b`'s variable changes, ascending (worked out once per recording). */
  private changesOf(b: DataBreakpoint): number[] {
    if (b.changes) return b.changes;
    const changes: number[] = [];
    let before = this.watchedAt(b, -1);
    for (let i = 0; i < this.loaded.steps.length; i++) {
      const now = this.watchedAt(b, i);
      if (now !== before) changes.push(i);
      before = now;
    }
    b.changes = changes;
    return changes;
  }

  /**
   * The data breakpoints that stop at position `i`: their variable changes there, their condition holds, and their
   * hit count, if any, accepts the hit's number (the k-th hit from the start of the trace, forward and back).
   */
  private dataFiring(i: number): DataBreakpoint[] {
    if (this.dataBreakpoints.length === 0 || this.rec === undefined || i < 0 || i >= this.rec.steps.length) return [];
    return this.dataBreakpoints.filter((b) => {
      if (!b.state.verified || !this.changesOf(b).includes(i)) return false;
      if (b.hitTest) {
        const k = this.dataHitsOf(b).indexOf(i);
        return k >= 0 && b.hitTest(k + 1);
      }
      return this.dataHolds(b, i);
    });
  }

  /** The positions where `b` is hit: its variable changes and its condition holds (kept until it changes). */
  private dataHitsOf(b: DataBreakpoint): number[] {
    b.hits ??= this.changesOf(b).filter((i) => this.dataHolds(b, i));
    return b.hits;
  }

  /** Whether `b`'s condition, if any, holds at position `i`. */
  private dataHolds(b: DataBreakpoint, i: number): boolean {
    if (!b.compiled) return true;
    try {
      return b.compiled.evaluate({ snapshot: this.snapshotAt(i) }) === true;
    } catch (e) {
      // As a line breakpoint's condition: reported once, then it counts as false.
      if (!this.reported.has(b.state.id)) {
        this.reported.add(b.state.id);
        this.emit({ type: 'output', category: 'stderr', text: `data breakpoint ${b.label}: condition ${show(b.spec.condition ?? '')} failed: ${e instanceof Error ? e.message : String(e)}\n` });
      }
      return false;
    }
  }

  /** Turns on exactly these exception filters (names checked by the caller, see isAnomalyFilter). */
  setAnomalyFilters(filters: readonly AnomalyFilter[]): void {
    this.anomalyFilters = new Set(filters);
  }

  /** The anomaly a move stops at, at position `i`: one whose filter is on and that starts there. */
  private anomalyStop(i: number): AnomalyFilter | undefined {
    if (this.anomalyFilters.size === 0) return undefined;
    const kind = startsAnomaly(this.loaded, i);
    return kind !== undefined && this.anomalyFilters.has(kind) ? kind : undefined;
  }

  /**
   * The anomaly shown at the current position (whether or not its filter is on), or undefined: at a lost write's
   * queue entry, the crash that lost it is where the anomaly starts, and it is described from there.
   */
  anomalyInfo(): AnomalyInfo | undefined {
    const rec = this.loaded;
    const kind = anomalyOf(rec, rec.steps[this.index]);
    if (kind === undefined) return undefined;
    const group = anomalyGroup(rec, anomalyStartOf(rec, this.index));
    const first = group[0] as RecordedStep;
    const meta = ANOMALY_FILTERS.find((f) => f.filter === kind) as (typeof ANOMALY_FILTERS)[number];
    // A dirty read's note was written when it happened: the failure that makes it dirty comes later.
    const note = kind === 'dirty' ? `This read ${first.step.note}; that write then fails, so no store keeps the value it returned (a dirty read)` : first.step.note;
    const description = sentence(first.check ? `${statementText(rec, first.line)}: ${note}` : note);
    return { filter: kind, exceptionId: meta.exceptionId, description, details: anomalyDetails(rec, first, group) };
  }

  /** Where the run's anomalies start, of every kind, ascending (whether or not their filters are on). */
  anomalyPositions(): number[] {
    return anomalyStarts(this.loaded).flatMap((kind, i) => (kind === undefined ? [] : [i]));
  }

  // ---------------------------------------------------------------- Jump to Cursor

  /**
   * The visits of `line` (a run of consecutive steps shown there; its first step is the target), in the order they
   * happen: Jump to Cursor goes to the first, forward or back, without passing the steps between.
   */
  gotoTargets(line: number): { ok: true; targets: GotoTarget[] } | { ok: false; message: string } {
    const rec = this.loaded;
    const starts = rec.steps.flatMap((r, i) => (r.line === line && (i === 0 || rec.steps[i - 1]?.line !== line) ? [i] : []));
    if (starts.length === 0) {
      return { ok: false, message: `no step of the run happens on line ${line} (settings, comments and blank lines run no step); jump to a line with a statement` };
    }
    const targets = starts.map((i, k) => {
      const r = rec.steps[i] as RecordedStep;
      const visit = starts.length === 1 ? '' : `, visit ${k + 1} of ${starts.length}`;
      return { id: i + 1, label: `line ${line}${visit}: ${positionText(r)}`, line };
    });
    return { ok: true, targets };
  }

  /** Whether `id` is a target gotoTargets can give: the first step of a visit to a line. */
  isGotoTarget(id: number): boolean {
    const rec = this.loaded;
    const i = id - 1;
    const r = rec.steps[i];
    return Number.isSafeInteger(id) && r !== undefined && (i === 0 || rec.steps[i - 1]?.line !== r.line);
  }

  /** Jump to a target gotoTargets gave (its id); false when `id` is none of them. The steps between write nothing. */
  goto(id: number): boolean {
    if (!this.isGotoTarget(id)) return false;
    this.stop(id - 1, 'goto');
    return true;
  }

  /** The position of the trace step numbered `seq` (its own, not a checkpoint that carries its number), or -1. */
  private stepIndexOf(seq: number): number {
    return this.loaded.steps.findIndex((r) => !r.check && r.step.seq === seq);
  }

  /** Whether the trace has a step numbered `seq` (the numbers the workbench diagram shows, from 1). */
  canJumpToStep(seq: number): boolean {
    return Number.isSafeInteger(seq) && this.stepIndexOf(seq) >= 0;
  }

  /** Move straight to the trace step numbered `seq`, forward or back (the Debug trace page's "Move the debugger here"). */
  jumpToStep(seq: number): boolean {
    const i = this.stepIndexOf(seq);
    if (i < 0) return false;
    this.stop(i, 'goto');
    return true;
  }

  /** Lines where the debugger can stop (some step is shown there), ascending. */
  stopLines(): number[] {
    return [...new Set(this.loaded.steps.map((r) => r.line))].sort((a, b) => a - b);
  }

  /**
   * Whether `b` is hit at position `i`: without a condition at the first step of each visit to its line, with one at
   * the first step of a visit where the condition holds. Hits are positions of the recording, so they are the same
   * whichever way the debugger travels.
   */
  private hitAt(b: ActiveBreakpoint, i: number): boolean {
    const rec = this.loaded;
    const cur = rec.steps[i];
    if (!cur || !b.state.verified || b.state.line !== cur.line) return false;
    if (!b.compiled) return i === 0 || rec.steps[i - 1]?.line !== cur.line;
    if (!this.holds(b, i)) return false;
    for (let j = i - 1; j >= 0 && rec.steps[j]?.line === cur.line; j--) if (this.holds(b, j)) return false;
    return true;
  }

  /** Every position where `b` is hit, ascending, in one pass over the recording (kept until the breakpoint changes). */
  private hitsOf(b: ActiveBreakpoint): number[] {
    if (b.hits) return b.hits;
    const rec = this.loaded;
    const hits: number[] = [];
    let visitHit = false;
    for (let i = 0; i < rec.steps.length; i++) {
      const r = rec.steps[i] as RecordedStep;
      if (r.line !== b.state.line) continue;
      // A new visit: the line differs from the step before.
      if (i === 0 || rec.steps[i - 1]?.line !== r.line) visitHit = false;
      if (visitHit || (b.compiled && !this.holds(b, i))) continue;
      hits.push(i);
      visitHit = true;
    }
    b.hits = hits;
    return hits;
  }

  /**
   * Whether `b` fires at position `i` (stops there, or for a logpoint writes its message): it is hit there, and its
   * hit count, if it has one, accepts the hit's number: the k-th hit from the start of the trace, forward and back.
   */
  private fires(b: ActiveBreakpoint, i: number): boolean {
    if (!this.hitAt(b, i)) return false;
    if (!b.hitTest) return true;
    const hits = this.hitsOf(b);
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((hits[mid] as number) <= i) lo = mid + 1;
      else hi = mid;
    }
    return b.hitTest(lo);
  }

  /** The breakpoints that stop at position `i`, and the logpoints that write there. */
  private firing(i: number): { stops: BreakpointState[]; logs: ActiveBreakpoint[] } {
    const rec = this.loaded;
    const stops: BreakpointState[] = [];
    const logs: ActiveBreakpoint[] = [];
    if (!rec.steps[i]) return { stops, logs };
    for (const b of this.breakpoints.get(rec.path) ?? []) {
      if (!this.fires(b, i)) continue;
      if (b.state.logMessage !== undefined) logs.push(b);
      else stops.push(b.state);
    }
    return { stops, logs };
  }

  private holds(b: ActiveBreakpoint, i: number): boolean {
    try {
      return b.compiled?.evaluate({ snapshot: this.snapshotAt(i) }) === true;
    } catch (e) {
      if (!this.reported.has(b.state.id)) {
        this.reported.add(b.state.id);
        this.emit({ type: 'output', category: 'stderr', text: `breakpoint condition ${show(b.state.condition ?? '')} failed: ${e instanceof Error ? e.message : String(e)}\n` });
      }
      return false;
    }
  }

  /** Writes a logpoint's message, its `{expression}` parts evaluated at position `i`. */
  private log(b: ActiveBreakpoint, i: number): void {
    const text = interpolateLogMessage(b.state.logMessage ?? '', (expression) => this.evaluate(expression, i));
    // The learner's own output, as a logpoint's is in VS Code's other debuggers (not the warning colour of `console`).
    this.emit({ type: 'output', category: 'stdout', text: `${text}\n`, line: b.state.line });
  }

  // ---------------------------------------------------------------- moving

  /** After configuration: stop on entry, or run to the first breakpoint (or the end of the trace). */
  start(stopOnEntry: boolean): void {
    this.index = -1;
    if (stopOnEntry) this.stop(-1, 'entry');
    else this.continue();
  }

  /** Continue: to the next breakpoint, else to the end of the trace. */
  continue(): void {
    this.forward(endIndex(this.loaded));
  }

  /** Step Over: to the next statement; a breakpoint on the way stops earlier. */
  next(): void {
    this.forward(nextStatementIndex(this.loaded, this.index));
  }

  /** Step Into: one hop. */
  stepIn(): void {
    this.forward(Math.min(this.index + 1, endIndex(this.loaded)));
  }

  /** Step Out: to the end of the current operation (its ack or error). */
  stepOut(): void {
    this.forward(stepOutIndex(this.loaded, this.index));
  }

  /** Step Back: one hop back (from the end of the trace, to the last step); on entry it stays there. */
  stepBack(): void {
    this.sayAtEntry('Step Back');
    this.moveTo(Math.max(-1, this.index - 1), this.index <= 0 ? 'entry' : 'step');
  }

  /** Going back from entry moves nowhere: the Debug Console says why, so the key press is not met with nothing. */
  private sayAtEntry(move: string): void {
    if (this.index >= 0) return;
    this.emit({ type: 'output', category: 'console', text: `${move}: already on entry, before the first step; nothing ran before it. Step ahead with F10 or F11, or Continue with F5.\n` });
  }

  /** Reverse Continue: back to the previous breakpoint stop, else to entry. Logpoints write nothing going back. */
  reverseContinue(): void {
    this.sayAtEntry('Reverse Continue');
    for (let i = Math.min(this.index, endIndex(this.loaded)) - 1; i >= 0; i--) {
      const { stops } = this.firing(i);
      if (stops.length > 0 || this.anomalyStop(i) !== undefined || this.dataFiring(i).length > 0) return this.moveTo(i, 'breakpoint', stops);
    }
    this.moveTo(-1, 'entry');
  }

  /** Pause: nothing runs in the background, so it stops again where the debugger stands. */
  pause(): void {
    this.stop(this.index, 'pause');
  }

  /**
   * Moves forward to `target`, stopping earlier at a breakpoint on the way (one at `target` itself is reached by the
   * step anyway); logpoints on the way and at `target` write their message.
   */
  private forward(target: number): void {
    const end = endIndex(this.loaded);
    const passage: Passage = { target, reason: 'step', hits: [], logs: [] };
    for (let i = this.index + 1; i <= Math.min(target, end - 1); i++) {
      const { stops, logs } = this.firing(i);
      for (const breakpoint of logs) passage.logs.push({ index: i, breakpoint });
      if (i < target && (stops.length > 0 || this.anomalyStop(i) !== undefined || this.dataFiring(i).length > 0)) {
        passage.target = i;
        passage.reason = 'breakpoint';
        passage.hits = stops;
        break;
      }
    }
    this.moveTo(passage.target, passage.reason, passage.hits, passage.logs);
  }

  private moveTo(target: number, reason: StopReason, hits: BreakpointState[] = [], logs: Passage['logs'] = []): void {
    const rec = this.loaded;
    const end = endIndex(rec);
    const from = this.index;
    // Moving forward, the Debug Console gets each step passed (with `trace`) and each logpoint's line, in order.
    let k = 0;
    for (let i = from + 1; i <= Math.min(target, end - 1); i++) {
      const r = rec.steps[i] as RecordedStep;
      if (this.trace) this.emit({ type: 'output', category: 'stdout', text: `${stepLine(r)}\n`, line: r.line });
      for (; k < logs.length && logs[k]?.index === i; k++) this.log((logs[k] as Passage['logs'][number]).breakpoint, i);
    }
    if (target < end) return this.stop(target, reason, hits);
    // The end of the trace: a position of its own, after the last step. Arriving there the first time, the verdicts
    // and the summary are written, then how to go back (the stop's own text says so too, but VS Code shows a stop's
    // text only for an exception); arriving again, one line says how it went; moving forward from there, the debugger
    // stays and says so. The session goes on until it is stopped.
    this.index = end;
    if (from < end && !this.reportWritten) {
      this.report();
      this.emit({ type: 'output', category: 'console', text: `This is the end of the trace: the session stays, showing the final state. Go back with ${GO_BACK}; stop the session (Shift+F5) to end it.\n` });
    } else if (from < end) {
      this.emit({ type: 'output', category: failedCount(rec) > 0 ? 'stderr' : 'stdout', text: `Back at the end of the trace: ${heldText(rec)}; ${rec.result.expectations.length > 0 ? 'the verdicts and the summary are' : 'the summary is'} above.\n` });
    } else {
      this.emit({ type: 'output', category: 'console', text: `The trace is over: nothing runs after its last step. Go back with ${GO_BACK}; stop the session (Shift+F5) to end it.\n` });
    }
    this.stop(end, 'step');
  }

  private stop(index: number, reason: StopReason, hits: BreakpointState[] = []): void {
    this.index = index;
    const rec = this.loaded;
    const r = rec.steps[index];
    // A move that ends where an anomaly with its filter on starts stops on it as an exception, whatever brought it
    // there (a step, a breakpoint, a jump, the anomaly itself): VS Code then shows what happened beside the line.
    // Only a Continue or a Reverse Continue stops for a watched variable's change (as for a line breakpoint, a step
    // that lands on one is a step), so only then are data breakpoints among the hits.
    const data = reason === 'breakpoint' ? this.dataFiring(index) : [];
    const anomaly = reason === 'step' || reason === 'breakpoint' || reason === 'goto' ? this.anomalyStop(index) : undefined;
    if (anomaly !== undefined) reason = 'exception';
    // A stop for a watched variable's change alone (no line breakpoint, no anomaly) says so in its reason.
    if (reason === 'breakpoint' && hits.length === 0 && data.length > 0) reason = 'data breakpoint';
    let description: string;
    let text: string;
    if (index >= rec.steps.length) {
      description = endText(rec);
      text = `${description}. Go back with ${GO_BACK}; stop the session to end it.`;
    } else if (!r) {
      description = `on entry: nothing has run yet (${rec.result.strategy}, ${rec.result.steps.length} steps recorded)`;
      text = description;
    } else {
      description = r.check ? `${statementText(rec, r.line)}: ${r.step.note}` : r.step.note;
      text = `${positionText(r)}: ${r.step.note} (${origin(rec, r)})`;
      const conds = hits.filter((h) => h.condition).map((h) => h.condition as string);
      if (conds.length > 0) text += `; condition ${conds.map(show).join(', ')} holds`;
      const info = anomaly === undefined ? undefined : this.anomalyInfo();
      if (info !== undefined) {
        description = `${info.exceptionId}: ${description}`;
        text = `${info.exceptionId}: ${text}`;
      }
      if (data.length > 0) {
        // The new value first: VS Code's Call Stack header shows the description's start, cut at the view's width.
        const changed = data.map((d) => `${d.label} changed to ${this.watchedAt(d, index)} from ${this.watchedAt(d, index - 1)}`).join('; ');
        // An exception's description starts with its name, as the exception widget does; the change goes to `text`.
        if (reason !== 'exception') description = `${changed}: ${description}`;
        text = `${changed}; ${text}`;
      }
    }
    this.emit({ type: 'stopped', reason, description, text, hitBreakpointIds: [...hits.map((h) => h.id), ...data.map((d) => d.state.id)] });
    this.emit({ type: 'position', position: this.position() });
  }

  /** Writes every expectation's verdict and the run's summary to the Debug Console. */
  report(): void {
    const rec = this.loaded;
    const { result } = rec;
    // The run's own results go out as the scenario's output (stdout, like the trace echo), a failure as stderr: VS Code
    // draws `console` output, meant for the debugger's own messages, in its warning colour, where an "ok" does not belong.
    for (const e of result.expectations) {
      this.emit({ type: 'output', category: e.ok ? 'stdout' : 'stderr', text: `${e.ok ? 'ok  ' : 'FAIL'} line ${e.line}: ${e.message}\n`, line: e.line });
    }
    const failed = failedCount(rec);
    const m = result.metrics;
    this.emit({
      type: 'output',
      category: failed > 0 ? 'stderr' : 'stdout',
      text:
        `Scenario finished: ${result.expectations.length - failed} of ${plural(result.expectations.length, 'expectation')} held; ` +
        `${plural(m.acknowledgedWrites, 'write')} acknowledged, ${m.lostWrites} lost, ${plural(m.staleReads, 'stale read')}, ${plural(m.dbWrites, 'database row write')}.\n`,
    });
    this.reportWritten = true;
  }

  // ---------------------------------------------------------------- what the views ask

  snapshotAt(index: number): EngineSnapshot {
    const rec = this.loaded;
    return rec.steps[index]?.snapshot ?? (index < 0 ? rec.initial : (rec.steps.at(-1)?.snapshot ?? rec.initial));
  }

  position(): ScenarioPosition {
    const rec = this.loaded;
    // At the end of the trace: the last step, whose state is the final state.
    const r = rec.steps[Math.min(this.index, rec.steps.length - 1)];
    return { index: this.index, total: rec.steps.length, step: r?.step ?? null, line: r?.line ?? rec.entryLine, time: r?.step.time ?? 0 };
  }

  /** Top frame: the current hop; then the operation (or fault, or background work); then who issued it. */
  frames(): FrameInfo[] {
    const rec = this.loaded;
    if (this.atEnd) return [{ name: `end of the trace: ${rec.result.strategy}, ${plural(rec.result.steps.length, 'step')}, ${heldText(rec)}`, line: this.position().line }];
    const r = rec.steps[this.index];
    if (!r) return [{ name: `on entry: ${rec.result.strategy}, nothing has run yet`, line: rec.entryLine }];
    const { step, line } = r;
    const frames: FrameInfo[] = [{ name: positionText(r), line }];
    if (r.check) {
      frames.push({ name: statementText(rec, line), line });
      frames.push({ name: 'scenario', line });
    } else if (step.op !== null) {
      const s = statementAt(rec, step.line);
      frames.push({ name: `${s?.kind === 'op' ? describeOp(s) : `${step.action} ${step.key ?? ''}`.trim()} (${step.client ?? 'app'})`, line });
      frames.push({ name: `client ${step.client ?? 'app'}`, line });
    } else if (step.line !== null) {
      frames.push({ name: statementText(rec, step.line), line });
      frames.push({ name: 'scenario', line });
    } else {
      frames.push({ name: `background: ${backgroundOrigin(step)}`, line });
      frames.push({ name: 'background', line });
    }
    return frames;
  }

  scopes(): ScopeInfo[] {
    return [
      { name: 'Clock', path: ['clock'] },
      { name: 'Cache', path: ['cache'] },
      { name: 'Database', path: ['db'] },
      { name: 'Write-behind queue', path: ['queue'] },
      { name: 'Metrics', path: ['metrics'] },
    ];
  }

  /** Children of a scope or variable, read from the snapshot at the current position. */
  variables(path: readonly string[]): VariableInfo[] {
    const rec = this.loaded;
    const snap = this.snapshotAt(this.index);
    const [root, a, b, c] = path;
    switch (root) {
      case 'clock':
        return this.clockVariables();
      case 'cache': {
        if (a === undefined) {
          return snap.nodes.map((n) => ({
            name: n.name,
            value: `${n.up ? 'up' : n.shuttingDown ? 'shutting down, its queue still flushing' : 'down'}, ${n.entries.length} entr${n.entries.length === 1 ? 'y' : 'ies'}${n.entries.length > 1 ? ' (most recently used first)' : ''}`,
            path: ['cache', n.name],
          }));
        }
        const node = snap.nodes.find((n) => n.name === a);
        if (!node) return [];
        if (b === undefined) {
          return node.entries.map((e) => ({
            name: e.key,
            value: `${json(e.value)} (write #${e.version}${e.ttlLeftMs === null ? '' : `, ${fmt(e.ttlLeftMs)} left`})`,
            path: ['cache', a, e.key],
            evaluateName: a === 'node1' ? `cache ${e.key}` : `cache ${e.key} via ${a}`,
          }));
        }
        const e = node.entries.find((x) => x.key === b);
        if (!e) return [];
        return [
          { name: 'value', value: json(e.value), type: 'json' },
          { name: 'write', value: `#${e.version} (the write whose value this is)` },
          { name: 'ttlLeft', value: e.ttlLeftMs === null ? 'no TTL' : fmt(e.ttlLeftMs) },
          { name: 'unreadWrite', value: String(e.unreadWrite), type: 'boolean' },
        ];
      }
      case 'db': {
        if (a === undefined) {
          const failing = snap.dbFailNext > 0 ? `, the next ${snap.dbFailNext === 1 ? 'write transaction fails' : `${snap.dbFailNext} write transactions fail`}` : '';
          const losing = snap.dbLoseReplies > 0 ? `, ${snap.dbFailNext > 0 ? 'then ' : ''}the next ${snap.dbLoseReplies === 1 ? 'commit loses its reply' : `${snap.dbLoseReplies} commits lose their replies`}` : '';
          const refused = snap.dbRefusedKeys.length > 0 ? `, refuses every write of ${snap.dbRefusedKeys.join(', ')}` : '';
          const status = `${snap.dbDown ? 'down' : 'up'}${failing}${losing}${refused}`;
          return [
            { name: DB_STATUS, value: status },
            ...snap.db.map((r) => ({
              name: r.key,
              value: `${json(r.value)} (write #${r.version}, row version ${r.rowVersion})`,
              path: ['db', r.key],
              evaluateName: `db ${r.key}`,
            })),
          ];
        }
        const r = snap.db.find((x) => x.key === a);
        if (!r) return [];
        return [
          { name: 'value', value: json(r.value), type: 'json' },
          { name: 'write', value: `#${r.version} (the write whose value this is)` },
          { name: 'rowVersion', value: `${r.rowVersion} (times the row was written)` },
        ];
      }
      case 'queue':
        return this.queueVariables(rec, snap, a, b, c);
      case 'metrics': {
        const m = snap.metrics;
        if (a === undefined) {
          return METRIC_NAMES.map((name) => {
            const v = m[name];
            if (typeof v === 'number') return { name, value: String(v), type: 'number', evaluateName: `metric ${name}` };
            return { name, value: latencyText(v), path: ['metrics', name] };
          });
        }
        const v = m[a as keyof typeof m];
        if (v === undefined || typeof v === 'number') return [];
        return LATENCY_FIELDS.map((f) => ({ name: f, value: String(v[f]), type: 'number', evaluateName: `metric ${a}.${f}` }));
      }
      default:
        return [];
    }
  }

  private clockVariables(): VariableInfo[] {
    const rec = this.loaded;
    if (this.atEnd) {
      const { line, time } = this.position();
      const n = rec.steps.length;
      const total = rec.result.steps.length;
      return [
        { name: 'time', value: fmt(time), evaluateName: 'time' },
        { name: 'stop', value: `end of the trace, after all ${n} stops (${stopsKind(rec)})` },
        { name: 'trace step', value: `${total} of ${total} (the end of the trace)` },
        { name: 'line', value: String(line), type: 'number' },
        { name: 'statement', value: statementText(rec, line) },
        { name: 'event', value: `end of the trace: ${heldText(rec)}` },
        { name: 'origin', value: 'nothing runs after the last step' },
      ];
    }
    const r = rec.steps[this.index];
    const line = r?.line ?? rec.entryLine;
    return [
      { name: 'time', value: fmt(r?.step.time ?? 0), evaluateName: 'time' },
      { name: 'stop', value: r ? `${this.index + 1} of ${rec.steps.length} stops (${stopsKind(rec)})` : `0 of ${rec.steps.length} stops, on entry (${stopsKind(rec)})` },
      { name: 'trace step', value: traceStepText(rec, r) },
      { name: 'line', value: String(line), type: 'number' },
      { name: 'statement', value: statementText(rec, line) },
      { name: 'event', value: r ? positionText(r) : 'nothing has run yet' },
      { name: 'origin', value: r ? origin(rec, r) : 'on entry' },
    ];
  }

  private queueVariables(rec: Recording, snap: EngineSnapshot, nodeName?: string, part?: string, item?: string): VariableInfo[] {
    const lost = this.lostSoFar();
    if (nodeName === undefined) {
      return snap.nodes.map((n) => {
        const nodeLost = lost.filter((l) => l.node === n.name);
        const flying = n.queue.filter((q) => q.inFlight).length;
        const wal = rec.options.writeBehind.wal ? `, WAL ${n.wal.length}` : '';
        const lostWrites = nodeLost.reduce((k, l) => k + l.writes.length, 0);
        const dead = n.deadLetters.length;
        // The numbers that matter most come first: the Variables view cuts a long value off at its right edge.
        return {
          name: n.name,
          value: `${lostWrites} lost, ${n.queue.length} pending${flying > 0 ? ` (${flying} in flight)` : ''}, ${dead} dead letter${dead === 1 ? '' : 's'}${wal}`,
          path: ['queue', n.name],
          evaluateName: `queue ${n.name}`,
        };
      });
    }
    const node = snap.nodes.find((n) => n.name === nodeName);
    if (!node) return [];
    const nodeLost = lost.filter((l) => l.node === nodeName);
    if (part === undefined) {
      const lostWrites = nodeLost.reduce((k, l) => k + l.writes.length, 0);
      return [
        { name: 'pending', value: `${node.queue.length} entr${node.queue.length === 1 ? 'y' : 'ies'}${node.queue.length > 1 ? ' (oldest first)' : ''}`, path: ['queue', nodeName, 'pending'] },
        { name: 'wal', value: rec.options.writeBehind.wal ? `writes [${node.wal.join(', ')}]` : 'off' },
        { name: 'deadLetters', value: String(node.deadLetters.length), path: ['queue', nodeName, 'deadLetters'] },
        { name: 'lost', value: plural(lostWrites, 'write'), path: ['queue', nodeName, 'lost'] },
      ];
    }
    if (part === 'pending') {
      if (item === undefined) {
        return node.queue.map((q, i) => ({
          name: `[${i}] ${q.key}`,
          value: `${q.kind === 'incr' ? `+${q.delta}` : json(q.value)} · writes [${q.writes.join(', ')}] · age ${fmt(q.ageMs)}${q.retries > 0 ? ` · ${q.retries === 1 ? '1 retry' : `${q.retries} retries`}` : ''}${q.dueInMs > 0 ? ` · due in ${fmt(q.dueInMs)}` : ''}${q.inFlight ? ' · in flight' : ''}`,
          path: ['queue', nodeName, 'pending', String(i)],
        }));
      }
      const q = node.queue[Number(item)];
      if (!q) return [];
      return [
        { name: 'key', value: q.key },
        { name: 'kind', value: q.kind },
        q.kind === 'incr' ? { name: 'delta', value: String(q.delta), type: 'number' } : { name: 'value', value: json(q.value), type: 'json' },
        { name: 'writes', value: `[${q.writes.join(', ')}]` },
        { name: 'age', value: fmt(q.ageMs) },
        { name: 'dueIn', value: q.dueInMs > 0 ? fmt(q.dueInMs) : 'next flush' },
        { name: 'retries', value: String(q.retries), type: 'number' },
        { name: 'inFlight', value: String(q.inFlight), type: 'boolean' },
      ];
    }
    if (part === 'deadLetters') return node.deadLetters.map((d, i) => ({ name: `[${i}] ${d.key}`, value: `writes [${d.writes.join(', ')}]` }));
    if (part === 'lost') return nodeLost.map((l, i) => ({ name: `[${i}] ${l.key}`, value: `${l.value} · writes [${l.writes.join(', ')}] · lost at ${fmt(l.time)}` }));
    return [];
  }

  /**
   * Queue entries lost up to the current position, from the trace (a snapshot no longer holds them). A crash loses
   * its queue at once; the `queue.lost` steps right after it only name the entries, so they count from the crash on.
   */
  private lostSoFar(at = this.index): { node: string; key: string; value: string; writes: number[]; time: number }[] {
    const rec = this.loaded;
    const out: { node: string; key: string; value: string; writes: number[]; time: number }[] = [];
    let upto = Math.min(at, rec.steps.length - 1);
    while (upto >= 0 && upto + 1 < rec.steps.length) {
      const cur = (rec.steps[upto] as RecordedStep).step;
      const nxt = (rec.steps[upto + 1] as RecordedStep).step;
      if ((cur.action !== 'crash' && cur.action !== 'shutdown' && cur.action !== 'queue.lost') || nxt.action !== 'queue.lost' || nxt.time !== cur.time) break;
      upto++;
    }
    // The positions of the lost steps, found once per recording: a data breakpoint on a queue row asks at every position.
    let lost = lostPositions.get(rec);
    if (lost === undefined) {
      lost = rec.steps.flatMap((r, i) => (r.step.action === 'queue.lost' ? [i] : []));
      lostPositions.set(rec, lost);
    }
    for (const i of lost) {
      if (i > upto) break;
      const s = (rec.steps[i] as RecordedStep).step;
      out.push({ node: s.from.replace(/\/queue$/, ''), key: s.key ?? '(batch)', value: s.value === undefined ? '' : json(s.value), writes: s.writes ?? [], time: s.time });
    }
    return out;
  }

  /**
   * The Debug Console, watch, hover and logpoints: `db KEY`, `cache KEY [via nodeN]`, `key KEY`, `metric NAME`,
   * `queue [nodeN]`, `time`, conditions; at the current position, or at position `at`.
   */
  evaluate(expression: string, at = this.index): EvaluateResult {
    const rec = this.loaded;
    const src = expression.trim();
    if (src === '' || src === 'help' || src === '?') return src === '' ? { ok: false, message: EVALUATE_HELP } : { ok: true, result: EVALUATE_HELP };
    const snap = this.snapshotAt(at);
    const q = /^queue(?:\s+(\S+))?$/.exec(src);
    if (q) {
      // The writes a crash or shutdown took with the queue so far: "empty" alone hid them (the Variables view counts them).
      const lost = this.lostSoFar(at);
      const lostText = (name: string): string => {
        const n = lost.filter((l) => l.node === name).reduce((k, l) => k + l.writes.length, 0);
        return n > 0 ? ` (${plural(n, 'acknowledged write')} lost with it)` : '';
      };
      if (q[1] === undefined) {
        const total = snap.nodes.reduce((n, x) => n + x.queue.length, 0);
        return { ok: true, result: `${total} pending: ${snap.nodes.map((n) => `${n.name} ${queueText(n.queue)}${lostText(n.name)}`).join('; ')}`, path: ['queue'] };
      }
      const m = NODE_RE.exec(q[1]);
      const node = m ? snap.nodes[Number(m[1]) - 1] : undefined;
      if (!node) return { ok: false, message: `${show(q[1])} is not a cache node of this scenario (node1..node${snap.nodes.length})\n${EVALUATE_HELP}` };
      return { ok: true, result: `${node.queue.length} pending: ${queueText(node.queue)}${lostText(node.name)}`, path: ['queue', node.name] };
    }
    const c = compileExpression(src, { nodes: rec.options.cache.nodes, keys: knownKeys(rec) });
    if (!c.ok) return { ok: false, message: `${c.message}\n${EVALUATE_HELP}` };
    const v = c.expr.evaluate({ snapshot: snap });
    if (c.expr.isCondition) return { ok: true, result: String(v === true) };
    if (src === 'time') return { ok: true, result: `${fmt(snap.time)} (virtual)` };
    // A latency named bare is its mean (as in `expect metric`): say so, with the other figures beside it.
    const latency = /^(?:metric\s+)?(\S+)$/.exec(src)?.[1] ?? '';
    if (isLatencyMetric(latency)) return { ok: true, result: `${json(v)}, the mean (${latencyText(snap.metrics[latency])})` };
    if (/^db\s/.test(src) && v !== undefined) {
      const key = src.split(/\s+/)[1] as string;
      const row = snap.db.find((r) => r.key === key);
      if (row) return { ok: true, result: `${json(row.value)} (write #${row.version}, row version ${row.rowVersion})`, path: ['db', key] };
    }
    if (/^cache\s/.test(src)) {
      const [, key, via, nodeName] = src.split(/\s+/);
      const node = snap.nodes[(via === 'via' && nodeName ? Number(NODE_RE.exec(nodeName)?.[1] ?? 1) : 1) - 1];
      if (node && !node.up) return { ok: true, result: `${node.name} is down` };
      const e = node?.entries.find((x) => x.key === key);
      if (node && e) return { ok: true, result: `${json(e.value)} (write #${e.version}${e.ttlLeftMs === null ? '' : `, ${fmt(e.ttlLeftMs)} left`})`, path: ['cache', node.name, e.key] };
      return { ok: true, result: `missing in ${node?.name ?? 'node1'}` };
    }
    // A key (bare, or `key NAME`) yields a ready-made summary; everything else is a JSON value.
    return { ok: true, result: c.expr.isSummary && typeof v === 'string' ? v : json(v) };
  }

  /** Text shown after each client operation that has started: reads their value, writes their fate so far. */
  inlineValues(): InlineValue[] {
    const rec = this.loaded;
    const upto = Math.min(this.index, rec.steps.length - 1);
    const ops = new Map<number, TraceStep[]>();
    for (let i = 0; i <= upto; i++) {
      const s = (rec.steps[i] as RecordedStep).step;
      if (s.op === null || s.line === null) continue;
      const list = ops.get(s.op);
      if (list) list.push(s);
      else ops.set(s.op, [s]);
    }
    const snap = this.snapshotAt(this.index);
    // Every write's fate so far, in one pass over the steps (once per write made stepping a long scenario quadratic).
    const fates = this.writeFates(upto, snap);
    const out: InlineValue[] = [];
    for (const steps of ops.values()) {
      const first = steps[0] as TraceStep;
      const line = first.line as number;
      const stmt = statementAt(rec, line);
      if (stmt?.kind !== 'op') continue;
      const end = steps.find((s) => s.action === 'ack' || s.action === 'error');
      const kind = stmt.op.kind;
      if (kind === 'read' || kind === 'read-db') {
        if (!end) out.push({ line, text: 'reading…' });
        else if (end.action === 'error') out.push({ line, text: `failed: ${end.note.replace(/^the read fails: /, '')}` });
        else out.push({ line, text: `${json(end.value)} · ${end.outcome}` });
        continue;
      }
      out.push({ line, text: writeFate(steps, end, fates) });
    }
    // Expectations already passed: their verdict.
    for (let i = 0; i <= upto; i++) {
      const r = rec.steps[i] as RecordedStep;
      if (r.check?.kind !== 'expect') continue;
      out.push({ line: r.line, text: verdictText(r.check.verdict) });
    }
    return out.sort((a, b) => a.line - b.line);
  }

  /**
   * What became of each write by step `upto`: persisted or lost (the latest step that says so), else where it is
   * still pending in `snap` (a queue, a write-ahead log). A write in neither is absent.
   */
  private writeFates(upto: number, snap: EngineSnapshot): Map<number, string> {
    const rec = this.loaded;
    const fates = new Map<number, string>();
    const settle = (id: number, s: TraceStep): void => {
      if (s.outcome === 'persisted') fates.set(id, 'persisted');
      else if (s.outcome === 'lost') fates.set(id, s.action === 'queue.deadLetter' ? 'lost (dead letter)' : 'lost');
    };
    for (let i = 0; i <= upto; i++) {
      const s = (rec.steps[i] as RecordedStep).step;
      if (s.outcome !== 'persisted' && s.outcome !== 'lost') continue;
      if (s.writes) for (const id of s.writes) settle(id, s);
      if ((s.action === 'db.write' || s.action === 'db.incr') && s.version !== undefined && !s.writes?.includes(s.version)) settle(s.version, s);
    }
    // Pending: the first place holding the write, in node order, queue before log (as the fate's text names it).
    for (const n of snap.nodes) {
      const here = new Map<number, string>();
      for (const e of n.queue) for (const id of e.writes) if (!here.has(id)) here.set(id, `pending in ${n.name}/queue${e.inFlight ? ' (in flight)' : ''}`);
      for (const id of n.wal) if (!here.has(id)) here.set(id, `pending in the ${n.name} write-ahead log`);
      for (const [id, where] of here) if (!fates.has(id)) fates.set(id, where);
    }
    return fates;
  }
}

/** A write's inline value: failed, in flight, or acknowledged with its fate (see `writeFates`). */
function writeFate(steps: TraceStep[], end: TraceStep | undefined, fates: Map<number, string>): string {
  if (end?.action === 'error') return `failed: ${end.note.replace(/^the caller gets an error: /, '')}`;
  if (!end) return 'in flight';
  const id = steps.find((s) => s.version !== undefined)?.version;
  if (id === undefined) return 'acknowledged';
  // Acknowledged, never persisted and held nowhere any more (a crash emptied its queue): lost.
  return `acknowledged · ${fates.get(id) ?? 'lost'}`;
}

// ------------------------------------------------------------------------------------------------ wording

const keyCache = new WeakMap<Recording, Set<string>>();

/** Every key the scenario or its run mentions. */
function knownKeys(rec: Recording): Set<string> {
  let keys = keyCache.get(rec);
  if (keys) return keys;
  keys = new Set<string>();
  for (const s of rec.program.statements) {
    if (s.kind === 'op' || s.kind === 'load') keys.add(s.kind === 'op' ? s.op.key : s.key);
    if (s.kind === 'expect' && (s.expectation.kind === 'db' || s.expectation.kind === 'cache')) keys.add(s.expectation.key);
  }
  for (const r of rec.steps) if (r.step.key !== null) keys.add(r.step.key);
  // A key that is also a keyword or metric name is reached through `db KEY` / `cache KEY` instead.
  for (const k of [...KEYWORDS, ...EXPECT_METRIC_NAMES]) keys.delete(k);
  keyCache.set(rec, keys);
  return keys;
}

function statementAt(rec: Recording, line: number | null): Statement | undefined {
  return line === null ? undefined : rec.program.statements.find((s) => s.span.line === line);
}

/** The source of a line without its comment. */
export function statementText(rec: Recording, line: number): string {
  const src = rec.lines[line - 1] ?? '';
  const toks = lexLine(src);
  const first = toks[0];
  const last = toks[toks.length - 1];
  return first && last ? src.slice(first.start, last.end) : '';
}

function describeOp(s: Extract<Statement, { kind: 'op' }>): string {
  const op = s.op;
  let t = `${op.kind} ${op.key}`;
  if (op.kind === 'write') t += ` ${JSON.stringify(op.value)}`;
  if (op.kind === 'incr' && op.amount !== 1) t += ` ${op.amount}`;
  if (s.placement.node !== undefined) t += ` via node${s.placement.node}`;
  return t;
}

/** `node1 -> node1/queue queue.enqueue product:1 @ 1ms`. */
export function hopText(step: TraceStep): string {
  const lanes = step.from === step.to ? step.from : `${step.from} -> ${step.to}`;
  return `${lanes} ${step.action}${step.key !== null ? ` ${step.key}` : ''} @ ${fmt(step.time)}`;
}

function backgroundOrigin(step: TraceStep): string {
  switch (step.action) {
    case 'db.batch':
    case 'queue.retry':
    case 'queue.lost':
    case 'queue.deadLetter':
    case 'wal.replay':
      return `${step.from} flusher`;
    case 'cache.evict':
      return `${step.from} eviction`;
    case 'cache.expire':
      return `${step.from} expiry`;
    case 'db.up':
    case 'db.down':
      return 'database';
    default:
      return step.from;
  }
}

/** Who caused a step, in words; background work names its real origin and the line it is shown at. */
function origin(rec: Recording, r: RecordedStep): string {
  const { step } = r;
  if (r.check) return `line ${r.line}`;
  if (step.client !== null) return `client ${step.client}, line ${r.line}`;
  if (step.line !== null) return `${statementAt(rec, step.line)?.kind === 'load' ? 'row loaded' : 'injected'} by line ${step.line}`;
  return `background work of the ${backgroundOrigin(step)}, shown at line ${r.line}`;
}

function stepLine(r: RecordedStep): string {
  return `${r.check ? '[check]' : `[${r.step.seq}]`} line ${r.line} ${positionText(r)}: ${r.step.note}`;
}

/** A position in words: the hop (`node1 -> db db.write product:1 @ 11ms`), or a checkpoint (`expect holds @ 30s`). */
function positionText(r: RecordedStep): string {
  if (!r.check) return hopText(r.step);
  if (r.check.kind === 'advance') return `advance: the clock is at ${fmt(r.step.time)}`;
  const v = r.check.verdict;
  return `expect ${v === undefined ? 'not judged' : v.ok ? 'holds' : 'FAILS'}${r.check.deferred ? ' (on the final metrics)' : ''} @ ${fmt(r.step.time)}`;
}

/**
 * The Clock's `trace step`: the engine's step as the workbench diagram numbers it ("Step 6 of 25"), where `stop`
 * counts the debugger's stops, checkpoints included. A checkpoint keeps the number of the last step before it.
 */
function traceStepText(rec: Recording, r: RecordedStep | undefined): string {
  const total = rec.result.steps.length;
  if (r === undefined) return `0 of ${total} (nothing has run yet)`;
  const seq = r.step.seq;
  if (r.check === undefined) return `${seq} of ${total}`;
  return `${seq} of ${total}, before this ${r.check.kind}`; // the line runs no step of its own
}

/**
 * What the Clock's `stop` counts, next to its `trace step`: the debugger stops at every trace step and at every
 * `advance` and `expect` line (`25 trace steps + 7 advance/expect lines`), or `one per trace step` when it has none.
 */
function stopsKind(rec: Recording): string {
  const checks = rec.steps.filter((r) => r.check).length;
  const steps = plural(rec.steps.length - checks, 'trace step');
  return checks === 0 ? 'one per trace step' : `${steps} + ${checks} advance/expect line${checks === 1 ? '' : 's'}`;
}

/** The end of the trace in words: `end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3)`. */
function endText(rec: Recording): string {
  const verdicts = rec.result.expectations.map((e) => `line ${e.line} ${e.ok ? 'holds' : 'FAILS'}: ${e.message}`);
  return `end of the trace: ${plural(rec.result.steps.length, 'step')}; ${verdicts.length > 0 ? verdicts.join('; ') : 'no expectations'}`;
}

/** How many expectations failed. */
function failedCount(rec: Recording): number {
  return rec.result.expectations.filter((e) => !e.ok).length;
}

/** `1 of 2 expectations held`, or `no expectations`. */
function heldText(rec: Recording): string {
  const all = rec.result.expectations;
  if (all.length === 0) return 'no expectations';
  return `${all.filter((e) => e.ok).length} of ${plural(all.length, 'expectation')} held`;
}

/** `, and 3 checkpoints (advance and expect lines)` when the recording has any. */
function checkpointCount(rec: Recording): string {
  const n = rec.steps.filter((r) => r.check).length;
  return n === 0 ? '' : `, and ${n} checkpoint${n === 1 ? '' : 's'} (advance and expect lines)`;
}

function latencyText(v: LatencySummary): string {
  return `p50 ${v.p50}, p95 ${v.p95}, p99 ${v.p99}, max ${v.max}, mean ${v.mean} (ms)`;
}

function queueText(q: EngineSnapshot['nodes'][number]['queue']): string {
  if (q.length === 0) return 'empty';
  return q.map((e) => `${e.key} ${e.kind === 'incr' ? `+${e.delta}` : json(e.value)} [${e.writes.join(', ')}]${e.inFlight ? ' in flight' : ''}`).join(', ');
}
