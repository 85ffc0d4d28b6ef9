// `npm start`: builds, then opens the extension in a real VS Code: desktop `code` when it is on PATH, else code-server on
// 127.0.0.1 with the freshly packaged extension installed and the bundled scenarios as the workspace. Either way the
// lesson opens. Runs until Ctrl+C.
// Options: --dev (code-server loads the unpackaged extension from this folder instead), --port N (default: a free port).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve('.');
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : undefined;

function step(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${cmd} ${cmdArgs.join(' ')} failed`);
    process.exit(1);
  }
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The extension activates only on its commands, view, language and debugger, never at startup. So the VS Code started
 * here opens a bundled scenario (its language activates the extension) and gets CACHE_WORKBENCH_OPEN_LESSON=1 (see
 * src/views/startupLesson.ts), on which activation opens the lesson: the sidebar view and the panel, over the scenario.
 */
const FIRST_SCENARIO = join('scenarios', 'c01-write-through-ack-after-both.cachescenario');
const OPEN_LESSON = { CACHE_WORKBENCH_OPEN_LESSON: '1' };

step(process.execPath, ['esbuild.mjs']);

if (onPath('code') && !process.env.CACHE_WORKBENCH_NO_DESKTOP) {
  // Desktop VS Code: an Extension Development Host window with this folder's extension and the bundled scenarios.
  console.log('start: opening desktop VS Code with the extension in development mode');
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, join(root, 'scenarios'), join(root, FIRST_SCENARIO)], {
    stdio: 'inherit',
    env: { ...process.env, ...OPEN_LESSON },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const cs = await import('./codeServer.mjs');
  const { codeServerWorks } = await import('./tools.mjs');
  if (!codeServerWorks()) step(process.execPath, [join('scripts', 'installTools.mjs')]);

  const scratch = cs.scratchFor('start', root);
  cs.prepareScratch(scratch);
  // A copy of the bundled scenarios, so exploring them never edits the repository's files.
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace, { recursive: true });
  if (existsSync(join(root, 'scenarios'))) cpSync(join(root, 'scenarios'), join(workspace, 'scenarios'), { recursive: true });

  let urlOptions = { folder: workspace, openFile: join(workspace, FIRST_SCENARIO) };
  if (dev) {
    urlOptions = { ...urlOptions, extensionDevelopmentPath: root };
  } else {
    step(process.execPath, [join('scripts', 'package.mjs')]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    cs.installVsix(scratch, join(root, `${pkg.name}-${pkg.version}.vsix`));
  }
  const server = await cs.startCodeServer({ scratch, port, smokeTestDriver: dev, env: OPEN_LESSON });
  let stopping = false;
  const shutdown = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nstart: ${why}; stopping code-server`);
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl+C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  void server.done.then(() => {
    if (!stopping) {
      console.error(`start: code-server exited; log: ${server.dirs.log}`);
      process.exit(1);
    }
  });
  console.log(`\nCache Workbench is running in code-server (VS Code in the browser)${dev ? ', extension loaded from this folder' : ''}; the lesson opens with it.`);
  console.log(`Open: ${cs.workbenchUrl(server, urlOptions)}`);
  console.log('Press Ctrl+C to stop.');
}
