// `writeBehind.writeDelay`: a per-entry delay (Hazelcast's write-delay-seconds, Coherence's write-delay), and the other
// presets' timing after a failure (Ehcache 2's blocking retry). Exact times on the virtual clock (cache 1 ms, database
// 10 ms); each test names the break of the engine it catches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../src/model/engine';
import type { EngineOptions } from '../../src/model/types';
import { findPreset } from '../../src/model/presets';
import { parseScenario } from '../../src/scenario/parser';
import { optionsFromProgram, runProgram } from '../../src/scenario/runner';
import { completeAt } from '../../src/scenario/completion';
import { hoverAt } from '../../src/scenario/hover';
import { at, engine } from './support/engineRuns';

/** The database batches: `time outcome [write ids]`. */
function batches(e: Engine): string[] {
  return e.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.outcome} [${(s.writes ?? []).join(',')}]`);
}

function delayed(tweak: (o: EngineOptions) => void = () => {}): Engine {
  return engine('write-behind', (o) => {
    o.writeBehind.flushIntervalMs = 1000;
    o.writeBehind.writeDelayMs = 1000;
    tweak(o);
  });
}

describe('writeBehind.writeDelay: each entry waits its delay, then goes at the next flush of the grid', () => {
  it('a write at 900 ms misses the flush at 1 s (due at 1901 ms) and goes with the first one at 2 s', () => {
    // Break: the delay ignored (both land at 1010), or counted from the flush rather than from the write.
    const e = delayed();
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 900, { kind: 'write', key: 'b', value: 2 });
    e.finish();
    assert.deepEqual(batches(e), ['2010 persisted [1,2]']);
    assert.equal(e.metrics().maxPendingAgeMs, 2009);
    const off = delayed((o) => (o.writeBehind.writeDelayMs = null));
    at(off, 0, { kind: 'write', key: 'a', value: 1 });
    at(off, 900, { kind: 'write', key: 'b', value: 2 });
    off.finish();
    assert.deepEqual(batches(off), ['1010 persisted [1,2]'], 'without the delay the flush at 1 s takes both');
  });

  it('a write folded into a waiting entry keeps the entry\'s time; without coalescing it waits its own delay', () => {
    // Break: a fold resets the entry's time (a key written every 900 ms would never be stored), or the second entry
    // of an uncoalesced key goes with the first.
    const e = delayed();
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 1500, { kind: 'write', key: 'a', value: 2 });
    e.finish();
    assert.deepEqual(batches(e), ['2010 persisted [1,2]']);
    assert.match(e.steps.find((s) => s.action === 'queue.coalesce')?.note ?? '', /the entry keeps its time, due at 1001ms$/);
    const apart = delayed((o) => (o.writeBehind.coalescing = false));
    at(apart, 0, { kind: 'write', key: 'a', value: 1 });
    at(apart, 1500, { kind: 'write', key: 'a', value: 2 });
    apart.finish();
    assert.deepEqual(batches(apart), ['2010 persisted [1]', '3010 persisted [2]']);
  });

  it('with a flush interval of 0 (Coherence) each entry goes the moment its delay is over', () => {
    // Break: an interval of 0 flushing at once (the delay ignored), or spinning on one instant while nothing is due.
    const e = delayed((o) => {
      o.writeBehind.flushIntervalMs = 0;
      o.writeBehind.writeDelayMs = 10_000;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 4000, { kind: 'write', key: 'b', value: 2 });
    e.finish();
    assert.deepEqual(batches(e), ['10011 persisted [1]', '14011 persisted [2]']);
  });

  it('a failed entry is retried after its retry delay, not after another write delay', () => {
    // Break: a requeued entry given a fresh write delay (it would land at 4010 or later).
    const e = delayed();
    e.sched.at(0, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.finish();
    assert.deepEqual(batches(e), ['2010 error [1]', '3020 persisted [1]']);
  });

  it('a graceful shutdown stores what is queued at once, whatever is left of the delay', () => {
    // Break: the drain waits out the 10 s delay (the batch lands at 10011).
    const e = delayed((o) => (o.writeBehind.writeDelayMs = 10_000));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(500, () => e.shutdownNode(1));
    e.finish();
    assert.deepEqual(batches(e), ['510 persisted [1]']);
  });

  it('an entry the write-ahead log replays after a restart still waits out its delay', () => {
    // Break: the replay makes the entry due at once (it lands at 1010, before its delay is over).
    const e = delayed((o) => {
      o.writeBehind.wal = true;
      o.writeBehind.writeDelayMs = 1500;
    });
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(300, () => e.crashNode(1));
    e.sched.at(400, () => e.restartNode(1));
    e.finish();
    assert.deepEqual(batches(e), ['2010 persisted [1]']);
    assert.equal(e.metrics().lostWrites, 0);
  });

  it('in strict order a retried entry holds back a later write whose delay is over; per key it does not', () => {
    // Break: strict order letting b (due at 2501, flushed at 3 s) past a's retry at 3510, or per-key order holding it.
    const run = (order: 'strict' | 'per-key'): string[] => {
      const e = delayed((o) => {
        o.writeBehind.order = order;
        o.writeBehind.retryDelayMs = 1500;
      });
      e.sched.at(0, () => e.failDbNext(1));
      at(e, 0, { kind: 'write', key: 'a', value: 1 });
      at(e, 1500, { kind: 'write', key: 'b', value: 2 });
      e.finish();
      return batches(e);
    };
    assert.deepEqual(run('strict'), ['2010 error [1]', '3520 persisted [1,2]']);
    assert.deepEqual(run('per-key'), ['2010 error [1]', '3010 persisted [2]', '3520 persisted [1]']);
  });

  it('a write after a crash emptied the queue goes when its delay is over, not at the retry tick the lost entry had', () => {
    // Break: a flusher that takes the pending tick (5210 ms, for the lost entry's retry) for good enough, storing b
    // 4.6 s late.
    const e = delayed((o) => {
      o.writeBehind.flushIntervalMs = 100;
      o.writeBehind.writeDelayMs = 100;
      o.writeBehind.retryDelayMs = 5000;
    });
    e.sched.at(0, () => e.failDbNext(1));
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(250, () => e.crashNode(1));
    e.sched.at(300, () => e.restartNode(1));
    at(e, 400, { kind: 'write', key: 'b', value: 2 });
    e.finish();
    // a, queued at 1 ms, is due at 101 ms: the flush at 200 ms takes it and fails. b, queued at 401 ms: the flush at 600 ms.
    assert.deepEqual(batches(e), ['210 error [1]', '610 persisted [2]']);
    assert.equal(e.metrics().lostWrites, 1);
  });

  it('the snapshot says how long each entry still waits', () => {
    // Break: dueInMs missing, or counted from the flush grid rather than from the entry's own delay.
    const e = delayed();
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    let due: number[] = [];
    e.sched.at(300, () => (due = (e.snapshot().nodes[0]?.queue ?? []).map((q) => q.dueInMs)));
    e.finish();
    assert.deepEqual(due, [701]);
  });
});

describe('writeBehind.writeDelay in the language', () => {
  const opts = (text: string): EngineOptions => optionsFromProgram(parseScenario(`strategy write-behind\n${text}\n`));

  it('takes a duration or off; off by default', () => {
    assert.equal(opts('set writeBehind.writeDelay 2s').writeBehind.writeDelayMs, 2000);
    assert.equal(opts('set writeBehind.writeDelay 0ms').writeBehind.writeDelayMs, 0);
    assert.equal(opts('set writeBehind.writeDelay off').writeBehind.writeDelayMs, null);
    assert.equal(opts('').writeBehind.writeDelayMs, null);
  });

  it('refuses a value that is not a duration, saying what it expected', () => {
    const d = parseScenario('strategy write-behind\nset writeBehind.writeDelay soon\n').diagnostics;
    assert.equal(d.length, 1);
    assert.match(d[0]?.message ?? '', /duration/);
  });

  it('Hazelcast and Coherence set it; Ignite does not', () => {
    assert.deepEqual([findPreset('hazelcast')?.writeBehind.writeDelayMs, findPreset('hazelcast')?.writeBehind.flushIntervalMs], [1000, 1000]);
    assert.deepEqual([findPreset('coherence')?.writeBehind.writeDelayMs, findPreset('coherence')?.writeBehind.flushIntervalMs], [10_000, 0]);
    assert.equal(opts('preset ignite').writeBehind.writeDelayMs, null);
    assert.equal(opts('preset hazelcast\nset writeBehind.writeDelay off').writeBehind.writeDelayMs, null, 'a set line wins over the preset');
  });

  it('is completed after `set ` and explained on hover', () => {
    const labels = completeAt('strategy write-behind\nset writeBehind.wr', 1, 'set writeBehind.wr'.length).map((c) => c.label);
    assert.ok(labels.includes('writeBehind.writeDelay'), `completions: ${labels.join(', ')}`);
    const line = 'set writeBehind.writeDelay 1s';
    assert.match(hoverAt(line, 0, line.indexOf('writeDelay') + 1)?.markdown ?? '', /write-delay-seconds/);
  });
});

describe('preset ehcache: the writer thread sleeps through a retry, so nothing else is written meanwhile', () => {
  it('a failed row holds back a later row until its retry, then both go', () => {
    // Break: the preset in per-key order (b would land at 2010, while Ehcache 2's writer thread sleeps).
    const text = ['strategy write-behind', 'preset ehcache', 'fail db next 1 writes', 'write a 1', 'at 1500ms write b 2', 'advance 5s'].join('\n');
    const program = parseScenario(text);
    assert.deepEqual(program.diagnostics, []);
    const r = runProgram(program);
    const landed = r.steps.filter((s) => s.action === 'db.batch').map((s) => `${s.time} ${s.key} ${s.outcome}`);
    assert.deepEqual(landed, ['1010 a error', '2020 a persisted', '2030 b persisted']);
  });
});
