// Runs the browser tests (test/e2e/*.test.ts, node:test through tsx) against code-server with the packaged .vsix installed.
// Usage: node scripts/runE2e.mjs [--no-package] [FILE...]. Screenshots: artifacts/e2e/. Last line: `e2e: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const started = Date.now();
const resultsDir = join('.tmp', 'e2e-results');
const tap = join(resultsDir, 'e2e.tap');

function finish(passed, failed, code) {
  console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

if (!process.argv.includes('--no-package')) {
  const p = spawnSync('npm', ['run', '--silent', 'package'], { stdio: 'inherit' });
  if (p.status !== 0) {
    console.error('e2e: packaging the .vsix failed');
    finish(0, 1, 1);
  }
}

// Files named on the command line run alone (e.g. node scripts/runE2e.mjs --no-package test/e2e/commands.test.ts).
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = named.length > 0
  ? named
  : existsSync('test/e2e')
    ? readdirSync('test/e2e').filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'e2e', f))
    : [];
if (files.length === 0) {
  console.error('e2e: no test files in test/e2e');
  finish(0, 1, 1);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
// Pictures of failures (failed-*.png) and known issues (known-issue-*.png) describe one run: drop the last run's.
const artifacts = join('artifacts', 'e2e');
if (existsSync(artifacts)) {
  for (const f of readdirSync(artifacts)) if (/^(failed|known-issue)-.*\.png$/.test(f)) rmSync(join(artifacts, f), { force: true });
}
// spec for people, TAP to a file for the counts; one file at a time (each starts its own code-server on 2 cores).
const r = spawnSync(process.execPath, [
  '--import', 'tsx', '--import', './test/support/assertMessage.mjs', '--test', '--test-concurrency=1',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { stdio: 'inherit' });

const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const code = r.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
finish(passed, code !== 0 && failed === 0 ? 1 : failed, code);
