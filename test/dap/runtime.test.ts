// Pins the debugger's pure runtime: the recording and its display lines, the navigation math of every stepping
// command, breakpoints (moved, unverified, conditional), the condition evaluator, evaluate and the inline values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ScenarioRuntime,
  compileCondition,
  compileExpression,
  interpolateLogMessage,
  nextStatementIndex,
  parseHitCondition,
  recordScenario,
  stepOutIndex,
} from '../../src/debug/runtime';
import type { EvaluateResult, Recording, RuntimeEvent } from '../../src/debug/runtime';
import { CRASH, THROUGH } from './scenarios';
import { LESSON_SECTIONS } from '../../src/lesson/sections';

/** Two clients write, time passes, the flusher persists both in one batch during `advance`. */
const FLUSH = ['strategy write-behind', 'set writeBehind.flushInterval 5s', 'write a 1', 'as bob write b 2', 'advance 10s', 'read a', 'expect value 1'].join('\n');

const CRASH_PATH = '/scenarios/crash.cachescenario';

function record(text: string, path = CRASH_PATH): Recording {
  const r = recordScenario(path, text);
  if (!r.ok) throw new Error(r.message);
  return r.recording;
}

function runtime(text: string, path = CRASH_PATH): { rt: ScenarioRuntime; events: RuntimeEvent[] } {
  const events: RuntimeEvent[] = [];
  const rt = new ScenarioRuntime((e) => events.push(e));
  const r = rt.load({ program: path, text });
  assert.ok(r.ok);
  events.length = 0;
  return { rt, events };
}

function stops(events: RuntimeEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'stopped' ? [e.reason] : []));
}

describe('recording', () => {
  it('records one position per trace step, each with the line it is shown at', () => {
    const rec = record(CRASH);
    assert.deepEqual(
      rec.steps.map((s) => `${s.line} ${s.step.action}`),
      [
        '4 db.write',
        '6 cache.set', '6 queue.enqueue', '6 ack',
        '7 cache.set', '7 queue.enqueue', '7 ack',
        '8 cache.set', '8 queue.enqueue', '8 ack',
        '9 cache.get', '9 ack',
        '10 crash', '10 queue.lost', '10 queue.lost', '10 queue.lost',
        '11 expect',
      ],
    );
    assert.equal(rec.entryLine, 2);
    assert.deepEqual(rec.initial.db, []);
    assert.equal(rec.initial.time, 0);
    assert.equal(rec.initial.metrics.acknowledgedWrites, 0);
  });

  it('snapshots are copies: the queue before the crash still holds the three writes', () => {
    const rec = record(CRASH);
    assert.deepEqual(rec.steps[11]?.snapshot.nodes[0]?.queue.map((q) => [q.key, q.writes]), [['product:1', [2]], ['product:2', [3]], ['product:3', [4]]]);
    assert.deepEqual(rec.steps[12]?.snapshot.nodes[0]?.queue, []);
    assert.equal(rec.steps[11]?.snapshot.metrics.lostWrites, 0);
    assert.equal(rec.steps[12]?.snapshot.metrics.lostWrites, 3);
  });

  it('shows background work at the statement most recently started (the flush during `advance`)', () => {
    const rec = record(FLUSH);
    assert.deepEqual(
      rec.steps.map((s) => `${s.line}${s.statementStart ? '*' : ''} ${s.step.line ?? '-'} ${s.step.action}`),
      ['3* 3 cache.set', '3 3 queue.enqueue', '3 3 ack', '4* 4 cache.set', '4 4 queue.enqueue', '4 4 ack', '5* - db.batch', '5* 5 advance', '6* 6 cache.get', '6 6 ack', '7* 7 expect'],
    );
  });

  it('an eviction shows at the write that caused it, not at a statement that starts in the same instant after it (X5)', () => {
    const path = resolve(__dirname, '..', '..', 'scenarios', 'x05-write-behind-eviction-stale-load.cachescenario');
    const r = recordScenario(path, readFileSync(path, 'utf8'));
    assert.ok(r.ok);
    const lines = r.recording.lines;
    const lineOf = (text: string) => lines.indexOf(text) + 1;
    const evictions = r.recording.steps.filter((s) => s.step.action === 'cache.evict').map((s) => [s.step.key, s.line]);
    // product:1 leaves when the third write lands (the read starts in that same millisecond, after it); product:2
    // when the read's load comes back (the expectations after it start in that millisecond too).
    assert.deepEqual(evictions, [
      ['product:1', lineOf('write product:3 {"price": 45}')],
      ['product:2', lineOf('read product:1')],
    ]);
  });

  it('refuses a run too large to keep a snapshot per step, quickly and saying why and where (the `advance` it ran long in)', () => {
    // A retry every millisecond against a database down for an hour: millions of steps from a six-line file.
    const text = ['strategy write-behind', 'set writeBehind.flushInterval 1ms', 'set writeBehind.retryDelay 1ms', 'set writeBehind.retryBackoff 1', 'fail db for 1h', 'write a 1', 'advance 1h'].join('\n');
    const t0 = performance.now();
    const r = recordScenario('/tmp/busy.cachescenario', text);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^\/tmp\/busy\.cachescenario:7:1: too large to step through: after [\d,]+ steps \(\d+ms of virtual time\) the recording outgrew/);
    // Stopped at the budget, not after the run: the whole run would take minutes and gigabytes.
    assert.ok(performance.now() - t0 < 60_000);
  });

  it('lists every parse error, one a line as file:line:col: message, up to ten, and counts the rest', () => {
    const r = recordScenario('/tmp/broken.cachescenario', 'strategy write-behind\nread\nwrite a {\n# fine\nset cache.capacity -3\n');
    assert.equal(r.ok, false);
    const [first, second, third, ...rest] = r.ok ? [] : r.message.split('\n');
    assert.equal(first, '/tmp/broken.cachescenario:2:1: expected a key after read, like product:1');
    // The tail is V8's JSON.parse message, which differs between Node versions.
    assert.ok(second?.startsWith('/tmp/broken.cachescenario:3:9: expected a JSON value like 12, "alice" or {"price": 12}: '), second);
    assert.equal(third, '/tmp/broken.cachescenario:5:20: expected a whole number like 100, got "-3"');
    assert.deepEqual(rest, []);
    const many = recordScenario('/tmp/many.cachescenario', ['strategy write-through', ...Array.from({ length: 13 }, () => 'read')].join('\n'));
    const lines = many.ok ? [] : many.message.split('\n');
    assert.equal(lines.length, 11);
    assert.equal(lines[9], '/tmp/many.cachescenario:11:1: expected a key after read, like product:1');
    assert.equal(lines[10], '(and 3 more errors, from line 12 on)');
  });

  it('fails on the first parse error as file:line:col: message', () => {
    const r = recordScenario('/tmp/broken.cachescenario', 'strategy write-behind\nwrite product:1 {"price": \nread x\n');
    assert.deepEqual(r, { ok: false, message: '/tmp/broken.cachescenario:2:17: expected a JSON value like 12, "alice" or {"price": 12}: Unexpected end of JSON input' });
  });
});

describe('navigation math', () => {
  it('next stops at the first step of each statement, in execution order, then ends', () => {
    const rec = record(CRASH);
    const seen: number[] = [];
    for (let i = -1; i < rec.steps.length; ) {
      i = nextStatementIndex(rec, i);
      seen.push(i);
    }
    assert.deepEqual(seen, [0, 1, 4, 7, 10, 12, 16, 17]);
  });

  it('step out ends at the ack of the operation, then goes to the next statement', () => {
    const rec = record(THROUGH);
    assert.deepEqual(rec.steps.map((s) => s.step.action), ['db.write', 'cache.set', 'db.write', 'ack', 'cache.get', 'ack', 'expect']);
    assert.deepEqual(rec.steps.map((_, i) => stepOutIndex(rec, i)), [1, 3, 3, 4, 5, 6, 7]);
  });

  it('step out of a crash ends after its lost entries', () => {
    const rec = record(CRASH);
    assert.equal(stepOutIndex(rec, 12), 15);
    assert.equal(stepOutIndex(rec, 15), 16);
  });

  it('step in and step back move one hop; step back on entry stays on entry', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    rt.stepBack();
    assert.equal(rt.currentIndex, -1);
    rt.stepIn();
    rt.stepIn();
    assert.equal(rt.currentIndex, 1);
    rt.stepBack();
    assert.equal(rt.currentIndex, 0);
    assert.deepEqual(stops(events), ['entry', 'entry', 'step', 'step', 'step']);
    // Only the move from entry says why it went nowhere; Reverse Continue from entry too.
    const said = (): string[] => events.flatMap((e) => (e.type === 'output' && e.text.includes('already on entry') ? [e.text] : []));
    assert.deepEqual(said(), ['Step Back: already on entry, before the first step; nothing ran before it. Step ahead with F10 or F11, or Continue with F5.\n']);
    rt.reverseContinue();
    rt.reverseContinue();
    assert.equal(rt.currentIndex, -1);
    assert.equal(said().length, 2);
    assert.match(said()[1] ?? '', /^Reverse Continue: already on entry/);
  });

  it('continue without breakpoints stops at the end of the trace and reports the expectations; the session stays', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(false);
    assert.deepEqual(stops(events), ['step']);
    const stop = events.find((e) => e.type === 'stopped');
    assert.equal(stop?.type === 'stopped' && stop.description, 'end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3)');
    const out = events.flatMap((e) => (e.type === 'output' ? [e.text] : []));
    assert.ok(out.includes('ok   line 11: metric lostWrites is 3 (== 3)\n'), out.join(''));
    assert.equal(rt.currentIndex, 17);
    assert.equal(rt.atEnd, true);
  });

  it('reverse continue without breakpoints goes back to entry', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    rt.next();
    rt.next();
    rt.reverseContinue();
    assert.equal(rt.currentIndex, -1);
    assert.deepEqual(stops(events), ['entry', 'step', 'step', 'entry']);
  });
});

describe('checkpoints (advance and expect lines)', () => {
  const CHECKS = [
    'strategy write-behind', // 1
    'set writeBehind.flushInterval 60s', // 2
    'write a 1', // 3
    'advance 5s', // 4
    'read a', // 5
    'expect value 2', // 6
    'expect db a missing', // 7
  ].join('\n');

  it('are positions of the recording only: the trace (what the CLI prints) has no step for them', () => {
    const rec = record(CHECKS);
    // The queue drains at its 60 s flush, after the last statement.
    assert.deepEqual(rec.result.steps.map((s) => s.action), ['cache.set', 'queue.enqueue', 'ack', 'cache.get', 'ack', 'db.batch']);
    assert.deepEqual(
      rec.steps.map((s) => `${s.line}${s.statementStart ? '*' : ''} ${s.step.action} ${s.step.seq} ${s.step.outcome}`),
      ['3* cache.set 1 ok', '3 queue.enqueue 2 pending', '3 ack 3 ok', '4* advance 3 ok', '5* cache.get 4 hit', '5 ack 5 fresh', '6* expect 5 error', '7* expect 5 ok', '7 db.batch 6 persisted'],
    );
  });

  it('an `advance` after the last step is part of the run: the first Debug Console line gives the time the Clock ends at', () => {
    const text = ['strategy write-through', 'write a 1', 'advance 2m', 'expect db a == 1'].join('\n');
    const events: RuntimeEvent[] = [];
    const rt = new ScenarioRuntime((e) => events.push(e));
    assert.ok(rt.load({ program: CRASH_PATH, text }).ok);
    rt.start(false);
    assert.equal(rt.atEnd, true);
    // The trace's last step is the write's acknowledgement at 11ms; the clock then moves on for two minutes.
    assert.equal(rt.recording?.result.steps.at(-1)?.time, 11);
    const clock = rt.variables(['clock']).find((v) => v.name === 'time')?.value;
    assert.equal(clock, '120011ms');
    const first = events.find((e) => e.type === 'output' && e.text.startsWith('Recorded '));
    assert.match(first?.type === 'output' ? first.text : '', /^Recorded 3 steps of a write-through run \(120011ms of virtual time\), and 2 checkpoints/);
    // So does a run without debugging.
    const quiet: RuntimeEvent[] = [];
    assert.ok(new ScenarioRuntime((e) => quiet.push(e)).load({ program: CRASH_PATH, text, noDebug: true }).ok);
    assert.ok(quiet.some((e) => e.type === 'output' && e.text === 'Ran 3 steps of a write-through run (120011ms of virtual time) without debugging.\n'));
  });

  it('hold the state and the verdict at the moment the statement is done', () => {
    const rec = record(CHECKS);
    const advance = rec.steps[3];
    assert.equal(advance?.step.time, 5001);
    assert.equal(advance?.snapshot.time, 5001);
    assert.equal(advance?.step.note, '5s of virtual time passed: the clock is at 5001ms');
    // Nothing flushed in those 5 s: the write still waits in the queue.
    assert.deepEqual(advance?.snapshot.nodes[0]?.queue.map((q) => q.key), ['a']);
    assert.deepEqual(rec.steps[5]?.check, undefined);
    assert.deepEqual(rec.steps[6]?.check, { kind: 'expect', verdict: { line: 6, ok: false, message: 'expected value 2, got 1' }, deferred: false });
    assert.equal(rec.steps[6]?.step.note, 'FAILS: expected value 2, got 1');
    assert.equal(rec.steps[7]?.step.note, 'holds: db a is missing');
    assert.equal(rec.steps[7]?.step.key, 'a');
  });

  it('judge a metric line at its place, with the state there, unless it is in the closing block (then on the final metrics)', () => {
    const rec = record('strategy write-behind\nset writeBehind.flushInterval 5s\nwrite a 1\nexpect metric dbWrites == 0\nadvance 6s\nexpect metric dbWrites == 1\nwrite b 2\nexpect metric dbWrites == 2');
    const checks = rec.steps.filter((r) => r.check?.kind === 'expect');
    assert.deepEqual(
      checks.map((r) => [r.line, r.step.time, r.check?.deferred, r.step.note]),
      [
        [4, 1, false, 'holds: metric dbWrites is 0 (== 0)'],
        [6, 6001, false, 'holds: metric dbWrites is 1 (== 1)'],
        [8, 6002, true, 'judged on the final metrics when the run ends: holds: metric dbWrites is 2 (== 2)'],
      ],
    );
    // The snapshot at the first line agrees with its verdict: nothing has reached the database yet.
    assert.equal(checks[0]?.snapshot.metrics.dbWrites, 0);
  });

  it('Step Over stops on each; the stop, the call stack and the clock say what was judged', () => {
    const { rt, events } = runtime(CHECKS);
    rt.start(true);
    const traceStep = (): string | undefined => rt.variables(['clock']).find((v) => v.name === 'trace step')?.value;
    assert.equal(traceStep(), '0 of 6 (nothing has run yet)');
    const tops: string[] = [];
    // The Clock's `trace step` numbers the engine's steps as the workbench diagram does; `stop` counts the stops.
    const traceSteps: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      rt.next();
      tops.push(rt.frames()[0]?.name ?? '');
      traceSteps.push(traceStep());
    }
    assert.deepEqual(tops, ['app -> node1 cache.set a @ 1ms', 'advance: the clock is at 5001ms', 'app -> node1 cache.get a @ 5002ms', 'expect FAILS @ 5002ms', 'expect holds @ 5002ms']);
    assert.deepEqual(traceSteps, [
      '1 of 6',
      '3 of 6, before this advance',
      '4 of 6',
      '5 of 6, before this expect',
      '5 of 6, before this expect',
    ]);
    assert.deepEqual(rt.frames().map((f) => f.name), ['expect holds @ 5002ms', 'expect db a missing', 'scenario']);
    const stopped = events.filter((e) => e.type === 'stopped');
    assert.equal(stopped.at(-2)?.type === 'stopped' && stopped.at(-2)?.description, 'expect value 2: FAILS: expected value 2, got 1');
    assert.equal(stopped.at(-1)?.type === 'stopped' && stopped.at(-1)?.text, 'expect holds @ 5002ms: holds: db a is missing (line 7)');
    const clock = rt.variables(['clock']);
    assert.equal(clock.find((v) => v.name === 'event')?.value, 'expect holds @ 5002ms');
    // Inline values: each expectation passed so far shows its verdict on its line.
    assert.deepEqual(rt.inlineValues().filter((v) => v.line >= 6), [
      { line: 6, text: 'FAILS: expected value 2, got 1' },
      { line: 7, text: 'holds: db a is missing' },
    ]);
    // `stop` says what it counts: the trace's steps and the advance and expect lines, unlike `trace step`.
    assert.equal(clock.find((v) => v.name === 'stop')?.value, '8 of 9 stops (6 trace steps + 3 advance/expect lines)');
    // Past the last statement: the end of the trace, after the queue's flush at 60 s (the last step, shown at line 7).
    rt.next();
    assert.equal(rt.atEnd, true);
    assert.equal(rt.position().step?.action, 'db.batch');
    assert.equal(rt.position().line, 7);
    rt.next();
    assert.equal(rt.atEnd, true);
    assert.equal(events.filter((e) => e.type === 'stopped').length, stopped.length + 2);
  });

  it('a breakpoint on an expect line stops there, and Step Back goes to the hop before it', () => {
    const { rt } = runtime(CHECKS);
    const [b] = rt.setBreakpoints(CRASH_PATH, [{ line: 6 }]);
    assert.deepEqual([b?.line, b?.verified], [6, true]);
    rt.start(false);
    assert.equal(rt.currentIndex, 6);
    rt.stepBack();
    assert.equal(rt.position().step?.action, 'ack');
  });
});

describe('breakpoints', () => {
  it('stop at the first step of each visit to their line, forward and in reverse', () => {
    const { rt, events } = runtime(CRASH);
    const states = rt.setBreakpoints(CRASH_PATH, [{ line: 6 }, { line: 10 }]);
    assert.deepEqual(states.map((s) => [s.line, s.verified]), [[6, true], [10, true]]);
    rt.start(false);
    assert.equal(rt.currentIndex, 1);
    rt.continue();
    assert.equal(rt.currentIndex, 12);
    rt.reverseContinue();
    assert.equal(rt.currentIndex, 1);
    assert.deepEqual(stops(events), ['breakpoint', 'breakpoint', 'breakpoint']);
  });

  it('move from a line without steps to the next line with one; an expectation takes one; unverified past the last', () => {
    const { rt } = runtime(CRASH);
    const states = rt.setBreakpoints(CRASH_PATH, [{ line: 5 }, { line: 11 }, { line: 3 }]);
    assert.deepEqual(states.map((s) => [s.requestedLine, s.line, s.verified]), [[5, 6, true], [11, 11, true], [3, 4, true]]);
    const trailing = runtime(`${CRASH}\n\n# nothing runs after this`).rt;
    const [past] = trailing.setBreakpoints(CRASH_PATH, [{ line: 12 }]);
    assert.deepEqual([past?.line, past?.verified], [12, false]);
    assert.match(past?.message ?? '', /no step of the run happens on line 12 or after it/);
  });

  it('in another file are unverified', () => {
    const { rt } = runtime(CRASH);
    const [s] = rt.setBreakpoints('/elsewhere.cachescenario', [{ line: 6 }]);
    assert.equal(s?.verified, false);
    assert.equal(s?.message, `only ${CRASH_PATH} is being debugged`);
  });

  it('conditional: stops at the first step of the line where the condition holds', () => {
    const { rt, events } = runtime(CRASH);
    rt.setBreakpoints(CRASH_PATH, [{ line: 9, condition: 'metric reads == 1' }, { line: 10, condition: 'lostWrites > 0' }]);
    rt.start(false);
    // Line 9's read is counted at its ack, the line's second step: the breakpoint waits for it.
    assert.equal(rt.position().step?.action, 'ack');
    assert.equal(rt.position().line, 9);
    rt.continue();
    assert.equal(rt.position().step?.action, 'crash');
    const stop = events.filter((e) => e.type === 'stopped').at(-1);
    assert.ok(stop?.type === 'stopped');
    assert.match(stop.text, /condition "lostWrites > 0" holds/);
  });

  it('a bad condition is unverified, with the reason also written to stderr', () => {
    const { rt, events } = runtime(CRASH);
    const [s] = rt.setBreakpoints(CRASH_PATH, [{ line: 10, condition: 'lostWrite > 0' }]);
    assert.equal(s?.verified, false);
    assert.match(s?.message ?? '', /^bad condition "lostWrite > 0": column 1: unknown name "lostWrite"; did you mean lostWrites\? Conditions compare/);
    assert.ok(events.some((e) => e.type === 'output' && e.category === 'stderr' && e.text.includes('did you mean lostWrites?')));
  });
});

describe('hit counts and logpoints', () => {
  /** Three clients write at once: their hops interleave, so line 2 is visited twice (positions 1 and 6). */
  const CONCURRENT = ['strategy write-through', 'at 0ms as alice write a 1', 'at 0ms as bob write b 2', 'at 0ms as carol write c 3', 'read a'].join('\n');
  const PATH = '/scenarios/concurrent.cachescenario';
  const visits = (rec: Recording, line: number): number[] => rec.steps.flatMap((r, i) => (r.line === line && rec.steps[i - 1]?.line !== line ? [i] : []));

  it('parse the forms VS Code\'s other adapters accept, and refuse anything else, saying what a hit count is', () => {
    const test = (src: string): string => {
      const h = parseHitCondition(src);
      return h.ok ? [1, 2, 3, 4, 5, 6].filter(h.test).join(',') : h.message;
    };
    assert.equal(test('3'), '3');
    assert.equal(test(' == 3 '), '3');
    assert.equal(test('=3'), '3');
    assert.equal(test('>= 3'), '3,4,5,6');
    assert.equal(test('> 3'), '4,5,6');
    assert.equal(test('< 3'), '1,2');
    assert.equal(test('<= 3'), '1,2,3');
    assert.equal(test('% 2'), '2,4,6');
    // Short enough for the Breakpoints view, which cuts a long message off.
    assert.equal(test('three'), 'bad hit count "three": use 3 (the third hit), >= 3, > 3, < 3, <= 3 or % 3 (every third)');
    for (const src of ['three', '>= -1', '% 0', '0', '< 1', 'lostWrites > 0']) assert.ok(test(src).length <= 100, `"${test(src)}" is longer than 100 characters`);
    assert.match(test('>= -1'), /^bad hit count ">= -1"/);
    assert.match(test('% 0'), /^bad hit count "% 0": % 0 divides by zero/);
    assert.match(test('0'), /^bad hit count "0": it would never stop: hits count from 1/);
    assert.match(test('lostWrites > 0'), /^bad hit count/);
  });

  it('a hit count stops at the k-th visit from the start of the trace: the same positions forward and back', () => {
    const { rt, events } = runtime(CONCURRENT, PATH);
    const rec = rt.recording as Recording;
    assert.deepEqual(visits(rec, 2), [1, 6]);
    const [second] = rt.setBreakpoints(PATH, [{ line: 2, hitCondition: '2' }]);
    assert.deepEqual([second?.verified, second?.hitCondition], [true, '2']);
    rt.start(false);
    assert.equal(rt.currentIndex, 6);
    rt.continue();
    assert.equal(rt.atEnd, true);
    // Going back, the visit at position 6 is still the second one: it stops there, not at the first.
    rt.reverseContinue();
    assert.equal(rt.currentIndex, 6);
    rt.reverseContinue();
    assert.equal(rt.currentIndex, -1);
    assert.deepEqual(stops(events), ['breakpoint', 'step', 'breakpoint', 'entry']);

    rt.setBreakpoints(PATH, [{ line: 2, hitCondition: '>= 1' }]);
    rt.start(false);
    assert.equal(rt.currentIndex, 1);
    rt.continue();
    assert.equal(rt.currentIndex, 6);
    rt.setBreakpoints(PATH, [{ line: 2, hitCondition: '% 2' }]);
    rt.start(false);
    assert.equal(rt.currentIndex, 6);
  });

  it('a condition decides which visits are hits; the hit count counts those', () => {
    const { rt } = runtime(CONCURRENT, PATH);
    // At position 1 the clock is at 1ms, at position 6 at 11ms: only the second visit holds, and it is hit number 1.
    rt.setBreakpoints(PATH, [{ line: 2, condition: 'time >= 11ms', hitCondition: '1' }]);
    rt.start(false);
    assert.equal(rt.currentIndex, 6);
    rt.setBreakpoints(PATH, [{ line: 2, condition: 'time >= 11ms', hitCondition: '2' }]);
    rt.start(false);
    assert.equal(rt.atEnd, true);
  });

  it('a hit count no hit of the scenario reaches is unverified, saying so in a few words', () => {
    // Most scenarios visit a line once: a hit count of 2 there never fires.
    const one = runtime('strategy write-through\nwrite a 1\nread a', PATH);
    assert.deepEqual(visits(one.rt.recording as Recording, 2).length, 1);
    const [once] = one.rt.setBreakpoints(PATH, [{ line: 2, hitCondition: '2' }]);
    assert.deepEqual([once?.verified, once?.message], [false, 'line 2 runs once in this scenario: hit count 2 never fires']);
    // The Debug Console says it too, with what a hit is.
    assert.ok(one.events.some((e) => e.type === 'output' && e.text.startsWith('breakpoint on line 2: line 2 runs once in this scenario: hit count 2 never fires. A hit is a visit')));

    const { rt } = runtime(CONCURRENT, PATH);
    assert.deepEqual(visits(rt.recording as Recording, 2).length, 2);
    const states = rt.setBreakpoints(PATH, [
      { line: 2, hitCondition: '3' },
      { line: 2, hitCondition: '% 3' },
      { line: 2, hitCondition: '> 2' },
      { line: 1, hitCondition: '>= 3' }, // no step on line 1: it moves to line 2, and the message names line 2
      { line: 2, condition: 'time >= 11ms', hitCondition: '2' },
      { line: 2, condition: 'lostWrites > 0', hitCondition: '1' },
      { line: 2, hitCondition: '< 3' },
      { line: 2, hitCondition: '2' },
    ]);
    assert.deepEqual(states.map((s) => [s.verified, s.message]), [
      [false, 'line 2 runs twice in this scenario: hit count 3 never fires'],
      [false, 'line 2 runs twice in this scenario: hit count % 3 never fires'],
      [false, 'line 2 runs twice in this scenario: hit count > 2 never fires'],
      [false, 'line 2 runs twice in this scenario: hit count >= 3 never fires'],
      [false, 'the condition holds on one visit to line 2: hit count 2 never fires'],
      [false, 'the condition never holds on line 2: hit count 1 never fires'],
      [true, undefined],
      [true, undefined],
    ]);
    rt.start(false);
    assert.equal(rt.currentIndex, 1, 'only the hit counts that can fire stop: < 3 at the first visit');
  });

  it('a bad hit count is unverified, with the reason also written to stderr', () => {
    const { rt, events } = runtime(CONCURRENT, PATH);
    const [s] = rt.setBreakpoints(PATH, [{ line: 2, hitCondition: 'often' }]);
    assert.equal(s?.verified, false);
    assert.match(s?.message ?? '', /^bad hit count "often"/);
    assert.ok(events.some((e) => e.type === 'output' && e.category === 'stderr' && e.text.startsWith('breakpoint on line 2: bad hit count "often"')));
    rt.start(false);
    assert.equal(rt.atEnd, true);
  });

  it('a logpoint never stops: moving forward past it writes its message, {expressions} evaluated there, errors inline', () => {
    const { rt, events } = runtime(CONCURRENT, PATH);
    rt.setBreakpoints(PATH, [{ line: 2, logMessage: 'alice: a is {db a}, {nope}, {lostWrites} lost, {unclosed' }]);
    rt.start(false);
    assert.equal(rt.atEnd, true);
    assert.deepEqual(stops(events), ['step']);
    const logs = events.filter((e) => e.type === 'output' && e.line === 2);
    assert.deepEqual(logs, [
      { type: 'output', category: 'stdout', text: 'alice: a is missing, {nope: column 1: unknown name "nope"}, 0 lost, {unclosed\n', line: 2 },
      { type: 'output', category: 'stdout', text: 'alice: a is 1 (write #1, row version 1), {nope: column 1: unknown name "nope"}, 0 lost, {unclosed\n', line: 2 },
    ]);
    // Going back writes nothing; stepping onto it again writes it again.
    events.length = 0;
    rt.reverseContinue();
    rt.stepIn();
    rt.stepIn();
    assert.deepEqual(events.filter((e) => e.type === 'output').map((e) => e.type === 'output' && e.text), ['alice: a is missing, {nope: column 1: unknown name "nope"}, 0 lost, {unclosed\n']);
  });

  it('a logpoint with a hit count writes at the hits it accepts; with a breakpoint on the same line, that one stops', () => {
    const { rt, events } = runtime(CONCURRENT, PATH);
    rt.setBreakpoints(PATH, [{ line: 2, logMessage: 'second visit at {time}', hitCondition: '2' }, { line: 5 }]);
    rt.start(false);
    // Line 5's read starts at position 0: the breakpoint stops there first.
    assert.equal(rt.currentIndex, 0);
    rt.continue();
    assert.equal(rt.currentIndex, 4);
    rt.continue();
    assert.equal(rt.atEnd, true);
    assert.deepEqual(events.flatMap((e) => (e.type === 'output' && e.line === 2 ? [e.text] : [])), ['second visit at 11ms (virtual)\n']);
  });

  it('interpolateLogMessage: nested JSON in an expression, braces in its strings, and text with no expression', () => {
    const echo = (e: string): EvaluateResult => ({ ok: true, result: `<${e}>` });
    assert.equal(interpolateLogMessage('db {db a == {"x": "}"}} ok', echo), 'db <db a == {"x": "}"}> ok');
    assert.equal(interpolateLogMessage('no braces', echo), 'no braces');
    assert.equal(interpolateLogMessage('{a}{b} and {', echo), '<a><b> and {');
  });
});

describe('the end of the trace', () => {
  it('is a position of its own after the last step: frames, position, Clock and evaluate all describe the final state', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    for (let i = 0; i < 17; i++) rt.stepIn();
    assert.equal(rt.currentIndex, 16);
    rt.stepIn();
    assert.equal(rt.atEnd, true);
    const last = rt.recording?.steps[16];
    assert.deepEqual(rt.position(), { index: 17, total: 17, step: last?.step, line: 11, time: 4 });
    assert.deepEqual(rt.frames(), [{ name: 'end of the trace: write-behind, 16 steps, 1 of 1 expectation held', line: 11 }]);
    const clock = Object.fromEntries(rt.variables(['clock']).map((v) => [v.name, v.value]));
    assert.deepEqual(clock, {
      time: '4ms',
      stop: 'end of the trace, after all 17 stops (16 trace steps + 1 advance/expect line)',
      'trace step': '16 of 16 (the end of the trace)',
      line: '11',
      statement: 'expect metric lostWrites == 3',
      event: 'end of the trace: 1 of 1 expectation held',
      origin: 'nothing runs after the last step',
    });
    assert.deepEqual(rt.evaluate('metric lostWrites'), { ok: true, result: '3' });
    // `missing` and `via` follow an operand; as a value they are named as such, not met with "did you mean missing?".
    const asValue = (expression: string): string => {
      const r = rt.evaluate(expression);
      return r.ok ? 'ok' : r.message.split('\n')[0] ?? '';
    };
    assert.match(asValue('db order:1 == missing'), /missing is not a value to compare with; it follows what it tests, as in db order:1 missing/);
    assert.match(asValue('lostWrites == via'), /via is not a value; it names a node after a cache operand/);
    const stop = events.filter((e) => e.type === 'stopped').at(-1);
    assert.deepEqual(stop, {
      type: 'stopped',
      reason: 'step',
      description: 'end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3)',
      text:
        'end of the trace: 16 steps; line 11 holds: metric lostWrites is 3 (== 3). ' +
        'Go back with Step Back (Ctrl+K F10) or Reverse Continue (Ctrl+K F5; Cmd+K on macOS); stop the session to end it.',
      hitBreakpointIds: [],
    });
  });

  it('moving forward from it stays there, stops again and says the trace is over; Step Back returns to the last step', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(false);
    events.length = 0;
    for (const move of [() => rt.continue(), () => rt.next(), () => rt.stepIn(), () => rt.stepOut()]) move();
    assert.equal(rt.atEnd, true);
    assert.deepEqual(stops(events), ['step', 'step', 'step', 'step']);
    const over = events.filter((e) => e.type === 'output' && e.text.startsWith('The trace is over'));
    assert.equal(over.length, 4);
    // The verdicts are written once, on arrival, not again at each move.
    assert.equal(events.filter((e) => e.type === 'output' && e.text.startsWith('ok   line 11')).length, 0);
    rt.stepBack();
    assert.equal(rt.currentIndex, 16);
    assert.equal(rt.position().step?.action, 'expect');
    // Arriving again: one short line, not every verdict and the summary once more.
    rt.stepIn();
    assert.equal(rt.atEnd, true);
    assert.equal(events.filter((e) => e.type === 'output' && e.text.startsWith('ok   line 11')).length, 0);
    assert.equal(events.filter((e) => e.type === 'output' && e.text.startsWith('Scenario finished')).length, 0);
    const again = events.filter((e) => e.type === 'output' && e.text.startsWith('Back at the end of the trace'));
    assert.deepEqual(again.map((e) => e.type === 'output' && e.text), ['Back at the end of the trace: 1 of 1 expectation held; the verdicts and the summary are above.\n']);
    // A passing run's results, restated, are the run's output like its summary, not drawn in the warning colour.
    assert.deepEqual(again.map((e) => e.type === 'output' && e.category), ['stdout']);
    // The trace is over, and how to go back, with the keys that do it.
    assert.match(over[0]?.type === 'output' ? over[0].text : '', /Go back with Step Back \(Ctrl\+K F10\) or Reverse Continue \(Ctrl\+K F5; Cmd\+K on macOS\); stop the session \(Shift\+F5\)/);
  });

  it('the summary counts in words: "1 write acknowledged", "1 stale read", "1 database row write"', () => {
    const { rt, events } = runtime('strategy write-through\nset cache.nodes 2\nload k 1\nread k via node2\nwrite k 2 via node1\nread k via node2');
    rt.start(false);
    assert.equal(rt.atEnd, true);
    const summary = events.flatMap((e) => (e.type === 'output' && e.text.startsWith('Scenario finished') ? [e.text] : []));
    assert.deepEqual(summary, ['Scenario finished: 0 of 0 expectations held; 1 write acknowledged, 0 lost, 1 stale read, 1 database row write.\n']);
  });

  it('the Debug Console names the keys that go back (VS Code has none by default) as soon as the recording is made', () => {
    const events: RuntimeEvent[] = [];
    const rt = new ScenarioRuntime((e) => events.push(e));
    assert.ok(rt.load({ program: CRASH_PATH, text: CRASH }).ok);
    const first = events.find((e) => e.type === 'output' && e.text.startsWith('Recorded '));
    assert.match(first?.type === 'output' ? first.text : '', /Step with F10 and F11; go back with Step Back \(Ctrl\+K F10\) or Reverse Continue \(Ctrl\+K F5; Cmd\+K on macOS\); type "help"/);
    // The orientation is plain output; what goes wrong in the run is drawn as a warning (the console category).
    assert.equal(first?.type === 'output' && first.category, 'stdout');
    const wrong = events.find((e) => e.type === 'output' && e.text.startsWith('What goes wrong'));
    assert.equal(wrong?.type === 'output' && wrong.category, 'console');
  });

  it('verdicts and the summary are the run\'s output: ok as stdout, FAIL as stderr, apart from warnings (console, which VS Code draws as warnings)', () => {
    // A held expectation, a failed one, and a warning (a setting below the first operation) from the same run.
    const text = ['strategy write-through', 'write a 1', 'read a', 'expect value 1', 'expect value 2', 'set cache.capacity 10'].join('\n');
    const events: RuntimeEvent[] = [];
    const rt = new ScenarioRuntime((e) => events.push(e));
    assert.ok(rt.load({ program: CRASH_PATH, text }).ok);
    const warning = events.find((e) => e.type === 'output' && / warning: /.test(e.text));
    assert.equal(warning?.type === 'output' && warning.category, 'console');
    rt.start(false);
    const category = (start: string): string | undefined => {
      const e = events.find((x) => x.type === 'output' && x.text.startsWith(start));
      return e?.type === 'output' ? e.category : undefined;
    };
    assert.equal(category('ok   line 4'), 'stdout');
    assert.equal(category('FAIL line 5'), 'stderr');
    assert.equal(category('Scenario finished: 1 of 2'), 'stderr');
    // Every expectation held: the summary too is plain output, not a warning.
    const all: RuntimeEvent[] = [];
    const held = new ScenarioRuntime((e) => all.push(e));
    assert.ok(held.load({ program: CRASH_PATH, text: CRASH }).ok);
    held.start(false);
    const summary = all.find((e) => e.type === 'output' && e.text.startsWith('Scenario finished: 1 of 1'));
    assert.equal(summary?.type === 'output' && summary.category, 'stdout');
  });

  it('arriving at the end of the trace the first time, the Debug Console says, after the verdicts, that the session stays and which keys go back', () => {
    // VS Code shows a stop's `text` (which says so as well) only for an exception: the learner reads the console.
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    rt.continue();
    assert.equal(rt.atEnd, true);
    const out = events.flatMap((e) => (e.type === 'output' ? [e.text] : []));
    const summary = out.findIndex((t) => t.startsWith('Scenario finished'));
    assert.ok(summary >= 0, out.join(''));
    assert.equal(
      out[summary + 1],
      'This is the end of the trace: the session stays, showing the final state. Go back with Step Back (Ctrl+K F10) or Reverse Continue (Ctrl+K F5; Cmd+K on macOS); stop the session (Shift+F5) to end it.\n',
    );
    // Run without debugging ends the session with the report: nothing to go back to, so no such line.
    const quiet: RuntimeEvent[] = [];
    const run = new ScenarioRuntime((e) => quiet.push(e));
    assert.ok(run.load({ program: CRASH_PATH, text: CRASH, noDebug: true }).ok);
    run.report();
    assert.ok(!quiet.some((e) => e.type === 'output' && /Go back with/.test(e.text)));
  });

  it('the Debug Console counts what goes wrong in the run and names the exception filters that stop there; a clean run, or one run without debugging, gets no such line', () => {
    const lines = (text: string, noDebug = false): string[] => {
      const events: RuntimeEvent[] = [];
      assert.ok(new ScenarioRuntime((e) => events.push(e)).load({ program: CRASH_PATH, text, noDebug }).ok);
      return events.flatMap((e) => (e.type === 'output' && e.text.startsWith('What goes wrong') ? [e.text] : []));
    };
    assert.deepEqual(lines(CRASH), [
      'What goes wrong in this run: 1 loss of 3 acknowledged writes. To stop there, tick Lost writes under Breakpoints and press Continue.\n',
    ]);
    const twoStale = ['strategy write-behind', 'set cache.nodes 2', 'load a 1', 'write a 2', 'read-db a', 'read a via node2', 'expect value 3'].join('\n');
    assert.equal(lines(twoStale)[0], 'What goes wrong in this run: 2 stale reads, 1 failed expectation. To stop at each, tick Stale reads and Failed expectations under Breakpoints and press Continue.\n');
    assert.deepEqual(lines(THROUGH), []);
    assert.deepEqual(lines(CRASH, true), []);
    // One kind, more than once: "at each", not "there".
    const threeStale = ['strategy write-behind', 'set cache.nodes 2', 'load a 1', 'write a 2', 'read-db a', 'read a via node2', 'read-db a'].join('\n');
    assert.equal(lines(threeStale)[0], 'What goes wrong in this run: 3 stale reads. To stop at each, tick Stale reads under Breakpoints and press Continue.\n');
  });

  it("two crashes on lines of their own are two losses, though one's lost queue entries lead straight into the other's crash", () => {
    const text = ['strategy write-behind', 'set cache.nodes 2', 'set writeBehind.wal off', 'write a 1 via node1', 'write b 2 via node2', 'crash cache node1', 'crash cache node2'].join('\n');
    const { rt, events } = runtime(text);
    rt.setAnomalyFilters(['lost']);
    rt.start(true);
    const stops: string[] = [];
    for (rt.continue(); !rt.atEnd; rt.continue()) stops.push(`${rt.position().line} ${rt.anomalyInfo()?.details ?? ''}`);
    assert.deepEqual(stops, ['6 1 acknowledged write lost: #1 (a)', '7 1 acknowledged write lost: #2 (b)']);
    const counted = new ScenarioRuntime((e) => events.push(e));
    events.length = 0;
    counted.load({ program: CRASH_PATH, text });
    assert.ok(events.some((e) => e.type === 'output' && e.text.startsWith('What goes wrong in this run: 2 losses of 2 acknowledged writes. To stop at each')));
  });

  it("a stale read's details name the newest write acknowledged before the read began, not an older one", () => {
    const text = ['strategy write-behind', 'set cache.nodes 2', 'load a 1', 'write a 2 via node1', 'write a 3 via node1', 'read a via node2'].join('\n');
    const { rt } = runtime(text);
    rt.setAnomalyFilters(['stale']);
    rt.start(true);
    rt.continue();
    const info = rt.anomalyInfo();
    assert.equal(info?.exceptionId, 'Stale read');
    const [read, write, ...more] = (info?.details ?? '').split('\n');
    assert.match(read ?? '', /^read a via node2 returned 1 \(write #1\); it began at /);
    assert.match(write ?? '', /^write #3 of 3 was acknowledged at \d+ms \(line 5\)$/);
    assert.deepEqual(more, [], 'one write: the newest');
  });

  it('pause stops again where the debugger stands, with reason pause', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    rt.next();
    rt.pause();
    assert.equal(rt.currentIndex, 0);
    rt.continue();
    rt.pause();
    assert.equal(rt.atEnd, true);
    assert.deepEqual(stops(events), ['entry', 'step', 'pause', 'step', 'pause']);
  });
});

describe('breakpoint lines', () => {
  it('line 0 or below is unverified, saying lines count from 1', () => {
    const { rt } = runtime(CRASH);
    const [zero, minus, one] = rt.setBreakpoints(CRASH_PATH, [{ line: 0 }, { line: -4 }, { line: 1 }]);
    assert.deepEqual([zero?.verified, zero?.message], [false, 'line 0 is not a line of the file: lines count from 1']);
    assert.deepEqual([minus?.verified, minus?.message], [false, 'line -4 is not a line of the file: lines count from 1']);
    assert.deepEqual([one?.verified, one?.line], [true, 4]);
  });
});

describe('conditions', () => {
  const rec = record(CRASH);
  const at = (i: number) => ({ snapshot: i < 0 ? rec.initial : (rec.steps[i]?.snapshot ?? rec.initial) });
  const holds = (src: string, i: number, nodes = 1): boolean => {
    const c = compileCondition(src, { nodes });
    if (!c.ok) throw new Error(c.message);
    return c.expr.evaluate(at(i)) === true;
  };

  it('compare metrics, queue lengths, rows, cache entries and the clock', () => {
    assert.equal(holds('lostWrites > 0', 11), false);
    assert.equal(holds('lostWrites > 0', 12), true);
    assert.equal(holds('staleReads >= 1', 15), false);
    // The third write's cache.set step comes first; its queue.enqueue step is the one that makes the third entry.
    assert.equal(holds('queue.length >= 3', 7), false);
    assert.equal(holds('queue.length >= 3', 8), true);
    assert.equal(holds('queue.length(node1) > 0', 12), false);
    assert.equal(holds('db product:1 == {"price":10}', 0), true);
    assert.equal(holds('db product:1 == { "price" : 10 }', -1), false);
    assert.equal(holds('db product:1 missing', -1), true);
    assert.equal(holds('cache product:1 == {"price": 12}', 1), true);
    assert.equal(holds('cache product:1 via node1 missing', 12), true);
    assert.equal(holds('time >= 4ms', 11), true);
    assert.equal(holds('time >= 60s', 15), false);
    assert.equal(holds('writeLatencyMs.p99 <= 1', 15), true);
    assert.equal(holds('metric acknowledgedWrites == 3 and not (lostWrites > 0)', 11), true);
    assert.equal(holds('lostWrites > 0 || reads == 1', 11), true);
    assert.equal(holds('lostWrites > 0 && reads == 1', 11), false);
  });

  it('explain what is wrong', () => {
    const message = (src: string, nodes = 1) => {
      const c = compileExpression(src, { nodes });
      return c.ok ? (c.expr.isCondition ? 'condition' : 'value') : c.message;
    };
    assert.equal(message('lostWrite > 0'), 'column 1: unknown name "lostWrite"; did you mean lostWrites?');
    assert.equal(message('metric nope'), 'column 8: unknown metric "nope"');
    // A latency percentile not kept: the nearest kept one, as the scenario language says it.
    assert.equal(message('writeLatencyMs.p98 > 5'), 'column 1: unknown name "writeLatencyMs.p98"; did you mean writeLatencyMs.p99?');
    assert.equal(message('metric readLatencyMs.p90'), 'column 8: unknown metric "readLatencyMs.p90"; did you mean readLatencyMs.p95?');
    // Above 100 there is no percentile to offer (its spelling is nearest p50's), as in a scenario's expect line.
    assert.equal(message('writeLatencyMs.p1000 > 5'), 'column 1: unknown name "writeLatencyMs.p1000": a percentile is at most 100 (p100 is the largest latency, writeLatencyMs.max)');
    assert.equal(message('metric readLatencyMs.p101'), 'column 8: unknown metric "readLatencyMs.p101": a percentile is at most 100 (p100 is the largest latency, readLatencyMs.max)');
    assert.equal(message('writeLatencyMs.p100'), 'column 1: unknown name "writeLatencyMs.p100"; did you mean writeLatencyMs.max?');
    assert.equal(message('lostWrites = 0'), 'column 12: use == to compare, not =');
    assert.equal(message('lostWrites > 0 and'), 'the expression ends too early: a value is missing');
    assert.equal(message('(lostWrites > 0'), 'column 16: expected ) to close the ( at column 1');
    assert.equal(message('queue.length(node3) > 0', 2), 'column 14: node3 does not exist: the scenario has 2 cache nodes');
    assert.equal(message('db product:1 == {"price": 1'), 'column 17: the JSON value is not closed');
    assert.equal(message('lostWrites and reads > 0'), 'column 12: "and" joins conditions, but lostWrites is a value; compare it, e.g. lostWrites > 0');
    assert.equal(message('lostWrites'), 'value');
    assert.equal(message(''), 'the expression is empty');
    const c = compileCondition('lostWrites', { nodes: 1 });
    assert.ok(!c.ok);
    assert.match(c.message, /^bad condition "lostWrites": it is a value, not true\/false; compare it, e.g. lostWrites > 0\./);
  });
});

describe('views', () => {
  it('a row and an entry say what each number is: the write their value came from, how many times the row was written', () => {
    const { rt } = runtime('strategy write-through\nwrite order:1 "old"\nwrite order:2 "new"\nwrite order:1 "paid"');
    rt.start(false);
    // order:2 holds write #2 and was written once: "v2" next to "row version 1" read as a contradiction.
    assert.deepEqual(rt.evaluate('db order:2'), { ok: true, result: '"new" (write #2, row version 1)', path: ['db', 'order:2'] });
    assert.equal((rt.evaluate('db order:1') as { result: string }).result, '"paid" (write #3, row version 2)');
    assert.equal((rt.evaluate('cache order:2') as { result: string }).result, '"new" (write #2)');
    assert.equal((rt.evaluate('order:2') as { result: string }).result, 'db "new" (write #2) · node1 "new" (write #2)');
    assert.deepEqual(rt.variables(['db']).map((v) => [v.name, v.value]), [
      ['(status)', 'up'],
      ['order:1', '"paid" (write #3, row version 2)'],
      ['order:2', '"new" (write #2, row version 1)'],
    ]);
    assert.deepEqual(rt.variables(['db', 'order:1']).map((v) => [v.name, v.value]), [
      ['value', '"paid"'],
      ['write', '#3 (the write whose value this is)'],
      ['rowVersion', '2 (times the row was written)'],
    ]);
    assert.deepEqual(rt.variables(['cache', 'node1', 'order:2']).map((v) => [v.name, v.value]).slice(0, 2), [
      ['value', '"new"'],
      ['write', '#2 (the write whose value this is)'],
    ]);
  });

  it('evaluate: db, cache, metric, queue, time, a bare key, a condition, and help on unknown input', () => {
    const { rt } = runtime(CRASH);
    rt.start(true);
    for (let i = 0; i < 12; i++) rt.stepIn(); // index 11: the read's ack, just before the crash
    const ev = (e: string) => {
      const r = rt.evaluate(e);
      return r.ok ? r.result : `error: ${r.message.split('\n')[0]}`;
    };
    assert.equal(ev('db product:1'), '{"price":10} (write #1, row version 1)');
    assert.equal(ev('db product:2'), 'missing');
    assert.equal(ev('cache product:2'), '{"price":20} (write #3)');
    assert.equal(ev('metric lostWrites'), '0');
    assert.equal(ev('metric writeLatencyMs.p99'), '1');
    assert.equal(ev('queue'), '3 pending: node1 product:1 {"price":12} [2], product:2 {"price":20} [3], product:3 {"price":30} [4]');
    assert.equal(ev('queue node1'), '3 pending: product:1 {"price":12} [2], product:2 {"price":20} [3], product:3 {"price":30} [4]');
    assert.equal(ev('time'), '4ms (virtual)');
    assert.equal(ev('product:3'), 'db missing · node1 {"price":30} (write #4) · node1/queue 1 pending');
    assert.equal(ev('queue.length == 3'), 'true');
    assert.equal(ev('frobnicate'), 'error: column 1: unknown name "frobnicate"');
    assert.match((rt.evaluate('frobnicate') as { message: string }).message, /db KEY {18}the database row/);
    assert.equal(ev('queue node7'), 'error: "node7" is not a cache node of this scenario (node1..node1)');
    rt.stepIn();
    assert.equal(ev('metric lostWrites'), '3');
    assert.equal(ev('cache product:1'), 'node1 is down');
  });

  it('variables at a position are the same whichever way the cursor arrived', () => {
    const { rt } = runtime(CRASH);
    const dump = () => rt.scopes().map((s) => walk(rt, s.path));
    rt.start(true);
    rt.next();
    rt.next();
    rt.stepIn();
    const here = dump();
    rt.continue();
    rt.start(true);
    for (let i = 0; i < 3; i++) rt.stepIn();
    assert.deepEqual(dump(), here);
  });

  it('inline values: reads show value and freshness, writes their fate at the current step', () => {
    const { rt } = runtime(CRASH);
    rt.start(true);
    for (let i = 0; i < 8; i++) rt.stepIn(); // index 7: line 8's cache.set
    assert.deepEqual(rt.inlineValues(), [
      { line: 6, text: 'acknowledged · pending in node1/queue' },
      { line: 7, text: 'acknowledged · pending in node1/queue' },
      { line: 8, text: 'in flight' },
    ]);
    rt.next(); // line 9
    rt.next(); // line 10: the crash
    assert.deepEqual(rt.inlineValues(), [
      { line: 6, text: 'acknowledged · lost' },
      { line: 7, text: 'acknowledged · lost' },
      { line: 8, text: 'acknowledged · lost' },
      { line: 9, text: '{"price":12} · fresh' },
    ]);
    const f = runtime(FLUSH, '/scenarios/flush.cachescenario').rt;
    f.start(true);
    f.next();
    f.next();
    f.stepOut();
    assert.deepEqual(f.inlineValues().map((v) => v.text), ['acknowledged · pending in node1/queue', 'acknowledged · pending in node1/queue']);
    f.next(); // the flush, shown at `advance 10s`
    assert.equal(f.position().line, 5);
    assert.deepEqual(f.frames().map((fr) => fr.name), ['node1/queue -> db db.batch @ 5010ms', 'background: node1/queue flusher', 'background']);
    assert.deepEqual(f.inlineValues().map((v) => v.text), ['acknowledged · persisted', 'acknowledged · persisted']);
  });

  it('frames: hop, operation with its client, client', () => {
    const { rt } = runtime(CRASH);
    rt.start(true);
    assert.deepEqual(rt.frames(), [{ name: 'on entry: write-behind, nothing has run yet', line: 2 }]);
    rt.next();
    rt.next();
    rt.stepIn();
    assert.deepEqual(rt.frames(), [
      { name: 'node1 -> node1/queue queue.enqueue product:1 @ 1ms', line: 6 },
      { name: 'write product:1 {"price":12} (app)', line: 6 },
      { name: 'client app', line: 6 },
    ]);
  });
});

describe('bundled scenarios', () => {
  const dir = resolve(__dirname, '..', '..', 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cachescenario'));

  it('each one loads, steps forward to its last step and back to entry, showing the same state both ways', () => {
    assert.ok(files.length > 0);
    for (const f of files) {
      const { rt } = runtime(readFileSync(join(dir, f), 'utf8'), join(dir, f));
      const total = rt.position().total;
      rt.start(true);
      const forward: unknown[] = [];
      const view = () => ({ position: rt.position(), frames: rt.frames(), vars: rt.scopes().map((s) => walk(rt, s.path)), inline: rt.inlineValues() });
      forward.push(view());
      for (let i = 0; i < total; i++) {
        rt.stepIn();
        forward.push(view());
      }
      assert.equal(rt.currentIndex, total - 1, f);
      for (let i = total - 1; i >= 0; i--) {
        assert.deepEqual(view(), forward[i + 1], `${f} at step ${i}`);
        rt.stepBack();
      }
      assert.deepEqual(view(), forward[0], `${f} on entry`);
    }
  });

  it('each recording is the trace, in order, plus one checkpoint per advance and expect statement, each at its own line', () => {
    for (const f of files) {
      const rec = record(readFileSync(join(dir, f), 'utf8'), join(dir, f));
      assert.deepEqual(rec.steps.filter((r) => !r.check).map((r) => r.step), rec.result.steps, f);
      const checked = rec.program.statements.filter((s) => s.kind === 'advance' || s.kind === 'expect').map((s) => s.span.line);
      const checks = rec.steps.filter((r) => r.check);
      assert.deepEqual(checks.map((r) => r.line).sort((a, b) => a - b), checked, f);
      for (const r of checks) {
        assert.equal(r.step.line, r.line, f);
        assert.equal(r.snapshot.time, r.step.time, `${f}: line ${r.line}`);
        // Every expectation's checkpoint knows its verdict, and the verdict is the run's own.
        if (r.check?.kind === 'expect') assert.deepEqual(r.check.verdict, rec.result.expectations.find((e) => e.line === r.line), `${f}: line ${r.line}`);
      }
      // A checkpoint comes right after the last step before it: it shows that step's seq (0 before any).
      let lastSeq = 0;
      rec.steps.forEach((r, i) => {
        if (r.check) assert.equal(r.step.seq, lastSeq, `${f}: position ${i}`);
        else lastSeq = r.step.seq;
      });
    }
  });
});

/** The whole variable tree under `path`, as plain data. */
function walk(rt: ScenarioRuntime, path: string[]): unknown {
  return rt.variables(path).map((v) => ({ name: v.name, value: v.value, children: v.path ? walk(rt, v.path) : undefined }));
}

describe('data breakpoints: what they watch and when they are checked', () => {
  /** The stop events' [reason, description, hitBreakpointIds] since `events` was last emptied. */
  function lastStop(events: RuntimeEvent[]): Extract<RuntimeEvent, { type: 'stopped' }> {
    const s = events.filter((e) => e.type === 'stopped').at(-1);
    assert.ok(s?.type === 'stopped', 'a stop');
    return s;
  }

  it('an entry evicted from a full cache is gone at the eviction step itself, so its data breakpoint stops there, not at the next write', () => {
    const text = ['strategy write-behind', 'set cache.capacity 2', 'set writeBehind.flushInterval 60s', 'write a 1', 'write b 2', 'write c 3'].join('\n');
    const { rt, events } = runtime(text);
    const rec = rt.recording as Recording;
    const evict = rec.steps.findIndex((r) => r.step.action === 'cache.evict');
    assert.ok(evict > 0, 'the third write evicts a');
    assert.deepEqual(rec.steps[evict]?.snapshot.nodes[0]?.entries.map((e) => e.key), ['b'], 'the snapshot at the eviction no longer holds a');
    rt.setDataBreakpoints([{ dataId: '["cache","node1","a"]' }]);
    rt.start(true);
    rt.continue(); // a is cached by its write
    rt.continue();
    assert.equal(rt.currentIndex, evict, 'the stop is the eviction of a');
    assert.match(lastStop(events).description, /^cache a via node1 changed to \(not cached\) from 1 \(write #1\): node1 evicted a/);
  });

  it('a row keyed "status" is a row of its own, apart from the database status: each can be watched', () => {
    const text = ['strategy write-through', 'load status "new"', 'write status "done"'].join('\n');
    const { rt, events } = runtime(text);
    rt.start(true);
    rt.stepIn();
    const names = rt.variables(['db']).map((v) => v.name);
    assert.equal(new Set(names).size, names.length, `the Database scope names each variable once: ${names.join(', ')}`);
    const row = rt.dataBreakpointInfo(['db'], 'status');
    assert.deepEqual(row, { dataId: '["db","status"]', description: 'db status' });
    const dbStatus = names.find((n) => n !== 'status') as string;
    assert.equal(rt.dataBreakpointInfo(['db'], dbStatus).description, 'database status');
    rt.setDataBreakpoints([{ dataId: row.dataId as string }]);
    rt.continue();
    assert.equal(lastStop(events).reason, 'data breakpoint');
    assert.match(lastStop(events).description, /^db status changed to "done"/);
    // A cache key named ttlLeft is an entry, not an entry's TTL left.
    assert.equal(rt.dataBreakpointInfo(['cache', 'node1'], 'status').dataId, '["cache","node1","status"]');
    const ttl = runtime(['strategy write-through', 'write ttlLeft 1'].join('\n')).rt;
    ttl.start(true);
    ttl.continue();
    assert.equal(ttl.dataBreakpointInfo(['cache', 'node1'], 'ttlLeft').dataId, '["cache","node1","ttlLeft"]');
  });

  it('set before the scenario loads: unverified until it does, then checked against it (the nodes it has, the condition), each change announced', () => {
    const events: RuntimeEvent[] = [];
    const rt = new ScenarioRuntime((e) => events.push(e));
    const before = rt.setDataBreakpoints([{ dataId: '["db","a"]' }, { dataId: '["cache","node3","a"]' }, { dataId: '["db","a"]', condition: 'cache a via node3 == 1' }, { dataId: '["metrics","nope"]' }]);
    assert.deepEqual(before.map((b) => b.verified), [false, false, false, false]);
    assert.match(before[0]?.message ?? '', /not loaded yet/);
    const text = ['strategy write-behind', 'set cache.nodes 2', 'write a 1 via node2'].join('\n');
    assert.ok(rt.load({ program: CRASH_PATH, text }).ok);
    const changed = events.flatMap((e) => (e.type === 'dataBreakpoint' ? [e.breakpoint] : []));
    assert.deepEqual(changed.map((b) => [b.id, b.verified]), before.map((b) => [b.id, b.id === before[0]?.id]));
    assert.match(changed[1]?.message ?? '', /node3.*2 cache nodes/);
    assert.match(changed[2]?.message ?? '', /node3/);
    assert.match(changed[3]?.message ?? '', /"nope" is not a metric/);
    // Set after the load, a node the scenario lacks is refused at once: a data breakpoint VS Code re-sends from another session.
    const again = rt.setDataBreakpoints([{ dataId: '["cache","node3"]' }, { dataId: '["queue","node2"]' }, { dataId: '["cache","node2","a","value"]' }, { dataId: '["db","a","color"]' }]);
    assert.deepEqual(again.map((b) => b.verified), [false, true, true, false]);
    assert.match(again[3]?.message ?? '', /"color" is not a field of a row/);
  });

  it('a line breakpoint and a data breakpoint at the same position: reason breakpoint, both ids, and the description says what changed', () => {
    const { rt, events } = runtime(THROUGH);
    const rec = rt.recording as Recording;
    const at = rec.steps.findIndex((r) => r.line === 3);
    rt.setBreakpoints(CRASH_PATH, [{ line: 3 }]);
    const [data] = rt.setDataBreakpoints([{ dataId: '["cache","node1","product:1"]' }]);
    rt.start(true);
    rt.continue(); // the load: the database row only
    assert.equal(rt.currentIndex, at);
    const stop = lastStop(events);
    assert.equal(stop.reason, 'breakpoint');
    assert.equal(stop.hitBreakpointIds.length, 2);
    assert.ok(stop.hitBreakpointIds.includes(data?.id ?? -1));
    assert.match(stop.description, /^cache product:1 via node1 changed to/);
  });

  it('a step that lands on an anomaly names no data breakpoint among the hits, as a step that lands on a change does not', () => {
    const { rt, events } = runtime(CRASH);
    const rec = rt.recording as Recording;
    const crash = rec.steps.findIndex((r) => r.step.action === 'crash');
    rt.setAnomalyFilters(['lost']);
    rt.setDataBreakpoints([{ dataId: '["metrics","lostWrites"]' }]);
    rt.start(true);
    while (rt.currentIndex < crash - 1) rt.stepIn();
    rt.stepIn();
    assert.equal(rt.currentIndex, crash);
    assert.equal(lastStop(events).reason, 'exception');
    assert.deepEqual(lastStop(events).hitBreakpointIds, []);
    rt.stepBack();
    rt.continue();
    assert.equal(rt.currentIndex, crash);
    assert.equal(lastStop(events).hitBreakpointIds.length, 1, 'Continue stopped for it: its id is named');
  });

  it("a node's pending count, lost writes and dead letters are refused with why, not as queue entries that age", () => {
    const { rt } = runtime(CRASH);
    rt.start(true);
    rt.stepIn();
    const lost = rt.dataBreakpointInfo(['queue', 'node1'], 'lost');
    assert.equal(lost.dataId, null);
    assert.doesNotMatch(lost.description, /age/);
    assert.match(lost.description, /node1's row under Write-behind queue/);
    assert.match(rt.dataBreakpointInfo(['queue', 'node1', 'pending'], '[0] product:1').description, /age/);
  });
});

describe("the lesson's durability tip, followed on C8", () => {
  it('stops at the crash with Lost writes ticked, then, from there, at the flush, with the row and the button the tip names', () => {
    const tip = LESSON_SECTIONS.flatMap((s) => s.body).find((b) => b.kind === 'callout' && b.title === 'Stop where it happens');
    assert.ok(tip?.kind === 'callout');
    const file = resolve(__dirname, '..', '..', 'scenarios', 'c08-write-behind-crash-loses-writes.cachescenario');
    const { rt, events } = runtime(readFileSync(file, 'utf8'), file);
    const rec = rt.recording as Recording;
    rt.setAnomalyFilters(['lost']);
    rt.start(true);
    rt.continue();
    assert.equal(rec.steps[rt.currentIndex]?.step.action, 'crash', 'Continue with Lost writes ticked stops at the crash');
    // The learner is stopped at the crash: the tip must name the row to watch and the button that reaches the flush.
    const row = /right-click \*\*([^*]+)\*\* under Database/.exec(tip.text)?.[1];
    const button = /press \*\*(Continue|Reverse Continue)\*\*/.exec(tip.text)?.[1];
    assert.ok(row !== undefined && button !== undefined, `the tip names a row under Database and a button: ${tip.text}`);
    const info = rt.dataBreakpointInfo(['db'], row);
    assert.ok(info.dataId !== null, info.description);
    rt.setDataBreakpoints([{ dataId: info.dataId }]);
    events.length = 0;
    if (button === 'Continue') rt.continue();
    else rt.reverseContinue();
    assert.equal(rec.steps[rt.currentIndex]?.step.action, 'db.batch', `${button} stops at the flush, not at ${rec.steps[rt.currentIndex]?.step.action ?? 'the end'}`);
  });
});
