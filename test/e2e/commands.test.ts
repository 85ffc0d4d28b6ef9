// The packaged extension in a real VS Code, driven like a learner: every command from the palette by its title, the
// page or notification it produces, and the sidebar lesson view. Screenshots go to artifacts/e2e/.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Workbench } from './harness';

/** Commands that open the workbench panel, and the page each shows. */
const PANEL_COMMANDS = [
  { title: 'Open Lesson', page: 'lesson', heading: 'Lesson' },
  { title: 'Open Workbench', page: 'workbench', heading: 'Workbench' },
  { title: 'Compare Strategies', page: 'compare', heading: 'Compare Strategies' },
  { title: 'Take Knowledge Check', page: 'quiz', heading: 'Knowledge Check' },
] as const;

/** Commands that, for now, say what they will do in a notification that starts with their title. */
const MESSAGE_COMMANDS = ['Open Example Scenario', 'Step Through Scenario', 'Run Scenario', 'Reset Progress'] as const;

let wb: Workbench | undefined;
const workbench = (): Workbench => {
  assert.ok(wb, 'the workbench did not start');
  return wb;
};

before(async () => {
  wb = await Workbench.start({ name: 'commands' });
  await wb.screenshot('00-workbench');
}, { timeout: 180_000 });

after(async () => {
  await wb?.stop();
});

for (const [i, c] of PANEL_COMMANDS.entries()) {
  test(`palette: ${c.title} opens the ${c.heading} page`, { timeout: 60_000 }, async () => {
    const w = workbench();
    await w.runCommand(c.title);
    const frame = await w.webviewFrame('workbench');
    const heading = frame.locator(`body[data-page="${c.page}"] h1`);
    await heading.waitFor({ timeout: 20_000 });
    assert.equal((await heading.textContent())?.trim(), c.heading);
    assert.ok(((await frame.locator('#placeholder').textContent()) ?? '').length > 40, 'the page explains itself');
    await w.page.locator('.tab.active', { hasText: `Cache Workbench: ${c.heading}` }).waitFor({ timeout: 10_000 });
    await w.screenshot(`0${i + 1}-${c.page}`);
  });
}

for (const [i, title] of MESSAGE_COMMANDS.entries()) {
  test(`palette: ${title} says what it will do`, { timeout: 60_000 }, async () => {
    const w = workbench();
    await w.runCommand(title);
    const toast = w.notification(title);
    await toast.waitFor({ timeout: 20_000 });
    assert.match((await toast.textContent()) ?? '', new RegExp(`^${title} will `));
    await w.screenshot(`1${i}-${title.toLowerCase().replace(/\W+/g, '-')}`);
    await w.clearNotifications();
  });
}

test('activity bar: the Cache Workbench container shows the lesson view, whose button opens the lesson', { timeout: 60_000 }, async () => {
  const w = workbench();
  await w.runCommand('View: Close All Editors');
  await w.openActivity('Cache Workbench');
  // A container with one view shows the view's name in its title bar instead of a pane header.
  await w.page.locator('.sidebar .composite.title', { hasText: /Cache Workbench/i }).waitFor({ timeout: 20_000 });
  const view = await w.webviewFrame('lesson-view');
  assert.equal((await view.locator('h2').textContent())?.trim(), 'Learn cache write strategies');
  await w.screenshot('20-lesson-view');
  await view.locator('button', { hasText: 'Open Lesson' }).click();
  const panel = await w.webviewFrame('workbench');
  await panel.locator('body[data-page="lesson"] h1').waitFor({ timeout: 20_000 });
  await w.screenshot('21-lesson-view-open-lesson');
});

test('Developer: Show Running Extensions lists Cache Workbench with its activation time', { timeout: 60_000 }, async () => {
  const w = workbench();
  await w.runCommand('Developer: Show Running Extensions');
  const row = w.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Cache Workbench' }).first();
  await row.waitFor({ timeout: 20_000 });
  const text = (await row.locator('.activation-time').textContent()) ?? '';
  const ms = Number(/(\d+)\s*ms/.exec(text)?.[1] ?? NaN);
  assert.ok(Number.isFinite(ms), `no activation time in "${text}"`);
  console.log(`activation: ${ms} ms in code-server's Running Extensions (${text.trim()})`);
  await w.screenshot('30-running-extensions');
  await w.runCommand('View: Close All Editors');
});
