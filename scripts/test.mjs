// `npm test`: every tier in order (typecheck, lint, unit+property, dap, build, tools, package, integration, e2e); stops
// at the first failing tier; ends with one total line `N passed, N failed` summed over the tiers that count tests.
// Options: --only a,b  runs just those tiers;  --skip a,b  leaves those out (e.g. --skip e2e while iterating).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const node = process.execPath;
const npx = 'npx';

/** Counts from a tier's output: node:test summaries (`ℹ pass N` from spec, `# pass N` from TAP) or our runners' lines. */
function nodeTestCounts(out) {
  const pick = (name) => [...out.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)\\s*$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: pick('pass'), failed: pick('fail') + pick('cancelled') };
}

function runnerCounts(label) {
  return (out) => {
    const m = [...out.matchAll(new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, 'gm'))].pop();
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: 0, failed: 0 };
  };
}

const hasTests = (dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.test.ts'));

const TIERS = [
  { name: 'typecheck', cmd: npx, args: ['tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', cmd: npx, args: ['eslint', '.'] },
  { name: 'unit', cmd: node, args: ['scripts/runNodeTests.mjs', 'unit', 'property'], counts: nodeTestCounts },
  {
    name: 'dap', cmd: node, args: ['scripts/runNodeTests.mjs', 'dap'], counts: nodeTestCounts,
    skip: () => (hasTests('test/dap') ? undefined : 'test/dap has no test files yet'),
  },
  { name: 'build', cmd: node, args: ['esbuild.mjs'] },
  { name: 'tools', cmd: node, args: ['scripts/installTools.mjs'] },
  { name: 'package', cmd: node, args: ['scripts/package.mjs'] },
  // --no-build: the integration suite runs against the production bundle the package tier just built.
  { name: 'integration', cmd: node, args: ['scripts/runIntegration.mjs', '--no-build'], counts: runnerCounts('integration') },
  { name: 'e2e', cmd: node, args: ['scripts/runE2e.mjs', '--no-package'], counts: runnerCounts('e2e') },
];

function listArg(flag) {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? (process.argv[i + 1] ?? '').split(',').filter(Boolean) : undefined;
}
const only = listArg('--only');
const skip = listArg('--skip') ?? [];
for (const n of [...(only ?? []), ...skip]) {
  if (!TIERS.some((t) => t.name === n)) {
    console.error(`test: unknown tier ${n}; tiers: ${TIERS.map((t) => t.name).join(', ')}`);
    process.exit(2);
  }
}

/** Runs a command, echoing its stdout live and keeping a copy to count from; stderr goes straight through. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk.toString();
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const started = Date.now();
let passed = 0;
let failed = 0;
const summary = [];
let exitCode = 0;

for (const tier of TIERS) {
  if ((only && !only.includes(tier.name)) || skip.includes(tier.name)) continue;
  const why = tier.skip?.();
  if (why) {
    console.log(`\n== ${tier.name}: skipped (${why})`);
    summary.push(`${tier.name}: skipped`);
    continue;
  }
  console.log(`\n== ${tier.name}: ${[tier.cmd === node ? 'node' : tier.cmd, ...tier.args].join(' ')}`);
  const t0 = Date.now();
  const { code, out } = await run(tier.cmd, tier.args);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const c = tier.counts?.(out);
  if (c) {
    passed += c.passed;
    failed += c.failed;
  }
  const counted = c ? `, ${c.passed} passed, ${c.failed} failed` : '';
  summary.push(`${tier.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s${counted}`);
  console.log(`== ${tier.name}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s${counted}`);
  if (code !== 0) {
    if (c && c.failed === 0) failed += 1; // a tier that crashed without reporting a failing test still failed
    if (!c) failed += 1;
    exitCode = 1;
    break;
  }
}

console.log(`\n== summary (${((Date.now() - started) / 1000).toFixed(1)} s)`);
for (const line of summary) console.log(`  ${line}`);
if (exitCode !== 0) console.log('test: stopped at the first failing tier');
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
