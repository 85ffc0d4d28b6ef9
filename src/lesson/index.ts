// Public face of the lesson content: sections, snippets, the quiz bank and scoring, all pure data and functions.
// Front ends (webview host, sidebar, CLI) import from here rather than from the individual modules.
export { ALL_CLAIMS, DIAGRAM_VARIANTS, LESSON_SECTIONS, SECTION_IDS, findSection, isClaimId, parseInline, scenarioFile } from './sections';
export type { Block, BlockKind, ClaimId, DiagramVariant, InlineSpan, InlineText, LessonSection } from './sections';
export { SNIPPETS, findSnippet, snippetsFor } from './snippets';
export type { Snippet, SnippetLanguage } from './snippets';
export { QUIZ_BANK, SCENARIO_QUESTION_TEMPLATES, drawTemplateParams, findQuestion, instantiateTemplate } from './quizBank';
export type { QuestionStyle, QuizOption, QuizQuestion, ScenarioQuestionTemplate, TemplateParamSpec, TemplateParams } from './quizBank';
export {
  PASS_THRESHOLD,
  drawAttempt,
  emptyProgress,
  markSectionRead,
  mulberry32,
  recordAttempt,
  scoreAttempt,
  validateProgress,
} from './scoring';
export type { Answer, AttemptResult, Progress } from './scoring';
