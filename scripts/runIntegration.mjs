// Runs the integration suite (test/integration) inside a real VS Code: code-server with the smoke-test driver, opened in
// headless Chromium with a payload that loads this extension unpackaged and runs out/test/integration/index.js.
// Usage: node scripts/runIntegration.mjs [--no-build]. Last line: `integration: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, createWriteStream, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertTools, scratchFor, prepareScratch, startCodeServer, workbenchUrl, launchBrowser } from './codeServer.mjs';

/** Workbench messages caused by the machine having no network (extension gallery, GitHub sign-in): not shown. */
const NOISE = [/ENOTFOUND/, /authentication provider '\w+'/, /Updating additional builtin extensions cache/, /\[AccountPolicyGate\]/];
const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 240_000);
const root = resolve('.');
const scratch = scratchFor('integration', root);
const testsEntry = join(root, 'out', 'test', 'integration', 'index.js');

let passed = 0;
let failed = 0;
let sawCounts = false;
let server;
let browser;

async function cleanup() {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}

function finish(code, reason) {
  if (reason) console.error(`integration: ${reason}`);
  if (!sawCounts && code === 0) {
    code = 1;
    console.error('integration: the suite reported no counts');
  }
  if (code !== 0 && failed === 0) failed = 1; // a crash or timeout counts as a failure
  // Keep the scratch folder (logs, state) of a failed run for a look; a passing run leaves nothing behind.
  if (code === 0) rmSync(scratch, { recursive: true, force: true });
  else console.error(`integration: logs and state kept in ${scratch}`);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { void cleanup().then(() => finish(130, `stopped by ${sig}`)); });
}

async function main() {
  const t0 = Date.now();
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
    if (b.status !== 0) return finish(1, 'build failed');
  }
  if (!existsSync(testsEntry)) return finish(1, `${testsEntry} missing: run node esbuild.mjs`);
  assertTools();

  const dirs = prepareScratch(scratch);
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace, { recursive: true });
  server = await startCodeServer({ scratch, smokeTestDriver: true });
  console.log(`code-server ${server.url} ready in ${server.startMs} ms (pid ${server.pid}, state in ${dirs.root})`);

  browser = await launchBrowser({ profileDir: join(scratch, 'chromium') });
  const { page } = browser;
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  const onLine = (line) => {
    const m = /\[mocha\] passes=(\d+) failures=(\d+)/.exec(line);
    if (m) {
      passed = Number(m[1]);
      failed = Number(m[2]);
      sawCounts = true;
    }
  };
  // The workbench calls these (smoke-test driver contract): every extension-host console line, then the exit code.
  const automationLog = createWriteStream(join(scratch, 'automation.log'));
  // The workbench calls these (smoke-test driver contract): each log message (extension-host console included), then the exit code.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    const text = parts.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    automationLog.write(`[${type}] ${text}\n`);
    // The workbench's own complaints about having no network are noise here; everything else is shown.
    if (!NOISE.some((re) => re.test(text))) console.log(text.replace(/^/gm, '  '));
    for (const line of text.split('\n')) onLine(line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  page.on('pageerror', (err) => console.error(`  [page error] ${err.message}`));

  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root, extensionTestsPath: testsEntry });
  await page.goto(url);
  const code = await Promise.race([exited, sleep(TIMEOUT_MS).then(() => 'timeout')]);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  await cleanup();
  automationLog.end();
  if (code === 'timeout') return finish(1, `timed out after ${TIMEOUT_MS} ms (log: ${dirs.log})`);
  console.log(`integration: finished in ${seconds} s, exit code ${code}`);
  return finish(code === 0 && failed === 0 ? 0 : 1);
}

main().catch(async (err) => {
  await cleanup();
  finish(1, err instanceof Error ? err.stack ?? err.message : String(err));
});
