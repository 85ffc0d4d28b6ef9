// Scales, ticks, step-line paths and text summaries for the playground's charts over virtual time.
// Pure functions (no DOM, no Lit), so the arithmetic is unit-tested and the SVG stays a thin template over it.

/** The drawing area inside an SVG viewBox: total size and the margins kept for the axes. */
export interface Plot {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const DEFAULT_PLOT: Plot = { width: 560, height: 170, left: 52, right: 14, top: 10, bottom: 28 };

/** Narrowest and widest plot drawn one viewBox unit per CSS pixel; outside these the picture scales. */
const MIN_PLOT_WIDTH = 240;
const MAX_PLOT_WIDTH = 1200;

/**
 * The plot for a chart drawn `px` CSS pixels wide: its viewBox as wide as the picture, so the SVG is not scaled and
 * its labels keep their font size (a 560-unit viewBox squeezed into a 340 px panel drew 10 px labels at 6 px).
 * Undefined or not a width (not measured yet): the default plot.
 */
export function plotForWidth(px: number | undefined): Plot {
  if (px === undefined || !Number.isFinite(px) || px <= 0) return DEFAULT_PLOT;
  return { ...DEFAULT_PLOT, width: Math.round(Math.min(MAX_PLOT_WIDTH, Math.max(MIN_PLOT_WIDTH, px))) };
}

/** Time-axis ticks that fit a plot: about one per 65 units of its drawing width (room for a label such as "60,000 ms"), from 2 to 5. */
export function timeTickCount(plot: Plot): number {
  return Math.max(2, Math.min(5, Math.floor((plot.width - plot.left - plot.right) / 65)));
}

const NICE_STEPS = [1, 2, 2.5, 5, 10];

/** The smallest "nice" number (1, 2, 2.5 or 5 times a power of ten) at or above `v`; 1 for anything not above 0. */
export function niceCeil(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const s of NICE_STEPS) {
    const candidate = s * power;
    // Guard against 0.30000000000000004-style noise making an exact value skip its own step.
    if (candidate >= v * (1 - 1e-12)) return candidate;
  }
  return 10 * power;
}

/**
 * Axis ticks from 0: about `count` intervals of a nice step, the last tick at or above `max`. With `integer`, steps
 * are whole numbers (counts never get a 0.5 tick). Always at least two ticks (0 and the step).
 */
export function ticks(max: number, count = 4, integer = false): number[] {
  let step = niceCeil((Number.isFinite(max) && max > 0 ? max : 0) / Math.max(1, count));
  if (integer) step = Math.max(1, Math.ceil(step));
  const n = Math.max(1, Math.ceil((max > 0 ? max : 0) / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => round(i * step));
}

/** Ticks within [0, max] for an axis that must end exactly at `max` (time): nice steps, never past the end. */
export function ticksWithin(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const step = niceCeil(max / Math.max(1, count));
  const out: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-12); v = round(v + step)) out.push(v);
  return out;
}

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** A linear map from [d0, d1] to [r0, r1]; a degenerate domain maps everything to r0. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => r0;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

export interface Axes {
  x: (t: number) => number;
  y: (v: number) => number;
  xMax: number;
  yMax: number;
  xTicks: number[];
  yTicks: number[];
}

/**
 * Scales for a chart: time 0..last time across the plot, values 0..a nice maximum up the plot (SVG y grows down).
 * `yMax` fixes the top (1 for a ratio); otherwise it is the top tick over every series' largest value.
 */
export function axes(times: readonly number[], series: readonly (readonly number[])[], plot: Plot = DEFAULT_PLOT, opts: { yMax?: number; integer?: boolean } = {}): Axes {
  const xMax = Math.max(0, ...times.filter(Number.isFinite));
  const largest = Math.max(0, ...series.flatMap((s) => s.filter(Number.isFinite)));
  const yTicks = opts.yMax !== undefined ? ticks(opts.yMax, 4) : ticks(largest, 4, opts.integer ?? false);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  return {
    x: linear(0, xMax, plot.left, plot.width - plot.right),
    y: linear(0, yMax, plot.height - plot.bottom, plot.top),
    xMax,
    yMax,
    xTicks: ticksWithin(xMax, timeTickCount(plot)),
    yTicks,
  };
}

/**
 * How to anchor a time-axis label centred on `x` so it stays inside the viewBox: `end` when its right half would
 * pass the right edge (the last tick sits at the plot's right end, only `plot.right` from the edge, so a centred
 * "5,000 ms" was cut to "5,000 n"), `start` when its left half would pass the left edge, else `middle`. The width is
 * estimated from the character count at `fontPx` (the tick style's 11px), erring wide.
 */
export function tickAnchor(x: number, label: string, plot: Plot = DEFAULT_PLOT, fontPx = 11): 'start' | 'middle' | 'end' {
  const half = (label.length * fontPx * 0.62) / 2;
  if (x + half > plot.width) return 'end';
  if (x - half < 0) return 'start';
  return 'middle';
}

/**
 * The note under a chart whose samples miss the run's true peak: the series holds the value at evenly spaced
 * instants, so a queue that filled and drained between two of them peaks lower on the chart than the run's own
 * maximum (say 31 on the chart beside "Largest queue 33"). Undefined when the chart reaches the maximum.
 */
export function sampledPeakNote(values: readonly number[], exactMax: number, bucketMs: number, what: string, time: (t: number) => string): string | undefined {
  const charted = Math.max(0, ...values.filter(Number.isFinite));
  if (!(exactMax > charted)) return undefined;
  const n = (v: number): string => v.toLocaleString('en-US');
  return `Sampled every ${time(bucketMs)}, so the line peaks at ${n(charted)}; the ${what} figure above, ${n(exactMax)}, is the exact maximum, reached between two samples.`;
}

/**
 * A step line through the samples: each value holds until the next sample's time (the series are exact per instant,
 * not interpolated, so a step is the honest drawing). Empty for no samples; a single sample draws a dot-sized line.
 */
export function stepPath(times: readonly number[], values: readonly number[], a: Pick<Axes, 'x' | 'y'>): string {
  const n = Math.min(times.length, values.length);
  if (n === 0) return '';
  const f = (v: number): string => String(Math.round(v * 100) / 100);
  const first = `M${f(a.x(times[0] as number))},${f(a.y(values[0] as number))}`;
  if (n === 1) return `${first}h0.01`;
  const parts = [first];
  for (let i = 1; i < n; i++) {
    parts.push(`H${f(a.x(times[i] as number))}`, `V${f(a.y(values[i] as number))}`);
  }
  return parts.join('');
}

/**
 * One sentence a screen reader gets instead of the picture: where the series starts, its peak (and when), where it
 * ends; or that it stays flat. `value` and `time` format the numbers.
 */
export function describeSeries(
  name: string,
  times: readonly number[],
  values: readonly number[],
  value: (v: number) => string,
  time: (t: number) => string,
): string {
  const n = Math.min(times.length, values.length);
  if (n === 0) return `${name}: no samples.`;
  const first = values[0] as number;
  const last = values[n - 1] as number;
  const end = times[n - 1] as number;
  let peak = 0;
  let low = 0;
  for (let i = 1; i < n; i++) {
    if ((values[i] as number) > (values[peak] as number)) peak = i;
    if ((values[i] as number) < (values[low] as number)) low = i;
  }
  // "Name: the line …": series names are mostly plurals ("Lost writes"), so the verb goes with the line.
  if (values[peak] === values[low]) return `${name}: the line stays at ${value(first)} from ${time(0)} to ${time(end)}.`;
  const start = `${name}: the line starts at ${value(first)}`;
  const ending = `ends at ${value(last)} at ${time(end)}`;
  let middle = '';
  if (peak !== 0 && peak !== n - 1) middle = `peaks at ${value(values[peak] as number)} at ${time(times[peak] as number)}`;
  else if (low !== 0 && low !== n - 1) middle = `drops to ${value(values[low] as number)} at ${time(times[low] as number)}`;
  return middle ? `${start}, ${middle}, and ${ending}.` : `${start} and ${ending}.`;
}

/**
 * The sentence that gives a screen reader the fault markers drawn on a chart (a vertical line each, whose label is a
 * tooltip only a mouse reaches): "Faults marked: node1 crashes at 625 ms; database down at 3,750 ms for 2,000 ms."
 * In time order, as the eye meets them on the axis (the markers come in the faults' order, a restart right after its
 * crash); markers after the end of the time axis are not drawn, so not named; '' when none is drawn.
 */
export function describeMarkers(markers: readonly { atMs: number; label: string }[], xMax: number): string {
  const shown = markers.filter((m) => m.atMs <= xMax).sort((a, b) => a.atMs - b.atMs).map((m) => m.label);
  return shown.length === 0 ? '' : `${shown.length === 1 ? 'Fault marked' : 'Faults marked'}: ${shown.join('; ')}.`;
}

/**
 * Labels for the time axis in one unit: seconds when the axis reaches 10 s ("2.5 s", "10 s"), else milliseconds, so
 * one axis never mixes "7,500 ms" with "10 s".
 */
export function timeTickLabel(xMax: number, ms: (t: number) => string): (t: number) => string {
  if (!(xMax >= 10_000)) return ms;
  return (t) => `${Math.round(t / 10) / 100} s`;
}
