// The knowledge check in a real VS Code: answers go through the page's own message path, progress survives closing the
// panel and reloading the stored state, Reset Progress clears it, and malformed answers are rejected and logged.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import type { CacheWorkbenchApi } from '../../src/extension';
import { activate } from './helpers';

/** Polls `check` until it holds (VS Code and the webview answer asynchronously). */
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function quizSuite(): void {
  suite('Knowledge check', () => {
    let api: CacheWorkbenchApi;
    const lesson = () => api.lesson;

    /** Delivers a message as the quiz page would; asserts it passed validation. */
    const send = (message: unknown): void => {
      assert.equal(lesson().receiveFromPanelForTest(message), undefined, `rejected: ${JSON.stringify(message)}`);
    };

    /** Starts a new attempt and answers it: the first `right` questions correctly, the others wrongly. */
    const takeAttempt = async (right: number, finish = true): Promise<void> => {
      send({ type: 'quiz/retry' });
      await until(() => lesson().quiz.currentAttempt()?.answers.length === 0, 'a new attempt');
      const attempt = lesson().quiz.currentAttempt();
      assert.ok(attempt);
      assert.equal(attempt.questions.length, 5);
      for (const [i, q] of attempt.questions.entries()) {
        const wrong = q.options.find((o) => o.id !== q.correct);
        assert.ok(wrong);
        send({ type: 'quiz/answer', questionId: q.id, optionId: i < right ? q.correct : wrong.id });
      }
      await until(() => lesson().quiz.currentAttempt()?.answers.length === 5, 'five answers');
      if (finish) {
        send({ type: 'quiz/finish' });
        await until(() => lesson().quiz.currentAttempt()?.finished === true, 'grading');
      }
    };

    const openQuiz = async (): Promise<void> => {
      await vscode.commands.executeCommand(ids.commands.takeKnowledgeCheck);
      await until(() => lesson().panelState().ready && lesson().panelState().ui?.route === 'quiz', 'the quiz page showing');
    };

    suiteSetup(async () => {
      api = await activate();
      await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
    });

    test('Take Knowledge Check opens the workbench on the quiz page, which asks for an attempt', async () => {
      await openQuiz();
      // The page said quiz/start when it showed: the extension drew an attempt of five questions.
      await until(() => lesson().quiz.currentAttempt() !== undefined, 'an attempt');
      assert.equal(lesson().quiz.currentAttempt()?.questions.length, 5);
    });

    test('a failed attempt (3 of 5) then a passed one (4 of 5) are recorded: attempts, best score, completion', async () => {
      await openQuiz();
      await takeAttempt(3);
      let p = lesson().progress.get();
      assert.deepEqual([p.attempts, p.bestScore, p.completed], [1, 0.6, false]);
      await takeAttempt(4);
      p = lesson().progress.get();
      assert.deepEqual([p.attempts, p.bestScore, p.completed], [2, 0.8, true]);
      assert.equal(lesson().progress.view().quizPassed, true);
    });

    test('progress persists across closing the panel and reloading the stored state', async () => {
      const before = lesson().progress.get();
      assert.equal(before.attempts, 2);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until(() => !lesson().panelState().open, 'the panel closing');
      assert.deepEqual(lesson().progress.get(), before, 'closing the panel changes nothing');
      // Re-read globalState as a fresh activation would: what was saved is what comes back.
      await lesson().progress.reload();
      assert.deepEqual(lesson().progress.get(), before);
      await openQuiz();
      assert.deepEqual(lesson().progress.get(), before);
    });

    test('an attempt in progress resumes after the panel closes and the stored attempt is reloaded', async () => {
      await openQuiz();
      send({ type: 'quiz/retry' });
      await until(() => lesson().quiz.currentAttempt()?.answers.length === 0, 'a new attempt');
      const attempt = lesson().quiz.currentAttempt();
      assert.ok(attempt);
      const [q0, q1] = attempt.questions;
      assert.ok(q0 && q1);
      send({ type: 'quiz/answer', questionId: q0.id, optionId: q0.correct });
      send({ type: 'quiz/answer', questionId: q1.id, optionId: q1.correct });
      await until(() => lesson().quiz.currentAttempt()?.answers.length === 2, 'two answers');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until(() => !lesson().panelState().open, 'the panel closing');
      await lesson().quiz.reload();
      const resumed = lesson().quiz.currentAttempt();
      assert.equal(resumed?.seed, attempt.seed);
      assert.deepEqual(resumed?.answers, [{ questionId: q0.id, optionId: q0.correct }, { questionId: q1.id, optionId: q1.correct }]);
      await openQuiz();
      // The reopened page asked for the attempt and got the same one back (quiz/start resumes, never redraws).
      assert.equal(lesson().quiz.currentAttempt()?.seed, attempt.seed);
      assert.equal(lesson().quiz.state(null).answered, 2);
    });

    test('a malformed quiz/answer is rejected and logged, and the quiz keeps working', async () => {
      await openQuiz();
      const attempt = lesson().quiz.currentAttempt();
      assert.ok(attempt && !attempt.finished);
      const answered = attempt.answers.length;
      const rejectedBefore = lesson().panelState().rejectedMessages;

      const wrongType = lesson().receiveFromPanelForTest({ type: 'quiz/answer', questionId: 42, optionId: 'a' });
      assert.match(wrongType ?? '', /^quiz\/answer: "questionId" must be a string, got number$/);
      const extra = lesson().receiveFromPanelForTest({ type: 'quiz/answer', questionId: 'wt-ack', optionId: 'a', correct: true });
      assert.match(extra ?? '', /unexpected field "correct"/);
      const missing = lesson().receiveFromPanelForTest({ type: 'quiz/answer', optionId: 'a' });
      assert.match(missing ?? '', /missing field "questionId"/);

      const state = lesson().panelState();
      assert.equal(state.rejectedMessages, rejectedBefore + 3);
      assert.equal(state.lastRejection, missing);
      assert.equal(lesson().quiz.currentAttempt()?.answers.length, answered, 'no rejected message reached the attempt');

      // Well-formed but not applicable (no such question): passes validation, refused by the quiz, attempt unchanged.
      send({ type: 'quiz/answer', questionId: 'no-such-question', optionId: 'a' });
      assert.equal(lesson().quiz.currentAttempt()?.answers.length, answered);

      // The page keeps working: the next valid answer is taken.
      const next = attempt.questions.find((q) => !attempt.answers.some((a) => a.questionId === q.id));
      assert.ok(next);
      send({ type: 'quiz/answer', questionId: next.id, optionId: next.correct });
      await until(() => lesson().quiz.currentAttempt()?.answers.length === answered + 1, 'the valid answer');
      assert.equal(lesson().panelState().rejectedMessages, rejectedBefore + 3);
    });

    test('Reset Progress clears attempts, best score, completion and the attempt in progress', async () => {
      assert.ok(lesson().progress.get().attempts > 0);
      const reset = await vscode.commands.executeCommand(ids.commands.resetProgress, { confirm: false });
      assert.equal(reset, true);
      const p = lesson().progress.get();
      assert.deepEqual([p.attempts, p.bestScore, p.completed], [0, 0, false]);
      assert.equal(lesson().progress.view().quizPassed, false);
      await lesson().progress.reload();
      assert.deepEqual(lesson().progress.get(), p, 'cleared in globalState too');
      // The open quiz page is handed a fresh attempt; the old one is gone from storage.
      await until(() => (lesson().quiz.currentAttempt()?.answers.length ?? -1) === 0, 'a fresh attempt after the reset');
      await lesson().quiz.reload();
      assert.equal(lesson().quiz.currentAttempt()?.answers.length ?? 0, 0);
    });

    test('comparison and playground runs go to the engine worker thread', () => {
      assert.equal(lesson().engineUsesWorker(), true);
    });
  });
}
