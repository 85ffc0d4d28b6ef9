// <cw-quiz>: the knowledge check page. The attempt lives in the extension; this page shows one question at a time as
// a radio group (arrow keys or Space choose, Enter or Check answer answers), the feedback (focused as it appears), then
// the score and Retry. The question whose feedback is on screen is kept in the page's saved state, so leaving the page or a
// reload comes back to it rather than to the next question.
import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import type { QuestionView } from '../src/lesson/quizSession.js';
import type { HostMessage, ProgressView, QuizReviewUiState, QuizState } from '../src/views/protocol.js';
import { post } from './host.js';
import { renderInline } from './inline.js';
import { HostElement } from './hostElement.js';
import { optionMark, restoredReview, scoreVerdict } from './quizReview.js';
import { checkedValue, keepTabStopOnChecked, syncRadioSemantics } from './radios.js';
import type { RadioLike } from './radios.js';
import { percent, quizStatus } from './format.js';
import { styleLabel } from './quizReview.js';


/** Where focus goes after the next render: the feedback just given, the next question, or the score. */
type FocusTarget = 'feedback' | 'question' | 'score' | null;

/** An explanation without a leading "Correct." (the verdict above it says so already). */
function explained(text: string): string {
  return text.replace(/^(Correct|Right)\.\s*/, '');
}

/** Correct answers needed to pass out of `total`, at the threshold (70%: 4 of 5). */
export function neededToPass(total: number, threshold: number): number {
  return Math.ceil(total * threshold - 1e-9);
}

@customElement('cw-quiz')
export class QuizView extends HostElement {
  /** The learner's stored progress (best score, attempts, passed), from the extension. */
  @property({ attribute: false }) progress: ProgressView | undefined = undefined;
  /** The question under review when the page was last left (from the saved UI state). */
  @property({ attribute: false }) review: QuizReviewUiState | undefined = undefined;

  @state() private quiz: QuizState | undefined = undefined;
  /** The question whose feedback is on screen (the learner has not moved on yet). */
  @state() private reviewing: string | null = null;
  /** Option chosen (not yet submitted) per question. */
  @state() private chosen: Record<string, string> = {};
  @state() private error = '';
  @state() private waiting = false;

  private focusTarget: FocusTarget = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // The attempt in progress lives in the extension: ask for it (a new one is drawn when there is none).
    post({ type: 'quiz/start' });
  }

  protected override onHost(m: HostMessage): void {
    if (m.type === 'quiz/state') {
      const previous = this.quiz;
      if (!previous || previous.attemptSeed !== m.quiz.attemptSeed) {
        this.reviewing = null;
        this.chosen = {};
        if (previous) this.focusTarget = 'question';
      }
      if (m.quiz.justAnswered !== null) {
        this.setReviewing(m.quiz.justAnswered, m.quiz.attemptSeed);
        this.focusTarget = 'feedback';
      } else if (this.reviewing === null) {
        // Back on the page (or reloaded) before moving on: the feedback of the question just answered, again.
        this.reviewing = restoredReview(this.review, m.quiz);
      }
      if (m.quiz.finished && this.reviewing !== null) this.setReviewing(null, m.quiz.attemptSeed);
      if (m.quiz.finished && previous && !previous.finished && previous.attemptSeed === m.quiz.attemptSeed) this.focusTarget = 'score';
      this.quiz = m.quiz;
      this.waiting = false;
      this.error = '';
    } else if (m.type === 'quiz/rejected') {
      this.waiting = false;
      this.error = m.error;
    }
  }

  protected override updated(_changed: PropertyValues<this>): void {
    // The tab stop goes to the chosen option, else the first.
    keepTabStopOnChecked(this.querySelector('.cw-options'));
    const target = this.focusTarget;
    this.focusTarget = null;
    const selector = target === 'feedback' ? '.cw-feedback' : target === 'question' ? '.cw-question-prompt' : target === 'score' ? '.cw-score-title' : null;
    if (selector) this.querySelector<HTMLElement>(selector)?.focus();
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Actions

  private submit(question: QuestionView, optionId: string | undefined): void {
    if (!optionId || question.feedback || this.waiting) return;
    this.waiting = true;
    this.error = '';
    post({ type: 'quiz/answer', questionId: question.id, optionId });
  }

  /** The question under review (its feedback on screen), kept in the page's saved state as well. */
  private setReviewing(questionId: string | null, attemptSeed: number): void {
    this.reviewing = questionId;
    const detail: QuizReviewUiState | null = questionId === null ? null : { attempt: attemptSeed, questionId };
    this.dispatchEvent(new CustomEvent<QuizReviewUiState | null>('cw-quiz-review', { detail, bubbles: true }));
  }

  /**
   * The chosen option follows the checked radio however it got checked: a click or Space fires `change`, the arrow
   * keys check one without it (the group's own keydown), hence also `keyup` and `focusin` (the group focuses it). And
   * `click`: a click on an option's text toggles the checkbox drawn inside it (see syncRadioSemantics) after the radio
   * has handled it, with no `change` when the option was checked already, so its state is put back then.
   */
  private syncChosen(question: QuestionView, e: Event): void {
    const group = e.currentTarget as HTMLElement;
    syncRadioSemantics(group.querySelectorAll<HTMLElement & RadioLike>('vscode-radio'));
    if (question.feedback) return;
    const value = checkedValue(group.querySelectorAll<HTMLElement & RadioLike>('vscode-radio'));
    if (value === undefined || value === this.chosen[question.id] || !question.options.some((o) => o.id === value)) return;
    this.chosen = { ...this.chosen, [question.id]: value };
  }

  /**
   * Enter on an option answers with it. Space only chooses, as in any radio group (the radio checks itself), and so
   * do the arrow keys; Check answer answers as well.
   */
  private onRadioKey(question: QuestionView, e: KeyboardEvent): void {
    if (e.key !== 'Enter' || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const radio = (e.target as HTMLElement).closest('vscode-radio');
    if (!radio) return;
    e.preventDefault();
    this.chosen = { ...this.chosen, [question.id]: radio.value };
    this.submit(question, radio.value);
  }

  private next(): void {
    this.setReviewing(null, this.quiz?.attemptSeed ?? -1);
    this.focusTarget = 'question';
  }

  private finish(): void {
    this.setReviewing(null, this.quiz?.attemptSeed ?? -1);
    this.waiting = true;
    post({ type: 'quiz/finish' });
  }

  private retry(): void {
    this.setReviewing(null, this.quiz?.attemptSeed ?? -1);
    this.waiting = true;
    post({ type: 'quiz/retry' });
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    const q = this.quiz;
    return html`
      <main class="cw-page cw-quiz" aria-labelledby="cw-quiz-title">
        <header class="cw-page-header">
          <p class="cw-kicker">Knowledge check</p>
          <h1 class="cw-section-title" id="cw-quiz-title">Check what you learned</h1>
          <p class="cw-summary">
            ${q && q.total > 0 ? q.total : 5} questions drawn from the whole lesson, one of them measured by running a scenario.
            The pass mark is ${percent(q?.passThreshold ?? 0.7)}: ${neededToPass(q?.total || 5, q?.passThreshold ?? 0.7)} of ${q?.total || 5} correct.
          </p>
          ${this.renderRecord()}
        </header>
        ${q === undefined || q.total === 0 ? html`<p class="cw-muted" role="status">Drawing the questions…</p>` : q.finished ? this.renderScore(q) : this.renderQuestion(q)}
        <p class="cw-quiz-error" role="alert">${this.error ? `That answer was not accepted: ${this.error}` : ''}</p>
      </main>
    `;
  }

  /** The stored record: best score, attempts, passed (kept across reloads, cleared by Reset Progress). */
  private renderRecord(): TemplateResult {
    const p = this.progress;
    const passed = p?.quizPassed ?? false;
    const text = quizStatus(p);
    return html`<p class="cw-quiz-record ${passed ? 'cw-passed' : ''}" data-testid="quiz-record">
      <vscode-icon name=${passed ? 'pass-filled' : 'circle-large-outline'} aria-hidden="true"></vscode-icon>
      <span>${text}</span>
    </p>`;
  }

  /** One marker per question: answered right, wrong, or not yet. */
  private renderSteps(q: QuizState, current: QuestionView | undefined): TemplateResult {
    return html`<ol class="cw-quiz-steps" aria-label="Questions">
      ${q.questions.map((x, i) => {
        const f = x.feedback;
        const mark = f ? (f.correct ? 'pass-filled' : 'error') : 'circle-large-outline';
        const text = `Question ${i + 1}: ${f ? (f.correct ? 'correct' : 'incorrect') : 'not answered'}`;
        return html`<li class="cw-quiz-step ${f ? (f.correct ? 'cw-right' : 'cw-wrong') : ''} ${x === current ? 'cw-quiz-step-current' : ''}"
          aria-current=${x === current ? 'step' : 'false'}>
          <vscode-icon name=${mark} aria-hidden="true"></vscode-icon><span class="cw-sr-only">${text}</span>
        </li>`;
      })}
    </ol>`;
  }

  private renderQuestion(q: QuizState): TemplateResult {
    const reviewed = this.reviewing ? q.questions.find((x) => x.id === this.reviewing) : undefined;
    const question = reviewed ?? q.questions.find((x) => !x.feedback);
    if (!question) {
      return html`
        ${this.renderSteps(q, undefined)}
        <section class="cw-quiz-done" aria-labelledby="cw-quiz-done-title">
          <h2 id="cw-quiz-done-title" class="cw-question-prompt" tabindex="-1">All ${q.total} questions answered</h2>
          <vscode-button icon="checklist" ?disabled=${this.waiting} @click=${() => this.finish()}>See my score</vscode-button>
        </section>`;
    }
    const index = q.questions.indexOf(question);
    const f = question.feedback;
    const chosen = f ? f.optionId : this.chosen[question.id];
    const allAnswered = q.questions.every((x) => x.feedback);
    const promptId = `cw-q-${index}`;
    const hintId = `cw-q-${index}-hint`;
    return html`
      ${this.renderSteps(q, question)}
      <section class="cw-question" data-question-id=${question.id} aria-labelledby=${promptId}>
        <p class="cw-kicker">Question ${index + 1} of ${q.total} · ${styleLabel(question)}</p>
        <h2 class="cw-question-prompt" id=${promptId} tabindex="-1">${renderInline(question.prompt)}</h2>
        ${question.scenarioText !== undefined ? this.renderScenario(question) : nothing}
        ${keyed(question.id, this.renderAnswerOptions(question, promptId, hintId, chosen))}
        ${f ? nothing : html`<div class="cw-quiz-actions">
          <vscode-button icon="check" ?disabled=${!chosen || this.waiting} @click=${() => this.submit(question, chosen)}>Check answer</vscode-button>
          <span class="cw-hint" id=${hintId}>Arrow keys or Space choose an option; Enter or Check answer answers with it.</span>
        </div>`}
        <div class="cw-feedback ${f ? (f.correct ? 'cw-feedback-right' : 'cw-feedback-wrong') : 'cw-feedback-empty'}" tabindex="-1"
          role=${f ? 'group' : nothing} aria-labelledby=${f ? `${promptId}-verdict` : nothing}
          aria-describedby=${f ? (f.correct ? `${promptId}-chosen` : `${promptId}-chosen ${promptId}-correct`) : nothing} data-testid="quiz-feedback">
          ${f ? this.renderFeedback(question, promptId) : nothing}
        </div>
        ${f ? html`<div class="cw-quiz-actions">
          ${allAnswered
            ? html`<vscode-button icon="checklist" ?disabled=${this.waiting} @click=${() => this.finish()}>See my score</vscode-button>`
            : html`<vscode-button icon-after="arrow-right" @click=${() => this.next()}>Next question</vscode-button>`}
        </div>` : nothing}
      </section>
    `;
  }

  /**
   * The options as a radio group, new for each question: a radio takes its accessible name from its text only when
   * its slotted nodes change, so radios reused for the next question (Lit only rewrites their text) would keep the
   * previous question's names. Once answered, the chosen and the correct option say so in words beside the colour.
   */
  private renderAnswerOptions(question: QuestionView, promptId: string, hintId: string, chosen: string | undefined): TemplateResult {
    const f = question.feedback;
    return html`<vscode-radio-group variant="vertical" class="cw-options" aria-labelledby=${promptId}
      aria-describedby=${f ? nothing : hintId}
      @change=${(e: Event) => this.syncChosen(question, e)}
      @keyup=${(e: Event) => this.syncChosen(question, e)}
      @focusin=${(e: Event) => this.syncChosen(question, e)}
      @click=${(e: Event) => this.syncChosen(question, e)}
      @keydown=${(e: KeyboardEvent) => this.onRadioKey(question, e)}>
      ${question.options.map((o) => {
        const mark = optionMark(o.id, f);
        return html`<vscode-radio name=${`q-${question.id}`} value=${o.id} data-option-id=${o.id}
          class=${mark ? (mark.kind === 'chosen-wrong' ? 'cw-option-wrong' : 'cw-option-correct') : ''}
          .checked=${chosen === o.id} ?disabled=${f !== undefined}>${renderInline(o.text)}${mark
            ? html`<span class="cw-option-tag" data-mark=${mark.kind}><span class="cw-sr-only">, </span><vscode-icon name=${mark.icon}
                aria-hidden="true"></vscode-icon>${mark.text}</span>`
            : nothing}</vscode-radio>`;
      })}
    </vscode-radio-group>`;
  }

  private renderScenario(question: QuestionView): TemplateResult {
    return html`<figure class="cw-quiz-scenario">
      <figcaption>The scenario that was run:</figcaption>
      <pre class="cw-code" tabindex="0" aria-label="Scenario of this question"><code>${question.scenarioText}</code></pre>
      <vscode-button secondary icon="go-to-file" @click=${() => post({ type: 'quiz/openScenario', questionId: question.id })}
        >Open in an editor</vscode-button>
    </figure>`;
  }

  /**
   * The feedback gets the focus as it appears (the Check answer button it replaces is gone), so it is a group named by
   * its verdict and described by the answers and their explanations (`<idBase>-verdict`, `-chosen`, `-correct`), not a
   * live region too: a screen reader reading both said the feedback twice. Focusing a group reads its name and
   * description, not the text inside it, so without the description only "Correct." or "Not quite." was heard.
   */
  private renderFeedback(question: QuestionView, idBase: string): TemplateResult {
    const f = question.feedback;
    if (!f) return html``;
    const chosen = question.options.find((o) => o.id === f.optionId);
    const right = question.options.find((o) => o.id === f.correctOptionId);
    return html`
      <p class="cw-feedback-verdict" id=${`${idBase}-verdict`}>
        <vscode-icon name=${f.correct ? 'pass-filled' : 'error'} aria-hidden="true"></vscode-icon>
        <strong>${f.correct ? 'Correct.' : 'Not quite.'}</strong>
      </p>
      <p class="cw-feedback-chosen" id=${`${idBase}-chosen`} data-option-id=${f.optionId}><span class="cw-feedback-label">Your answer:</span> ${chosen ? renderInline(chosen.text) : f.optionId}.
        ${renderInline(explained(f.explanation))}</p>
      ${f.correct
        ? nothing
        : html`<p class="cw-feedback-correct" id=${`${idBase}-correct`} data-option-id=${f.correctOptionId}><span class="cw-feedback-label">Correct answer:</span>
            ${right ? renderInline(right.text) : f.correctOptionId}. ${renderInline(explained(f.correctExplanation))}</p>`}
    `;
  }

  private renderScore(q: QuizState): TemplateResult {
    const s = q.score;
    const passed = s?.passed ?? false;
    const needed = neededToPass(q.total, q.passThreshold);
    // Progress counts this attempt too (passed is then true as well), so it says "passed before" only when this one failed.
    const verdict = scoreVerdict(passed, this.progress?.quizPassed ?? false, needed, q.total, this.progress?.bestScore ?? 0);
    return html`
      ${this.renderSteps(q, undefined)}
      <section class="cw-score ${passed ? 'cw-score-passed' : 'cw-score-failed'}" aria-labelledby="cw-score-title" data-testid="quiz-score">
        <h2 class="cw-score-title" id="cw-score-title" tabindex="-1">
          <vscode-icon name=${passed ? 'pass-filled' : 'circle-large-outline'} aria-hidden="true"></vscode-icon>
          ${s ? `${s.correct} of ${s.total} correct (${percent(s.ratio)}): ${verdict.heading}` : 'Finished'}
        </h2>
        <p data-testid="quiz-score-message">${verdict.message}</p>
        <div class="cw-quiz-actions">
          <vscode-button icon="refresh" ?disabled=${this.waiting} @click=${() => this.retry()}>Retry</vscode-button>
          <vscode-button secondary icon="book" @click=${() => post({ type: 'lesson/open', section: null })}>Back to the lesson</vscode-button>
        </div>
        <h3>Your answers</h3>
        <ol class="cw-review">
          ${q.questions.map((x) => {
            const f = x.feedback;
            const chosen = f ? x.options.find((o) => o.id === f.optionId) : undefined;
            const right = f ? x.options.find((o) => o.id === f.correctOptionId) : undefined;
            return html`<li class=${f?.correct ? 'cw-right' : 'cw-wrong'}>
              <p class="cw-review-prompt">${renderInline(x.prompt)}</p>
              <p class="cw-review-verdict">${f
                ? html`${f.correct ? 'Correct' : 'Incorrect'}: you chose “${chosen ? renderInline(chosen.text) : f.optionId}”${f.correct
                    ? nothing
                    : html`; the answer is “${right ? renderInline(right.text) : f.correctOptionId}”`}.`
                : 'Not answered (counts as incorrect).'}</p>
              ${f
                ? html`<p class="cw-review-explanation">${renderInline(explained(f.explanation))}${f.correct
                    ? nothing
                    : html` ${renderInline(explained(f.correctExplanation))}`}</p>`
                : nothing}
            </li>`;
          })}
        </ol>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-quiz': QuizView;
  }
}
