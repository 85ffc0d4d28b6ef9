// What the .vsix holds, as vsce itself selects it: the repository's files and a build's outputs are laid out in a
// scratch folder and handed to vsce's own file listing with the real .vscodeignore, so the rules are judged by the
// code that packages them (vsce applies every `!` line after the others, which a reading of the file can miss).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };

/** The bundles esbuild.mjs writes to dist/, each with the sourcemap a development build links. */
const BUNDLES = ['extension', 'cli', 'engineWorker', 'debugAdapter', 'webview'];
/** What a build, a test run or `npm install` leaves beside the tracked files. */
const UNTRACKED = [
  ...BUNDLES.flatMap((b) => [`dist/${b}.js`, `dist/${b}.js.map`]),
  'dist/codicons/codicon.css',
  'dist/codicons/codicon.ttf',
  'out/test/integration/index.js',
  'out/test/integration/index.js.map',
  'node_modules/lru-cache/package.json',
  'node_modules/lru-cache/dist/commonjs/index.js',
  '.vscode-test/user-data/settings.json',
  'artifacts/e2e/lesson.png',
  'test-results/junit.xml',
  '.tmp/scratch.txt',
  'cache-workbench-0.1.0.vsix',
];

/** The files `vsce package` would put in the .vsix, given the repository's files and a build's outputs. */
async function packaged(): Promise<Set<string>> {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const dir = mkdtempSync(join(tmpdir(), 'cw-vsix-'));
  try {
    for (const f of [...tracked, ...UNTRACKED]) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), f === 'package.json' ? readFileSync(join(root, f)) : '');
    }
    const files = await listFiles({ cwd: dir, packageManager: PackageManager.None, ignoreFile: join(root, '.vscodeignore') });
    return new Set(files.map((f) => f.replace(/\\/g, '/')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the .vsix contents', () => {
  it('ships the bundles the extension loads, and not the standalone debug adapter, sourcemaps, tests or sources', async () => {
    const files = await packaged();
    for (const f of [pkg.main.replace(/^\.\//, ''), 'dist/webview.js', 'dist/engineWorker.js', 'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf']) {
      assert.ok(files.has(f), `${f} is missing from the package`);
    }
    // The extension runs the debug adapter inline; dist/debugAdapter.js serves the DAP tests only.
    assert.ok(!files.has('dist/debugAdapter.js'), 'dist/debugAdapter.js is packaged');
    const stray = [...files].filter((f) => f.endsWith('.map') || /^(src|test|out|node_modules|scripts|bench|docs|webview|artifacts|test-results|\.[^/]+)\//.test(f) || f.endsWith('.vsix'));
    assert.deepEqual(stray, []);
  });

  it('ships nothing outside dist, media, the bundled scenarios, the grammar and the top-level files it needs', async () => {
    const files = await packaged();
    const top = new Set(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'language-configuration.json']);
    assert.deepEqual([...files].filter((f) => !top.has(f) && !/^(dist|media|scenarios|syntaxes)\//.test(f)), []);
    for (const f of top) assert.ok(files.has(f), `${f} is missing from the package`);
    const tracked = execFileSync('git', ['ls-files', 'media', 'scenarios', 'syntaxes'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.deepEqual(tracked.filter((f) => !files.has(f)), [], 'every tracked file of media, scenarios and syntaxes ships');
  });
});
