// `writeBehind.loadFromQueue`: a read that misses on a key whose write is still pending in the node's write-behind
// queue (queued, or out with a flush) is answered from the queue, as Hazelcast's staging area and Ignite's write-behind
// buffer answer a load, instead of from the database's older row. Exact traces on the virtual clock, the increment
// case (the row plus the pending increments), the presets, the language, and a property: one node, no faults, the
// option on, and no read is ever stale, where the same histories with it off do serve stale reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from '../../src/model/engine';
import { PRESETS } from '../../src/model/presets';
import { defaultOptions } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';

function run(source: string): ReturnType<typeof runProgram> {
  const program = parseScenario(source);
  assert.deepEqual(program.diagnostics, []);
  return runProgram(program);
}

const X16 = readFileSync(join(process.cwd(), 'scenarios', 'x16-hazelcast-miss-answered-from-queue.cachescenario'), 'utf8');

/** The read of `key`'s steps, as "time action from->to outcome value". */
function readSteps(r: ReturnType<typeof runProgram>, after: number): string[] {
  return r.steps.filter((s) => s.seq > after && s.op !== null && r.steps.some((x) => x.op === s.op && x.action === 'cache.get')).map((s) => `${s.time} ${s.action} ${s.from}->${s.to} ${s.outcome} ${JSON.stringify(s.value ?? null)}`);
}

describe('writeBehind.loadFromQueue', () => {
  it('x16: the miss after an eviction is answered from the queue at cache cost, with no database read', () => {
    const r = run(X16);
    assert.ok(r.ok, JSON.stringify(r.expectations.filter((e) => !e.ok)));
    assert.deepEqual(readSteps(r, 0), [
      '4 cache.get app->node1 miss null',
      '4 cache.load node1/queue->node1 ok {"price":12}',
      '4 ack node1->app fresh {"price":12}',
    ]);
    const load = r.steps.find((s) => s.action === 'cache.load');
    assert.equal(load?.note, "node1 keeps its pending write of product:1 (write 2, not yet in the database), as Hazelcast's staging area and Ignite's write-behind buffer answer a load");
    assert.equal(load?.version, 2);
    assert.deepEqual([r.metrics.dbReads, r.metrics.staleReads, r.metrics.readLatencyMs.max], [0, 0, 1]);
  });

  it('off (the default), the same history loads the old row and the read is stale: x05', () => {
    const r = run(X16.replace('set writeBehind.loadFromQueue on', 'set writeBehind.loadFromQueue off'));
    assert.deepEqual(readSteps(r, 0).map((s) => s.split(' ').slice(0, 2).join(' ')), ['4 cache.get', '14 db.read', '14 cache.load', '14 ack']);
    assert.equal(r.metrics.staleReads, 1);
    assert.deepEqual(r.expectations.filter((e) => !e.ok).map((e) => e.line), [19, 20, 21, 27, 29, 30]);
    assert.equal(defaultOptions('write-behind').writeBehind.loadFromQueue, false);
  });

  it('increments alone need the row: the node loads it and adds the pending increments (a database round trip)', () => {
    const r = run([
      'strategy write-behind',
      'set cache.capacity 1',
      'set writeBehind.flushInterval 60s',
      'set writeBehind.loadFromQueue on',
      'load views 10',
      'incr views',
      'incr views 5',
      'write other 1',
      'read views',
      'expect value 16',
      'expect fresh',
    ].join('\n'));
    assert.ok(r.ok, JSON.stringify(r.expectations));
    const load = r.steps.find((s) => s.action === 'cache.load');
    assert.deepEqual([load?.time, load?.from, load?.value, load?.version], [24, 'node1/queue', 16, 3]);
    assert.match(load?.note ?? '', /^node1 keeps the row with its pending increments added \(writes 2, 3, not yet in the database\)/);
    // One read for the first increment's base, one for the read's miss.
    assert.equal(r.metrics.dbReads, 2);
  });

  it('a plain write among the pending increments sets the value without the row', () => {
    const r = run([
      'strategy write-behind',
      'set cache.capacity 1',
      'set writeBehind.flushInterval 60s',
      'set writeBehind.coalescing off',
      'set writeBehind.loadFromQueue on',
      'load views 10',
      'write views 100',
      'incr views 2',
      'write other 1',
      'read views',
      'expect value 102',
      'expect fresh',
      'expect metric dbReads == 0',
    ].join('\n'));
    assert.ok(r.ok, JSON.stringify(r.expectations));
  });

  it('a write out with a flush still answers: the batch has left the queue but the database has not confirmed it', () => {
    const r = run([
      'strategy write-behind',
      'set cache.capacity 1',
      'set db.latency 50ms',
      'set writeBehind.flushInterval 1s',
      'set writeBehind.loadFromQueue on',
      'load k 1',
      'write k 2',
      'write other 1',
      'at 1010ms read k',
      'expect value 2',
      'expect fresh',
      'expect metric dbReads == 0',
    ].join('\n'));
    assert.ok(r.ok, JSON.stringify(r.expectations));
    const batch = r.steps.find((s) => s.action === 'db.batch');
    const load = r.steps.find((s) => s.action === 'cache.load');
    assert.ok(batch && load && load.time < batch.time, `answered at ${load?.time} while the batch lands at ${batch?.time}`);
  });

  it('the hazelcast and ignite presets turn it on; the other products leave it off', () => {
    const on = PRESETS.filter((p) => p.writeBehind.loadFromQueue === true).map((p) => p.name);
    assert.deepEqual(on, ['hazelcast', 'ignite']);
    for (const name of on) assert.match(PRESETS.find((p) => p.name === name)?.summary ?? '', /answered from (the staging area|it), not the database \(loadFromQueue\)/);
    const r = run(X16.replace('strategy write-behind\n', 'strategy write-behind\npreset ignite\n').replace('set writeBehind.loadFromQueue on\n', ''));
    assert.ok(r.ok, JSON.stringify(r.expectations.filter((e) => !e.ok)));
    assert.equal(r.metrics.staleReads, 0);
  });

  it('the language: on and off parse, anything else names what was expected', () => {
    assert.deepEqual(parseScenario('strategy write-behind\nset writeBehind.loadFromQueue on').diagnostics, []);
    const bad = parseScenario('strategy write-behind\nset writeBehind.loadFromQueue maybe').diagnostics;
    assert.equal(bad.length, 1);
    assert.equal(bad[0]?.line, 2);
    assert.match(bad[0]?.message ?? '', /on or off|`on` or `off`/);
  });

  it('property: one node, no faults, the option on: no read is ever stale (300 histories); with it off some are', () => {
    const history = fc.record({
      capacity: fc.integer({ min: 1, max: 3 }),
      flushIntervalMs: fc.constantFrom(5, 50, 1000),
      coalescing: fc.boolean(),
      ops: fc.array(fc.record({ kind: fc.constantFrom('read', 'write', 'write', 'incr'), key: fc.constantFrom('a', 'b', 'c', 'd'), client: fc.constantFrom('c1', 'c2'), gap: fc.constantFrom(0, 1, 3, 20) }), { minLength: 1, maxLength: 40 }),
    });
    let staleWithout = 0;
    fc.assert(
      fc.property(history, (h) => {
        const stale = (on: boolean): number => {
          const o = defaultOptions('write-behind');
          o.cache.capacity = h.capacity;
          o.writeBehind = { ...o.writeBehind, flushIntervalMs: h.flushIntervalMs, coalescing: h.coalescing, loadFromQueue: on };
          o.trace = false;
          const e = new Engine(o);
          for (const k of ['a', 'b', 'c', 'd']) e.load(k, 0);
          let t = 0;
          for (const [i, op] of h.ops.entries()) {
            t += op.gap;
            e.sched.at(t, () => void e.issue({ kind: op.kind, key: op.key, client: op.client, node: 1, line: null, ...(op.kind === 'write' ? { value: i } : {}) }));
          }
          return e.finish().staleReads;
        };
        staleWithout += stale(false);
        return stale(true) === 0;
      }),
      { numRuns: 300, seed: 16 },
    );
    assert.ok(staleWithout > 0, 'the same histories without the option serve stale reads');
  });
});
