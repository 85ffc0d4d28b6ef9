// Stepping-debugger behaviour a mutation audit found unpinned: each test fails if one small break of
// `src/debug/runtime.ts` or `src/debug/adapter.ts` (named in its comment) is made, with exact positions, lines, frames,
// variables and answers; the adapter's requests go over real DAP to the standalone adapter, built from source.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ScenarioRuntime, endIndex, nextStatementIndex, recordScenario, stepOutIndex } from '../../src/debug/runtime';
import type { Recording, RuntimeEvent } from '../../src/debug/runtime';
import { buildAdapter } from './buildAdapter';
import { CONCURRENT, CRASH, TTL_RETRY } from './scenarios';

const PATH = '/scenarios/pins.cachescenario';

/** Scenario lines joined into a file's text. */
const lines = (...l: string[]): string => l.join('\n');

function record(text: string): Recording {
  const r = recordScenario(PATH, text);
  if (!r.ok) throw new Error(r.message);
  return r.recording;
}

function runtime(text: string): { rt: ScenarioRuntime; rec: Recording; events: RuntimeEvent[] } {
  const events: RuntimeEvent[] = [];
  const rt = new ScenarioRuntime((e) => events.push(e));
  const r = rt.load({ program: PATH, text });
  assert.ok(r.ok);
  events.length = 0;
  return { rt, rec: rt.recording as Recording, events };
}

function lastStop(events: RuntimeEvent[]): Extract<RuntimeEvent, { type: 'stopped' }> {
  const s = events.filter((e) => e.type === 'stopped').at(-1);
  assert.ok(s?.type === 'stopped', 'a stop');
  return s;
}

/** What one evaluation shows, or its error's first line. */
function shown(rt: ScenarioRuntime, expression: string): string {
  const r = rt.evaluate(expression);
  return r.ok ? r.result : `error: ${r.message.split('\n')[0] ?? ''}`;
}

describe('Step Over and Step Out', () => {
  // Break: a step was a statement's start at the first step of each visit to its line, not only of its first visit.
  it('Step Over stops once per statement: a line visited again later (its hops interleaved with others) is not a new statement', () => {
    const rec = record(CONCURRENT);
    assert.deepEqual(
      rec.steps.map((s) => s.line),
      [5, 2, 3, 4, 5, 5, 2, 2, 3, 3, 4, 4],
    );
    const seen: number[] = [];
    for (let i = -1; i < rec.steps.length; ) seen.push((i = nextStatementIndex(rec, i)));
    assert.deepEqual(seen, [0, 1, 2, 3, 12]);
    const { rt } = runtime(CONCURRENT);
    rt.start(true);
    const stops: string[] = [];
    for (rt.next(); !rt.atEnd; rt.next()) stops.push(`${rt.position().line} ${rt.position().step?.action ?? ''}`);
    assert.deepEqual(stops, ['5 cache.get', '2 cache.set', '3 cache.set', '4 cache.set']);
  });

  // Break: Step Out from a write-around write's acknowledgement went to the next statement, not the write's invalidation.
  it("Step Out from a write-around write's acknowledgement stops at its invalidation of the cache, the operation's last step", () => {
    const rec = record(lines('strategy write-around', 'load k 0', 'write k 1', 'read k'));
    assert.deepEqual(
      rec.steps.map((s) => `${s.line} ${s.step.action}`),
      ['2 db.write', '3 db.write', '3 ack', '3 cache.delete', '4 cache.get', '4 db.read', '4 cache.load', '4 ack'],
    );
    assert.deepEqual(
      rec.steps.map((_, i) => stepOutIndex(rec, i)),
      [1, 2, 3, 4, 7, 7, 7, 8],
    );
  });

  // Break: Step Out of background work ran on through background steps of the same line at later moments.
  it('Step Out of a failed flush stops at its retry, in the same millisecond, not at the flush that succeeds a second later', () => {
    const rec = record(TTL_RETRY);
    assert.deepEqual(
      rec.steps.slice(9).map((s) => `${s.line} ${s.step.time} ${s.step.action} ${s.step.outcome}`),
      ['9 60010 db.batch error', '9 60010 queue.retry pending', '9 61020 db.batch persisted', '9 120003 advance ok'],
    );
    // Past the retry, Step Out goes to the advance line's own stop (the clock at 120003 ms), a Step Over stop of its
    // own since an audit of the debugger found it reachable only by Step Into; from there, to the next statement.
    assert.deepEqual(
      [9, 10, 11, 12].map((i) => stepOutIndex(rec, i)),
      [10, 12, 12, 13],
    );
  });
});

describe('the line background work is shown at', () => {
  // Break: of statements started in the same millisecond, the one with the higher line (not the one the recording
  // shows last) counted as the most recently started.
  it("of two reads issued at 0 ms, the database coming back up shows at the one whose first hop came last, whatever their lines' order", () => {
    // Bob's cache read shows its first hop at 1 ms, Alice's database read at 10 ms: Alice's line 3 started last.
    const rec = record(lines('strategy write-through', 'fail db for 50ms', 'at 0ms as alice read-db a', 'at 0ms as bob read a'));
    assert.deepEqual(
      rec.steps.map((s) => `${s.line} ${s.step.time} ${s.step.action}`),
      ['2 0 db.down', '4 1 cache.get', '3 10 db.read', '3 10 error', '4 11 db.read', '4 11 error', '3 50 db.up'],
    );
  });

  // Break: a statement that started in the same millisecond as a background step, and showed before it, was passed over.
  it('a flush in the very millisecond of a fault placed with `at` shows at the fault, which it fails', () => {
    const rec = record(lines('strategy write-behind', 'set writeBehind.flushInterval 1s', 'write a 1', 'at 1010ms fail db next 1 writes', 'advance 5s'));
    assert.deepEqual(
      rec.steps.map((s) => `${s.line} ${s.step.time} ${s.step.action}`),
      ['3 1 cache.set', '3 1 queue.enqueue', '3 1 ack', '4 1010 db.failNext', '4 1010 db.batch', '4 1010 queue.retry', '4 2020 db.batch', '5 5001 advance'],
    );
  });
});

describe('Step Back', () => {
  // Break: Step Back from the first step arrived on entry with reason "step".
  it('from the first step arrives on entry as on entry: reason entry, nothing has run yet', () => {
    const { rt, events } = runtime(CRASH);
    rt.start(true);
    rt.stepIn();
    assert.equal(rt.currentIndex, 0);
    rt.stepBack();
    assert.equal(rt.currentIndex, -1);
    const stop = lastStop(events);
    assert.deepEqual([stop.reason, stop.description], ['entry', 'on entry: nothing has run yet (write-behind, 16 steps recorded)']);
    assert.deepEqual(rt.frames(), [{ name: 'on entry: write-behind, nothing has run yet', line: 2 }]);
  });
});

describe('what a stop shows', () => {
  // Break: an entry's expiry was said to come from the node itself, not from its expiry.
  it("a cache entry's expiry is background work of the node's expiry, in the call stack and the stop's text", () => {
    const { rt, rec, events } = runtime(lines('strategy write-through', 'set cache.ttl 1s', 'write a 1', 'advance 2s', 'read a'));
    const expire = rec.steps.findIndex((r) => r.step.action === 'cache.expire');
    assert.equal(expire, 4);
    rt.start(true);
    while (rt.currentIndex < expire) rt.stepIn();
    assert.deepEqual(rt.frames(), [
      { name: 'node1 cache.expire a @ 2012ms', line: 5 },
      { name: 'background: node1 expiry', line: 5 },
      { name: 'background', line: 5 },
    ]);
    assert.equal(lastStop(events).text, 'node1 cache.expire a @ 2012ms: a expired in node1 (TTL 1s) (background work of the node1 expiry, shown at line 5)');
  });

  // Break: a node's row under Write-behind queue counted the queue entries lost, not the writes they carried.
  it("a node's row under Write-behind queue counts the writes lost, two of them coalesced in one queue entry", () => {
    const { rt, rec } = runtime(lines('strategy write-behind', 'set writeBehind.flushInterval 60s', 'write a 1', 'write a 2', 'write b 3', 'crash cache'));
    const crash = rec.steps.findIndex((r) => r.step.action === 'crash');
    rt.start(true);
    while (rt.currentIndex < crash) rt.stepIn();
    assert.deepEqual(rt.variables(['queue']).map((v) => [v.name, v.value]), [['node1', '3 lost, 0 pending, 0 dead letters']]);
    assert.deepEqual(rt.variables(['queue', 'node1']).find((v) => v.name === 'lost')?.value, '3 writes');
    assert.equal(shown(rt, 'metric lostWrites'), '3');
    // Found by a review: the Debug Console's queue said "0 pending: node1 empty" beside the Variables view's "3 lost".
    assert.equal(shown(rt, 'queue'), '0 pending: node1 empty (3 acknowledged writes lost with it)');
    assert.equal(shown(rt, 'queue node1'), '0 pending: empty (3 acknowledged writes lost with it)');
  });

  // Found by a review: a bare latency answered a lone number, its being the mean said only in the hover.
  it('a latency named bare answers its mean and says so, with the other figures', () => {
    const { rt, rec } = runtime(lines('strategy write-through', 'write a 1', 'write b 2'));
    rt.start(true);
    while (rt.currentIndex < rec.steps.length - 1) rt.stepIn();
    assert.equal(shown(rt, 'writeLatencyMs'), '11, the mean (p50 11, p95 11, p99 11, max 11, mean 11 (ms))');
    assert.equal(shown(rt, 'metric readLatencyMs'), '0, the mean (p50 0, p95 0, p99 0, max 0, mean 0 (ms))');
    assert.equal(shown(rt, 'writeLatencyMs > 10'), 'true');
  });
});

describe("a stale read's details", () => {
  // Break: the details named the newest write acknowledged before the read, to any key.
  it('name the newest write to the key the read returned stale, not a later write to another key', () => {
    const { rt } = runtime(lines('strategy write-behind', 'load a 0', 'write a 1', 'write b 2', 'read-db a'));
    rt.setAnomalyFilters(['stale']);
    rt.start(true);
    rt.continue();
    assert.equal(rt.anomalyInfo()?.details, 'read-db a returned 0 (write #1); it began at 2ms\nwrite #2 of 1 was acknowledged at 1ms (line 3)');
  });

  // Break: the details searched back from the read's first hop (a database read lands 10 ms after the read began), so
  // they named a write acknowledged while the read was under way, and gave the hop's time as when the read began.
  it('give the moment the read began, and pass over a write acknowledged while it was under way', () => {
    const { rt } = runtime(lines('strategy write-behind', 'load a 0', 'write a 1', 'at 2ms as alice read-db a', 'at 5ms as bob write a 2'));
    rt.setAnomalyFilters(['stale']);
    rt.start(true);
    rt.continue();
    assert.equal(rt.position().line, 4);
    assert.equal(rt.anomalyInfo()?.details, 'read-db a returned 0 (write #1); it began at 2ms\nwrite #2 of 1 was acknowledged at 1ms (line 3)');
  });

  // Not a mutant: the details compared times, so a write acknowledged in the millisecond the read began, after it
  // (bob's write, whose hop was scheduled after the `at 2ms` line's), was named as the one the read should have seen.
  it('pass over a write acknowledged in the millisecond the read began, after it began', () => {
    const { rt, rec } = runtime(lines('strategy write-behind', 'load a 0', 'write a 1', 'at 2ms as alice read-db a', 'write a 2'));
    // The order the engine ran them in: write #3 is acknowledged at 2ms, and the read (op 3) had begun by then.
    const ack3 = rec.steps.find((r) => r.step.action === 'ack' && r.step.version === 3);
    assert.deepEqual([ack3?.step.time, ack3?.opsIssued], [2, 3]);
    rt.setAnomalyFilters(['stale']);
    rt.start(true);
    rt.continue();
    assert.equal(rt.position().line, 4);
    assert.equal(rt.anomalyInfo()?.details, 'read-db a returned 0 (write #1); it began at 2ms\nwrite #2 of 1 was acknowledged at 1ms (line 3)');
  });
});

describe('expressions', () => {
  // Break: `missing` also held for a row or an entry whose value is null.
  it('a row or an entry holding null is not missing', () => {
    const { rt } = runtime(lines('strategy write-through', 'write k null', 'read k'));
    rt.continue();
    assert.equal(shown(rt, 'db k'), 'null (write #1, row version 1)');
    assert.equal(shown(rt, 'db k missing'), 'false');
    assert.equal(shown(rt, 'cache k missing'), 'false');
    assert.equal(shown(rt, 'db nope missing'), 'true');
  });

  // Break: queue.length(nodeN) read node N+1's queue.
  it("queue.length(nodeN) counts node N's queue", () => {
    const { rt, rec } = runtime(lines('strategy write-behind', 'set cache.nodes 3', 'set writeBehind.flushInterval 60s', 'write a 1 via node2', 'write b 2 via node2', 'write c 3 via node3'));
    // At the last write's acknowledgement, before the flush 60 s later empties the queues.
    const acked = rec.steps.map((r) => r.step.action).lastIndexOf('ack');
    rt.start(true);
    while (rt.currentIndex < acked) rt.stepIn();
    assert.deepEqual(
      ['queue.length(node1) == 0', 'queue.length(node2) == 2', 'queue.length(node3) == 1', 'queue.length == 3'].map((e) => shown(rt, e)),
      ['true', 'true', 'true', 'true'],
    );
  });

  // Break: <, <=, > and >= ordered any values as JavaScript does (null below 1, "b" above "a"), not only numbers.
  it('ordering holds only between numbers: null, text and true are never below or above anything', () => {
    const { rt } = runtime(lines('strategy write-through', 'write n null', 'write s "b"', 'write t true'));
    rt.continue();
    assert.deepEqual(
      ['db n < 1', 'db n >= 0', 'db s > "a"', 'db s <= "c"', 'db t > 0', 'db t >= 1', 'db missing < 1'].map((e) => shown(rt, e)),
      ['false', 'false', 'false', 'false', 'false', 'false', 'false'],
    );
  });
});

describe('the adapter over DAP', () => {
  const THREAD = { threadId: 1 };
  let dir: string;
  let adapter: string;
  let crashFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cache-workbench-pins-'));
    adapter = await buildAdapter(dir);
    crashFile = join(dir, 'crash.cachescenario');
    writeFileSync(crashFile, CRASH);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A session stopped on entry of CRASH, for `body`; the session stops after it. */
  async function session(body: (dc: DebugClient) => Promise<void>): Promise<void> {
    const dc = new DebugClient('node', adapter, 'cachescenario');
    await dc.start();
    try {
      const stopped = dc.waitForEvent('stopped');
      const configured = dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest());
      await Promise.all([configured, dc.launch({ program: crashFile, stopOnEntry: true })]);
      await stopped;
      await body(dc);
    } finally {
      await dc.stop();
    }
  }

  async function stepIn(dc: DebugClient): Promise<void> {
    const stopped = dc.waitForEvent('stopped');
    await dc.stepInRequest(THREAD);
    await stopped;
  }

  // Break: stackTrace's "levels": 0 gave no frames (the protocol: 0 means all of them).
  it('stackTrace with "levels": 0 answers every frame', async () => {
    await session(async (dc) => {
      await stepIn(dc);
      const st = await dc.stackTraceRequest({ ...THREAD, levels: 0 });
      assert.deepEqual(
        st.body.stackFrames.map((f) => [f.id, f.name, f.line]),
        [
          [1, 'db db.write product:1 @ 0ms', 4],
          [2, 'load product:1 {"price": 10}', 4],
          [3, 'scenario', 4],
        ],
      );
      assert.equal(st.body.totalFrames, 3);
    });
  });

  // Break: a page of frames from "startFrame" numbered its frames from 1 again.
  it('a page of frames from "startFrame" keeps each frame\'s id, as the whole stack numbers it', async () => {
    await session(async (dc) => {
      await stepIn(dc);
      const st = await dc.stackTraceRequest({ ...THREAD, startFrame: 1, levels: 1 });
      assert.deepEqual(
        st.body.stackFrames.map((f) => [f.id, f.name]),
        [[2, 'load product:1 {"price": 10}']],
      );
      assert.equal(st.body.totalFrames, 3);
    });
  });

  // Break: an exception filter whose condition is an empty text was refused as one given a condition.
  it('an exception filter with an empty condition is a filter without one: verified, and it stops', async () => {
    await session(async (dc) => {
      const r = await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'lost', condition: '' }] });
      assert.deepEqual(r.body?.breakpoints, [{ verified: true }]);
      const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await dc.continueRequest(THREAD);
      const stop = await stopped;
      assert.equal(stop.body.reason, 'exception');
      assert.equal((await dc.stackTraceRequest(THREAD)).body.stackFrames[0]?.line, 10);
    });
  });

  // Break: breakpointLocations left out the range's last line ("endLine").
  it('breakpointLocations lists the lines where a step shows from "line" to "endLine", both included', async () => {
    await session(async (dc) => {
      const locations = async (args: DebugProtocol.BreakpointLocationsArguments): Promise<unknown> =>
        ((await dc.customRequest('breakpointLocations', args)) as DebugProtocol.BreakpointLocationsResponse).body.breakpoints;
      assert.deepEqual(await locations({ source: { path: crashFile }, line: 5, endLine: 9 }), [{ line: 6 }, { line: 7 }, { line: 8 }, { line: 9 }]);
      assert.deepEqual(await locations({ source: { path: crashFile }, line: 11 }), [{ line: 11 }]);
    });
  });

  // Break: evaluate answered a row's value with no children to expand.
  it("the Debug Console's answer for a row expands to the row's fields, as the row does under Database", async () => {
    await session(async (dc) => {
      await stepIn(dc);
      const r = await dc.evaluateRequest({ expression: 'db product:1', context: 'repl' });
      assert.equal(r.body.result, '{"price":10} (write #1, row version 1)');
      assert.ok(r.body.variablesReference > 0, 'the answer can be expanded');
      const fields = await dc.variablesRequest({ variablesReference: r.body.variablesReference });
      assert.deepEqual(
        fields.body.variables.map((v) => [v.name, v.value]),
        [
          ['value', '{"price":10}'],
          ['write', '#1 (the write whose value this is)'],
          ['rowVersion', '1 (times the row was written)'],
        ],
      );
    });
  });
});

describe('a graceful shutdown in the debugger', () => {
  // node1 shuts down at 2ms with the database down; its drain fails, retries, and gives up at 1s: the write is lost.
  const SHUTDOWN = lines('strategy write-behind', 'set writeBehind.flushInterval 60s', 'write a 1', 'fail db for 5s', 'shutdown cache timeout 1s', 'advance 10s', 'expect metric lostWrites == 1');

  // Break: the Cache scope says plain "down" while the queue still drains, or still says so after the timeout.
  it('shows the node as shutting down while its queue drains, then down', () => {
    const { rt, rec } = runtime(SHUTDOWN);
    const at = (action: string, outcome: string): number => rec.steps.findIndex((r) => r.step.action === action && r.step.outcome === outcome);
    const nodeValue = (): string | undefined => rt.variables(['cache']).find((v) => v.name === 'node1')?.value;
    rt.start(true);
    while (rt.position().index < at('shutdown', 'pending')) rt.stepIn();
    assert.equal(nodeValue(), 'shutting down, its queue still flushing, 0 entries');
    while (rt.position().index < at('shutdown', 'lost')) rt.stepIn();
    assert.equal(nodeValue(), 'down, 0 entries');
  });

  // Break: the timeout's step is not an anomaly, or its lost entry is not counted with it.
  it('stops the lost-writes filter at the timeout, naming the write lost', () => {
    const { rt, rec, events } = runtime(SHUTDOWN);
    rt.setAnomalyFilters(['lost']);
    rt.start(true);
    rt.continue();
    assert.equal(lastStop(events).reason, 'exception');
    assert.equal(rec.steps[rt.position().index]?.step.action, 'shutdown');
    assert.equal(rt.anomalyInfo()?.details, '1 acknowledged write lost: #1 (a)');
    assert.deepEqual(rt.variables(['queue', 'node1', 'lost']).map((v) => v.value), ['1 · writes [1] · lost at 1001ms']);
  });
});

describe('lost replies in the debugger', () => {
  // Break: the Database scope says nothing of the faults still to come, or forgets the lost replies behind failures.
  it("says under Database which transactions still fail and which commits will lose their replies", () => {
    const { rt, rec } = runtime(lines('strategy write-through', 'fail db next 1 write', 'fail db next 2 replies', 'write a 1', 'write a 2', 'write a 3', 'write a 4'));
    const status = (): string | undefined => rt.variables(['db'])[0]?.value;
    const after = (n: number): void => {
      // Up to the n-th database write step (failed or committed), then one more step.
      let seen = 0;
      while (seen < n) {
        rt.stepIn();
        const s = rec.steps[rt.position().index]?.step;
        if (s?.action === 'db.write') seen++;
      }
    };
    rt.start(true);
    while (rec.steps[rt.position().index]?.step.line !== 4) rt.stepIn();
    assert.equal(status(), 'up, the next write transaction fails, then the next 2 commits lose their replies');
    after(1);
    assert.equal(status(), 'up, the next 2 commits lose their replies');
    after(1);
    assert.equal(status(), 'up, the next commit loses its reply');
    after(1);
    assert.equal(status(), 'up');
  });
});

describe('dirty reads in the debugger', () => {
  const DIRTY = lines(
    'strategy write-through',
    'load product:1 {"price": 10}',
    'fail db next 1 writes',
    'at 20ms write product:1 {"price": 12}',
    'at 25ms as bob read product:1',
    'advance 100ms',
  );

  // Break: the read of a write that then fails is no anomaly, or the stop does not say what makes it dirty.
  it('stops the Dirty reads filter at the read, before the failure that makes it dirty, and names that failure', () => {
    const { rt, rec, events } = runtime(DIRTY);
    rt.setAnomalyFilters(['dirty']);
    rt.start(true);
    rt.continue();
    assert.equal(lastStop(events).reason, 'exception');
    const step = rec.steps[rt.position().index]?.step;
    assert.deepEqual([step?.client, step?.action, step?.outcome, step?.time], ['bob', 'ack', 'fresh', 26]);
    const info = rt.anomalyInfo();
    assert.equal(info?.exceptionId, 'Dirty read');
    assert.equal(info?.description, 'This read returned a write still in progress: its writer has not been acknowledged yet; that write then fails, so no store keeps the value it returned (a dirty read).');
    assert.equal(info?.details, 'read product:1 returned {"price":12} (write #2) before its writer was acknowledged\nwrite #2 fails at 32ms (step 8, line 4) and no store keeps it');
    // One dirty read: Continue runs to the end, and Reverse Continue finds it again.
    rt.continue();
    assert.equal(rt.position().index, rt.position().total);
    rt.reverseContinue();
    assert.equal(rec.steps[rt.position().index]?.step.client, 'bob');
  });

  // Break: a lost reply's write (committed after all) or a write that commits counted as discarded.
  it('has nothing to stop at when the write commits, or only its reply is lost', () => {
    for (const fault of ['fail db next 1 reply', '# no fault']) {
      const { rt, events } = runtime(DIRTY.replace('fail db next 1 writes', fault));
      rt.setAnomalyFilters(['dirty']);
      rt.start(true);
      rt.continue();
      assert.notEqual(lastStop(events).reason, 'exception', fault);
      assert.equal(rt.position().index, rt.position().total, fault);
    }
  });
});

describe('writes applied twice in the debugger', () => {
  const X8 = lines('strategy write-behind', 'set writeBehind.flushInterval 1s', 'load n 0', 'incr n', 'incr n', 'fail db next 1 reply', 'advance 3s', 'expect db n == 4');

  // Break: the batch sent again is no anomaly, or its details do not name the writes applied again.
  it('stops the Writes applied twice filter at the batch sent again, naming the writes', () => {
    const { rt, rec, events } = runtime(X8);
    rt.setAnomalyFilters(['duplicate']);
    rt.start(true);
    rt.continue();
    assert.equal(lastStop(events).reason, 'exception');
    const step = rec.steps[rt.position().index]?.step;
    assert.deepEqual([step?.action, step?.time, step?.appliedAgain], ['db.batch', 2020, [2, 3]]);
    assert.deepEqual([rt.anomalyInfo()?.exceptionId, rt.anomalyInfo()?.details], ['Applied twice', '2 writes applied a second time: #2, #3 (in the batch of n)']);
    // Nothing else to stop at: Continue runs to the end.
    rt.continue();
    assert.equal(rt.position().index, rt.position().total);
  });

  // Break: exactly-once's skipped replay still counted as an anomaly.
  it('has nothing to stop at under exactly-once delivery', () => {
    const { rt, events } = runtime(X8.replace('load n 0', 'set writeBehind.delivery exactly-once\nload n 0').replace('n == 4', 'n == 2'));
    rt.setAnomalyFilters(['duplicate']);
    rt.start(true);
    rt.continue();
    assert.notEqual(lastStop(events).reason, 'exception');
    assert.equal(rt.position().index, rt.position().total);
  });
});

describe('Step Over through an advance line with background work (found by an audit of the debugger)', () => {
  // Break: the advance's checkpoint was no Step Over stop when background steps showed at its line first, so Step
  // Over went from the flush during `advance 2m` straight to the next statement.
  it('stops at the first background step the line shows, then where the clock gets there, then at the next statement (x03)', () => {
    const path = resolve(__dirname, '..', '..', 'scenarios', 'x03-retry-then-dead-letter.cachescenario');
    const r = recordScenario(path, readFileSync(path, 'utf8'));
    assert.ok(r.ok);
    const rec = r.recording;
    const advanceLine = rec.lines.findIndex((l) => l.startsWith('advance ')) + 1;
    const stops: string[] = [];
    for (let i = -1, n = 0; i < endIndex(rec) && n < 40; n++) {
      i = nextStatementIndex(rec, i);
      const s = rec.steps[i];
      if (s && s.line === advanceLine) stops.push(`${s.step.action} ${s.step.time}`);
    }
    assert.deepEqual(stops, ['db.batch 5010', 'advance 120001']);
  });
});
