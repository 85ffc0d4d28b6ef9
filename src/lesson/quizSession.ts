// One knowledge-check attempt as plain data: bank questions plus questions whose answer the engine computes by running
// a generated scenario, answered one at a time with immediate feedback, then scored. Pure, and JSON all the way down.
import { metricValue } from '../model/types';
import type { Metrics } from '../model/types';
import { plural } from '../model/words';
import { parseScenario } from '../scenario/parser';
import { optionsFromProgram, runProgram } from '../scenario/runner';
import type { ScenarioResult } from '../scenario/runner';
import { QUIZ_BANK, SCENARIO_QUESTION_TEMPLATES, drawTemplateParams, instantiateTemplate } from './quizBank';
import type { QuestionStyle, QuizOption, QuizQuestion, ScenarioQuestionTemplate, TemplateParams } from './quizBank';
import { drawAttempt, lastOf, mulberry32, randomIndex, scoreAttempt, shuffled } from './scoring';
import type { Answer, AttemptResult } from './scoring';
import { isClaimId } from './sections';

export interface SessionOption extends QuizOption {
  /** Engine-computed questions: the number this option stands for. */
  value?: number;
}

/** Where an engine-computed question came from, so the learner can open and run the very scenario. */
export interface ComputedFrom {
  templateId: string;
  params: TemplateParams;
  /** The scenario that was run; the correct answer is its `metric`. */
  scenarioText: string;
  metric: string;
  /** What the run measured: the value of the correct option. */
  measured: number;
}

export interface SessionQuestion extends QuizQuestion {
  options: SessionOption[];
  source: 'bank' | 'engine';
  computed?: ComputedFrom;
}

/** An attempt in progress or finished; plain JSON, so it survives webview state and globalState. */
export interface Attempt {
  v: 1;
  seed: number;
  questions: SessionQuestion[];
  /** In the order given; at most one per question. */
  answers: Answer[];
  finished: boolean;
}

export interface StartOptions {
  /** Questions in the attempt, engine-computed ones included. Default 5. */
  count?: number;
  /** How many of them are engine-computed (one template each). Default 1. */
  scenarioQuestions?: number;
  /**
   * Ids of questions not to ask again if others can be asked (the previous attempt's): bank questions and templates
   * (`calc:` ids) alike are drawn from the rest first. Default none.
   */
  avoid?: readonly string[];
}

export interface Feedback {
  questionId: string;
  optionId: string;
  correct: boolean;
  /** Why the chosen option is right or wrong. */
  explanation: string;
  correctOptionId: string;
  /** Why the correct option is right (the same text as `explanation` when the answer was correct). */
  correctExplanation: string;
}

export type AnswerOutcome = { ok: true; attempt: Attempt; feedback: Feedback } | { ok: false; attempt: Attempt; error: string };

export interface FinishOutcome {
  attempt: Attempt;
  score: AttemptResult;
  /** Questions left unanswered; they count as wrong. */
  unanswered: string[];
}

/** Message type of an answer sent by the quiz webview. */
export const QUIZ_ANSWER_MESSAGE = 'quiz/answer';

export type AnswerValidation = { ok: true; questionId: string; optionId: string } | { ok: false; reason: string };

const COMPUTED_PREFIX = 'calc:';
const MAX_QUESTIONS = QUIZ_BANK.length + SCENARIO_QUESTION_TEMPLATES.length;

// ---------------------------------------------------------------------------------------------------------------------
// Starting an attempt

/**
 * Draws an attempt. The same seed always gives the same questions, option order and ids. Engine-computed questions
 * come from distinct templates, placed at seeded positions among the bank questions; a template whose scenario fails
 * to parse or run is skipped and a bank question takes its place. Bank questions are drawn on claims the computed
 * questions do not cover, so no claim is asked twice while the attempt is no longer than the number of claims. Questions
 * and templates in `avoid` are drawn only when the others run out.
 * Throws a RangeError on a bad seed or count.
 */
export function startAttempt(seed: number, opts: StartOptions = {}): Attempt {
  const count = opts.count ?? 5;
  const wanted = opts.scenarioQuestions ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${String(seed)}`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_QUESTIONS) {
    throw new RangeError(`count must be a whole number from 1 to ${MAX_QUESTIONS}, got ${String(count)}`);
  }
  const maxComputed = Math.min(count, SCENARIO_QUESTION_TEMPLATES.length);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > maxComputed) {
    throw new RangeError(`scenarioQuestions must be a whole number from 0 to ${maxComputed}, got ${String(wanted)}`);
  }
  const rng = mulberry32(seed);
  const avoid = new Set(opts.avoid ?? []);
  const computed: SessionQuestion[] = [];
  for (const t of lastOf(shuffled(SCENARIO_QUESTION_TEMPLATES, rng), (x) => avoid.has(`${COMPUTED_PREFIX}${x.id}`))) {
    if (computed.length >= wanted) break;
    const q = computedQuestion(t, drawTemplateParams(t, rng), rng);
    if (q) computed.push(q);
  }
  const covered = computed.map((q) => q.claim);
  const questions: SessionQuestion[] = drawAttempt(QUIZ_BANK, count - computed.length, rng, covered, avoid).map((q) => ({ ...q, source: 'bank' }));
  for (const q of computed) questions.splice(Math.floor(rng() * (questions.length + 1)), 0, q);
  return { v: 1, seed, questions, answers: [], finished: false };
}

/**
 * One engine-computed question: fill the template, run its scenario, read the metric, and build three or four
 * numeric options around the measured value (see pickDistractors: the right value is the smallest, the largest or in
 * between as the seed falls). Undefined when the scenario does not parse, run or yield a number.
 */
export function computedQuestion(t: ScenarioQuestionTemplate, params: TemplateParams, rng: () => number): SessionQuestion | undefined {
  let prompt: string;
  let scenarioText: string;
  try {
    ({ prompt, scenarioText } = instantiateTemplate(t, params));
  } catch {
    return undefined;
  }
  const result = runText(scenarioText);
  if (!result) return undefined;
  const measured = metricValue(result.metrics, t.answerMetric);
  if (measured === undefined || !Number.isFinite(measured)) return undefined;

  const ctx: Context = { template: t, params, text: scenarioText, result, value: measured };
  const explain = EXPLAINERS[t.id] ?? genericExplainer;
  const { correct, distractors } = explain(ctx);
  const picked = pickDistractors(measured, distractors, fallbackDistractors(ctx), rng);
  // Ids follow ascending value; as the right value's rank varies, they say nothing about which option is right.
  // The order shown is shuffled.
  const all = [{ value: measured, explanation: correct }, ...picked].sort((a, b) => a.value - b.value);
  const options: SessionOption[] = all.map((o, i) => ({ id: String.fromCharCode(97 + i), text: formatValue(t.answerMetric, o.value), explanation: o.explanation, value: o.value }));
  const correctId = (options.find((o) => o.value === measured) as SessionOption).id;
  return {
    id: `${COMPUTED_PREFIX}${t.id}`,
    claim: t.claim,
    style: 'scenario',
    prompt,
    options: shuffled(options, rng),
    correct: correctId,
    source: 'engine',
    computed: { templateId: t.id, params: { ...params }, scenarioText, metric: t.answerMetric, measured },
  };
}

/** The scenario's result, or undefined when it has parse errors or errors while running. */
function runText(text: string): ScenarioResult | undefined {
  const program = parseScenario(text);
  if (program.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const result = runProgram(program);
  return result.errors.length === 0 ? result : undefined;
}

function formatValue(metric: string, v: number): string {
  return /LatencyMs/.test(metric) ? ms(v) : String(v);
}


// ---------------------------------------------------------------------------------------------------------------------
// Explanations and distractors, from the run's own numbers

interface Context {
  template: ScenarioQuestionTemplate;
  params: TemplateParams;
  text: string;
  result: ScenarioResult;
  value: number;
}

export interface Distractor {
  value: number;
  explanation: string;
}

interface Explained {
  correct: string;
  /**
   * Wrong values a learner could plausibly arrive at, ideally at least three below the right value and three above
   * it; duplicates, negative values and the right value are dropped later. On a tie in value the first one is kept.
   */
  distractors: Distractor[];
}

/** Wrong options per engine-computed question. */
const DISTRACTORS = 3;

/**
 * Chooses the wrong options. How many of them lie below the measured value is drawn from 0..3 with the attempt's
 * random source and then moved into what the candidates allow, so the right value is the largest option, the smallest
 * or one in between, and "pick the largest (smallest) number" is right at most about one time in four. Which
 * candidates fill each side is random too. The fallback values are used only when the template's own candidates are
 * fewer than three.
 */
export function pickDistractors(measured: number, own: readonly Distractor[], fallback: readonly Distractor[], rng: () => number): Distractor[] {
  const usable = (list: readonly Distractor[], seen: Set<number>): Distractor[] =>
    list.filter((d) => {
      if (!Number.isFinite(d.value) || d.value < 0 || seen.has(d.value)) return false;
      seen.add(d.value);
      return true;
    });
  const seen = new Set<number>([measured]);
  let pool = usable(own, seen);
  if (pool.length < DISTRACTORS) pool = [...pool, ...usable(fallback, seen)];
  const below = shuffled(pool.filter((d) => d.value < measured), rng);
  const above = shuffled(pool.filter((d) => d.value > measured), rng);
  const want = Math.min(DISTRACTORS, pool.length);
  const fewest = Math.max(0, want - above.length);
  const most = Math.min(want, below.length);
  const drawn = randomIndex(rng, want + 1);
  const nBelow = Math.min(most, Math.max(fewest, drawn));
  return [...below.slice(0, nBelow), ...above.slice(0, want - nBelow)];
}

type Explainer = (ctx: Context) => Explained;

/** The same scenario with one line changed (a `set`, or the strategy), run again: metrics of "what if". */
function whatIf(text: string, change: { set: string; to: string } | { strategy: string }): Metrics | undefined {
  const lines = text.split('\n');
  if ('strategy' in change) {
    const i = lines.findIndex((l) => /^\s*strategy\s/.test(l));
    if (i < 0) return undefined;
    lines[i] = `strategy ${change.strategy}`;
  } else {
    const line = `set ${change.set} ${change.to}`;
    const same = (l: string): boolean => l.trim().split(/\s+/).slice(0, 2).join(' ') === `set ${change.set}`;
    const kept = lines.filter((l) => !same(l));
    const at = kept.findIndex((l) => /^\s*strategy\s/.test(l));
    kept.splice(at + 1, 0, line);
    lines.splice(0, lines.length, ...kept);
  }
  return runText(lines.join('\n'))?.metrics;
}

/** Milliseconds with a no-break space, so a wrapped line never leaves the unit alone (as the question bank writes them). */
function ms(v: number): string {
  return `${v}\u00a0ms`;
}

/** A moment of the run's virtual clock: milliseconds below a second, else seconds (`41 ms`, `60.01 s`). */
function clock(t: number): string {
  return t < 1000 ? ms(t) : `${Number((t / 1000).toFixed(3))}\u00a0s`;
}

const lostWritesExplainer: Explainer = (ctx) => {
  const { result, value } = ctx;
  const crash = result.steps.find((s) => s.action === 'crash');
  const acked = (before: number): number => result.steps.filter((s) => s.action === 'ack' && s.outcome === 'ok' && s.time <= before).length;
  let correct: string;
  if (crash) {
    const ackedBefore = acked(crash.time);
    const flushed = result.steps
      .filter((s) => s.action === 'db.batch' && s.outcome === 'persisted' && s.time <= crash.time)
      .reduce((n, s) => n + (s.writes?.length ?? 0), 0);
    const inQueue = result.steps.filter((s) => s.action === 'queue.lost' && s.time === crash.time).reduce((n, s) => n + (s.writes?.length ?? 0), 0);
    correct =
      `The run acknowledged ${plural(ackedBefore, 'write')} before the cache crashed at ${clock(crash.time)}; ` +
      `${flushed === 0 ? 'no flush had persisted any of them' : `${plural(flushed, 'write')} had been flushed`}, ` +
      `so the queue held ${plural(inQueue, 'acknowledged write')} when the crash emptied it: ${value} lost (lostWrites = ${value}).`;
  } else {
    correct = `Running the scenario gives lostWrites = ${value}: every acknowledged write the database never received.`;
  }
  const distractors: Explained['distractors'] = [];
  // A write-ahead log only helps once the node restarts, which these scenarios need not do; a backup member
  // takes over the queue at the crash itself, so it is the fair "what if".
  const backup = whatIf(ctx.text, { set: 'writeBehind.backup', to: 'on' });
  if (backup) {
    distractors.push({
      value: backup.lostWrites,
      explanation: `That is the count when a backup member holds a copy of the queue (writeBehind.backup on): the same run then loses ${backup.lostWrites}. Here the queue lived only in the crashed node, and a write-behind ack only meant the value had reached its memory.`,
    });
  }
  distractors.push({
    value: 0,
    explanation: 'An acknowledgement from a write-behind cache means the value reached the cache, not the database. Every acknowledged write still in the queue is lost with it.',
  });
  distractors.push({
    value: 1,
    explanation: 'Coalescing may fold the writes into one queue entry, but each write was acknowledged to the app on its own, and each is lost with that entry.',
  });
  const total = crash ? acked(crash.time) : value;
  distractors.push({ value: total - 1, explanation: `Off by one: every write acknowledged since the last flush is lost, the first one included.` });
  distractors.push({ value: total + 1, explanation: `Only ${plural(total, 'write')} had been acknowledged when the cache crashed; nothing else could be lost.` });
  distractors.push({
    value: 2 * total,
    explanation: `Each write's value sat in the cache and its change in the queue, and the crash took both, but that is one lost write, not two: ${plural(total, 'acknowledged write')}, no more.`,
  });
  return { correct, distractors };
};

const dbWritesExplainer: Explainer = (ctx) => {
  const { result, value } = ctx;
  const m = result.metrics;
  const batches = result.steps.filter((s) => s.action === 'db.batch' && s.outcome === 'persisted');
  const carried = batches.reduce((n, s) => n + (s.writes?.length ?? 0), 0);
  const first = batches[0];
  const correct =
    `The run acknowledged ${plural(m.acknowledgedWrites, 'write')}; with coalescing on, each replaced the pending entry for its key, ` +
    `so ${first ? `the flush at ${clock(first.time)}` : 'the flush'} applied ${plural(value, 'row write')} carrying all ${carried} (dbWrites = ${value}).`;
  const distractors: Explained['distractors'] = [];
  const off = whatIf(ctx.text, { set: 'writeBehind.coalescing', to: 'off' });
  if (off) {
    distractors.push({
      value: off.dbWrites,
      explanation: `That is the count with coalescing off: the same run then applies ${plural(off.dbWrites, 'row write')}, one per acknowledged write.`,
    });
  }
  distractors.push({ value: 0, explanation: 'The key did change, so its newest value must still reach the database: at least one row write.' });
  distractors.push({ value: 2, explanation: 'Coalescing does not keep the first value and the last one: only the newest pending value per key, and all the writes fell into one flush window.' });
  const acked = m.acknowledgedWrites;
  distractors.push({
    value: acked - 1,
    explanation: `Each write after the first replaced the pending entry, but a replacement is not a database write: ${plural(acked - 1, 'replacement')}, and only the entry left at the flush is written.`,
  });
  distractors.push({
    value: acked + 1,
    explanation: `That would be one row write per acknowledged write and one more for the batch. A batch is not a row write of its own, and coalescing had already folded the ${acked} writes into one.`,
  });
  return { correct, distractors };
};

const writeLatencyExplainer: Explainer = (ctx) => {
  const { result, value } = ctx;
  const { cache, db } = latencies(ctx.text);
  const ack = result.steps.find((s) => s.action === 'ack' && s.outcome === 'ok');
  const correct =
    `The write waited ${ms(cache)} for the cache and then ${ms(db)} for the database, one after the other` +
    `${ack ? `; the ack came at ${clock(ack.time)}` : ''}, so it took ${ms(value)} (writeLatencyMs.max = ${value}).`;
  const distractors: Explained['distractors'] = [];
  const behind = whatIf(ctx.text, { strategy: 'write-behind' });
  if (behind) {
    const v = behind.writeLatencyMs.max;
    distractors.push({ value: v, explanation: `That is write-behind's cost: it acknowledges after the cache write alone (the same write takes ${ms(v)} there).` });
  }
  distractors.push({
    value: db,
    explanation: 'That counts only the database round trip, as if the cache were written alongside it; write-through waits for the cache, then for the database.',
  });
  distractors.push({ value: (cache + db) / 2, explanation: 'Round trips made one after the other add up; they are never averaged.' });
  distractors.push({ value: 2 * db, explanation: 'There is one database round trip per write, not two, and the cache\'s round trip counts as well.' });
  distractors.push({
    value: cache + 2 * db,
    explanation: 'The cache and then the database, but the database only once: its reply to the write is the confirmation, there is no second round trip.',
  });
  distractors.push({
    value: 2 * (cache + db),
    explanation: 'A round trip\'s latency already covers the request and the reply; doubling each one counts every trip twice.',
  });
  return { correct, distractors };
};

/** A scenario's latency settings (the defaults where it sets none). */
function latencies(text: string): { cache: number; db: number } {
  const o = optionsFromProgram(parseScenario(text));
  return { cache: o.cache.latencyMs, db: o.db.latencyMs };
}

const writeBehindLatencyExplainer: Explainer = (ctx) => {
  const { result, value } = ctx;
  const { cache, db } = latencies(ctx.text);
  const ack = result.steps.find((s) => s.action === 'ack' && s.outcome === 'ok');
  const flush = result.steps.find((s) => s.action === 'db.batch' && s.outcome === 'persisted');
  const correct =
    `The write waited ${ms(cache)} for the cache round trip and was acknowledged then${ack ? ` (at ${clock(ack.time)})` : ''}; ` +
    `the database got it ${flush ? `at the flush, at ${clock(flush.time)}` : 'at a later flush'}, long after the app had moved on. ` +
    `So it took ${ms(value)} (writeLatencyMs.max = ${value}).`;
  const distractors: Explained['distractors'] = [];
  const through = whatIf(ctx.text, { strategy: 'write-through' });
  if (through) {
    const v = through.writeLatencyMs.max;
    distractors.push({ value: v, explanation: `That is write-through's cost: it waits for the cache and then for the database before the ack (${ms(v)} for the same write).` });
  }
  distractors.push({ value: db, explanation: 'The database round trip happens at the flush, after the acknowledgement; the caller never waits for it.' });
  if (flush) {
    distractors.push({
      value: flush.time,
      explanation: `That is when the flush persisted the write (${ms(flush.time)}). Write-behind does not hold the caller until then: the acknowledgement comes after the cache write.`,
    });
  }
  distractors.push({ value: 2 * cache, explanation: 'A round trip already covers the request and the reply; the cache round trip counts once.' });
  distractors.push({ value: 0, explanation: 'The cache is fast but not free: the write waits one cache round trip before the ack.' });
  return { correct, distractors };
};

const readAfterWriteAroundExplainer: Explainer = (ctx) => {
  const { value } = ctx;
  const { cache, db } = latencies(ctx.text);
  const key = String(ctx.params.key ?? 'the key');
  const correct =
    `Write-around sent the write to the database only, so the cache did not hold ${key}: the read missed after the ${ms(cache)} ` +
    `cache round trip, and the node loaded the row from the database in ${ms(db)} more. It took ${ms(value)} (readLatencyMs.max = ${value}).`;
  const distractors: Explained['distractors'] = [];
  const through = whatIf(ctx.text, { strategy: 'write-through' });
  if (through) {
    const v = through.readLatencyMs.max;
    distractors.push({ value: v, explanation: `That is a cache hit (${ms(v)}), which write-through would give: it puts the written value in the cache. Write-around leaves the cache alone, so the first read misses.` });
  }
  const aside = whatIf(ctx.text, { strategy: 'cache-aside' });
  if (aside) {
    const v = aside.readLatencyMs.max;
    distractors.push({ value: v, explanation: `That is a cache-aside miss (${ms(v)}): the application reads the database and then fills the cache itself, one cache round trip more. Here the node loads the row on the miss.` });
  }
  distractors.push({ value: db, explanation: 'The read asks the cache first and only then goes to the database: the cache round trip counts too.' });
  distractors.push({ value: cache + 2 * db, explanation: 'One database round trip serves the miss: the load returns the row, no second trip is needed.' });
  distractors.push({ value: 2 * (cache + db), explanation: "A round trip's latency already covers the request and the reply; doubling each one counts every trip twice." });
  return { correct, distractors };
};

const counterLostExplainer: Explainer = (ctx) => {
  const { result, value } = ctx;
  const crash = result.steps.find((s) => s.action === 'crash');
  const persisted = result.steps.filter((s) => s.action === 'db.batch' && s.outcome === 'persisted' && (crash === undefined || s.time <= crash.time));
  const flushed = persisted.reduce((n, s) => n + (s.writes?.length ?? 0), 0);
  const acked = result.steps.filter((s) => s.action === 'ack' && s.outcome === 'ok' && (crash === undefined || s.time <= crash.time)).length;
  const after = acked - flushed;
  const last = persisted[persisted.length - 1];
  const correct =
    `${last ? `The flush at ${clock(last.time)} persisted ${plural(flushed, 'increment')}` : 'No flush persisted any increment'}; ` +
    `the ${plural(after, 'increment')} acknowledged after it waited in the queue for the next flush, and the crash${crash ? ` at ${clock(crash.time)}` : ''} ` +
    `emptied the queue: ${value} lost (lostWrites = ${value}).`;
  const distractors: Explained['distractors'] = [];
  const backup = whatIf(ctx.text, { set: 'writeBehind.backup', to: 'on' });
  if (backup) {
    distractors.push({
      value: backup.lostWrites,
      explanation: `That is the count with a backup member holding a copy of the queue (writeBehind.backup on): the same run then loses ${backup.lostWrites}. Here the queue lived only in the crashed node.`,
    });
  }
  distractors.push({ value: acked, explanation: `That counts every increment, but the flush had already persisted ${plural(flushed, 'increment')}: a crash cannot take back what the database holds.` });
  distractors.push({ value: flushed, explanation: `Those ${flushed} are the increments the flush persisted, the safe ones; the ones lost are those acknowledged after it.` });
  distractors.push({
    value: 1,
    explanation: 'Coalescing folds the pending increments into one queue entry, but each was acknowledged to the app on its own, and each is lost with that entry.',
  });
  distractors.push({ value: 0, explanation: "An acknowledgement from a write-behind cache means the count reached the cache's memory, not the database; the crash takes the pending ones with it." });
  distractors.push({ value: after + 1, explanation: `Only ${plural(after, 'increment')} had been acknowledged since the flush; nothing else was pending.` });
  return { correct, distractors };
};

function genericExplainer(ctx: Context): Explained {
  return { correct: `Running the scenario measures ${ctx.template.answerMetric} = ${ctx.value}.`, distractors: [] };
}

/** Explanations written for each template, keyed by template id; other templates get generic ones. */
const EXPLAINERS: Readonly<Record<string, Explainer>> = {
  't-wb-crash-lost': lostWritesExplainer,
  't-wb-coalesce-dbwrites': dbWritesExplainer,
  't-wt-latency': writeLatencyExplainer,
  't-wb-latency': writeBehindLatencyExplainer,
  't-wa-read-after-write': readAfterWriteAroundExplainer,
  't-counter-crash': counterLostExplainer,
};

/** Always-available wrong values on both sides of the measured one, used when a template's own distractors run out. */
function fallbackDistractors(ctx: Context): Explained['distractors'] {
  const v = ctx.value;
  const says = (x: number): string =>
    `Not what the run measured: ${ctx.template.answerMetric} came out at ${formatValue(ctx.template.answerMetric, v)}, not ${formatValue(ctx.template.answerMetric, x)}.`;
  return [0, v - 1, v - 2, v + 1, v * 2, v + 2, v + 3].map((x) => ({ value: x, explanation: says(x) }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Answering and finishing

function clipId(s: string): string {
  const short = s.length > 40 ? `${s.slice(0, 37)}...` : s;
  return JSON.stringify(short);
}

function describeValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Checks an answer message from the webview against the attempt: an object `{ type?: 'quiz/answer', questionId,
 * optionId }` with string ids, the question in this attempt and not yet answered, the option one of its options,
 * and the attempt not finished. Never throws.
 */
export function validateAnswerMessage(attempt: Attempt, message: unknown): AnswerValidation {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { ok: false, reason: `expected an object with questionId and optionId, got ${describeValue(message)}` };
  }
  const m = message as Record<string, unknown>;
  for (const k of Object.keys(m)) {
    if (k !== 'type' && k !== 'questionId' && k !== 'optionId') return { ok: false, reason: `unexpected field ${clipId(k)}; expected questionId and optionId` };
  }
  if (m.type !== undefined && m.type !== QUIZ_ANSWER_MESSAGE) return { ok: false, reason: `expected type "${QUIZ_ANSWER_MESSAGE}", got ${typeof m.type === 'string' ? clipId(m.type) : describeValue(m.type)}` };
  if (typeof m.questionId !== 'string') return { ok: false, reason: `questionId must be a string, got ${describeValue(m.questionId)}` };
  if (typeof m.optionId !== 'string') return { ok: false, reason: `optionId must be a string, got ${describeValue(m.optionId)}` };
  const { questionId, optionId } = m;
  if (attempt.finished) return { ok: false, reason: 'this attempt is finished; start a new one to answer again' };
  const q = attempt.questions.find((x) => x.id === questionId);
  if (!q) return { ok: false, reason: `unknown question ${clipId(questionId)}; this attempt has ${attempt.questions.map((x) => x.id).join(', ')}` };
  if (!q.options.some((o) => o.id === optionId)) {
    return { ok: false, reason: `question ${clipId(questionId)} has no option ${clipId(optionId)}; its options are ${q.options.map((o) => o.id).join(', ')}` };
  }
  const previous = attempt.answers.find((a) => a.questionId === questionId);
  if (previous) return { ok: false, reason: `question ${clipId(questionId)} is already answered (option "${previous.optionId}"); an answer cannot be changed` };
  return { ok: true, questionId, optionId };
}

/** Records one answer and says at once whether it was right, and why. Invalid answers come back as `ok: false`. */
export function answer(attempt: Attempt, questionId: string, optionId: string): AnswerOutcome {
  const v = validateAnswerMessage(attempt, { questionId, optionId });
  if (!v.ok) return { ok: false, attempt, error: v.reason };
  const q = attempt.questions.find((x) => x.id === questionId) as SessionQuestion;
  const chosen = q.options.find((o) => o.id === optionId) as SessionOption;
  const right = q.options.find((o) => o.id === q.correct);
  const next: Attempt = { ...attempt, answers: [...attempt.answers, { questionId, optionId }] };
  return {
    ok: true,
    attempt: next,
    feedback: {
      questionId,
      optionId,
      correct: optionId === q.correct,
      explanation: chosen.explanation,
      correctOptionId: q.correct,
      correctExplanation: right?.explanation ?? '',
    },
  };
}

/** Scores the attempt (70% to pass, exactly: 4/5 and 7/10 pass, 3/5 and 6/10 fail) and marks it finished. */
export function finish(attempt: Attempt): FinishOutcome {
  const answered = new Set(attempt.answers.map((a) => a.questionId));
  return {
    attempt: { ...attempt, finished: true },
    score: scoreAttempt(attempt.answers, attempt.questions),
    unanswered: attempt.questions.filter((q) => !answered.has(q.id)).map((q) => q.id),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The webview's view, and restoring a stored attempt

export interface QuestionView {
  id: string;
  claim: string;
  style: QuestionStyle;
  prompt: string;
  options: { id: string; text: string }[];
  /** Engine-computed questions: the scenario that was run, to open in an editor. */
  scenarioText?: string;
  /** Present once answered: the same feedback answer() gave. */
  feedback?: Feedback;
}

/** What the quiz webview needs: no correct answers or explanations until a question has been answered. */
export function attemptView(attempt: Attempt): { questions: QuestionView[]; answered: number; total: number; finished: boolean } {
  const questions = attempt.questions.map((q) => {
    const view: QuestionView = { id: q.id, claim: q.claim, style: q.style, prompt: q.prompt, options: q.options.map((o) => ({ id: o.id, text: o.text })) };
    if (q.computed) view.scenarioText = q.computed.scenarioText;
    const a = attempt.answers.find((x) => x.questionId === q.id);
    const chosen = a && q.options.find((o) => o.id === a.optionId);
    if (a && chosen) {
      view.feedback = {
        questionId: q.id,
        optionId: a.optionId,
        correct: a.optionId === q.correct,
        explanation: chosen.explanation,
        correctOptionId: q.correct,
        correctExplanation: q.options.find((o) => o.id === q.correct)?.explanation ?? '',
      };
    }
    return view;
  });
  return { questions, answered: attempt.answers.length, total: attempt.questions.length, finished: attempt.finished };
}

const STYLES: readonly QuestionStyle[] = ['definition', 'scenario', 'choose'];
const MAX_TEXT = 4000;

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns a stored attempt (webview state, globalState) back into an Attempt, or undefined when anything about it is
 * off: a corrupted or outdated attempt is dropped and a new one drawn, never half-trusted. Never throws.
 */
export function validateAttempt(raw: unknown): Attempt | undefined {
  try {
    return checkAttempt(raw);
  } catch {
    return undefined;
  }
}

function checkAttempt(raw: unknown): Attempt | undefined {
  if (!isRec(raw) || raw.v !== 1 || typeof raw.seed !== 'number' || !Number.isSafeInteger(raw.seed) || typeof raw.finished !== 'boolean') return undefined;
  if (!Array.isArray(raw.questions) || raw.questions.length === 0 || raw.questions.length > MAX_QUESTIONS) return undefined;
  if (!Array.isArray(raw.answers) || raw.answers.length > raw.questions.length) return undefined;
  const questions: SessionQuestion[] = [];
  for (const q of raw.questions as unknown[]) {
    const checked = checkQuestion(q);
    if (!checked || questions.some((x) => x.id === checked.id)) return undefined;
    questions.push(checked);
  }
  const answers: Answer[] = [];
  for (const a of raw.answers as unknown[]) {
    if (!isRec(a) || !isText(a.questionId, 100) || !isText(a.optionId, 100)) return undefined;
    const q = questions.find((x) => x.id === a.questionId);
    if (!q || !q.options.some((o) => o.id === a.optionId) || answers.some((x) => x.questionId === a.questionId)) return undefined;
    answers.push({ questionId: a.questionId, optionId: a.optionId });
  }
  return { v: 1, seed: raw.seed, questions, answers, finished: raw.finished };
}

function checkQuestion(q: unknown): SessionQuestion | undefined {
  if (!isRec(q) || !isText(q.id, 100) || !isText(q.claim, 10) || !isClaimId(q.claim) || !isText(q.prompt) || !isText(q.correct, 100)) return undefined;
  if (typeof q.style !== 'string' || !(STYLES as readonly string[]).includes(q.style)) return undefined;
  if (q.source !== 'bank' && q.source !== 'engine') return undefined;
  if (!Array.isArray(q.options) || q.options.length < 2 || q.options.length > 6) return undefined;
  const options: SessionOption[] = [];
  for (const o of q.options as unknown[]) {
    if (!isRec(o) || !isText(o.id, 100) || !isText(o.text) || !isText(o.explanation)) return undefined;
    if (options.some((x) => x.id === o.id)) return undefined;
    const opt: SessionOption = { id: o.id, text: o.text, explanation: o.explanation };
    if (o.value !== undefined) {
      if (typeof o.value !== 'number' || !Number.isFinite(o.value)) return undefined;
      opt.value = o.value;
    }
    options.push(opt);
  }
  if (!options.some((o) => o.id === q.correct)) return undefined;
  const out: SessionQuestion = { id: q.id, claim: q.claim, style: q.style as QuestionStyle, prompt: q.prompt, options, correct: q.correct, source: q.source };
  if (q.computed !== undefined) {
    const c = q.computed;
    if (!isRec(c) || !isText(c.templateId, 100) || !isText(c.scenarioText, 100_000) || !isText(c.metric, 100)) return undefined;
    if (typeof c.measured !== 'number' || !Number.isFinite(c.measured) || !isRec(c.params)) return undefined;
    const params: TemplateParams = {};
    for (const [k, v] of Object.entries(c.params)) {
      if (typeof v !== 'string' && (typeof v !== 'number' || !Number.isFinite(v))) return undefined;
      params[k] = v;
    }
    out.computed = { templateId: c.templateId, params, scenarioText: c.scenarioText, metric: c.metric, measured: c.measured };
  }
  return out;
}
