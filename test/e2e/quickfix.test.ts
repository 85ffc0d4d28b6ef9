// The scenario editor's quick fixes in a real VS Code, used as a learner uses them: misspelt words get a red squiggle
// and a lightbulb; Ctrl+. lists "Change to ..." as the preferred fix, and Enter (or a click on it) applies it; a
// mistake that names no word it meant (a duration without its unit) offers no fix at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchForFile } from './harness';
import type { Workbench } from './harness';
import { journey, waitUntil } from './journeys';

const FILE = 'typos.cachescenario';
const TEXT = ['strategy write-behnid', 'at 5s wirte k 1', 'set writeBehind.flushInterval 5', 'read k', ''].join('\n');

const workbench = workbenchForFile({ name: 'quickfix' }, (w) => {
  writeFileSync(join(w.workspace, FILE), TEXT);
});

/** The active editor's text as Monaco renders it (non-breaking spaces as spaces). */
async function editorLines(w: Workbench): Promise<string[]> {
  const text = await w.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ').split('\n');
}

async function squiggles(w: Workbench): Promise<number> {
  return w.page.locator('.editor-group-container.active .monaco-editor .squiggly-error').count();
}

/** Puts the caret at LINE:COL with Go to Line (Ctrl+G), as a keyboard user does. */
async function goTo(w: Workbench, line: number, col: number): Promise<void> {
  await w.page.keyboard.press('Control+G');
  const input = w.quickInput.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(`:${line}:${col}`);
  await w.page.keyboard.press('Enter');
  await w.page.locator(`.statusbar-item[id="status.editor.selection"]`, { hasText: `Ln ${line}, Col ${col}` }).waitFor({ timeout: 5_000 });
}

/** The code action menu (Ctrl+. or a click on the lightbulb) and its rows' text, once it shows. */
function actionMenu(w: Workbench) {
  return w.page.locator('.action-widget');
}

/**
 * Opens the code action menu with `open` (Ctrl+. or a click on the lightbulb) until it lists `row`, focused when
 * `focused`: code actions are computed after the caret moves, and a press that comes first shows an empty menu or none.
 */
async function menuRow(w: Workbench, open: () => Promise<void>, row: string, focused = false) {
  const item = actionMenu(w).locator(focused ? '.monaco-list-row.focused' : '.monaco-list-row', { hasText: row }).first();
  for (let n = 1; ; n++) {
    await open();
    try {
      await item.waitFor({ state: 'visible', timeout: 4_000 });
      return item;
    } catch (err) {
      if (n >= 3) throw err;
      await w.page.keyboard.press('Escape');
      await w.page.waitForTimeout(500);
    }
  }
}

test('quick fix: the lightbulb and Ctrl+. offer "Change to ..." for a misspelt word, also inside a longer line; a duration without its unit gets none', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'quickfix', async () => {
    const page = w.page;
    await page.keyboard.press('Control+P');
    await w.quickInput.locator('.quick-input-box input').fill(FILE);
    await w.quickInput.locator('.monaco-list-row', { hasText: FILE }).first().click();
    await w.activeGroupTab().filter({ hasText: FILE }).waitFor({ timeout: 15_000 });
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    // One squiggle per line with a mistake (the parser reports the first mistake of a line).
    await waitUntil(async () => (await squiggles(w)) === 3, 'three error squiggles', 20_000);

    // Keyboard: caret in the misspelt strategy, Ctrl+. lists the fix first and focused; Enter applies it.
    await goTo(w, 1, 12);
    // The lightbulb in the gutter shows its "auto fix" icon: a preferred fix is there.
    await page.locator('.editor-group-container.active .monaco-editor .codicon-gutter-lightbulb-auto-fix').first().waitFor({ timeout: 10_000 });
    const menu = actionMenu(w);
    await menuRow(w, () => page.keyboard.press('Control+.'), 'Change to "write-behind"', true);
    await w.screenshot('quickfix-menu');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await editorLines(w))[0] === 'strategy write-behind', 'line 1 to read "strategy write-behind"');
    await waitUntil(async () => (await squiggles(w)) === 2, 'the fixed line to lose its squiggle', 10_000);

    // A typo after `at 5s`: the menu (Ctrl+.) lists its fix, chosen with a click.
    await goTo(w, 2, 8);
    await page.locator('.editor-group-container.active .monaco-editor .codicon-gutter-lightbulb-auto-fix').first().waitFor({ timeout: 10_000 });
    await (await menuRow(w, () => page.keyboard.press('Control+.'), 'Change to "write"')).click();
    await waitUntil(async () => (await editorLines(w))[1] === 'at 5s write k 1', 'line 2 to read "at 5s write k 1"');
    await waitUntil(async () => (await squiggles(w)) === 1, 'the second fixed line to lose its squiggle', 10_000);

    // A duration without its unit: which unit is meant is the writer's to say, so Ctrl+. offers no "Change to".
    await goTo(w, 3, 31);
    const answered = page.locator('.monaco-editor-overlaymessage', { hasText: /No code actions available|No quick fixes available/ })
      .or(menu.locator('.monaco-list-row')).first();
    for (let n = 1; ; n++) {
      await page.keyboard.press('Control+.');
      try {
        await answered.waitFor({ timeout: 4_000 });
        break;
      } catch (err) {
        if (n >= 3) throw err;
      }
    }
    assert.equal(await menu.locator('.monaco-list-row', { hasText: 'Change to' }).count(), 0, 'no fix for a bare "5"');
    await page.keyboard.press('Escape');
    assert.equal(await squiggles(w), 1, 'the duration keeps its squiggle');
    await w.parkMouse();
    await w.screenshot('quickfix-applied');
  });
});
