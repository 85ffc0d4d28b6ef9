// The debugger's navigation over random scenarios (test/property/scenarioArb.ts): whatever the program, stepping hop by
// hop to the end and back shows the same state both ways, Step Over only moves forward and ends, Reverse Continue
// without breakpoints returns to entry, a breakpoint stops on its own line, and the exception filters stop Continue and
// Reverse Continue at the same anomalies, as many stale reads and failed expectations as the run counts, and a data
// breakpoint on a row stops exactly where the row changes, both ways, and Jump to Cursor lands where stepping does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ScenarioRuntime } from '../../src/debug/runtime';
import type { AnomalyFilter, RecordedStep, RuntimeEvent } from '../../src/debug/runtime';
import { scenarioText } from '../property/scenarioArb';
import { isDbFault } from '../../src/model/types';

const RUNS = 200;
const PATH = '/fuzz/random.cachescenario';
/** Long recordings are skipped: the step-by-step walk compares every view at every step. */
const MAX_STEPS = 300;

/** Programs loaded (not skipped) so far: a property that skipped nearly all of them would test nothing. */
let used = 0;

function loaded(text: string): { rt: ScenarioRuntime; events: RuntimeEvent[] } | undefined {
  const events: RuntimeEvent[] = [];
  const rt = new ScenarioRuntime((e) => events.push(e));
  const r = rt.load({ program: PATH, text });
  if (!r.ok || rt.position().total > MAX_STEPS) return undefined;
  used++;
  return { rt, events };
}

function assertUsedMost(before: number): void {
  assert.ok(used - before > RUNS / 3, `only ${used - before} of ${RUNS} random programs were stepped through`);
}

/**
 * From entry, Continue until the end of the trace (at most `expected` + 1 times): the positions it stopped at, each
 * checked by `check` when it stops.
 */
function continueStops(rt: ScenarioRuntime, expected: number, check: (index: number) => void): number[] {
  rt.start(true);
  const stops: number[] = [];
  for (let n = 0; n <= expected && !rt.atEnd; n++) {
    rt.continue();
    if (rt.atEnd) break;
    check(rt.currentIndex);
    stops.push(rt.currentIndex);
  }
  return stops;
}

/** From where the debugger stands, Reverse Continue until entry (at most `expected` + 1 times): where it stopped. */
function reverseStops(rt: ScenarioRuntime, expected: number): number[] {
  const stops: number[] = [];
  for (let n = 0; n <= expected; n++) {
    rt.reverseContinue();
    if (rt.currentIndex < 0) break;
    stops.push(rt.currentIndex);
  }
  return stops;
}

function walk(rt: ScenarioRuntime, path: string[]): unknown {
  return rt.variables(path).map((v) => ({ name: v.name, value: v.value, children: v.path ? walk(rt, v.path) : undefined }));
}

describe('debugger navigation over random scenarios', () => {
  it('hop by hop to the end and back: the same position, frames, variables and inline values both ways', () => {
    const before = used;
    fc.assert(
      fc.property(scenarioText, (text) => {
        const l = loaded(text);
        if (!l) return;
        const { rt } = l;
        const total = rt.position().total;
        const view = () => ({ position: rt.position(), frames: rt.frames(), vars: rt.scopes().map((s) => walk(rt, s.path)), inline: rt.inlineValues() });
        rt.start(true);
        const forward = [view()];
        for (let i = 0; i < total; i++) {
          rt.stepIn();
          forward.push(view());
        }
        for (let i = total - 1; i >= 0; i--) {
          assert.deepEqual(view(), forward[i + 1], `at position ${i}\n${text}`);
          rt.stepBack();
        }
        assert.deepEqual(view(), forward[0], `on entry\n${text}`);
      }),
      { numRuns: RUNS },
    );
    assertUsedMost(before);
  });

  it('Step Over moves forward on statement lines to the end of the trace and stays there; Reverse Continue goes back to entry; a breakpoint stops on its line', () => {
    const before = used;
    fc.assert(
      fc.property(scenarioText, fc.nat(), (text, pick) => {
        const l = loaded(text);
        if (!l) return;
        const { rt, events } = l;
        const total = rt.position().total;
        const statementLines = new Set(rt.recording?.program.statements.map((s) => s.span.line));
        rt.start(true);
        let last = -1;
        for (let n = 0; n <= total && !rt.atEnd; n++) {
          rt.next();
          const p = rt.position();
          if (rt.atEnd) break;
          assert.ok(p.index > last, `Step Over went from ${last} to ${p.index}\n${text}`);
          assert.ok(statementLines.has(p.line), `stopped on line ${p.line}, which holds no statement\n${text}`);
          last = p.index;
        }
        assert.ok(rt.atEnd, `Step Over never reached the end after ${total} steps\n${text}`);
        assert.equal(rt.position().index, total);
        // At the end it stays, and says so with a stop each time; one Step Back is the last step.
        const stopsBefore = events.filter((e) => e.type === 'stopped').length;
        rt.next();
        rt.continue();
        assert.equal(rt.position().index, total);
        assert.equal(events.filter((e) => e.type === 'stopped').length, stopsBefore + 2);
        rt.stepBack();
        assert.equal(rt.position().index, total - 1, `Step Back from the end\n${text}`);

        // A fresh session: to the end, then back.
        const again = loaded(text);
        if (!again) return;
        again.rt.start(true);
        for (let i = 0; i < total; i++) again.rt.stepIn();
        again.rt.reverseContinue();
        assert.equal(again.rt.position().index, -1, `Reverse Continue did not reach entry\n${text}`);

        // A breakpoint on a line that has steps stops there first.
        const withSteps = [...new Set(again.rt.recording?.steps.map((s) => s.line))];
        const line = withSteps[pick % Math.max(1, withSteps.length)];
        if (line === undefined) return;
        const states = again.rt.setBreakpoints(PATH, [{ line }]);
        assert.equal(states[0]?.verified, true, `breakpoint on line ${line} not verified\n${text}`);
        again.rt.start(false);
        assert.equal(again.rt.position().line, line, `continue stopped on line ${again.rt.position().line}, not the breakpoint's ${line}\n${text}`);
        const first = again.rt.recording?.steps.findIndex((s) => s.line === line);
        assert.equal(again.rt.position().index, first, `not the first step of line ${line}\n${text}`);
      }),
      { numRuns: RUNS },
    );
    assertUsedMost(before);
  });

  it('exception filters: Continue stops at each anomaly whose filter is on, as an exception, and Reverse Continue at the same ones backwards; the stale and expect stops match the run', () => {
    const before = used;
    const filters = fc.subarray<AnomalyFilter>(['stale', 'lost', 'error', 'expect'], { minLength: 1 });
    /** The anomaly a step shows, from its outcome (checkpoints: a failed expect), written apart from the runtime's. */
    const kindOf = (r: RecordedStep | undefined): string | undefined => {
      if (r === undefined) return undefined;
      if (r.check) return r.check.kind === 'expect' && r.check.verdict?.ok === false ? 'expect' : undefined;
      if (r.step.outcome === 'error') return isDbFault(r.step.action) ? undefined : 'error';
      return r.step.outcome === 'stale' || r.step.outcome === 'lost' ? r.step.outcome : undefined;
    };
    let stopsSeen = 0;
    fc.assert(
      fc.property(scenarioText, filters, (text, on) => {
        const l = loaded(text);
        if (!l) return;
        const { rt, events } = l;
        const rec = rt.recording;
        if (!rec) return;
        // Where an anomaly starts: an operation's first step of that kind (its later ones, a rollback between or not,
        // are the same anomaly); for background work and faults, a step that does not follow one of the same kind on
        // the same line.
        const expected = rec.steps.flatMap((r, i) => {
          const k = kindOf(r);
          if (k === undefined || !on.includes(k as AnomalyFilter)) return [];
          if (!r.check && r.step.op !== null) return rec.steps.slice(0, i).some((b) => !b.check && b.step.op === r.step.op && kindOf(b) === k) ? [] : [i];
          const b = rec.steps[i - 1];
          const continues = b !== undefined && !b.check && !r.check && b.step.op === null && kindOf(b) === k && b.line === r.line;
          return continues ? [] : [i];
        });
        rt.setAnomalyFilters(on);
        const forward = continueStops(rt, expected.length, (i) => {
          const stop = events.filter((e) => e.type === 'stopped').at(-1);
          assert.equal(stop?.type === 'stopped' ? stop.reason : undefined, 'exception', `stop at ${i}\n${text}`);
          assert.ok(on.includes(rt.anomalyInfo()?.filter as AnomalyFilter), `stopped at ${i} for a filter that is off\n${text}`);
        });
        assert.deepEqual(forward, expected, `Continue's stops\n${text}`);
        assert.deepEqual(reverseStops(rt, expected.length), [...expected].reverse(), `Reverse Continue's stops\n${text}`);
        const count = (k: string) => forward.filter((i) => kindOf(rec.steps[i]) === k).length;
        if (on.includes('stale')) assert.equal(count('stale'), rec.result.metrics.staleReads, `stale stops against staleReads\n${text}`);
        if (on.includes('expect')) assert.equal(count('expect'), rec.result.expectations.filter((e) => !e.ok).length, `expect stops against failed expectations\n${text}`);
        stopsSeen += forward.length;
      }),
      { numRuns: RUNS },
    );
    assertUsedMost(before);
    // Random programs must meet some anomalies, or the property held for nothing.
    assert.ok(stopsSeen > RUNS / 10, `only ${stopsSeen} anomaly stops in ${RUNS} programs`);
  });
  it('a data breakpoint on a database row: Continue stops exactly where the row changes, and Reverse Continue at the same places backwards', () => {
    const before = used;
    let stopsSeen = 0;
    fc.assert(
      fc.property(scenarioText, fc.nat(), (text, pick) => {
        const l = loaded(text);
        if (!l) return;
        const { rt, events } = l;
        const rec = rt.recording;
        if (!rec) return;
        const keys = [...new Set(rec.steps.flatMap((r) => r.snapshot.db.map((row) => row.key)))];
        const key = keys[pick % Math.max(1, keys.length)];
        if (key === undefined) return;
        // The row as the snapshots hold it, written apart from the runtime's Variables view.
        const rowAt = (i: number) => {
          const row = (i < 0 ? rec.initial : rec.steps[i]?.snapshot)?.db.find((r) => r.key === key);
          return row === undefined ? 'none' : `${JSON.stringify(row.value)}#${row.version}#${row.rowVersion}`;
        };
        const expected = rec.steps.flatMap((_, i) => (rowAt(i) !== rowAt(i - 1) ? [i] : []));
        const [state] = rt.setDataBreakpoints([{ dataId: JSON.stringify(['db', key]) }]);
        assert.equal(state?.verified, true);
        const forward = continueStops(rt, expected.length, (i) => {
          const stop = events.filter((e) => e.type === 'stopped').at(-1);
          assert.ok(stop?.type === 'stopped' && stop.hitBreakpointIds.includes(state?.id ?? -1), `stop at ${i} names the data breakpoint\n${text}`);
        });
        assert.deepEqual(forward, expected, `Continue's stops for db ${key}\n${text}`);
        assert.deepEqual(reverseStops(rt, expected.length), [...expected].reverse(), `Reverse Continue's stops for db ${key}\n${text}`);
        stopsSeen += forward.length;
      }),
      { numRuns: RUNS },
    );
    assertUsedMost(before);
    assert.ok(stopsSeen > RUNS / 4, `only ${stopsSeen} data breakpoint stops in ${RUNS} programs`);
  });
  it('Jump to Cursor: every visit of a line is a target, in order, and jumping there shows what stepping there shows', () => {
    const before = used;
    fc.assert(
      fc.property(scenarioText, fc.nat(), fc.nat(), (text, pickLine, pickFrom) => {
        const l = loaded(text);
        if (!l) return;
        const { rt } = l;
        const rec = rt.recording;
        if (!rec || rec.steps.length === 0) return;
        const lines = [...new Set(rec.steps.map((r) => r.line))];
        const line = lines[pickLine % lines.length] as number;
        const visits = rec.steps.flatMap((r, i) => (r.line === line && rec.steps[i - 1]?.line !== line ? [i] : []));
        const r = rt.gotoTargets(line);
        assert.ok(r.ok, `line ${line} has steps\n${text}`);
        assert.deepEqual(r.targets.map((t) => t.id - 1), visits);
        const view = () => ({ position: rt.position(), frames: rt.frames(), vars: rt.scopes().map((s) => walk(rt, s.path)) });
        // Stepped to, from entry.
        const stepped = visits.map((v) => {
          rt.start(true);
          for (let i = 0; i <= v; i++) rt.stepIn();
          return view();
        });
        // Jumped to, from anywhere.
        rt.start(true);
        for (let i = 0; i < pickFrom % (rec.steps.length + 1); i++) rt.stepIn();
        r.targets.forEach((t, k) => {
          assert.ok(rt.goto(t.id));
          assert.deepEqual(view(), stepped[k], `jump to visit ${k + 1} of line ${line}\n${text}`);
        });
        // Not a visit's first step: refused, and the debugger stays.
        const at = rt.currentIndex;
        const inner = rec.steps.findIndex((s, i) => i > 0 && rec.steps[i - 1]?.line === s.line);
        if (inner > 0) {
          assert.equal(rt.goto(inner + 1), false);
          assert.equal(rt.currentIndex, at);
        }
      }),
      { numRuns: RUNS },
    );
    assertUsedMost(before);
  });
});
