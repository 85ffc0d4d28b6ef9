// The knowledge check's question under review, kept in the page's saved state: leaving the page or a reload comes back
// to the feedback of the question just answered, never to one of another attempt or to an unanswered one.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { QuestionView } from '../../src/lesson/quizSession';

import type * as Module from '../../webview/quizReview.js' with { 'resolution-mode': 'import' };
let Q: typeof Module;
before(async () => {
  Q = await import('../../webview/quizReview.js');
});

const question = (id: string, answered: boolean): QuestionView => ({
  id,
  claim: 'C1',
  style: 'definition',
  prompt: `Question ${id}?`,
  options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }],
  ...(answered
    ? { feedback: { questionId: id, optionId: 'a', correct: true, explanation: 'Because.', correctOptionId: 'a', correctExplanation: 'Because.' } }
    : {}),
});

const quiz = { attemptSeed: 42, finished: false, questions: [question('wt-ack', true), question('wb-ack', false)] };

describe('the question under review', () => {
  it('comes back for the same attempt while it is answered', () => {
    assert.equal(Q.restoredReview({ attempt: 42, questionId: 'wt-ack' }, quiz), 'wt-ack');
  });

  it('does not come back for another attempt, an unanswered or unknown question, a finished attempt, or nothing saved', () => {
    assert.equal(Q.restoredReview({ attempt: 41, questionId: 'wt-ack' }, quiz), null);
    assert.equal(Q.restoredReview({ attempt: 42, questionId: 'wb-ack' }, quiz), null);
    assert.equal(Q.restoredReview({ attempt: 42, questionId: 'nope' }, quiz), null);
    assert.equal(Q.restoredReview({ attempt: 42, questionId: 'wt-ack' }, { ...quiz, finished: true }), null);
    assert.equal(Q.restoredReview(undefined, quiz), null);
  });
});
