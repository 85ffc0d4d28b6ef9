// One side of `npm run check:same` (scripts/sameBehaviour.mjs), bundled against the working tree and against another
// revision's tree: it runs the same inputs through that tree's engine and prints one line per case, the case's name
// and a sha256 of everything observable (trace, metrics, results, final snapshot). Inputs come from the working tree
// (its bundled scenarios, and random histories it generated into a file), so both sides see exactly the same ones.
//
//   node out/same-SIDE.js generate N FILE      (the working tree only: N random histories per strategy and WAL setting)
//   node out/same-SIDE.js digest SCENARIO_DIR FILE
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { defaultOptions, STRATEGIES } from '../src/model/types';
import { runWorkload, WORKLOADS } from '../src/model/workload';
import { parseScenario } from '../src/scenario/parser';
import { runProgram } from '../src/scenario/runner';
import { historyArb, runHistory } from '../test/property/arbitraries';
import type { History } from '../test/property/arbitraries';

const [mode = '', a = '', b = ''] = process.argv.slice(2);
const sha = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('hex');

if (mode === 'generate') {
  const per = Number(a);
  if (!Number.isInteger(per) || per < 0 || b === '') {
    console.error('usage: node out/same-tree.js generate N FILE');
    process.exit(2);
  }
  const all: History[] = [];
  for (const strategy of STRATEGIES) {
    for (const wal of [false, true]) {
      all.push(...fc.sample(historyArb({ strategy, crash: true, dbDown: true, dbFailNext: true, queueKnobs: true, wal }), { numRuns: per, seed: wal ? 8 : 7 }));
    }
  }
  writeFileSync(b, JSON.stringify(all));
} else if (mode === 'digest') {
  const out: string[] = [];
  for (const f of readdirSync(a).filter((x) => x.endsWith('.cachescenario')).sort()) {
    out.push(`scenario ${f} ${sha(runProgram(parseScenario(readFileSync(join(a, f), 'utf8'))))}`);
  }
  // Workloads: every strategy and kind, on one node without TTL, and on two and three nodes with TTL or a crash.
  const shapes = [
    [10_000, 1, 4, undefined, 1000, null],
    [50, 2, 7, 3000, 20, 30],
    [300, 3, 5, 7000, 100, null],
  ] as const;
  for (const s of STRATEGIES) {
    for (const kind of WORKLOADS) {
      for (const [keys, nodes, clients, crash, capacity, ttl] of shapes) {
        const o = defaultOptions(s);
        o.cache.nodes = nodes;
        o.cache.capacity = capacity;
        o.cache.ttlMs = ttl;
        const r = runWorkload(o, { kind, ops: 20_000, keys, distribution: 'zipf', clients, seed: 3, preload: true }, crash === undefined ? {} : { crashAfterOps: crash });
        out.push(`workload ${s} ${kind} ${keys}/${nodes} ${sha([r.metrics, r.engine.steps, r.engine.snapshot()])}`);
      }
    }
  }
  const histories = JSON.parse(readFileSync(b, 'utf8')) as History[];
  histories.forEach((h, i) => {
    const r = runHistory(h);
    out.push(`history ${i} ${h.config.strategy} ${sha([r.engine.steps, r.metrics, r.results, r.engine.snapshot()])}`);
  });
  console.log(out.join('\n'));
} else {
  console.error('usage: node out/same-SIDE.js generate N FILE | digest SCENARIO_DIR FILE');
  process.exit(2);
}
