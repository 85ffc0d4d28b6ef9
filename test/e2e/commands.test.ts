// The packaged extension in a real VS Code, driven like a learner: every contributed command from the palette by its
// title, and what it really does (the lesson panel, the example picker and editor, a run's report, a debug session, the
// Reset Progress confirmation), then the activity-bar Lesson view and the extension's activation time.
// Screenshots go to artifacts/e2e/ (commands-*.png).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import { EXAMPLES } from '../../src/scenario/examples';
import type { Workbench } from './harness';
import { workbenchForFile } from './harness';
import { journey, lessonView, panelStarted, panelWith, scenarioFacts, sectionHeading, sidebarReadCount, waitUntil } from './journeys';

const C8 = scenarioFacts('c08-write-behind-crash-loses-writes.cachescenario');
const FIRST = LESSON_SECTIONS[0];
const LAST = LESSON_SECTIONS[LESSON_SECTIONS.length - 1];

const workbench = workbenchForFile({ name: 'commands', tidy: true });

/** Opens C8 through Open Example Scenario (unless its editor is already there) and makes it the active editor. */
async function openC8(w: Workbench): Promise<void> {
  if ((await w.editorTabs(C8.file).count()) === 0) {
    await w.pickFromCommand('Open Example Scenario', 'C8:', 'C8: Write-behind loses');
  } else {
    await w.focusEditorTab(C8.file);
  }
  await w.activeTab().filter({ hasText: C8.file }).waitFor({ timeout: 20_000 });
}

test('palette: Open Lesson opens the lesson at its first section, and later where the learner left off', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-open-lesson', async () => {
    assert.ok(FIRST && LAST);
    await w.runCommand('Open Lesson');
    await panelStarted(w, () => w.runCommand('Open Lesson'));
    let panel = await panelWith(w, 'h1.cw-section-title');
    await sectionHeading(panel, FIRST.id).waitFor({ timeout: 10_000 });
    await w.activeTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
    assert.match((await panel.locator('.cw-kicker').first().textContent()) ?? '', new RegExp(`Section 1 of ${LESSON_SECTIONS.length}`));
    // Open Lesson also reveals the sidebar Lesson view.
    await w.webviewFrame('sidebar', 10_000);
    await w.parkMouse();
    await w.screenshot('commands-open-lesson-first');

    // Read the last section (from the panel's own section list), close the panel, and open the lesson again.
    await panel.locator('button.cw-nav-item', { hasText: LAST.title }).click();
    await sectionHeading(panel, LAST.id).waitFor({ timeout: 10_000 });
    await w.closeAllEditors();
    await w.runCommand('Open Lesson');
    panel = await panelWith(w, 'h1.cw-section-title');
    await sectionHeading(panel, LAST.id).waitFor({ timeout: 10_000 });
    await w.parkMouse();
    await w.screenshot('commands-open-lesson-last');
  });
});

test('palette: Open Workbench opens the workbench panel, and reveals the same one when run again', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-open-workbench', async () => {
    await w.runCommand('Open Workbench');
    await panelWith(w, '.cw-app h1');
    await w.activeTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
    // Another editor in front, then the command again: the one panel comes back, no second one.
    await openC8(w);
    await w.runCommand('Open Workbench');
    await w.activeTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
    assert.equal(await w.editorTabs('Cache Workbench').count(), 1, 'one workbench panel');
    await panelWith(w, '.cw-app h1');
  });
});

for (const c of [
  { title: 'Compare Strategies', route: 'compare' },
  { title: 'Take Knowledge Check', route: 'quiz' },
] as const) {
  // Their content is asserted by quiz.test.ts; here: the command opens the panel on its page, with no error.
  test(`palette: ${c.title} opens the workbench panel on its page without error`, { timeout: 60_000 }, async () => {
    const w = workbench();
    await journey(w, `commands-${c.route}`, async () => {
      await w.runCommand(c.title);
      await panelWith(w, `.cw-app[data-route="${c.route}"]`);
      await w.activeTab().filter({ hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
      assert.equal(await w.errorNotifications().count(), 0, 'no error notification');
    });
  });
}

test('palette: Open Example Scenario lists the bundled scenarios by claim; picking C8 opens it in an editor', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-open-example', async () => {
    const pick = await w.runCommandWithPicker('Open Example Scenario');
    assert.equal((await pick.locator('.quick-input-title').textContent())?.trim(), 'Open Example Scenario');
    const rows = pick.locator('.monaco-list-row');
    // The list is virtualised: every row says how many items there are, and the first ones are the claims in order.
    assert.equal(Number(await rows.first().getAttribute('aria-setsize')), EXAMPLES.length, 'one item per bundled scenario');
    assert.match((await rows.first().textContent()) ?? '', /Claims of the lesson/);
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    const claims = EXAMPLES.filter((e) => e.claim !== 'extra');
    for (const [i, label] of shown.slice(0, 5).entries()) {
      const e = claims[i];
      assert.ok(e && label.startsWith(`${e.claim}: ${e.title}`), `row ${i + 1} is "${label}", expected ${e?.claim}: ${e?.title}`);
    }
    await w.parkMouse();
    await w.screenshot('commands-open-example-pick');

    await w.pickQuickItem('C8:', 'C8: Write-behind loses');
    await w.activeTab().filter({ hasText: C8.file }).waitFor({ timeout: 20_000 });
    assert.equal(await w.activeEditorLanguage(), 'Cache Scenario');
    await w.page.locator('.monaco-editor .view-lines', { hasText: C8.lines[0] ?? '' }).first().waitFor({ timeout: 10_000 });
    await w.page.locator('.monaco-editor .view-lines', { hasText: 'crash cache' }).first().waitFor({ timeout: 10_000 });
  });
});

test('palette: Run Scenario on the C8 editor reports its expectations and prints the report', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-run-scenario', async () => {
    await openC8(w);
    await w.runCommand('Run Scenario');
    const toast = w.notification(/expectations? held/);
    await toast.waitFor({ timeout: 30_000 });
    const text = ((await toast.textContent()) ?? '').trim();
    // The outcome first (a toast cut short still says it), then the file's name, never an absolute path.
    assert.ok(text.startsWith(`${C8.expectations} expectations held`), `toast "${text}", expected it to start with ${C8.expectations} expectations held`);
    assert.ok(text.includes(C8.file), `the toast names the scenario: "${text}"`);
    assert.ok(!text.includes(`/${C8.file}`), `the toast shows no path: "${text}"`);
    // The report goes to the "Cache Workbench" output channel, which comes up in the panel.
    const output = w.page.locator('.part.panel .view-lines', { hasText: `ok: ${C8.expectations} expectations held` }).first();
    await output.waitFor({ timeout: 15_000 });
    assert.match((await w.page.locator('.part.panel .view-lines').first().textContent()) ?? '', new RegExp(`lost\\s+writes\\s+${C8.lostWrites}\\D`));
    await w.parkMouse();
    await w.screenshot('commands-run-scenario');
    // Above the summary, the report holds the trace and every expectation's verdict: read it from the top, a page at a
    // time (the editor draws only the lines in view).
    const shownText = async (): Promise<string> => ((await w.page.locator('.part.panel .view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    await w.page.locator('.part.panel .view-line', { hasText: `ok: ${C8.expectations} expectations held` }).first().click();
    await w.page.keyboard.press('Control+Home');
    await waitUntil(async () => /seq\s+time\s+line\s+client/.test(await shownText()), 'the trace table\'s header at the top of the output');
    const seen = new Set<string>();
    const verdicts = new Set<number>();
    for (let i = 0; i < 20 && verdicts.size < C8.expectations; i++) {
      const text = await shownText();
      for (const action of ['db.write', 'cache.set', 'queue.enqueue', 'db.batch', 'crash', 'queue.lost', 'cache.get']) if (new RegExp(`\\s${action.replace('.', '\\.')}\\s`).test(text)) seen.add(action);
      for (const m of text.matchAll(/ok\s+line (\d+): /g)) verdicts.add(Number(m[1]));
      await w.page.keyboard.press('PageDown');
      await w.page.waitForTimeout(100);
    }
    assert.deepEqual([...seen].sort(), ['cache.get', 'cache.set', 'crash', 'db.batch', 'db.write', 'queue.enqueue', 'queue.lost'], 'the trace\'s steps are in the output');
    const expectLines = C8.lines.flatMap((l, i) => (/^\s*expect\b/.test(l) ? [i + 1] : []));
    assert.deepEqual([...verdicts].sort((a, b) => a - b), expectLines, 'every expectation\'s verdict is in the output');
  });
});

test('palette: Step Through Scenario starts the debugger on C8; the toolbar stops it', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-step-through', async () => {
    await openC8(w);
    await w.runCommand('Step Through Scenario');
    await w.debugToolbar.waitFor({ timeout: 30_000 });
    for (const action of ['step-over', 'step-back', 'stop']) await w.debugButton(action).waitFor({ timeout: 10_000 });
    // Stopped on entry, at the file's first statement.
    await waitUntil(async () => (await w.currentDebugLine()) === C8.firstStatementLine, `the current line to be ${C8.firstStatementLine}`, 15_000);
    await w.parkMouse();
    await w.screenshot('commands-step-through');
    await w.stopDebugging();
    assert.equal(await w.currentDebugLine(), null, 'no current line once stopped');
  });
});

/**
 * Types a misspelt statement (`xwrite k 1`) on the open scenario's last, empty line, left unsaved, waits for its
 * squiggle, and puts the cursor back at the top (so a selection that follows is the error's doing).
 */
async function typeErrorAtEnd(w: Workbench): Promise<void> {
  await w.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await w.page.keyboard.press('Control+End');
  await w.page.keyboard.type('xwrite k 1');
  await w.page.keyboard.press('Escape');
  await w.page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
  await w.page.keyboard.press('Control+Home');
}

/**
 * What a refused Step Through says, from the palette or from F5: a notification with the error count, the file's name
 * and Show Problems, the error's word (line `errorLine`, after `x`) selected, no modal dialog of the failed launch
 * (absolute paths, "Open 'launch.json'"), and no debug session.
 */
async function expectStepThroughRefused(w: Workbench, errorLine: number): Promise<void> {
  await w.notification(`1 error — ${C8.file}: fix it to step through the scenario.`).waitFor({ timeout: 15_000 });
  await w.page.locator('.notifications-toasts .monaco-button', { hasText: 'Show Problems' }).first().waitFor({ timeout: 5_000 });
  await w.page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${errorLine}, Col 7 (6 selected)` }).waitFor({ timeout: 10_000 });
  await w.page.waitForTimeout(1_500);
  assert.equal(await w.page.locator('.monaco-dialog-box').count(), 0, 'no modal dialog');
  assert.equal(await w.debugToolbar.isVisible(), false, 'no debug session started');
}

test('palette: Step Through Scenario on a scenario with an error says so as Run Scenario does, and starts no session', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-step-through-errors', async () => {
    await openC8(w);
    // A misspelt statement on the last line, left unsaved: the debugger would record the editor's text.
    const errorLine = C8.lines.length;
    assert.equal(C8.lines[errorLine - 1], '', 'C8 ends with a newline');
    await typeErrorAtEnd(w);
    await w.runCommand('Step Through Scenario');
    // The count and the file's name, with Show Problems, as Run Scenario says it; the error's word is selected.
    await expectStepThroughRefused(w, errorLine);
    await w.parkMouse();
    await w.screenshot('commands-step-through-errors');
  });
});

test('F5 with a launch.json on a scenario with an error says so as Step Through Scenario does, and starts no session', { timeout: 90_000 }, async () => {
  const w = workbench();
  // The configuration VS Code's "create a launch.json file" writes for this debugger (its `${file}` is the active editor).
  const launchJson = join(w.workspace, '.vscode', 'launch.json');
  const name = 'Step through with launch.json';
  mkdirSync(dirname(launchJson), { recursive: true });
  writeFileSync(launchJson, JSON.stringify({ version: '0.2.0', configurations: [{ type: 'cachescenario', request: 'launch', name, program: '${file}', stopOnEntry: true }] }, null, 2));
  try {
    await journey(w, 'commands-f5-launch-json-errors', async () => {
      // F5 runs the configuration the Run and Debug view has selected: wait until that is launch.json's.
      await w.showActivity('Run and Debug');
      await waitUntil(async () => ((await w.page.locator('.part.sidebar .composite.title').textContent()) ?? '').includes(name), `the Run and Debug view to select "${name}"`);
      await openC8(w);
      const errorLine = C8.lines.length;
      await typeErrorAtEnd(w);
      await w.page.keyboard.press('F5');
      // As Step Through Scenario says it, not the failed launch's modal dialog, though launch.json is fine.
      await expectStepThroughRefused(w, errorLine);
      await w.parkMouse();
      await w.screenshot('commands-f5-launch-json-errors');
    });
  } finally {
    rmSync(dirname(launchJson), { recursive: true, force: true });
  }
});

test('palette: Reset Progress asks in a modal dialog; Cancel keeps progress, Reset Progress clears it', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-reset-progress', async () => {
    // Some progress first: opening the lesson marks the section shown as read.
    await w.runCommand('Open Lesson');
    await panelWith(w, 'h1.cw-section-title');
    const view = await lessonView(w);
    await waitUntil(async () => (await sidebarReadCount(view)) > 0, 'a section marked read');
    const read = await sidebarReadCount(view);

    await w.runCommand('Reset Progress');
    const dialog = w.dialog('Reset your Cache Workbench progress?');
    await dialog.waitFor({ timeout: 20_000 });
    assert.deepEqual((await dialog.locator('.monaco-button').allTextContents()).map((t) => t.trim()).sort(), ['Cancel', 'Reset Progress']);
    await w.parkMouse();
    await w.screenshot('commands-reset-progress-modal');
    await w.dialogButton('Cancel').click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await w.page.waitForTimeout(300); // settle: a reset would reach the sidebar within a few ms
    assert.equal(await sidebarReadCount(view), read, 'Cancel keeps the progress');

    await w.runCommand('Reset Progress');
    await dialog.waitFor({ timeout: 20_000 });
    await w.dialogButton('Reset Progress').click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await waitUntil(async () => (await sidebarReadCount(view)) === 0, 'the sidebar to show 0 sections read');
  });
});

test('activity bar: the Cache Workbench container shows the Lesson view with every section', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-lesson-view', async () => {
    const view = await lessonView(w);
    // A container with one view shows "<container>: <view>" as its title.
    const title = ((await w.page.locator('.sidebar .composite.title').first().textContent()) ?? '').trim();
    assert.match(title, /Cache Workbench/i);
    assert.match(title, /Lesson/i);
    const items = (await view.locator('button.cw-side-item').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(items, LESSON_SECTIONS.map((s, i) => `${i + 1}. ${s.title}`));
    await w.parkMouse();
    await w.screenshot('commands-lesson-view');
    // Its main button starts (or continues) the lesson in the panel.
    await view.locator('vscode-button.cw-side-continue').click();
    await panelWith(w, '.cw-app[data-route="lesson"] h1.cw-section-title');
  });
});

test('Developer: Show Running Extensions lists Cache Workbench with its activation time', { timeout: 60_000 }, async () => {
  const w = workbench();
  await journey(w, 'commands-running-extensions', async () => {
    await w.runCommand('Developer: Show Running Extensions');
    const list = w.page.locator('.runtime-extensions-editor .monaco-list');
    await list.waitFor({ timeout: 20_000 });
    const row = w.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Cache Workbench' }).first();
    // Rows are sorted by activation time and virtualised: scroll until ours is rendered.
    assert.ok(await w.scrollListTo(list, row), 'Cache Workbench is among the running extensions');
    const text = ((await row.locator('.activation-time').textContent()) ?? '').trim();
    const ms = Number(/(\d+)\s*ms/.exec(text)?.[1] ?? NaN);
    assert.ok(Number.isFinite(ms), `no activation time in "${text}"`);
    console.log(`activation: ${ms} ms in code-server's Running Extensions (${text})`);
    await w.parkMouse();
    await w.screenshot('commands-running-extensions');
  });
});
