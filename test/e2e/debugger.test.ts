// Issue "Stepping": a learner opens C8 (write-behind loses writes on a crash) from Open Example Scenario, steps through
// it with Step Over to the `crash cache` statement and one step past it, reads the lost writes in the Variables view,
// then steps back to before the crash and finds the writes pending again (the inline values after the writes say
// lost, then pending). Screenshots: debugger-crash.png, debugger-stepped-back.png in artifacts/e2e/.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { Workbench, workbenchForFile } from './harness';
import { recordScenario } from '../../src/debug/runtime';
import { journey, panelWith, scenarioFacts, waitUntil } from './journeys';

const C8 = scenarioFacts('c08-write-behind-crash-loses-writes.cachescenario');
/** C8 as the debugger records it: its trace steps and its checkpoints (advance and expect lines), in order. */
const C8_STOPS = (() => {
  const r = recordScenario(C8.file, C8.text);
  assert.ok(r.ok, 'C8 records');
  return r.recording.steps;
})();
const CRASH_LINE = C8.lineOf('crash cache');
/** The keys the crash loses, in queue order (the engine's `queue.lost` steps). */
const LOST_KEYS = C8.lostSteps.map((s) => s.key ?? '');

const workbench = workbenchForFile({ name: 'debugger', tidy: true });

const value = (rows: readonly string[], name: string): string | undefined => Workbench.variableValue(rows, name);

/** The Write-behind queue scope's row for node1: `L lost, N pending, D dead letters` (what matters most first). */
function node1Queue(rows: readonly string[]): string {
  return value(Workbench.scopeRows(rows, 'Write-behind queue'), 'node1') ?? '';
}

/** Opens C8 the way the walkthrough suggests: Open Example Scenario, pick it by its claim. */
async function openC8(w: Workbench): Promise<void> {
  await w.pickFromCommand('Open Example Scenario', 'C8:', 'C8: Write-behind loses');
  await w.activeTab().filter({ hasText: C8.file }).waitFor({ timeout: 20_000 });
  await w.page.locator('.monaco-editor .view-lines', { hasText: 'crash cache' }).first().waitFor({ timeout: 10_000 });
}

/** Starts Step Through Scenario on the active C8 editor and waits for the stop on entry. */
async function startStepping(w: Workbench): Promise<string[]> {
  await w.runCommand('Step Through Scenario');
  await w.debugToolbar.waitFor({ timeout: 30_000 });
  return w.waitForDebugVariables((r) => (value(r, 'stop') ?? '').includes('on entry'));
}

/**
 * The inline values the editor shows after the lines of the scenario, top to bottom (VS Code draws them as injected
 * text with the class `debug-inline-value`, spaces as no-break spaces).
 */
async function inlineValues(w: Workbench): Promise<string[]> {
  const texts = await w.page.locator('.monaco-editor .view-line .debug-inline-value').allTextContents();
  return texts.map((t) => t.replace(/\u00a0/g, ' ').trim());
}

/** Waits until the editor shows exactly `count` inline values reading `text`. */
async function waitForInlineValues(w: Workbench, text: string, count: number): Promise<void> {
  await waitUntil(async () => (await inlineValues(w)).filter((t) => t === text).length === count,
    `${count} inline values reading "${text}"`).catch(async (e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the editor shows ${JSON.stringify(await inlineValues(w))}`);
  });
}

/** Expands a collapsed row of the Variables view (a scope or a variable), by its aria-label. */
async function expand(w: Workbench, ariaLabel: string): Promise<void> {
  const list = w.page.locator('.debug-variables .monaco-list');
  const row = w.page.locator(`.debug-variables .monaco-list-row[aria-label=${JSON.stringify(ariaLabel)}]`).first();
  assert.ok(await w.scrollListTo(list, row), `no row "${ariaLabel}" in the Variables view`);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await w.page.locator(`.debug-variables .monaco-list-row[aria-label=${JSON.stringify(ariaLabel)}][aria-expanded="true"]`).waitFor({ timeout: 10_000 });
}

/** Scrolls the Variables view until the row starting with `prefix` is inside its visible area (for a screenshot). */
async function reveal(w: Workbench, prefix: string): Promise<void> {
  const list = w.page.locator('.debug-variables .monaco-list');
  const row = w.page.locator(`.debug-variables .monaco-list-row[aria-label^=${JSON.stringify(prefix)}]`).first();
  assert.ok(await w.scrollListTo(list, row), `no row "${prefix}…" in the Variables view`);
  for (let i = 0; i < 40; i++) {
    const [l, r] = await Promise.all([list.boundingBox(), row.boundingBox()]);
    if (!l || !r || (r.y >= l.y && r.y + r.height <= l.y + l.height)) return;
    await w.page.mouse.wheel(0, r.y < l.y ? -100 : 100);
    await w.page.waitForTimeout(30);
  }
}

/** Collapses the Watch and Call Stack panes of Run and Debug (as a learner may), so the Variables view gets their height. */
async function roomForVariables(w: Workbench): Promise<void> {
  for (const pane of ['Watch', 'Call Stack']) {
    const header = w.page.locator('.sidebar .pane-header', { hasText: new RegExp(`^\\s*${pane}`) }).first();
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    await w.page.locator(`.sidebar .pane-header[aria-expanded="false"]`, { hasText: new RegExp(`^\\s*${pane}`) }).first().waitFor({ timeout: 5_000 });
  }
}

/**
 * VS Code refreshes the collapsed Call Stack's header (the stop's description) only while its body shows: open it a
 * moment and close it again, so a screenshot's header names the stop the debugger is at, not the one on entry.
 */
/** The note of the stop the Clock's `stop` ("23 of 32") names: what the stopped event's description ends with. */
function stopNote(stop: string): string {
  const note = C8_STOPS[Number(stop.split(' ')[0]) - 1]?.step.note;
  assert.ok(note, `a recorded stop ${stop}`);
  return note;
}

async function refreshCallStackHeader(w: Workbench, expected: string): Promise<void> {
  const header = w.page.locator('.sidebar .pane-header', { hasText: /^\s*Call Stack/ }).first();
  await header.click();
  await w.page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasText: /^\s*Call Stack/ }).first().waitFor({ timeout: 5_000 });
  await waitUntil(async () => ((await header.textContent()) ?? '').includes(expected), `the Call Stack header to say "${expected}"`);
  await header.click();
  await w.page.locator('.sidebar .pane-header[aria-expanded="false"]', { hasText: /^\s*Call Stack/ }).first().waitFor({ timeout: 5_000 });
}

test('Stepping: over the crash of C8, the Variables view shows the lost writes; Step Back brings them back to the queue', { timeout: 150_000 }, async () => {
  const w = workbench();
  await journey(w, 'debugger-stepping', async (mark) => {
    assert.ok(CRASH_LINE > 0, 'C8 has a `crash cache` statement');
    assert.ok(C8.lostWrites > 0 && LOST_KEYS.length === C8.lostWrites);
    await openC8(w);
    mark('C8 open');
    // Run and Debug first, so the Variables view is there (and its first scope expanded) when the session stops.
    await w.showActivity('Run and Debug');
    await w.focusEditorTab(C8.file);
    let rows = await startStepping(w);
    mark('session started');
    await waitUntil(async () => (await w.currentDebugLine()) === C8.firstStatementLine, 'the stop on entry at the first statement');
    assert.deepEqual(rows.filter((r) => r.startsWith('Scope ')), ['Scope Clock', 'Scope Cache', 'Scope Database', 'Scope Write-behind queue', 'Scope Metrics']);
    assert.equal(value(rows, 'line'), String(C8.firstStatementLine));
    await roomForVariables(w);
    await expand(w, 'Scope Write-behind queue');
    await expand(w, 'Scope Metrics');
    mark('scopes expanded');

    // Step Over, statement by statement, until the current line is `crash cache`.
    const visited = [C8.firstStatementLine];
    let line = C8.firstStatementLine;
    let stop = '';
    const expectLine = C8.lineOf('expect db order:1 == "paid"');
    for (let i = 0; i < C8.lines.length && line !== CRASH_LINE; i++) {
      ({ line, stop } = await w.debugStep('step-over'));
      // Forward, or on the `advance 6s` line a second time: first where the flush during it shows, then where the clock
      // gets there (the line's own stop).
      const previous = visited[visited.length - 1] ?? 0;
      assert.ok(line > previous || (line === previous && line === C8.lineOf('advance 6s')), `Step Over moves forward (${visited.join(' → ')} → ${line})`);
      visited.push(line);
      if (line === expectLine) {
        // The stop on an expectation: the Clock scope names the verdict, and the line shows it inline.
        rows = await w.waitForDebugVariables((r) => value(r, 'stop') === stop);
        assert.match(value(rows, 'event') ?? '', /^expect holds @ /);
        await refreshCallStackHeader(w, stopNote(stop));
        await reveal(w, 'Scope Clock'); // the shot shows the stop's Clock (the Variables view keeps its scroll)
        await w.parkMouse();
        await w.screenshot('debugger-expect');
      }
    }
    mark(`stepped over ${visited.length - 1} times`);
    assert.equal(line, CRASH_LINE, `reached the crash (lines ${visited.join(' → ')})`);
    // The expectation after the first flush runs no trace step, yet Step Over stops on it (a checkpoint).
    assert.ok(visited.includes(expectLine), `Step Over stopped on the expect line (lines ${visited.join(' → ')})`);
    rows = await w.waitForDebugVariables((r) => value(r, 'stop') === stop);
    assert.equal(value(rows, 'statement'), 'crash cache');
    const crashStop = stop;

    // One more Step Over: past the crash. The Metrics scope counts the lost writes; the queue is empty.
    ({ line, stop } = await w.debugStep('step-over'));
    assert.ok(line > CRASH_LINE, `one step past the crash (line ${line})`);
    rows = await w.waitForDebugVariables((r) => value(r, 'stop') === stop && value(Workbench.scopeRows(r, 'Metrics'), 'lostWrites') !== undefined);
    const metrics = Workbench.scopeRows(rows, 'Metrics');
    assert.ok(Number(value(metrics, 'lostWrites')) > 0, `lostWrites > 0 (Metrics: ${metrics.join('; ')})`);
    assert.equal(Number(value(metrics, 'lostWrites')), C8.lostWrites, 'as many lost writes as the scenario loses');
    assert.match(node1Queue(rows), new RegExp(`^${C8.lostWrites} lost, 0 pending\\b`), 'lost first; the write-behind queue is empty');
    // The editor says so after each write the crash lost; the write flushed before it says persisted.
    await waitForInlineValues(w, 'acknowledged · lost', C8.lostWrites);
    await waitForInlineValues(w, 'acknowledged · persisted', 1);
    await refreshCallStackHeader(w, stopNote(stop));
    await reveal(w, 'lostWrites, value');
    await w.parkMouse();
    await w.screenshot('debugger-crash');
    mark('past the crash, read and shot');

    // Step Back, hop by hop, until the current line is before the crash again.
    const back: number[] = [];
    for (let i = 0; i < 20 && line >= CRASH_LINE; i++) {
      ({ line, stop } = await w.debugStep('step-back'));
      back.push(line);
    }
    mark(`stepped back ${back.length} times`);
    assert.ok(line < CRASH_LINE, `stepped back before the crash (lines ${back.join(' → ')})`);
    assert.notEqual(stop, crashStop);
    rows = await w.waitForDebugVariables((r) => value(r, 'stop') === stop && value(Workbench.scopeRows(r, 'Metrics'), 'lostWrites') !== undefined);
    assert.equal(Number(value(Workbench.scopeRows(rows, 'Metrics'), 'lostWrites')), 0, 'nothing lost yet');
    assert.match(node1Queue(rows), new RegExp(`^0 lost, ${C8.lostWrites} pending\\b`), 'the writes are pending again');
    await waitForInlineValues(w, 'acknowledged · pending in node1/queue', C8.lostWrites);
    await waitForInlineValues(w, 'acknowledged · lost', 0);
    // Open the queue: the pending entries are the writes the crash will lose, oldest first.
    await expand(w, `node1, value ${node1Queue(rows)}`);
    const pendingLabel = (await w.waitForDebugVariables((r) => r.some((x) => x.startsWith('pending, value ')))).find((r) => r.startsWith('pending, value ')) ?? '';
    await expand(w, pendingLabel);
    rows = await w.waitForDebugVariables((r) => r.filter((x) => /^\[\d+\] /.test(x)).length === LOST_KEYS.length);
    const pending = rows.filter((r) => /^\[\d+\] /.test(r));
    assert.deepEqual(pending.map((r) => /^\[\d+\] (\S+),/.exec(r)?.[1]), LOST_KEYS, `pending entries: ${pending.join('; ')}`);
    await refreshCallStackHeader(w, stopNote(stop));
    await reveal(w, '[0] ');
    await w.parkMouse();
    await w.screenshot('debugger-stepped-back');
    mark('queue read and shot');

    await w.stopDebugging();
    assert.equal(await w.currentDebugLine(), null);
  });
});

test('Stepping: the open workbench panel follows the debugger on its Debug trace page', { timeout: 90_000 }, async () => {
  const w = workbench();
  await journey(w, 'debugger-trace-page', async () => {
    // The scenario on the left, the workbench panel on the right.
    await openC8(w);
    await w.runCommand('Open Workbench');
    await panelWith(w, '.cw-app h1');
    await w.runCommand('View: Move Editor into Right Group');
    await w.page.locator('.editor-group-container').nth(1).locator('.tab', { hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
    await panelWith(w, '.cw-app h1');
    await w.focusEditorTab(C8.file);
    await startStepping(w);
    const panel = await panelWith(w, '.cw-app[data-route="trace"]');
    // The page names the scenario by its file name (it lies outside the workspace), never by an absolute path.
    const summary = ((await panel.locator('.cw-trace-page .cw-summary').textContent()) ?? '').trim();
    assert.ok(summary.startsWith(`${C8.file}:`), `trace page summary "${summary}"`);
    assert.equal(((await panel.locator('.cw-trace-page h1').textContent()) ?? '').trim(), `Stepping ${C8.file}`);
    // Forward and back: the trace page highlights the step the debugger stopped at each time, and numbers it as the
    // Clock scope's `trace step` does (`stop` counts the debugger's stops, checkpoints included).
    const total = C8.steps.length;
    const highlighted = async ({ stop, line }: { stop: string; line: number }): Promise<void> => {
      const rows = await w.waitForDebugVariables((r) => value(r, 'stop') === stop);
      const traceStep = value(rows, 'trace step') ?? '';
      const m = /^(\d+) of (\d+)/.exec(traceStep);
      assert.ok(m, `the Clock's trace step "${traceStep}"`);
      assert.equal(Number(m[2]), total);
      const seq = Number(m[1]);
      // A real step's number is its seq in the trace; an expect or advance stop keeps the number of the step before it.
      const at = C8_STOPS[Number(stop.split(' ')[0]) - 1];
      assert.equal(seq, at?.step.seq, `trace step at stop ${stop}`);
      assert.equal(/, before this (expect|advance)$/.test(traceStep), at?.check !== undefined, `"${traceStep}" on line ${line}`);
      await waitUntil(async () => (await panel.locator('g.cw-row.cw-debug').getAttribute('data-seq').catch(() => null)) === String(seq),
        `the trace page to highlight step ${seq}`);
      assert.equal(await panel.locator('g.cw-row.cw-debug').count(), 1);
      await waitUntil(async () => ((await panel.locator('.cw-trace-page .cw-step-count').textContent()) ?? '').trim() === `Step ${seq} of ${total}`,
        `the trace page to say "Step ${seq} of ${total}"`);
    };
    await w.debugStep('step-over');
    await highlighted(await w.debugStep('step-over'));
    await highlighted(await w.debugStep('step-back'));
    // On to the first expectation (a checkpoint): the page stays on the step before it, with the same number.
    const expectLine = C8.lineOf('expect db order:1 == "paid"');
    let at = await w.debugStep('step-over');
    for (let i = 0; i < C8.lines.length && at.line !== expectLine; i++) at = await w.debugStep('step-over');
    assert.equal(at.line, expectLine, 'Step Over reached the expectation');
    await highlighted(at);
    // In this half-width group every badge of the marks column is in view, not behind a sideways scroll.
    const scroller = await panel.locator('.cw-trace-page .cw-diagram-scroll').boundingBox();
    const badges = await panel.locator('.cw-trace-page g.cw-badge-svg rect').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    assert.ok(scroller && badges.length > 0, 'the crash trace shows badges');
    const frameLeft = await panel.locator('.cw-trace-page .cw-diagram-scroll').evaluate((e) => e.getBoundingClientRect().left);
    for (const right of badges) assert.ok(right - frameLeft <= scroller.width + 0.5, `a badge ends ${right - frameLeft}px in, past the ${scroller.width}px view`);
    // Steps not reached yet are drawn in the theme's description colour at full opacity, not faded.
    const future = await panel.locator('.cw-trace-page g.cw-row.cw-future .cw-label').first().evaluate((e) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--vscode-descriptionForeground)';
      document.body.append(probe);
      const muted = getComputedStyle(probe).color;
      probe.remove();
      const row = e.closest('g.cw-row');
      return { fill: getComputedStyle(e).fill, muted, opacity: row ? getComputedStyle(row).opacity : '' };
    });
    assert.equal(future.opacity, '1');
    assert.equal(future.fill, future.muted);
    await w.parkMouse();
    await w.screenshot('debugger-trace-page');

    // Continue with no breakpoint: the end of the trace, a stop of its own. The session stays (the toolbar, the
    // Variables view), the trace page highlights the last step (the final state), and Step Back goes to the last stop.
    // The Clock's `stop` says what it counts: the trace's steps and the advance and expect lines.
    const stops = C8_STOPS.length;
    const end = await w.debugStep('continue');
    assert.equal(end.stop, `end of the trace, after all ${stops} stops (${total} trace steps + ${stops - total} advance/expect lines)`);
    assert.equal(await w.debugToolbar.isVisible(), true, 'the session is still there at the end of the trace');
    const endRows = await w.waitForDebugVariables((r) => value(r, 'stop') === end.stop);
    assert.equal(value(endRows, 'trace step'), `${total} of ${total} (the end of the trace)`);
    await waitUntil(async () => ((await panel.locator('.cw-trace-page .cw-step-count').textContent()) ?? '').trim() === `Step ${total} of ${total}`,
      'the trace page to highlight the last step at the end of the trace');
    // Step Back and Reverse Continue from the keyboard (Ctrl+K F10, Ctrl+K F5): VS Code has no key for either.
    const back = await w.debugStep({ keys: ['Control+K', 'F10'] });
    assert.equal(back.stop, `${stops} of ${stops} stops (${total} trace steps + ${stops - total} advance/expect lines)`);
    const entry = await w.debugStep({ keys: ['Control+K', 'F5'] });
    assert.match(entry.stop, /^0 of \d+ stops, on entry/);
    // On entry the page agrees with the debugger: before the first step, nothing highlighted, the clock at 0.
    await beforeFirstStep(panel, total);
    await w.parkMouse();
    await w.screenshot('debugger-trace-page-entry');

    // A few steps in, then a new session, which starts on entry: the page starts before the first step again.
    await w.debugStep('step-over');
    await highlighted(await w.debugStep('step-over'));
    await w.stopDebugging();
    await panel.locator('.cw-kicker', { hasText: 'Debug session ended' }).waitFor({ timeout: 10_000 });
    await w.focusEditorTab(C8.file);
    await startStepping(w);
    await panel.locator('.cw-kicker', { hasText: /^Debugging$/ }).waitFor({ timeout: 10_000 });
    await beforeFirstStep(panel, total);
    await w.stopDebugging();
  });
});

/** The trace page while the debugger stands before the first step: says so, highlights no step, shows the clock at 0. */
async function beforeFirstStep(panel: FrameLocator, total: number): Promise<void> {
  const count = panel.locator('.cw-trace-page .cw-step-count');
  const says = async (): Promise<string> => ((await count.textContent().catch(() => '')) ?? '').trim();
  const want = `Before the first step (0 of ${total})`;
  await waitUntil(async () => (await says()) === want, `the trace page to say "${want}"`).catch(async (e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; it says "${await says()}"`);
  });
  assert.equal(await panel.locator('.cw-trace-page g.cw-row.cw-debug').count(), 0, 'no step highlighted for the debugger');
  assert.equal(await panel.locator('.cw-trace-page g.cw-row.cw-current').count(), 0, 'no current step');
  assert.equal(await panel.locator('.cw-trace-page g.cw-row.cw-past').count(), 0, 'every step still to come');
  assert.equal(((await panel.locator('.cw-trace-page .cw-step-info .cw-chip').first().textContent()) ?? '').trim(), 't = 0 ms');
  assert.match((await panel.locator('.cw-trace-page .cw-summary').textContent()) ?? '', /before the first step/);
}

test('Stepping: a workbench panel in the scenario\'s editor group moves beside it and stays in view; the palette has Step Back only while debugging', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'debugger-panel-beside', async () => {
    // The panel and the scenario in one group, the scenario in front: the learner never moved anything.
    await openC8(w);
    await w.runCommand('Open Workbench');
    await panelWith(w, '.cw-app h1');
    await w.focusEditorTab(C8.file);
    assert.equal(await w.page.locator('.editor-group-container').count(), 1, 'one editor group');
    // Outside a debug session the palette has no Step Back of ours (it would do nothing).
    assert.equal(await paletteLists(w, 'Cache Workbench: Step Back'), false, 'Step Back is listed with no debug session');

    await startStepping(w);
    const group2 = w.page.locator('.editor-group-container').nth(1);
    await group2.locator('.tab.active', { hasText: 'Cache Workbench' }).waitFor({ timeout: 15_000 });
    const panel = await panelWith(w, '.cw-app[data-route="trace"]');
    await beforeFirstStep(panel, C8.steps.length);
    const inView = async (what: string): Promise<void> => {
      await group2.locator('.tab.active', { hasText: 'Cache Workbench' }).waitFor({ timeout: 10_000 });
      assert.equal(await w.page.locator('.editor-group-container').nth(0).locator('.tab.active', { hasText: C8.file }).count(), 1, `C8 in front in its group ${what}`);
      await panel.locator('.cw-trace-page .cw-step-count').waitFor({ state: 'visible', timeout: 10_000 });
    };
    for (const action of ['step-over', 'step-over', 'step-into', 'step-back'] as const) {
      await w.debugStep(action);
      await inView(`after ${action}`);
    }
    // While a scenario is debugged the palette lists Cache Workbench: Step Back and Reverse Continue, with their keys.
    assert.equal(await paletteLists(w, 'Cache Workbench: Step Back', /(Ctrl|Control)\+K ?F10/), true, 'Step Back is not listed with its key while debugging');
    assert.equal(await paletteLists(w, 'Cache Workbench: Reverse Continue', /(Ctrl|Control)\+K ?F5/), true, 'Reverse Continue is not listed with its key while debugging');
    const stop = w.page.locator('.debug-variables .monaco-list-row[aria-label^="stop, value "]').first();
    const before = await stop.getAttribute('aria-label');
    await w.runCommand('Reverse Continue');
    await waitUntil(async () => ((await stop.getAttribute('aria-label')) ?? '').includes('on entry') && (await stop.getAttribute('aria-label')) !== before,
      'Cache Workbench: Reverse Continue to go back to entry');
    await inView('after Reverse Continue');
    await w.parkMouse();
    await w.screenshot('debugger-panel-beside');
    await w.stopDebugging();
  });
});

/** Whether the command palette lists `label` (with `key` shown next to it, when given); closes the palette again. */
async function paletteLists(w: Workbench, label: string, key?: RegExp): Promise<boolean> {
  await w.page.keyboard.press('F1');
  const input = w.quickInput.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(`>${label}`);
  await w.page.waitForTimeout(500); // the list settles
  // The label from the row's aria-label; the key from it or from the keybinding drawn in the row.
  const rows = await w.quickInput.locator('.monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({ aria: e.getAttribute('aria-label') ?? '', text: (e.textContent ?? '').replace(/\s+/g, ' ') })));
  await w.page.keyboard.press('Escape');
  return rows.some((r) => (r.aria === label || r.aria.startsWith(`${label},`)) && (key === undefined || key.test(`${r.aria} ${r.text}`)));
}
