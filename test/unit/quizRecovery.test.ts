// The knowledge check's bookkeeping when a write goes missing or another window moves on: a graded attempt is counted
// exactly once even if the extension host ends between saving the grade and counting it; Retry and "open in an
// editor" on a page showing an old attempt hand the page the attempt another window started instead of discarding
// it or failing silently; stored progress whose best score is a pass reads as passed.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordAttempt, validateProgress } from '../../src/lesson/scoring';
import type { AttemptResult } from '../../src/lesson/scoring';
import { PROGRESS_STORAGE_KEY, ProgressStore } from '../../src/views/progressStore';
import { QUIZ_ATTEMPT_STORAGE_KEY, QuizController } from '../../src/views/quizController';
import type { QuizDeps } from '../../src/views/quizController';
import { validateAttempt } from '../../src/lesson/quizSession';
import { JsonMemento } from './support/jsonMemento';

const PASSED: AttemptResult = { correct: 5, total: 5, ratio: 1, passed: true };

/** A memento whose writes of one key never land (the host ended before they did), until `heal`. */
class LosingMemento extends JsonMemento {
  losing: string | null = null;

  override update(key: string, value: unknown): Thenable<void> {
    if (key === this.losing) return new Promise(() => undefined); // never settles: the process is gone
    return super.update(key, value);
  }
}

/** A window as the extension wires it: one progress store, one controller recording into it; its attempts draw `seeds` in turn. */
function window(memento: JsonMemento, ...seeds: number[]) {
  const store = new ProgressStore(memento, () => undefined, () => undefined);
  let next = 0;
  const deps: QuizDeps = { memento, record: (r, s) => store.recordAttempt(r, s), log: () => undefined, newSeed: () => seeds[next++ % seeds.length] as number };
  return { store, quiz: new QuizController(deps) };
}

async function answerAll(quiz: QuizController, right: number): Promise<void> {
  for (const [i, q] of (quiz.currentAttempt()?.questions ?? []).entries()) {
    const wrong = q.options.find((o) => o.id !== q.correct)?.id ?? '';
    assert.equal((await quiz.answer(q.id, i < right ? q.correct : wrong)).ok, true);
  }
}

describe('a graded attempt is counted exactly once', () => {
  it('recordAttempt with the seed of the last attempt recorded changes nothing; another seed counts', () => {
    const once = recordAttempt(validateProgress({}), PASSED, 7);
    assert.deepEqual(once, { attempts: 1, bestScore: 1, completed: true, sectionsRead: [], lastAttempt: 7 });
    assert.equal(recordAttempt(once, PASSED, 7), once);
    assert.equal(recordAttempt(once, PASSED, 8).attempts, 2);
    assert.equal(recordAttempt(once, PASSED).attempts, 2, 'without a seed every call counts, as before');
  });

  it('keeps a stored lastAttempt that is a whole number, and drops any other', () => {
    assert.equal(validateProgress({ lastAttempt: 4_000_000_000 }).lastAttempt, 4_000_000_000);
    for (const bad of [-0.5, 1.5, '7', null, Number.NaN]) assert.equal(validateProgress({ lastAttempt: bad }).lastAttempt, undefined, String(bad));
  });

  it('a pass graded while the host ended before its count landed is counted on the next activation, and only then', async () => {
    const memento = new LosingMemento();
    const first = window(memento, 11);
    await first.quiz.start();
    await answerAll(first.quiz, 4);
    memento.losing = PROGRESS_STORAGE_KEY;
    void first.quiz.finish(); // the grade lands, the count never does
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(validateAttempt(memento.get(QUIZ_ATTEMPT_STORAGE_KEY))?.finished, true);
    assert.equal(memento.get(PROGRESS_STORAGE_KEY), undefined);
    memento.losing = null;
    // The next activation: a new store and controller on what was saved.
    const second = window(memento, 22);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(memento.get(PROGRESS_STORAGE_KEY), { attempts: 1, bestScore: 0.8, completed: true, sectionsRead: [], lastAttempt: 11 });
    assert.equal(second.store.view().quizPassed, true);
    // And the one after it counts nothing more; nor does finishing the same attempt again.
    const third = window(memento, 33);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await third.quiz.finish()).ok, true);
    assert.equal(third.store.get().attempts, 1);
  });

  it('a finish recorded normally is not counted again when the window reloads', async () => {
    const memento = new JsonMemento();
    const w = window(memento, 11);
    await w.quiz.start();
    await answerAll(w.quiz, 2);
    assert.equal((await w.quiz.finish()).ok, true);
    await w.quiz.reload();
    await w.store.reload();
    assert.deepEqual([w.store.get().attempts, w.store.get().bestScore, w.store.get().completed], [1, 0.4, false]);
  });
});

describe('a page showing an old attempt while another window has moved on', () => {
  it("Retry on the old score page shows the attempt the other window started, with its answers, instead of replacing it", async () => {
    const memento = new JsonMemento();
    const a = window(memento, 11, 12);
    await a.quiz.start();
    await answerAll(a.quiz, 5);
    await a.quiz.finish();
    const b = new QuizController({ memento, record: (r, s) => a.store.recordAttempt(r, s), log: () => undefined, newSeed: () => 99 });
    assert.equal(b.currentAttempt()?.finished, true, 'b shows the finished attempt');
    await a.quiz.retry();
    const [q0] = a.quiz.currentAttempt()?.questions ?? [];
    assert.ok(q0);
    assert.equal((await a.quiz.answer(q0.id, q0.correct)).ok, true);
    const shown = await b.retry();
    assert.deepEqual([shown.attemptSeed, shown.answered, shown.finished], [12, 1, false]);
    assert.equal(validateAttempt(memento.get(QUIZ_ATTEMPT_STORAGE_KEY))?.seed, 12, 'the attempt in progress is kept');
    // From a page that shows it, Retry draws a new attempt as before.
    assert.equal((await b.retry()).attemptSeed, 99);
  });

  it('opening a question\'s scenario after another window drew a new attempt refuses, with the new attempt for the page', async () => {
    const memento = new JsonMemento();
    const a = window(memento, 11);
    await a.quiz.start();
    const computed = a.quiz.currentAttempt()?.questions.find((q) => q.computed);
    assert.ok(computed);
    const b = new QuizController({ memento, record: async () => undefined, log: () => undefined, newSeed: () => 99 });
    await b.retry();
    const r = await a.quiz.scenarioOf(computed.id);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.error, /^The scenario was not opened: the knowledge check changed in another window/);
      assert.equal(r.state?.attemptSeed, 99);
    }
  });
});

describe('stored progress', () => {
  it('a best score at the pass mark reads as passed even when the stored flag says otherwise', () => {
    assert.equal(validateProgress({ attempts: 3, bestScore: 0.9, completed: false }).completed, true);
    assert.equal(validateProgress({ attempts: 3, bestScore: 0.6, completed: false }).completed, false);
    assert.equal(validateProgress({ attempts: 3, bestScore: 0.6, completed: true }).completed, true);
  });
});
