// The knowledge check's host side on a fake globalState: attempts of five questions with fresh seeds, answers checked
// and refused when malformed, grading recorded once, and the attempt in progress surviving a reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAttempt, validateAttempt } from '../../src/lesson/quizSession';
import type { AttemptResult } from '../../src/lesson/scoring';
import { QUIZ_ATTEMPT_STORAGE_KEY, QUIZ_QUESTIONS, QuizController, cryptoSeed } from '../../src/views/quizController';
import { JsonMemento } from './support/jsonMemento';


function setup(seeds: number[] = [11, 22, 33, 44]) {
  const memento = new JsonMemento();
  const recorded: AttemptResult[] = [];
  const log: string[] = [];
  let i = 0;
  const deps = {
    memento,
    record: async (r: AttemptResult) => {
      recorded.push(r);
    },
    log: (line: string) => log.push(line),
    newSeed: () => seeds[i++ % seeds.length] as number,
  };
  return { memento, recorded, log, deps, quiz: new QuizController(deps) };
}

/** Answers the attempt in progress: `right` questions correctly (in order), the rest wrongly. */
async function answerAll(quiz: QuizController, right: number): Promise<void> {
  const attempt = quiz.currentAttempt();
  assert.ok(attempt);
  for (const [i, q] of attempt.questions.entries()) {
    const wrong = q.options.find((o) => o.id !== q.correct);
    assert.ok(wrong);
    const r = await quiz.answer(q.id, i < right ? q.correct : wrong.id);
    assert.equal(r.ok, true);
  }
}

describe('QuizController', () => {
  it('starts an attempt of five questions from a fresh seed, and resumes it on the next start', async () => {
    const { quiz, memento } = setup();
    const s = await quiz.start();
    assert.equal(s.total, QUIZ_QUESTIONS);
    assert.equal(s.attemptSeed, 11);
    assert.equal(s.answered, 0);
    assert.equal(s.finished, false);
    assert.equal(s.score, null);
    assert.equal(s.passThreshold, 0.7);
    assert.equal(validateAttempt(memento.get(QUIZ_ATTEMPT_STORAGE_KEY))?.seed, 11, 'saved in globalState');
    assert.equal((await quiz.start()).attemptSeed, 11, 'start resumes rather than redraws');
  });

  it('sends no correct answer or explanation before a question is answered', async () => {
    const { quiz } = setup();
    const s = await quiz.start();
    const json = JSON.stringify(s);
    assert.ok(!/"correct"|explanation/i.test(json), json.slice(0, 200));
  });

  it('answers with feedback naming the correct option and both explanations', async () => {
    const { quiz } = setup();
    await quiz.start();
    const q = quiz.currentAttempt()?.questions[0];
    assert.ok(q);
    const wrong = q.options.find((o) => o.id !== q.correct);
    assert.ok(wrong);
    const r = await quiz.answer(q.id, wrong.id);
    assert.ok(r.ok);
    assert.equal(r.state.justAnswered, q.id);
    const f = r.state.questions[0]?.feedback;
    assert.ok(f);
    assert.equal(f.correct, false);
    assert.equal(f.correctOptionId, q.correct);
    assert.equal(f.explanation, wrong.explanation);
    assert.equal(f.correctExplanation, q.options.find((o) => o.id === q.correct)?.explanation);
  });

  it('refuses an unknown question, an unknown option and a second answer, leaving the attempt unchanged', async () => {
    const { quiz } = setup();
    await quiz.start();
    const q = quiz.currentAttempt()?.questions[0];
    assert.ok(q);
    const before = quiz.currentAttempt();
    const unknown = await quiz.answer('no-such-question', 'a');
    assert.ok(!unknown.ok && /unknown question/.test(unknown.error));
    const badOption = await quiz.answer(q.id, 'z');
    assert.ok(!badOption.ok && /has no option "z"/.test(badOption.error));
    assert.deepEqual(quiz.currentAttempt(), before);
    assert.equal((await quiz.answer(q.id, q.correct)).ok, true);
    const again = await quiz.answer(q.id, q.correct);
    assert.ok(!again.ok && /already answered/.test(again.error));
  });

  it('grades 3 of 5 as not passed and 4 of 5 as passed, recording each attempt once', async () => {
    const { quiz, recorded } = setup();
    await quiz.start();
    await answerAll(quiz, 3);
    const first = await quiz.finish();
    assert.ok(first.ok);
    assert.deepEqual(first.state.score, { correct: 3, total: 5, ratio: 0.6, passed: false });
    assert.equal(first.state.finished, true);
    const again = await quiz.finish();
    assert.ok(again.ok);
    assert.equal(recorded.length, 1, 'finishing twice records once');
    const answerAfter = await quiz.answer(first.state.questions[0]?.id ?? '', 'a');
    assert.ok(!answerAfter.ok && /finished/.test(answerAfter.error));

    const retry = await quiz.retry();
    assert.equal(retry.attemptSeed, 22, 'a new seed');
    assert.equal(retry.answered, 0);
    // "Each attempt draws new questions": none of the last attempt's comes back.
    const before = first.state.questions.map((q) => q.id);
    assert.deepEqual(retry.questions.filter((q) => before.includes(q.id)).map((q) => q.id), []);
    await answerAll(quiz, 4);
    const second = await quiz.finish();
    assert.ok(second.ok);
    assert.deepEqual(second.state.score, { correct: 4, total: 5, ratio: 0.8, passed: true });
    assert.deepEqual(recorded.map((r) => r.passed), [false, true]);
  });

  it('draws a retry from the questions the last attempt did not ask, even with a seed that would repeat some', async () => {
    const ids = (seed: number): string[] => startAttempt(seed, { count: 5 }).questions.map((q) => q.id);
    const first = ids(11);
    // A seed whose own draw shares questions with seed 11's: without the avoid list the retry would repeat them.
    const repeating = Array.from({ length: 1000 }, (_, k) => k + 12).find((s) => ids(s).some((id) => first.includes(id)));
    assert.ok(repeating !== undefined);
    const { quiz } = setup([11, repeating]);
    const started = await quiz.start();
    assert.deepEqual(started.questions.map((q) => q.id), first);
    const retry = await quiz.retry();
    assert.equal(retry.attemptSeed, repeating);
    assert.deepEqual(retry.questions.filter((q) => first.includes(q.id)).map((q) => q.id), []);
    assert.equal(retry.total, 5);
  });

  it('refuses to grade an attempt with a question unanswered, naming them, and keeps it going', async () => {
    const { quiz, recorded, memento } = setup();
    await quiz.start();
    const attempt = quiz.currentAttempt();
    const [q0, q1, q2, q3, q4] = attempt?.questions ?? [];
    assert.ok(q0 && q1 && q2 && q3 && q4);
    const none = await quiz.finish();
    assert.ok(!none.ok);
    assert.equal(none.error, `the attempt is graded once all 5 questions are answered; not answered yet: ${[q0, q1, q2, q3, q4].map((q) => q.id).join(', ')}`);
    for (const q of [q0, q1, q2, q3]) assert.equal((await quiz.answer(q.id, q.correct)).ok, true);
    const early = await quiz.finish();
    assert.ok(!early.ok);
    assert.equal(early.error, `the attempt is graded once all 5 questions are answered; not answered yet: ${q4.id}`);
    assert.deepEqual(recorded, [], 'nothing recorded');
    assert.equal(quiz.currentAttempt()?.finished, false);
    assert.equal((memento.get(QUIZ_ATTEMPT_STORAGE_KEY) as { finished: boolean }).finished, false);
    // The attempt goes on: the last answer, then the grade.
    assert.equal((await quiz.answer(q4.id, q4.correct)).ok, true);
    const done = await quiz.finish();
    assert.ok(done.ok);
    assert.deepEqual(done.state.score, { correct: 5, total: 5, ratio: 1, passed: true });
    assert.equal(recorded.length, 1);
  });

  it('resumes the attempt in progress after a reload, and from a new controller on the same storage', async () => {
    const { quiz, deps } = setup();
    await quiz.start();
    const q = quiz.currentAttempt()?.questions[1];
    assert.ok(q);
    await quiz.answer(q.id, q.correct);
    await quiz.reload();
    assert.equal(quiz.currentAttempt()?.answers.length, 1);
    const fresh = new QuizController(deps);
    const s = await fresh.start();
    assert.equal(s.answered, 1);
    assert.equal(s.questions[1]?.feedback?.correct, true);
  });

  it('drops a damaged stored attempt and draws a new one', async () => {
    const { memento, deps, log } = setup();
    memento.values.set(QUIZ_ATTEMPT_STORAGE_KEY, { v: 1, seed: 5, questions: 'garbage', answers: [], finished: false });
    const quiz = new QuizController(deps);
    assert.equal(quiz.currentAttempt(), undefined);
    assert.match(log.join('\n'), /damaged or out of date/);
    assert.equal((await quiz.start()).total, 5);
  });

  it('resumes an attempt stored by 0.1.0 before the quiz fixes, and grades it', async () => {
    const { memento, deps, log, recorded } = setup();
    memento.values.set(QUIZ_ATTEMPT_STORAGE_KEY, JSON.parse(readFileSync(join(__dirname, 'fixtures', 'quiz-attempt-0.1.0.json'), 'utf8')));
    const quiz = new QuizController(deps);
    const s = await quiz.start();
    assert.deepEqual(log, []);
    assert.equal(s.attemptSeed, 16);
    assert.equal(s.answered, 1);
    const attempt = quiz.currentAttempt();
    assert.ok(attempt);
    for (const q of attempt.questions.slice(1)) assert.equal((await quiz.answer(q.id, q.correct)).ok, true);
    assert.equal((await quiz.finish()).ok, true);
    assert.deepEqual(recorded, [{ correct: 5, total: 5, ratio: 1, passed: true }]);
  });

  it('forgets the attempt on reset', async () => {
    const { quiz, memento } = setup();
    await quiz.start();
    await quiz.reset();
    assert.equal(quiz.currentAttempt(), undefined);
    assert.equal(memento.get(QUIZ_ATTEMPT_STORAGE_KEY), undefined);
    assert.equal(quiz.state(null).total, 0);
    assert.equal((await quiz.start()).attemptSeed, 22);
  });

  it('knows the scenario of an engine-computed question, and nothing for a bank question', async () => {
    const { quiz } = setup();
    await quiz.start();
    const attempt = quiz.currentAttempt();
    assert.ok(attempt);
    const computed = attempt.questions.find((q) => q.computed);
    assert.ok(computed, 'every attempt has one engine-computed question');
    const found = await quiz.scenarioOf(computed.id);
    assert.ok(found.ok);
    assert.match(found.text, /^strategy /m);
    const bank = attempt.questions.find((q) => !q.computed);
    assert.deepEqual(await quiz.scenarioOf(bank?.id ?? ''), { ok: false, error: `question ${bank?.id ?? ''} has no scenario in this attempt` });
  });

  it('draws seeds from crypto: 32-bit whole numbers that differ', () => {
    const seeds = new Set(Array.from({ length: 20 }, cryptoSeed));
    for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32);
    assert.ok(seeds.size > 15);
  });
});

describe('QuizController in two windows (one globalState)', () => {
  /** A second window: its own controller on the same storage, recording into the same list. */
  function twoWindows() {
    const a = setup([11, 22]);
    let seed = 100;
    const b = new QuizController({ ...a.deps, newSeed: () => --seed });
    return { ...a, b };
  }

  it("an answer here keeps the answers given there to the same attempt", async () => {
    const { quiz, b } = twoWindows();
    const attempt = (await quiz.start()).questions;
    await b.start();
    const [q0, q1] = quiz.currentAttempt()?.questions ?? [];
    assert.ok(q0 && q1 && attempt.length === 5);
    assert.equal((await b.answer(q0.id, q0.correct)).ok, true);
    const r = await quiz.answer(q1.id, q1.correct);
    assert.equal(r.ok, true);
    assert.deepEqual(quiz.currentAttempt()?.answers.map((x) => x.questionId), [q0.id, q1.id]);
    await b.reload();
    assert.equal(b.currentAttempt()?.answers.length, 2);
  });

  it('an attempt finished there is not graded again here', async () => {
    const { quiz, b, recorded } = twoWindows();
    await quiz.start();
    await b.start();
    await answerAll(b, 4);
    assert.equal((await b.finish()).ok, true);
    const r = await quiz.finish();
    assert.equal(r.ok && r.state.finished, true);
    assert.equal(recorded.length, 1);
  });

  it('a new attempt started there is neither answered nor graded from a page showing the old one; the page gets the new one', async () => {
    const { quiz, b, recorded } = twoWindows();
    await quiz.start();
    const old = quiz.currentAttempt()?.questions[0];
    assert.ok(old);
    await b.retry();
    const answered = await quiz.answer(old.id, old.correct);
    assert.equal(answered.ok, false);
    if (!answered.ok) {
      assert.match(answered.error, /changed in another window/);
      assert.equal(answered.state?.attemptSeed, 99);
    }
    await b.retry();
    const finished = await quiz.finish();
    assert.equal(finished.ok, false);
    assert.equal(recorded.length, 0);
    assert.deepEqual(quiz.currentAttempt()?.answers, []);
  });

  it('after a reset there, the page here is sent a new attempt instead of answering a forgotten one', async () => {
    const { quiz, b } = twoWindows();
    await quiz.start();
    const q = quiz.currentAttempt()?.questions[0];
    assert.ok(q);
    await b.reset();
    const r = await quiz.answer(q.id, q.correct);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.state?.answered, 0);
    assert.equal(quiz.currentAttempt()?.seed, 22);
  });

  it('a damaged stored attempt does not replace the one in progress, which is saved over it', async () => {
    const { quiz, memento, log } = twoWindows();
    await quiz.start();
    const q = quiz.currentAttempt()?.questions[0];
    assert.ok(q);
    memento.values.set(QUIZ_ATTEMPT_STORAGE_KEY, { v: 1, seed: 'damaged' });
    assert.equal((await quiz.answer(q.id, q.correct)).ok, true);
    assert.equal(validateAttempt(memento.get(QUIZ_ATTEMPT_STORAGE_KEY))?.answers.length, 1);
    assert.ok(log.some((l) => /damaged; saved the one in progress over it/.test(l)));
  });
});
