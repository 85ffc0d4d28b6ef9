// `npm start` as a newcomer runs it (code-server here: no desktop `code`): it prints a URL, the workbench answers there
// with the extension loaded and the lesson open, and Ctrl+C stops everything it started and removes its state.
// Screenshot: artifacts/e2e/start-lesson.png.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { Browser } from '../../scripts/codeServer.mjs' with { 'resolution-mode': 'import' };
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import { artifactsDir, repoRoot } from './harness';

let start: ChildProcess | undefined;
let browser: Browser | undefined;
let scratch: string | undefined;
/** Chromium's profile, beside the scratch folder (which `npm start` removes itself). */
const profileDir = join(repoRoot, '.tmp', `e2e-start-chromium-${process.pid}`);

/** Pids of the processes whose command line names `path` (code-server and its children keep their state there). */
function processesUsing(path: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(path)).map((l) => Number(l.trim().split(/\s+/)[0])).filter((pid) => pid !== process.pid);
}

after(async () => {
  await browser?.close().catch(() => undefined);
  rmSync(profileDir, { recursive: true, force: true });
  // A failed run must not leave `npm start` or its code-server behind: end the group started here, then anything still
  // holding the scratch folder (code-server runs in a process group of its own).
  if (start?.pid !== undefined && start.exitCode === null) {
    try {
      process.kill(-start.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (scratch) {
    for (const pid of processesUsing(scratch)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** Resolves with the first match of `re` in the child's stdout (rejects when it exits first or `ms` pass). */
function waitForOutput(child: ChildProcess, re: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no ${re} within ${ms} ms:\n${out}`)), ms);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${String(code)}) before printing ${re}:\n${out}`));
    });
  });
}

/** The document of the webview whose body says `data-webview="<marker>"`, once `selector` matches in it. */
async function webview(page: Browser['page'], marker: string, selector: string, ms: number): Promise<FrameLocator> {
  const deadline = Date.now() + ms;
  for (;;) {
    const n = await page.locator('iframe.webview').count();
    for (let i = 0; i < n; i++) {
      const inner = page.frameLocator('iframe.webview').nth(i).frameLocator('#active-frame');
      if ((await inner.locator(`body[data-webview="${marker}"] ${selector}`).count()) > 0) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no ${marker} webview showing ${selector} within ${ms} ms`);
    await page.waitForTimeout(250);
  }
}

test('npm start prints a URL where the workbench answers with the lesson open; Ctrl+C stops code-server and removes its state', { timeout: 240_000 }, async () => {
  // Its own process group, as a terminal runs a command: Ctrl+C then signals npm and the script together.
  start = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    // This machine has no desktop `code`; the variable keeps one that a developer has from being used instead.
    env: { ...process.env, CACHE_WORKBENCH_NO_DESKTOP: '1' },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => start?.once('exit', (code, signal) => resolve({ code, signal })));
  const [, url] = await waitForOutput(start, /^Open: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m, 180_000);
  assert.ok(url);
  const folder = new URL(url).searchParams.get('folder') ?? '';
  assert.match(folder, /[/\\]\.tmp[/\\]start-\d+[/\\]workspace$/, 'the workspace lives in a scratch folder of the repo');
  scratch = join(folder, '..');

  // The workbench answers at that URL...
  const res = await fetch(url);
  assert.equal(res.status, 200);
  // ...and in a browser it shows the extension's activity-bar entry, the Lesson view and the lesson panel.
  const cs = await import('../../scripts/codeServer.mjs');
  browser = await cs.launchBrowser({ profileDir });
  const page = browser.page;
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-item .action-label[aria-label^="Cache Workbench"]').first().waitFor({ timeout: 60_000 });
  const panel = await webview(page, 'workbench', 'h1.cw-section-title', 60_000);
  const first = LESSON_SECTIONS[0];
  assert.ok(first);
  assert.equal(((await panel.locator('h1.cw-section-title').textContent()) ?? '').trim(), first.title, 'a new learner starts at the first section');
  const side = await webview(page, 'sidebar', '.cw-side-item', 30_000);
  assert.equal(await side.locator('.cw-side-item').count(), LESSON_SECTIONS.length);
  // The bundled scenario that activated the extension is open behind the lesson.
  await page.locator('.tabs-container .tab', { hasText: 'c01-write-through-ack-after-both.cachescenario' }).first().waitFor({ timeout: 10_000 });
  mkdirSync(artifactsDir, { recursive: true });
  await page.mouse.move(5, 300);
  await page.screenshot({ path: join(artifactsDir, 'start-lesson.png') });
  await browser.close();
  browser = undefined;

  // Ctrl+C: SIGINT to the terminal's process group.
  assert.ok(start.pid !== undefined);
  assert.ok(processesUsing(scratch).length > 0, 'code-server runs with its state in the scratch folder');
  process.kill(-start.pid, 'SIGINT');
  // npm passes the interrupt on and then ends by it, as after any script a Ctrl+C stopped; the script exits 0.
  const end = await exited;
  assert.ok(end.code === 0 || end.signal === 'SIGINT', `npm start ended by ${JSON.stringify(end)}`);
  assert.deepEqual(processesUsing(scratch), [], 'nothing it started is left running');
  await assert.rejects(fetch(url), 'the URL no longer answers');
  assert.equal(existsSync(scratch), false, 'its scratch folder is removed');
});
