// <cw-workbench>: the workbench panel's shell. It owns the UI state (route, section, diagram steps), saves it with
// setState, answers the extension's messages, and shows either the lesson or the trace being debugged.
import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { findSection } from '../src/lesson/sections.js';
import type { SnippetLanguage } from '../src/lesson/snippets.js';
import type { TraceStep } from '../src/model/types.js';
import { unhandledMessage } from '../src/views/protocol.js';
import type { HostMessage, ProgressView, Route, Speed, UiState, ViewSettings } from '../src/views/protocol.js';
import './diagram/flowDiagram.js';
import type { DiagramStateChange } from './diagram/diagramSlot.js';
import { loadUiState, onHostMessage, post, reportError, saveUiState } from './host.js';
import './lesson.js';

interface DebugView {
  scenario: string;
  title: string;
  steps: TraceStep[];
  seq: number | null;
  ended: boolean;
}

@customElement('cw-workbench')
export class WorkbenchApp extends LitElement {
  @state() private ui: UiState = loadUiState();
  @state() private progress: ProgressView | undefined = undefined;
  @state() private settings: ViewSettings = { reducedMotion: 'auto', speed: 1 };
  @state() private speed: Speed = 1;
  @state() private osReducedMotion = false;
  @state() private debug: DebugView | undefined = undefined;

  private unsubscribe: (() => void) | undefined;
  private motionQuery: MediaQueryList | undefined;
  private readonly onMotionChange = (e: MediaQueryListEvent): void => {
    this.osReducedMotion = e.matches;
  };

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onHostMessage((m) => this.onHost(m));
    this.motionQuery = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    this.osReducedMotion = this.motionQuery?.matches ?? false;
    this.motionQuery?.addEventListener('change', this.onMotionChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.motionQuery?.removeEventListener('change', this.onMotionChange);
  }

  /** Reduced motion from the setting, or from the OS when the setting is `auto`. */
  get reducedMotion(): boolean {
    return this.settings.reducedMotion === 'on' || (this.settings.reducedMotion === 'auto' && this.osReducedMotion);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Messages from the extension

  private onHost(m: HostMessage): void {
    switch (m.type) {
      case 'state/init':
        this.progress = m.progress;
        this.applySettings(m.settings);
        // An explicit section from the extension wins over the restored one (the learner asked for it).
        this.showSection(m.section ?? this.ui.section, m.section !== null);
        break;
      case 'settings/changed':
        this.applySettings(m.settings);
        break;
      case 'progress/changed':
        this.progress = m.progress;
        break;
      case 'lesson/show':
        this.showSection(m.section, true);
        break;
      case 'debug/position':
        this.onDebugPosition(m);
        break;
      case 'debug/ended':
        if (this.debug && this.debug.scenario === m.scenario) this.debug = { ...this.debug, ended: true, seq: null };
        break;
      case 'diagram/trace':
      case 'snippet/done':
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
    this.debug = { scenario: m.scenario, title: m.title, steps, seq: m.seq, ended: false };
    this.setRoute('trace');
  }

  // -------------------------------------------------------------------------------------------------------------------
  // UI state

  private patchUi(patch: Partial<UiState>): void {
    this.ui = { ...this.ui, ...patch };
    saveUiState(this.ui);
    post({ type: 'state/changed', state: this.ui });
  }

  private setRoute(route: Route): void {
    if (this.ui.route !== route) this.patchUi({ route });
  }

  private showSection(id: string, switchToLesson: boolean): void {
    const section = findSection(id) ? id : this.ui.section;
    const route: Route = switchToLesson || !this.debug ? 'lesson' : this.ui.route;
    this.patchUi({ section, route });
    post({ type: 'lesson/sectionShown', section });
  }

  private onDiagramState(e: CustomEvent<DiagramStateChange>): void {
    this.patchUi({ diagrams: { ...this.ui.diagrams, [e.detail.slot]: e.detail.state } });
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
    const route = this.ui.route === 'trace' && !this.debug ? 'lesson' : this.ui.route;
    return html`
      <div class="cw-app" data-route=${route}
        @cw-diagram-state=${(e: CustomEvent<DiagramStateChange>) => this.onDiagramState(e)}
        @cw-language=${(e: CustomEvent<SnippetLanguage>) => this.onLanguage(e)}
        @cw-speed=${(e: CustomEvent<Speed>) => this.onSpeed(e)}
        @cw-navigate=${(e: CustomEvent<string>) => this.showSection(e.detail, true)}>
        ${this.renderRoute(route)}
      </div>
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
            <p class="cw-summary">${d.scenario}: the highlighted step is where the debugger stopped.</p>
          </div>
          <vscode-button secondary icon="book" @click=${() => this.setRoute('lesson')}>Back to the lesson</vscode-button>
        </header>
        <cw-flow-diagram
          .steps=${d.steps}
          .debugSeq=${d.seq}
          .heading=${`Trace of ${d.scenario}`}
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
