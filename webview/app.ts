// <cw-workbench>: the workbench panel's shell. It owns the UI state (route, section, diagram steps, page inputs), saves
// it with setState, answers the extension's messages, and shows one page: lesson, comparison, quiz, playground or trace.
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { findSection } from '../src/lesson/sections.js';
import type { SnippetLanguage } from '../src/lesson/snippets.js';
import type { TraceStep } from '../src/model/types.js';
import { MAX_LESSON_SCROLL, unhandledMessage } from '../src/views/protocol.js';
import type { DebugCheckpoint, HostMessage, PlaygroundUiState, ProgressView, QuizReviewUiState, Route, Speed, UiState, ViewSettings } from '../src/views/protocol.js';
import type { CompareRequest } from '../src/model/compareView.js';
import './compare.js';
import './diagram/flowDiagram.js';
import type { DiagramStateChange } from './diagram/diagramSlot.js';
import { loadUiState, post, reportError, saveUiState } from './host.js';
import './lesson.js';
import type { LessonView } from './lesson.js';
import './playground.js';
import './quiz.js';
import { HostElement } from './hostElement.js';

/** The pages in the navigation, in order (the trace page joins them while a scenario is being debugged). */
const PAGES: readonly { route: Route; label: string; icon: string }[] = [
  { route: 'lesson', label: 'Lesson', icon: 'book' },
  { route: 'compare', label: 'Compare', icon: 'graph' },
  { route: 'quiz', label: 'Knowledge check', icon: 'checklist' },
  { route: 'playground', label: 'Playground', icon: 'beaker' },
];

/** How long after the page loads a restored lesson scroll offset is applied again as diagrams above it load. */
const SCROLL_RESTORE_MS = 4000;
/** Wait after the last scroll before the offset is saved. */
const SCROLL_SAVE_MS = 250;

interface DebugView {
  scenario: string;
  label: string;
  title: string;
  steps: TraceStep[];
  seq: number | null;
  /** The `advance` or `expect` line the debugger stopped on, right after step `seq`; null at a step of its own. */
  checkpoint: DebugCheckpoint | null;
  ended: boolean;
}

@customElement('cw-workbench')
export class WorkbenchApp extends HostElement {
  @state() private ui: UiState = loadUiState();
  @state() private progress: ProgressView | undefined = undefined;
  @state() private settings: ViewSettings = { reducedMotion: 'auto', speed: 1 };
  @state() private speed: Speed = 1;
  @state() private osReducedMotion = false;
  @state() private debug: DebugView | undefined = undefined;

  /** A `state/init` has come (a repeated one only brings progress and settings). On the page as `data-initialised`. */
  private initialised = false;
  /** The lesson scroll offset still being restored (the diagrams above it load after the page), else null. */
  private pendingScroll: number | null = null;
  private restoreUntil = 0;
  private scrollSaveTimer: ReturnType<typeof setTimeout> | undefined;
  private contentObserver: ResizeObserver | undefined;
  private readonly onScroll = (): void => {
    if (this.scrollSaveTimer !== undefined) clearTimeout(this.scrollSaveTimer);
    this.scrollSaveTimer = setTimeout(() => {
      this.scrollSaveTimer = undefined;
      this.saveScroll();
    }, SCROLL_SAVE_MS);
  };
  /** The learner moves (wheel, key, pointer): a restore still going must not pull the page back. */
  private readonly onLearnerMove = (): void => {
    this.pendingScroll = null;
  };
  private motionQuery: MediaQueryList | undefined;
  private readonly onMotionChange = (e: MediaQueryListEvent): void => {
    this.osReducedMotion = e.matches;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.motionQuery = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    this.osReducedMotion = this.motionQuery?.matches ?? false;
    this.motionQuery?.addEventListener('change', this.onMotionChange);
    if (typeof ResizeObserver === 'function') {
      this.pagesObserver = new ResizeObserver((entries) => {
        const nav = entries[entries.length - 1]?.target;
        if (nav) document.documentElement.style.setProperty('--cw-pages-height', `${Math.ceil(nav.getBoundingClientRect().height)}px`);
      });
      // Connected again after its first render: the navigation is already on the page (else see `firstUpdated`).
      this.observePages();
      this.contentObserver = new ResizeObserver(() => this.restoreScroll());
      this.contentObserver.observe(document.body);
    }
    // A page restored on the lesson goes back to where it was scrolled, once its diagrams have loaded.
    const scroll = this.ui.lessonScroll ?? 0;
    if (this.ui.route === 'lesson' && scroll > 0) {
      this.pendingScroll = scroll;
      this.restoreUntil = Date.now() + SCROLL_RESTORE_MS;
    }
    window.addEventListener('scroll', this.onScroll, { passive: true });
    for (const type of ['wheel', 'keydown', 'pointerdown', 'touchstart']) window.addEventListener(type, this.onLearnerMove, { capture: true, passive: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.motionQuery?.removeEventListener('change', this.onMotionChange);
    this.pagesObserver?.disconnect();
    this.pagesObserver = undefined;
    this.contentObserver?.disconnect();
    this.contentObserver = undefined;
    window.removeEventListener('scroll', this.onScroll);
    for (const type of ['wheel', 'keydown', 'pointerdown', 'touchstart']) window.removeEventListener(type, this.onLearnerMove, { capture: true });
    if (this.scrollSaveTimer !== undefined) clearTimeout(this.scrollSaveTimer);
  }

  /**
   * The page navigation sticks to the top of the panel. This keeps its height (it wraps onto more lines in a narrow
   * panel) on the root as `--cw-pages-height`: the lesson's section list sticks just below it, and the page's scroll
   * padding keeps whatever the keyboard focuses (or a link scrolls to) from being hidden under it.
   */
  private pagesObserver: ResizeObserver | undefined;

  protected override firstUpdated(): void {
    this.observePages();
  }

  protected override updated(): void {
    this.restoreScroll();
  }

  /** Scrolls the lesson back to its saved offset, again each time the page grows, until the learner moves or time is up. */
  private restoreScroll(): void {
    const target = this.pendingScroll;
    if (target === null) return;
    if (this.shownRoute !== 'lesson' || Date.now() > this.restoreUntil) {
      this.pendingScroll = null;
      return;
    }
    if (Math.abs(window.scrollY - target) >= 1) window.scrollTo({ top: target });
  }

  /** Keeps the lesson's scroll offset in the UI state (not while a restore is still going, not on other pages). */
  private saveScroll(): void {
    if (this.pendingScroll !== null && Date.now() <= this.restoreUntil) return;
    this.pendingScroll = null;
    if (this.shownRoute !== 'lesson') return;
    const y = Math.min(MAX_LESSON_SCROLL, Math.max(0, Math.round(window.scrollY)));
    if (y !== (this.ui.lessonScroll ?? 0)) this.patchUi({ lessonScroll: y > 0 ? y : undefined });
  }

  /** The page on screen (the trace page only while a scenario is being debugged). */
  private get shownRoute(): Route {
    return this.ui.route === 'trace' && !this.debug ? 'lesson' : this.ui.route;
  }

  private observePages(): void {
    const nav = this.querySelector('.cw-pages');
    if (nav !== null) this.pagesObserver?.observe(nav);
  }

  /** Reduced motion from the setting, or from the OS when the setting is `auto`. */
  get reducedMotion(): boolean {
    return this.settings.reducedMotion === 'on' || (this.settings.reducedMotion === 'auto' && this.osReducedMotion);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Messages from the extension

  protected override onHost(m: HostMessage): void {
    switch (m.type) {
      case 'state/init': {
        this.progress = m.progress;
        this.applySettings(m.settings);
        // A second answer (the page said `state/ready` again before the first one came) leaves the page where it is.
        const repeated = this.initialised && m.section === null && m.route === null;
        this.initialised = true;
        if (repeated) break;
        // An explicit page or section from the extension wins over the restored one (the learner asked for it).
        if (m.route !== null && m.route !== 'lesson') this.setRoute(m.route);
        else this.showSection(m.section ?? this.ui.section, m.section !== null || m.route === 'lesson');
        // A section the learner asked for (in the sidebar, by a command): focus goes to its heading.
        if (m.section !== null && (m.route === null || m.route === 'lesson')) this.focusLessonHeading();
        break;
      }
      case 'route/show':
        if (m.route === 'lesson') this.showSection(this.ui.section, true);
        else this.setRoute(m.route);
        break;
      case 'settings/changed':
        this.applySettings(m.settings);
        break;
      case 'progress/changed':
        this.progress = m.progress;
        break;
      case 'lesson/show':
        this.showSection(m.section, true);
        this.focusLessonHeading();
        break;
      case 'debug/position':
        this.onDebugPosition(m);
        break;
      case 'debug/ended':
        if (this.debug && this.debug.scenario === m.scenario) this.debug = { ...this.debug, ended: true, seq: null, checkpoint: null };
        break;
      case 'diagram/trace':
      case 'snippet/done':
      case 'quiz/state':
      case 'quiz/rejected':
      case 'compare/result':
      case 'playground/result':
      case 'playground/exported':
        // Answered to the component that asked; nothing to do at the page level.
        break;
      default:
        reportError(`workbench: ${unhandledMessage(m)}`);
    }
  }

  private applySettings(settings: ViewSettings): void {
    this.settings = settings;
    this.speed = settings.speed;
    document.body.classList.toggle('cw-reduced-motion', this.reducedMotion);
  }

  private onDebugPosition(m: Extract<HostMessage, { type: 'debug/position' }>): void {
    const same = this.debug?.scenario === m.scenario;
    const steps = m.steps ?? (same ? this.debug?.steps : undefined);
    if (!steps) {
      reportError(`debug/position for ${m.scenario} arrived without its steps`);
      return;
    }
    this.debug = { scenario: m.scenario, label: m.label, title: m.title, steps, seq: m.seq, checkpoint: m.checkpoint ?? null, ended: false };
    this.setRoute('trace');
  }

  // -------------------------------------------------------------------------------------------------------------------
  // UI state

  /** Changes the UI state, saves it and reports it; a field patched to undefined is dropped. */
  private patchUi(patch: { [K in keyof UiState]?: UiState[K] | undefined }): void {
    const next = { ...this.ui, ...patch };
    for (const key of Object.keys(patch) as (keyof UiState)[]) if (next[key] === undefined) delete next[key];
    this.ui = next as UiState;
    saveUiState(this.ui);
    post({ type: 'state/changed', state: this.ui });
  }

  private setRoute(route: Route): void {
    if (route !== 'lesson') this.pendingScroll = null;
    if (this.ui.route !== route) this.patchUi({ route });
  }

  /** Moves focus to the lesson's section heading once the lesson (and the section asked for) is on screen. */
  private focusLessonHeading(): void {
    this.pendingScroll = null;
    void this.updateComplete.then(async () => {
      const lesson = this.querySelector<LessonView>('cw-lesson');
      if (!lesson) return;
      await lesson.updateComplete;
      lesson.focusHeading();
    });
  }

  /**
   * Shows a lesson section. With `switchToLesson` the lesson page comes to the front; otherwise the restored page stays
   * (the trace page only while a scenario is being debugged). A section counts as read only when it is on screen.
   * `fromTop`: the lesson opens at its top even in the same section (picked in the page navigation).
   */
  private showSection(id: string, switchToLesson: boolean, fromTop = false): void {
    const section = findSection(id) ? id : this.ui.section;
    const route: Route = switchToLesson ? 'lesson' : this.shownRoute;
    // Another section starts at its top (the lesson scrolls there); the same one stays where it was.
    if (section !== this.ui.section || route !== 'lesson') this.pendingScroll = null;
    this.patchUi(section !== this.ui.section || fromTop ? { section, route, lessonScroll: undefined } : { section, route });
    if (route === 'lesson') post({ type: 'lesson/sectionShown', section });
  }

  /** A page picked in the navigation. */
  private navigate(route: Route): void {
    this.pendingScroll = null;
    if (route === 'lesson') this.showSection(this.ui.section, true, true);
    else this.setRoute(route);
    window.scrollTo({ top: 0 });
  }

  private onCompareForm(e: CustomEvent<CompareRequest>): void {
    this.patchUi({ compare: e.detail });
  }

  private onPlaygroundForm(e: CustomEvent<PlaygroundUiState>): void {
    this.patchUi({ playground: e.detail });
  }

  private onDiagramState(e: CustomEvent<DiagramStateChange>): void {
    this.patchUi({ diagrams: { ...this.ui.diagrams, [e.detail.slot]: e.detail.state } });
  }

  private onQuizReview(e: CustomEvent<QuizReviewUiState | null>): void {
    this.patchUi({ quizReview: e.detail ?? undefined });
  }

  private onLanguage(e: CustomEvent<SnippetLanguage>): void {
    this.patchUi({ snippetLanguage: e.detail });
  }

  private onSpeed(e: CustomEvent<Speed>): void {
    // Kept for this session only; the setting `cacheWorkbench.animation.speed` is the default.
    this.speed = e.detail;
  }

  /** The state a test (or the extension) can read back: also reported with each `state/changed`. */
  get uiState(): UiState {
    return this.ui;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    const route = this.shownRoute;
    return html`
      <div class="cw-app" data-route=${route} data-initialised=${this.initialised ? 'yes' : 'no'}
        @cw-diagram-state=${(e: CustomEvent<DiagramStateChange>) => this.onDiagramState(e)}
        @cw-language=${(e: CustomEvent<SnippetLanguage>) => this.onLanguage(e)}
        @cw-speed=${(e: CustomEvent<Speed>) => this.onSpeed(e)}
        @cw-navigate=${(e: CustomEvent<string>) => this.showSection(e.detail, true)}
        @cw-compare-form=${(e: CustomEvent<CompareRequest>) => this.onCompareForm(e)}
        @cw-playground-form=${(e: CustomEvent<PlaygroundUiState>) => this.onPlaygroundForm(e)}
        @cw-quiz-review=${(e: CustomEvent<QuizReviewUiState | null>) => this.onQuizReview(e)}>
        ${this.renderPages(route)}
        ${this.renderRoute(route)}
      </div>
    `;
  }

  /** The page navigation: real buttons in a labelled nav, the current page marked with aria-current. */
  private renderPages(current: Route): TemplateResult {
    const pages = this.debug ? [...PAGES, { route: 'trace' as const, label: 'Debug trace', icon: 'debug-alt' }] : PAGES;
    return html`
      <nav class="cw-pages" aria-label="Cache Workbench pages">
        <ul class="cw-pages-list">
          ${pages.map((p) => html`<li>
            <button type="button" class="cw-page-tab ${p.route === current ? 'cw-page-current' : ''}" data-route=${p.route}
              aria-current=${p.route === current ? 'page' : 'false'} @click=${() => this.navigate(p.route)}>
              <vscode-icon name=${p.icon} aria-hidden="true"></vscode-icon>
              <span>${p.label}</span>
            </button>
          </li>`)}
        </ul>
      </nav>
    `;
  }

  private renderRoute(route: Route): TemplateResult {
    switch (route) {
      case 'lesson':
        return html`<cw-lesson
          .section=${this.ui.section}
          .progress=${this.progress}
          .diagrams=${this.ui.diagrams}
          .snippetLanguage=${this.ui.snippetLanguage}
          .speed=${this.speed}
          ?reduced-motion=${this.reducedMotion}
        ></cw-lesson>`;
      case 'trace':
        return this.renderTrace();
      case 'quiz':
        return html`<cw-quiz .progress=${this.progress} .review=${this.ui.quizReview}></cw-quiz>`;
      case 'compare':
        return html`<cw-compare .saved=${this.ui.compare}></cw-compare>`;
      case 'playground':
        return html`<cw-playground .saved=${this.ui.playground} .defaults=${this.settings.playground}></cw-playground>`;
      default: {
        const unknownRoute: never = route;
        return html`<p>Unknown page ${String(unknownRoute)}</p>`;
      }
    }
  }

  private renderTrace(): TemplateResult {
    const d = this.debug;
    if (!d) return html``;
    return html`
      <main class="cw-trace-page">
        <header class="cw-trace-header">
          <div>
            <p class="cw-kicker">${d.ended ? 'Debug session ended' : 'Debugging'}</p>
            <h1 class="cw-section-title">${d.title}</h1>
            <p class="cw-summary">${d.label}: ${d.ended
              ? 'the session is over; its trace stays here to step through with the diagram\'s controls.'
              : d.seq === null
                ? 'the debugger stands before the first step; no step is highlighted yet.'
                : d.checkpoint !== null
                  ? `the debugger stopped on the ${d.checkpoint.kind} on line ${d.checkpoint.line}, which runs no step: the diagram shows the last step before it.`
                  : 'the diagram shows the step where the debugger stopped, and follows it.'}${d.ended ? '' : ' Step the diagram to another step and choose Move the debugger here to send the debugger there, forward or back; the text under the step says where the debugger is.'}</p>
          </div>
          <vscode-button secondary icon="book" @click=${() => this.setRoute('lesson')}>Back to the lesson</vscode-button>
        </header>
        <cw-flow-diagram
          @cw-debug-jump=${(e: CustomEvent<{ seq: number }>) => post({ type: 'debug/jump', scenario: d.scenario, seq: e.detail.seq })}
          .steps=${d.steps}
          .followsDebugger=${!d.ended}
          .debugSeq=${d.ended ? null : d.seq}
          .debugCheckpoint=${d.ended ? null : d.checkpoint}
          .heading=${`Trace of ${d.label}`}
          .speed=${this.speed}
          ?reduced-motion=${this.reducedMotion}
        ></cw-flow-diagram>
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-workbench': WorkbenchApp;
  }
}
