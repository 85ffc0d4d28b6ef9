// Steps the lesson, commands and debugger journeys share: what a bundled scenario should show (from the project's
// own engine, the source of every diagram and debugger view), and moves a learner makes in the sidebar and the panel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import type { LessonSection } from '../../src/lesson/sections';
import type { TraceStep } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { repoRoot } from './harness';
import type { Workbench } from './harness';

/** What a bundled scenario file holds and what its run produces. */
export interface ScenarioFacts {
  file: string;
  text: string;
  lines: string[];
  steps: TraceStep[];
  /** The run's `lostWrites` metric. */
  lostWrites: number;
  /** The `queue.lost` steps: one per acknowledged write that never reached the database. */
  lostSteps: TraceStep[];
  /** Number of `expect` statements in the file. */
  expectations: number;
  /** 1-based line of the first statement (what the debugger stops at on entry). */
  firstStatementLine: number;
  /** 1-based line of the first line whose text is exactly `statement` (e.g. `crash cache`); 0 when absent. */
  lineOf(statement: string): number;
}

/** Reads `scenarios/<file>` and runs it with the engine the extension bundles (default seed, like the lesson). */
export function scenarioFacts(file: string): ScenarioFacts {
  const text = readFileSync(join(repoRoot, 'scenarios', file), 'utf8');
  const lines = text.split('\n');
  const program = parseScenario(text);
  const errors = program.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 0, `${file} does not parse: ${errors.map((e) => e.message).join('; ')}`);
  const result = runProgram(program);
  const firstStatement = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return {
    file,
    text,
    lines,
    steps: result.steps,
    lostWrites: result.metrics.lostWrites,
    lostSteps: result.steps.filter((s) => s.action === 'queue.lost'),
    expectations: lines.filter((l) => /^\s*expect\b/.test(l)).length,
    firstStatementLine: firstStatement + 1,
    lineOf: (statement) => lines.findIndex((l) => l.trim() === statement) + 1,
  };
}

/** The lesson section with this id (fails the test when the lesson no longer has it). */
export function section(id: string): { section: LessonSection; index: number } {
  const index = LESSON_SECTIONS.findIndex((s) => s.id === id);
  const found = LESSON_SECTIONS[index];
  assert.ok(found, `the lesson has no section ${id}`);
  return { section: found, index };
}

/** The sidebar Lesson view (shown first), its document. */
export async function lessonView(w: Workbench): Promise<FrameLocator> {
  await w.showActivity('Cache Workbench');
  const view = await w.webviewFrame('sidebar');
  await view.locator('.cw-side-item').first().waitFor({ timeout: 30_000 });
  return view;
}

/** The sidebar entry of a section (`3. Write-behind (write-back)`). */
export function sidebarItem(view: FrameLocator, id: string): Locator {
  const { section: s, index } = section(id);
  return view.locator('button.cw-side-item', { hasText: `${index + 1}. ${s.title}` }).first();
}

/** The sidebar's "N of M read" count, as N. */
export async function sidebarReadCount(view: FrameLocator): Promise<number> {
  const text = (await view.locator('.cw-side-count').textContent()) ?? '';
  const m = /(\d+) of (\d+) read/.exec(text);
  assert.ok(m, `no read count in "${text}"`);
  return Number(m[1]);
}

/**
 * Opens a section the way a learner does, by clicking it in the sidebar Lesson view; returns the panel's document once
 * it shows that section's heading.
 */
export async function openSectionFromSidebar(w: Workbench, id: string): Promise<FrameLocator> {
  const view = await lessonView(w);
  await sidebarItem(view, id).click();
  const panel = await panelWith(w, 'h1.cw-section-title');
  await sectionHeading(panel, id).waitFor({ timeout: 30_000 });
  return panel;
}

/**
 * The workbench panel's document once `selector` matches in it. The frame is looked up again on every poll, so a
 * panel that VS Code creates, re-creates or moves while the test waits is still found.
 */
export async function panelWith(w: Workbench, selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    const frame = await w.webviewFrame('workbench', Math.max(1_000, left));
    if ((await frame.locator(selector).count()) > 0) return frame;
    if (Date.now() > deadline) throw new Error(`the workbench panel did not show ${selector} within ${timeoutMs} ms`);
    await w.page.waitForTimeout(150);
  }
}

/**
 * Waits for the workbench panel's page to start (its `<cw-workbench>` element). Under code-server a webview created at
 * the same moment as another one (Open Lesson in a fresh window reveals the sidebar view and opens the panel together)
 * sometimes never loads any of its resources and stays blank, and Developer: Reload Webviews does not bring it back.
 * When that happens this says so loudly (log line and `known-issue-blank-panel.png`), closes the editors and runs
 * `reopen` once, so the rest of the journey still runs; the issue is listed in the e2e report.
 */
export async function panelStarted(w: Workbench, reopen: () => Promise<void>): Promise<FrameLocator> {
  const started = async (timeoutMs: number): Promise<FrameLocator | undefined> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const frame = await w.webviewFrame('workbench', Math.max(1_000, deadline - Date.now()));
      if ((await frame.locator('cw-workbench').count()) > 0) return frame;
      await w.page.waitForTimeout(150);
    }
    return undefined;
  };
  const frame = await started(15_000);
  if (frame) return frame;
  const blank = await w.webviewFrame('workbench');
  const resources = await blank.locator('body').evaluate(() => performance.getEntriesByType('resource').length);
  console.log(`e2e: KNOWN ISSUE: the workbench panel stayed blank for 15 s (its page loaded ${resources} resource(s); ` +
    'script and stylesheets never arrived); reopening it once. Screenshot: known-issue-blank-panel.png');
  await w.screenshot('known-issue-blank-panel');
  await w.closeAllEditors();
  await reopen();
  const again = await started(30_000);
  assert.ok(again, 'the workbench panel stayed blank after reopening it too');
  return again;
}

/** The panel's section heading, once it names this section. */
export function sectionHeading(panel: FrameLocator, id: string): Locator {
  const { section: s } = section(id);
  return panel.locator('h1.cw-section-title', { hasText: s.title }).first();
}

/** The `i`-th diagram of the section on screen (0-based), once its trace has loaded. */
export async function diagram(panel: FrameLocator, i = 0): Promise<Locator> {
  const slot = panel.locator('cw-lesson cw-diagram-slot').nth(i);
  await slot.locator('.cw-step-count').waitFor({ timeout: 30_000 });
  return slot;
}

/** "Step 3 of 25" of a diagram, as [3, 25]. */
export async function diagramStep(fig: Locator): Promise<[number, number]> {
  const text = (await fig.locator('.cw-step-count').textContent()) ?? '';
  const m = /Step (\d+) of (\d+)/.exec(text);
  assert.ok(m, `no step count in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/** Picks a playback speed (`4×`) in a diagram's speed select (a VS Code Elements single-select). */
export async function setDiagramSpeed(fig: Locator, label: string): Promise<void> {
  const select = fig.locator('vscode-single-select').first();
  await select.click();
  await select.locator('li[role="option"]', { hasText: label }).click();
  const value = label.replace('×', '');
  await waitUntil(async () => (await select.evaluate((el) => (el as HTMLElement & { value?: string }).value)) === value,
    `the speed select to show ${label}`);
}

/** Polls `check` every 50 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pauses a playing diagram (it autoplays the first time it scrolls into view). */
export async function pauseDiagram(fig: Locator): Promise<void> {
  const play = fig.locator('vscode-button.cw-play');
  if ((await play.getAttribute('aria-label')) === 'Pause') await play.click();
  await fig.locator('vscode-button.cw-play[aria-label="Play"]').waitFor({ timeout: 5_000 });
}

/**
 * Runs one journey; when it fails, saves `failed-<name>.png` (what the learner would have seen) and `failed-<name>.log`
 * (the extension's Output channel) before rethrowing.
 * Each test file wraps its test bodies with this, so a red run leaves a picture next to its message. The body gets a
 * `mark(label)` function: with CACHE_WORKBENCH_E2E_TRACE=1 each mark prints the time since the previous one.
 */
export async function journey(w: Workbench, name: string, body: (mark: (label: string) => void) => Promise<void>): Promise<void> {
  let last = Date.now();
  const mark = (label: string): void => {
    if (process.env.CACHE_WORKBENCH_E2E_TRACE !== '1') return;
    const now = Date.now();
    console.log(`e2e: ${name}: ${label} +${now - last} ms`);
    last = now;
  };
  try {
    await body(mark);
    mark('done');
  } catch (err) {
    const path = await w.screenshot(`failed-${name}`).catch(() => undefined);
    if (path) console.log(`e2e: screenshot of the failure: ${path}`);
    // What the extension logged (a watchdog's reload, a rejected message) often says why the page did not change.
    const log = w.saveExtensionLog(`failed-${name}`);
    if (log) {
      console.log(`e2e: the extension's output of the failure: ${log}`);
      // Also here: a CI run keeps its console, not always its artifacts.
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
      for (const line of lines.slice(-40)) console.log(`e2e: ${name}: extension log: ${line}`);
    }
    throw err;
  }
}
