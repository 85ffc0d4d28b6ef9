// <cw-lesson>: the lesson reader: the list of sections with progress marks, the current section's blocks
// (paragraphs, lists, callouts, tables, diagrams, snippets), its scenarios, and previous / next navigation.
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { LESSON_SECTIONS, findSection } from '../src/lesson/sections.js';
import type { Block, LessonSection } from '../src/lesson/sections.js';
import type { SnippetLanguage } from '../src/lesson/snippets.js';
import { snippetSlotKey } from '../src/views/protocol.js';
import type { ProgressView, Speed, UiState } from '../src/views/protocol.js';
import './diagram/diagramSlot.js';
import { post } from './host.js';
import { renderInline } from './inline.js';
import { quizStatus } from './format.js';
import './snippets.js';

@customElement('cw-lesson')
export class LessonView extends LitElement {
  @property() section = LESSON_SECTIONS[0]?.id ?? '';
  @property({ attribute: false }) progress: ProgressView | undefined = undefined;
  @property({ attribute: false }) diagrams: UiState['diagrams'] = {};
  @property({ attribute: false }) snippetLanguage: SnippetLanguage = 'typescript';
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;
  @property({ type: Number }) speed: Speed = 1;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Set when the learner navigates inside the page, so the next render moves focus to the new section's heading. */
  private headingFocusPending = false;

  protected override updated(changed: PropertyValues<this>): void {
    const previous = changed.get('section');
    if (changed.has('section') && previous !== undefined && previous !== this.section) {
      // A new section starts at its top; after an in-page move, focus goes to its heading so keyboard and
      // screen-reader users land there (not on first load, where focus stays where VS Code put it).
      window.scrollTo({ top: 0 });
      if (this.headingFocusPending) this.querySelector<HTMLElement>('.cw-section-title')?.focus({ preventScroll: true });
    }
    this.headingFocusPending = false;
  }

  /**
   * Moves focus to the section's heading (a section opened from the sidebar or by a command), so keyboard and
   * screen-reader users start reading there. The page scrolls as far as needed to show it.
   */
  focusHeading(): void {
    this.querySelector<HTMLElement>('.cw-section-title')?.focus();
  }

  private navigate(section: string): void {
    this.headingFocusPending = true;
    this.dispatchEvent(new CustomEvent<string>('cw-navigate', { detail: section, bubbles: true }));
  }

  private isRead(id: string): boolean {
    return this.progress?.sectionsRead.includes(id) ?? false;
  }

  protected override render(): TemplateResult {
    const section = findSection(this.section) ?? LESSON_SECTIONS[0];
    if (!section) return html`<p>The lesson has no sections.</p>`;
    const index = LESSON_SECTIONS.indexOf(section);
    return html`
      <div class="cw-layout">
        ${this.renderNav(section)}
        <main class="cw-main" id="cw-main">
          <article class="cw-section" aria-labelledby="cw-section-title">
            <header class="cw-section-header">
              <p class="cw-kicker">Section ${index + 1} of ${LESSON_SECTIONS.length}${this.isRead(section.id) ? ' · read' : ''}</p>
              <h1 class="cw-section-title" id="cw-section-title" tabindex="-1">${section.title}</h1>
              <p class="cw-summary">${section.summary}</p>
            </header>
            ${section.body.map((block, i) => this.renderBlock(section, block, i))}
            ${this.renderScenarios(section)}
            ${index === LESSON_SECTIONS.length - 1 ? this.renderFinish() : nothing}
            ${this.renderPager(index)}
          </article>
        </main>
      </div>
    `;
  }

  private renderNav(current: LessonSection): TemplateResult {
    const read = this.progress?.sectionsRead.length ?? 0;
    return html`
      <nav class="cw-nav" aria-label="Lesson sections">
        <p class="cw-nav-title">Lesson <span class="cw-nav-count">${read} of ${LESSON_SECTIONS.length} read</span></p>
        <ol class="cw-nav-list">
          ${LESSON_SECTIONS.map((s, i) => {
            const isCurrent = s.id === current.id;
            const isRead = this.isRead(s.id);
            return html`<li>
              <button type="button" class="cw-nav-item ${isCurrent ? 'cw-nav-current' : ''}"
                aria-current=${isCurrent ? 'page' : 'false'}
                aria-label="${i + 1}. ${s.title}${isRead ? ', read' : ', not read yet'}"
                @click=${() => this.navigate(s.id)}>
                <span class="cw-nav-mark" aria-hidden="true">
                  <vscode-icon name=${isRead ? 'pass-filled' : 'circle-large-outline'}></vscode-icon>
                </span>
                <span class="cw-nav-text">${i + 1}. ${s.title}</span>
              </button>
            </li>`;
          })}
        </ol>
        <div class="cw-nav-quiz">
          <p>
            <vscode-icon name=${this.progress?.quizPassed ? 'pass-filled' : 'circle-large-outline'} aria-hidden="true"></vscode-icon>
            Knowledge check: ${quizStatus(this.progress, true)}
          </p>
          <vscode-button secondary icon="checklist" @click=${() => post({ type: 'command/run', command: 'takeKnowledgeCheck' })}
            >Take the knowledge check</vscode-button>
        </div>
      </nav>
    `;
  }

  private renderBlock(section: LessonSection, block: Block, i: number): TemplateResult {
    switch (block.kind) {
      case 'p':
        return html`<p>${renderInline(block.text)}</p>`;
      case 'list':
        return html`<ul class="cw-list">${block.items.map((item) => html`<li>${renderInline(item)}</li>`)}</ul>`;
      case 'callout':
        return html`
          <aside class="cw-callout cw-callout-${block.tone}" aria-label="${block.tone === 'warning' ? 'Warning' : 'Tip'}: ${block.title}">
            <p class="cw-callout-title">
              <vscode-icon name=${block.tone === 'warning' ? 'warning' : 'lightbulb'} aria-hidden="true"></vscode-icon>
              ${block.title}
            </p>
            <p>${renderInline(block.text)}</p>
          </aside>`;
      case 'table':
        return html`
          <div class="cw-table-wrap" tabindex="0" role="region" aria-label="Table: ${block.head.join(', ')}">
            <table class="cw-table">
              <thead><tr>${block.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
              <tbody>
                ${block.rows.map((row) => html`<tr>${row.map((cell, c) =>
                  c === 0 ? html`<th scope="row">${renderInline(cell)}</th>` : html`<td>${renderInline(cell)}</td>`)}</tr>`)}
              </tbody>
            </table>
          </div>`;
      case 'diagram': {
        const key = `${section.id}/${i}`;
        // Keyed: a new element for each section's block. Lit would reuse the element in the same place of the next
        // section, and a bound value equal to the last one (the variant 'normal') is not set again, so the variant a
        // learner picked there (a write-through "DB failure") stayed, and write-behind's diagram asked for it and failed.
        return html`${keyed(key, html`<cw-diagram-slot
          .slotKey=${key}
          .strategy=${block.strategy}
          .variant=${block.variant}
          .caption=${block.caption}
          .captionVariant=${block.variant}
          .saved=${this.diagrams[key]}
          .speed=${this.speed}
          ?reduced-motion=${this.reducedMotion}
        ></cw-diagram-slot>`)}`;
      }
      case 'snippet':
        // Keyed too: a snippet run ("Run it") belongs to its own section.
        return html`${keyed(`${section.id}/${i}`, html`<cw-snippet
          .strategy=${block.strategy}
          .language=${this.snippetLanguage}
          .savedRun=${this.diagrams[snippetSlotKey(block.strategy)]}
          .speed=${this.speed}
          ?reduced-motion=${this.reducedMotion}
        ></cw-snippet>`)}`;
      default: {
        const unknownBlock: never = block;
        return html`<p>Unsupported block ${JSON.stringify(unknownBlock)}</p>`;
      }
    }
  }

  private renderScenarios(section: LessonSection): TemplateResult | typeof nothing {
    if (section.scenarios.length === 0) return nothing;
    return html`
      <section class="cw-try" aria-labelledby="cw-try-${section.id}">
        <h2 id="cw-try-${section.id}">Run it yourself</h2>
        <p>Each scenario below proves one of this section's claims. Open it, or step through it in the debugger.</p>
        <ul class="cw-scenario-list">
          ${section.scenarios.map((file) => html`<li>
            <code>${file}</code>
            <span class="cw-scenario-actions">
              <vscode-button secondary icon="go-to-file" aria-label="Open ${file}"
                @click=${() => post({ type: 'scenario/open', file, mode: 'edit' })}>Open</vscode-button>
              <vscode-button secondary icon="debug-alt" aria-label="Step through ${file}"
                @click=${() => post({ type: 'scenario/open', file, mode: 'step' })}>Step through</vscode-button>
            </span>
          </li>`)}
        </ul>
      </section>
    `;
  }

  private renderFinish(): TemplateResult {
    return html`
      <section class="cw-finish" aria-label="Next steps">
        <h2>Check what you learned</h2>
        <p>The knowledge check draws questions from every section; pass it to complete the lesson.</p>
        <div class="cw-finish-actions">
          <vscode-button icon="checklist" @click=${() => post({ type: 'command/run', command: 'takeKnowledgeCheck' })}
            >Take the knowledge check</vscode-button>
          <vscode-button secondary icon="graph" @click=${() => post({ type: 'command/run', command: 'compareStrategies' })}
            >Compare the strategies</vscode-button>
        </div>
      </section>
    `;
  }

  private renderPager(index: number): TemplateResult {
    const prev = LESSON_SECTIONS[index - 1];
    const next = LESSON_SECTIONS[index + 1];
    return html`
      <nav class="cw-pager" aria-label="Previous and next section">
        ${prev
          ? html`<vscode-button secondary icon="arrow-left" @click=${() => this.navigate(prev.id)}
              aria-label="Previous section: ${prev.title}">${prev.title}</vscode-button>`
          : html`<span></span>`}
        ${next
          ? html`<vscode-button icon-after="arrow-right" @click=${() => this.navigate(next.id)}
              aria-label="Next section: ${next.title}">${next.title}</vscode-button>`
          : nothing}
      </nav>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-lesson': LessonView;
  }
}
