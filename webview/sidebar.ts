// <cw-sidebar>: the "Lesson" view in the activity bar: every section with its read mark, the knowledge-check mark,
// and "Continue where I left off". Each entry opens the workbench panel at that section.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { LESSON_SECTIONS, findSection } from '../src/lesson/sections.js';
import type { HostMessage, ProgressView } from '../src/views/protocol.js';
import { unhandledMessage } from '../src/views/protocol.js';
import { post, reportError } from './host.js';
import { HostElement } from './hostElement.js';
import { quizStatus } from './format.js';

@customElement('cw-sidebar')
export class LessonSidebar extends HostElement {
  @state() private progress: ProgressView | undefined = undefined;


  protected override onHost(m: HostMessage): void {
    switch (m.type) {
      case 'state/init':
      case 'progress/changed':
        this.progress = m.progress;
        break;
      case 'settings/changed':
      case 'lesson/show':
      case 'diagram/trace':
      case 'debug/position':
      case 'debug/ended':
      case 'snippet/done':
      case 'route/show':
      case 'quiz/state':
      case 'quiz/rejected':
      case 'compare/result':
      case 'playground/result':
      case 'playground/exported':
        // Workbench-panel messages; the sidebar has nothing to show for them.
        break;
      default:
        reportError(`sidebar: ${unhandledMessage(m)}`);
    }
  }

  protected override render(): TemplateResult {
    const p = this.progress;
    const read = p?.sectionsRead.length ?? 0;
    const last = p?.lastSection ? findSection(p.lastSection) : undefined;
    return html`
      <div class="cw-side">
        <p class="cw-side-intro">Write-through, write-behind, write-around and cache-aside, run on a simulator you can step through.</p>
        <vscode-button block icon=${last ? 'history' : 'book'} class="cw-side-continue"
          aria-label=${last ? `Continue where I left off: ${last.title}` : 'Start the lesson'}
          @click=${() => post({ type: 'lesson/open', section: null })}>
          ${last ? 'Continue where I left off' : 'Start the lesson'}
        </vscode-button>
        ${last ? html`<p class="cw-side-last">Last read: ${last.title}</p>` : nothing}
        <h2 class="cw-side-heading" id="cw-side-sections">Sections <span class="cw-side-count">${read} of ${LESSON_SECTIONS.length} read</span></h2>
        <ol class="cw-side-list" aria-labelledby="cw-side-sections">
          ${LESSON_SECTIONS.map((s, i) => {
            const isRead = p?.sectionsRead.includes(s.id) ?? false;
            return html`<li>
              <button type="button" class="cw-side-item ${isRead ? 'cw-read' : ''}"
                aria-label="${i + 1}. ${s.title}${isRead ? ', read' : ', not read yet'}"
                title=${s.summary}
                @click=${() => post({ type: 'lesson/open', section: s.id })}>
                <vscode-icon name=${isRead ? 'pass-filled' : 'circle-large-outline'} aria-hidden="true"></vscode-icon>
                <span>${i + 1}. ${s.title}</span>
              </button>
            </li>`;
          })}
        </ol>
        <h2 class="cw-side-heading">Knowledge check</h2>
        <p class="cw-side-quiz ${p?.quizPassed ? 'cw-read' : ''}">
          <vscode-icon name=${p?.quizPassed ? 'pass-filled' : 'circle-large-outline'} aria-hidden="true"></vscode-icon>
          ${quizStatus(p)}
        </p>
        <vscode-button block secondary icon="checklist" @click=${() => post({ type: 'command/run', command: 'takeKnowledgeCheck' })}
          >Take the knowledge check</vscode-button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-sidebar': LessonSidebar;
  }
}
