// Runs a parsed scenario on the engine: a director walks the statements on the virtual clock, issues client
// operations (in order, or at their `at` time), injects faults, evaluates expectations and returns trace + metrics.
import { Engine } from '../model/engine';
import type { OpRequest, OpResult } from '../model/engine';
import { findPreset, presetMaxQueue } from '../model/presets';
import type { Preset } from '../model/presets';
import { cloneOptions, defaultOptions, isLatencyMetric, metricValue } from '../model/types';
import type { EngineOptions, Json, Metrics, Strategy, TraceStep } from '../model/types';
import type { CompareOp, Expectation, Program, Statement } from './ast';
import { CLIENT_DELAY_PATTERN, findSetting } from './settings';

export interface ExpectationResult {
  line: number;
  ok: boolean;
  message: string;
}

export interface RunError {
  line: number;
  message: string;
}

export interface ScenarioResult {
  strategy: string;
  ok: boolean;
  metrics: Metrics;
  expectations: ExpectationResult[];
  /** Problems that stopped the run or left it unsettled (a run that never settles): the run is not ok. */
  errors: RunError[];
  /** Things the run did differently from what a line says, and why (an `at` time already past: issued late). */
  warnings: RunError[];
  /** False when the simulation could not start (its one error says why): nothing ran. */
  started: boolean;
  steps: TraceStep[];
  /** Each statement's virtual start and end time, for the debugger and the diagram. */
  timeline: { line: number; start: number; end: number }[];
  /** Results of the client operations, by statement line. */
  results: Record<number, OpResult>;
}

/**
 * A statement that runs no trace step of its own (`advance`, `expect`), at the moment it is done: the debugger
 * stops there. It is not part of the trace.
 */
export interface Checkpoint {
  line: number;
  kind: 'advance' | 'expect';
  /** When the statement began (`advance`: before its wait; the engine's clock is its end). */
  start: number;
  /**
   * `expect`: its verdict; undefined for a metric expectation after the scenario's last operation, advance or fault,
   * which is judged on the run's final metrics.
   */
  verdict: ExpectationResult | undefined;
}

export interface RunOptions {
  seed?: number;
  trace?: boolean;
  /** Called after every trace step with the engine, e.g. to snapshot its state. */
  onStep?: (step: TraceStep, engine: Engine) => void;
  /** Called when an `advance` or `expect` statement is done (in execution order with `onStep`). */
  onCheckpoint?: (checkpoint: Checkpoint, engine: Engine) => void;
  /** Safety net against runaway scenarios: events the whole run may take (default 5,000,000). */
  eventLimit?: number;
  /**
   * Trace steps the run may record before it is stopped (with trace on; default 200,000, some 50 MB of steps): a
   * short scenario can still keep the simulator busy for hours of virtual time, and the trace must fit in memory.
   */
  stepLimit?: number;
  /**
   * Write ids the trace's steps may list in all before the run is stopped (with trace on; default 2,000,000, some
   * 16 MB): a batch that keeps failing lists every write it carries at each retry.
   */
  traceWriteLimit?: number;
}

/** Default `stepLimit` of a traced run. */
export const TRACE_STEP_LIMIT = 200_000;
/** Default `traceWriteLimit` of a traced run. */
export const TRACE_WRITE_LIMIT = 2_000_000;

/**
 * The engine options a program asks for: defaults, then its presets, then its `set` lines in order. A preset applies
 * before every `set` line, wherever it stands (the parser warns when one comes after a writeBehind setting), so a
 * setting written out always wins over a preset's default.
 */
export function optionsFromProgram(program: Program, base?: EngineOptions): EngineOptions {
  const o = base ? cloneOptions(base) : defaultOptions();
  o.strategy = program.strategy ?? base?.strategy ?? 'write-through';
  let preset: Preset | undefined;
  for (const s of program.statements) {
    if (s.kind !== 'preset') continue;
    const p = findPreset(s.preset);
    // A preset sets every write-behind knob: the ones its product leaves alone take the defaults, so a second preset
    // replaces the first instead of blending with it (rgsync's strict order under Hazelcast's preset).
    if (p) Object.assign(o.writeBehind, defaultOptions().writeBehind, p.writeBehind);
    preset = p ?? preset;
  }
  let capSet = false;
  for (const s of program.statements) {
    if (s.kind === 'set') {
      if (s.name === 'writeBehind.maxQueue') capSet = true;
      const spec = findSetting(s.name);
      if (spec) spec.apply(o, s.value);
      else {
        const m = CLIENT_DELAY_PATTERN.exec(s.name);
        // Defined, not assigned: a client may be named `__proto__`, and assigning would set the object's prototype.
        if (m && typeof s.value === 'number') Object.defineProperty(o.clientDelayMs, m[1] as string, { value: s.value, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  // Hazelcast bounds its queue only with coalescing off, so the bound depends on the coalescing the run ends up with.
  const cap = preset === undefined || capSet ? undefined : presetMaxQueue(preset, o.writeBehind.coalescing);
  if (cap !== undefined) o.writeBehind.maxQueue = cap;
  return o;
}

type Waiter = (resume: () => void) => void;

export function runProgram(program: Program, runOptions: RunOptions = {}): ScenarioResult {
  const options = optionsFromProgram(program);
  options.trace = runOptions.trace ?? true;
  if (runOptions.seed !== undefined) options.seed = runOptions.seed;
  let engine: Engine;
  try {
    engine = new Engine(options);
    if (options.trace) {
      engine.stepLimit = runOptions.stepLimit ?? TRACE_STEP_LIMIT;
      engine.traceWriteLimit = runOptions.traceWriteLimit ?? TRACE_WRITE_LIMIT;
    }
  } catch (e) {
    // The parser rules out every setting the engine refuses; should one slip through, the run reports it, never throws.
    return notRun(program, options.strategy, `the simulation could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (runOptions.onStep) {
    const cb = runOptions.onStep;
    engine.onStep = (s) => cb(s, engine);
  }
  const expectations: ExpectationResult[] = [];
  const deferred: { line: number; exp: Extract<Expectation, { kind: 'metric' }> }[] = [];
  const errors: RunError[] = [];
  const warnings: RunError[] = [];
  const timeline: { line: number; start: number; end: number }[] = [];
  const results: Record<number, OpResult> = {};
  /**
   * Completion of each client's operations issued so far (in script order, `at` ones included), and of each operation
   * statement by line. A client's next operation without `at` waits for all of them.
   */
  const clientBusy = new Map<string, Promise0>();
  const opDone = new Map<number, Promise0>();
  /**
   * Operations acknowledged whose last step is still to land (a write-around or cache-aside write's invalidation):
   * `expect cache` and `expect db` wait for them, so they see what the acknowledged operations did.
   */
  const trailing = new Set<Promise0>();

  for (const s of program.statements) {
    // A caller that halts the engine (the debugger, over its memory budget) stops the loads too.
    if (engine.sched.halted) break;
    if (s.kind === 'load') engine.load(s.key, s.value, s.span.line);
  }

  const issueAt = (s: Extract<Statement, { kind: 'op' }>): Promise0 => {
    const p = new Promise0();
    const line = s.span.line;
    const req: OpRequest = { kind: s.op.kind, key: s.op.key, client: s.placement.client, node: s.placement.node ?? 1, line };
    if (s.op.kind === 'write') req.value = s.op.value;
    if (s.op.kind === 'incr') req.amount = s.op.amount;
    const start = engine.now;
    const settled = new Promise0();
    engine.issue(
      req,
      (r) => {
        results[line] = r;
        timeline.push({ line, start, end: engine.now });
        if (!settled.done) trailing.add(settled);
        p.resolve();
      },
      () => {
        trailing.delete(settled);
        settled.resolve();
      },
    );
    opDone.set(line, p);
    return p;
  };

  const fault = (s: Statement): void => {
    const line = s.span.line;
    switch (s.kind) {
      case 'crash':
      case 'shutdown': {
        // Found by an audit of the CLI: a crash or shutdown of a node already down did nothing, and nothing said so
        // (a restart of a running node, and a recover db with no fault, already warned).
        const node = engine.node(s.node ?? 1);
        if (!node.up && !engine.draining(node.index)) warnings.push({ line, message: `${node.name} is already down (it ${node.downWord} earlier and has not restarted), so ${s.kind} cache does nothing` });
        if (s.kind === 'crash') engine.crashNode(s.node ?? 1, line);
        else engine.shutdownNode(s.node ?? 1, s.timeoutMs, line);
        break;
      }
      case 'restart': {
        const node = engine.node(s.node ?? 1);
        // Found by a review: a restart of a running node did nothing, and nothing said so.
        if (node.up) warnings.push({ line, message: `${node.name} is running (it has not crashed or shut down by now), so restart cache does nothing` });
        engine.restartNode(s.node ?? 1, line);
        break;
      }
      case 'fail-db-for':
        engine.failDbFor(s.ms, line);
        break;
      case 'fail-db-next':
        if (s.replies) engine.failDbReplies(s.writes, line);
        else engine.failDbNext(s.writes, line);
        break;
      case 'fail-db-key':
        engine.failDbKey(s.key, line);
        break;
      case 'recover-db':
        if (s.key !== undefined) {
          if (!engine.db.refusedKeys.includes(s.key)) warnings.push({ line, message: `the database does not refuse writes of ${s.key} at this moment (no fail db key ${s.key} in force), so recover db key ${s.key} changes nothing` });
          engine.recoverDbKey(s.key, line);
        } else {
          if (!engine.db.hasFault()) warnings.push({ line, message: 'the database has no fault to end by now (not down, no failing writes or lost replies to come, no refused key), so recover db changes nothing' });
          engine.recoverDb(line);
        }
        break;
      default:
        break;
    }
  };

  /** The sum of the `advance` lines walked so far: an `at` before it, the parser has already warned about. */
  let advanced = 0;
  /**
   * Schedules `fn` at absolute virtual time `at`; a time already passed runs it now, with a warning (as a scheduler
   * takes a deadline already gone: the expectations still decide the run) unless the parser gave it.
   */
  const atTime = (line: number, at: number, fn: () => void): void => {
    if (at < engine.now) {
      if (at >= advanced) warnings.push({ line, message: `at ${at}ms is in the past: the previous statements already ran until ${engine.now}ms, so it was issued then` });
      fn();
      return;
    }
    engine.sched.at(at, fn);
  };

  /**
   * The index of the last statement that does something on the clock (an operation, an `advance`, a fault). An
   * `expect metric` before it is judged where it stands, as `expect db` is; one after it, in the block of
   * expectations that ends the scenario, on the final metrics, once the run has settled and every queue drained.
   */
  let lastAction = -1;
  program.statements.forEach((s, i) => {
    if (ACTIONS.has(s.kind)) lastAction = i;
  });
  /** The line of the statement the director is on (undefined once it has walked them all). */
  let current: number | undefined;
  // The director: a process on the virtual clock walking the statements in order.
  function* director(): Generator<Waiter, void, unknown> {
    for (let i = 0; i < program.statements.length; i++) {
      const s = program.statements[i] as Statement;
      const line = s.span.line;
      current = line;
      switch (s.kind) {
        case 'strategy':
        case 'preset':
        case 'set':
        case 'load':
          break;
        case 'op': {
          if (s.placement.at !== undefined) {
            const placeholder = new Promise0();
            opDone.set(line, placeholder);
            // The client is busy from now on, not only once its `at` time comes: the director goes on at once, and the
            // client's next operation without `at` must start after this one completes.
            const before = clientBusy.get(s.placement.client);
            clientBusy.set(s.placement.client, before && !before.done ? bothDone(before, placeholder) : placeholder);
            atTime(line, s.placement.at, () => {
              const p = issueAt(s);
              p.then(() => placeholder.resolve());
            });
            break;
          }
          const busy = clientBusy.get(s.placement.client);
          if (busy && !busy.done) yield (r) => busy.then(r);
          const p = issueAt(s);
          clientBusy.set(s.placement.client, p);
          if (!p.done) yield (r) => p.then(r);
          break;
        }
        case 'advance': {
          const start = engine.now;
          advanced += s.ms;
          yield (r) => engine.sched.after(s.ms, r);
          timeline.push({ line, start, end: engine.now });
          runOptions.onCheckpoint?.({ line, kind: 'advance', start, verdict: undefined }, engine);
          break;
        }
        case 'crash':
        case 'shutdown':
        case 'restart':
        case 'fail-db-for':
        case 'fail-db-next':
        case 'fail-db-key':
        case 'recover-db':
          if (s.at !== undefined) atTime(line, s.at, () => fault(s));
          else {
            fault(s);
            timeline.push({ line, start: engine.now, end: engine.now });
          }
          break;
        case 'expect': {
          const exp = s.expectation;
          if (exp.kind === 'metric' && i > lastAction) {
            deferred.push({ line, exp });
            runOptions.onCheckpoint?.({ line, kind: 'expect', start: engine.now, verdict: undefined }, engine);
            break;
          }
          if (exp.kind === 'value' || exp.kind === 'stale' || exp.kind === 'fresh' || exp.kind === 'error' || exp.kind === 'ok') {
            const target = previousOp(program.statements, i, exp.kind === 'error' || exp.kind === 'ok');
            const p = target === undefined ? undefined : opDone.get(target);
            if (p && !p.done) yield (r) => p.then(r);
            const r = target === undefined ? undefined : results[target];
            expectations.push(checkResult(line, exp, r, target));
          } else {
            // The acknowledged operations' remaining steps land first (each within a round trip of its ack).
            for (const t of [...trailing]) if (!t.done) yield (r) => t.then(r);
            expectations.push(exp.kind === 'metric' ? checkMetric(line, exp, engine.metrics()) : checkState(line, exp, engine));
          }
          timeline.push({ line, start: engine.now, end: engine.now });
          runOptions.onCheckpoint?.({ line, kind: 'expect', start: engine.now, verdict: expectations.at(-1) }, engine);
          break;
        }
      }
    }
    current = undefined;
  }

  const proc = director();
  const step = (): void => {
    const r = proc.next();
    if (!r.done) r.value(step);
  };
  let metrics: Metrics;
  try {
    // The statements before the first wait run here, the rest inside the engine's events: an error in either (the
    // parser rules out what the engine refuses; should something slip through) is a run error, never an exception.
    step();
    // A scenario is small: five million events means a run that will not settle, so stop and say so.
    metrics = engine.finish(runOptions.eventLimit ?? 5_000_000);
  } catch (e) {
    // Blame the statement the run was on when it stopped (an `advance` over hours of retries, say), or the last one
    // when the statements were all done and what they left running would not settle.
    const line = current ?? program.statements.at(-1)?.span.line ?? 1;
    errors.push({ line, message: e instanceof Error ? e.message : String(e) });
    metrics = engine.metrics();
  }
  for (const d of deferred) expectations.push(checkMetric(d.line, d.exp, metrics));
  // A run stopped by an error never reached its later expectations: each is listed as failed, saying so, rather than
  // left out (a summary of "0 of 0 expectations failed" hid them).
  const stopped = errors[0];
  if (stopped !== undefined) {
    const judged = new Set([...expectations.map((e) => e.line), ...deferred.map((d) => d.line)]);
    for (const s of program.statements) {
      if (s.kind !== 'expect' || judged.has(s.span.line)) continue;
      // The expectation the run stopped on was reached: it was waiting (for the read it checks, or for the steps of
      // the writes acknowledged before it) when the run stopped.
      const message =
        s.span.line === stopped.line
          ? 'not checked: the run stopped on this line, while it waited for earlier operations to finish'
          : `not checked: the run stopped on line ${stopped.line} before it reached this line`;
      expectations.push({ line: s.span.line, ok: false, message });
    }
  }
  expectations.sort((a, b) => a.line - b.line);
  timeline.sort((a, b) => a.line - b.line || a.start - b.start);
  return {
    strategy: options.strategy,
    ok: errors.length === 0 && expectations.every((e) => e.ok),
    started: true,
    metrics,
    expectations,
    errors,
    warnings,
    steps: engine.steps,
    timeline,
    results,
  };
}

/** The result of a run that could not start: one error on the program's first line, nothing run. */
function notRun(program: Program, strategy: Strategy, message: string): ScenarioResult {
  const first = program.statements[0]?.span.line ?? 1;
  return { strategy, ok: false, started: false, metrics: new Engine(defaultOptions(strategy)).metrics(), expectations: [], errors: [{ line: first, message }], warnings: [], steps: [], timeline: [], results: {} };
}

/** A tiny synchronous promise: resolution runs callbacks immediately, in the engine's own event. */
class Promise0 {
  done = false;
  private cbs: (() => void)[] = [];
  then(cb: () => void): void {
    if (this.done) cb();
    else this.cbs.push(cb);
  }
  resolve(): void {
    if (this.done) return;
    this.done = true;
    for (const cb of this.cbs.splice(0)) cb();
  }
}

/** Resolves once both `a` and `b` have. */
function bothDone(a: Promise0, b: Promise0): Promise0 {
  const p = new Promise0();
  a.then(() => b.then(() => p.resolve()));
  return p;
}

/** Line of the nearest earlier read (or any client operation) statement. */
function previousOp(statements: readonly Statement[], index: number, anyOp: boolean): number | undefined {
  for (let j = index - 1; j >= 0; j--) {
    const s = statements[j] as Statement;
    if (s.kind === 'op' && (anyOp || s.op.kind === 'read' || s.op.kind === 'read-db')) return s.span.line;
  }
  return undefined;
}

function checkResult(line: number, exp: Expectation, r: OpResult | undefined, target: number | undefined): ExpectationResult {
  if (!r) return { line, ok: false, message: target === undefined ? 'no earlier operation to check' : `the operation on line ${target} never completed` };
  switch (exp.kind) {
    case 'error':
      return r.ok ? { line, ok: false, message: `expected line ${target} to fail, but it succeeded` } : { line, ok: true, message: `line ${target} failed as expected: ${r.error}` };
    case 'ok':
      return r.ok ? { line, ok: true, message: `line ${target} succeeded` } : { line, ok: false, message: `expected line ${target} to succeed, but it failed: ${r.error}` };
    case 'value': {
      if (!r.ok) return { line, ok: false, message: `expected value ${show(exp.value)}, but the read on line ${target} failed: ${r.error}` };
      const ok = jsonEqual(r.value, exp.value); // undefined (missing) equals only undefined
      return { line, ok, message: ok ? `read on line ${target} returned ${show(exp.value)}` : `expected value ${show(exp.value)}, got ${r.value === undefined ? 'missing' : show(r.value)}` };
    }
    case 'stale':
      // A failed read returned nothing, so it is neither stale nor "the newest acknowledged value".
      if (!r.ok) return { line, ok: false, message: `expected the read on line ${target} to be stale, but it failed: ${r.error}` };
      return r.stale ? { line, ok: true, message: `the read on line ${target} was stale` } : { line, ok: false, message: `expected the read on line ${target} to be stale, but it returned the newest acknowledged value` };
    case 'fresh':
      return !r.stale && r.ok ? { line, ok: true, message: `the read on line ${target} was fresh` } : { line, ok: false, message: r.ok ? `expected the read on line ${target} to be fresh, but it was stale` : `the read on line ${target} failed: ${r.error}` };
    default:
      return { line, ok: false, message: 'not a result expectation' };
  }
}

function checkState(line: number, exp: Expectation, engine: Engine): ExpectationResult {
  if (exp.kind === 'db') {
    const row = engine.db.peek(exp.key);
    return compareStored(line, `db ${exp.key}`, row?.value, exp.value);
  }
  if (exp.kind === 'cache') {
    const node = engine.nodes[(exp.node ?? 1) - 1];
    if (!node) return { line, ok: false, message: `node${exp.node} does not exist` };
    const e = node.peek(exp.key);
    return compareStored(line, `cache ${exp.key} in ${node.name}`, e?.value, exp.value);
  }
  return { line, ok: false, message: 'not a state expectation' };
}

function compareStored(line: number, what: string, actual: Json | undefined, expected: Json | undefined): ExpectationResult {
  if (expected === undefined) {
    return actual === undefined ? { line, ok: true, message: `${what} is missing` } : { line, ok: false, message: `expected ${what} missing, got ${show(actual)}` };
  }
  if (actual === undefined) return { line, ok: false, message: `expected ${what} == ${show(expected)}, but it is missing` };
  const ok = jsonEqual(actual, expected);
  return { line, ok, message: ok ? `${what} == ${show(expected)}` : `expected ${what} == ${show(expected)}, got ${show(actual)}` };
}

function checkMetric(line: number, exp: Extract<Expectation, { kind: 'metric' }>, metrics: Metrics): ExpectationResult {
  const v = metricValue(metrics, exp.metric);
  if (v === undefined) return { line, ok: false, message: `unknown metric ${exp.metric}` };
  const ok = compare(v, exp.op, exp.value);
  // A latency named bare is its mean: said, since the learner may have meant a percentile (writeLatencyMs.p99).
  const got = isLatencyMetric(exp.metric) ? `${v} (the mean; ${exp.metric}.p50, .p99 or .max name another figure)` : String(v);
  return { line, ok, message: ok ? `metric ${exp.metric} is ${got} (${exp.op} ${exp.value})` : `expected metric ${exp.metric} ${exp.op} ${exp.value}, got ${got}` };
}

export function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * Two JSON values equal whatever the order of their objects' keys. Also takes plain data typed otherwise (the
 * playground's configs): a key whose value is undefined counts as absent, as JSON.stringify leaves it out.
 */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean;
export function jsonEqual(a: unknown, b: unknown): boolean;
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** Longest value a verdict message shows in full; a longer one is cut, so a megabyte value costs a line, not a megabyte per verdict. */
const SHOWN_VALUE_CHARS = 200;

/** Statements that do something on the virtual clock (see `lastAction` in runProgram). */
const ACTIONS: ReadonlySet<Statement['kind']> = new Set(['op', 'advance', 'crash', 'shutdown', 'restart', 'fail-db-for', 'fail-db-next', 'fail-db-key', 'recover-db']);

export function show(v: Json | undefined): string {
  if (v === undefined) return 'missing';
  const json = JSON.stringify(v);
  return json.length > SHOWN_VALUE_CHARS ? `${json.slice(0, SHOWN_VALUE_CHARS - 1)}… (${json.length.toLocaleString('en-US')} characters)` : json;
}
