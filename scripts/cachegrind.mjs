// `npm run bench:cachegrind`: what one operation costs the CPU, counted rather than timed. Runs bench/probe.ts under
// valgrind's cachegrind for raw lru-cache and every strategy, each twice (one run over the operations, then two: the
// difference is one warm run), with V8 made deterministic (see V8_FLAGS): the same build gives the same counts to
// within about 1% on an idle machine, where timings on a shared machine move by 2x. Prints instructions, data
// reads/writes and simulated cache misses per operation. Needs valgrind (not part of `npm test`); takes a few minutes (about 30 s per run with cache simulation).
//
//   npm run bench:cachegrind -- [--ops=N] [--no-cache-sim] [--normal-gc] [--json] [TARGET ...]
//   (TARGET: raw, a strategy, or lean-STRATEGY: the prototypes in bench/lean.ts, only when named)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

const STRATEGIES = ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'];
/** Not in the default set: issue #2's measuring sticks (bench/lean.ts), counted when named. */
const PROTOTYPES = STRATEGIES.map((s) => `lean-${s}`);
const args = process.argv.slice(2);
const json = args.includes('--json');
const cacheSim = !args.includes('--no-cache-sim');
const normalGc = args.includes('--normal-gc');
const opsArg = args.find((a) => a.startsWith('--ops='));
const ops = opsArg === undefined ? 200_000 : Number(opsArg.slice('--ops='.length));
const targets = args.filter((a) => !a.startsWith('--'));
for (const a of args) {
  if (a.startsWith('--') && !['--json', '--no-cache-sim', '--normal-gc'].includes(a) && !a.startsWith('--ops=')) usage(`unknown flag ${JSON.stringify(a)}`);
}
if (!Number.isInteger(ops) || ops < 1) usage(`--ops expects a positive whole number, got ${JSON.stringify(opsArg?.slice(6))}`);
for (const t of targets) if (t !== 'raw' && !STRATEGIES.includes(t) && !PROTOTYPES.includes(t)) usage(`unknown target ${JSON.stringify(t)}`);
if (spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status !== 0 || spawnSync('setarch', ['-R', 'true']).status !== 0) {
  console.error('bench:cachegrind needs valgrind and setarch on PATH (Debian: apt-get install valgrind util-linux)');
  process.exit(2);
}

function usage(problem) {
  console.error(`${problem}\nusage: npm run bench:cachegrind -- [--ops=N] [--no-cache-sim] [--normal-gc] [--json] [raw|${[...STRATEGIES, ...PROTOTYPES].join('|')} ...]`);
  process.exit(2);
}

await esbuild.build({ entryPoints: ['bench/probe.ts'], outfile: 'out/probe.js', bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });

// No concurrency (compiler and collector threads), a fixed hash and random seed, and (unless --normal-gc) a fixed
// garbage-collection schedule. The fixed schedule makes counts repeat, but it keeps the young generation small and the
// old one growing slowly, so the old generation is marked and swept far more often than in a normal run: write-behind
// counts 3,795 instructions per operation with it and 2,964 without (write-through 2,839 and 2,941). V8's normal
// schedule looks at how fast the run goes, so under --normal-gc the counts move with the cache simulation and the load
// (write-through 2,499 and 3,343 in two runs of one build with simulated caches); without simulated caches, on an idle
// machine, they mostly repeat to 0.1%.
const V8_FLAGS = normalGc
  ? ['--single-threaded', '--hash-seed=1', '--random-seed=1']
  : ['--predictable', '--predictable-gc-schedule', '--single-threaded', '--hash-seed=1', '--random-seed=1'];
const FIELDS = { 'I   refs': 'instructions', 'I1  misses': 'i1Misses', 'D   refs': 'dataRefs', 'D1  misses': 'd1Misses', 'LLd misses': 'llDataMisses' };

/** cachegrind's summary counts for one run of the probe. */
function counts(target, reps) {
  // setarch -R: no address-space randomisation; V8 as above. With the fixed schedule, two runs of one build agree to
  // about 1% on an idle machine; run it alone: with other valgrind runs on the same cores, one run counted 19% more.
  const r = spawnSync(
    'setarch',
    ['-R', 'valgrind', '--tool=cachegrind', `--cache-sim=${cacheSim ? 'yes' : 'no'}`, '--cachegrind-out-file=/dev/null', process.execPath, ...V8_FLAGS, 'out/probe.js', target, String(ops), String(reps)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) {
    console.error(`valgrind failed on ${target}:\n${r.stderr.slice(-2000)}`);
    process.exit(1);
  }
  const out = {};
  for (const line of r.stderr.split('\n')) {
    // "==123== I   refs:      6,618,454,010" (the D refs line goes on with its read/write split)
    const m = /^==\d+== (.+?):\s+([\d,]+)/.exec(line);
    const field = m ? FIELDS[m[1]] : undefined;
    if (m && field !== undefined) out[field] = Number(m[2].replaceAll(',', ''));
  }
  if (out.instructions === undefined) {
    console.error(`no counts in valgrind's output for ${target}:\n${r.stderr.slice(-2000)}`);
    process.exit(1);
  }
  return out;
}

const rows = [];
for (const target of targets.length > 0 ? targets : ['raw', ...STRATEGIES]) {
  const base = counts(target, 1);
  const full = counts(target, 2);
  const perOp = {};
  for (const k of Object.keys(full)) perOp[k] = Math.round(((full[k] - (base[k] ?? 0)) / ops) * 100) / 100;
  rows.push({ target, perOp });
  if (!json) console.error(`${target}: ${perOp.instructions} instructions per operation`); // progress: runs take minutes
}
const raw = rows.find((r) => r.target === 'raw')?.perOp.instructions;
const result = {
  // Counts depend on V8's version (write-behind's differ by 17% between Node 20 and 24): the Node.js that ran them.
  node: process.version,
  ops,
  cacheSim,
  gcSchedule: normalGc ? 'normal' : 'fixed',
  results: rows.map((r) => ({ ...r, instructionRatioToRaw: raw ? Math.round((raw / r.perOp.instructions) * 1000) / 1000 : undefined })),
};
if (json) console.log(JSON.stringify(result));
else {
  const cols = cacheSim ? ['instructions', 'dataRefs', 'i1Misses', 'd1Misses', 'llDataMisses'] : ['instructions'];
  console.log(`per operation, one warm run of ${ops.toLocaleString('en-US')} operations (cachegrind${cacheSim ? ', simulated caches' : ''}; V8 single-threaded, fixed seeds, ${normalGc ? "V8's normal" : 'a fixed'} GC schedule; Node.js ${process.version}):`);
  console.log(['target'.padEnd(26), ...cols.map((c) => c.padStart(13)), 'raw/engine'.padStart(11)].join(''));
  for (const r of result.results) {
    console.log([r.target.padEnd(26), ...cols.map((c) => String(r.perOp[c] ?? '').padStart(13)), String(r.instructionRatioToRaw ?? '').padStart(11)].join(''));
  }
}
