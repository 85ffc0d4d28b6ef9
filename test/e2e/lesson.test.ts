// Issue "The lesson": a learner opens the write-behind section from the sidebar, plays its diagram (and steps it back
// and forth), switches to the crash-before-flush variant and finds the lost writes marked (checked against the
// scenario's own run), reads the step list, opens the TypeScript snippet in an editor and runs it; the sidebar shows
// the section as read and continues there. The panel comes back after a window reload, and reduced motion stops the
// animation. Screenshots in the Light and Dark Modern themes, and the crash in Dark High Contrast, go to artifacts/e2e/
// (lesson-*.png, diagram-crash-*.png, snippet-*.png).
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import { findSnippet } from '../../src/lesson/snippets';
import { DIAGRAM_SCENARIOS } from '../../src/views/traces';
import type * as DiagramLayout from '../../webview/diagram/layout.js' with { 'resolution-mode': 'import' };
import type * as DiagramPredict from '../../webview/diagram/predict.js' with { 'resolution-mode': 'import' };
import type { Workbench } from './harness';
import { workbenchForFile } from './harness';
import {
  diagram, diagramStep, journey, lessonView, openSectionFromSidebar, panelWith, pauseDiagram, scenarioFacts, section, sectionHeading,
  setDiagramSpeed, sidebarItem, sidebarReadCount, waitUntil,
} from './journeys';

const WB = section('write-behind');
const NORMAL = scenarioFacts(DIAGRAM_SCENARIOS['write-behind'].normal ?? '');
const CRASH = scenarioFacts(DIAGRAM_SCENARIOS['write-behind']['crash-before-flush'] ?? '');
const SNIPPET = findSnippet('write-behind', 'typescript');
const SNIPPET_RUN = scenarioFacts(SNIPPET?.scenario ?? '');

/** The diagram's own time format and its prediction questions (ES modules, like the rest of the webview sources). */
let formatMs: typeof DiagramLayout.formatMs = () => '';
let predictionFor: typeof DiagramPredict.predictionFor = () => null;

before(async () => {
  ({ formatMs } = await import('../../webview/diagram/layout.js'));
  ({ predictionFor } = await import('../../webview/diagram/predict.js'));
});

const workbench = workbenchForFile({ name: 'lesson', tidy: true }, async (w) => {
  await w.setColorTheme('Light Modern');
});

/** Switches the section's first diagram (the write-behind one) to the crash-before-flush variant. */
async function showCrashVariant(panel: FrameLocator): Promise<Locator> {
  const fig = await diagram(panel, 0);
  await pauseDiagram(fig);
  await fig.locator('vscode-radio', { hasText: 'Crash before flush' }).click();
  await fig.locator('.cw-step-count', { hasText: `of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });
  await fig.locator('figcaption', { hasText: CRASH.file }).waitFor({ timeout: 5_000 });
  return fig;
}

/** The lost-write rows of a diagram: marked `lost`, on the queue lane (the crash row carries the mark as well). */
function lostRows(fig: Locator): Locator {
  return fig.locator('g.cw-row.cw-mark-lost:not(.cw-mark-crash)');
}

test('The lesson: a learner opens the write-behind section from the Lesson view, and it is marked read', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-open', async () => {
    const view = await lessonView(w);
    const item = sidebarItem(view, WB.section.id);
    const label = `${WB.index + 1}. ${WB.section.title}`;
    assert.equal(await sidebarReadCount(view), 0, 'a new learner has read nothing');
    assert.equal(await item.getAttribute('aria-label'), `${label}, not read yet`);

    const panel = await openSectionFromSidebar(w, WB.section.id);
    assert.match((await panel.locator('.cw-kicker').first().textContent()) ?? '', new RegExp(`Section ${WB.index + 1} of ${LESSON_SECTIONS.length}`));
    // Opened from the sidebar, the section's heading has the focus: keyboard and screen-reader users start there.
    await waitUntil(async () => await headingFocused(panel), 'the section heading to take focus');
    await w.activeTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });

    // The sidebar and the panel's own section list both mark it read.
    await waitUntil(async () => (await item.getAttribute('aria-label')) === `${label}, read`, 'the sidebar to mark the section read');
    await item.locator('vscode-icon[name="pass-filled"]').waitFor({ timeout: 5_000 });
    assert.equal(await sidebarReadCount(view), 1);
    assert.equal(await panel.locator('button.cw-nav-item[aria-current="page"]').getAttribute('aria-label'), `${label}, read`);
    // A section not read yet says so in the panel's list too, as in the sidebar (not only by its empty circle).
    const last = LESSON_SECTIONS.length - 1;
    assert.notEqual(last, WB.index);
    assert.equal(await panel.locator('button.cw-nav-item').nth(last).getAttribute('aria-label'), `${last + 1}. ${LESSON_SECTIONS[last]?.title}, not read yet`);
    await diagram(panel, 0);

    // With the panel closed, the sidebar's "Continue where I left off" brings the learner back to this section.
    await w.closeAllEditors();
    const resume = view.locator('vscode-button.cw-side-continue');
    assert.equal(await resume.getAttribute('aria-label'), `Continue where I left off: ${WB.section.title}`);
    await resume.click();
    const resumed = await panelWith(w, 'h1.cw-section-title');
    await sectionHeading(resumed, WB.section.id).waitFor({ timeout: 15_000 });
  });
});

test('The lesson: the write-behind diagram plays step by step', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-play', async () => {
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await diagram(panel, 0);
    assert.match((await fig.locator('figcaption').textContent()) ?? '', new RegExp(NORMAL.file.replace(/\./g, '\\.')));
    const play = fig.locator('vscode-button.cw-play');
    const live = async (): Promise<string> => ((await fig.locator('.cw-live').textContent()) ?? '').trim();
    // In view, it plays by itself, and silently: the live region speaks only for playback the learner starts.
    await waitUntil(async () => (await play.getAttribute('aria-label')) === 'Pause', 'the diagram to play by itself');
    assert.equal(await live(), '', 'autoplay says nothing');
    await pauseDiagram(fig);
    await setDiagramSpeed(fig, '4×');
    await fig.locator('vscode-button[aria-label="First step"]').click();
    await waitUntil(async () => (await diagramStep(fig))[0] === 1, 'step 1');
    assert.deepEqual(await diagramStep(fig), [1, NORMAL.steps.length]);

    await play.click();
    // Steps advance on their own; sample them until the end, where the button says Play again.
    const seen = new Set<number>();
    await waitUntil(async () => {
      seen.add((await diagramStep(fig))[0]);
      return (await play.getAttribute('aria-label')) === 'Play' && (await diagramStep(fig))[0] === NORMAL.steps.length;
    }, 'the diagram to play to its last step', 20_000);
    assert.ok(seen.size >= 3, `playback went through several steps (saw ${[...seen].join(', ')})`);
    // Started by the learner, the playback says where it ended.
    assert.match(await live(), new RegExp(`^Step ${NORMAL.steps.length} of ${NORMAL.steps.length}, at `));
    assert.equal(await fig.locator('g.cw-row.cw-past').count(), NORMAL.steps.length, 'every row drawn as done');
    const last = NORMAL.steps[NORMAL.steps.length - 1];
    assert.equal(await fig.locator('g.cw-row.cw-current').getAttribute('data-seq'), String(last?.seq));
    assert.equal(((await fig.locator('.cw-step-note').textContent()) ?? '').trim(), last?.note);
    assert.deepEqual(await stepChips(fig), chipsOf(last));

    // Step back and forward by the buttons: the highlighted row, the note, the virtual time and the latency follow.
    const before = NORMAL.steps[NORMAL.steps.length - 2];
    await fig.locator('vscode-button[aria-label="Step back"]').click();
    await waitUntil(async () => (await diagramStep(fig))[0] === NORMAL.steps.length - 1, 'one step back');
    assert.equal(await fig.locator('g.cw-row.cw-current').getAttribute('data-seq'), String(before?.seq));
    assert.equal(((await fig.locator('.cw-step-note').textContent()) ?? '').trim(), before?.note);
    assert.deepEqual(await stepChips(fig), chipsOf(before));
    assert.equal(await fig.locator('g.cw-row.cw-future').count(), 1, 'the last row drawn as not reached yet');
    await fig.locator('vscode-button[aria-label="Step forward"]').click();
    await waitUntil(async () => (await diagramStep(fig))[0] === NORMAL.steps.length, 'one step forward again');
    assert.deepEqual(await stepChips(fig), chipsOf(last));
  });
});

/** The current step's virtual time and latency, as the step details show them. */
async function stepChips(fig: Locator): Promise<string[]> {
  return (await fig.locator('.cw-step-info .cw-chip:not(.cw-chip-value)').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** What stepChips shows for a step of the engine's trace. */
function chipsOf(step: { time: number; durationMs: number } | undefined): string[] {
  assert.ok(step);
  return [`t = ${formatMs(step.time)}`, `latency ${formatMs(step.durationMs)}`];
}

test('The lesson: the crash-before-flush variant marks exactly the scenario\'s lost writes, and the step list says so too', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-crash', async () => {
    assert.ok(CRASH.lostWrites > 0 && CRASH.lostSteps.length === CRASH.lostWrites, 'C8 loses writes, one queue.lost step each');
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await showCrashVariant(panel);
    assert.equal(await fig.locator('g.cw-row').count(), CRASH.steps.length);
    // The diagram is taller than the panel: End from the keyboard scrolls the last row into view with it (the page
    // stayed where the focus put it, and the step End went to was cut off at the bottom).
    await fig.locator('vscode-button[aria-label="First step"]').click();
    await fig.locator('.cw-diagram-scroll').focus();
    await w.page.keyboard.press('End');
    await waitUntil(async () => (await diagramStep(fig))[0] === CRASH.steps.length, 'End to show the last step');
    await waitUntil(async () => fig.locator('g.cw-row.cw-current').evaluate((row) => {
      const r = row.getBoundingClientRect();
      // (Whole pixels: the scroll offset is rounded, the row's box is not.)
      return r.top >= 0 && r.bottom <= window.innerHeight + 1;
    }), 'the last row to be scrolled into view', 5_000);

    // Marks on the diagram: one LOST row per lost write, on the steps the engine recorded, naming their keys.
    const rows = lostRows(fig);
    assert.equal(await rows.count(), CRASH.lostWrites, 'one LOST row per lost write');
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-seq'))), CRASH.lostSteps.map((s) => String(s.seq)));
    assert.deepEqual((await rows.locator('.cw-label').allTextContents()).map((t) => t.trim()), CRASH.lostSteps.map((s) => `lost ${s.key ?? ''}`));
    assert.deepEqual(await rows.locator('.cw-badge-svg.cw-badge-lost text').allTextContents(), CRASH.lostSteps.map(() => 'LOST'));
    // The crash itself, and the earlier steps that carried the doomed writes.
    const crash = fig.locator('g.cw-row.cw-mark-crash');
    assert.equal(await crash.count(), CRASH.steps.filter((s) => s.action === 'crash').length);
    assert.deepEqual((await crash.locator('.cw-badge-svg text').allTextContents()).sort(), ['CRASH', 'LOST']);
    const lostIds = new Set(CRASH.lostSteps.flatMap((s) => s.writes ?? []));
    const doomed = CRASH.steps.filter((s) => s.outcome !== 'lost' && s.version !== undefined && lostIds.has(s.version));
    assert.equal(await fig.locator('g.cw-row.cw-mark-doomed').count(), doomed.length, 'every step of a doomed write is marked LOST LATER');

    // Step to the first lost write: the step details say what was lost.
    await rows.first().click();
    const first = CRASH.lostSteps[0];
    await fig.locator('.cw-step-info .cw-badge-lost', { hasText: 'LOST' }).waitFor({ timeout: 5_000 });
    assert.equal(((await fig.locator('.cw-step-note').textContent()) ?? '').trim(), first?.note);

    // The text alternative: the same steps and marks as a list.
    const toggle = fig.locator('.cw-steps-text vscode-button');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    const list = fig.locator('ol.cw-steps-list');
    await waitUntil(async () => !((await list.getAttribute('class')) ?? '').includes('cw-sr-only'), 'the step list to show');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const items = list.locator('li');
    assert.equal(await items.count(), CRASH.steps.length);
    const lostItems = await items.evaluateAll((els) => els.filter((e) => e.querySelector('.cw-badge-lost') !== null).length);
    assert.equal(lostItems, CRASH.lostWrites + 1, 'the lost writes and the crash are marked LOST in the list');
    const texts = (await items.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    for (const s of CRASH.lostSteps) {
      const i = CRASH.steps.indexOf(s);
      const text = texts[i] ?? '';
      assert.ok(text.includes(`lost ${s.key ?? ''}`) && text.includes('LOST') && text.includes(s.note), `step ${i + 1} in the list: "${text}"`);
    }
    assert.equal(await items.nth(CRASH.steps.indexOf(first as (typeof CRASH.steps)[number])).getAttribute('aria-current'), 'step');
  });
});

test('The lesson: the Shutdown variant marks the write lost when node1\'s shutdown timeout runs out', { timeout: 90_000 }, async () => {
  const w = workbench();
  const SHUTDOWN = scenarioFacts(DIAGRAM_SCENARIOS['write-behind'].shutdown ?? '');
  assert.equal(SHUTDOWN.lostWrites, 1, 'x07 loses one write');
  const panel = await openSectionFromSidebar(w, WB.section.id);
  const fig = await diagram(panel, 0);
  await pauseDiagram(fig);
  await fig.locator('vscode-radio', { hasText: 'Shutdown' }).click();
  await fig.locator('.cw-step-count', { hasText: `of ${SHUTDOWN.steps.length}` }).waitFor({ timeout: 15_000 });
  await fig.locator('figcaption', { hasText: SHUTDOWN.file }).waitFor({ timeout: 5_000 });
  const rows = lostRows(fig);
  // The timeout's own step (it reports the loss) and the lost entry's: both marked LOST.
  const lost = SHUTDOWN.steps.filter((s) => s.outcome === 'lost');
  assert.deepEqual(lost.map((s) => s.action), ['shutdown', 'queue.lost']);
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-seq'))), lost.map((s) => String(s.seq)));
  const labels = (await fig.locator('g.cw-row .cw-label').allTextContents()).map((t) => t.trim());
  assert.deepEqual(labels.filter((t) => /^shut/.test(t)), ['shutting down', 'shutting down', 'shut down', 'shut down'], labels.join(' | '));
  await rows.first().click();
  await fig.locator('.cw-step-info .cw-badge-lost', { hasText: 'LOST' }).waitFor({ timeout: 5_000 });
  await rows.first().scrollIntoViewIfNeeded();
  await w.screenshot('diagram-shutdown-variant');
});

test('The lesson: a variant picked in one section stays there; the next section\'s diagram starts on its own', { timeout: 120_000 }, async () => {
  const w = workbench();
  const WT = section('write-through');
  const dbFailure = scenarioFacts(DIAGRAM_SCENARIOS['write-through']['db-failure'] ?? '');
  await journey(w, 'lesson-variant-per-section', async () => {
    let panel = await openSectionFromSidebar(w, WT.section.id);
    const first = await diagram(panel, 0);
    await pauseDiagram(first);
    await first.locator('vscode-radio', { hasText: 'DB failure' }).click();
    await first.locator('.cw-step-count', { hasText: `of ${dbFailure.steps.length}` }).waitFor({ timeout: 15_000 });

    // Write-behind has no DB-failure diagram: its first diagram must not inherit the pick (it asked for it and failed).
    panel = await openSectionFromSidebar(w, WB.section.id);
    const next = await diagram(panel, 0);
    assert.deepEqual(await diagramStep(next).then(([, total]) => total), NORMAL.steps.length);
    assert.equal(await next.locator('.cw-error').count(), 0);
    assert.equal(await next.locator('vscode-radio[value="normal"]').evaluate((r) => (r as HTMLElement & { checked: boolean }).checked), true);
    await next.locator('figcaption', { hasText: NORMAL.file }).waitFor({ timeout: 5_000 });

    // Back in write-through, the pick is still there (the page's saved state).
    panel = await openSectionFromSidebar(w, WT.section.id);
    const again = await diagram(panel, 0);
    await again.locator('.cw-step-count', { hasText: `of ${dbFailure.steps.length}` }).waitFor({ timeout: 15_000 });
    assert.equal(await again.locator('vscode-radio[value="db-failure"]').evaluate((r) => (r as HTMLElement & { checked: boolean }).checked), true);
  });
});

test('The lesson: the write-behind TypeScript snippet opens in an editor and runs; the section stays read', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-snippet', async (mark) => {
    assert.ok(SNIPPET, 'the lesson has a TypeScript write-behind snippet');
    const panel = await openSectionFromSidebar(w, WB.section.id);
    mark('section open');
    const snippet = panel.locator('cw-snippet').first();
    await snippet.scrollIntoViewIfNeeded();
    assert.equal(((await snippet.locator('.cw-snippet-title').textContent()) ?? '').trim(), SNIPPET.title);
    // Nothing sits between the section's h1 and the snippet's heading: it is an h2.
    assert.equal(await snippet.locator('.cw-snippet-title').evaluate((h) => h.tagName), 'H2');
    const codeLines = SNIPPET.code.split('\n').filter((l) => l.trim() !== '');

    // Open in editor: a new, untitled TypeScript editor beside the lesson holding the snippet.
    const tabsBefore = await w.editorTabs().count();
    await snippet.locator('vscode-button', { hasText: 'Open in editor' }).click();
    await snippet.locator('.cw-snippet-status', { hasText: 'TypeScript code opened in an editor.' }).waitFor({ timeout: 15_000 });
    await w.activeGroupTab().filter({ hasText: 'Untitled' }).waitFor({ timeout: 10_000 });
    await w.page.waitForTimeout(500); // settle: a second editor for the same click would show up by now
    const tabs = await w.editorTabs().evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.equal(tabs.length, tabsBefore + 1, `one new editor tab (tabs: ${tabs.join(' | ')})`);
    await waitUntil(async () => (await w.activeEditorLanguage()) === 'TypeScript', 'the new editor to be TypeScript');
    // Indentation detected from the snippet (two spaces), not the default a new empty document gets.
    await waitUntil(async () => (await w.activeEditorIndentation()) === 'Spaces: 2', 'the new editor to indent by two spaces');
    const editor = w.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.locator('.view-line', { hasText: 'WriteBehindWriter' }).first().waitFor({ timeout: 10_000 });
    // Monaco draws spaces as no-break spaces; compare with those folded.
    const shown = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    for (const line of codeLines.slice(0, 12)) assert.ok(shown.includes(line.trim()), `the editor shows "${line.trim()}"`);
    await w.parkMouse();
    await w.screenshot('snippet-editor');
    mark('snippet in an editor');
    await w.runCommand('View: Revert and Close Editor');
    await w.activeGroupTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });

    // Run it: the snippet's scenario runs and its diagram appears under the code, playing.
    mark('editor closed');
    const live = await panelWithSnippet(w);
    await live.locator('vscode-button', { hasText: 'Run it' }).click();
    const run = live.locator('cw-diagram-slot');
    await run.locator('.cw-step-count', { hasText: `of ${SNIPPET_RUN.steps.length}` }).waitFor({ timeout: 15_000 });
    assert.match((await run.locator('svg.cw-diagram-svg').getAttribute('aria-label')) ?? '', new RegExp(`run of ${SNIPPET.scenario.replace(/\./g, '\\.')}`));
    await run.locator('figcaption', { hasText: SNIPPET.scenario }).waitFor({ timeout: 5_000 });
    // It starts playing once it is scrolled into view.
    await run.locator('.cw-diagram-controls').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await waitUntil(async () => (await diagramStep(run))[0] > 1, 'the run diagram to play', 10_000);
    await w.parkMouse();
    await w.screenshot('snippet-run');
    mark('run shown');

    // Afterwards the sidebar still lists the section as read.
    const view = await lessonView(w);
    assert.equal(await sidebarItem(view, WB.section.id).getAttribute('aria-label'), `${WB.index + 1}. ${WB.section.title}, read`);
  });
});

/** Whether the panel's document has its section heading focused (its active element, whether or not the frame has focus). */
async function headingFocused(panel: FrameLocator): Promise<boolean> {
  return panel.locator('body').evaluate(() => document.activeElement?.matches('h1.cw-section-title') === true);
}

/** The element focused in the panel's document: tag, value and whether it is checked (a radio's), and its label. */
async function focused(panel: FrameLocator): Promise<{ tag: string; value: string | null; label: string | null; checked: boolean }> {
  return panel.locator('body').evaluate(() => {
    const el = document.activeElement as (HTMLElement & { value?: string; checked?: boolean }) | null;
    const label = el?.getAttribute('aria-label') ?? el?.getAttribute('label') ?? null;
    return { tag: el?.tagName.toLowerCase() ?? '', value: el?.getAttribute('value') ?? null, label, checked: el?.checked === true };
  });
}

test('The lesson by keyboard: the arrow keys switch the diagram\'s variant; its step, variant, tab stop and the page\'s scroll come back after the panel was hidden', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-keyboard', async () => {
    let panel = await openSectionFromSidebar(w, WB.section.id);
    let fig = await diagram(panel, 0);
    await pauseDiagram(fig);
    const slotKey = await fig.evaluate((el) => (el as HTMLElement & { slotKey: string }).slotKey);

    // The arrow keys in the variant radios check the next variant, and the diagram follows (no change event fires).
    await fig.locator('vscode-radio[value="normal"]').focus();
    await w.page.keyboard.press('ArrowRight');
    await fig.locator('.cw-step-count', { hasText: `of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });
    await fig.locator('figcaption', { hasText: CRASH.file }).waitFor({ timeout: 5_000 });
    assert.deepEqual(await focused(panel), { tag: 'vscode-radio', value: 'crash-before-flush', label: 'Crash before flush', checked: true });
    assert.match((await fig.locator('svg.cw-diagram-svg').getAttribute('aria-label')) ?? '', /crash before flush variant/);
    await w.page.keyboard.press('ArrowLeft');
    await fig.locator('.cw-step-count', { hasText: `of ${NORMAL.steps.length}` }).waitFor({ timeout: 15_000 });
    await fig.locator('figcaption', { hasText: NORMAL.file }).waitFor({ timeout: 5_000 });
    await w.page.keyboard.press('ArrowRight');
    await fig.locator('.cw-step-count', { hasText: `of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });

    // Playback start is announced; then step to step 4 with the keys.
    const scroller = fig.locator('.cw-diagram-scroll');
    await scroller.focus();
    await w.page.keyboard.press('Space');
    await fig.locator('.cw-live', { hasText: /^Playing from step \d+ of \d+ at [\d.]+× speed\./ }).waitFor({ timeout: 5_000 });
    await w.page.keyboard.press('Space');
    for (const key of ['Home', 'ArrowRight', 'ArrowRight', 'ArrowRight']) await w.page.keyboard.press(key);
    await waitUntil(async () => (await diagramStep(fig))[0] === 4, 'step 4');
    await panel.locator('body').evaluate(() => window.scrollTo({ top: 500 }));
    const saved = async (): Promise<{ diagram: { variant: string | null; step: number } | undefined; lessonScroll: number | undefined }> =>
      panel.locator('cw-workbench').evaluate((el, key) => {
        const ui = (el as HTMLElement & { uiState: { diagrams: Record<string, { variant: string | null; step: number }>; lessonScroll?: number } }).uiState;
        return { diagram: ui.diagrams[key], lessonScroll: ui.lessonScroll };
      }, slotKey);
    await waitUntil(async () => (await saved()).lessonScroll === 500, 'the scroll offset to be saved');
    assert.deepEqual((await saved()).diagram, { variant: 'crash-before-flush', step: 3 });

    // Hide the panel behind another editor (its page is torn down), then show it again.
    await w.runCommand('File: New Untitled Text File');
    await w.activeGroupTab().filter({ hasText: 'Untitled' }).waitFor({ timeout: 10_000 });
    await w.focusEditorTab('Cache Workbench');
    panel = await panelWith(w, 'cw-lesson cw-diagram-slot .cw-step-count');
    fig = await diagram(panel, 0);
    await fig.locator('.cw-step-count', { hasText: `of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await diagramStep(fig), [4, CRASH.steps.length], 'the step shown before the panel was hidden');
    await waitUntil(async () => Math.abs(await panel.locator('body').evaluate(() => window.scrollY) - 500) <= 1, 'the lesson to scroll back to where it was');
    // The Tab stop of the variant radios is the checked one (Shift+Tab from the first playback button lands there).
    const radios = await fig.locator('vscode-radio').evaluateAll((els) => els.map((r) => `${r.getAttribute('value')}:${(r as HTMLElement).tabIndex}`));
    assert.deepEqual(radios, ['normal:-1', 'crash-before-flush:0', 'wal:-1', 'other-node:-1', 'shutdown:-1', 'lost-reply:-1', 'write-delay:-1']);
    await fig.locator('vscode-button[aria-label="First step"]').focus();
    await w.page.keyboard.press('Shift+Tab');
    assert.deepEqual(await focused(panel), { tag: 'vscode-radio', value: 'crash-before-flush', label: 'Crash before flush', checked: true });

    // With the panel open, another section picked in the sidebar gets the focus on its heading too.
    const view = await lessonView(w);
    await sidebarItem(view, 'write-through').click();
    await sectionHeading(panel, 'write-through').waitFor({ timeout: 15_000 });
    await waitUntil(async () => await headingFocused(panel), 'the new section\'s heading to take focus');
  });
});

/** The snippet block of the panel, looked up again (the panel may have re-rendered after the editor closed). */
async function panelWithSnippet(w: Workbench): Promise<Locator> {
  const panel = await w.webviewFrame('workbench');
  const snippet = panel.locator('cw-snippet').first();
  await snippet.waitFor({ timeout: 15_000 });
  await snippet.scrollIntoViewIfNeeded();
  return snippet;
}

test('The lesson in the Light and Dark Modern themes, and the crash diagram in Dark High Contrast', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-themes', async () => {
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await showCrashVariant(panel);
    await lostRows(fig).first().click();
    for (const theme of ['Light Modern', 'Dark Modern'] as const) {
      const suffix = theme.startsWith('Light') ? 'light' : 'dark';
      await w.setColorTheme(theme);
      await panel.locator(`body.${suffix === 'light' ? 'vscode-light' : 'vscode-dark'}`).waitFor({ timeout: 10_000 });
      await panel.locator('h1.cw-section-title').scrollIntoViewIfNeeded();
      await w.parkMouse();
      await w.screenshot(`lesson-${suffix}`);
      // The diagram around the crash: the LOST LATER writes above it, the LOST ones below.
      await fig.locator('g.cw-row.cw-mark-crash').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await w.screenshot(`diagram-crash-${suffix}`);
    }
    // High contrast: the current step is outlined in the theme's contrast border instead of filled.
    const currentBand = fig.locator('g.cw-row.cw-current .cw-row-bg');
    const band = async (): Promise<{ fill: string; stroke: string }> =>
      currentBand.evaluate((el) => ({ fill: getComputedStyle(el).fill, stroke: getComputedStyle(el).stroke }));
    assert.notEqual((await band()).fill, 'none', 'Dark Modern fills the current step');
    await w.setColorTheme('Dark High Contrast');
    await panel.locator('body.vscode-high-contrast').waitFor({ timeout: 10_000 });
    const contrastBorder = await panel.locator('body').evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-contrastActiveBorder').trim());
    assert.ok(contrastBorder !== '', 'the theme defines a contrast border');
    const hc = await band();
    assert.equal(hc.fill, 'none', 'High Contrast outlines the current step');
    assert.notEqual(hc.stroke, 'none');
    await fig.locator('g.cw-row.cw-mark-crash').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await w.parkMouse();
    await w.screenshot('diagram-crash-hc');
    await w.setColorTheme('Dark Modern');

    // Scrolled down to the crash, the page navigation is still at the top and the section list sticks just below it.
    const layout = await panel.locator('.cw-pages').evaluate((pages) => {
      const sections = document.querySelector('.cw-nav');
      return { scrolled: window.scrollY, top: pages.getBoundingClientRect().top, bottom: pages.getBoundingClientRect().bottom, sectionsTop: sections?.getBoundingClientRect().top };
    });
    assert.ok(layout.scrolled > 0, 'the lesson page is scrolled down to the crash');
    assert.equal(layout.top, 0, 'the page navigation sticks to the top of the panel');
    assert.ok(layout.sectionsTop !== undefined && Math.abs(layout.sectionsTop - layout.bottom) <= 1, `the section list sticks just below it (${layout.sectionsTop} against ${layout.bottom})`);
    await w.setColorTheme('Light Modern');
  });
});

/**
 * Changes the workspace's settings as a learner does in .vscode/settings.json (undefined removes a key); VS Code picks
 * the file up and tells the extension.
 */
function setWorkspaceSettings(w: Workbench, changes: Record<string, unknown>): void {
  const dir = join(w.workspace, '.vscode');
  const path = join(dir, 'settings.json');
  mkdirSync(dir, { recursive: true });
  const settings = (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete settings[key];
    else settings[key] = value;
  }
  writeFileSync(path, JSON.stringify(settings, null, 2));
}

test('The lesson in a narrow editor: no section runs past the panel\'s edge, and the hybrid\'s snippet runs', { timeout: 150_000 }, async () => {
  const w = workbench();
  const wide = w.page.viewportSize() ?? { width: 1400, height: 900 };
  await journey(w, 'lesson-narrow', async () => {
    // Beside the 300 px sidebar the panel is some 350 px wide: a phone-sized column, as in a split editor.
    await w.page.setViewportSize({ width: 700, height: wide.height });
    const panel = await openSectionFromSidebar(w, LESSON_SECTIONS[0]?.id ?? '');
    for (const [i, s] of LESSON_SECTIONS.entries()) {
      await panel.locator('button.cw-nav-item').nth(i).click();
      await sectionHeading(panel, s.id).waitFor({ timeout: 15_000 });
      // Every diagram has its trace (the page's width is measured with them laid out).
      const figures = panel.locator('cw-lesson cw-diagram-slot');
      for (let f = 0; f < await figures.count(); f++) await figures.nth(f).locator('.cw-step-count').waitFor({ timeout: 30_000 });
      const page = await panel.locator('body').evaluate(() => {
        const width = document.documentElement.clientWidth;
        // What sticks out: buttons whose label does not fit (a diagram, a table and code scroll inside their own box).
        const past = [...document.querySelectorAll('vscode-button')].filter((b) => b.getBoundingClientRect().right > width + 1)
          .map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim());
        return { width, scrollWidth: document.documentElement.scrollWidth, past };
      });
      assert.ok(page.width < 400, `the panel is narrow (${page.width} px)`);
      assert.deepEqual(page.past, [], `section ${i + 1} (${s.id}): buttons past the panel's edge`);
      assert.ok(page.scrollWidth <= page.width, `section ${i + 1} (${s.id}) scrolls sideways: ${page.scrollWidth} px wide in ${page.width}`);
      if (s.id === 'write-around') {
        await panel.locator('nav.cw-pager').scrollIntoViewIfNeeded();
        await w.screenshot('lesson-narrow-pager');
      }
      if (s.strategy === 'write-through+cache-aside') {
        // The hybrid's Run it shows its scenario's diagram (its request was refused once: the strategy's "+").
        const snippet = panel.locator('cw-snippet').first();
        await snippet.locator('vscode-button', { hasText: 'Run it' }).click();
        const run = snippet.locator('cw-diagram-slot');
        const file = findSnippet('write-through+cache-aside', 'typescript')?.scenario ?? '';
        const steps = scenarioFacts(file).steps.length;
        await run.locator('.cw-step-count', { hasText: `of ${steps}` }).waitFor({ timeout: 15_000 });
        await run.locator('figcaption', { hasText: file }).waitFor({ timeout: 5_000 });
      }
    }
  }).finally(async () => {
    await w.page.setViewportSize(wide);
  });
});

test('The lesson after a window reload: the panel comes back by itself (its serializer) at its section, with the diagram\'s variant and step', { timeout: 150_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-reload', async () => {
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await showCrashVariant(panel);
    await fig.locator('vscode-button[aria-label="First step"]').click();
    for (let i = 0; i < 4; i++) await fig.locator('vscode-button[aria-label="Step forward"]').click();
    await waitUntil(async () => (await diagramStep(fig))[0] === 5, 'step 5');
    // The page keeps its state with setState as it changes; wait until the step is in it.
    const slotKey = await fig.evaluate((el) => (el as HTMLElement & { slotKey: string }).slotKey);
    await waitUntil(async () => (await panel.locator('cw-workbench').evaluate((el, key) =>
      (el as HTMLElement & { uiState: { diagrams: Record<string, { step: number }> } }).uiState.diagrams[key]?.step, slotKey)) === 4, 'the step to be saved');

    // Developer: Reload Window (typed into the palette: the page goes away under the command).
    const loaded = w.page.waitForEvent('load', { timeout: 60_000 });
    await w.page.keyboard.press('F1');
    await w.quickInput.locator('.quick-input-box input').fill('>Developer: Reload Window');
    await w.quickInput.locator('.monaco-list-row[aria-label^="Developer: Reload Window"]').first().click();
    await loaded;
    await w.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    // No command runs: VS Code restores the panel through the extension's WebviewPanelSerializer.
    await w.editorTabs('Cache Workbench').first().waitFor({ timeout: 60_000 });
    await w.focusEditorTab('Cache Workbench');
    const restored = await panelWith(w, 'cw-lesson cw-diagram-slot .cw-step-count', 60_000);
    await sectionHeading(restored, WB.section.id).waitFor({ timeout: 15_000 });
    const again = await diagram(restored, 0);
    await again.locator('.cw-step-count', { hasText: `of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await diagramStep(again), [5, CRASH.steps.length], 'the step shown before the reload');
    assert.equal(await again.locator('vscode-radio[value="crash-before-flush"]').evaluate((r) => (r as HTMLElement & { checked: boolean }).checked), true);
    await again.locator('figcaption', { hasText: CRASH.file }).waitFor({ timeout: 5_000 });
    assert.equal(await w.editorTabs('Cache Workbench').count(), 1, 'one workbench panel');
  });
});

test('The lesson with reduced motion: a diagram shows whole at once, never plays by itself and draws no moving highlight; VS Code\'s own setting counts', { timeout: 150_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-reduced-motion', async () => {
    try {
      setWorkspaceSettings(w, { 'cacheWorkbench.animation.reducedMotion': 'on' });
      const panel = await openSectionFromSidebar(w, WB.section.id);
      let fig = await diagram(panel, 0);
      await fig.locator('.cw-diagram.cw-reduced-motion').waitFor({ timeout: 30_000 });
      // A variant switched to appears at its last step, and stays there: nothing plays by itself.
      await fig.locator('vscode-radio', { hasText: 'Crash before flush' }).click();
      await fig.locator('.cw-step-count', { hasText: `Step ${CRASH.steps.length} of ${CRASH.steps.length}` }).waitFor({ timeout: 15_000 });
      await w.page.waitForTimeout(1_500); // longer than one step of playback at any speed
      assert.deepEqual(await diagramStep(fig), [CRASH.steps.length, CRASH.steps.length]);
      assert.equal(await fig.locator('vscode-button.cw-play').getAttribute('aria-label'), 'Play');
      // Stepping by hand to a hop between two lanes moves the highlight without the travelling sweep.
      const hop = CRASH.steps.findIndex((st) => st.from !== st.to);
      assert.ok(hop > 0);
      const toHop = async (): Promise<void> => {
        await fig.locator('vscode-button[aria-label="First step"]').click();
        for (let i = 0; i < hop; i++) await fig.locator('vscode-button[aria-label="Step forward"]').click();
        await waitUntil(async () => (await diagramStep(fig))[0] === hop + 1, `step ${hop + 1}`);
      };
      await toHop();
      assert.equal(await fig.locator('g.cw-row.cw-current').getAttribute('data-seq'), String(CRASH.steps[hop]?.seq));
      assert.equal(await fig.locator('.cw-travel').count(), 0, 'no travelling highlight');

      // Run it: the run's diagram shows whole too, instead of playing once it scrolls into view.
      const live = await panelWithSnippet(w);
      await live.locator('vscode-button', { hasText: 'Run it' }).click();
      const run = live.locator('cw-diagram-slot');
      await run.locator('.cw-step-count', { hasText: `Step ${SNIPPET_RUN.steps.length} of ${SNIPPET_RUN.steps.length}` }).waitFor({ timeout: 15_000 });
      await run.locator('.cw-diagram-controls').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await w.page.waitForTimeout(1_500);
      assert.deepEqual(await diagramStep(run), [SNIPPET_RUN.steps.length, SNIPPET_RUN.steps.length], 'the run did not play by itself');

      // Ours on `auto` follows VS Code's own Reduce Motion setting...
      setWorkspaceSettings(w, { 'cacheWorkbench.animation.reducedMotion': undefined, 'workbench.reduceMotion': 'on' });
      await w.page.waitForTimeout(1_000);
      fig = await diagram(panel, 0);
      assert.equal(await fig.locator('.cw-diagram.cw-reduced-motion').count(), 1, 'workbench.reduceMotion on reduces motion');
      // ...and with both off the diagram animates again.
      setWorkspaceSettings(w, { 'workbench.reduceMotion': 'off' });
      await waitUntil(async () => (await fig.locator('.cw-diagram.cw-reduced-motion').count()) === 0, 'the diagram to animate again', 15_000);
      await toHop();
      await fig.locator('line.cw-travel').first().waitFor({ state: 'attached', timeout: 5_000 });
    } finally {
      setWorkspaceSettings(w, { 'cacheWorkbench.animation.reducedMotion': undefined, 'workbench.reduceMotion': undefined });
    }
  });
});

test('The lesson: the Lost reply variant shows the flush sent again after its reply was lost', { timeout: 90_000 }, async () => {
  const w = workbench();
  const LOST = scenarioFacts(DIAGRAM_SCENARIOS['write-behind']['lost-reply'] ?? '');
  const flushes = LOST.steps.filter((s) => s.action === 'db.batch');
  assert.deepEqual(flushes.map((s) => s.replyLost === true), [true, false], 'x08: the first flush loses its reply, the second lands');
  const panel = await openSectionFromSidebar(w, WB.section.id);
  const fig = await diagram(panel, 0);
  await pauseDiagram(fig);
  await fig.locator('vscode-radio', { hasText: 'Lost reply' }).click();
  await fig.locator('.cw-step-count', { hasText: `of ${LOST.steps.length}` }).waitFor({ timeout: 15_000 });
  await fig.locator('figcaption', { hasText: LOST.file }).waitFor({ timeout: 5_000 });
  const labels = (await fig.locator('g.cw-row .cw-label').allTextContents()).map((t) => t.trim());
  assert.deepEqual(labels.filter((t) => t.startsWith('flush')), ['flush 3 writes, no reply', 'flush 4 writes'], labels.join(' | '));
  // The flush sent again carries the writes the first one committed: its badge says they were applied again.
  await fig.locator(`g.cw-row.cw-mark-again[data-seq="${flushes[1]?.seq ?? 0}"]`).waitFor({ timeout: 5_000 });
  assert.equal(await fig.locator('g.cw-row.cw-mark-again').count(), 1);
  const row = fig.locator(`g.cw-row[data-seq="${flushes[0]?.seq ?? 0}"]`);
  await row.click();
  await fig.locator('.cw-step-info', { hasText: 'its reply was lost' }).waitFor({ timeout: 5_000 });
  await row.scrollIntoViewIfNeeded();
  await w.screenshot('diagram-lost-reply-variant');
});

test('The lesson: the Dirty read variant marks the read that returned a write whose commit then failed', { timeout: 90_000 }, async () => {
  const w = workbench();
  const DIRTY = scenarioFacts(DIAGRAM_SCENARIOS['write-through']['dirty-read'] ?? '');
  const read = DIRTY.steps.find((s) => s.client === 'bob' && s.action === 'ack');
  assert.equal(read?.value !== undefined && JSON.stringify(read.value), '{"price":12}', 'x14: bob reads the price still being written');
  const panel = await openSectionFromSidebar(w, section('write-through').section.id);
  const fig = await diagram(panel, 0);
  await pauseDiagram(fig);
  await fig.locator('vscode-radio', { hasText: 'Dirty read' }).click();
  await fig.locator('.cw-step-count', { hasText: `of ${DIRTY.steps.length}` }).waitFor({ timeout: 15_000 });
  await fig.locator('figcaption', { hasText: DIRTY.file }).waitFor({ timeout: 5_000 });
  // The mark is read off the whole trace: the read's row carries it before its writer's error is reached.
  const row = fig.locator(`g.cw-row.cw-mark-dirty[data-seq="${read?.seq ?? 0}"]`);
  await row.waitFor({ timeout: 5_000 });
  assert.equal(await fig.locator('g.cw-row.cw-mark-dirty').count(), 1);
  await row.click();
  await fig.locator('.cw-step-info .cw-badge-dirty', { hasText: 'DIRTY READ' }).waitFor({ timeout: 5_000 });
  await fig.locator('.cw-step-info', { hasText: 'its writer has not been acknowledged yet' }).waitFor({ timeout: 5_000 });
  await row.scrollIntoViewIfNeeded();
  await w.screenshot('diagram-dirty-read-variant');
});

test('The lesson: the Write delay variant shows two writes the flush at 1 s leaves queued, stored at 2 s', { timeout: 90_000 }, async () => {
  const w = workbench();
  const DELAY = scenarioFacts(DIAGRAM_SCENARIOS['write-behind']['write-delay'] ?? '');
  const flushes = DELAY.steps.filter((s) => s.action === 'db.batch');
  assert.deepEqual(flushes.map((s) => s.time), [2010, 2020], 'x15: nothing is stored at 1 s');
  const queued = DELAY.steps.find((s) => s.action === 'queue.enqueue' && s.key === 'stock:2');
  const panel = await openSectionFromSidebar(w, WB.section.id);
  const fig = await diagram(panel, 0);
  await pauseDiagram(fig);
  await fig.locator('vscode-radio', { hasText: 'Write delay' }).click();
  await fig.locator('.cw-step-count', { hasText: `of ${DELAY.steps.length}` }).waitFor({ timeout: 15_000 });
  await fig.locator('figcaption', { hasText: DELAY.file }).waitFor({ timeout: 5_000 });
  // The write at 900 ms: its step says how long its delay holds it.
  const row = fig.locator(`g.cw-row[data-seq="${queued?.seq ?? 0}"]`);
  await row.click();
  await fig.locator('.cw-step-info', { hasText: 'its write delay holds it until 1901ms' }).waitFor({ timeout: 5_000 });
  await row.scrollIntoViewIfNeeded();
  await w.screenshot('diagram-write-delay-variant');
});

test('The lesson: Predict hides the steps ahead and asks before each key step of the crash; answers are checked against the trace', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-predict', async () => {
    const steps = CRASH.steps as unknown as Parameters<typeof predictionFor>[0];
    const asked = steps.flatMap((_, i) => (predictionFor(steps, i) === null ? [] : [i]));
    const crashAt = steps.findIndex((s) => s.action === 'crash');
    assert.ok(asked.length >= 3 && asked.includes(crashAt), `C8 asks about its crash (asked at ${asked.join(', ')})`);
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await showCrashVariant(panel);
    await fig.locator('vscode-button[aria-label="First step"]').click();
    await waitUntil(async () => (await diagramStep(fig))[0] === 1, 'step 1');

    const toggle = fig.locator('vscode-button.cw-predict-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    await waitUntil(async () => (await toggle.getAttribute('aria-pressed')) === 'true', 'Predict to turn on');
    // Only the steps reached are drawn, in the diagram and in its step list: the rest would give the answers away.
    assert.equal(await fig.locator('g.cw-row').count(), 1);
    assert.equal(await fig.locator('ol.cw-steps-list li').count(), 1);

    // End, from the keyboard, stops before the first step to predict, and the keyboard goes to its first answer.
    const scroll = fig.locator('.cw-diagram-scroll');
    await scroll.focus();
    await w.page.keyboard.press('End');
    const first = asked[0] as number;
    const question = fig.locator('.cw-predict-question');
    await question.waitFor({ timeout: 5_000 });
    assert.match((await question.textContent()) ?? '', new RegExp(`Predict step ${first + 1}\\b`));
    assert.deepEqual(await diagramStep(fig), [first, steps.length], 'the step before the question is the current one');
    assert.equal(await fig.locator('g.cw-row').count(), first);
    await waitUntil(async () => fig.locator('.cw-predict-option').first().evaluate((e) => e === document.activeElement), 'the first answer to take focus');
    assert.match(((await fig.locator('.cw-live').textContent()) ?? '').trim(), new RegExp(`^Predict step ${first + 1} of ${steps.length}: `));

    // Enter on the first answer: the step shows, with a verdict the trace decides.
    const q1 = predictionFor(steps, first);
    assert.ok(q1);
    await w.page.keyboard.press('Enter');
    await waitUntil(async () => (await diagramStep(fig))[0] === first + 1, 'the answered step to show');
    const right1 = q1.options[0].id === q1.correct;
    const verdict = fig.locator('.cw-predict-verdict');
    assert.match(((await verdict.textContent()) ?? '').replace(/\s+/g, ' ').trim(), new RegExp(`^${right1 ? 'Right\\.' : 'Not this time\\.'}.*${right1 ? 1 : 0} of 1 prediction right$`));
    await waitUntil(async () => scroll.evaluate((e) => e === document.activeElement), 'the keyboard to come back to the diagram');

    // On to the crash: each key step asks in turn; the learner answers right each time (clicking the answer).
    let rightSoFar = right1 ? 1 : 0;
    for (const i of asked.filter((x) => x > first && x <= crashAt)) {
      // One step on (the Right arrow) shows a step that asks nothing; End goes on up to the next question.
      const [at] = await diagramStep(fig);
      if (at < i) {
        await w.page.keyboard.press('ArrowRight');
        await waitUntil(async () => (await diagramStep(fig))[0] === at + 1, `the Right arrow to show step ${at + 1}`);
        assert.equal(await fig.locator('.cw-predict').count(), 0, `step ${at + 1} asks nothing`);
      }
      await w.page.keyboard.press('End');
      await fig.locator('.cw-predict-question', { hasText: `Predict step ${i + 1}` }).waitFor({ timeout: 5_000 });
      const q = predictionFor(steps, i);
      assert.ok(q);
      if (i === crashAt) {
        await fig.locator('.cw-predict').scrollIntoViewIfNeeded();
        await w.screenshot('diagram-predict-question');
      }
      await fig.locator(`.cw-predict-option[data-option="${q.correct}"]`).click();
      rightSoFar++;
      await waitUntil(async () => (await diagramStep(fig))[0] === i + 1, `step ${i + 1} to show`);
      await scroll.focus();
    }
    const answered = asked.filter((x) => x <= crashAt).length;
    assert.equal(((await fig.locator('.cw-predict-score').textContent()) ?? '').trim(), `${rightSoFar} of ${answered} predictions right`);
    assert.match(((await verdict.textContent()) ?? '').trim(), /^Right\./);
    assert.equal(await fig.locator('.cw-step-info .cw-badge-lost').count(), 1, 'the crash, shown once predicted, carries its LOST mark');
    // The writes it loses are still to be shown: their earlier steps carry no LOST LATER mark yet, which would have
    // answered the crash's question before it was asked.
    assert.equal(await fig.locator('g.cw-row.cw-mark-doomed').count(), 0);
    await fig.locator('.cw-step-info').scrollIntoViewIfNeeded();
    await w.screenshot('diagram-predict');

    // Predict off: every step is drawn again, and no question is open.
    await toggle.click();
    await waitUntil(async () => (await fig.locator('g.cw-row').count()) === steps.length, 'every row to show again');
    assert.ok((await fig.locator('g.cw-row.cw-mark-doomed').count()) > 0, 'the LOST LATER marks are back');
    assert.equal(await fig.locator('.cw-predict').count(), 0);
    assert.equal(await fig.locator('.cw-predict-verdict').count(), 0);
  });
});
