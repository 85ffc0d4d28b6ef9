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

describe('the words that mark an answered question', () => {
  const wrong = { optionId: 'b', correctOptionId: 'a' };
  const right = { optionId: 'a', correctOptionId: 'a' };

  it('name the chosen option and the correct one, so the border colour is not the only sign', () => {
    assert.deepEqual(Q.optionMark('b', wrong), { kind: 'chosen-wrong', icon: 'error', text: 'Your answer: incorrect' });
    assert.deepEqual(Q.optionMark('a', wrong), { kind: 'correct', icon: 'pass', text: 'Correct answer' });
    assert.equal(Q.optionMark('c', wrong), undefined);
    assert.deepEqual(Q.optionMark('a', right), { kind: 'chosen-correct', icon: 'pass-filled', text: 'Your answer: correct' });
    assert.equal(Q.optionMark('b', right), undefined);
    assert.equal(Q.optionMark('a', undefined), undefined, 'nothing before the answer');
  });

  it('say a failed attempt after an earlier pass leaves the check passed with its best score, instead of "not yet"', () => {
    assert.equal(Q.scoreVerdict(true, true, 4, 5, 0.8).heading, 'passed');
    const first = Q.scoreVerdict(false, false, 4, 5, 0.4);
    assert.equal(first.heading, 'not yet');
    assert.match(first.message, /^Not yet: 4 of 5 pass\./);
    const after = Q.scoreVerdict(false, true, 4, 5, 0.8);
    assert.equal(after.heading, 'under the pass mark this time');
    assert.match(after.message, /the check stays passed: your best score, 80%, is kept/);
    assert.doesNotMatch(after.message, /Not yet/);
  });
});

describe('the kind of question above its prompt', () => {
  it('says "Situation" for a question about a situation, and "Scenario" only when the engine ran one for it', () => {
    assert.equal(Q.styleLabel({ style: 'scenario' }), 'Situation');
    assert.equal(Q.styleLabel({ style: 'definition' }), 'Definition');
    assert.equal(Q.styleLabel({ style: 'choose' }), 'Choose a strategy');
    assert.equal(Q.styleLabel({ style: 'scenario', scenarioText: 'strategy write-behind\n' }), 'Scenario, run by the engine');
  });
});
