// Renders the lesson's inline text (plain, **bold**, `code`) as Lit templates from parseInline's spans.
// Text always goes through Lit's escaping: no innerHTML, so lesson text can never become markup.
import { html } from 'lit';
import type { TemplateResult } from 'lit';
import { parseInline } from '../src/lesson/sections.js';
import type { InlineText } from '../src/lesson/sections.js';

export function renderInline(text: InlineText): TemplateResult {
  return html`${parseInline(text).map((span) => {
    switch (span.kind) {
      case 'bold':
        return html`<strong>${span.text}</strong>`;
      case 'code':
        return html`<code>${span.text}</code>`;
      case 'text':
        return span.text;
      default: {
        const unknownKind: never = span.kind;
        return String(unknownKind);
      }
    }
  })}`;
}
