// Drives a real VS Code (code-server with the packaged extension installed) from headless Chromium, as a learner would:
// command palette, notifications, webviews two iframes deep, the activity bar, screenshots. Shared by every e2e file.
import { mkdirSync, readFileSync, readdirSync, copyFileSync, existsSync, rmSync } from 'node:fs';
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
    const label = title.includes(':') ? title : `${CATEGORY}: ${title}`;
    const page = this.page;
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    // The row's aria-label is the command label, or the label then ", <keybinding or note>": match exactly that.
    const q = JSON.stringify(label);
    const qComma = JSON.stringify(`${label},`);
    const row = widget.locator(`.monaco-list-row[aria-label=${q}], .monaco-list-row[aria-label^=${qComma}]`).first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${label}`);
      try {
        await row.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (err) {
        await page.keyboard.press('Escape');
        if (Date.now() > deadline) throw err;
      }
    }
    // Click the matching row rather than pressing Enter, which runs whichever row is active while the list settles.
    await row.click();
    await widget.waitFor({ state: 'hidden' });
  }

  /**
   * The inner document of the webview whose body carries `data-webview="<marker>"` (our placeholder panels say
   * `workbench`, the sidebar view `lesson-view`). A webview is two iframes deep: iframe.webview > #active-frame.
   */
  async webviewFrame(marker: string, timeoutMs = 30_000): Promise<FrameLocator> {
    const deadline = Date.now() + timeoutMs;
    const outer = this.page.locator('iframe.webview');
    while (Date.now() < deadline) {
      const n = await outer.count();
      for (let i = 0; i < n; i++) {
        const inner = this.page.frameLocator('iframe.webview').nth(i).frameLocator('#active-frame');
        if ((await inner.locator(`body[data-webview="${marker}"]`).count()) > 0) return inner;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no webview with data-webview="${marker}" within ${timeoutMs} ms`);
  }

  /** A visible notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  }

  /** Closes every notification toast, so the next check sees only new ones. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Clicks the activity-bar entry with this title (e.g. "Cache Workbench") to open its sidebar container. */
  async openActivity(title: string): Promise<void> {
    await this.activityEntry(title).click();
  }

  /** The activity-bar entry whose label starts with `title`. */
  activityEntry(title: string): Locator {
    return this.page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  /** Saves a PNG of the whole page to artifacts/e2e/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name}.png`);
    await this.page.screenshot({ path });
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

/** The bundled example scenarios (`scenarios/*.cachescenario`), absolute paths, sorted. */
export function bundledScenarios(): string[] {
  const dir = join(repoRoot, 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.cachescenario')).sort().map((f) => join(dir, f));
}
