// <cw-diagram-slot>: one place in the page that shows a scenario's diagram. It asks the extension for the trace
// (a lesson diagram by strategy and variant, or a snippet's scenario), then hands it to <cw-flow-diagram>.
import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DiagramVariant, InlineText, SnippetLanguage } from '../../src/lesson/index.js';
import type { Strategy, TraceStep } from '../../src/model/types.js';
import type { DiagramUiState, HostMessage, Speed } from '../../src/views/protocol.js';
import { post } from '../host.js';
import { renderInline } from '../inline.js';
import './flowDiagram.js';
import type { StepChange } from './flowDiagram.js';
import { VARIANT_DESCRIPTIONS, VARIANT_LABELS } from './flowDiagram.js';
import { labelInSentence } from './layout.js';
import { HostElement } from '../hostElement.js';

const STRATEGY_TITLES: Readonly<Record<Strategy, string>> = {
  'write-through': 'Write-through',
  'write-behind': 'Write-behind',
  'write-around': 'Write-around',
  'cache-aside': 'Cache-aside',
  'write-through+cache-aside': 'Write-through + cache-aside',
};

export function strategyTitle(s: Strategy): string {
  return STRATEGY_TITLES[s];
}

/** Detail of the `cw-diagram-state` event the slot sends up for the page's saved state. */
export interface DiagramStateChange {
  slot: string;
  state: DiagramUiState;
}

@customElement('cw-diagram-slot')
export class DiagramSlot extends HostElement {
  /** Key of this slot in the saved UI state (`<section>/<block>` or `snippet/<strategy>`). */
  @property() slotKey = '';
  @property({ attribute: false }) strategy: Strategy = 'write-through';
  /** Lesson diagram variant; null for a snippet run. */
  @property({ attribute: false }) variant: DiagramVariant | null = 'normal';
  /** With a language, the slot runs that snippet's scenario instead of a lesson diagram. */
  @property({ attribute: false }) snippetLanguage: SnippetLanguage | null = null;
  /** The lesson's caption, which belongs to the block's own variant (`captionVariant`). */
  @property({ attribute: false }) caption: InlineText = '';
  @property({ attribute: false }) captionVariant: DiagramVariant | null = null;
  @property({ attribute: false }) saved: DiagramUiState | undefined = undefined;
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;
  @property({ type: Number }) speed: Speed = 1;

  @state() private steps: TraceStep[] = [];
  @state() private variants: DiagramVariant[] = [];
  @state() private scenario = '';
  @state() private error = '';
  @state() private loading = true;
  @state() private step = 0;

  private pendingRequest = '';
  private variantSwitched = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('saved') && this.saved && changed.get('saved') === undefined) {
      if (this.saved.variant !== null && this.snippetLanguage === null) this.variant = this.saved.variant;
      this.step = this.saved.step;
    }
    if (changed.has('strategy') || changed.has('variant') || changed.has('snippetLanguage')) this.request();
  }

  private request(): void {
    const id = this.snippetLanguage
      ? `${this.slotKey}:${this.snippetLanguage}`
      : `${this.slotKey}:${this.variant ?? 'normal'}`;
    if (id === this.pendingRequest) return;
    this.pendingRequest = id;
    this.loading = true;
    this.error = '';
    if (this.snippetLanguage) {
      post({ type: 'snippet/run', requestId: id, strategy: this.strategy, language: this.snippetLanguage });
    } else {
      post({ type: 'diagram/request', requestId: id, strategy: this.strategy, variant: this.variant ?? 'normal' });
    }
  }

  protected override onHost(m: HostMessage): void {
    if (m.type !== 'diagram/trace' || m.requestId !== this.pendingRequest) return;
    this.loading = false;
    this.variants = m.variants;
    if (m.result.ok) {
      this.steps = m.result.steps;
      this.scenario = m.result.scenario;
      this.error = '';
      // A new diagram (nothing saved, or another variant) shows whole at once to a reduced-motion reader.
      if (this.reducedMotion && (this.saved === undefined || this.variantSwitched)) this.step = Math.max(0, this.steps.length - 1);
      else if (this.step >= this.steps.length) this.step = 0;
      this.variantSwitched = false;
    } else {
      this.steps = [];
      this.scenario = m.result.scenario;
      this.error = m.result.error;
    }
  }

  private emitState(): void {
    this.dispatchEvent(
      new CustomEvent<DiagramStateChange>('cw-diagram-state', {
        detail: { slot: this.slotKey, state: { variant: this.snippetLanguage ? null : this.variant, step: this.step } },
        bubbles: true,
      }),
    );
  }

  private onStep(e: CustomEvent<StepChange>): void {
    e.stopPropagation();
    this.step = e.detail.step;
    this.emitState();
  }

  private onVariant(e: CustomEvent<DiagramVariant>): void {
    e.stopPropagation();
    this.variant = e.detail;
    this.step = 0;
    this.variantSwitched = true;
    this.emitState();
  }

  private onWatched(e: Event): void {
    e.stopPropagation();
    post({ type: 'diagram/watched', strategy: this.strategy, variant: this.snippetLanguage ? null : this.variant });
  }

  private get heading(): string {
    const name = strategyTitle(this.strategy);
    if (this.snippetLanguage) return `${name}: run of ${this.scenario || 'the snippet scenario'}`;
    return `${name}, ${labelInSentence(VARIANT_LABELS[this.variant ?? 'normal'])} variant`;
  }

  protected override render(): TemplateResult {
    return html`
      <figure class="cw-figure">
        <cw-flow-diagram
          .steps=${this.steps}
          .variants=${this.snippetLanguage ? [] : this.variants}
          .variant=${this.variant}
          .step=${this.step}
          .speed=${this.speed}
          ?reduced-motion=${this.reducedMotion}
          ?autoplay=${this.saved === undefined}
          ?loading=${this.loading}
          .error=${this.error}
          .heading=${this.heading}
          @cw-step=${(e: CustomEvent<StepChange>) => this.onStep(e)}
          @cw-variant=${(e: CustomEvent<DiagramVariant>) => this.onVariant(e)}
          @cw-watched=${(e: Event) => this.onWatched(e)}
        ></cw-flow-diagram>
        <figcaption>
          ${this.snippetLanguage || !this.variant
            ? nothing
            : this.caption && this.variant === this.captionVariant
              ? renderInline(this.caption)
              : VARIANT_DESCRIPTIONS[this.variant]}
          ${this.scenario
            ? html`<span class="cw-scenario-ref">Scenario:
                <button type="button" class="cw-link" title="Open this scenario in an editor"
                  @click=${() => this.openScenario()}>${this.scenario}</button></span>`
            : nothing}
        </figcaption>
      </figure>
    `;
  }

  private openScenario(): void {
    if (this.scenario) post({ type: 'scenario/open', file: this.scenario, mode: 'edit' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-diagram-slot': DiagramSlot;
  }
}
