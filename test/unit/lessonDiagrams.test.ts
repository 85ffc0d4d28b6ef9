// The diagrams the lesson shows (issue "The lesson"): every strategy has one, drawn from a bundled scenario of that
// strategy that the engine runs, and the failure variants the lesson promises carry their marks in the very traces
// the webview draws: the crash before a flush its lost writes, write-through's failed write its rollback, the
// cache-aside race its stale entry.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LESSON_SECTIONS } from '../../src/lesson/sections';
import type { DiagramVariant } from '../../src/lesson/sections';
import { STRATEGIES } from '../../src/model/types';
import type { Strategy, TraceStep } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { DIAGRAM_SCENARIOS, traceScenarioText, variantsFor } from '../../src/views/traces';

// The webview sources are ES modules (see webview/package.json), so this CommonJS test loads them dynamically.
import type * as Module from '../../webview/diagram/layout.js' with { 'resolution-mode': 'import' };
let L: typeof Module;
before(async () => {
  L = await import('../../webview/diagram/layout.js');
});

/** The trace the webview draws for (strategy, variant): the extension's own traceScenarioText on the bundled file. */
function diagramTrace(strategy: Strategy, variant: DiagramVariant): { steps: TraceStep[]; file: string } {
  const file = DIAGRAM_SCENARIOS[strategy][variant];
  assert.ok(file, `no ${variant} diagram for ${strategy}`);
  const path = join(process.cwd(), 'scenarios', file);
  assert.ok(existsSync(path), `scenarios/${file} is not bundled`);
  const result = traceScenarioText(file, readFileSync(path, 'utf8'));
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.equal(result.strategy, strategy, `${file} runs ${result.strategy}, not ${strategy}`);
  assert.ok(result.steps.length > 0, `${file} has no steps`);
  return { steps: result.steps, file };
}

describe('the lesson\'s diagrams', () => {
  it('has a diagram for every strategy, shown in the lesson, each variant from a bundled scenario of that strategy', () => {
    const shown = new Set(LESSON_SECTIONS.flatMap((s) => s.body.flatMap((b) => (b.kind === 'diagram' ? [b.strategy] : []))));
    for (const strategy of STRATEGIES) {
      assert.ok(shown.has(strategy), `no section shows a ${strategy} diagram`);
      assert.equal(variantsFor(strategy)[0], 'normal', `${strategy}: the switcher starts at normal`);
      for (const variant of variantsFor(strategy)) diagramTrace(strategy, variant);
    }
  });

  it('write-behind, crash before flush: one LOST row per lost write, as many as the run\'s lostWrites', () => {
    const { steps, file } = diagramTrace('write-behind', 'crash-before-flush');
    const metrics = runProgram(parseScenario(readFileSync(join(process.cwd(), 'scenarios', file), 'utf8'))).metrics;
    assert.ok(metrics.lostWrites > 0);
    const rows = L.layoutDiagram(steps).rows;
    assert.equal(rows.filter((r) => r.marks.includes('lost') && r.step.action === 'queue.lost').length, metrics.lostWrites);
    assert.equal(rows.filter((r) => r.marks.includes('crash')).length, 1);
    assert.ok(rows.some((r) => r.marks.includes('doomed')), 'the writes that get lost are marked before the crash');
  });

  it('write-behind with the WAL: the same crash, nothing marked lost', () => {
    const rows = L.layoutDiagram(diagramTrace('write-behind', 'wal').steps).rows;
    assert.ok(rows.some((r) => r.marks.includes('crash')));
    assert.ok(rows.every((r) => !r.marks.includes('lost') && !r.marks.includes('doomed')));
  });

  it('write-through, database failure: the cache entry rolled back after the failed write', () => {
    const rows = L.layoutDiagram(diagramTrace('write-through', 'db-failure').steps).rows;
    const failed = rows.findIndex((r) => r.marks.includes('error') && r.step.action === 'db.write');
    const rollback = rows.findIndex((r) => r.marks.includes('rollback') && r.step.action === 'cache.rollback');
    assert.ok(failed >= 0 && rollback > failed, `rollback at row ${rollback}, failed write at ${failed}`);
  });

  it('write-through, dirty read: the read between the cache update and the failed commit is marked, and only it', () => {
    const { steps, file } = diagramTrace('write-through', 'dirty-read');
    assert.equal(file, 'x14-write-through-dirty-read.cachescenario');
    const rows = L.layoutDiagram(steps).rows;
    assert.deepEqual(rows.filter((r) => r.marks.includes('dirty')).map((r) => [r.step.seq, r.step.client, r.step.outcome]), [[5, 'bob', 'fresh']]);
    assert.equal(L.MARK_LABELS.dirty, 'DIRTY READ');
    assert.equal(runProgram(parseScenario(readFileSync(join(process.cwd(), 'scenarios', file), 'utf8'))).metrics.dirtyReads, 1);
  });

  it('write-behind, write delay: the flush at 1 s leaves both writes queued, the one at 2 s stores them', () => {
    const { steps, file } = diagramTrace('write-behind', 'write-delay');
    assert.equal(file, 'x15-hazelcast-write-delay.cachescenario');
    const rows = L.layoutDiagram(steps).rows;
    assert.deepEqual(rows.filter((r) => r.step.action === 'db.batch').map((r) => [r.step.time, r.step.key]), [[2010, 'stock:1'], [2020, 'stock:2']]);
    const notes = rows.filter((r) => r.step.action === 'queue.enqueue' || r.step.action === 'queue.coalesce').map((r) => r.step.note);
    assert.deepEqual(notes.map((n) => /(?:until|due at) (\d+ms)/.exec(n ?? '')?.[1]), ['1001ms', '1901ms', '1001ms'], 'each queue step says when its entry is due; the fold keeps the first time');
  });

  it('cache-aside, race: the slow reader stores a stale entry that a later read returns', () => {
    const rows = L.layoutDiagram(diagramTrace('cache-aside', 'race').steps).rows;
    const fill = rows.findIndex((r) => r.marks.includes('staleFill'));
    const stale = rows.findIndex((r) => r.marks.includes('stale'));
    assert.ok(fill >= 0 && stale > fill, `stale fill at row ${fill}, stale read at ${stale}`);
  });

  it('write-behind, shutdown: the drain that times out marks its lost write, the one that waits lands its own', () => {
    const { steps, file } = diagramTrace('write-behind', 'shutdown');
    const metrics = runProgram(parseScenario(readFileSync(join(process.cwd(), 'scenarios', file), 'utf8'))).metrics;
    assert.equal(metrics.lostWrites, 1);
    const rows = L.layoutDiagram(steps).rows;
    assert.equal(rows.filter((r) => r.marks.includes('lost') && r.step.action === 'queue.lost').length, metrics.lostWrites);
    assert.deepEqual(rows.filter((r) => r.step.action === 'shutdown').map((r) => `${r.step.from} ${L.stepLabel(r.step)}`), ['node1 shutting down', 'node2 shutting down', 'node1 shut down', 'node2 shut down']);
    assert.ok(rows.some((r) => r.marks.includes('doomed')), 'the write that gets lost is marked before the timeout');
  });

  it('write-behind and cache-aside, lost reply: the committed write or batch says its reply never came', () => {
    const wb = L.layoutDiagram(diagramTrace('write-behind', 'lost-reply').steps).rows;
    assert.deepEqual(wb.filter((r) => r.step.action === 'db.batch').map((r) => L.stepLabel(r.step)), ['flush 3 writes, no reply', 'flush 4 writes']);
    // The second flush carries the three writes the first one committed: marked as applied again, with their ids.
    assert.deepEqual(wb.filter((r) => r.marks.includes('again')).map((r) => r.step.appliedAgain), [[3, 4, 5]]);
    assert.equal(L.MARK_LABELS.again, 'APPLIED AGAIN');
    const ca = L.layoutDiagram(diagramTrace('cache-aside', 'lost-reply').steps).rows;
    assert.deepEqual(ca.filter((r) => r.step.action === 'db.write' && r.step.client !== null).map((r) => L.stepLabel(r.step)), ['write price:1, no reply']);
    // No invalidation follows the lost reply: the old entry stays, and the next read hits it.
    assert.equal(ca.filter((r) => r.step.action === 'cache.delete').length, 0);
  });

  it('write-behind, other node: a read before the flush is stale', () => {
    const rows = L.layoutDiagram(diagramTrace('write-behind', 'other-node').steps).rows;
    assert.ok(rows.some((r) => r.marks.includes('stale')));
  });
});
