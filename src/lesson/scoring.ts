// Pure scoring of the knowledge check: drawing an attempt, grading it, and the learner's stored progress.
// Randomness comes in as a function and stored state is validated on the way in, so both stay testable and crash-proof.
import type { QuizQuestion } from './quizBank';

/** Share of correct answers needed to complete the lesson. */
export const PASS_THRESHOLD = 0.7;
// PASS_THRESHOLD as an exact fraction, so 7/10 passes without trusting floating point.
const PASS_NUMERATOR = 7;
const PASS_DENOMINATOR = 10;

export interface Answer {
  questionId: string;
  optionId: string;
}

export interface AttemptResult {
  correct: number;
  total: number;
  /** correct / total, 0 when there were no questions. */
  ratio: number;
  passed: boolean;
}

/**
 * Grades answers against the questions of an attempt. `total` is the number of questions, so an unanswered question
 * counts as wrong; answers to unknown questions are ignored, and if a question is answered twice the last answer counts.
 * An attempt with no questions is not a pass.
 */
export function scoreAttempt(answers: readonly Answer[], questions: readonly QuizQuestion[]): AttemptResult {
  const chosen = new Map<string, string>();
  for (const a of answers) chosen.set(a.questionId, a.optionId);
  let correct = 0;
  for (const q of questions) if (chosen.get(q.id) === q.correct) correct++;
  const total = questions.length;
  return {
    correct,
    total,
    ratio: total === 0 ? 0 : correct / total,
    passed: total > 0 && correct * PASS_DENOMINATOR >= total * PASS_NUMERATOR,
  };
}

/** Mulberry32: a tiny seeded PRNG returning floats in [0, 1); good enough for shuffling quiz questions. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An index in 0..n-1 from `rng`, clamped so a misbehaving source (1, NaN, negatives) cannot escape the range. */
export function randomIndex(rng: () => number, n: number): number {
  const r = rng();
  if (!Number.isFinite(r)) return 0;
  return Math.min(n - 1, Math.max(0, Math.floor(r * n)));
}

/** A copy of `items` in a random order (Fisher-Yates over `randomIndex`). */
export function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/**
 * Draws `count` distinct questions (all of them if the bank is smaller), covering as many different claims as
 * possible, and shuffles each question's options. Claims in `coveredClaims` (those the attempt's other questions
 * already ask about) are treated as taken: a question on one of them is drawn only when the other claims run out.
 * Returns copies; the bank is untouched. The same `rng` sequence always yields the same attempt.
 */
export function drawAttempt(
  bank: readonly QuizQuestion[],
  count = 5,
  rng: () => number = Math.random,
  coveredClaims: Iterable<string> = [],
  avoid: ReadonlySet<string> = new Set(),
): QuizQuestion[] {
  const n = Math.max(0, Math.min(Math.floor(count), bank.length));
  // Questions to avoid (the last attempt's) go to the end of the draw: asked again only when the rest run out.
  const order = lastOf(shuffled(bank, rng), (q) => avoid.has(q.id));
  const picked: QuizQuestion[] = [];
  const claims = new Set<string>(coveredClaims);
  const seen = new Set<string>();
  // First pass: one question per claim; second pass: fill up if there are fewer claims than questions wanted.
  for (const q of order) {
    if (picked.length >= n) break;
    if (claims.has(q.claim) || seen.has(q.id)) continue;
    claims.add(q.claim);
    seen.add(q.id);
    picked.push(q);
  }
  for (const q of order) {
    if (picked.length >= n) break;
    if (seen.has(q.id)) continue;
    seen.add(q.id);
    picked.push(q);
  }
  return picked.map((q) => ({ ...q, options: shuffled(q.options, rng).map((o) => ({ ...o })) }));
}

/** `items` in the same order, except that those `last` picks follow all the others. */
export function lastOf<T>(items: readonly T[], last: (item: T) => boolean): T[] {
  return [...items.filter((x) => !last(x)), ...items.filter(last)];
}

// ---------------------------------------------------------------------------------------------------------------------
// Progress

export interface Progress {
  /** Quiz attempts graded so far. */
  attempts: number;
  /** Best ratio reached, 0..1. */
  bestScore: number;
  /** True once an attempt has passed; never goes back to false except by a reset. */
  completed: boolean;
  /** Section ids opened, in the order first read, without duplicates. */
  sectionsRead: string[];
  lastSection?: string;
  /**
   * Seed of the last attempt recorded: recording the same attempt again changes nothing, so an attempt whose grading
   * was saved but whose count was not (the extension host ended between the two writes) can be recorded on the next
   * load without ever counting twice.
   */
  lastAttempt?: number;
}

export function emptyProgress(): Progress {
  return { attempts: 0, bestScore: 0, completed: false, sectionsRead: [] };
}

/** Counts a graded attempt; with its seed, an attempt already counted (the last one recorded) is not counted again. */
export function recordAttempt(progress: Progress, result: AttemptResult, attemptSeed?: number): Progress {
  if (attemptSeed !== undefined && progress.lastAttempt === attemptSeed) return progress;
  const next: Progress = {
    ...progress,
    sectionsRead: progress.sectionsRead.slice(),
    attempts: progress.attempts + 1,
    bestScore: Math.max(progress.bestScore, clamp01(result.ratio)),
    completed: progress.completed || result.passed,
  };
  if (attemptSeed !== undefined) next.lastAttempt = attemptSeed;
  return next;
}

export function markSectionRead(progress: Progress, sectionId: string): Progress {
  const sectionsRead = progress.sectionsRead.includes(sectionId)
    ? progress.sectionsRead.slice()
    : [...progress.sectionsRead, sectionId];
  return { ...progress, sectionsRead, lastSection: sectionId };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Longest section id kept, and most ids kept, from stored state: bounds what a corrupted store can inflate. */
const MAX_ID_LENGTH = 100;
const MAX_SECTIONS = 100;

/**
 * Turns whatever was read from storage into a valid Progress: wrong types fall back to their empty value, numbers are
 * clamped (attempts to a non-negative integer, bestScore to 0..1), duplicate or overlong section ids are dropped.
 * With `knownSections`, ids not in it are dropped too (a section renamed in a later version). Never throws.
 */
export function validateProgress(raw: unknown, knownSections?: readonly string[]): Progress {
  try {
    return repairProgress(raw, knownSections);
  } catch {
    // Only reachable through exotic objects (throwing getters, revoked proxies); stored JSON never gets here.
    return emptyProgress();
  }
}

function repairProgress(raw: unknown, knownSections: readonly string[] | undefined): Progress {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return emptyProgress();
  const r = raw as Record<string, unknown>;
  const isKnown = (s: string): boolean =>
    s.length > 0 && s.length <= MAX_ID_LENGTH && (knownSections === undefined || knownSections.includes(s));

  const attempts =
    typeof r.attempts === 'number' && Number.isFinite(r.attempts) && r.attempts > 0 ? Math.floor(r.attempts) : 0;
  const bestScore = typeof r.bestScore === 'number' ? clamp01(r.bestScore) : 0;
  // A best score at the pass mark is a pass, whatever the stored flag says (it only ever goes from false to true).
  const completed = r.completed === true || bestScore >= PASS_THRESHOLD;
  const sectionsRead: string[] = [];
  if (Array.isArray(r.sectionsRead)) {
    for (const s of r.sectionsRead as unknown[]) {
      if (sectionsRead.length >= MAX_SECTIONS) break;
      if (typeof s === 'string' && isKnown(s) && !sectionsRead.includes(s)) sectionsRead.push(s);
    }
  }
  const progress: Progress = { attempts, bestScore, completed, sectionsRead };
  if (typeof r.lastSection === 'string' && isKnown(r.lastSection)) progress.lastSection = r.lastSection;
  if (typeof r.lastAttempt === 'number' && Number.isSafeInteger(r.lastAttempt)) progress.lastAttempt = r.lastAttempt;
  return progress;
}
