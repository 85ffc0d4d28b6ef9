// The playground charts' arithmetic: nice axis maxima and ticks, scales, step-line paths that hold each value until
// the next sample, and the one-sentence summaries a screen reader gets instead of the picture.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

// The webview sources are ES modules (see webview/package.json), so this CommonJS test loads them dynamically.
import type * as ChartModule from '../../webview/chartScale.js' with { 'resolution-mode': 'import' };
import type * as FormatModule from '../../webview/format.js' with { 'resolution-mode': 'import' };
let C: typeof ChartModule;
let F: typeof FormatModule;
before(async () => {
  C = await import('../../webview/chartScale.js');
  F = await import('../../webview/format.js');
});

describe('niceCeil and ticks', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    const cases: [number, number][] = [[0, 1], [-3, 1], [Number.NaN, 1], [1, 1], [1.2, 2], [2, 2], [2.2, 2.5], [3, 5], [7, 10], [10, 10], [42, 50], [0.952, 1], [0.3, 0.5], [0.21, 0.25], [999, 1000], [20_001, 25_000]];
    for (const [v, want] of cases) assert.equal(C.niceCeil(v), want, `niceCeil(${v})`);
  });

  it('gives ticks from 0 whose last one covers the maximum', () => {
    assert.deepEqual(C.ticks(42, 4), [0, 20, 40, 60]);
    assert.deepEqual(C.ticks(100, 4), [0, 25, 50, 75, 100]);
    assert.deepEqual(C.ticks(1, 4), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(C.ticks(0, 4), [0, 1], 'an all-zero series still gets an axis');
  });

  it('uses whole steps for counts', () => {
    assert.deepEqual(C.ticks(3, 4, true), [0, 1, 2, 3]);
    assert.deepEqual(C.ticks(1, 4, true), [0, 1]);
    assert.deepEqual(C.ticks(0, 4, true), [0, 1]);
  });

  it('keeps time ticks within the run', () => {
    assert.deepEqual(C.ticksWithin(12_345, 5), [0, 2500, 5000, 7500, 10_000, 12_500].filter((t) => t <= 12_345));
    assert.deepEqual(C.ticksWithin(0), [0]);
    for (const t of C.ticksWithin(1234, 5)) assert.ok(t <= 1234);
  });
});

describe('axes and stepPath', () => {
  const plot = { width: 100, height: 50, left: 10, right: 10, top: 5, bottom: 5 };

  it('maps time 0..end across and values 0..top up the plot', () => {
    const a = C.axes([0, 50, 100], [[0, 3, 1]], plot, { integer: true });
    assert.equal(a.xMax, 100);
    assert.equal(a.yMax, 3);
    assert.equal(a.x(0), 10);
    assert.equal(a.x(100), 90);
    assert.equal(a.y(0), 45, 'SVG y grows downwards: 0 sits at the bottom');
    assert.equal(a.y(3), 5);
  });

  it('fixes the top at 1 for a ratio', () => {
    const a = C.axes([0, 10], [[0.2, 0.5]], plot, { yMax: 1 });
    assert.equal(a.yMax, 1);
    assert.equal(a.y(1), 5);
  });

  it('holds each value until the next sample', () => {
    const a = C.axes([0, 50, 100], [[0, 3, 1]], plot, { integer: true });
    assert.equal(C.stepPath([0, 50, 100], [0, 3, 1], a), 'M10,45H50V5H90V31.67');
    assert.equal(C.stepPath([], [], a), '');
    assert.match(C.stepPath([0], [2], a), /^M10,\S+h0\.01$/);
  });

  it('maps a degenerate domain to the start', () => {
    assert.equal(C.linear(5, 5, 0, 10)(123), 0);
    assert.equal(C.linear(0, 10, 0, 100)(2.5), 25);
  });
});

describe('timeTickLabel', () => {
  const ms = (t: number): string => `${t} ms`;
  it('labels a time axis in one unit: seconds once it reaches 10 s, else milliseconds', () => {
    const long = C.timeTickLabel(10_000, ms);
    assert.deepEqual([0, 2_500, 5_000, 7_500, 10_000].map(long), ['0 s', '2.5 s', '5 s', '7.5 s', '10 s']);
    assert.equal(C.timeTickLabel(9_999, ms)(7_500), '7500 ms');
    assert.equal(long(1_234), '1.23 s');
  });
});

describe('tickAnchor', () => {
  it('keeps the last time label inside the chart: the tick at the right end is anchored at its end', () => {
    const a = C.axes([0, 2500, 5000], [[0, 1, 2]]);
    const label = C.timeTickLabel(a.xMax, F.formatMs)(5000);
    assert.equal(label, '5,000 ms');
    assert.equal(C.tickAnchor(a.x(5000), label), 'end');
    assert.equal(C.tickAnchor(a.x(0), C.timeTickLabel(a.xMax, F.formatMs)(0)), 'middle');
    assert.equal(C.tickAnchor(a.x(2500), C.timeTickLabel(a.xMax, F.formatMs)(2500)), 'middle');
    assert.equal(C.tickAnchor(2, '1,000 ms'), 'start');
  });
});

describe('sampledPeakNote', () => {
  it('explains a sampled line that peaks below the run\'s exact maximum, and says nothing when it reaches it', () => {
    assert.equal(C.sampledPeakNote([0, 12, 31, 0], 33, 40, 'Largest queue', F.formatMs),
      'Sampled every 40 ms, so the line peaks at 31; the Largest queue figure above, 33, is the exact maximum, reached between two samples.');
    assert.equal(C.sampledPeakNote([0, 33, 0], 33, 40, 'Largest queue', F.formatMs), undefined);
    assert.equal(C.sampledPeakNote([], 0, 40, 'Largest queue', F.formatMs), undefined);
  });
});

describe('describeMarkers', () => {
  it('names the fault markers a chart draws, in order, and none past the end of its time axis', () => {
    const markers = [
      { atMs: 625, label: 'node1 crashes at 625 ms' },
      { atMs: 3750, label: 'database down at 3,750 ms for 2,000 ms' },
      { atMs: 9000, label: 'node2 crashes at 9,000 ms' },
    ];
    assert.equal(C.describeMarkers(markers, 5000), 'Faults marked: node1 crashes at 625 ms; database down at 3,750 ms for 2,000 ms.');
    assert.equal(C.describeMarkers(markers.slice(0, 1), 5000), 'Fault marked: node1 crashes at 625 ms.');
    assert.equal(C.describeMarkers(markers, 600), '');
    assert.equal(C.describeMarkers([], 5000), '');
  });

  it('names them in time order, whatever order the faults were added in (a restart comes right after its crash)', () => {
    const markers = [
      { atMs: 1000, label: 'node1 crashes at 1,000 ms' },
      { atMs: 6000, label: 'node1 restarts at 6,000 ms' },
      { atMs: 2000, label: 'database down at 2,000 ms for 1,000 ms' },
      { atMs: 3000, label: 'database back up at 3,000 ms' },
      { atMs: 2000, label: 'the next database write fails from 2,000 ms' },
    ];
    assert.equal(
      C.describeMarkers(markers, 10_000),
      'Faults marked: node1 crashes at 1,000 ms; database down at 2,000 ms for 1,000 ms; the next database write fails from 2,000 ms; '
        + 'database back up at 3,000 ms; node1 restarts at 6,000 ms.',
    );
  });
});

describe('describeSeries', () => {
  const v = (x: number): string => String(x);
  const t = (x: number): string => `${x} ms`;

  it('names the start, the peak and its time, and the end', () => {
    assert.equal(C.describeSeries('Queue depth', [0, 10, 20, 30], [0, 5, 9, 0], v, t), 'Queue depth: the line starts at 0, peaks at 9 at 20 ms, and ends at 0 at 30 ms.');
  });

  it('says when a series stays flat', () => {
    assert.equal(C.describeSeries('Lost writes', [0, 10, 20], [0, 0, 0], v, t), 'Lost writes: the line stays at 0 from 0 ms to 20 ms.');
  });

  it('mentions a dip when there is no peak inside the run', () => {
    assert.equal(C.describeSeries('Hit ratio', [0, 10, 20], [1, 0.2, 1], v, t), 'Hit ratio: the line starts at 1, drops to 0.2 at 10 ms, and ends at 1 at 20 ms.');
    assert.equal(C.describeSeries('DB writes', [0, 10, 20], [0, 4, 8], v, t), 'DB writes: the line starts at 0 and ends at 8 at 20 ms.');
    assert.equal(C.describeSeries('X', [], [], v, t), 'X: no samples.');
  });
});

describe('number formats', () => {
  it('formats counts, rates, ratios and virtual times', () => {
    assert.equal(F.formatCount(12345), '12,345');
    assert.equal(F.formatCount(0), '0');
    assert.equal(F.formatRate(0.0463), '4.63%');
    assert.equal(F.formatRate(0), '0.00%');
    assert.equal(F.formatRatio(0.952), '0.952', 'exactly what the engine and the CLI report');
    assert.equal(F.formatMs(850), '850 ms');
    assert.equal(F.formatMs(5000), '5,000 ms');
    assert.equal(F.formatMs(12_500), '12.5 s');
    assert.equal(F.formatMs(60_000), '60 s');
    assert.equal(F.formatElapsed(380.4), '380 ms');
    assert.equal(F.formatElapsed(2950), '3.0 s');
  });
});

describe('plotForWidth and timeTickCount', () => {
  it('draws the plot as wide as the picture, within bounds, so labels are not scaled', () => {
    assert.deepEqual(C.plotForWidth(334), { ...C.DEFAULT_PLOT, width: 334 });
    assert.equal(C.plotForWidth(333.6).width, 334);
    assert.equal(C.plotForWidth(100).width, 240);
    assert.equal(C.plotForWidth(5000).width, 1200);
    for (const unmeasured of [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(C.plotForWidth(unmeasured), C.DEFAULT_PLOT);
  });

  it('puts fewer time ticks on a narrow plot (one per 65 units, 2 to 5)', () => {
    assert.equal(C.timeTickCount(C.DEFAULT_PLOT), 5);
    assert.equal(C.timeTickCount(C.plotForWidth(334)), 4);
    assert.equal(C.timeTickCount(C.plotForWidth(400)), 5);
    assert.equal(C.timeTickCount(C.plotForWidth(240)), 2);
    assert.equal(C.timeTickCount(C.plotForWidth(1200)), 5);
    assert.deepEqual(C.axes([0, 5000], [[0, 1]], C.plotForWidth(334)).xTicks, [0, 2000, 4000]);
    assert.deepEqual(C.axes([0, 7510], [[0, 1]], C.plotForWidth(334)).xTicks, [0, 2000, 4000, 6000]);
  });
});
