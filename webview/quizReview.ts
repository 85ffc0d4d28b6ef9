// The knowledge check's "question under review" (its feedback on screen, the learner has not moved on) as plain data:
// kept in the page's saved UI state, and taken back only for the same attempt while that question is answered and the
// attempt is not finished. Pure, so it is unit-tested.
import type { QuizReviewUiState, QuizState } from '../src/views/protocol.js';

/** The question to show the feedback of again, or null (another attempt, an unanswered question, a finished attempt). */
export function restoredReview(review: QuizReviewUiState | undefined, quiz: Pick<QuizState, 'attemptSeed' | 'finished' | 'questions'>): string | null {
  if (!review || quiz.finished || review.attempt !== quiz.attemptSeed) return null;
  const question = quiz.questions.find((q) => q.id === review.questionId);
  return question?.feedback ? question.id : null;
}
