// Drives a real VS Code (code-server with the packaged extension installed) from headless Chromium, as a learner would:
// command palette, notifications, webviews two iframes deep, the activity bar, screenshots. Shared by every e2e file.
import { after, before, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Browser, CodeServer } from '../../scripts/codeServer.mjs' with { 'resolution-mode': 'import' };

export const repoRoot = resolve(__dirname, '..', '..');
export const artifactsDir = join(repoRoot, 'artifacts', 'e2e');

/** Category prefix VS Code puts before every command title in the palette. */
export const CATEGORY = 'Cache Workbench';

/** The packaged extension under test: CACHE_WORKBENCH_VSIX, else `cache-workbench-<version>.vsix` in the repo root. */
export function vsixPath(): string {
  if (process.env.CACHE_WORKBENCH_VSIX) return resolve(process.env.CACHE_WORKBENCH_VSIX);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
}

export interface StartOptions {
  /** Names the scratch folder `.tmp/e2e-<name>-<pid>`, so several harnesses and runs never share state. */
  name: string;
  /** Files copied into the opened workspace folder (default: none). */
  workspaceFiles?: string[];
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly server: CodeServer,
    private readonly browser: Browser,
    readonly workspace: string,
    readonly scratch: string,
  ) {}

  /** Starts code-server with the .vsix installed, opens the workbench on a scratch workspace and waits until it is ready. */
  static async start(options: StartOptions): Promise<Workbench> {
    const cs = await import('../../scripts/codeServer.mjs');
    cs.assertTools();
    const vsix = vsixPath();
    if (!existsSync(vsix)) throw new Error(`${vsix} not found: run npm run package`);
    const scratch = cs.scratchFor(`e2e-${options.name}`, repoRoot);
    cs.prepareScratch(scratch);
    cs.installVsix(scratch, vsix);
    const workspace = join(scratch, 'workspace');
    mkdirSync(workspace, { recursive: true });
    for (const f of options.workspaceFiles ?? []) copyFileSync(f, join(workspace, basename(f)));
    const server = await cs.startCodeServer({ scratch });
    let browser: Browser | undefined;
    try {
      browser = await cs.launchBrowser({ profileDir: join(scratch, 'chromium') });
      const wb = new Workbench(browser.page, server, browser, workspace, scratch);
      await browser.page.goto(cs.workbenchUrl(server, { folder: workspace }));
      await browser.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // Our activity-bar entry appears once the extension host has registered the installed extension.
      await wb.activityEntry(CATEGORY).waitFor({ timeout: 60_000 });
      return wb;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  /**
   * Runs a command from the palette (F1) by its title, e.g. `Open Lesson` (the category is added unless given).
   * The palette lists commands when it opens, so it is reopened until the command shows up (extensions still loading).
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    await this.clickPaletteCommand(title, Date.now() + timeoutMs);
    await this.paletteClosed();
  }

  /** Opens the palette until the command titled `title` is listed (or `deadline` passes), then clicks it. */
  private async clickPaletteCommand(title: string, deadline: number): Promise<void> {
    const label = title.includes(':') ? title : `${CATEGORY}: ${title}`;
    const page = this.page;
    const input = this.quickInput.locator('.quick-input-box input');
    // The row's aria-label is the command label, or the label then ", <keybinding or note>": match exactly that.
    const q = JSON.stringify(label);
    const qComma = JSON.stringify(`${label},`);
    const row = this.quickInput.locator(`.monaco-list-row[aria-label=${q}], .monaco-list-row[aria-label^=${qComma}]`).first();
    for (;;) {
      await page.keyboard.press('F1');
      try {
        // A page that takes the focus as it opens (the Welcome page's walkthrough does, a moment later) can close the
        // palette at any point until the click: the input goes inert and hidden, or the row does. A click that did not
        // happen ran nothing, so the palette is opened again.
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${label}`, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        // Click the matching row rather than pressing Enter, which runs whichever row is active while the list settles.
        await row.click({ timeout: 5_000 });
        return;
      } catch (err) {
        await page.keyboard.press('Escape');
        if (Date.now() > deadline) throw err;
      }
    }
  }

  /**
   * The inner document of the webview whose body carries `data-webview="<marker>"` (the editor-area panel says
   * `workbench`, the sidebar lesson view `sidebar`). A webview is two iframes deep: iframe.webview > #active-frame.
   */
  async webviewFrame(marker: string, timeoutMs = 30_000): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    const outer = this.page.locator('iframe.webview');
    while (Date.now() < deadline) {
      const n = await outer.count();
      for (let i = 0; i < n; i++) {
        const inner = this.page.frameLocator('iframe.webview').nth(i).frameLocator('#active-frame');
        if ((await inner.locator(`body[data-webview="${marker}"]`).count()) === 0) continue;
        // Pin the frame by its webview id: positions shift when another webview (say the sidebar) is added.
        const name = await outer.nth(i).getAttribute('name');
        return name ? this.page.frameLocator(`iframe.webview[name="${name}"]`).frameLocator('#active-frame') : inner;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview with data-webview="${marker}" within ${timeoutMs} ms`);
  }

  /** Resolves once no command palette (a quick input whose text starts with `>`) is showing. */
  private async paletteClosed(): Promise<void> {
    await this.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('.quick-input-widget:not(.quick-input-widget-closing)')].every((w) =>
        w.style.display === 'none' || !w.querySelector<HTMLInputElement>('.quick-input-box input')?.value.startsWith('>')));
  }

  /**
   * In a quick pick a command opened (e.g. Open Example Scenario): types `filter` and clicks the first row containing
   * `rowText`. The caller checks the effect (an editor, a page).
   */
  async pickQuickItem(filter: string, rowText: string | RegExp = filter, timeoutMs = 30_000): Promise<void> {
    const widget = this.page.locator('.quick-input-widget:not(.quick-input-widget-closing)');
    const input = widget.locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(filter, { timeout: timeoutMs });
    await widget.locator('.monaco-list-row', { hasText: rowText }).first().click({ timeout: timeoutMs });
  }

  /**
   * Runs a palette command that answers with its own quick pick, types `filter` and picks the first row containing
   * `rowText`. A quick pick closes when something else takes focus (a webview still settling, say), and then nothing
   * is left to pick from: the command runs again, up to 3 times, each retry logged. The caller checks the effect.
   */
  async pickFromCommand(title: string, filter: string, rowText: string | RegExp = filter): Promise<void> {
    await this.withQuickPickRetries(title, async () => {
      await this.runCommandWithPicker(title);
      await this.pickQuickItem(filter, rowText, 5_000);
    });
  }

  /**
   * Runs `attempt` (a palette command and a pick in the quick pick it answers with) up to 3 times: a quick pick
   * closes when something else takes focus, a webview still settling say. Each retry is logged.
   */
  async withQuickPickRetries(title: string, attempt: () => Promise<void>): Promise<void> {
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return;
      } catch (err) {
        if (n >= 3) throw err;
        console.log(`e2e: the quick pick of "${title}" closed before the pick (attempt ${n}); running the command again`);
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(500);
      }
    }
  }

  /** The active editor tab. */
  activeTab(): Locator {
    return this.page.locator('.tabs-container .tab.active').first();
  }

  /** A modal dialog (e.g. a confirmation) whose message contains `text`. */
  dialog(text: string | RegExp): Locator {
    return this.page.locator('.monaco-dialog-box', { hasText: text }).first();
  }

  /** A visible notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  }

  /** Closes every notification toast, so the next check sees only new ones. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /**
   * Opens the sidebar container of the activity-bar entry with this title (e.g. "Cache Workbench") by clicking it,
   * unless it is open already (a click on the open one would close the sidebar).
   */
  async openActivity(title: string): Promise<void> {
    const item = this.page.locator('.activitybar .action-item', { has: this.page.locator(`.action-label[aria-label^="${title}"]`) }).first();
    const open = (await item.getAttribute('class'))?.split(/\s+/).includes('checked') ?? false;
    if (!open || !(await this.page.locator('.part.sidebar').isVisible())) await this.activityEntry(title).click();
  }

  /** The activity-bar entry whose label starts with `title`. */
  activityEntry(title: string): Locator {
    return this.page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Quick picks, dialogs, editors: helpers for journeys that go beyond one command.

  /** The quick-input widget (command palette and every quick pick). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a palette command that answers with its own quick pick (Open Example Scenario, Preferences: Color Theme) and
   * waits until that pick replaced the palette: visible, its input no longer holding the `>` command filter.
   */
  async runCommandWithPicker(title: string, timeoutMs = 30_000): Promise<Locator> {
    const page = this.page;
    const widget = this.quickInput;
    const deadline = Date.now() + timeoutMs;
    await this.clickPaletteCommand(title, deadline);
    await page.waitForFunction(() => {
      const w = document.querySelector<HTMLElement>('.quick-input-widget');
      const i = w?.querySelector<HTMLInputElement>('.quick-input-box input');
      return !!w && !!i && w.offsetParent !== null && getComputedStyle(w).display !== 'none' && !i.value.startsWith('>')
        && w.querySelector('.monaco-list-row') !== null;
    }, undefined, { timeout: Math.max(5_000, deadline - Date.now()) });
    return widget;
  }

  /**
   * Switches the colour theme the way a learner does, with `Preferences: Color Theme` (labels as the picker shows them:
   * `Light Modern`, `Dark Modern`, `Dark High Contrast`), and waits until the workbench and every open webview wear it.
   */
  async setColorTheme(label: string): Promise<void> {
    const dark = /dark|black|abyss|monokai|kimbie|red/i.test(label);
    const contrast = /high contrast/i.test(label);
    await this.pickFromCommand('Preferences: Color Theme', label, label);
    const workbenchClass = contrast ? (dark ? 'hc-black' : 'hc-light') : dark ? 'vs-dark' : 'vs';
    await this.page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 10_000 });
    const bodyClass = contrast ? (dark ? 'vscode-high-contrast' : 'vscode-high-contrast-light') : dark ? 'vscode-dark' : 'vscode-light';
    const frames = this.page.frameLocator('iframe.webview');
    const n = await this.page.locator('iframe.webview').count();
    for (let i = 0; i < n; i++) {
      // Webviews get the theme by message; wait for each live one to switch its body class.
      await frames.nth(i).frameLocator('#active-frame').locator(`body.${bodyClass}`).waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
  }

  /** A button of the modal dialog shown now (a `{ modal: true }` message, or a "save changes?" question), by its text. */
  dialogButton(text: string): Locator {
    return this.page.locator('.monaco-dialog-box .monaco-button', { hasText: text }).first();
  }

  /** Editor tabs (all groups); `text` narrows to tabs whose label contains it. */
  editorTabs(text?: string | RegExp): Locator {
    const tabs = this.page.locator('.tabs-container .tab');
    return text === undefined ? tabs : tabs.filter({ hasText: text });
  }

  /** The active tab of the active editor group (with several groups, `activeTab()` is the first group's). */
  activeGroupTab(): Locator {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active').first();
  }

  /**
   * Makes the editor whose tab contains `text` the active one by clicking its tab, then moves the mouse away: a tab
   * left hovered shows its path in a hover that can swallow the next key press (F1).
   */
  async focusEditorTab(text: string | RegExp): Promise<void> {
    await this.editorTabs(text).first().click();
    await this.parkMouse();
    await this.page.locator('.editor-group-container.active .tabs-container .tab.active').filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
  }

  /** The language mode the status bar shows for the active editor (`TypeScript`, `Cache Scenario`). */
  async activeEditorLanguage(): Promise<string> {
    const item = this.page.locator('.statusbar-item[id="status.editor.mode"]');
    await item.waitFor({ timeout: 10_000 });
    return ((await item.textContent()) ?? '').trim();
  }

  /** The active editor's indentation as the status bar shows it (e.g. "Spaces: 2"). */
  async activeEditorIndentation(): Promise<string> {
    const item = this.page.locator('.statusbar-item[id="status.editor.indentation"]');
    await item.waitFor({ timeout: 10_000 });
    return ((await item.textContent()) ?? '').trim();
  }

  /** Closes every editor; an unsaved one (e.g. an untitled snippet) is closed without saving. */
  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    const dontSave = this.dialogButton("Don't Save");
    const deadline = Date.now() + 15_000;
    while ((await this.editorTabs().count()) > 0) {
      if (await dontSave.isVisible().catch(() => false)) await dontSave.click();
      if (Date.now() > deadline) throw new Error('editors did not close');
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * Puts the workbench back in a neutral state between tests: no quick input, dialog, debug session, editor,
   * notification or bottom panel. The sidebar and the colour theme stay as they are.
   */
  async tidy(): Promise<void> {
    const page = this.page;
    if (await this.quickInput.isVisible().catch(() => false)) await page.keyboard.press('Escape');
    const cancel = this.dialogButton('Cancel');
    if (await cancel.isVisible().catch(() => false)) await cancel.click();
    if (await this.debugToolbar.isVisible().catch(() => false)) await this.stopDebugging();
    await this.closeAllEditors();
    if ((await page.locator('.notifications-toasts .notification-toast').count()) > 0) await this.clearNotifications();
    if (await page.locator('.part.panel').isVisible().catch(() => false)) await this.runCommand('View: Hide Panel');
  }

  /** Shows the activity-bar container with this title (`Cache Workbench`, `Run and Debug`); never toggles it closed. */
  async showActivity(title: string): Promise<void> {
    const label = this.page.locator(`.action-label[aria-label^=${JSON.stringify(title)}]`);
    const item = this.page.locator('.activitybar .action-item').filter({ has: label }).first();
    const checked = this.page.locator('.activitybar .action-item.checked').filter({ has: label });
    // Right after a window reload the workbench can drop a click it is not ready for: click again until it takes.
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (!((await item.getAttribute('class')) ?? '').split(/\s+/).includes('checked')) await this.activityEntry(title).click();
      try {
        await checked.waitFor({ timeout: 4_000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }

  /** Moves the mouse to an empty spot of the activity bar, so no hover or tooltip lands in a screenshot. */
  async parkMouse(): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1400, height: 900 };
    await this.page.mouse.move(2, Math.round(size.height / 2));
  }

  /** Error toasts currently shown. */
  errorNotifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item').filter({ has: this.page.locator('.codicon-error') });
  }

  /**
   * Scrolls a virtualised Monaco list back to its first row. The list moves a fixed amount per wheel event whatever
   * the delta, so this wheels up until the first row is rendered and the rows start at the top.
   */
  async scrollListToTop(list: Locator): Promise<void> {
    await list.hover();
    for (let i = 0; i < 200; i++) {
      if ((await listOffset(list)) === 0) return;
      await this.page.mouse.wheel(0, -1_000);
      await this.page.waitForTimeout(10);
    }
  }

  /**
   * Scrolls a virtualised list (Variables, Running Extensions) from its top until `row` is rendered; returns whether it
   * was found. Monaco lists render only the rows in view, so a locator alone cannot reach the others.
   */
  async scrollListTo(list: Locator, row: Locator, maxWheels = 80): Promise<boolean> {
    await this.scrollListToTop(list);
    let still = 0;
    let offset = await listOffset(list);
    for (let i = 0; i < maxWheels && still < 3; i++) {
      if ((await row.count()) > 0) return true;
      await this.page.mouse.wheel(0, 120);
      await this.page.waitForTimeout(30);
      const next = await listOffset(list);
      // The end of the list: the rows stop moving for a few wheel events in a row.
      still = next === offset ? still + 1 : 0;
      offset = next;
    }
    return (await row.count()) > 0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The debugger: toolbar, current line, Variables view.

  /** The floating debug toolbar (visible while a session runs). */
  get debugToolbar(): Locator {
    return this.page.locator('.debug-toolbar');
  }

  /** A debug toolbar button by its codicon: `step-over`, `step-back`, `reverse-continue`, `continue`, `stop`... */
  debugButton(action: string): Locator {
    return this.debugToolbar.locator(`.action-label.codicon-debug-${action}`);
  }

  /** Stops the debug session with the toolbar's Stop button and waits for the toolbar to go. */
  async stopDebugging(): Promise<void> {
    await this.debugButton('stop').click();
    await this.debugToolbar.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /**
   * The 1-based line of the editor line marked as the top stack frame (`.debug-top-stack-frame-line`), read from the
   * line number drawn at the same height in the gutter; null when no line is marked.
   */
  async currentDebugLine(): Promise<number | null> {
    return this.page.evaluate(() => {
      const deco = document.querySelector<HTMLElement>('.monaco-editor .view-overlays .debug-top-stack-frame-line');
      const row = deco?.parentElement;
      const editor = deco?.closest('.monaco-editor');
      if (!row || !editor) return null;
      for (const d of editor.querySelectorAll<HTMLElement>('.margin-view-overlays > div')) {
        if (d.style.top === row.style.top) {
          const n = Number(d.querySelector('.line-numbers')?.textContent);
          return Number.isFinite(n) && n > 0 ? n : null;
        }
      }
      return null;
    });
  }

  /**
   * Every rendered row of the Variables view, top to bottom, as its aria-label (`Scope Metrics`,
   * `lostWrites, value 3`): scrolls the virtualised tree from its top to its end to collect them.
   */
  async debugVariables(): Promise<string[]> {
    const list = this.page.locator('.debug-variables .monaco-list');
    await list.waitFor({ timeout: 15_000 });
    await this.scrollListToTop(list);
    const byIndex = new Map<number, string>();
    let offset = await listOffset(list);
    let still = 0;
    for (let i = 0; i < 100 && still < 3; i++) {
      const rows = await list.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((e) => [Number(e.getAttribute('data-index')), e.getAttribute('aria-label') ?? ''] as const));
      for (const [index, label] of rows) byIndex.set(index, label);
      await this.page.mouse.wheel(0, 200);
      await this.page.waitForTimeout(30);
      // The end of the list: the rows stop moving for a few wheel events in a row.
      const next = await listOffset(list);
      still = next === offset ? still + 1 : 0;
      offset = next;
    }
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, label]) => label);
  }

  /** The children of one scope of the Variables view (rows between `Scope NAME` and the next scope), as aria-labels. */
  static scopeRows(rows: readonly string[], scope: string): string[] {
    const start = rows.indexOf(`Scope ${scope}`);
    if (start < 0) return [];
    const out: string[] = [];
    for (const r of rows.slice(start + 1)) {
      if (r.startsWith('Scope ')) break;
      out.push(r);
    }
    return out;
  }

  /** The value of a variable row `NAME, value VALUE` among `rows` (the first match), or undefined. */
  static variableValue(rows: readonly string[], name: string): string | undefined {
    const prefix = `${name}, value `;
    return rows.find((r) => r.startsWith(prefix))?.slice(prefix.length);
  }

  /** Polls the Variables view until `check` holds for its rows (returns them), or throws with the last rows seen. */
  async waitForDebugVariables(check: (rows: string[]) => boolean, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let rows: string[] = [];
    while (Date.now() < deadline) {
      rows = await this.debugVariables();
      if (check(rows)) return rows;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`the Variables view did not reach the expected state; last rows:\n${rows.join('\n')}`);
  }

  /**
   * Presses a debug toolbar button (or, given `{ keys }`, those keys one after the other: a chord such as Control+K
   * then F10) and waits until the debugger stopped somewhere else: the Clock scope's `stop` variable changed and the
   * editor marks the line its `line` variable names. Returns that line and the `stop` value (`17 of 25 stops (…)`).
   * Only the top of the Variables view is read (the Clock scope, which VS Code expands at every stop); read the rest
   * with waitForDebugVariables, which waits for the whole view to match.
   * (`stop` and `line` are the Cache Scenario debugger's Clock scope.)
   */
  async debugStep(action: 'step-over' | 'step-into' | 'step-out' | 'step-back' | 'continue' | 'reverse-continue' | { keys: readonly string[] }): Promise<{ line: number; stop: string }> {
    const list = this.page.locator('.debug-variables .monaco-list');
    await this.scrollListToTop(list);
    const stopRow = this.page.locator('.debug-variables .monaco-list-row[aria-label^="stop, value "]').first();
    const lineRow = this.page.locator('.debug-variables .monaco-list-row[aria-label^="line, value "]').first();
    await stopRow.waitFor({ timeout: 10_000 });
    const before = await stopRow.getAttribute('aria-label');
    if (typeof action === 'string') await this.debugButton(action).click();
    else for (const key of action.keys) await this.page.keyboard.press(key);
    await this.page.waitForFunction((b) => {
      const stop = document.querySelector('.debug-variables .monaco-list-row[aria-label^="stop, value "]')?.getAttribute('aria-label');
      const line = document.querySelector('.debug-variables .monaco-list-row[aria-label^="line, value "]');
      return !!stop && stop !== b && !!line;
    }, before, { timeout: 15_000 });
    const stop = ((await stopRow.getAttribute('aria-label')) ?? '').slice('stop, value '.length);
    const line = Number(((await lineRow.getAttribute('aria-label')) ?? '').slice('line, value '.length));
    const deadline = Date.now() + 10_000;
    while ((await this.currentDebugLine()) !== line) {
      if (Date.now() > deadline) throw new Error(`the editor does not mark line ${line} (marks ${String(await this.currentDebugLine())})`);
      await this.page.waitForTimeout(50);
    }
    return { line, stop };
  }

  /** Saves a PNG of the whole page to artifacts/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /**
   * Copies the extension's Output channel ("Cache Workbench": what the extension logged, watchdog retries included) to
   * artifacts/e2e/<name>.log and returns its path; undefined when code-server has not written the channel yet.
   */
  saveExtensionLog(name: string): string | undefined {
    const log = findFile(join(this.scratch, 'user-data', 'logs'), (file) => file.endsWith('Cache Workbench.log'));
    if (log === undefined) return undefined;
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name}.log`);
    copyFileSync(log, path);
    return path;
  }

  /** Closes the browser and the server; removes the scratch folder unless `keepState` or CACHE_WORKBENCH_KEEP_STATE=1. */
  async stop(keepState = process.env.CACHE_WORKBENCH_KEEP_STATE === '1'): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    if (keepState) console.log(`e2e: logs and state kept in ${this.scratch}`);
    else rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** The newest file under `dir` (searched depth first) that `wanted` accepts. */
function findFile(dir: string, wanted: (file: string) => boolean): string | undefined {
  if (!existsSync(dir)) return undefined;
  let found: { path: string; mtime: number } | undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? findFile(path, wanted) : wanted(entry.name) ? path : undefined;
    if (candidate === undefined) continue;
    const mtime = statSync(candidate).mtimeMs;
    if (!found || mtime > found.mtime) found = { path: candidate, mtime };
  }
  return found?.path;
}

/** How far a Monaco list is scrolled, in px (its rows container moves up by that much); 0 at the top or when empty. */
async function listOffset(list: Locator): Promise<number> {
  return list.evaluate((el) => {
    const rows = el.querySelector<HTMLElement>('.monaco-list-rows');
    return rows ? Math.abs(parseFloat(rows.style.top || '0') || 0) : 0;
  });
}

/** The bundled example scenarios (`scenarios/*.cachescenario`), absolute paths, sorted. */
export function bundledScenarios(): string[] {
  const dir = join(repoRoot, 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.cachescenario')).sort().map((f) => join(dir, f));
}

/**
 * One workbench for all the tests of a file: started before the first (then `ready`, for a theme or a listener),
 * stopped after the last; with `tidy`, tidied before each test (Workbench.tidy). Returns its getter, which fails the
 * test that asks when the start failed.
 */
export function workbenchForFile(options: StartOptions & { tidy?: boolean }, ready?: (wb: Workbench) => Promise<void> | void): () => Workbench {
  let wb: Workbench | undefined;
  before(async () => {
    wb = await Workbench.start(options);
    await ready?.(wb);
  }, { timeout: 180_000 });
  after(async () => {
    await wb?.stop();
  });
  if (options.tidy === true) {
    beforeEach(async () => {
      await wb?.tidy();
    });
  }
  return () => {
    assert.ok(wb, 'the workbench did not start');
    return wb;
  };
}
