// `npm run check:same -- REF`: does the working tree's engine behave exactly as git revision REF's? Runs the same
// inputs through both (bench/sameProbe.ts, bundled against each tree, each side in a process of its own) and compares
// a digest per case of everything observable: trace, metrics, results and final snapshot. The inputs are the working
// tree's bundled scenarios, 60 generated workloads (every strategy and workload kind; 1 to 3 nodes, TTL, a crash) and
// random histories from the property tests' generator (every strategy, crashes, database faults, the write-behind
// queue's knobs, WAL off and on), generated once by the working tree. For changes meant to keep behaviour, such as
// the engine's speed work; exit 0 when every case is identical, 1 when one differs, 2 for bad arguments.
//
//   npm run check:same -- REF [--histories=N]   (N per strategy and WAL setting, default 300)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleBoth, commitOf, treeWithProbe } from './revisionTree.mjs';

const args = process.argv.slice(2);
const usage = (problem) => {
  console.error(`${problem}\nusage: npm run check:same -- REF [--histories=N]`);
  process.exit(2);
};
for (const a of args) if (a.startsWith('--') && !a.startsWith('--histories=')) usage(`unknown flag ${JSON.stringify(a)}`);
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length !== 1) usage('expected one git revision to compare the working tree with (a commit, branch or tag)');
const [ref] = positional;
const flag = args.find((a) => a.startsWith('--histories='));
const per = flag === undefined ? 300 : Number(flag.slice('--histories='.length));
if (!Number.isInteger(per) || per < 0) usage(`--histories expects a whole number, got ${JSON.stringify(flag?.slice('--histories='.length))}`);

const sha = commitOf(ref);
if (sha === undefined) usage(`${JSON.stringify(ref)} is not a commit in this repository`);

let other;
try {
  other = treeWithProbe(sha, 'cache-workbench-same-', 'bench/sameProbe.ts');
  await bundleBoth(other, 'bench/sameProbe.ts', 'out/same-ref.js', 'out/same-tree.js', ref, sha, `the scenario runner, runWorkload and the property tests' historyArb and runHistory`);
  const histories = join(other, 'histories.json');
  const run = (file, ...rest) => {
    const r = spawnSync(process.execPath, [file, ...rest], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${file} ${rest[0]} failed:\n${r.stderr}`);
    return r.stdout.trim().split('\n');
  };
  run('out/same-tree.js', 'generate', String(per), histories);
  const tree = run('out/same-tree.js', 'digest', resolve('scenarios'), histories);
  const old = run('out/same-ref.js', 'digest', resolve('scenarios'), histories);
  if (tree.length !== old.length) throw new Error(`the two sides ran different numbers of cases (${tree.length} and ${old.length})`);
  const name = (line) => line.slice(0, line.lastIndexOf(' '));
  const differ = tree.filter((line, i) => line !== old[i]).map(name);
  const count = (kind) => tree.filter((l) => l.startsWith(`${kind} `)).length;
  console.log(`${count('scenario')} scenarios, ${count('workload')} workloads, ${count('history')} histories against ${ref} (${sha.slice(0, 7)}): ${differ.length === 0 ? 'all identical' : `${differ.length} differ`}`);
  for (const d of differ.slice(0, 20)) console.log(`  differs: ${d}`);
  if (differ.length > 20) console.log(`  ... and ${differ.length - 20} more`);
  process.exitCode = differ.length === 0 ? 0 : 1;
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
} finally {
  if (other !== undefined) rmSync(other, { recursive: true, force: true });
}
