// `npm run bench:ab -- REF`: the engine of git revision REF against the working tree, timed. Each side runs in
// processes of its own (bench/abProbe.ts bundled against each tree), alternating, so neither shares V8's state or
// lru-cache's compiled code with the other, and a change in the machine's load falls on both. Each process times
// ROUNDS rounds of raw lru-cache right before the engine and reports the median ratio; PAIRS such pairs per strategy.
// Single timed runs here move by more than a change of 5%; pairs taken minutes apart show which side is ahead.
//
//   npm run bench:ab -- REF [--pairs=N] [--rounds=N] [--ops=N] [--json] [STRATEGY ...]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const STRATEGIES = ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside'];
const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const [ref, ...named] = positional;
const json = args.includes('--json');

function usage(problem) {
  console.error(`${problem}\nusage: npm run bench:ab -- REF [--pairs=N] [--rounds=N] [--ops=N] [--json] [${STRATEGIES.join('|')} ...]`);
  process.exit(2);
}

function numFlag(name, fallback) {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return fallback;
  const n = Number(a.slice(name.length + 3));
  if (!Number.isInteger(n) || n < 1) usage(`--${name} expects a positive whole number, got ${JSON.stringify(a.slice(name.length + 3))}`);
  return n;
}

for (const a of args) {
  if (a.startsWith('--') && a !== '--json' && !['--pairs=', '--rounds=', '--ops='].some((f) => a.startsWith(f))) usage(`unknown flag ${JSON.stringify(a)}`);
}
if (ref === undefined) usage('expected a git revision to compare the working tree with (a commit, branch or tag)');
for (const s of named) if (!STRATEGIES.includes(s)) usage(`unknown strategy ${JSON.stringify(s)}`);
const strategies = named.length > 0 ? named : STRATEGIES;
const pairs = numFlag('pairs', 10);
const rounds = numFlag('rounds', 5);
const ops = numFlag('ops', 1_000_000);

const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' });
if (commit.status !== 0) usage(`${JSON.stringify(ref)} is not a commit in this repository`);
const sha = commit.stdout.trim();

// The other revision's tree, with this tree's node_modules and the probe (older revisions do not have it).
const other = mkdtempSync(join(tmpdir(), 'cache-workbench-ab-'));
try {
  const archive = spawnSync('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C "${other}"`], { stdio: 'inherit' });
  if (archive.status !== 0) throw new Error(`could not extract ${sha}`);
  symlinkSync(resolve('node_modules'), join(other, 'node_modules'), 'dir');
  mkdirSync(join(other, 'bench'), { recursive: true });
  copyFileSync('bench/abProbe.ts', join(other, 'bench', 'abProbe.ts'));
  const build = (root, outfile) =>
    esbuild.build({ entryPoints: [join(root, 'bench', 'abProbe.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' });
  try {
    await build(other, 'out/ab-ref.js');
  } catch {
    throw new Error(`the probe does not build against ${ref} (${sha.slice(0, 7)}): it needs defaultOptions, OpList and runWorkload with a prepared list`);
  }
  await build('.', 'out/ab-tree.js');

  /** One process of one side: its median ratio to raw lru-cache. */
  const side = (file, strategy) => {
    const r = spawnSync(process.execPath, [file, strategy, String(ops), String(rounds)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${file} ${strategy} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()).ratio;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const round3 = (x) => Math.round(x * 1000) / 1000;
  const results = [];
  for (const strategy of strategies) {
    const refRatios = [];
    const treeRatios = [];
    for (let p = 0; p < pairs; p++) {
      // Alternate which side goes first, so a drift in the machine's speed does not favour one.
      if (p % 2 === 0) {
        refRatios.push(side('out/ab-ref.js', strategy));
        treeRatios.push(side('out/ab-tree.js', strategy));
      } else {
        treeRatios.push(side('out/ab-tree.js', strategy));
        refRatios.push(side('out/ab-ref.js', strategy));
      }
    }
    const treeAhead = treeRatios.filter((t, i) => t > refRatios[i]).length;
    const r = { strategy, ref: refRatios.map(round3), tree: treeRatios.map(round3), refMedian: round3(median(refRatios)), treeMedian: round3(median(treeRatios)), treeAhead };
    results.push(r);
    if (!json) {
      console.log(`${strategy.padEnd(26)} ${ref} ${r.refMedian} (${r.ref.join(', ')})  tree ${r.treeMedian} (${r.tree.join(', ')})  tree ahead in ${treeAhead} of ${pairs} pairs`);
    }
  }
  if (json) console.log(JSON.stringify({ node: process.version, ref, commit: sha, ops, rounds, pairs, strategies: results }));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
} finally {
  rmSync(other, { recursive: true, force: true });
}
