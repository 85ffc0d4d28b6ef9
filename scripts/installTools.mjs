// Installs the tools that run the extension in a real VS Code: Node 24 (from the npm registry) and code-server (pinned),
// into ~/.cache/cache-workbench keyed by version. Idempotent: a present, working install is kept. Usage: node scripts/installTools.mjs
import { mkdirSync, rmSync, renameSync, writeFileSync, readFileSync, existsSync, createWriteStream, readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setInterval, clearInterval } from 'node:timers';
import {
  CODE_SERVER_VERSION, NODE_MAJOR, toolsRoot, nodeDir, codeServerDir, nodePackageDir,
  node24Env, nodeWorks, codeServerWorks,
} from './tools.mjs';
import { buildFailureHint, missingPrerequisitesMessage } from './installHints.mjs';

function log(msg) {
  console.log(`[tools] ${msg}`);
}

function fail(msg) {
  console.error(`[tools] ERROR: ${msg}`);
  process.exit(1);
}

function hasProgram(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function checkPrerequisites() {
  const message = missingPrerequisitesMessage(existsSync, hasProgram);
  if (message) fail(message);
}

/**
 * Runs `npm install SPEC` in a fresh `<target>.partial-<pid>` folder and renames it to `target` when it succeeds, so an
 * interrupted install never looks complete. Prints a heartbeat while npm is quiet (native builds take minutes).
 */
async function npmInstall(target, spec, env, label, works) {
  // One partial folder per process: two installs racing (two clones, two terminals) never write into the same folder.
  removeStalePartials(target);
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'package.json'), JSON.stringify({ name: 'cache-workbench-tools', private: true }, null, 2));
  const logFile = `${target}.install.log`;
  const out = createWriteStream(logFile);
  const started = Date.now();
  log(`installing ${spec} into ${target} (log: ${logFile})`);
  const child = spawn('npm', ['install', spec, '--no-audit', '--no-fund', '--no-save', '--loglevel=http'], {
    cwd: partial, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const heartbeat = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    log(`  ... ${label} still installing, ${s} s elapsed`);
  }, 15_000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  clearInterval(heartbeat);
  await new Promise((resolve) => out.end(resolve));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code !== 0) {
    const text = readFileSync(logFile, 'utf8');
    console.error(text.split('\n').slice(-40).join('\n'));
    const hint = buildFailureHint(text);
    fail(`npm install ${spec} failed after ${seconds} s (exit ${code}); full log: ${logFile}${hint}`);
  }
  if (works()) {
    // Another process finished the same install meanwhile: keep its folder.
    rmSync(partial, { recursive: true, force: true });
  } else {
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  log(`${label} installed in ${seconds} s`);
}

function removeStalePartials(target) {
  const dir = dirname(target);
  const prefix = `${basename(target)}.partial-`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (err) {
      alive = err?.code === 'EPERM';
    }
    if (!alive) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

async function main() {
  mkdirSync(toolsRoot, { recursive: true });

  if (nodeWorks()) {
    log(`Node ${NODE_MAJOR} present: ${nodeDir}`);
  } else {
    await npmInstall(nodeDir, `node@${NODE_MAJOR}`, { ...process.env }, `Node ${NODE_MAJOR}`, nodeWorks);
    if (!nodeWorks()) fail(`Node ${NODE_MAJOR} was installed into ${nodeDir} but does not run`);
  }

  if (codeServerWorks()) {
    log(`code-server ${CODE_SERVER_VERSION} present: ${codeServerDir}`);
  } else {
    checkPrerequisites();
    log(`code-server compiles about 10 native modules with node-gyp: expect about 2 minutes on 2 cores`);
    // Node 24 first on PATH for npm, its lifecycle scripts and node-gyp; headers from the Node 24 package.
    await npmInstall(codeServerDir, `code-server@${CODE_SERVER_VERSION}`, node24Env({ npm_config_nodedir: nodePackageDir }), 'code-server', codeServerWorks);
    if (!codeServerWorks()) fail(`code-server ${CODE_SERVER_VERSION} was installed into ${codeServerDir} but does not start`);
  }
  log('tools ready');
}

await main();
