// Graceful shutdown (`shutdown cache [nodeN] [timeout DURATION | timeout off]`): the engine's drain with exact times on
// the virtual clock (cache 1 ms, database 10 ms unless set), and the language around it: parser, completion, hover and
// the grammar. Each engine test names the break of the engine it catches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Engine, OpResult } from '../../src/model/engine';
import type { EngineOptions } from '../../src/model/types';
import { findPreset } from '../../src/model/presets';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';
import { completeAt } from '../../src/scenario/completion';
import { hoverAt } from '../../src/scenario/hover';
import { at, engine } from './support/engineRuns';

/** The steps with these actions: `time action outcome [write ids]`. */
function steps(e: Engine, ...actions: string[]): string[] {
  return e.steps.filter((s) => actions.includes(s.action)).map((s) => `${s.time} ${s.action} ${s.outcome}${s.writes ? ` [${s.writes.join(',')}]` : ''}`);
}

function shutdownNotes(e: Engine): string[] {
  return e.steps.filter((s) => s.action === 'shutdown').map((s) => `${s.time} ${s.outcome}: ${s.note}`);
}

/** Write-behind with a 60 s interval, writes a (t=0) and b (t=1) through node1, acknowledged at 1 and 2. */
function twoQueued(tweak: (o: EngineOptions) => void = () => {}): { e: Engine; out: OpResult[] } {
  const e = engine('write-behind', (o) => {
    o.writeBehind.flushIntervalMs = 60_000;
    tweak(o);
  });
  const out: OpResult[] = [];
  at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
  at(e, 1, { kind: 'write', key: 'b', value: 2 }, out);
  return { e, out };
}

describe('shutdownNode: the drain', () => {
  it('flushes at once, not at the next interval, and finishes when the queue is empty', () => {
    // Break: the drain waits for the 60 s tick (the batch lands at 60010), or never says it finished.
    const { e } = twoQueued();
    e.sched.at(100, () => e.shutdownNode(1, null));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'db.batch'), ['100 shutdown pending', '110 db.batch persisted [1,2]', '110 shutdown ok']);
    assert.deepEqual(shutdownNotes(e), [
      '100 pending: node1 shutting down: it no longer serves clients and its cache is gone; it flushes its 2 pending entries now, however long that takes',
      '110 ok: node1 finished shutting down: its queue drained, so every write that was still in it has reached the database or the dead letters',
    ]);
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('b')?.value, 2);
    assert.equal(e.node(1).up, false);
  });

  it('retries through a database outage shorter than its timeout', () => {
    // Break: a failed batch of a draining node is taken for an orphan (lost, as after a crash).
    const { e } = twoQueued();
    e.sched.at(100, () => e.failDbFor(1500));
    e.sched.at(100, () => e.shutdownNode(1, 5000));
    const m = e.finish();
    // Down until 1600: the retries at 1110 (1 s) and 3120 (2 s more, the backoff) run through it, the second lands.
    assert.deepEqual(steps(e, 'shutdown', 'db.batch', 'queue.retry'), [
      '100 shutdown pending',
      '110 db.batch error [1,2]',
      '110 queue.retry pending [1,2]',
      '1120 db.batch error [1,2]',
      '1120 queue.retry pending [1,2]',
      '3130 db.batch persisted [1,2]',
      '3130 shutdown ok',
    ]);
    assert.equal(m.lostWrites, 0);
    assert.equal(m.retries, 4);
  });

  it('gives up at the timeout: what is still queued is lost, and the deadline is the only later step', () => {
    // Break: the deadline is not scheduled (the queue waits forever), or it drops nothing.
    const { e } = twoQueued();
    e.sched.at(100, () => e.failDbFor(10_000));
    e.sched.at(100, () => e.shutdownNode(1, 2000));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'db.batch', 'queue.lost'), [
      '100 shutdown pending',
      '110 db.batch error [1,2]',
      '1120 db.batch error [1,2]',
      '2100 shutdown lost',
      '2100 queue.lost lost [1]',
      '2100 queue.lost lost [2]',
    ]);
    assert.equal(shutdownNotes(e)[1], '2100 lost: node1 stopped waiting after 2s (its shutdown timeout): 2 acknowledged writes still in its queue never reached the database: they are lost');
    assert.equal(m.lostWrites, 2);
    assert.equal(e.db.peek('a'), undefined);
  });

  it('with the WAL, the timeout leaves the queue in the log and a restart replays it', () => {
    // Break: the timeout loses logged entries, or the restart does not replay them. (Replayed entries whose retry is
    // due flush at once, as after any restart.)
    const { e } = twoQueued((o) => {
      o.writeBehind.wal = true;
    });
    e.sched.at(100, () => e.failDbFor(10_000));
    e.sched.at(100, () => e.shutdownNode(1, 2000));
    e.sched.at(20_000, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'wal.replay', 'db.batch'), ['100 shutdown pending', '110 db.batch error [1,2]', '1120 db.batch error [1,2]', '2100 shutdown ok', '20000 wal.replay pending [1,2]', '20010 db.batch persisted [1,2]']);
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('b')?.value, 2);
  });

  it('a batch still out at the deadline that then fails is lost, even if the node has restarted meanwhile', () => {
    // Break: the timeout leaves the node's incarnation as it was, so the restarted node takes the failed batch back.
    const { e } = twoQueued((o) => {
      o.db.latencyMs = 1000;
    });
    e.sched.at(100, () => e.failDbNext(1));
    e.sched.at(100, () => e.shutdownNode(1, 500));
    e.sched.at(800, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'restart', 'db.batch', 'queue.lost', 'queue.retry'), ['100 shutdown pending', '600 shutdown ok', '800 restart ok', '1100 db.batch error [1,2]', '1100 queue.lost lost [1,2]']);
    assert.equal(shutdownNotes(e)[1], '600 ok: node1 stopped waiting after 500ms (its shutdown timeout): nothing else is queued; the batch already out to the database (2 entries) still lands, unless it fails');
    assert.equal(m.lostWrites, 2);
  });

  it('a batch out when the drain starts stays the node\'s: failing after a restart during the drain, it is retried, not lost', () => {
    // Found by the property "no strategy loses a write without a crash". Break: the shutdown ends the node's
    // incarnation at once, so the batch taken just before it counts as orphaned once the node is back.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 0;
      o.db.latencyMs = 2;
      o.cache.latencyMs = 0;
      o.writeBehind.retryDelayMs = 5;
    });
    e.failDbNext(1);
    at(e, 0, { kind: 'incr', key: 'k', amount: 1 });
    e.sched.at(3, () => e.shutdownNode(1, null));
    e.sched.at(3, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'restart', 'db.batch', 'queue.retry', 'queue.lost'), ['3 shutdown pending', '3 restart ok', '4 db.batch error [1]', '4 queue.retry pending [1]', '11 db.batch persisted [1]']);
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('k')?.value, 1);
  });

  it('the process ends with the drain: a read still on its way fails, even if the node restarts before it arrives', () => {
    // Break: the drain's end leaves the incarnation as it was, so the read lands in the new process as if nothing had
    // happened.
    const e = engine('write-behind', (o) => {
      o.cache.latencyMs = 100;
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
    at(e, 140, { kind: 'read', key: 'a' }, out);
    e.sched.at(150, () => e.shutdownNode(1, null));
    e.sched.at(200, () => e.restartNode(1));
    e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'restart', 'db.batch'), ['150 shutdown pending', '160 db.batch persisted [1]', '160 shutdown ok', '200 restart ok']);
    assert.deepEqual(out.map((r) => `${r.kind} ${r.ok ? 'ok' : r.error}`), ['write ok', 'read node1 is down']);
  });

  it('timeout 0 does not wait: the queue goes at once, as in a crash', () => {
    // Break: a zero timeout still sends a batch (which would land 10 ms later).
    const { e } = twoQueued();
    e.sched.at(100, () => e.shutdownNode(1, 0));
    const m = e.finish();
    // One step for the one statement, naming where its zero came from (the call's own limit: no source named).
    assert.deepEqual(steps(e, 'shutdown', 'db.batch', 'queue.lost'), ['100 shutdown lost', '100 queue.lost lost [1]', '100 queue.lost lost [2]']);
    assert.deepEqual(shutdownNotes(e), ['100 lost: node1 shut down without waiting for its queue (shutdown timeout 0ms): 2 acknowledged writes still in its queue never reached the database: they are lost']);
    assert.equal(m.lostWrites, 2);
    assert.equal(m.dbRoundTrips, 0);
  });

  it('with a backup member, nothing drains on the node: the backup flushes at its interval and nothing is lost', () => {
    // Break: the shutdown drops the queue although the backup member holds it.
    const { e } = twoQueued((o) => {
      o.writeBehind.backup = true;
    });
    e.sched.at(100, () => e.shutdownNode(1, 0));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'db.batch'), ['100 shutdown ok', '60010 db.batch persisted [1,2]']);
    assert.match(shutdownNotes(e)[0] ?? '', /its 2 pending entries live on in the backup member, which keeps flushing$/);
    assert.equal(m.lostWrites, 0);
  });

  it('an entry held back by a writer storing its key itself (whenFull flush) drains once that store is back, not at the next interval', () => {
    // Break: the drain's tick for a held entry goes on the interval's grid (60 s), as a live node's would.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 60_000;
      o.writeBehind.coalescing = false;
      o.writeBehind.maxQueue = 2;
      o.writeBehind.whenFull = 'flush';
    });
    // a=1 and a=2 are queued; the write of c finds the queue full at 3 and stores a=1 itself (out until 13). The
    // shutdown at 5 cannot take a=2 while that store holds its key, so it drains it once the store is back.
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    at(e, 1, { kind: 'write', key: 'a', value: 2 });
    at(e, 2, { kind: 'write', key: 'c', value: 3 });
    e.sched.at(5, () => e.shutdownNode(1, null));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'db.batch'), ['5 shutdown pending', '13 db.batch persisted [1]', '23 db.batch persisted [2]', '23 shutdown ok']);
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('a')?.value, 2);
  });

  it("finishes when a writer's own store (whenFull flush) was the last thing out, and that writer fails", () => {
    // Break: only the flusher's end checks whether the drain is over, so this one never says it finished.
    const e = engine('write-behind', (o) => {
      o.writeBehind.flushIntervalMs = 60_000;
      o.writeBehind.maxQueue = 1;
      o.writeBehind.whenFull = 'flush';
    });
    const out: OpResult[] = [];
    at(e, 0, { kind: 'write', key: 'a', value: 1 }, out);
    at(e, 1, { kind: 'write', key: 'b', value: 2 }, out);
    e.sched.at(5, () => e.shutdownNode(1, null));
    e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'db.batch'), ['5 shutdown pending', '12 db.batch persisted [1]', '12 shutdown ok']);
    assert.deepEqual(out.map((r) => (r.ok ? 'ok' : r.error)), ['ok', 'node1 shut down while the writer stored a pending entry']);
  });

  it('a node with nothing queued shuts down in one step; only write-behind mentions its queue', () => {
    const e = engine('write-through');
    at(e, 0, { kind: 'write', key: 'a', value: 1 });
    e.sched.at(50, () => e.shutdownNode(1));
    e.finish();
    assert.deepEqual(shutdownNotes(e), ['50 ok: node1 shut down: it no longer serves clients and its cache is gone']);
    assert.equal(e.db.peek('a')?.value, 1);
    const wb = engine('write-behind');
    wb.sched.at(50, () => wb.shutdownNode(1));
    wb.finish();
    assert.deepEqual(shutdownNotes(wb), ['50 ok: node1 shut down: it no longer serves clients and its cache is gone; nothing was waiting in its queue']);
  });

  it('a second shutdown while the queue drains sets a new limit from now: 0 ends the drain, a longer one replaces the old', () => {
    // Break: a node already down ignores the line, so its first deadline (or none) still applies.
    const run = (second: number | null): Engine => {
      const { e } = twoQueued();
      e.sched.at(100, () => e.failDbFor(10_000));
      e.sched.at(100, () => e.shutdownNode(1, 2000));
      e.sched.at(1000, () => e.shutdownNode(1, second));
      e.finish();
      return e;
    };
    const now = run(0);
    assert.deepEqual(steps(now, 'shutdown', 'queue.lost'), ['100 shutdown pending', '1000 shutdown lost', '1000 queue.lost lost [1]', '1000 queue.lost lost [2]']);
    const longer = run(30_000);
    assert.deepEqual(steps(longer, 'shutdown'), ['100 shutdown pending', '1000 shutdown pending', '15150 shutdown ok']);
    assert.equal(shutdownNotes(longer)[1], '1000 pending: node1 is already shutting down (2 pending entries): it now waits at most 30s more');
    assert.equal(longer.metrics().lostWrites, 0);
    const forever = run(null);
    assert.equal(shutdownNotes(forever)[1], '1000 pending: node1 is already shutting down (2 pending entries): it waits however long its queue takes');
    assert.equal(forever.metrics().lostWrites, 0);
  });

  it('names the setting when the limit comes from it', () => {
    const { e } = twoQueued((o) => {
      o.writeBehind.shutdownTimeoutMs = 0;
    });
    e.sched.at(100, () => e.shutdownNode(1));
    e.finish();
    assert.match(shutdownNotes(e)[0] ?? '', /^100 lost: node1 shut down without waiting for its queue \(shutdown timeout 0ms \(writeBehind\.shutdownTimeout\)\)/);
  });

  it('says "after the shutdown" of a failed batch orphaned by it, even once the node has restarted', () => {
    // Break: the restart forgets how the node went down, and the note blames a crash that never happened.
    const { e } = twoQueued((o) => {
      o.db.latencyMs = 1000;
    });
    e.sched.at(100, () => e.failDbNext(1));
    e.sched.at(100, () => e.shutdownNode(1, 500));
    e.sched.at(800, () => e.restartNode(1));
    e.finish();
    assert.equal(e.steps.find((s) => s.action === 'queue.lost')?.note, 'the failed batch had no owner after the shutdown: 2 writes lost');
  });

  it('takes its timeout from writeBehind.shutdownTimeoutMs when none is given, and null overrides it', () => {
    // Break: the option is ignored (the drain waits for ever) or wins over an explicit null.
    const lost = (given: number | null | undefined): number => {
      const { e } = twoQueued((o) => {
        o.writeBehind.shutdownTimeoutMs = 500;
      });
      e.sched.at(100, () => e.failDbFor(3000));
      e.sched.at(100, () => e.shutdownNode(1, given));
      return e.finish().lostWrites;
    };
    assert.equal(lost(undefined), 2);
    assert.equal(lost(null), 0);
    assert.equal(lost(5000), 0);
  });

  it('clients through the node fail at once; a writer blocked on its full queue fails, in the shutdown\'s words', () => {
    // Break: the node keeps serving while it drains, or the blocked writer waits for ever.
    const { e, out } = twoQueued((o) => {
      o.writeBehind.maxQueue = 2;
      o.writeBehind.whenFull = 'block';
    });
    at(e, 2, { kind: 'write', key: 'c', value: 3 }, out);
    e.sched.at(100, () => e.shutdownNode(1, null));
    at(e, 101, { kind: 'read', key: 'a' }, out);
    const m = e.finish();
    assert.deepEqual(
      out.map((r) => `${r.key} ${r.ok ? 'ok' : r.error}`),
      ['a ok', 'b ok', 'c node1 shut down while the write waited', 'a node1 is down'],
    );
    assert.equal(m.lostWrites, 0);
    assert.equal(e.db.peek('c'), undefined);
  });

  it('a crash during the drain ends it: the queue is lost and the old deadline does nothing', () => {
    // Break: `crash cache` on a draining node returns early (the node is already down), and the queue survives.
    const { e } = twoQueued();
    e.sched.at(100, () => e.failDbFor(10_000));
    e.sched.at(100, () => e.shutdownNode(1, 5000));
    e.sched.at(1000, () => e.crashNode(1));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'crash', 'queue.lost'), ['100 shutdown pending', '1000 crash lost', '1000 queue.lost lost [1]', '1000 queue.lost lost [2]']);
    assert.equal(m.lostWrites, 2);
  });

  it('a restart during the drain keeps the queue flushing as it was, replaying nothing twice', () => {
    // Break: the restart replays the log into a queue that never left memory (each row written twice), or the
    // drain's deadline still fires after the restart and drops the queue.
    const { e } = twoQueued((o) => {
      o.writeBehind.wal = true;
    });
    e.sched.at(100, () => e.failDbFor(3000));
    e.sched.at(100, () => e.shutdownNode(1, 2000));
    e.sched.at(500, () => e.restartNode(1));
    const m = e.finish();
    assert.deepEqual(steps(e, 'shutdown', 'restart', 'wal.replay', 'queue.lost'), ['100 shutdown pending', '500 restart ok']);
    assert.match(e.steps.find((s) => s.action === 'restart')?.note ?? '', /its queue, which was still draining, stays with it and goes on flushing \(2 pending entries\)$/);
    assert.equal(m.lostWrites, 0);
    assert.equal(m.dbWrites, 2);
    assert.equal(e.node(1).up, true);
  });

  it('the Hazelcast preset does not wait (timeout 0), and its backup member keeps the queue', () => {
    assert.equal(findPreset('hazelcast')?.writeBehind.shutdownTimeoutMs, 0);
    const r = runProgram(parseScenario(['strategy write-behind', 'preset hazelcast', 'write a 1', 'shutdown cache', 'advance 5s', 'expect db a == 1', 'expect metric lostWrites == 0'].join('\n')));
    assert.deepEqual(r.expectations.map((x) => x.ok), [true, true]);
    assert.equal(r.steps.filter((s) => s.action === 'shutdown').length, 1);
  });
});

describe('shutdown in the scenario language', () => {
  const head = 'strategy write-behind\nset cache.nodes 2\n';
  const parsed = (line: string) => parseScenario(head + line);

  it('reads the node and the timeout, both optional, with timeout off for no limit', () => {
    const forms: [string, unknown][] = [
      ['shutdown cache', { node: undefined, timeoutMs: undefined }],
      ['shutdown cache node2', { node: 2, timeoutMs: undefined }],
      ['shutdown cache timeout 30s', { node: undefined, timeoutMs: 30_000 }],
      ['shutdown cache node2 timeout 1.5s', { node: 2, timeoutMs: 1500 }],
      ['shutdown cache node2 timeout off', { node: 2, timeoutMs: null }],
      ['at 5s shutdown cache timeout 0ms', { node: undefined, timeoutMs: 0 }],
    ];
    for (const [line, want] of forms) {
      const p = parsed(line);
      assert.deepEqual(p.diagnostics, [], line);
      const s = p.statements.at(-1);
      assert.equal(s?.kind, 'shutdown', line);
      if (s?.kind === 'shutdown') assert.deepEqual({ node: s.node, timeoutMs: s.timeoutMs }, want, line);
    }
    const timed = parsed('at 5s shutdown cache').statements.at(-1);
    assert.equal(timed?.kind === 'shutdown' ? timed.at : undefined, 5000);
  });

  it('says what was expected, with a hint for the likely slip', () => {
    const message = (line: string): string => parsed(line).diagnostics.map((d) => `${d.column}-${d.endColumn}: ${d.message}`).join(' | ');
    assert.equal(message('shutdown db'), '10-12: expected "cache" after shutdown, as in shutdown cache or shutdown cache node2, got "db" (to take the database down: fail db for 10s)');
    assert.equal(message('shutdown cache 30s'), '16-19: expected nodeN, timeout DURATION or end of line after shutdown cache, as in shutdown cache node2 timeout 30s, got "30s" (to give the node 30s to flush its queue: shutdown cache timeout 30s)');
    assert.equal(message('shutdown cache node2 timeot 5s'), '22-31: expected timeout DURATION or end of line after shutdown cache node2, as in shutdown cache node2 timeout 30s, got "timeot"; did you mean "timeout"?');
    assert.equal(message('shutdown cache timeout'), '16-23: expected a duration like 250ms, 5s or 2m, or off (wait until the queue is empty) after timeout');
    assert.equal(message('shutdown cache timeout soon'), '24-28: expected a duration like 250ms, 5s or 2m, or off (wait until the queue is empty), got "soon"');
    assert.equal(message('shutdown cache timeout OFF'), '24-27: expected a duration like 250ms, 5s or 2m, or off (wait until the queue is empty), got "OFF"; did you mean "off"?');
    assert.equal(message('shutdown cache timeout 5 sec'), '24-29: expected a duration like 250ms, 5s or 2m, or off (wait until the queue is empty), got "5 sec"; did you mean "5s"?');
    assert.equal(message('shutdown cache timeout 5s node2'), '27-32: unexpected "node2"; expected end of line (name the node before timeout: shutdown cache node2 timeout 5s)');
    assert.equal(message('shutdown cache timeout 9999h'), '24-29: 9999h is too long: a duration goes up to 365 days (8760h)');
    assert.equal(message('shutdown cache node0'), '16-21: expected a node like node1 or node2, got "node0"');
    assert.equal(message('shutdown cache via node2'), '16-25: shutdown names its node without via, as in shutdown cache node2');
    assert.equal(message('shutdown cache node3'), '16-21: node3 does not exist: cache.nodes is 2 (set cache.nodes 3 before using node3)');
    assert.match(message('as bob shutdown cache'), /faults are not client operations: shutdown cannot run "as bob"; remove it/);
  });

  it('runs the statement in the runner, with its line on the steps', () => {
    const r = runProgram(parseScenario('strategy write-behind\nwrite a 1\nshutdown cache timeout 0ms\nexpect metric lostWrites == 1'));
    assert.deepEqual(r.expectations.map((x) => x.ok), [true]);
    assert.deepEqual(r.steps.filter((s) => s.action === 'shutdown').map((s) => s.line), [3]);
    // The deadline and the end of a drain, later on the clock, are shown at the shutdown's line too.
    const later = runProgram(parseScenario('strategy write-behind\nwrite a 1\nfail db for 5s\nshutdown cache timeout 1s\nadvance 10s'));
    assert.deepEqual(later.steps.filter((s) => s.action === 'shutdown' || s.action === 'queue.lost').map((s) => `${s.time} ${s.line}`), ['1 4', '1001 4', '1001 4']);
  });

  it('completes the node, the timeout clause and its durations', () => {
    const labels = (text: string): string[] => {
      const lines = text.split('\n');
      return completeAt(text, lines.length - 1, (lines.at(-1) ?? '').length).map((i) => i.label);
    };
    assert.deepEqual(labels(`${head}shutdown `), ['cache']);
    assert.deepEqual(labels(`${head}shutdown cache `), ['node1', 'node2', 'timeout']);
    assert.deepEqual(labels(`${head}shutdown cache node2 `), ['timeout']);
    assert.deepEqual(labels(`${head}shutdown cache timeout `), ['100ms', '1s', '5s', '30s', '1m', 'off']);
    assert.deepEqual(labels(`${head}shutdown cache node1 timeout 5s `), []);
  });

  it('explains the statement, its timeout clause and the duration on hover', () => {
    const md = (word: string, line = 'shutdown cache node2 timeout 30s'): string => hoverAt(line, 0, line.indexOf(word) + 1)?.markdown ?? '';
    assert.match(md('shutdown'), /shutdown cache \[nodeN\] \[timeout DURATION \| timeout off\]/);
    assert.match(md('timeout'), /How long the shutting-down node keeps flushing its queue/);
    assert.equal(md('30s'), '**30s** = 30000 ms of virtual time');
    assert.match(md('node2'), /Cache node 2/);
  });

  it('is highlighted by the grammar: keyword, target, node and the timeout clause', () => {
    const grammar = JSON.parse(readFileSync('syntaxes/cachescenario.tmLanguage.json', 'utf8')) as { repository: Record<string, { match: string; captures: Record<string, { name: string }> }> };
    const fault = grammar.repository['fault'];
    assert.ok(fault, 'the grammar has a fault rule');
    const m = new RegExp(fault.match).exec('at 5s shutdown cache node2 timeout 30s');
    assert.ok(m, 'the fault rule matches a shutdown line');
    const scopes = Object.fromEntries(Object.entries(fault.captures).map(([g, c]) => [m[Number(g)], c.name]).filter(([text]) => text !== undefined));
    assert.equal(scopes['shutdown'], 'keyword.control.statement.cachescenario');
    assert.equal(scopes['cache'], 'keyword.other.target.cachescenario');
    assert.equal(scopes['node2'], 'variable.language.node.cachescenario');
    assert.equal(scopes['timeout'], 'keyword.other.fault.cachescenario');
    const next = new RegExp(fault.match).exec('fail db next 2 writes');
    assert.equal(next?.[9], '2', 'fail db next N writes keeps its count capture');
  });
});
