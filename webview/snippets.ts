// <cw-snippet>: a strategy's reference code in Python and TypeScript tabs, highlighted by highlight.ts, with the
// buttons Open in editor, Copy and Run it (which runs the snippet's scenario and shows its diagram underneath).
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import { snippetsFor } from '../src/lesson/snippets.js';
import type { Snippet, SnippetLanguage } from '../src/lesson/snippets.js';
import type { Strategy } from '../src/model/types.js';
import { snippetSlotKey } from '../src/views/protocol.js';
import type { DiagramUiState, HostMessage, Speed } from '../src/views/protocol.js';
import './diagram/diagramSlot.js';
import { highlight } from './highlight.js';
import { post } from './host.js';
import { HostElement } from './hostElement.js';

const LANGUAGE_NAMES: Readonly<Record<SnippetLanguage, string>> = { python: 'Python', typescript: 'TypeScript' };

/** Renders highlighted code as text nodes and spans with `tok-<kind>` classes. */
export function renderCode(code: string, language: SnippetLanguage): TemplateResult {
  return html`${highlight(code, language).map((t) =>
    t.kind === 'plain' ? t.text : html`<span class="tok-${t.kind}">${t.text}</span>`,
  )}`;
}

@customElement('cw-snippet')
export class SnippetView extends HostElement {
  @property({ attribute: false }) strategy: Strategy = 'write-through';
  /** Preferred language (the page remembers the learner's last choice). */
  @property({ attribute: false }) language: SnippetLanguage = 'typescript';
  /** Saved state of this snippet's run diagram; present when the learner ran it before. */
  @property({ attribute: false }) savedRun: DiagramUiState | undefined = undefined;
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;
  @property({ type: Number }) speed: Speed = 1;

  @state() private ran = false;
  @state() private status = '';


  protected override onHost(m: HostMessage): void {
    if (m.type !== 'snippet/done' || m.strategy !== this.strategy) return;
    const name = LANGUAGE_NAMES[m.language];
    if (m.action === 'copy') this.status = m.ok ? `${name} code copied to the clipboard.` : 'Could not copy the code.';
    else this.status = m.ok ? `${name} code opened in an editor.` : 'Could not open the code in an editor.';
  }

  private get snippets(): Snippet[] {
    return snippetsFor(this.strategy);
  }

  private get current(): Snippet | undefined {
    return this.snippets.find((s) => s.language === this.language) ?? this.snippets[0];
  }

  private selectTab(e: CustomEvent<{ selectedIndex: number }>): void {
    const chosen = this.snippets[e.detail.selectedIndex];
    if (!chosen || chosen.language === this.language) return;
    this.language = chosen.language;
    this.status = '';
    this.dispatchEvent(new CustomEvent<SnippetLanguage>('cw-language', { detail: chosen.language, bubbles: true }));
  }

  protected override render(): TemplateResult | typeof nothing {
    const snippets = this.snippets;
    const current = this.current;
    if (!current) return nothing;
    const selected = Math.max(0, snippets.indexOf(current));
    const showRun = this.ran || this.savedRun !== undefined;
    return html`
      <section class="cw-snippet" aria-label="${current.title}: code">
        <h2 class="cw-snippet-title">${current.title}</h2>
        <vscode-tabs selected-index=${selected} @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.selectTab(e)}>
          ${snippets.map(
            (s) => html`
              <vscode-tab-header slot="header">${LANGUAGE_NAMES[s.language]}</vscode-tab-header>
              <vscode-tab-panel>
                <pre class="cw-code" tabindex="0" aria-label="${LANGUAGE_NAMES[s.language]} code"><code>${renderCode(s.code, s.language)}</code></pre>
              </vscode-tab-panel>`,
          )}
        </vscode-tabs>
        <div class="cw-snippet-actions" role="group" aria-label="Snippet actions">
          <vscode-button secondary icon="go-to-file"
            @click=${() => post({ type: 'snippet/openInEditor', strategy: this.strategy, language: current.language })}
            >Open in editor</vscode-button>
          <vscode-button secondary icon="copy"
            @click=${() => post({ type: 'snippet/copy', strategy: this.strategy, language: current.language })}>Copy</vscode-button>
          <vscode-button icon="run" title="Run ${current.scenario} and show its diagram" @click=${() => { this.ran = true; }}
            >Run it</vscode-button>
          <span class="cw-snippet-status" role="status" aria-live="polite">${this.status}</span>
        </div>
        ${showRun
          ? html`<cw-diagram-slot
              .slotKey=${snippetSlotKey(this.strategy)}
              .strategy=${this.strategy}
              .variant=${null}
              .snippetLanguage=${current.language}
              .saved=${this.savedRun}
              .speed=${this.speed}
              ?reduced-motion=${this.reducedMotion}
            ></cw-diagram-slot>`
          : nothing}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-snippet': SnippetView;
  }
}
