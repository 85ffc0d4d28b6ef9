// Pins from a hand mutation audit of the webview's pure logic (diagram layout, chart scales, highlighter, number
// formats, form helpers, radios, knowledge-check review): each test holds one behaviour that a small edit of the
// source changed while every unit test still passed. The comment over each names the edit (mutant) it catches.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceStep } from '../../src/model/types';
import { defaultPlaygroundConfig } from '../../src/scenario/playground';
import type { PlaygroundConfig } from '../../src/scenario/playground';

// The webview sources are ES modules (see webview/package.json), so this CommonJS test loads them dynamically.
import type * as LayoutModule from '../../webview/diagram/layout.js' with { 'resolution-mode': 'import' };
import type * as ChartModule from '../../webview/chartScale.js' with { 'resolution-mode': 'import' };
import type * as HighlightModule from '../../webview/highlight.js' with { 'resolution-mode': 'import' };
import type * as FormatModule from '../../webview/format.js' with { 'resolution-mode': 'import' };
import type * as FormsModule from '../../webview/forms.js' with { 'resolution-mode': 'import' };
import type * as RadiosModule from '../../webview/radios.js' with { 'resolution-mode': 'import' };
import type * as CompareFormModule from '../../webview/compareForm.js' with { 'resolution-mode': 'import' };
import type * as PlaygroundFormModule from '../../webview/playgroundForm.js' with { 'resolution-mode': 'import' };
import type * as QuizReviewModule from '../../webview/quizReview.js' with { 'resolution-mode': 'import' };

let L: typeof LayoutModule;
let C: typeof ChartModule;
let H: typeof HighlightModule;
let F: typeof FormatModule;
let FO: typeof FormsModule;
let R: typeof RadiosModule;
let CF: typeof CompareFormModule;
let PF: typeof PlaygroundFormModule;
let Q: typeof QuizReviewModule;
before(async () => {
  L = await import('../../webview/diagram/layout.js');
  C = await import('../../webview/chartScale.js');
  H = await import('../../webview/highlight.js');
  F = await import('../../webview/format.js');
  FO = await import('../../webview/forms.js');
  R = await import('../../webview/radios.js');
  CF = await import('../../webview/compareForm.js');
  PF = await import('../../webview/playgroundForm.js');
  Q = await import('../../webview/quizReview.js');
});

/** A trace step with neutral defaults: a background step on node1 at time 0. */
function step(p: Partial<TraceStep>): TraceStep {
  return { seq: 1, time: 0, durationMs: 0, line: null, client: null, op: null, from: 'node1', to: 'node1', action: 'cache.set', key: null, outcome: 'ok', note: '', ...p };
}

const near = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} (expected ${expected})`);

describe('diagram layout: badges and the marks column', () => {
  // L01 (badge padding 12 -> 10)
  it('sizes a badge as its label at 6.6 per capital plus 12', () => {
    near(L.badgeWidth('crash'), 45, 'CRASH');
    near(L.badgeWidth('lost'), 38.4, 'LOST');
  });

  // L02 (gap counted once per badge, not between them), L03 (an empty row no longer 0 wide)
  it('gives a row without marks no width, and two badges 6 + 6 of padding and one 4 gap', () => {
    assert.equal(L.marksWidth([]), 0);
    near(L.marksWidth(['crash', 'lost']), 6 + 45 + 4 + 38.4 + 6, 'CRASH + LOST');
  });

  // L54 (first badge at the column's edge, without its padding), L50 (no gap between badges),
  // L51 (laneTop = headerHeight), L47 (laneBottom without its 8), L48 (height without its 12)
  it('places the badges, the lane lines and the picture\'s height exactly', () => {
    const d = L.layoutDiagram([step({ action: 'crash', outcome: 'lost', writes: [] })]);
    assert.equal(d.marksX, 72 + 132);
    assert.deepEqual(d.rows[0]?.badges.map((b) => [b.label, b.x]), [['CRASH', 210], ['LOST', 259]]);
    assert.equal(d.laneTop, 44);
    assert.equal(d.rows[0]?.y, 67);
    assert.equal(d.laneBottom, 90);
    assert.equal(d.height, 102);
    assert.equal(d.width, 204 + 110);
  });

  // L41 (fitting also when the natural width equals the width available)
  it('keeps the natural size when the diagram fits the width exactly', () => {
    const d = L.layoutDiagram([step({ action: 'crash' })], { fitWidth: 314 });
    assert.equal(d.timeColumn, 72);
    assert.equal(d.laneSpacing, 132);
  });
});

describe('diagram layout: the divider after a pause', () => {
  // L43 (a pause of exactly the threshold gets no divider), L39 (line end without its 6 of space),
  // L49 (label right at the marks column's edge, not 8 before it)
  it('divides a pause of exactly the threshold, its label ending 8 before the marks and its line 6 short of the label', () => {
    const d = L.layoutDiagram([step({ seq: 1, time: 0 }), step({ seq: 2, time: 1000 })]);
    const row = d.rows[1];
    assert.equal(row?.gapLabel, '+1 s later');
    assert.equal(row?.y, 67 + 30 + 18);
    assert.deepEqual(row?.divider, { y: 91, baseline: 95, labelRight: 196, lineEnd: 196 - 10 * 6 - 6 });
  });
});

describe('diagram layout: lanes and arrows', () => {
  // L07 (a client named only as a step's client got no lane)
  it('gives a lane to a client that some step names only as its client', () => {
    assert.deepEqual(L.orderLanes([step({ client: 'alice', from: 'node1', to: 'db', action: 'db.write' })]), ['alice', 'node1', 'db']);
  });

  // L45 (a cache fill drawn solid)
  it('draws a cache fill dashed, as a reply', () => {
    const d = L.layoutDiagram([step({ action: 'cache.load', from: 'db', to: 'node1', key: 'k' })]);
    assert.equal(d.rows[0]?.reply, true);
  });

  // L17 (the time column's width rounded down)
  it('sizes the time column from its longest label at 6.7 per character, rounded up, plus 14', () => {
    assert.equal(L.timeColumnNeeded([]), 27 + 14);
    assert.equal(L.timeColumnNeeded([step({ time: 90_026 })]), 94 + 14);
  });
});

describe('diagram marks', () => {
  // L09 (a fill carrying the acknowledged write itself marked stale)
  it('marks a fill stale only when it carries an older write than one acknowledged, not the same one', () => {
    const ack = step({ seq: 1, action: 'ack', client: 'alice', from: 'node1', to: 'alice', key: 'k', version: 5 });
    assert.deepEqual(L.stepMarks([ack, step({ seq: 2, action: 'cache.load', key: 'k', version: 5 })]), [[], []]);
    assert.deepEqual(L.stepMarks([ack, step({ seq: 2, action: 'cache.load', key: 'k', version: 4 })]), [[], ['staleFill']]);
  });

  // L10 (a failed write's reply counted as acknowledged)
  it('does not count a failed write\'s reply as an acknowledged write', () => {
    const failed = step({ seq: 1, action: 'ack', client: 'alice', from: 'node1', to: 'alice', key: 'k', version: 7, outcome: 'error' });
    assert.deepEqual(L.stepMarks([failed, step({ seq: 2, action: 'cache.load', key: 'k', version: 5 })])[1], []);
  });

  // L12 (the step that loses a write also marked as carrying a doomed one)
  it('marks the step that loses a write LOST only, not LOST LATER', () => {
    assert.deepEqual(L.stepMarks([step({ action: 'queue.lost', outcome: 'lost', key: 'k', version: 3, writes: [3] })]), [['lost']]);
  });

  // L13 (the database going down marked as a failed step)
  it('does not mark the database going down, or being told to fail writes, as an error', () => {
    const down = step({ action: 'db.down', from: 'db', to: 'db', outcome: 'error', note: 'database down until 2 s' });
    const failNext = step({ seq: 2, action: 'db.failNext', from: 'db', to: 'db', outcome: 'error', note: 'the next database write transaction will fail' });
    assert.deepEqual(L.stepMarks([down, failNext]), [[], []]);
  });
});

describe('the knowledge check\'s status, worded alike in the Lesson view, the lesson and the check\'s page', () => {
  it('says not taken, passed or not passed, with the best score and the attempts', () => {
    assert.equal(F.quizStatus(undefined), 'Not taken yet');
    assert.equal(F.quizStatus({ quizPassed: false, bestScore: 0, attempts: 0 }), 'Not taken yet');
    assert.equal(F.quizStatus({ quizPassed: false, bestScore: 0.6, attempts: 1 }), 'Not passed yet, best score 60% (1 attempt)');
    assert.equal(F.quizStatus({ quizPassed: true, bestScore: 0.8, attempts: 2 }), 'Passed, best score 80% (2 attempts)');
    assert.equal(F.quizStatus({ quizPassed: true, bestScore: 0.8, attempts: 2 }, true), 'passed, best score 80% (2 attempts)');
  });
});

describe('diagram step labels', () => {
  // L20 (invalidate -> delete)
  it('labels a cache delete "invalidate"', () => {
    assert.equal(L.stepLabel(step({ action: 'cache.delete', key: 'product:1' })), 'invalidate product:1');
  });

  // L21 (a client's database-only write labelled as a preload)
  it('labels a database write "load" only when no client made it', () => {
    assert.equal(L.stepLabel(step({ action: 'db.write', from: 'db', to: 'db', key: 'k', client: 'alice' })), 'write k');
    assert.equal(L.stepLabel(step({ action: 'db.write', from: 'db', to: 'db', key: 'k' })), 'load k');
  });

  // L22 (an empty batch read as one "write")
  it('counts a batch\'s writes with the right plural', () => {
    assert.equal(L.stepLabel(step({ action: 'db.batch', writes: [] })), 'flush 0 writes');
    assert.equal(L.stepLabel(step({ action: 'db.batch', writes: [4] })), 'flush 1 write');
  });

  it('labels a shutdown "shutting down" while its queue drains, then "shut down"', () => {
    assert.equal(L.stepLabel(step({ action: 'shutdown', outcome: 'pending' })), 'shutting down');
    assert.equal(L.stepLabel(step({ action: 'shutdown', outcome: 'ok' })), 'shut down');
    assert.equal(L.stepLabel(step({ action: 'shutdown', outcome: 'lost' })), 'shut down');
  });

  // L24 (the reply to a read that missed labelled "ack")
  it('labels the reply to a read that missed "reply"', () => {
    assert.equal(L.stepLabel(step({ action: 'ack', outcome: 'miss', from: 'node1', to: 'alice' })), 'reply');
  });

  // L25 (a count-free failNext note read as one write)
  it('labels a failNext note of another shape "fail next writes"', () => {
    assert.equal(L.stepLabel(step({ action: 'db.failNext', note: 'writes will fail' })), 'fail next writes');
  });
});

describe('diagram step descriptions', () => {
  // L27 ("on node1" -> "at node1")
  it('says a self-step happens "on" its lane', () => {
    assert.equal(
      L.describeStep(step({ action: 'crash', note: 'The node crashed.' }), 0, 3),
      'Step 1 of 3, at 0 ms, took 0 ms: on node1, crash. The node crashed.',
    );
  });

  // L28 (values cut at 28 characters instead of 60)
  it('reads out a value of up to 60 characters whole', () => {
    const value = 'x'.repeat(38);
    assert.equal(L.describeStep(step({ key: 'k', value, note: 'Stored.' }), 1, 2), `Step 2 of 2, at 0 ms, took 0 ms: on node1, set k, value "${value}". Stored.`);
  });

  // L14 (1000 ms read as "1000 ms")
  it('writes a second as "1 s" and just under it in ms', () => {
    assert.equal(L.formatMs(1000), '1 s');
    assert.equal(L.formatMs(999.5), '999.5 ms');
  });

  // L58 (Infinity formatted as "Infinity min NaN s")
  it('formats a time that is not a finite number as "?"', () => {
    assert.equal(L.formatMs(Number.POSITIVE_INFINITY), '?');
  });

  // L18 (a one-letter word kept in capitals)
  it('lower-cases a one-letter word in a variant\'s label', () => {
    assert.equal(L.labelInSentence('A WAL variant'), 'a WAL variant');
  });

  // L19 (a value of exactly the limit cut with an ellipsis)
  it('keeps a value exactly as long as the limit whole', () => {
    const v = 'y'.repeat(26);
    assert.equal(L.shortValue(v), `"${v}"`);
    assert.equal(L.shortValue(`${v}z`), `"${v}…`);
  });

  // L31 (the debugger at the first step found nowhere)
  it('finds the debugger at the first step of the trace', () => {
    assert.equal(L.debugStepIndex([step({ seq: 4 }), step({ seq: 5 })], 4), 0);
  });
});

describe('chart scales', () => {
  // C03 (one tick per 60 units instead of 65)
  it('gives a 320-pixel chart three time ticks', () => {
    assert.equal(C.timeTickCount(C.plotForWidth(320)), 3);
  });

  // C09 (the tick at the axis' end left out)
  it('ends the time ticks on the axis\' end when it is a multiple of the step', () => {
    assert.deepEqual(C.ticksWithin(5000, 5), [0, 1000, 2000, 3000, 4000, 5000]);
  });

  // C30 (a ratio axis given whole-number ticks, only 0 and 1)
  it('gives a ratio chart quarter ticks up to 1', () => {
    assert.deepEqual(C.axes([0, 10], [[0.5]], C.DEFAULT_PLOT, { yMax: 1 }).yTicks, [0, 0.25, 0.5, 0.75, 1]);
  });

  // C13 (anchored at its end once past the plot's right margin), C14 (width estimated at 0.5 em per character)
  it('anchors a time label at its end only when it would pass the picture\'s right edge', () => {
    assert.equal(C.tickAnchor(530, '5,000 ms'), 'middle');
    assert.equal(C.tickAnchor(535, '5,000 ms'), 'end');
  });
});

describe('chart descriptions', () => {
  const v = (x: number): string => String(x);
  const t = (x: number): string => `${x} ms`;

  // C20 (the last of two equal peaks named instead of the first)
  it('names the first time the line reaches its peak', () => {
    assert.equal(C.describeSeries('Queue', [0, 1, 2, 3], [0, 5, 5, 0], v, t), 'Queue: the line starts at 0, peaks at 5 at 1 ms, and ends at 0 at 3 ms.');
  });

  // C22 (a low at the end named twice: "drops to 1 at 2 ms, and ends at 1")
  it('does not announce a drop to the value the line ends at', () => {
    assert.equal(C.describeSeries('Hits', [0, 1, 2], [5, 3, 1], v, t), 'Hits: the line starts at 5 and ends at 1 at 2 ms.');
  });

  // C23 (a marker at the axis' very end not named, though drawn)
  it('names a fault marker at the end of the time axis', () => {
    assert.equal(C.describeMarkers([{ atMs: 1000, label: 'node1 crashes at 1,000 ms' }], 1000), 'Fault marked: node1 crashes at 1,000 ms.');
  });
});

describe('highlighter', () => {
  // H01 (Python's `match` not a keyword)
  it('colours Python\'s match as a keyword', () => {
    assert.deepEqual(H.highlight('match x:', 'python')[0], { kind: 'keyword', text: 'match' });
  });

  // H06 (a nested brace not counted inside a template's ${ }, so a backtick after it ended the template)
  it('keeps a template literal whole past an object literal and a nested template in its ${ }', () => {
    const code = '`${ {a:1}.a + `x` }`';
    assert.deepEqual(H.highlight(code, 'typescript'), [{ kind: 'string', text: code }]);
  });

  // H10 (`$` not part of an identifier, so `new$` showed a keyword `new`)
  it('reads a TypeScript name with a $ as one plain word', () => {
    assert.deepEqual(H.highlight('new$', 'typescript'), [{ kind: 'plain', text: 'new$' }]);
  });
});

describe('number formats', () => {
  // F01 (two decimals only), F07 (ms rounded to whole)
  it('keeps three decimals of a millisecond', () => {
    assert.equal(F.formatMs(12.345), '12.345 ms');
    assert.equal(F.formatCount(0.125), '0.125');
  });

  // F03 (10 s written in ms)
  it('writes 10 s in seconds', () => {
    assert.equal(F.formatMs(10_000), '10 s');
    assert.equal(F.formatMs(9_999), '9,999 ms');
  });

  // F05 (one second of wall-clock time written "1000 ms")
  it('writes a wall-clock second as "1.0 s"', () => {
    assert.equal(F.formatElapsed(1000), '1.0 s');
    assert.equal(F.formatElapsed(999.4), '999 ms');
  });

  // F08 (a workload's label reworded)
  it('names the workloads', () => {
    assert.deepEqual(F.WORKLOAD_LABELS, {
      'read-heavy': 'Read-heavy (90% reads)',
      'write-heavy': 'Write-heavy (90% writes)',
      counters: 'Counters (95% increments)',
      mixed: 'Mixed (half reads, half writes)',
    });
  });
});

describe('forms: Enter', () => {
  const key = (mods: Partial<Record<'altKey' | 'metaKey', boolean>>): FormsModule.KeyLike => ({
    key: 'Enter', altKey: false, ctrlKey: false, metaKey: false, target: { tagName: 'INPUT', type: 'number' }, ...mods,
  });

  // FO1 (Alt+Enter submitted), FO5 (Cmd+Enter submitted)
  it('does not submit on Alt+Enter or Cmd+Enter', () => {
    assert.equal(FO.submitsOnEnter(key({})), true);
    assert.equal(FO.submitsOnEnter(key({ altKey: true })), false);
    assert.equal(FO.submitsOnEnter(key({ metaKey: true })), false);
  });
});

describe('radio semantics', () => {
  const input = (role: string | null, checked: boolean): RadiosModule.InnerInputLike & { role: string | null } => ({
    role,
    checked,
    getAttribute(): string | null { return this.role; },
    setAttribute(_name: string, value: string): void { this.role = value; },
  });

  // R02 (giving the role alone reported as no change)
  it('reports a change when only the role was given', () => {
    const inner = input(null, true);
    assert.equal(R.syncRadioSemantics([{ checked: true, value: 'a', tabIndex: 0, shadowRoot: { querySelector: () => inner } }]), true);
    assert.equal(inner.role, 'radio');
  });

  // R08 (an inner input with role="checkbox" left a checkbox)
  it('turns an inner input announced as a checkbox into a radio', () => {
    const inner = input('checkbox', false);
    R.syncRadioSemantics([{ checked: false, value: 'a', tabIndex: -1, shadowRoot: { querySelector: () => inner } }]);
    assert.equal(inner.role, 'radio');
  });
});

describe('comparison form', () => {
  // CF8 (a field's label reworded in the status)
  it('names the database latency field in full', () => {
    assert.equal(CF.fixStatus({ dbLatencyMs: 'Expected a number' }), 'Fix Database latency to measure again.');
    assert.equal(CF.FIELD_LABELS.cacheLatencyMs, 'Cache latency');
  });
});

describe('playground form', () => {
  const base = defaultPlaygroundConfig();

  // P04 (a workload without `preload` shown unticked)
  it('ticks "preload" for a workload that does not say', () => {
    const { preload: _omitted, ...workload } = base.workload;
    assert.equal(PF.draftOf({ ...base, workload }).workload.preload, true);
  });

  // P05 (default outage 100 ms), P06 (default failing writes 1)
  it('gives a fault\'s other fields their defaults, so switching its kind shows them', () => {
    const c: PlaygroundConfig = { ...base, faults: [{ kind: 'crash', atMs: 10 }] };
    const f = PF.draftOf(c).faults[0];
    assert.equal(f?.forMs, '1000');
    assert.equal(f?.writes, '3');
  });

  // P07 (an on-off setting typed as neither "on" nor "off" silently read as off)
  it('passes an on-off setting that is neither on nor off to the validator as typed', () => {
    const d = PF.draftOf(base);
    const raw = PF.rawConfig({ ...d, settings: { ...d.settings, 'writeBehind.coalescing': 'yes' } });
    assert.equal((raw.settings as Record<string, unknown>)['writeBehind.coalescing'], 'yes');
  });

  // P20 (a setting the language does not know kept in the form)
  it('leaves out a setting the language does not know', () => {
    const c = { ...base, settings: { 'no.such.setting': 3 } } as PlaygroundConfig;
    assert.deepEqual(PF.draftOf(c).settings, {});
  });
});

describe('knowledge check verdict', () => {
  // Q06 (best score rounded down), Q07 (needed and total swapped)
  it('says the best score rounded to a whole percent, and the pass mark as needed of total', () => {
    assert.equal(
      Q.scoreVerdict(false, true, 4, 5, 2 / 3).message,
      'This attempt is under the pass mark (4 of 5), but the check stays passed: your best score, 67%, is kept. Each attempt draws new questions; the explanations below say what each one tests.',
    );
  });
});

describe('the playground\'s longest wait in the queue', () => {
  const ms = (v: number): string => `${v} ms`;
  it('says "none taken" when the queue held entries and the database took none, and the wait otherwise', () => {
    // A crash before the first flush: 33 entries, none persisted.
    assert.equal(PF.pendingWaitText({ maxPendingAgeMs: 0, maxQueueDepth: 33, dbWrites: 0 }, ms), 'none taken');
    assert.equal(PF.pendingWaitText({ maxPendingAgeMs: 4999, maxQueueDepth: 33, dbWrites: 12 }, ms), '4999 ms');
    // Taken at once (a zero wait is a real one), and no queue at all (write-through): the number.
    assert.equal(PF.pendingWaitText({ maxPendingAgeMs: 0, maxQueueDepth: 3, dbWrites: 3 }, ms), '0 ms');
    assert.equal(PF.pendingWaitText({ maxPendingAgeMs: 0, maxQueueDepth: 0, dbWrites: 0 }, ms), '0 ms');
  });
});
