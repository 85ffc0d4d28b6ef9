// The getting-started walkthrough ("Get started with Cache Workbench") in a real VS Code: its first three steps
// complete through what they ask for, by command and by context key: opening the lesson, watching a diagram to its
// end, stepping a scenario (a stop in the debugger, not the command: a refused one ticks nothing). (The fourth, the knowledge check, is completed in quiz.test.ts.)
// Screenshots: artifacts/e2e/walkthrough-*.png.
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import type { Workbench } from './harness';
import { workbenchForFile } from './harness';
import { diagram, diagramStep, journey, openSectionFromSidebar, panelWith, pauseDiagram, scenarioFacts, setDiagramSpeed, waitUntil } from './journeys';

const STEPS = ['Open the lesson', 'Watch a diagram', 'Step through a scenario', 'Take the knowledge check'] as const;
const C8 = scenarioFacts('c08-write-behind-crash-loses-writes.cachescenario');

const workbench = workbenchForFile({ name: 'walkthrough' });

/** Opens the walkthrough with "Welcome: Open Walkthrough..." and picks ours, as a learner does. */
async function openWalkthrough(w: Workbench): Promise<void> {
  const page = w.page;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const command = 'Welcome: Open Walkthrough...';
  const title = 'Get started with Cache Workbench';
  await w.withQuickPickRetries(command, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(`>${command}`, { timeout: 5_000 });
    await widget.locator(`.monaco-list-row[aria-label^=${JSON.stringify(command)}]`).first().click({ timeout: 5_000 });
    await widget.locator('.monaco-list-row', { hasText: 'Cache Workbench' }).first().waitFor({ timeout: 10_000 });
    await input.fill(title, { timeout: 5_000 });
    // Enter on the focused row (a click can land on a row's hover card instead).
    await widget.locator('.monaco-list-row.focused', { hasText: new RegExp(`^${title}`) }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  });
  await page.locator('.getting-started-step', { hasText: STEPS[0] }).first().waitFor({ timeout: 20_000 });
}

/** The check icon of the walkthrough step titled `title`. */
function stepIcon(w: Workbench, title: string): Locator {
  return w.page.locator('.getting-started-step', { hasText: title }).first().locator('.codicon').first();
}

/** Which of the four steps the open walkthrough shows as done. */
async function doneSteps(w: Workbench): Promise<boolean[]> {
  const done: boolean[] = [];
  for (const title of STEPS) done.push(/getting-started-step-checked/.test((await stepIcon(w, title).getAttribute('class')) ?? ''));
  return done;
}

/** Opens the walkthrough and waits until exactly the first `n` steps show as done. */
async function expectDone(w: Workbench, n: number, what: string): Promise<void> {
  await openWalkthrough(w);
  const want = STEPS.map((_, i) => i < n);
  await waitUntil(async () => JSON.stringify(await doneSteps(w)) === JSON.stringify(want), `${what} (steps done: ${JSON.stringify(want)})`, 20_000);
}

test('walkthrough: opening the lesson, watching a diagram to its end and stepping a scenario each complete their step', { timeout: 240_000 }, async () => {
  const w = workbench();
  await journey(w, 'walkthrough', async () => {
    // VS Code ticks an onContext step only when the key changes while its walkthrough service is up: open it first.
    await expectDone(w, 0, 'a new learner has done nothing');
    await w.parkMouse();
    await w.screenshot('walkthrough-new');

    // 1. Open the lesson (onCommand, and the lessonOpened context key).
    await w.runCommand('Open Lesson');
    await panelWith(w, 'h1.cw-section-title');
    await expectDone(w, 1, 'Open Lesson to complete "Open the lesson"');

    // 2. Watch a diagram: played to its last step, it sets the diagramWatched context key.
    await w.closeAllEditors();
    const panel = await openSectionFromSidebar(w, 'write-behind');
    const fig = await diagram(panel, 0);
    await pauseDiagram(fig);
    await setDiagramSpeed(fig, '4×');
    await fig.locator('vscode-button[aria-label="First step"]').click();
    await fig.locator('vscode-button.cw-play').click();
    await waitUntil(async () => {
      const [step, total] = await diagramStep(fig);
      return step === total;
    }, 'the diagram to play to its last step', 30_000);
    await expectDone(w, 2, 'watching a diagram to complete "Watch a diagram"');

    // 3. Step through a scenario (the scenarioStepped context key, set at a stop): the step's button with no scenario
    // open is refused, and that ticks nothing (it did when the step completed on the command itself).
    await w.closeAllEditors();
    await w.runCommand('Step Through Scenario');
    await w.notification('Step Through Scenario: open a .cachescenario file first').waitFor({ timeout: 20_000 });
    await w.clearNotifications();
    await expectDone(w, 2, 'a refused Step Through Scenario to leave "Step through a scenario" undone');
    await w.closeAllEditors();
    await w.pickFromCommand('Open Example Scenario', 'C8:', 'C8: Write-behind loses');
    await w.activeTab().filter({ hasText: C8.file }).waitFor({ timeout: 20_000 });
    await w.runCommand('Step Through Scenario');
    await w.debugToolbar.waitFor({ timeout: 30_000 });
    await w.stopDebugging();
    await expectDone(w, 3, 'Step Through Scenario to complete "Step through a scenario"');
    await w.parkMouse();
    await w.screenshot('walkthrough-three-done');
  });
});
