// The knowledge check's host side: the attempt in progress lives here and in globalState (so neither a webview reload
// nor a window reload loses it), quiz messages are applied to it, and a finished attempt is recorded in the progress.
import { randomInt } from 'node:crypto';
import { answer, attemptView, finish, startAttempt, validateAttempt } from '../lesson/quizSession';
import type { Attempt } from '../lesson/quizSession';
import { PASS_THRESHOLD, scoreAttempt } from '../lesson/scoring';
import type { AttemptResult } from '../lesson/scoring';
import type { QuizState } from './protocol';

/** globalState key of the attempt in progress (versioned like the progress keys). */
export const QUIZ_ATTEMPT_STORAGE_KEY = 'cacheWorkbench.quizAttempt.v1';

/** Questions per attempt. */
export const QUIZ_QUESTIONS = 5;

/** The part of vscode.Memento the controller uses (globalState in the extension, a Map in unit tests). */
export interface AttemptMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

export interface QuizDeps {
  memento: AttemptMemento;
  /** Records a graded attempt in the learner's progress (ProgressStore.recordAttempt). */
  record(result: AttemptResult): Promise<void>;
  log(line: string): void;
  /** Seed of a new attempt. Default: the OS's cryptographic random source, so attempts differ. */
  newSeed?: () => number;
}

export type QuizOutcome = { ok: true; state: QuizState } | { ok: false; error: string };

/** A fresh 32-bit seed from crypto. */
export function cryptoSeed(): number {
  return randomInt(0, 0xffff_ffff);
}

export class QuizController {
  private attempt: Attempt | undefined;
  /** Saves happen one after the other, so an older attempt never overwrites a newer one. */
  private saves: Promise<void> = Promise.resolve();

  constructor(private readonly deps: QuizDeps) {
    this.attempt = this.load();
  }

  /** `quiz/start`: the attempt in progress (or the finished one, with its score), or a new one when there is none. */
  async start(): Promise<QuizState> {
    if (!this.attempt) await this.begin();
    return this.state(null);
  }

  /** `quiz/answer`: records one answer; a question already answered, an unknown id or a finished attempt is refused. */
  async answer(questionId: string, optionId: string): Promise<QuizOutcome> {
    const current = this.attempt;
    if (!current) return { ok: false, error: 'there is no attempt in progress; the page asks for one when it opens' };
    const outcome = answer(current, questionId, optionId);
    if (!outcome.ok) return { ok: false, error: outcome.error };
    this.attempt = outcome.attempt;
    await this.save();
    return { ok: true, state: this.state(questionId) };
  }

  /** `quiz/finish`: grades the attempt once and records it; finishing a finished attempt changes nothing. */
  async finish(): Promise<QuizOutcome> {
    const current = this.attempt;
    if (!current) return { ok: false, error: 'there is no attempt to finish' };
    if (current.finished) return { ok: true, state: this.state(null) };
    const outcome = finish(current);
    this.attempt = outcome.attempt;
    // Both writes are started before either is awaited: the attempt is marked finished in memory already, so a second
    // finish cannot record it twice.
    const saved = this.save();
    await Promise.all([saved, this.deps.record(outcome.score)]);
    return { ok: true, state: this.state(null) };
  }

  /** `quiz/retry`: drops the current attempt, finished or not, and draws a new one with a fresh seed. */
  async retry(): Promise<QuizState> {
    await this.begin();
    return this.state(null);
  }

  /** The learner reset their progress: the attempt in progress goes too. */
  async reset(): Promise<void> {
    this.attempt = undefined;
    await this.save();
  }

  /** The scenario behind an engine-computed question of the current attempt, if it has one. */
  scenarioOf(questionId: string): string | undefined {
    return this.attempt?.questions.find((q) => q.id === questionId)?.computed?.scenarioText;
  }

  /** For tests (never sent to a webview): the attempt with its correct answers. */
  currentAttempt(): Attempt | undefined {
    return this.attempt === undefined ? undefined : (JSON.parse(JSON.stringify(this.attempt)) as Attempt);
  }

  /** Reads the stored attempt again, as a fresh activation would (tests use it to show an attempt survives a reload). */
  async reload(): Promise<void> {
    await this.saves;
    this.attempt = this.load();
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

  private async begin(): Promise<void> {
    const seed = (this.deps.newSeed ?? cryptoSeed)();
    this.attempt = startAttempt(seed, { count: QUIZ_QUESTIONS });
    await this.save();
  }

  private load(): Attempt | undefined {
    let raw: unknown;
    try {
      raw = this.deps.memento.get(QUIZ_ATTEMPT_STORAGE_KEY);
    } catch (err) {
      this.deps.log(`quiz: could not read the stored attempt (${String(err)}); a new one will be drawn`);
      return undefined;
    }
    if (raw === undefined || raw === null) return undefined;
    const attempt = validateAttempt(raw);
    if (!attempt) {
      this.deps.log('quiz: the stored attempt was damaged or out of date; dropped it, a new one will be drawn');
      void this.write(undefined);
    }
    return attempt;
  }

  private save(): Promise<void> {
    return this.write(this.attempt);
  }

  private write(value: Attempt | undefined): Promise<void> {
    this.saves = this.saves.then(() =>
      Promise.resolve(this.deps.memento.update(QUIZ_ATTEMPT_STORAGE_KEY, value)).catch((err: unknown) => {
        this.deps.log(`quiz: could not save the attempt: ${String(err)}`);
      }),
    );
    return this.saves;
  }
}
