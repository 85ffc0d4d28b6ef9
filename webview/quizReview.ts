// The knowledge check's "question under review" (its feedback on screen, the learner has not moved on) as plain data:
// kept in the page's saved UI state, and taken back only for the same attempt while that question is answered and the
// attempt is not finished; and the words that mark answered options and the score. Pure, so it is unit-tested.
import type { Feedback } from '../src/lesson/quizSession.js';
import type { QuestionView } from '../src/lesson/quizSession.js';
import type { QuizReviewUiState, QuizState } from '../src/views/protocol.js';

/** The question to show the feedback of again, or null (another attempt, an unanswered question, a finished attempt). */
export function restoredReview(review: QuizReviewUiState | undefined, quiz: Pick<QuizState, 'attemptSeed' | 'finished' | 'questions'>): string | null {
  if (!review || quiz.finished || review.attempt !== quiz.attemptSeed) return null;
  const question = quiz.questions.find((q) => q.id === review.questionId);
  return question?.feedback ? question.id : null;
}

/** How an answered question marks one of its options, in words as well as colour; undefined for an option left alone. */
export interface OptionMark {
  kind: 'chosen-correct' | 'chosen-wrong' | 'correct';
  /** Codicon shown before the words. */
  icon: 'pass-filled' | 'error' | 'pass';
  /** The words, shown next to the option and part of its accessible name. */
  text: string;
}

export function optionMark(optionId: string, feedback: Pick<Feedback, 'optionId' | 'correctOptionId'> | undefined): OptionMark | undefined {
  if (!feedback) return undefined;
  const chosen = optionId === feedback.optionId;
  const right = optionId === feedback.correctOptionId;
  if (chosen && right) return { kind: 'chosen-correct', icon: 'pass-filled', text: 'Your answer: correct' };
  if (chosen) return { kind: 'chosen-wrong', icon: 'error', text: 'Your answer: incorrect' };
  if (right) return { kind: 'correct', icon: 'pass', text: 'Correct answer' };
  return undefined;
}

/** The score's verdict: the heading's last words and the line under it. */
export interface ScoreVerdict {
  heading: string;
  message: string;
}

/**
 * A failed attempt after an earlier pass says so: the check stays passed and the best score is kept, rather than
 * "not yet" as if the learner still had to pass.
 */
export function scoreVerdict(passed: boolean, passedBefore: boolean, needed: number, total: number, bestScore: number): ScoreVerdict {
  if (passed) return { heading: 'passed', message: 'Well done: that completes the knowledge check. Your best score is kept; retry whenever you like.' };
  const explain = 'Each attempt draws new questions; the explanations below say what each one tests.';
  if (passedBefore) {
    return {
      heading: 'under the pass mark this time',
      message: `This attempt is under the pass mark (${needed} of ${total}), but the check stays passed: your best score, ${Math.round(bestScore * 100)}%, is kept. ${explain}`,
    };
  }
  return { heading: 'not yet', message: `Not yet: ${needed} of ${total} pass. ${explain}` };
}

/**
 * The kind of question, above its prompt. A question about a situation says "Situation" unless it comes with the
 * scenario file the engine ran for it: in this workbench "scenario" names such a file, and learners looked for one.
 */
const STYLE_LABELS: Readonly<Record<QuestionView['style'], string>> = {
  definition: 'Definition',
  scenario: 'Situation',
  choose: 'Choose a strategy',
};

export function styleLabel(q: Pick<QuestionView, 'style' | 'scenarioText'>): string {
  return q.scenarioText !== undefined ? 'Scenario, run by the engine' : STYLE_LABELS[q.style];
}
