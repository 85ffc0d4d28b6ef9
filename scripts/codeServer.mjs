// Starts and stops code-server (a real VS Code in the browser) and the Chromium that drives it; shared by the
// integration runner, the e2e harness and `npm start`. State goes to a scratch folder; the server runs in its own process group.
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, openSync, closeSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { URLSearchParams } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeBin, codeServerEntry, node24Env, codeServerWorks } from './tools.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** User settings that keep the workbench quiet and deterministic: no trust prompt, welcome page, telemetry or update checks. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Modal editors (Running Extensions, Settings) close when a webview takes focus; plain editors keep tests deterministic.
  'workbench.editor.useModal': 'off',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/** Fails with a clear message when the tools are missing (installTools.mjs installs them). */
export function assertTools() {
  if (!codeServerWorks()) {
    throw new Error('code-server is not installed or does not start: run `node scripts/installTools.mjs` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A scratch folder `.tmp/<prefix>-<pid>` for this process, so runs started at the same time in one clone never share
 * state; folders left by runs whose process is gone are removed first.
 */
export function scratchFor(prefix, root = process.cwd()) {
  const base = join(root, '.tmp');
  mkdirSync(base, { recursive: true });
  for (const name of readdirSync(base)) {
    const m = new RegExp(`^${prefix}-(\\d+)$`).exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) rmSync(join(base, name), { recursive: true, force: true });
  }
  return join(base, `${prefix}-${process.pid}`);
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err?.code === 'EPERM';
  }
}

/** Folders under `scratch` that hold all of code-server's state, so nothing lands in $HOME or /tmp. */
function layout(scratch) {
  const root = resolve(scratch);
  return {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    tmp: join(root, 'tmp'),
    log: join(root, 'code-server.log'),
  };
}

function serverEnv(dirs, extra = {}) {
  return node24Env({ ...extra, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, TMPDIR: dirs.tmp });
}

/** Empties `scratch` and lays out its folders, with the user settings pre-seeded. */
export function prepareScratch(scratch, settings = {}) {
  const dirs = layout(scratch);
  rmSync(dirs.root, { recursive: true, force: true });
  for (const d of [dirs.userDataDir, dirs.extensionsDir, dirs.xdgConfig, dirs.xdgData, dirs.tmp]) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  writeFileSync(join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return dirs;
}

/** Installs a packaged extension (.vsix) into the scratch folder's extensions dir (~1 s). */
export function installVsix(scratch, vsix) {
  const dirs = layout(scratch);
  const r = spawnSync(nodeBin, [codeServerEntry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir,
    '--install-extension', resolve(vsix)], { env: serverEnv(dirs), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server on 127.0.0.1 with its state in `scratch` (call prepareScratch first) and waits for /healthz.
 * `smokeTestDriver` lets the workbench URL carry a `payload` (extensionDevelopmentPath, extensionTestsPath).
 * `env` adds variables to the server's environment, which its extension hosts inherit (`npm start` asks for the lesson so).
 * Returns { url, port, pid, dirs, startMs, done, stop() }: `done` settles when the server process exits; stop() ends
 * its whole process group (extension hosts included).
 */
export async function startCodeServer({ scratch, port, smokeTestDriver = false, host = '127.0.0.1', timeoutMs = 60_000, env = {} }) {
  const dirs = layout(scratch);
  const listenPort = port ?? await freePort();
  const args = [
    codeServerEntry,
    '--bind-addr', `${host}:${listenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const logFd = openSync(dirs.log, 'a');
  // detached: a new process group, so stop() can signal the server and every child it started at once.
  const child = spawn(nodeBin, args, { detached: true, env: serverEnv(dirs, env), stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = null;
  const done = new Promise((resolveDone) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolveDone(exited);
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    signalGroup(pid, 'SIGTERM');
    for (let i = 0; i < 50 && groupAlive(pid); i++) await sleep(100);
    if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  };

  const url = `http://${host}:${listenPort}/`;
  const started = Date.now();
  while (true) {
    if (exited) throw new Error(`code-server exited during start (${JSON.stringify(exited)}); log ${dirs.log}:\n${tail(dirs.log)}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; log ${dirs.log}:\n${tail(dirs.log)}`);
    }
    await sleep(200);
  }
  return { url, port: listenPort, host, pid, dirs, startMs: Date.now() - started, done, stop };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The workbench URL for `folder`; with `extensionDevelopmentPath` (and optionally `extensionTestsPath`) it carries the
 * smoke-test-driver payload that loads an unpackaged extension (and runs its tests) in the remote extension host.
 * `openFile` opens that file in an editor when the workbench loads (a payload entry the workbench reads without the
 * smoke-test driver).
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, openFile } = {}) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', resolve(folder));
  const remote = (p) => `vscode-remote://${server.host}:${server.port}${resolve(p)}`;
  const payload = [];
  if (openFile) payload.push(['openFile', remote(openFile)]);
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  if (payload.length > 0) params.set('payload', JSON.stringify(payload));
  return `${server.url}?${params.toString()}`;
}

/** Launches Debian's Chromium through playwright-core with a fresh profile; returns { context, page, close() }. */
export async function launchBrowser({ profileDir, viewport = { width: 1400, height: 900 } }) {
  const { chromium } = await import('playwright-core');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, close: () => context.close() };
}
