// The knowledge check's host side: the attempt in progress lives here and in globalState (so neither a webview reload
// nor a window reload loses it), quiz messages are applied to it, and a finished attempt is recorded in the progress.
import { randomInt } from 'node:crypto';
import { answer, attemptView, finish, startAttempt, validateAttempt } from '../lesson/quizSession';
import type { Attempt } from '../lesson/quizSession';
import { PASS_THRESHOLD, scoreAttempt } from '../lesson/scoring';
import type { AttemptResult } from '../lesson/scoring';
import type { QuizState } from './protocol';
import { MementoWrites } from './mementoWrites';
import type { StateMemento } from './mementoWrites';

/** globalState key of the attempt in progress (versioned like the progress keys). */
export const QUIZ_ATTEMPT_STORAGE_KEY = 'cacheWorkbench.quizAttempt.v1';

/** Questions per attempt. */
export const QUIZ_QUESTIONS = 5;

/** The part of vscode.Memento the controller uses (globalState in the extension, a Map in unit tests). */
export type AttemptMemento = StateMemento;

export interface QuizDeps {
  memento: AttemptMemento;
  /**
   * Records a graded attempt in the learner's progress (ProgressStore.recordAttempt). Called again for an attempt
   * already recorded (each time a finished attempt is loaded): the seed makes that a no-op.
   */
  record(result: AttemptResult, attemptSeed: number): Promise<void>;
  log(line: string): void;
  /** Seed of a new attempt. Default: the OS's cryptographic random source, so attempts differ. */
  newSeed?: () => number;
}

/**
 * `state` on a refusal: the attempt changed in another window (a new attempt, or progress reset) since the page got
 * its own; the page should show this one instead.
 */
export type QuizOutcome = { ok: true; state: QuizState } | { ok: false; error: string; state?: QuizState };

/** What globalState holds for the attempt: nothing, an attempt, or something that does not validate. */
type Stored = { kind: 'none' } | { kind: 'attempt'; attempt: Attempt } | { kind: 'damaged' };

/** A fresh 32-bit seed from crypto. */
export function cryptoSeed(): number {
  return randomInt(0, 0xffff_ffff);
}

export class QuizController {
  private attempt: Attempt | undefined;
  /** Saves handed to the memento (reload() waits for them to settle). */
  private readonly saves: MementoWrites;

  constructor(private readonly deps: QuizDeps) {
    this.saves = new MementoWrites(deps.memento, (_key, err) => deps.log(`quiz: could not save the attempt: ${String(err)}`));
    this.attempt = this.load();
    this.recordIfFinished();
  }

  /** `quiz/start`: the attempt in progress (or the finished one, with its score), or a new one when there is none. */
  async start(): Promise<QuizState> {
    this.sync();
    if (!this.attempt) await this.begin();
    return this.state(null);
  }

  /** `quiz/answer`: records one answer; a question already answered, an unknown id or a finished attempt is refused. */
  async answer(questionId: string, optionId: string): Promise<QuizOutcome> {
    const synced = this.sync();
    if (synced === 'replaced') return this.changedElsewhere('Your answer was not recorded');
    const current = this.attempt;
    if (!current) return { ok: false, error: 'there is no attempt in progress; the page asks for one when it opens' };
    const outcome = answer(current, questionId, optionId);
    // Answered in another window already, say: the page gets the attempt as it stands, with that answer.
    if (!outcome.ok) return { ok: false, error: outcome.error, ...(synced === 'updated' ? { state: this.state(null) } : {}) };
    this.attempt = outcome.attempt;
    await this.save();
    return { ok: true, state: this.state(questionId) };
  }

  /**
   * `quiz/finish`: grades the attempt once and records it; finishing a finished attempt changes nothing, and one with
   * a question unanswered is refused (the page offers See my score only after the last answer).
   */
  async finish(): Promise<QuizOutcome> {
    // A finished attempt taken up here is not graded twice; a new one started elsewhere is not graded unanswered.
    if (this.sync() === 'replaced') return this.changedElsewhere('The attempt was not graded');
    const current = this.attempt;
    if (!current) return { ok: false, error: 'there is no attempt to finish' };
    if (current.finished) return { ok: true, state: this.state(null) };
    const outcome = finish(current);
    // Taken as graded, the attempt in progress would end and count, its unanswered questions as wrong: refused, and
    // the attempt stays as it was.
    if (outcome.unanswered.length > 0) {
      return { ok: false, error: `the attempt is graded once all ${current.questions.length} questions are answered; not answered yet: ${outcome.unanswered.join(', ')}` };
    }
    this.attempt = outcome.attempt;
    // Both writes are started before either is awaited: the attempt is marked finished in memory already, so a second
    // finish cannot record it twice. Should the host end after the first write and before the second, the next load
    // of the finished attempt records it (recordIfFinished); the seed keeps that from counting it twice.
    const saved = this.save();
    await Promise.all([saved, this.deps.record(outcome.score, current.seed)]);
    return { ok: true, state: this.state(null) };
  }

  /**
   * `quiz/retry`: drops the current attempt, finished or not, and draws a new one with a fresh seed, asking none of its
   * questions again while the bank has others. An attempt another window started meanwhile and has not finished is
   * not dropped unseen: the page gets it instead.
   */
  async retry(): Promise<QuizState> {
    const shown = this.attempt;
    if (this.sync() === 'replaced' && shown !== undefined && this.attempt !== undefined && !this.attempt.finished) {
      this.deps.log('quiz: another window started a new attempt; showing it rather than drawing one more');
      return this.state(null);
    }
    await this.begin(this.attempt?.questions.map((q) => q.id) ?? []);
    return this.state(null);
  }

  /** The learner reset their progress: the attempt in progress goes too. */
  async reset(): Promise<void> {
    this.attempt = undefined;
    await this.save();
  }

  /**
   * The scenario behind an engine-computed question of the current attempt. Refused for a question without one, and
   * when the attempt changed in another window (with the attempt as it is now, for the page to show).
   */
  async scenarioOf(questionId: string): Promise<{ ok: true; text: string } | { ok: false; error: string; state?: QuizState }> {
    if (this.sync() === 'replaced') return this.changedElsewhere('The scenario was not opened');
    const text = this.attempt?.questions.find((q) => q.id === questionId)?.computed?.scenarioText;
    return text === undefined ? { ok: false, error: `question ${questionId} has no scenario in this attempt` } : { ok: true, text };
  }

  /** For tests (never sent to a webview): the attempt with its correct answers. */
  currentAttempt(): Attempt | undefined {
    return this.attempt === undefined ? undefined : (JSON.parse(JSON.stringify(this.attempt)) as Attempt);
  }

  /** Reads the stored attempt again, as a fresh activation would (tests use it to show an attempt survives a reload). */
  async reload(): Promise<void> {
    await this.saves.idle;
    this.attempt = this.load();
    this.recordIfFinished();
  }

  /** What the quiz page is sent: the attempt's view (no answers before they are given) and, once finished, its score. */
  state(justAnswered: string | null): QuizState {
    const a = this.attempt;
    if (!a) {
      return { attemptSeed: -1, questions: [], answered: 0, total: 0, finished: false, score: null, passThreshold: PASS_THRESHOLD, justAnswered: null };
    }
    const view = attemptView(a);
    return {
      attemptSeed: a.seed,
      questions: view.questions,
      answered: view.answered,
      total: view.total,
      finished: view.finished,
      score: a.finished ? scoreAttempt(a.answers, a.questions) : null,
      passThreshold: PASS_THRESHOLD,
      justAnswered,
    };
  }

  private async begin(avoid: readonly string[] = []): Promise<void> {
    const seed = (this.deps.newSeed ?? cryptoSeed)();
    this.attempt = startAttempt(seed, { count: QUIZ_QUESTIONS, avoid });
    await this.save();
  }

  private load(): Attempt | undefined {
    const stored = this.readStored();
    if (stored.kind !== 'damaged') return stored.kind === 'attempt' ? stored.attempt : undefined;
    this.deps.log('quiz: the stored attempt was damaged or out of date; dropped it, a new one will be drawn');
    void this.write(undefined);
    return undefined;
  }

  private readStored(): Stored {
    let raw: unknown;
    try {
      raw = this.deps.memento.get(QUIZ_ATTEMPT_STORAGE_KEY);
    } catch (err) {
      this.deps.log(`quiz: could not read the stored attempt (${String(err)})`);
      return { kind: 'damaged' };
    }
    if (raw === undefined || raw === null) return { kind: 'none' };
    const attempt = validateAttempt(raw);
    return attempt ? { kind: 'attempt', attempt } : { kind: 'damaged' };
  }

  /**
   * Takes up the attempt stored now before a quiz message changes it: another VS Code window shares this globalState,
   * and a change made to this window's older copy would write the other window's answers away (or grade an attempt
   * twice). `replaced`: the stored attempt is another one than the page was shown (a new seed, or none after a
   * reset); `updated`: the same attempt, changed (answered) elsewhere. A stored value that does not validate keeps
   * the attempt in memory, which is saved over it.
   */
  private sync(): 'same' | 'updated' | 'replaced' {
    const before = this.attempt;
    const stored = this.readStored();
    if (stored.kind === 'damaged') {
      if (before) {
        this.deps.log('quiz: the stored attempt was damaged; saved the one in progress over it');
        void this.save();
      }
      return 'same';
    }
    const now = stored.kind === 'attempt' ? stored.attempt : undefined;
    if (JSON.stringify(now) === JSON.stringify(before)) return 'same';
    this.attempt = now;
    return now?.seed === before?.seed ? 'updated' : 'replaced';
  }

  /**
   * On load, a finished attempt is recorded in the progress (again: a no-op for one recorded already, by its seed).
   * This is what counts an attempt whose grading was saved while its count was not (the host ended between the two
   * writes, or the progress write failed).
   */
  private recordIfFinished(): void {
    const a = this.attempt;
    if (a === undefined || !a.finished) return;
    this.deps.record(scoreAttempt(a.answers, a.questions), a.seed).catch((err: unknown) => this.deps.log(`quiz: could not record the finished attempt: ${String(err)}`));
  }

  /** The refusal after sync() found another attempt: says so, and hands the page the attempt as it is now. */
  private async changedElsewhere(what: string): Promise<{ ok: false; error: string; state: QuizState }> {
    const error = `${what}: the knowledge check changed in another window (a new attempt, or progress reset). This is the attempt now.`;
    this.deps.log(`quiz: ${error}`);
    return { ok: false, error, state: await this.start() };
  }

  private save(): Promise<void> {
    return this.write(this.attempt);
  }

  private write(value: Attempt | undefined): Promise<void> {
    return this.saves.write(QUIZ_ATTEMPT_STORAGE_KEY, value);
  }
}
