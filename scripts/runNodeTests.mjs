// Runs the node:test suites of the given tiers (unit, property, dap), or the given test files, with TypeScript loaded
// through tsx and test/support/assertMessage.mjs ahead of each file (a failing assert.ok without a message of its own
// could hang Node 20; see there).
// Usage: node scripts/runNodeTests.mjs unit property | node scripts/runNodeTests.mjs test/unit/parser.test.ts
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = process.argv.slice(2);
const files = [];
for (const tier of tiers) {
  if (tier.endsWith('.ts')) {
    files.push(tier);
    continue;
  }
  const dir = join('test', tier);
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.test.ts')) files.push(join(dir, f));
}
if (files.length === 0) {
  console.error(`no test files in ${tiers.join(', ')}`);
  process.exit(1);
}
// Two minutes a test (the slowest here take about 5 s): one a regression leaves waiting on a promise that never settles
// is cancelled, which counts as a failure, instead of hanging the run (a mutation audit's mutants did exactly that).
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/support/assertMessage.mjs', '--test', '--test-timeout=120000', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
