// Where the test tools live: Node 24 and code-server, installed by installTools.mjs into a cache folder outside the repo,
// keyed by version, so CI, `npm test` and `npm start` share one install. Pure path arithmetic and a "does it work" probe.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** code-server 4.139.1 ships VS Code 1.139 and requires Node 24 (its engines field says exactly "24"). */
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

/** Root of the tool cache; override with CACHE_WORKBENCH_TOOLS (e.g. to share a cache between clones). */
export const toolsRoot = process.env.CACHE_WORKBENCH_TOOLS ?? join(homedir(), '.cache', 'cache-workbench');

export const nodeDir = join(toolsRoot, `node-${NODE_MAJOR}`);
/** The `node` package's platform binary package: holds bin/node and the C headers node-gyp needs (include/node). */
export const nodePackageDir = join(nodeDir, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`);
export const nodeBin = join(nodePackageDir, 'bin', 'node');

export const codeServerDir = join(toolsRoot, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * Environment with Node 24 first on PATH and node-gyp pointed at its headers (the machine's npm config says /usr).
 * Without the user agent of the npm that started us (`npm test` under the machine's Node): npm reads `npm_config_*`
 * variables as its own settings, so an npm started from here would pass that agent on, and code-server's postinstall
 * reads the Node version from it ("code-server currently requires node v24 ... you are on node v20").
 */
export function node24Env(extra = {}) {
  const env = {
    ...process.env,
    PATH: `${join(nodePackageDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodePackageDir,
    ...extra,
  };
  delete env.npm_config_user_agent;
  return env;
}

/** True when the Node 24 binary runs and reports major version 24. */
export function nodeWorks() {
  if (!existsSync(nodeBin)) return false;
  const r = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().startsWith(`v${NODE_MAJOR}.`);
}

/** True when code-server runs under Node 24 and reports the pinned version. */
export function codeServerWorks() {
  if (!nodeWorks() || !existsSync(codeServerEntry)) return false;
  const r = spawnSync(nodeBin, [codeServerEntry, '--version'], { encoding: 'utf8', env: node24Env(), timeout: 60_000 });
  return r.status === 0 && r.stdout.includes(CODE_SERVER_VERSION);
}
