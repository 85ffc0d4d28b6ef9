// The sequence-diagram layout on real traces (scenario text -> parseScenario -> runProgram -> layoutDiagram):
// lane order, one row per step in order, and the marks for lost writes, rollbacks and stale reads.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { discardedWrites } from '../../src/model/types';
import type { TraceStep } from '../../src/model/types';
import { parseScenario } from '../../src/scenario/parser';
import { runProgram } from '../../src/scenario/runner';

// The webview sources are ES modules (see webview/package.json), so this CommonJS test loads them dynamically.
import type * as Module from '../../webview/diagram/layout.js' with { 'resolution-mode': 'import' };
type LayoutModule = typeof Module;
let L: LayoutModule;
before(async () => {
  L = await import('../../webview/diagram/layout.js');
});

function trace(text: string): TraceStep[] {
  const program = parseScenario(text);
  assert.deepEqual(program.diagnostics.filter((d) => d.severity === 'error'), [], 'the test scenario parses');
  return runProgram(program).steps;
}

const SINGLE_NODE = `strategy write-through
load product:1 {"price": 10}
write product:1 {"price": 12}
read product:1
`;

const TWO_NODES = `strategy write-behind
set cache.nodes 2
load product:1 {"price": 10}
at 0ms write product:1 {"price": 11}
at 0ms as bob write product:1 {"price": 12} via node2
read product:1 via node2
advance 10s
`;

/** Like the lesson's c08: acknowledged writes wait in the queue, the node crashes before the flush. */
const CRASH_BEFORE_FLUSH = `strategy write-behind
set writeBehind.flushInterval 60s
load order:1 "new"
write order:1 "paid"
write order:2 "shipped"
crash cache
restart cache
read order:1
expect metric lostWrites == 2
`;

/** The lesson's own crash diagram (c08): a flush at 5 s, then three writes 1 ms apart and the crash. */
const LESSON_CRASH = `strategy write-behind
set writeBehind.flushInterval 5s
load order:1 "new"
load order:2 "new"
load order:3 "new"
write order:1 "paid"
advance 6s
write order:1 "shipped"
write order:2 "paid"
write order:3 "paid"
crash cache
restart cache
read order:2
`;

/** Like c18: counts lost in a crash at 30 s, counting resumed past a minute. */
const COUNTERS_PAST_A_MINUTE = `strategy write-behind
set writeBehind.flushInterval 60s
load views:home 0
incr views:home
incr views:home
advance 30s
crash cache
restart cache
advance 60s
incr views:home
advance 60s
`;

const WAL = `strategy write-behind
set writeBehind.wal on
load order:1 "new"
write order:1 "paid"
crash cache
restart cache
advance 10s
`;

const DB_FAILURE = `strategy write-through
load product:1 {"price": 10}
fail db next 1 writes
write product:1 {"price": 12}
expect error
read product:1
expect value {"price": 10}
`;

/** The cache-aside race: a slow reader stores the old row after the writer invalidated the key. */
const RACE = `strategy cache-aside
set client.slow.delay 20ms
load product:1 {"price": 10}
at 0ms as slow read product:1
at 45ms write product:1 {"price": 12}
advance 100ms
read product:1
expect stale
`;

describe('lanes', () => {
  it('orders a single-node trace as client, node1, db', () => {
    const layout = L.layoutDiagram(trace(SINGLE_NODE));
    assert.deepEqual(layout.lanes.map((l) => l.id), ['app', 'node1', 'db']);
    assert.deepEqual(layout.lanes.map((l) => l.kind), ['client', 'node', 'db']);
    assert.deepEqual(layout.lanes.map((l) => l.label), ['app', 'node1', 'database']);
  });

  it('orders a two-node trace as clients (by first step), then each node with its queue, then db', () => {
    const layout = L.layoutDiagram(trace(TWO_NODES));
    assert.deepEqual(layout.lanes.map((l) => l.id), ['app', 'bob', 'node1', 'node1/queue', 'node2', 'node2/queue', 'db']);
    assert.equal(layout.lanes.find((l) => l.id === 'node2/queue')?.label, 'node2 queue');
    const xs = layout.lanes.map((l) => l.x);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b), 'lanes go left to right in that order');
  });

  it('puts node lanes in numeric order whatever order they first appear in', () => {
    const step = (seq: number, from: string, to: string): TraceStep => ({
      seq, time: seq, durationMs: 0, line: null, client: null, op: null, from, to, action: 'cache.get', key: 'k', outcome: 'hit', note: '',
    });
    const lanes = L.orderLanes([step(1, 'node10', 'db'), step(2, 'alice', 'node2'), step(3, 'node2/queue', 'db'), step(4, 'zed', 'node1')]);
    assert.deepEqual(lanes, ['alice', 'zed', 'node1', 'node2', 'node2/queue', 'node10', 'db']);
  });

  it('lays out an empty trace without rows and without throwing', () => {
    const layout = L.layoutDiagram([]);
    assert.deepEqual(layout.lanes, []);
    assert.deepEqual(layout.rows, []);
    assert.ok(layout.width > 0 && layout.height > 0);
  });
});

describe('rows', () => {
  it('has one row per step, in trace order, each lower than the last', () => {
    const steps = trace(TWO_NODES);
    const layout = L.layoutDiagram(steps);
    assert.equal(layout.rows.length, steps.length);
    layout.rows.forEach((row, i) => {
      assert.equal(row.index, i);
      assert.equal(row.seq, steps[i]?.seq);
      if (i > 0) assert.ok(row.y > (layout.rows[i - 1]?.y ?? Infinity), `row ${i} is below row ${i - 1}`);
    });
  });

  it('draws arrows between the lanes of `from` and `to`, and self-steps on one lane', () => {
    const layout = L.layoutDiagram(trace(CRASH_BEFORE_FLUSH));
    const x = new Map(layout.lanes.map((l) => [l.id, l.x]));
    for (const row of layout.rows) {
      assert.equal(row.x1, x.get(row.from));
      assert.equal(row.x2, x.get(row.to));
      assert.equal(row.self, row.from === row.to);
    }
    const crash = layout.rows.find((r) => r.step.action === 'crash');
    assert.ok(crash?.self, 'the crash is an event on node1 itself');
    assert.ok(layout.rows.filter((r) => r.reply).every((r) => ['ack', 'error', 'cache.load'].includes(r.step.action)));
  });

  it('puts a divider with the elapsed virtual time before a long pause', () => {
    const layout = L.layoutDiagram(trace(WAL));
    const flush = layout.rows.find((r) => r.step.action === 'db.batch');
    assert.ok(flush, 'the WAL replay is flushed at the next interval');
    assert.match(flush.gapLabel ?? '', /^\+\d+(\.\d+)? s later$/);
    assert.equal(layout.rows.filter((r) => r.gapLabel !== null).length, 1);
  });

  it('labels steps briefly and describes them in full for screen readers', () => {
    const steps = trace(SINGLE_NODE);
    const layout = L.layoutDiagram(steps);
    assert.deepEqual(layout.rows.map((r) => r.label), [
      'load product:1', 'set product:1', 'write product:1', 'ack', 'get product:1 → hit', 'reply',
    ]);
    const sentence = L.describeStep(steps[1] as TraceStep, 1, steps.length);
    assert.match(sentence, /^Step 2 of 6, at 1 ms, took 1 ms: app to node1, set product:1, value \{"price":12\}\. /);
  });
});

describe('marks', () => {
  it('marks the crash, the lost queue entries, and every earlier step of the writes that get lost', () => {
    const steps = trace(CRASH_BEFORE_FLUSH);
    const layout = L.layoutDiagram(steps);
    const marked = (mark: string) => layout.rows.filter((r) => r.marks.includes(mark as never));
    assert.ok(marked('crash').length === 1, 'one crash');
    const lost = marked('lost');
    assert.ok(lost.some((r) => r.step.action === 'queue.lost'), 'the lost queue entries are marked');
    const lostIds = new Set(steps.filter((s) => s.outcome === 'lost').flatMap((s) => s.writes ?? []));
    assert.equal(lostIds.size, 2);
    const doomed = marked('doomed');
    assert.deepEqual(
      [...new Set(doomed.map((r) => r.step.version))].sort(),
      [...lostIds].sort(),
      'the steps carrying the lost writes are marked doomed',
    );
    for (const action of ['cache.set', 'queue.enqueue', 'ack']) {
      assert.equal(doomed.filter((r) => r.step.action === action).length, 2, `both writes' ${action} is marked`);
    }
    assert.equal(marked('rollback').length, 0);
  });

  it('marks nothing as lost when the write-ahead log survives the crash', () => {
    const layout = L.layoutDiagram(trace(WAL));
    assert.ok(layout.rows.some((r) => r.marks.includes('crash')));
    assert.ok(layout.rows.every((r) => !r.marks.includes('lost') && !r.marks.includes('doomed')));
  });

  it('marks the rollback and the failed steps of a write-through write the database rejects', () => {
    const layout = L.layoutDiagram(trace(DB_FAILURE));
    const rollback = layout.rows.filter((r) => r.marks.includes('rollback'));
    assert.equal(rollback.length, 1);
    assert.equal(rollback[0]?.step.action, 'cache.rollback');
    assert.equal(rollback[0]?.label, 'roll back product:1');
    const errors = layout.rows.filter((r) => r.marks.includes('error')).map((r) => r.step.action);
    assert.deepEqual(errors, ['db.write', 'error']);
    assert.ok(layout.rows.every((r) => !r.marks.includes('stale')), 'the read after the rollback is fresh');
  });

  it('labels a database told to fail its next writes with how many (the c16 diagram fails one write, the retry succeeds)', () => {
    const label = (n: number): string | undefined =>
      L.layoutDiagram(trace(`strategy write-through\nfail db next ${n} writes\nwrite product:1 {"price": 12}\n`))
        .rows.find((r) => r.step.action === 'db.failNext')?.label;
    assert.equal(label(1), 'fail next write');
    assert.equal(label(3), 'fail next 3 writes');
    const c16 = L.layoutDiagram(trace(DB_FAILURE)).rows.find((r) => r.step.action === 'db.failNext');
    assert.equal(c16?.label, 'fail next write');
  });

  it('labels a database told to lose its next replies with how many, and the commit whose reply is lost', () => {
    const rows = (n: number) => L.layoutDiagram(trace(`strategy write-through\nfail db next ${n} ${n === 1 ? 'reply' : 'replies'}\nwrite product:1 {"price": 12}\n`)).rows;
    assert.equal(rows(1).find((r) => r.step.action === 'db.failNext')?.label, 'lose next reply');
    assert.equal(rows(3).find((r) => r.step.action === 'db.failNext')?.label, 'lose next 3 replies');
    // A poison row's announcement names its key, and (a fault, not a failed operation) carries no error mark.
    const poison = L.layoutDiagram(trace('strategy write-through\nfail db key order:7\nwrite order:7 1')).rows.find((r) => r.step.action === 'db.failKey');
    assert.equal(poison?.label, 'refuse writes of order:7');
    assert.deepEqual(poison?.marks, []);
    // Its fix names the key too; a whole recovery stays "database up".
    const fixed = L.layoutDiagram(trace('strategy write-through\nfail db key order:7\nrecover db key order:7\nrecover db')).rows.filter((r) => r.step.action === 'db.up');
    assert.deepEqual(fixed.map((r) => r.label), ['accept writes of order:7', 'database up']);
    // The fault announces what is to come: not an error of its own, as a failing write's fault is not.
    assert.ok(!rows(1).find((r) => r.step.action === 'db.failNext')?.marks.includes('error'));
    assert.equal(rows(1).find((r) => r.step.action === 'db.write')?.label, 'write product:1, no reply');
  });

  it('marks a read of a write that fails as a dirty read; not when the write was kept after all (a lost reply)', () => {
    const race = (fault: string, strategy = 'write-through'): TraceStep[] =>
      trace([`strategy ${strategy}`, 'load product:1 {"price": 10}', fault, 'at 20ms write product:1 {"price": 12}', 'at 25ms as bob read product:1', 'advance 100ms'].join('\n'));
    const dirty = (steps: TraceStep[]): (number | string | null)[][] =>
      L.layoutDiagram(steps).rows.filter((r) => r.marks.includes('dirty')).map((r) => [r.step.seq, r.step.client]);
    const failed = race('fail db next 1 writes');
    assert.deepEqual(dirty(failed), [[5, 'bob']]);
    const failedWrite = failed.find((s) => s.action === 'error')?.version ?? -1;
    assert.deepEqual([...discardedWrites(failed)], [failedWrite]);
    // The commit happened and only its reply was lost: the writer sees an error, but the read returned a kept value.
    const kept = race('fail db next 1 reply');
    assert.ok(kept.some((s) => s.action === 'error'));
    assert.deepEqual(dirty(kept), []);
    assert.deepEqual([...discardedWrites(kept)], []);
    // Nothing fails: nothing is dirty. The hybrid's write-through writes have the window too.
    assert.deepEqual(dirty(race('')), []);
    assert.deepEqual(dirty(race('fail db next 1 writes', 'write-through+cache-aside')), [[5, 'bob']]);
  });

  it('marks the stale fill and the stale read of the cache-aside race', () => {
    const layout = L.layoutDiagram(trace(RACE));
    const stale = layout.rows.filter((r) => r.marks.includes('stale'));
    assert.equal(stale.length, 1);
    assert.equal(stale[0]?.step.action, 'ack');
    assert.equal(stale[0]?.label, 'reply (stale)');
    const fills = layout.rows.filter((r) => r.marks.includes('staleFill'));
    assert.equal(fills.length, 1, 'the slow reader stores the old row');
    assert.equal(fills[0]?.step.client, 'slow');
    assert.ok((fills[0]?.index ?? 0) < (stale[0]?.index ?? 0), 'the stale entry is stored before it is read');
  });
});

describe('formatMs', () => {
  it('formats virtual durations for labels', () => {
    assert.equal(L.formatMs(0), '0 ms');
    assert.equal(L.formatMs(11), '11 ms');
    assert.equal(L.formatMs(0.5), '0.5 ms');
    assert.equal(L.formatMs(5010), '5.01 s');
    assert.equal(L.formatMs(60_000), '1 min');
    assert.equal(L.formatMs(125_000), '2 min 5 s');
  });

  it('keeps the millisecond past a second, so steps 1 ms apart never read as the same moment', () => {
    assert.equal(L.formatMs(6002), '6.002 s');
    assert.equal(L.formatMs(30_015), '30.015 s');
    assert.equal(L.formatMs(90_026), '1 min 30.026 s');
    // The lesson's crash diagram (c08): three writes at 6002, 6003 and 6004 ms each "took 1 ms", and all read "6 s".
    const steps = trace(LESSON_CRASH);
    const acks = steps.filter((s) => s.action === 'ack' && s.outcome === 'ok' && s.time > 1000);
    assert.deepEqual(acks.map((s) => s.time), [6002, 6003, 6004]);
    assert.deepEqual(acks.map((s) => L.formatMs(s.time)), ['6.002 s', '6.003 s', '6.004 s']);
    const rows = L.layoutDiagram(steps).rows;
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1], rows[i]];
      if (a && b && a.time !== b.time) assert.notEqual(L.formatMs(a.time), L.formatMs(b.time), `steps ${a.seq} and ${b.seq}`);
    }
  });
});

describe('a variant named in a sentence', () => {
  it('is lower case, but an abbreviation keeps its capitals (a screen reader read "wal" as a word)', () => {
    assert.equal(L.labelInSentence('Crash before flush'), 'crash before flush');
    assert.equal(L.labelInSentence('Normal'), 'normal');
    assert.equal(L.labelInSentence('WAL'), 'WAL');
    assert.equal(L.labelInSentence('DB failure'), 'DB failure');
  });
});

describe('the time column', () => {
  /** Width of a time label in the column's 11px monospace (0.6em a character, as browsers draw it). */
  const labelWidth = (text: string): number => text.length * 11 * 0.6;

  it('is wide enough for every time label, a minute and more included, at its natural size and fitted', () => {
    // c18 steps past a minute ("1 min 30.026 s"): right-aligned 10 px before the lanes, the label began left of the
    // diagram at x = -12 and read "min 30 s".
    const steps = trace(COUNTERS_PAST_A_MINUTE);
    assert.ok(steps.some((s) => s.time >= 60_000), 'the run goes past a minute');
    for (const options of [{}, { fitWidth: 360 }, { fitWidth: 200 }]) {
      const layout = L.layoutDiagram(steps, options);
      for (const row of layout.rows) {
        const left = layout.timeColumn - 10 - labelWidth(L.formatMs(row.time));
        assert.ok(left >= 0, `${L.formatMs(row.time)} starts at x = ${left.toFixed(1)} in a ${layout.timeColumn} px column (${JSON.stringify(options)})`);
      }
    }
    // A trace whose times are short keeps the default column, and the narrow one when fitted.
    const short = trace(SINGLE_NODE);
    assert.equal(L.layoutDiagram(short).timeColumn, L.DEFAULT_LAYOUT.timeColumn);
    assert.equal(L.layoutDiagram(short, { fitWidth: 200 }).timeColumn, L.DEFAULT_LAYOUT.minTimeColumn);
  });
});

describe('the divider before a long pause', () => {
  it('keeps its label inside the gap, clear of the rows above and below, and its line short of the label', () => {
    const h = L.DEFAULT_LAYOUT.rowHeight;
    for (const text of [LESSON_CRASH, WAL, COUNTERS_PAST_A_MINUTE]) {
      const rows = L.layoutDiagram(trace(text)).rows;
      const divided = rows.filter((r) => r.divider !== null);
      assert.ok(divided.length > 0, 'the trace has a long pause');
      for (const row of divided) {
        const above = rows[row.index - 1];
        const d = row.divider;
        assert.ok(above && d);
        assert.equal(d.y, (above.y + h / 2 + row.y - h / 2) / 2, 'the line halfway between the two rows');
        // 11px text: digits and capitals about 8 px tall, with room for a descender.
        const top = d.baseline - 9;
        const bottom = d.baseline + 3;
        assert.ok(top >= above.y + h / 2, `the label (${row.gapLabel}) starts at ${top}, below the row above (ends ${above.y + h / 2})`);
        assert.ok(bottom <= row.y - h / 2, `the label ends at ${bottom}, above its own row (starts ${row.y - h / 2})`);
        assert.ok(d.lineEnd < d.labelRight - (row.gapLabel ?? '').length * 5.5, 'the line stops before the label');
      }
    }
  });
});

describe('fitting a narrow editor group', () => {
  const badgesInside = (layout: ReturnType<LayoutModule['layoutDiagram']>): void => {
    for (const row of layout.rows) {
      for (const b of row.badges) {
        assert.ok(b.x >= layout.marksX, `badge ${b.label} starts in the marks column`);
        assert.ok(b.x + b.width <= layout.width, `badge ${b.label} of step ${row.seq} ends at ${b.x + b.width}, inside ${layout.width}`);
      }
    }
  };

  it('places every badge inside the diagram, the crash row\'s two included', () => {
    const layout = L.layoutDiagram(trace(CRASH_BEFORE_FLUSH));
    const crash = layout.rows.find((r) => r.marks.includes('crash'));
    assert.deepEqual(crash?.badges.map((b) => b.label), ['CRASH', 'LOST']);
    badgesInside(layout);
    // A row with many marks widens the marks column rather than running past the edge.
    const wide = L.layoutDiagram(trace(CRASH_BEFORE_FLUSH), { marksColumn: 20 });
    badgesInside(wide);
  });

  it('keeps the natural size when there is room, and fits a half-width group by moving lanes closer', () => {
    const steps = trace(CRASH_BEFORE_FLUSH);
    const natural = L.layoutDiagram(steps);
    assert.deepEqual(L.layoutDiagram(steps, { fitWidth: natural.width + 100 }), natural);
    const fitted = L.layoutDiagram(steps, { fitWidth: 560 });
    assert.ok(fitted.width <= 560, `fitted width ${fitted.width}`);
    assert.ok(fitted.laneSpacing < natural.laneSpacing && fitted.laneSpacing >= L.DEFAULT_LAYOUT.minLaneSpacing);
    assert.equal(fitted.width - fitted.marksX, natural.width - natural.marksX, 'the marks column keeps its width');
    badgesInside(fitted);
  });

  it('never squeezes lanes below the legible minimum (the page scrolls or shrinks the drawing instead)', () => {
    const steps = trace(TWO_NODES);
    const tiny = L.layoutDiagram(steps, { fitWidth: 200 });
    assert.equal(tiny.laneSpacing, L.DEFAULT_LAYOUT.minLaneSpacing);
    assert.equal(tiny.timeColumn, L.DEFAULT_LAYOUT.minTimeColumn);
    assert.equal(tiny.width, tiny.timeColumn + tiny.lanes.length * tiny.laneSpacing + L.DEFAULT_LAYOUT.marksColumn);
    badgesInside(tiny);
  });
});

describe('playback', () => {
  it('keeps a restored step while the trace is loading, and clamps it once the steps are there', () => {
    // The saved step (3) arrives before the trace: with no steps yet it must survive, or the diagram shows step 1.
    assert.equal(L.stepWithin(3, 0), 3);
    assert.equal(L.stepWithin(3, 25), 3);
    assert.equal(L.stepWithin(30, 25), 24);
    assert.equal(L.stepWithin(-2, 25), 0);
    assert.equal(L.stepWithin(2.7, 25), 2);
  });

  it('says in the live region that playback started, from which step and how fast', () => {
    assert.equal(L.describePlaybackStart(0, 25, 1), 'Playing from step 1 of 25 at 1× speed. Space pauses.');
    assert.equal(L.describePlaybackStart(4, 25, 0.5), 'Playing from step 5 of 25 at 0.5× speed. Space pauses.');
  });
});

describe('following the debugger', () => {
  it('before the first step (seq null: on entry, or after Reverse Continue back to it) no step is current', () => {
    const steps = trace(SINGLE_NODE);
    assert.ok(steps.length > 3);
    // The page used to ignore null and kept the step it showed last ("Step 18 of 25") while the debugger said "on entry".
    assert.equal(L.debugStepIndex(steps, null), -1);
    assert.equal(L.debugStepIndex(steps, steps[2]?.seq ?? -1), 2);
    assert.equal(L.debugStepIndex(steps, 10_000), undefined, 'a seq the trace does not have moves nothing');
    assert.equal(L.describeBeforeFirstStep(steps.length), `Before the first step (0 of ${steps.length}), at 0 ms: the debugger is on entry and nothing has run yet.`);
  });

  it('Move the debugger here: offered on every step but the debugger\'s own stop, its tooltip saying which way it goes', () => {
    assert.equal(L.canMoveDebuggerTo(4, 4, null), false, 'the debugger is at step 4');
    assert.equal(L.canMoveDebuggerTo(5, 4, null), true);
    assert.equal(L.canMoveDebuggerTo(1, null, null), true, 'on entry');
    // On an expect line after step 7, step 7 is highlighted but is another stop: moving there is a move back.
    assert.equal(L.canMoveDebuggerTo(7, 7, { kind: 'expect', line: 14 }), true);
    assert.equal(L.moveDebuggerTitle(17, null, null), 'Send the debugger ahead to step 17 (it stands before the first step)');
    assert.equal(L.moveDebuggerTitle(2, 9, null), 'Send the debugger back to step 2 (it is at step 9)');
    assert.equal(L.moveDebuggerTitle(9, 2, null), 'Send the debugger ahead to step 9 (it is at step 2)');
    assert.equal(L.moveDebuggerTitle(7, 7, { kind: 'expect', line: 14 }), 'Send the debugger back to step 7 (it is on the expect on line 14, after step 7)');
    assert.equal(L.moveDebuggerTitle(8, 7, { kind: 'advance', line: 13 }), 'Send the debugger ahead to step 8 (it is on the advance on line 13, after step 7)');
  });

  // Found by a review: only the debugger's colour said where it was once the diagram stepped away from it.
  it('says in words where the debugger is, under whichever step the diagram shows', () => {
    assert.equal(L.debuggerWhere(3, null, null), 'The debugger stands before the first step.');
    assert.equal(L.debuggerWhere(4, 4, null), 'The debugger is stopped at this step.');
    assert.equal(L.debuggerWhere(9, 4, null), 'The debugger is at step 4.');
    assert.equal(L.debuggerWhere(7, 7, { kind: 'expect', line: 14 }), 'The debugger is on the expect on line 14, after step 7.');
  });
});
