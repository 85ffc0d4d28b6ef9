// `npm run bench:profile`: where one operation's cost goes, by function, for the benchmark's workload
// (bench/probe.ts). `npm run bench:cachegrind` gives a target's totals; this splits them.
//
//   npm run bench:profile -- [--ops=N] [--top=N] [--json] TARGET [TARGET ...]
//     callgrind with simulated caches, one run over the operations and then two: per function, the difference in
//     instructions, first-level data-cache misses (reads and writes) and code-cache misses, per operation, the
//     functions with the most instructions first (`--top`, default 40). V8's
//     compiled functions are named through node's --perf-basic-prof map ("JS:*name :LINE:COL", LINE in
//     out/probe.js; `*` optimized, `^` baseline, `~` interpreted; inlined functions count in their caller's code).
//     V8's normal collection schedule, so the collector's share moves from run to run.
//   npm run bench:profile -- --alloc [--ops=N] [--top=N] [--json] TARGET [TARGET ...]
//     bytes allocated per operation by allocation site (V8's sampling heap profiler, collected objects included).
//
//   (TARGET: raw, a strategy, or lean-STRATEGY, as for bench:cachegrind.) Needs valgrind and setarch for the first
//   form; takes about a minute per target with two cores.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attribute, parsePerfMap, perOpDifference } from './callgrindAttribution.mjs';

const STRATEGIES = ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'];
const TARGETS = ['raw', ...STRATEGIES, ...STRATEGIES.map((s) => `lean-${s}`)];
const EVENTS = ['Ir', 'D1mr', 'D1mw', 'I1mr'];

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const targets = args.filter((a) => !a.startsWith('--'));
for (const f of flags) if (!['--json', '--alloc'].includes(f) && !f.startsWith('--ops=') && !f.startsWith('--top=')) usage(`unknown flag ${JSON.stringify(f)}`);
for (const t of targets) if (!TARGETS.includes(t)) usage(`unknown target ${JSON.stringify(t)}`);
if (targets.length === 0) usage('name at least one target');
const json = flags.includes('--json');
const alloc = flags.includes('--alloc');
const ops = numberFlag('ops', alloc ? 1_000_000 : 200_000);
const top = numberFlag('top', 40);

function numberFlag(name, fallback) {
  const f = flags.find((a) => a.startsWith(`--${name}=`));
  if (f === undefined) return fallback;
  const n = Number(f.slice(name.length + 3));
  if (!Number.isInteger(n) || n < 1) usage(`--${name} expects a positive whole number, got ${JSON.stringify(f.slice(name.length + 3))}`);
  return n;
}

function usage(problem) {
  console.error(`${problem}\nusage: npm run bench:profile -- [--alloc] [--ops=N] [--top=N] [--json] TARGET [TARGET ...]\n  TARGET: ${TARGETS.join(', ')}`);
  process.exit(2);
}

const probe = resolve('out/probe.js');
await esbuild.build({ entryPoints: ['bench/probe.ts'], outfile: probe, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });

if (alloc) {
  const results = targets.map((target) => {
    const r = spawnSync(process.execPath, [probe, target, String(ops), '1', '--alloc'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) fail(`the probe failed on ${target}:\n${r.stderr.slice(-2000)}`);
    return { target, ...JSON.parse(r.stdout.trim().split('\n').at(-1)) };
  });
  if (json) console.log(JSON.stringify({ node: process.version, ops, results }));
  else {
    for (const r of results) {
      console.log(`${r.target}: ${r.bytesPerOp} bytes allocated per operation (${ops.toLocaleString('en-US')} operations; site: function:line < caller:line, lines of out/probe.js)`);
      for (const s of r.sites.slice(0, top)) console.log(`${String(s.bytesPerOp).padStart(9)}  ${s.site}`);
    }
  }
  process.exit(0);
}

if (spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status !== 0 || spawnSync('setarch', ['-R', 'true']).status !== 0) {
  fail('bench:profile needs valgrind and setarch on PATH (Debian: apt-get install valgrind util-linux)');
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

/** One callgrind run of the probe over `reps` runs: its per-function totals. */
function callgrind(target, reps, dir) {
  const out = join(dir, `${target}.${reps}.out`);
  // setarch -R and V8's fixed seeds, as bench:cachegrind; --no-compact-code-space keeps each function's code where
  // the perf map says it is.
  const argv = ['-R', 'valgrind', '--tool=callgrind', '--cache-sim=yes', '--dump-instr=yes', '--compress-strings=no', '--compress-pos=no', `--callgrind-out-file=${out}`];
  argv.push(process.execPath, '--perf-basic-prof', '--no-compact-code-space', '--single-threaded', '--hash-seed=1', '--random-seed=1', probe, target, String(ops), String(reps));
  return new Promise((done) => {
    // In the scratch folder: with --perf-basic-prof, V8 also writes an isolate-*.log into the working directory.
    const child = spawn('setarch', argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('close', (code) => {
      if (code !== 0) fail(`valgrind failed on ${target}:\n${err}`);
      const text = readFileSync(out, 'utf8');
      const pid = /^pid: (\d+)/m.exec(text)?.[1];
      const mapFile = `/tmp/perf-${pid}.map`;
      let map;
      try {
        map = readFileSync(mapFile, 'utf8');
      } catch {
        fail(`no perf map for ${target} at ${mapFile}`);
      }
      rmSync(mapFile, { force: true });
      done(attribute(text, parsePerfMap(map), EVENTS));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'cw-profile-'));
const results = [];
try {
  for (const target of targets) {
    if (!json) console.error(`${target}: profiling (two callgrind runs)...`);
    const [one, two] = await Promise.all([callgrind(target, 1, dir), callgrind(target, 2, dir)]);
    const diff = perOpDifference(one, two, EVENTS, ops);
    const functions = [...diff].map(([name, c]) => ({
      name: name.replace(` ${probe}`, ' '),
      instructions: round(c.Ir),
      d1Misses: round(c.D1mr + c.D1mw),
      i1Misses: round(c.I1mr),
    }));
    const sum = (k) => round(functions.reduce((a, f) => a + f[k], 0));
    results.push({ target, total: { instructions: sum('instructions'), d1Misses: sum('d1Misses'), i1Misses: sum('i1Misses') }, functions });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function round(x) {
  return Math.round(x * 100) / 100;
}

if (json) console.log(JSON.stringify({ node: process.version, ops, results }));
else {
  console.log(`per operation, one warm run of ${ops.toLocaleString('en-US')} operations (callgrind, simulated caches, V8's normal GC schedule; Node.js ${process.version})`);
  console.log('instructions, first-level data-cache misses and code-cache misses, by function (self cost: inlined callees count in their caller)');
  const head = ['function'.padEnd(56), ...results.map((r) => `${r.target.slice(0, 22).padStart(22)}${'D1'.padStart(7)}${'I1'.padStart(7)}`)].join('');
  console.log(head);
  const row = (label, cells) => console.log([label.slice(0, 55).padEnd(56), ...cells.map((c) => (c === undefined ? ' '.repeat(36) : `${c.instructions.toFixed(1).padStart(22)}${c.d1Misses.toFixed(2).padStart(7)}${c.i1Misses.toFixed(2).padStart(7)}`))].join(''));
  row('TOTAL', results.map((r) => r.total));
  const byName = results.map((r) => new Map(r.functions.map((f) => [f.name, f])));
  const names = [...new Set(results.flatMap((r) => r.functions.map((f) => f.name)))];
  // Largest first, by the most instructions any target spends in the function.
  const weight = (n) => Math.max(...byName.map((m) => Math.abs(m.get(n)?.instructions ?? 0)));
  for (const n of names.sort((a, b) => weight(b) - weight(a)).slice(0, top)) row(n, byName.map((m) => m.get(n)));
}
