// Issue "The lesson": a learner opens the write-behind section from the sidebar, plays its diagram, switches to the
// crash-before-flush variant and finds the lost writes marked (checked against the scenario's own run), reads the step
// list, opens the TypeScript snippet in an editor and runs it; the sidebar shows the section as read. Screenshots in the
// Light and Dark Modern themes go to artifacts/e2e/ (lesson-*.png, diagram-crash-*.png, snippet-*.png).
import { after, before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import { findSnippet } from '../../src/lesson/snippets';
import { DIAGRAM_SCENARIOS } from '../../src/views/traces';
import { Workbench } from './harness';
import {
  diagram, diagramStep, journey, lessonView, openSectionFromSidebar, panelWith, pauseDiagram, scenarioFacts, section, sectionHeading,
  setDiagramSpeed, sidebarItem, sidebarReadCount, waitUntil,
} from './journeys';

const WB = section('write-behind');
const NORMAL = scenarioFacts(DIAGRAM_SCENARIOS['write-behind'].normal ?? '');
const CRASH = scenarioFacts(DIAGRAM_SCENARIOS['write-behind']['crash-before-flush'] ?? '');
const SNIPPET = findSnippet('write-behind', 'typescript');
const SNIPPET_RUN = scenarioFacts(SNIPPET?.scenario ?? '');

let wb: Workbench | undefined;
const workbench = (): Workbench => {
  assert.ok(wb, 'the workbench did not start');
  return wb;
};

before(async () => {
  wb = await Workbench.start({ name: 'lesson' });
  await wb.setColorTheme('Light Modern');
}, { timeout: 180_000 });

after(async () => {
  await wb?.stop();
});

beforeEach(async () => {
  await wb?.tidy();
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
    await diagram(panel, 0);
  });
});

test('The lesson: the write-behind diagram plays step by step', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-play', async () => {
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await diagram(panel, 0);
    assert.match((await fig.locator('figcaption').textContent()) ?? '', new RegExp(NORMAL.file.replace(/\./g, '\\.')));
    const play = fig.locator('vscode-button.cw-play');
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
    assert.equal(await fig.locator('g.cw-row.cw-past').count(), NORMAL.steps.length, 'every row drawn as done');
    const last = NORMAL.steps[NORMAL.steps.length - 1];
    assert.equal(await fig.locator('g.cw-row.cw-current').getAttribute('data-seq'), String(last?.seq));
    assert.equal(((await fig.locator('.cw-step-note').textContent()) ?? '').trim(), last?.note);
  });
});

test('The lesson: the crash-before-flush variant marks exactly the scenario\'s lost writes, and the step list says so too', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'lesson-crash', async () => {
    assert.ok(CRASH.lostWrites > 0 && CRASH.lostSteps.length === CRASH.lostWrites, 'C8 loses writes, one queue.lost step each');
    const panel = await openSectionFromSidebar(w, WB.section.id);
    const fig = await showCrashVariant(panel);
    assert.equal(await fig.locator('g.cw-row').count(), CRASH.steps.length);

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
    assert.deepEqual(radios, ['normal:-1', 'crash-before-flush:0', 'wal:-1', 'other-node:-1']);
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

test('The lesson in the Light and Dark Modern themes: the section and the crash diagram', { timeout: 120_000 }, async () => {
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
