// `npm run bench:ab -- REF`: the engine of git revision REF against the working tree, timed. Each side runs in
// processes of its own (bench/abProbe.ts bundled against each tree), alternating, so neither shares V8's state or
// lru-cache's compiled code with the other, and a change in the machine's load falls on both. Each process times
// ROUNDS rounds of raw lru-cache right before the engine and reports the median ratio; PAIRS such pairs per strategy.
// Single timed runs here move by more than a change of 5%; pairs taken minutes apart show which side is ahead.
//
//   npm run bench:ab -- REF [--pairs=N] [--rounds=N] [--ops=N] [--json] [STRATEGY ...]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { bundleBoth, commitOf, treeWithProbe } from './revisionTree.mjs';

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

const sha = commitOf(ref);
if (sha === undefined) usage(`${JSON.stringify(ref)} is not a commit in this repository`);

// The other revision's tree, with this tree's node_modules and the probe (older revisions do not have it).
let other;
try {
  other = treeWithProbe(sha, 'cache-workbench-ab-', 'bench/abProbe.ts');
  await bundleBoth(other, 'bench/abProbe.ts', 'out/ab-ref.js', 'out/ab-tree.js', ref, sha, 'defaultOptions, OpList and runWorkload with a prepared list');

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
  if (other !== undefined) rmSync(other, { recursive: true, force: true });
}
