// <cw-flow-diagram>: draws a trace's sequence diagram as SVG with Lit and plays it step by step (play, pause, step,
// speed, variant switcher), with an ordered text list of the steps and a live region for screen readers.
import { LitElement, html, nothing, svg } from 'lit';
import type { PropertyValues, SVGTemplateResult, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import type { DiagramVariant } from '../../src/lesson/sections.js';
import type { TraceStep } from '../../src/model/types.js';
import { ANIMATION_SPEEDS } from '../../src/views/protocol.js';
import type { DebugCheckpoint, Speed } from '../../src/views/protocol.js';
import { checkedValue, keepTabStopOnChecked, syncRadioSemantics } from '../radios.js';
import type { RadioLike } from '../radios.js';
import { DEFAULT_LAYOUT, MARK_LABELS, canMoveDebuggerTo, debugStepIndex, debuggerWhere, describeBeforeFirstStep, describePlaybackStart, describeStep, formatMs, layoutDiagram, moveDebuggerTitle, shortValue, stepWithin } from './layout.js';
import type { DiagramLayout, RowLayout, StepMark } from './layout.js';
import { failureRevealed, lossRevealed, predictionFor, predictionScore, stopBeforeQuestion, verdictOf } from './predict.js';
import type { Prediction } from './predict.js';

export const VARIANT_LABELS: Readonly<Record<DiagramVariant, string>> = {
  normal: 'Normal',
  'crash-before-flush': 'Crash before flush',
  wal: 'WAL',
  'other-node': 'Other node',
  'db-failure': 'DB failure',
  race: 'Race',
  shutdown: 'Shutdown',
  'lost-reply': 'Lost reply',
  'dirty-read': 'Dirty read',
  'write-delay': 'Write delay',
};

/** One line on what each variant shows, for when the learner switches away from the lesson's own caption. */
export const VARIANT_DESCRIPTIONS: Readonly<Record<DiagramVariant, string>> = {
  normal: 'The everyday path: nothing goes wrong.',
  'crash-before-flush': 'The cache node crashes while acknowledged writes still wait in its queue.',
  wal: 'The same crash, but every queued write was also appended to a write-ahead log that the restart replays.',
  'other-node': 'A read through another cache node (or straight from the database) before the flush has happened.',
  'db-failure': 'The database rejects the write, and the strategy has to undo what it already did.',
  race: 'A slow reader and a writer interleave on the same key.',
  shutdown: 'Two nodes shut down gracefully during a database outage: one stops waiting for its queue after 5 s and loses its write, the other waits long enough.',
  'lost-reply': 'The database commits a write but its reply never arrives, so the writer takes it for failed: a write-behind batch is sent again and applied twice; cache-aside never invalidates.',
  'dirty-read': 'A second client reads the key between the cache update and a commit that fails: it gets a value that neither store keeps.',
  'write-delay': 'Hazelcast\'s write delay: each write waits a whole second from its entry\'s first write, so a flush that comes sooner leaves it queued.',
};

/** Real time between two steps at 1× speed, in ms. */
const BASE_STEP_MS = 1100;

export interface StepChange {
  step: number;
  /** True when the learner moved the step (not the player). */
  byUser: boolean;
}

let nextId = 1;

/** Smallest scale a diagram is shrunk to before its container scrolls instead (12px labels stay above 10px). */
const MIN_SCALE = 0.85;

@customElement('cw-flow-diagram')
export class FlowDiagram extends LitElement {
  /** The trace to draw. */
  @property({ attribute: false }) steps: TraceStep[] = [];
  /** Variants offered by the switcher; fewer than two: no switcher. */
  @property({ attribute: false }) variants: DiagramVariant[] = [];
  @property({ attribute: false }) variant: DiagramVariant | null = null;
  /** Index of the current step. */
  @property({ type: Number }) step = 0;
  @property({ type: Number }) speed: Speed = 1;
  /** No animation: no auto-play, no travelling highlight, no transitions. */
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;
  /** Start playing from the first step the first time the diagram scrolls into view (ignored with reduced motion). */
  @property({ type: Boolean }) autoplay = false;
  /**
   * The diagram follows a debugger: `debugSeq` is the step it stopped at, highlighted with its own colour and made
   * current; null is before the first step (on entry), where no step is current and the clock is at 0.
   */
  @property({ type: Boolean, attribute: false }) followsDebugger = false;
  /** The step the debugger stopped at (see `followsDebugger`). */
  @property({ attribute: false }) debugSeq: number | null = null;
  /** The `advance` or `expect` line the debugger stopped on, right after step `debugSeq`; null at a step of its own. */
  @property({ attribute: false }) debugCheckpoint: DebugCheckpoint | null = null;
  /** Accessible name of the diagram, e.g. "Write-behind, crash before flush". */
  @property() heading = 'Sequence diagram';
  @property({ type: Boolean }) loading = false;
  @property() error = '';

  @state() private playing = false;
  @state() private showText = false;
  /** What the live region says; updated on the learner's moves and at the end of a playback, not on every tick. */
  @state() private announcement = '';
  /** Width the diagram has on screen (0 until measured): the layout fits into it, down to legible spacing. */
  @state() private fitWidth = 0;
  /**
   * Prediction mode ("Predict"): steps ahead of the current one are hidden, and a move forward stops before each step
   * worth predicting (predict.ts) to ask about it; the step is shown once the learner has answered.
   */
  @state() private predicting = false;
  /** Index of the step whose question is open (prediction mode), or null. */
  @state() private asking: number | null = null;
  /** The learner's answers in prediction mode, by step index: reset with the trace. */
  @state() private answers: ReadonlyMap<number, string> = new Map();
  /** The question was opened by the learner's own move (not a playback): the keyboard goes to its first answer. */
  private focusQuestion = false;
  /** The learner moved the step: once drawn, its row is scrolled into view if it is off screen (End, a long diagram). */
  private revealCurrent = false;

  private readonly uid = nextId++;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private observer: IntersectionObserver | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private autoplayDone = false;
  /** Whether the playback going on was started by the learner (announced) rather than by autoplay (silent). */
  private playAnnounced = true;
  private watchedFor: TraceStep[] | undefined;
  private layoutFor: TraceStep[] | undefined;
  private layoutWidth = 0;
  private cachedLayout: DiagramLayout | undefined;

  protected override createRenderRoot(): HTMLElement {
    // Light DOM: media/workbench.css styles the diagram like the rest of the page.
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof IntersectionObserver === 'function') {
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.maybeAutoplay();
      }, { threshold: 0.4 });
      this.observer.observe(this);
    }
    if (typeof ResizeObserver === 'function') {
      this.resizeObserver = new ResizeObserver((entries) => {
        const width = entries[entries.length - 1]?.contentRect.width ?? 0;
        // In steps of 8px, so a drag of the sash does not lay the diagram out again on every pixel.
        const fit = Math.floor(width / 8) * 8;
        if (fit > 0 && fit !== this.fitWidth) this.fitWidth = fit;
      });
      this.resizeObserver.observe(this);
    }
    window.addEventListener('focus', this.onWindowFocus);
  }

  /**
   * The page has the keyboard again (the extension hands it back after "Move the debugger here", whose stop gave the
   * editor the focus). Chromium then leaves nothing focused in the page; the diagram takes it, where the arrow keys
   * step on, if the move was this diagram's and recent.
   */
  private readonly onWindowFocus = (): void => {
    const since = this.jumpedAt;
    this.jumpedAt = undefined;
    if (since === undefined || Date.now() - since > 5000) return;
    if (document.activeElement === null || document.activeElement === document.body) this.querySelector<HTMLElement>('.cw-diagram-scroll')?.focus();
  };

  /** When this diagram last asked the debugger to move (ms since the epoch), until the page next takes the focus. */
  private jumpedAt: number | undefined = undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('focus', this.onWindowFocus);
    this.stopTimer();
    this.playing = false;
    this.observer?.disconnect();
    this.observer = undefined;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('steps')) {
      this.autoplayDone = false;
      this.stopTimer();
      this.playing = false;
      // Another trace (a variant, a new run): its questions start afresh.
      this.asking = null;
      this.answers = new Map();
      // No steps yet (the trace is loading): keep the step the page asked for, the trace it belongs to is on its way.
      this.step = stepWithin(this.step, this.steps.length);
    }
    if (changed.has('reducedMotion') && this.reducedMotion && this.playing) {
      // Reduced motion turned on while playing: stop rather than animate against the learner's wish.
      this.pause();
    }
    if (this.followsDebugger && (changed.has('debugSeq') || changed.has('followsDebugger') || changed.has('steps'))) {
      // Before the first step the index is -1: no row is current and every step is still to come.
      const index = debugStepIndex(this.steps, this.debugSeq);
      if (index !== undefined) {
        this.pause();
        this.step = index;
        this.announce();
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.cachedLayout !== undefined && this.labelsFitFor !== this.cachedLayout) this.fitLaneLabels(this.cachedLayout);
    if (changed.has('steps') && this.steps.length > 0) this.maybeAutoplay();
    if (changed.has('variant') || changed.has('variants')) keepTabStopOnChecked(this.querySelector('.cw-variants vscode-radio-group'));
    const behavior = this.reducedMotion ? 'auto' : 'smooth';
    if (this.revealCurrent) {
      this.revealCurrent = false;
      this.querySelector('.cw-row.cw-current')?.scrollIntoView({ block: 'nearest', behavior });
    }
    if (this.asking !== null && this.focusQuestion) {
      this.focusQuestion = false;
      // A button just drawn is focusable once it has rendered itself (it reflects its tabindex then).
      const first = this.querySelector<HTMLElement & { updateComplete?: Promise<unknown> }>('.cw-predict-options vscode-button');
      void (first?.updateComplete ?? Promise.resolve()).then(() => first?.focus());
    }
    if (changed.has('debugSeq') && this.debugSeq !== null) {
      this.querySelector('.cw-row.cw-debug')?.scrollIntoView({ block: 'nearest', behavior });
    } else if (this.followsDebugger && this.step < 0 && (changed.has('debugSeq') || changed.has('followsDebugger') || changed.has('steps'))) {
      // Before the first step: what the page says about it, above the diagram.
      this.querySelector('.cw-step-info')?.scrollIntoView({ block: 'nearest', behavior });
    }
  }

  /** The layout whose lane labels were last fitted into their heads. */
  private labelsFitFor: DiagramLayout | undefined;

  /**
   * Squeezes a lane's name that is wider than its head (`node1 queue` when the lanes move closer in a narrow group, a
   * long client name) into it, as SVG text cannot wrap. Measured once per layout; without SVG text metrics (a test
   * DOM) nothing changes.
   */
  private fitLaneLabels(l: DiagramLayout): void {
    this.labelsFitFor = l;
    const room = l.laneSpacing - 16 - 6;
    for (const t of this.querySelectorAll<SVGTextElement>('text.cw-lane-label')) {
      t.removeAttribute('textLength');
      t.removeAttribute('lengthAdjust');
      if (typeof t.getComputedTextLength !== 'function') continue;
      const width = t.getComputedTextLength();
      // Not laid out (a hidden tab): measured again at the next update.
      if (width === 0 && t.textContent !== '') this.labelsFitFor = undefined;
      if (width <= room) continue;
      t.setAttribute('textLength', String(room));
      t.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    }
  }

  private get layout(): DiagramLayout {
    if (!this.cachedLayout || this.layoutFor !== this.steps || this.layoutWidth !== this.fitWidth) {
      this.cachedLayout = layoutDiagram(this.steps, { fitWidth: this.fitWidth });
      this.layoutFor = this.steps;
      this.layoutWidth = this.fitWidth;
    }
    return this.cachedLayout;
  }

  private get lastIndex(): number {
    return Math.max(0, this.steps.length - 1);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Playback

  private maybeAutoplay(): void {
    if (!this.autoplay || this.autoplayDone || this.reducedMotion || this.steps.length === 0 || !this.isConnected) return;
    if (this.observer && !this.isVisible()) return;
    this.autoplayDone = true;
    this.setStep(0, false);
    this.play(false);
  }

  private isVisible(): boolean {
    const r = this.getBoundingClientRect();
    return r.bottom > 0 && r.top < (window.innerHeight || 0) && r.width > 0;
  }

  /**
   * Plays from the current step. `announced`: the learner started it, so the live region says so and, at the end,
   * where it stopped. Autoplay is silent, as a carousel's own rotation is: a diagram scrolling into view does not
   * talk over the text a screen reader is reading. Its Pause button still says it is playing.
   */
  play(announced = true): void {
    if (this.steps.length === 0) return;
    if (this.step >= this.lastIndex) this.setStep(0, false);
    this.playing = true;
    this.playAnnounced = announced;
    if (announced) this.announcement = describePlaybackStart(this.step, this.steps.length, this.speed);
    this.schedule();
  }

  pause(): void {
    this.stopTimer();
    if (this.playing) {
      this.playing = false;
      this.announce();
    }
  }

  private schedule(): void {
    this.stopTimer();
    this.timer = setTimeout(() => {
      if (!this.playing) return;
      if (this.step >= this.lastIndex) {
        this.playing = false;
        if (this.playAnnounced) this.announce();
        return;
      }
      this.setStep(this.step + 1, false);
      if (this.asking !== null) return; // a question to answer first (prediction mode): the playback has stopped
      if (this.step >= this.lastIndex) {
        this.playing = false;
        if (this.playAnnounced) this.announce();
      } else {
        this.schedule();
      }
    }, BASE_STEP_MS / this.speed);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Moves to a step, tells the parent (for saved state), and reports the diagram as watched at its end. */
  setStep(index: number, byUser: boolean): void {
    // Before the first step (where the debugger put it), going back stays there.
    if (index < 0 && this.step < 0) return;
    let clamped = Math.min(this.lastIndex, Math.max(0, Math.floor(index)));
    if (byUser) this.pause();
    if (this.predicting && !this.followsDebugger) {
      // Forward, past a step still to predict: stop just before it and ask. Back: any open question waits.
      const held = clamped > this.step ? stopBeforeQuestion(this.steps, this.step, clamped, this.answers) : { stop: clamped, ask: null };
      this.asking = held.ask;
      if (held.ask !== null) {
        this.stopTimer();
        this.playing = false;
        this.focusQuestion = byUser;
        if (held.stop === this.step) {
          this.announceQuestion();
          return;
        }
        clamped = held.stop;
      }
    }
    this.step = clamped;
    if (byUser) this.revealCurrent = true;
    this.dispatchEvent(new CustomEvent<StepChange>('cw-step', { detail: { step: clamped, byUser }, bubbles: true }));
    if (this.asking !== null) this.announceQuestion();
    else if (byUser) this.announce();
    if (clamped === this.lastIndex && this.steps.length > 0 && this.watchedFor !== this.steps) {
      this.watchedFor = this.steps;
      this.dispatchEvent(new CustomEvent('cw-watched', { bubbles: true }));
    }
  }

  private announce(): void {
    const s = this.steps[this.step];
    const text = s ? describeStep(s, this.step, this.steps.length) : this.step < 0 && this.steps.length > 0 ? describeBeforeFirstStep(this.steps.length) : '';
    // Following a debugger, a step away from it also says where the debugger is (its colour says so only to the eye).
    const away = this.followsDebugger && s !== undefined && canMoveDebuggerTo(s.seq, this.debugSeq, this.debugCheckpoint);
    this.announcement = away ? `${text} ${debuggerWhere(s.seq, this.debugSeq, this.debugCheckpoint)}` : text;
  }

  /** The open question, for the live region: the learner hears it wherever the keyboard is. */
  private announceQuestion(): void {
    const q = this.asking === null ? null : predictionFor(this.steps, this.asking);
    if (this.asking === null || q === null) return;
    this.announcement = `Predict step ${this.asking + 1} of ${this.steps.length}: ${q.question} ${q.options.map((o) => o.text).join(', or ')}?`;
  }

  /** Prediction mode on or off: on, the steps ahead hide and the next move forward may ask; off, everything shows. */
  private togglePredict(): void {
    this.pause();
    this.predicting = !this.predicting;
    this.asking = null;
    this.announcement = this.predicting
      ? 'Prediction on: the steps ahead are hidden, and before each key step you predict what happens.'
      : 'Prediction off: every step is shown.';
  }

  /** The learner picked `choice` for the open question: record it, show the step, and say whether it was right. */
  private answerQuestion(choice: string): void {
    const index = this.asking;
    if (index === null) return;
    const q = predictionFor(this.steps, index);
    if (q === null) return;
    this.answers = new Map(this.answers).set(index, choice);
    this.asking = null;
    this.setStep(index, true);
    const { right, answer } = verdictOf(q, choice);
    const s = this.steps[index];
    this.announcement = `${right ? 'Right' : `Not this time: ${answer}`}. ${s ? describeStep(s, index, this.steps.length) : ''} ${predictionScore(this.steps, this.answers)}.`;
    // The answers are gone: the keyboard goes back to the diagram, where the arrow keys step on.
    this.querySelector<HTMLElement>('.cw-diagram-scroll')?.focus();
  }

  private togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  private onKeyDown(e: KeyboardEvent): void {
    const moves: Record<string, () => void> = {
      ArrowRight: () => this.setStep(this.step + 1, true),
      ArrowDown: () => this.setStep(this.step + 1, true),
      ArrowLeft: () => this.setStep(this.step - 1, true),
      ArrowUp: () => this.setStep(this.step - 1, true),
      Home: () => this.setStep(0, true),
      End: () => this.setStep(this.lastIndex, true),
      ' ': () => this.togglePlay(),
      k: () => this.togglePlay(),
    };
    const move = moves[e.key];
    if (move && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      move();
    }
  }

  private onSpeed(e: Event): void {
    const value = Number((e.target as HTMLSelectElement).value);
    const speed = ANIMATION_SPEEDS.find((s) => s === value);
    if (speed === undefined) return;
    this.speed = speed;
    this.dispatchEvent(new CustomEvent<Speed>('cw-speed', { detail: speed, bubbles: true }));
    if (this.playing) this.schedule();
  }

  /**
   * The variant of the checked radio, however it got checked: a click or Space fires `change`, but the arrow keys
   * check the next radio without one (the group's own keydown), hence also `keyup` and `focusin` (the group focuses
   * the radio it checked); and `click`, which toggles the checkbox drawn inside a radio even when it was checked
   * already (see syncRadioSemantics).
   */
  private onVariant(e: Event): void {
    const group = e.currentTarget as HTMLElement;
    syncRadioSemantics(group.querySelectorAll<HTMLElement & RadioLike>('vscode-radio'));
    const value = checkedValue(group.querySelectorAll<HTMLElement & RadioLike>('vscode-radio'));
    const variant = this.variants.find((v) => v === value);
    if (!variant || variant === this.variant) return;
    this.pause();
    this.dispatchEvent(new CustomEvent<DiagramVariant>('cw-variant', { detail: variant, bubbles: true }));
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    return html`
      <div class="cw-diagram ${this.reducedMotion ? 'cw-reduced-motion' : ''}">
        ${this.renderVariants()}
        ${this.loading
          ? html`<p class="cw-diagram-status" role="status">Running the scenario…</p>`
          : this.error
            ? html`<p class="cw-diagram-status cw-error" role="alert">${this.error}</p>`
            : this.steps.length === 0
              ? html`<p class="cw-diagram-status">This scenario produced no steps.</p>`
              : this.renderBody()}
      </div>
    `;
  }

  private renderVariants(): TemplateResult | typeof nothing {
    if (this.variants.length < 2) return nothing;
    const name = `cw-variant-${this.uid}`;
    return html`
      <div class="cw-variants">
        <span class="cw-variants-label" id="${name}-label">Variant</span>
        <vscode-radio-group aria-labelledby="${name}-label" @change=${(e: Event) => this.onVariant(e)}
          @keyup=${(e: Event) => this.onVariant(e)} @focusin=${(e: Event) => this.onVariant(e)}
          @click=${(e: Event) => this.onVariant(e)}>
          ${this.variants.map(
            (v) => html`<vscode-radio name=${name} value=${v} label=${VARIANT_LABELS[v]} ?checked=${v === this.variant}
              >${VARIANT_LABELS[v]}</vscode-radio
            >`,
          )}
        </vscode-radio-group>
      </div>
    `;
  }

  private renderBody(): TemplateResult {
    const current = this.steps[this.step];
    const total = this.steps.length;
    return html`
      <div class="cw-diagram-controls" role="group" aria-label="Playback of ${this.heading}">
        <vscode-button secondary icon="debug-restart" aria-label="First step" title="First step (Home)"
          @click=${() => this.setStep(0, true)}></vscode-button>
        <vscode-button secondary icon="chevron-left" aria-label="Step back" title="Step back (Left arrow)"
          @click=${() => this.setStep(this.step - 1, true)}></vscode-button>
        <vscode-button icon=${this.playing ? 'debug-pause' : 'play'} class="cw-play"
          aria-label=${this.playing ? 'Pause' : 'Play'} title=${this.playing ? 'Pause (Space)' : 'Play (Space)'}
          @click=${() => this.togglePlay()}>${this.playing ? 'Pause' : 'Play'}</vscode-button>
        <vscode-button secondary icon="chevron-right" aria-label="Step forward" title="Step forward (Right arrow)"
          @click=${() => this.setStep(this.step + 1, true)}></vscode-button>
        <label class="cw-speed">
          <span>Speed</span>
          <vscode-single-select label="Playback speed" .value=${String(this.speed)} @change=${(e: Event) => this.onSpeed(e)}>
            ${ANIMATION_SPEEDS.map((s) => html`<vscode-option value=${String(s)} ?selected=${s === this.speed}>${s}×</vscode-option>`)}
          </vscode-single-select>
        </label>
        ${this.followsDebugger
          ? nothing
          : html`<vscode-button ?secondary=${!this.predicting} icon=${this.predicting ? 'check' : 'question'} class="cw-predict-toggle" aria-pressed=${String(this.predicting)}
              title="Predict each key step before it is shown: the steps ahead hide"
              @click=${() => this.togglePredict()}>Predict</vscode-button>`}
      </div>
      ${current ? this.renderStepInfo(current, total) : this.step < 0 ? this.renderBeforeFirstStep(total) : nothing}
      ${this.renderPrediction()}
      <div class="cw-live cw-sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      <div class="cw-diagram-scroll" tabindex="0" role="group"
        aria-label="${this.heading}: ${total} steps. Use the arrow keys to step, Space to play or pause."
        @keydown=${(e: KeyboardEvent) => this.onKeyDown(e)}>
        ${this.renderSvg()}
      </div>
      ${this.renderTextAlternative()}
    `;
  }

  private renderStepInfo(s: TraceStep, total: number): TemplateResult {
    const row = this.layout.rows[this.step];
    const marks = row ? this.marksOf(row) : [];
    return html`
      <div class="cw-step-info ${this.debugSeq !== null && s.seq === this.debugSeq ? 'cw-step-info-debug' : ''}">
        <div class="cw-step-meta">
          <span class="cw-step-count">Step ${this.step + 1} of ${total}</span>
          <span class="cw-chip" title="Virtual time when this step's effect lands">t = ${formatMs(s.time)}</span>
          <span class="cw-chip" title="How long this hop took">latency ${formatMs(s.durationMs)}</span>
          ${s.value !== undefined ? html`<span class="cw-chip cw-chip-value">${shortValue(s.value, 40)}</span>` : nothing}
          ${marks.map((m) => html`<span class="cw-badge cw-badge-${m}">${MARK_LABELS[m]}</span>`)}
        </div>
        <p class="cw-step-note">${s.note}</p>
        ${this.renderVerdict()}
        ${this.followsDebugger ? html`<p class="cw-step-debugger">${debuggerWhere(s.seq, this.debugSeq, this.debugCheckpoint)}</p>` : nothing}
        ${this.followsDebugger && canMoveDebuggerTo(s.seq, this.debugSeq, this.debugCheckpoint)
          ? html`<vscode-button secondary icon="debug-step-over" class="cw-debug-jump"
              title=${moveDebuggerTitle(s.seq, this.debugSeq, this.debugCheckpoint)}
              @click=${() => this.jumpDebugger(s.seq)}>Move the debugger here</vscode-button>`
          : nothing}
      </div>
    `;
  }

  /** In prediction mode, the open question: what it asks, and one button per answer. */
  private renderPrediction(): TemplateResult | typeof nothing {
    if (!this.predicting || this.asking === null) return nothing;
    const q: Prediction | null = predictionFor(this.steps, this.asking);
    if (q === null) return nothing;
    const id = `cw-predict-${this.uid}`;
    return html`
      <div class="cw-predict" role="group" aria-labelledby=${id}>
        <p class="cw-predict-question" id=${id}><span class="cw-predict-label">Predict step ${this.asking + 1}:</span> ${q.question}</p>
        <div class="cw-predict-options">
          ${q.options.map((o) => html`<vscode-button secondary class="cw-predict-option" data-option=${o.id}
            @click=${() => this.answerQuestion(o.id)}>${o.text}</vscode-button>`)}
        </div>
      </div>
    `;
  }

  /** Under the current step, once its question was answered: right or not, and the score so far. */
  private renderVerdict(): TemplateResult | typeof nothing {
    if (!this.predicting) return nothing;
    const choice = this.answers.get(this.step);
    const q = choice === undefined ? null : predictionFor(this.steps, this.step);
    if (q === null || choice === undefined) return nothing;
    const { right, answer } = verdictOf(q, choice);
    return html`<p class="cw-predict-verdict ${right ? 'cw-right' : 'cw-wrong'}">
      <span class="cw-feedback-label">${right ? 'Right.' : 'Not this time.'}</span>
      ${right ? '' : html`The answer: ${answer}. `}<span class="cw-predict-score">${predictionScore(this.steps, this.answers)}</span>
    </p>`;
  }

  /**
   * The learner stepped the diagram away from where the debugger stopped and asks the debugger to follow: the page
   * forwards `cw-debug-jump` to the extension, and the debugger's stop brings the highlight here.
   */
  private jumpDebugger(seq: number): void {
    this.jumpedAt = Date.now();
    this.dispatchEvent(new CustomEvent('cw-debug-jump', { detail: { seq }, bubbles: true, composed: true }));
    // The button goes once the debugger is there: keep the keyboard on the diagram, where the arrow keys step on (VS
    // Code's stop then moves it to the editor, unless debug.focusEditorOnBreak is off).
    this.querySelector<HTMLElement>('.cw-diagram-scroll')?.focus();
  }

  /** The current-step panel while the debugger stands before the first step: no step, the clock at 0. */
  private renderBeforeFirstStep(total: number): TemplateResult {
    return html`
      <div class="cw-step-info cw-step-info-debug">
        <div class="cw-step-meta">
          <span class="cw-step-count">Before the first step (0 of ${total})</span>
          <span class="cw-chip" title="Virtual time: nothing has run yet">t = ${formatMs(0)}</span>
        </div>
        <p class="cw-step-note">Nothing has run yet: step in the debugger to run the first step.</p>
      </div>
    `;
  }

  private renderSvg(): TemplateResult {
    const l = this.layout;
    const title = `${this.heading}: a sequence diagram with ${l.lanes.length} lanes (${l.lanes.map((x) => x.label).join(', ')}) and ${l.rows.length} steps.`;
    return html`
      <svg class=${['cw-diagram-svg', l.laneSpacing < DEFAULT_LAYOUT.laneSpacing ? 'cw-diagram-compact' : '', this.fitWidth > 0 && this.fitWidth < l.width * MIN_SCALE ? 'cw-diagram-overflow' : ''].filter(Boolean).join(' ')} viewBox="0 0 ${l.width} ${l.height}" width=${l.width} height=${l.height}
        role="img" aria-label=${title}>
        <defs>${(['plain', 'current', 'lost', 'error', 'stale', 'future'] as const).map((kind) => svg`
          <marker id="cw-arrow-${this.uid}-${kind}" class="cw-arrowhead cw-arrowhead-${kind}" viewBox="0 0 10 10"
            refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z"></path>
          </marker>`)}
        </defs>
        ${l.lanes.map((lane) => svg`
          <g class="cw-lane cw-lane-${lane.kind}">
            <rect class="cw-lane-head" x=${lane.x - l.laneSpacing / 2 + 8} y="8"
              width=${l.laneSpacing - 16} height="26" rx="4"></rect>
            <text class="cw-lane-label" x=${lane.x} y="25" text-anchor="middle">${lane.label}</text>
            <line class="cw-lane-line" x1=${lane.x} y1=${l.laneTop} x2=${lane.x} y2=${l.laneBottom}></line>
          </g>`)}
        <text class="cw-time-head" x=${l.timeColumn - 10} y="25" text-anchor="end">time</text>
        ${l.rows.map((row) => this.renderRow(row, l))}
        ${this.renderTravel(l)}
      </svg>
    `;
  }

  /**
   * A row's marks as shown: in prediction mode a LOST LATER mark waits until the step that loses the write has been
   * shown, and a DIRTY READ mark until the writer's error has (both are read off the whole trace, so they would tell
   * what a step ahead does).
   */
  private marksOf(row: RowLayout): StepMark[] {
    if (!this.predicting) return row.marks;
    return row.marks.filter((m) =>
      (m !== 'doomed' || lossRevealed(this.steps, row.index, this.step)) && (m !== 'dirty' || failureRevealed(this.steps, row.index, this.step)));
  }

  /** `marks`: the row's marks as shown (`marksOf`). */
  private arrowKind(row: RowLayout, current: boolean, marks: readonly StepMark[]): 'plain' | 'current' | 'lost' | 'error' | 'stale' | 'future' {
    // Not reached yet: muted (theme's description colour), marks included; they take their colour once reached.
    if (row.index > this.step) return 'future';
    // A mark's colour wins over the current-step colour: the highlight band already shows which row is current.
    if (marks.includes('lost') || marks.includes('doomed')) return 'lost';
    if (marks.includes('error') || marks.includes('rollback')) return 'error';
    if (marks.includes('stale') || marks.includes('staleFill') || marks.includes('dirty')) return 'stale';
    return current ? 'current' : 'plain';
  }

  private renderRow(row: RowLayout, l: DiagramLayout): SVGTemplateResult | typeof nothing {
    // Prediction mode: a step ahead would give its answer away (its label, its marks).
    if (this.predicting && row.index > this.step) return nothing;
    const current = row.index === this.step;
    const debug = this.debugSeq !== null && row.seq === this.debugSeq;
    const marks = this.marksOf(row);
    const classes = [
      'cw-row',
      row.index > this.step ? 'cw-future' : 'cw-past',
      current ? 'cw-current' : '',
      debug ? 'cw-debug' : '',
      row.reply ? 'cw-reply' : '',
      ...marks.map((m: StepMark) => `cw-mark-${m}`),
    ].filter(Boolean).join(' ');
    const marker = `url(#cw-arrow-${this.uid}-${this.arrowKind(row, current, marks)})`;
    const h = DEFAULT_LAYOUT.rowHeight;
    const left = Math.min(row.x1, row.x2);
    const right = Math.max(row.x1, row.x2);
    return svg`
      ${row.divider ? svg`
        <g class="cw-gap">
          <line x1="4" x2=${row.divider.lineEnd} y1=${row.divider.y} y2=${row.divider.y}></line>
          <text x=${row.divider.labelRight} y=${row.divider.baseline} text-anchor="end">${row.gapLabel}</text>
        </g>` : nothing}
      <g class=${classes} data-seq=${row.seq} @click=${() => this.setStep(row.index, true)}>
        <rect class="cw-row-bg" x="0" y=${row.y - h / 2} width=${l.width} height=${h}></rect>
        <text class="cw-time" x=${l.timeColumn - 10} y=${row.y + 4} text-anchor="end">${formatMs(row.time)}</text>
        ${row.self
          ? svg`
            <path class="cw-arrow cw-self" d="M ${row.x1} ${row.y - 7} h 20 v 14 h -18" marker-end=${marker}></path>
            <text class="cw-label" x=${row.x1 + 26} y=${row.y + 4}>${row.label}</text>`
          : svg`
            <line class="cw-arrow" x1=${row.x1} y1=${row.y} x2=${row.x2 + (row.x2 > row.x1 ? -2 : 2)} y2=${row.y} marker-end=${marker}></line>
            <text class="cw-label" x=${(left + right) / 2} y=${row.y - 6} text-anchor="middle">${row.label}</text>`}
        ${row.badges.filter((b) => marks.includes(b.mark)).map((b) => svg`
            <g class="cw-badge-svg cw-badge-${b.mark}">
              <rect x=${b.x} y=${row.y - 9} width=${b.width} height="17" rx="3"></rect>
              <text x=${b.x + b.width / 2} y=${row.y + 3.5} text-anchor="middle">${b.label}</text>
            </g>`)}
      </g>
    `;
  }

  /** The current step's arrow drawn again as a short sweep; re-created per step so its CSS animation restarts. */
  private renderTravel(l: DiagramLayout): SVGTemplateResult | typeof nothing {
    if (this.reducedMotion) return nothing;
    const row = l.rows[this.step];
    if (!row || row.self) return nothing;
    return keyed(
      `${this.step}:${this.steps.length}`,
      svg`<line class="cw-travel" pathLength="100" x1=${row.x1} y1=${row.y} x2=${row.x2} y2=${row.y}></line>`,
    ) as unknown as SVGTemplateResult;
  }

  private renderTextAlternative(): TemplateResult {
    const id = `cw-steps-${this.uid}`;
    const l = this.layout;
    return html`
      <div class="cw-steps-text">
        <vscode-button secondary icon=${this.showText ? 'chevron-down' : 'chevron-right'} aria-expanded=${String(this.showText)}
          aria-controls=${id} @click=${() => { this.showText = !this.showText; }}>
          ${this.showText ? 'Hide' : 'Show'} the steps as text
        </vscode-button>
        <ol id=${id} class=${this.showText ? 'cw-steps-list' : 'cw-steps-list cw-sr-only'}
          aria-label="Steps of ${this.heading}">
          ${l.rows.filter((row) => !this.predicting || row.index <= this.step).map(
            (row) => html`<li aria-current=${row.index === this.step ? 'step' : 'false'}
              class=${row.index === this.step ? 'cw-current-item' : ''}>
              <span class="cw-steps-route">${row.from === row.to ? row.from : `${row.from} → ${row.to}`}</span>:
              ${row.label}${row.step.value !== undefined ? ` ${shortValue(row.step.value, 40)}` : ''}
              <span class="cw-steps-time">(at ${formatMs(row.time)}, took ${formatMs(row.durationMs)})</span>
              ${this.marksOf(row).map((m) => html` <span class="cw-badge cw-badge-${m}">${MARK_LABELS[m]}</span>`)}
              <span class="cw-steps-note">${row.note}</span>
            </li>`,
          )}
        </ol>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-flow-diagram': FlowDiagram;
  }
}
