// Renders one chart of the playground: an SVG step line per series over virtual time, with axes, fault markers and a
// legend, plus its text alternatives (a one-sentence summary and a table of every value) for screen readers.
import { html, nothing, svg } from 'lit';
import type { TemplateResult } from 'lit';
import type { Plot } from './chartScale.js';
import { DEFAULT_PLOT, axes, describeMarkers, describeSeries, stepPath, tickAnchor, timeTickLabel } from './chartScale.js';
import { formatMs } from './format.js';

export interface ChartLine {
  name: string;
  values: readonly number[];
  /** Colour class from workbench.css (`cw-line-1`..`cw-line-3`): theme chart colours, dashed for the second line. */
  cls: string;
}

export interface ChartSpec {
  /** Prefix of the element ids (unique on the page). */
  id: string;
  title: string;
  /** What one unit of the value axis is, for the table header ("entries", "writes"...). */
  unit: string;
  lines: readonly ChartLine[];
  /** Value axis fixed at 0..1 (a ratio). */
  ratio?: boolean;
  format: (v: number) => string;
  /** What the reader needs to read the chart right, under its summary (how its measure is defined). */
  note?: string | undefined;
}

/** A fault drawn as a vertical marker at its time. */
export interface ChartMarker {
  atMs: number;
  label: string;
}

/** `plot`: the drawing's size in viewBox units (`plotForWidth` of the width it is shown at, so nothing is scaled). */
export function renderLineChart(spec: ChartSpec, times: readonly number[], markers: readonly ChartMarker[] = [], plot: Plot = DEFAULT_PLOT): TemplateResult {
  const a = axes(times, spec.lines.map((l) => l.values), plot, spec.ratio ? { yMax: 1 } : { integer: true });
  const titleId = `${spec.id}-title`;
  const summaryId = `${spec.id}-summary`;
  const summary = spec.lines.map((l) => describeSeries(l.name, times, l.values, spec.format, formatMs)).join(' ');
  // The fault markers are lines in the picture with a tooltip; the sentence naming them is part of its text alternative.
  const marked = describeMarkers(markers, a.xMax);
  const markersId = `${spec.id}-markers`;
  const bottom = plot.height - plot.bottom;
  const tickTime = timeTickLabel(a.xMax, formatMs);
  return html`
    <figure class="cw-chart" data-chart=${spec.id} aria-labelledby=${titleId}>
      <figcaption class="cw-chart-caption">
        <h3 class="cw-chart-title" id=${titleId}>${spec.title}</h3>
        <p class="cw-chart-summary" id=${summaryId}>${summary}</p>
        ${marked ? html`<p class="cw-chart-markers" id=${markersId}>${marked}</p>` : nothing}
        ${spec.note ? html`<p class="cw-chart-note cw-muted">${spec.note}</p>` : nothing}
      </figcaption>
      <svg class="cw-chart-svg" viewBox="0 0 ${plot.width} ${plot.height}" role="img" aria-labelledby="${titleId} ${summaryId}${marked ? ` ${markersId}` : ''}"
        preserveAspectRatio="xMidYMid meet">
        ${a.yTicks.map((v) => svg`
          <line class="cw-chart-grid" x1=${plot.left} x2=${plot.width - plot.right} y1=${a.y(v)} y2=${a.y(v)}></line>
          <text class="cw-chart-tick" x=${plot.left - 6} y=${a.y(v) + 4} text-anchor="end">${spec.format(v)}</text>`)}
        ${a.xTicks.map((t) => svg`
          <line class="cw-chart-axis" x1=${a.x(t)} x2=${a.x(t)} y1=${bottom} y2=${bottom + 4}></line>
          <text class="cw-chart-tick" x=${a.x(t)} y=${bottom + 16} text-anchor=${tickAnchor(a.x(t), tickTime(t), plot)}>${tickTime(t)}</text>`)}
        <line class="cw-chart-axis" x1=${plot.left} x2=${plot.width - plot.right} y1=${bottom} y2=${bottom}></line>
        ${markers.filter((m) => m.atMs <= a.xMax).map((m) => svg`
          <line class="cw-chart-marker" x1=${a.x(m.atMs)} x2=${a.x(m.atMs)} y1=${plot.top} y2=${bottom}><title>${m.label}</title></line>`)}
        ${spec.lines.map((l) => svg`<path class="cw-chart-line ${l.cls}" d=${stepPath(times, l.values, a)}></path>`)}
      </svg>
      ${spec.lines.length > 1 || markers.length > 0
        ? html`<ul class="cw-chart-legend" aria-hidden="true">
            ${spec.lines.map((l) => html`<li><span class="cw-swatch ${l.cls}"></span>${l.name}</li>`)}
            ${markers.length > 0 ? html`<li><span class="cw-swatch cw-swatch-marker"></span>faults</li>` : nothing}
          </ul>`
        : nothing}
      <details class="cw-chart-data">
        <summary>Values of “${spec.title}” as a table</summary>
        <div class="cw-table-wrap" tabindex="0" role="region" aria-label="${spec.title}: values over virtual time">
          <table class="cw-table cw-table-compact">
            <thead><tr><th scope="col">Virtual time</th>${spec.lines.map((l) => html`<th scope="col" class="cw-num">${l.name} (${spec.unit})</th>`)}</tr></thead>
            <tbody>${times.map((t, i) => html`<tr><th scope="row">${formatMs(t)}</th>${spec.lines.map((l) => html`<td class="cw-num">${spec.format(l.values[i] ?? 0)}</td>`)}</tr>`)}</tbody>
          </table>
        </div>
      </details>
    </figure>
  `;
}
