// An automated accessibility audit of every webview the extension shows, in a real VS Code: axe-core runs inside each
// webview's own document (the sidebar Lesson view; the panel's lesson sections with their diagrams, comparison,
// knowledge check before an answer, with feedback and on its score, playground before and after a run, and the
// Debug trace page) under a dark, a light and both high-contrast themes, with the WCAG 2.x A and AA rules. Every page
// must come out with no violation; a failure lists each one with its rule, the element and what to fix.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Frame, FrameLocator, Locator } from 'playwright-core';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import type { Workbench } from './harness';
import { workbenchForFile } from './harness';
import { journey, lessonView, panelWith, scenarioFacts, waitUntil } from './journeys';

/** axe-core's browser build: evaluated in each webview frame through the debugging protocol (the page's CSP allows no inline script). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rules that apply: everything axe tags as WCAG 2.0, 2.1 or 2.2, levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const C8 = scenarioFacts('c08-write-behind-crash-loses-writes.cachescenario');

/**
 * The themes each page is audited in, as `Preferences: Color Theme` lists them: VS Code's default dark and light themes
 * and both high-contrast ones (CACHE_WORKBENCH_A11Y_THEMES="Light Modern,..." picks others, or none).
 */
const THEMES = (process.env.CACHE_WORKBENCH_A11Y_THEMES?.split(',') ?? ['Dark Modern', 'Light Modern', 'Dark High Contrast', 'Light High Contrast'])
  .map((t) => t.trim()).filter((t) => t !== '');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
}

interface Finding extends Violation {
  where: string;
}

const workbench = workbenchForFile({ name: 'a11y', tidy: true });

/** The violations as a failure message: per page, the rule, its help and link, then each element and what to fix. */
function report(findings: Finding[]): string {
  return findings.map((f) => [
    `${f.where}: ${f.id} (${f.impact ?? 'no impact given'}): ${f.help} <${f.helpUrl}>`,
    ...f.nodes.map((n) => `    element ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`),
  ].join('\n')).join('\n');
}

/**
 * Runs axe-core in the document of a webview (its inner `#active-frame`) and returns the violations of the WCAG A/AA
 * rules. axe is evaluated through playwright, which the page's Content Security Policy does not govern.
 */
async function audit(frame: FrameLocator, where: string): Promise<Finding[]> {
  const f = await frameOf(frame);
  if (!(await f.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object'))) await f.evaluate(AXE_SOURCE);
  // The page is audited from its top: the sticky page navigation covers whatever has scrolled under it, and axe would
  // count a control half under it as a too-small target, though the learner sees all of it once it is scrolled to
  // (keyboard focus never stops under the navigation: the page's scroll padding keeps it below).
  await f.evaluate(() => window.scrollTo({ top: 0 }));
  // Let transitions (a colour easing in, the diagram's sweep) settle, so colours are measured as they rest.
  await f.waitForTimeout(300);
  const { violations, passed } = await f.evaluate(async ({ tags }) => {
    interface AxeNode { target: unknown[]; failureSummary?: string }
    interface AxeResult { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] }
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeResult[]; passes: AxeResult[] }> } }).axe;
    // Every rule with these tags runs: none is left out.
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // (No named function in here: tsx's keepNames would wrap it in a helper the page does not have.)
    const violations = result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      // A target inside shadow roots is a list of selectors, one per root on the way.
      nodes: v.nodes.map((n) => ({
        target: n.target.map((x) => (Array.isArray(x) ? x.join(' >>> ') : String(x))).join(' | '),
        summary: n.failureSummary ?? '',
      })),
    }));
    return { violations, passed: result.passes.length };
  }, { tags: WCAG_TAGS });
  // A page axe could not see into would pass vacuously: it must have checked a good number of rules.
  assert.ok(passed >= 10, `${where}: axe-core passed only ${passed} rules; did it run on the page?`);
  const found = violations.map((v: Violation) => ({ ...v, where }));
  if (found.length > 0) console.log(`a11y: ${where}: ${found.map((v) => `${v.id} x${v.nodes.length}`).join(', ')}`);
  return found;
}

/**
 * Pauses a diagram that is playing (one plays by itself the first time it scrolls into view). A diagram can reach its
 * last step, and stop, between reading the button's label and the click: the label is read again after each click.
 */
async function pause(fig: Locator): Promise<void> {
  const play = fig.locator('vscode-button.cw-play');
  await waitUntil(async () => {
    if ((await play.getAttribute('aria-label')) === 'Play') return true;
    await play.click();
    await fig.page().waitForTimeout(100);
    return (await play.getAttribute('aria-label')) === 'Play';
  }, 'the diagram to pause');
}

/** The workbench panel on this page of its navigation (`lesson`, `compare`, `quiz`, `playground`). */
async function showPage(w: Workbench, route: string): Promise<FrameLocator> {
  const panel = await panelWith(w, '.cw-pages');
  await panel.locator(`.cw-pages button[data-route="${route}"]`).click();
  await panel.locator(`.cw-app[data-route="${route}"]`).waitFor({ timeout: 20_000 });
  return panel;
}

/** Audits every lesson section in the panel, each with its diagrams loaded and paused. */
async function auditLesson(w: Workbench, theme: string): Promise<Finding[]> {
  const found: Finding[] = [];
  await w.runCommand('Open Lesson');
  const panel = await panelWith(w, 'h1.cw-section-title');
  for (const [i, s] of LESSON_SECTIONS.entries()) {
    await panel.locator('button.cw-nav-item').nth(i).click();
    await panel.locator('h1.cw-section-title', { hasText: s.title }).waitFor({ timeout: 20_000 });
    const slots = panel.locator('cw-lesson cw-diagram-slot');
    for (let d = 0; d < (await slots.count()); d++) {
      const slot = slots.nth(d);
      await slot.scrollIntoViewIfNeeded();
      await slot.locator('.cw-step-count').waitFor({ timeout: 30_000 });
      await pause(slot);
    }
    found.push(...await audit(panel, `${theme} / lesson section ${i + 1} (${s.id})`));
  }
  // A failure variant of the write-behind diagram, with its lost writes marked.
  await panel.locator('button.cw-nav-item').nth(LESSON_SECTIONS.findIndex((s) => s.id === 'write-behind')).click();
  const fig = panel.locator('cw-lesson cw-diagram-slot').first();
  await fig.locator('.cw-step-count').waitFor({ timeout: 30_000 });
  await pause(fig);
  await fig.locator('vscode-radio', { hasText: 'Crash before flush' }).click();
  await fig.locator('g.cw-row.cw-mark-lost').first().waitFor({ timeout: 15_000 });
  await fig.locator('.cw-diagram-scroll').focus();
  await w.page.keyboard.press('End');
  // With its steps shown as text, and the snippet in its other language.
  await fig.locator('vscode-button', { hasText: 'Show the steps as text' }).click();
  await fig.locator('ol.cw-steps-list:not(.cw-sr-only)').waitFor({ timeout: 5_000 });
  await panel.locator('vscode-tab-header', { hasText: 'Python' }).first().click();
  found.push(...await audit(panel, `${theme} / write-behind crash diagram at its last step, steps as text, Python snippet`));
  await w.screenshot(`a11y-crash-${theme.toLowerCase().replace(/\s+/g, '-')}`);
  return found;
}

/** The comparison after its first measurement, and with an invalid field. */
async function auditCompare(w: Workbench, theme: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const panel = await showPage(w, 'compare');
  await panel.locator('[data-testid="compare-status"]', { hasText: /Measured [\d,]+ operations/ }).waitFor({ timeout: 90_000 });
  found.push(...await audit(panel, `${theme} / compare`));
  const ops = panel.locator('#cw-compare-ops');
  const before = await ops.inputValue();
  await ops.fill('0');
  await panel.locator('[data-testid="compare-stale"]').waitFor({ timeout: 5_000 });
  found.push(...await audit(panel, `${theme} / compare with an invalid field`));
  await ops.fill(before);
  await panel.locator('[data-testid="compare-stale"]').waitFor({ state: 'detached', timeout: 10_000 });
  return found;
}

/** The knowledge check before an answer, with the feedback of one, and on its score (then Retry for the next theme). */
async function auditQuiz(w: Workbench, theme: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const panel = await showPage(w, 'quiz');
  const retry = panel.locator('[data-testid="quiz-score"] vscode-button', { hasText: 'Retry' });
  const question = panel.locator('section.cw-question');
  await Promise.race([retry.waitFor({ timeout: 20_000 }), question.waitFor({ timeout: 20_000 })]);
  if (await retry.isVisible()) {
    await retry.click();
    await question.waitFor({ timeout: 20_000 });
  }
  for (let n = 1; ; n++) {
    const q = panel.locator('section.cw-question');
    await q.locator('vscode-radio').first().waitFor({ timeout: 20_000 });
    if (n === 1) found.push(...await audit(panel, `${theme} / knowledge check, a question before answering`));
    // Wrong answers as often as right ones: both kinds of feedback are audited.
    await q.locator('vscode-radio').nth(n % 2).click();
    await q.locator('vscode-button', { hasText: 'Check answer' }).click();
    await q.locator('.cw-feedback-verdict').waitFor({ timeout: 20_000 });
    if (n <= 2) found.push(...await audit(panel, `${theme} / knowledge check, feedback on question ${n}`));
    const next = q.locator('vscode-button', { hasText: 'Next question' });
    if (await next.count() > 0) {
      await next.click();
      continue;
    }
    await q.locator('vscode-button', { hasText: 'See my score' }).click();
    break;
  }
  await panel.locator('[data-testid="quiz-score"]').waitFor({ timeout: 20_000 });
  found.push(...await audit(panel, `${theme} / knowledge check, score`));
  return found;
}

/** The playground's form, with an invalid field, and after a small run (charts, metrics). */
async function auditPlayground(w: Workbench, theme: string): Promise<Finding[]> {
  const found: Finding[] = [];
  const panel = await showPage(w, 'playground');
  const ops = panel.locator('#cw-pg-workload-ops');
  await ops.waitFor({ timeout: 20_000 });
  await ops.fill('50000');
  await panel.locator('#cw-pg-workload-ops-error', { hasText: 'Expected' }).waitFor({ timeout: 10_000 });
  found.push(...await audit(panel, `${theme} / playground with an invalid field`));
  await ops.fill('2000');
  await panel.locator('#cw-pg-strategy').selectOption('write-behind');
  const add = panel.locator('vscode-button.cw-add-fault').first();
  if ((await panel.locator('.cw-fault').count()) === 0) await add.click();
  await panel.locator('vscode-button[icon="play"]').click();
  await panel.locator('[data-testid="playground-results"]').waitFor({ timeout: 60_000 });
  await panel.locator('[data-testid="playground-status"]', { hasText: 'Ran 2,000 operations' }).waitFor({ timeout: 60_000 });
  found.push(...await audit(panel, `${theme} / playground after a run`));
  return found;
}

/** The Debug trace page while C8 is stepped, on entry and after a step. */
async function auditTrace(w: Workbench, theme: string): Promise<Finding[]> {
  const found: Finding[] = [];
  await w.pickFromCommand('Open Example Scenario', 'C8:', 'C8: Write-behind loses');
  await w.activeTab().filter({ hasText: C8.file }).waitFor({ timeout: 20_000 });
  await w.page.locator('.monaco-editor .view-lines', { hasText: 'crash cache' }).first().waitFor({ timeout: 10_000 });
  await w.runCommand('Open Workbench');
  await panelWith(w, '.cw-app h1');
  await w.focusEditorTab(C8.file);
  await w.runCommand('Step Through Scenario');
  await w.debugToolbar.waitFor({ timeout: 30_000 });
  const panel = await panelWith(w, '.cw-app[data-route="trace"]');
  await panel.locator('.cw-trace-page .cw-step-count').waitFor({ timeout: 30_000 });
  found.push(...await audit(panel, `${theme} / debug trace page on entry`));
  for (let i = 0; i < 4; i++) {
    await w.debugButton('step-over').click();
    await w.page.waitForTimeout(300);
  }
  found.push(...await audit(panel, `${theme} / debug trace page after steps`));
  await w.stopDebugging();
  return found;
}

for (const theme of THEMES) {
  test(`accessibility (axe-core, WCAG 2.x A/AA) of every webview in ${theme}: no violation`, { timeout: 420_000 }, async () => {
    const w = workbench();
    const found: Finding[] = [];
    await journey(w, `a11y-${theme.toLowerCase().replace(/\s+/g, '-')}`, async () => {
      await w.setColorTheme(theme);
      const sidebar = await lessonView(w);
      found.push(...await audit(sidebar, `${theme} / sidebar Lesson view`));
      found.push(...await auditLesson(w, theme));
      found.push(...await auditCompare(w, theme));
      found.push(...await auditQuiz(w, theme));
      found.push(...await auditPlayground(w, theme));
      await w.closeAllEditors();
      found.push(...await auditTrace(w, theme));
      const after = await lessonView(w);
      found.push(...await audit(after, `${theme} / sidebar Lesson view with progress`));
    });
    assert.equal(found.length, 0, `axe-core found ${found.length} violation(s):\n${report(found)}`);
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Keyboard only: Tab reaches every control of a page, and each shows where the focus is.

interface TabWalk {
  /** Controls on the page that Tab never reached (a radio group counts once: its checked or first radio is the stop). */
  unreached: string[];
  /** Controls that took the focus with no visible change (no outline, box shadow or border moved). */
  invisible: string[];
  /** The Tab stops, in order. */
  names: string[];
}

/**
 * In the page: the control that has the focus (null when the focus is outside this document), tagged once with a
 * number, and whether it shows the focus: its focus styles (outline, box shadow, border, in it and in its shadow root)
 * compared focused and not (blur, look, focus again). Plain JavaScript in a string: the test runner's transform would
 * wrap a named function in a helper the page does not have.
 */
const FOCUS_PROBE = `(async () => {
  if (!document.hasFocus()) return null;
  const top = document.activeElement;
  if (!top || top === document.body) return null;
  const chain = [top];
  for (let e = top.shadowRoot && top.shadowRoot.activeElement; e; e = e.shadowRoot && e.shadowRoot.activeElement) chain.push(e);
  function look() {
    return chain.flatMap((e) => [e, ...(e.shadowRoot ? [...e.shadowRoot.querySelectorAll('*')].slice(0, 30) : [])])
      .map((e) => { const cs = getComputedStyle(e); return cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + '|' + cs.boxShadow + '|' + cs.borderColor; })
      .join(';');
  }
  // Components reflect their focus to an attribute on their next update: each look waits a frame for it.
  const settle = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const focused = look();
  top.blur();
  await settle();
  const blurred = look();
  top.focus();
  await settle();
  window.cwTabIds = window.cwTabIds || new WeakMap();
  let id = window.cwTabIds.get(top);
  if (id === undefined) {
    id = window.cwTabNext = (window.cwTabNext || 0) + 1;
    window.cwTabIds.set(top, id);
  }
  const cls = typeof top.className === 'string' && top.className.trim() ? '.' + top.className.trim().split(/\\s+/).join('.') : '';
  const name = top.tagName.toLowerCase() + (top.id ? '#' + top.id : '') + cls + ' "' + (top.getAttribute('aria-label') || top.textContent || '').trim().slice(0, 40) + '"';
  // A radio must show its focus around itself: the library's own ring inside the circle changes the look, barely.
  const radioOutlined = top.tagName !== 'VSCODE-RADIO' || getComputedStyle(top).outlineStyle !== 'none';
  return { id, name, visible: focused !== blurred && radioOutlined };
})()`;

/**
 * In the page: the visible, enabled controls whose tag (from FOCUS_PROBE) is not among the given ids. A composite
 * control counts as reached when one of its parts was (a radio of a group, a tab header).
 */
const UNREACHED_PROBE = `(ids) => {
  const seen = new Set(ids);
  const tags = window.cwTabIds || new WeakMap();
  const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex="0"], vscode-button, vscode-single-select, vscode-tabs, vscode-radio-group')];
  const out = [];
  for (const c of controls) {
    const r = c.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || c.closest('[hidden], [inert]') || c.hasAttribute('disabled') || c.getAttribute('aria-disabled') === 'true') continue;
    if (c.closest('details:not([open])') && c.tagName !== 'SUMMARY') continue;
    const parts = c.matches('vscode-radio-group') ? [...c.querySelectorAll('vscode-radio')] : c.matches('vscode-tabs') ? [...c.querySelectorAll('vscode-tab-header'), c] : [c];
    if (parts.some((p) => seen.has(tags.get(p)))) continue;
    out.push(c.tagName.toLowerCase() + (c.id ? '#' + c.id : '') + ' "' + (c.getAttribute('aria-label') || c.textContent || '').trim().slice(0, 40) + '"');
  }
  return out;
}`;

/** A frame's Frame object (to evaluate in it) from its locator. */
async function frameOf(frame: FrameLocator): Promise<Frame> {
  const body = await frame.locator('body').elementHandle({ timeout: 10_000 });
  assert.ok(body, 'a webview body');
  const f = await body.ownerFrame();
  await body.dispose();
  assert.ok(f, 'a webview frame');
  return f;
}

/**
 * Presses Tab from the first control of the page (`first`) until the focus leaves the page's document or comes back
 * round, noting each stop and whether it is visible; then lists the visible, enabled controls it never reached.
 */
async function tabWalk(w: Workbench, frame: FrameLocator, first: string): Promise<TabWalk> {
  const f = await frameOf(frame);
  await f.evaluate(() => window.scrollTo({ top: 0 }));
  await frame.locator(first).first().focus();
  // Focus set by script shows its ring only after a key press: Tab and Shift+Tab put it back by keyboard.
  await w.page.keyboard.press('Tab');
  await w.page.keyboard.press('Shift+Tab');
  const reached = new Set<number>();
  const invisible: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < 250; i++) {
    const stop = await f.evaluate(FOCUS_PROBE) as { id: number; name: string; visible: boolean } | null;
    if (stop === null || reached.has(stop.id)) break;
    reached.add(stop.id);
    names.push(stop.name);
    if (!stop.visible) invisible.push(stop.name);
    if (process.env.CACHE_WORKBENCH_A11Y_VERBOSE === '1') console.log(`a11y: Tab stop ${names.length}: ${stop.name}${stop.visible ? '' : ' (no visible focus)'}`);
    await w.page.keyboard.press('Tab');
  }
  const unreached = await f.evaluate(`(${UNREACHED_PROBE})(${JSON.stringify([...reached])})`) as string[];
  return { unreached, invisible, names };
}

test('keyboard only: Tab reaches every control of each page, each with a visible focus; Enter, Space and Escape act as expected', { timeout: 300_000 }, async () => {
  const w = workbench();
  const problems: string[] = [];
  const walk = async (frame: FrameLocator, first: string, where: string, minStops: number): Promise<string[]> => {
    const r = await tabWalk(w, frame, first);
    console.log(`a11y: keyboard: ${where}: ${r.names.length} Tab stops`);
    if (r.names.length < minStops) problems.push(`${where}: only ${r.names.length} Tab stops (expected at least ${minStops})`);
    for (const u of r.unreached) problems.push(`${where}: Tab never reaches ${u}`);
    for (const v of r.invisible) problems.push(`${where}: no visible focus on ${v}`);
    return r.names;
  };
  await journey(w, 'a11y-keyboard', async () => {
    await w.setColorTheme('Dark Modern');
    const sidebar = await lessonView(w);
    await walk(sidebar, 'vscode-button.cw-side-continue', 'sidebar', LESSON_SECTIONS.length + 2);

    // Enter on a section in the sidebar opens it in the panel.
    await sidebar.locator('button.cw-side-item').nth(2).focus();
    await w.page.keyboard.press('Enter');
    const panel = await panelWith(w, 'h1.cw-section-title');
    await panel.locator('h1.cw-section-title', { hasText: LESSON_SECTIONS[2]?.title ?? '' }).waitFor({ timeout: 20_000 });
    const fig = panel.locator('cw-lesson cw-diagram-slot').first();
    await fig.locator('.cw-step-count').waitFor({ timeout: 30_000 });
    await pause(fig);
    const lessonStops = await walk(panel, '.cw-pages button', 'lesson (write-behind)', 20);
    // The snippet's code block scrolls sideways: the keyboard reaches it (after its tab panel, which VS Code Elements
    // makes a stop of its own; a panel with tabindex -1 would hide the code from Tab altogether).
    assert.equal(lessonStops.filter((n) => n.startsWith('pre.cw-code')).length, 1, 'one Tab stop on the snippet\'s code');

    // The speed select opens with Space or Enter and closes with Escape, keeping the focus and the value.
    const select = fig.locator('vscode-single-select').first();
    const before = await select.evaluate((e) => (e as HTMLElement & { value: string }).value);
    await select.focus();
    await w.page.keyboard.press('Enter');
    const open = async (): Promise<boolean> => select.evaluate((e) => (e as HTMLElement & { open?: boolean }).open === true || e.hasAttribute('open'));
    await waitUntil(open, 'Enter to open the speed list', 5_000);
    await w.page.keyboard.press('Escape');
    await waitUntil(async () => !(await open()), 'Escape to close the speed list', 5_000);
    assert.equal(await select.evaluate((e) => (e as HTMLElement & { value: string }).value), before, 'Escape leaves the speed as it was');
    assert.equal(await select.evaluate((e) => document.activeElement === e), true, 'the focus stays on the speed select');

    // Space on the diagram plays it, and again pauses it; End goes to the last step.
    const scroll = fig.locator('.cw-diagram-scroll');
    await scroll.focus();
    await w.page.keyboard.press('Space');
    await fig.locator('vscode-button.cw-play[aria-label="Pause"]').waitFor({ timeout: 5_000 });
    await w.page.keyboard.press('Space');
    await fig.locator('vscode-button.cw-play[aria-label="Play"]').waitFor({ timeout: 5_000 });
    await w.page.keyboard.press('End');
    await waitUntil(async () => /Step (\d+) of \1\b/.test((await fig.locator('.cw-step-count').textContent()) ?? ''), 'End to show the last step', 5_000);

    // Enter and Space on the page navigation's buttons switch pages.
    await panel.locator('.cw-pages button[data-route="compare"]').focus();
    await w.page.keyboard.press('Enter');
    await panel.locator('.cw-app[data-route="compare"]').waitFor({ timeout: 20_000 });
    await panel.locator('[data-testid="compare-status"]', { hasText: /Measured [\d,]+ operations/ }).waitFor({ timeout: 90_000 });
    await walk(panel, '.cw-pages button', 'compare', 8);

    await panel.locator('.cw-pages button[data-route="quiz"]').focus();
    await w.page.keyboard.press('Space');
    await panel.locator('.cw-app[data-route="quiz"]').waitFor({ timeout: 20_000 });
    const retry = panel.locator('[data-testid="quiz-score"] vscode-button', { hasText: 'Retry' });
    await Promise.race([retry.waitFor({ timeout: 20_000 }), panel.locator('section.cw-question').waitFor({ timeout: 20_000 })]);
    if (await retry.isVisible()) {
      await retry.focus();
      await w.page.keyboard.press('Enter');
    }
    await panel.locator('section.cw-question vscode-radio').first().waitFor({ timeout: 20_000 });
    await walk(panel, '.cw-pages button', 'knowledge check', 5);

    await panel.locator('.cw-pages button[data-route="playground"]').focus();
    await w.page.keyboard.press('Enter');
    await panel.locator('.cw-app[data-route="playground"]').waitFor({ timeout: 20_000 });
    await panel.locator('#cw-pg-workload-ops').fill('2000');
    await panel.locator('vscode-button.cw-add-fault').first().focus();
    await w.page.keyboard.press('Space');
    await panel.locator('.cw-fault').first().waitFor({ timeout: 5_000 });
    // Enter in a number field runs the setup, as a form's Enter does.
    await panel.locator('#cw-pg-workload-ops').focus();
    await w.page.keyboard.press('Enter');
    await panel.locator('[data-testid="playground-status"]', { hasText: 'Ran 2,000 operations' }).waitFor({ timeout: 60_000 });
    await walk(panel, '.cw-pages button', 'playground after a run', 20);
  });
  assert.deepEqual(problems, [], `keyboard problems:\n${problems.join('\n')}`);
});
