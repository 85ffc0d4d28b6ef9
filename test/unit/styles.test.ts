// The webviews' stylesheet, read as text: markers that are not keyboard focus do not borrow the focus colour, and
// the rules this project added for state (out of date, current question) take their colours from the theme.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CSS = readFileSync(join(__dirname, '..', '..', 'media', 'workbench.css'), 'utf8');

/** The declarations of the rule whose selector list includes `selector` exactly (comments removed). */
function rule(selector: string): string {
  const text = CSS.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selectors = (m[1] ?? '').split(',').map((s) => s.trim());
    if (selectors.includes(selector)) return m[2] ?? '';
  }
  assert.fail(`no rule for ${selector} in media/workbench.css`);
}

/** Every colour in the declarations comes from a --vscode-* variable (a literal only as a var() fallback). */
function assertThemeColours(selector: string): void {
  const body = rule(selector);
  assert.ok(/var\(--vscode-/.test(body) || /var\(--cw-/.test(body), `${selector} uses a theme variable`);
  const literal = body.replace(/var\([^()]*(\([^()]*\))?[^()]*\)/g, '').match(/#[0-9a-f]{3,8}\b|rgba?\(/i);
  assert.equal(literal, null, `${selector} has a literal colour outside var(): ${body}`);
}

describe('workbench.css', () => {
  it('marks the current knowledge-check question without the focus colour, so it is not mistaken for focus', () => {
    const body = rule('.cw-quiz-step-current');
    assert.doesNotMatch(body, /focusBorder/);
    assertThemeColours('.cw-quiz-step-current');
  });

  it('marks an out-of-date comparison table in theme colours', () => {
    assertThemeColours('.cw-stale-table');
    assertThemeColours('.cw-stale-flag vscode-icon');
  });
});
