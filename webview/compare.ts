// <cw-compare>: the lesson's comparison table, measured. The learner picks a workload and turns the main knobs; the
// extension runs every strategy on it (debounced, on its engine worker) and the table shows the numbers behind each label.
import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { COMPARE_LIMITS, writeLatencyBasis } from '../src/model/compareView.js';
import type { CompareRequest, CompareRow, CompareTable } from '../src/model/compareView.js';
import { WORKLOADS } from '../src/model/workload.js';
import type { HostMessage } from '../src/views/protocol.js';
import { strategyTitle } from './diagram/diagramSlot.js';
import { checkDraft, defaultCompareRequest, draftOf, fixStatus } from './compareForm.js';
import type { Draft, DraftField } from './compareForm.js';
import { WORKLOAD_LABELS, formatCount, formatElapsed, formatRate, formatRatio } from './format.js';
import { submitsOnEnter } from './forms.js';
import { post } from './host.js';
import { HostElement } from './hostElement.js';

/** Wait after the last change before measuring again. */
const DEBOUNCE_MS = 450;

interface NumberField {
  key: DraftField;
  label: string;
  min: number;
  max: number;
  step: number;
  hint: string;
}

const WORKLOAD_FIELDS: readonly NumberField[] = [
  { key: 'ops', label: 'Operations', min: 1, max: COMPARE_LIMITS.maxOps, step: 1000, hint: `Up to ${formatCount(COMPARE_LIMITS.maxOps)}; a comparison that size takes about a second (most of it the five strategies' runs, on a worker thread).` },
  { key: 'keys', label: 'Keys', min: 1, max: COMPARE_LIMITS.maxKeys, step: 100, hint: 'Zipf: a few keys are hot.' },
  { key: 'seed', label: 'Seed', min: 0, max: 0xffff_ffff, step: 1, hint: 'Same seed, same operations.' },
];

const KNOB_FIELDS: readonly NumberField[] = [
  { key: 'cacheLatencyMs', label: 'Cache latency (ms)', min: 0, max: COMPARE_LIMITS.maxLatencyMs, step: 1, hint: 'One round trip to a cache node.' },
  { key: 'dbLatencyMs', label: 'Database latency (ms)', min: 0, max: COMPARE_LIMITS.maxLatencyMs, step: 1, hint: 'One round trip to the database.' },
  { key: 'flushIntervalMs', label: 'Flush interval (ms)', min: 1, max: COMPARE_LIMITS.maxFlushIntervalMs, step: 500, hint: 'Write-behind flushes this often.' },
];

@customElement('cw-compare')
export class CompareView extends HostElement {
  /** The inputs saved with the page's state (absent: the CLI's defaults). */
  @property({ attribute: false }) saved: CompareRequest | undefined = undefined;

  @state() private draft: Draft = draftOf(defaultCompareRequest());
  @state() private table: CompareTable | undefined = undefined;
  @state() private busy = false;
  @state() private status = '';
  @state() private failure = '';

  private requestSeq = 0;
  private latestRequest = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private restored = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The saved inputs arrive with the first render (a restored page); later changes to them come from this page.
    if (!this.restored && changed.has('saved') && this.saved) this.draft = draftOf(this.saved);
    this.restored = true;
  }

  protected override firstUpdated(): void {
    // First show: measure at once (the extension answers from its cache when nothing changed since the last visit).
    this.request(0);
  }

  protected override onHost(m: HostMessage): void {
    if (m.type !== 'compare/result' || m.requestId !== this.latestRequest) return;
    this.busy = false;
    if (m.result.ok) {
      this.table = m.result.table;
      this.failure = '';
      const t = m.result.table.workload;
      const measured = `Measured ${formatCount(t.ops)} operations for each of ${m.result.table.rows.length} strategies`;
      this.status = m.result.cached ? `${measured} in an earlier run with the same settings: its table is shown again.` : `${measured} in ${formatElapsed(m.result.elapsedMs)}.`;
    } else {
      this.failure = m.result.error;
      this.status = 'The measurement failed.';
    }
  }

  /** Validates the form and, when it is valid, asks for a measurement after `delay` ms (restarted by each change). */
  private request(delay: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const { request } = checkDraft(this.draft);
    if (!request) return;
    this.dispatchEvent(new CustomEvent<CompareRequest>('cw-compare-form', { detail: request, bubbles: true }));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.latestRequest = `compare:${++this.requestSeq}`;
      this.busy = true;
      this.status = `Measuring every strategy on ${formatCount(request.ops)} operations…`;
      post({ type: 'compare/request', requestId: this.latestRequest, request });
    }, delay);
  }

  private setField(key: keyof Draft, value: string | boolean): void {
    this.draft = { ...this.draft, [key]: value };
    this.request(DEBOUNCE_MS);
  }

  private resetDefaults(): void {
    this.draft = draftOf(defaultCompareRequest());
    this.request(0);
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Rendering

  protected override render(): TemplateResult {
    const { errors } = checkDraft(this.draft);
    // An invalid field stops the measurements: the status says what to fix, and the table is marked out of date.
    const fix = fixStatus(errors);
    return html`
      <main class="cw-page cw-compare" aria-labelledby="cw-compare-title">
        <header class="cw-page-header">
          <p class="cw-kicker">Compare strategies</p>
          <h1 class="cw-section-title" id="cw-compare-title">The comparison table, measured</h1>
          <p class="cw-summary">Every strategy runs the same generated workload (four clients, Zipf keys), then the same
            workload again with a cache crash half-way. Each label below is derived from the numbers next to it.</p>
        </header>
        <form class="cw-form cw-compare-form" aria-label="Workload and knobs" @submit=${(e: Event) => { e.preventDefault(); this.request(0); }}
          @keydown=${(e: KeyboardEvent) => { if (submitsOnEnter(e)) { e.preventDefault(); this.request(0); } }}>
          <fieldset class="cw-fieldset">
            <legend>Workload</legend>
            <div class="cw-field cw-field-fit">
              <label for="cw-compare-kind">Kind</label>
              <select id="cw-compare-kind" class="cw-select" .value=${this.draft.kind}
                @change=${(e: Event) => this.setField('kind', (e.target as HTMLSelectElement).value)}>
                ${WORKLOADS.map((w) => html`<option value=${w} ?selected=${w === this.draft.kind}>${WORKLOAD_LABELS[w]}</option>`)}
              </select>
            </div>
            ${WORKLOAD_FIELDS.map((f) => this.renderNumber(f, errors[f.key]))}
          </fieldset>
          <fieldset class="cw-fieldset">
            <legend>Knobs</legend>
            ${KNOB_FIELDS.map((f) => this.renderNumber(f, errors[f.key]))}
            <div class="cw-field cw-field-check">
              <input type="checkbox" id="cw-compare-coalescing" class="cw-checkbox" .checked=${this.draft.coalescing}
                @change=${(e: Event) => this.setField('coalescing', (e.target as HTMLInputElement).checked)}>
              <label for="cw-compare-coalescing">Coalescing</label>
              <p class="cw-field-hint">Keep only the newest pending value per key.</p>
            </div>
          </fieldset>
          <div class="cw-form-actions">
            <vscode-button secondary icon="discard" @click=${() => this.resetDefaults()}>Reset to the CLI's defaults</vscode-button>
            <span class="cw-busy" role="status" aria-live="polite" data-testid="compare-status">
              ${this.busy && !fix ? html`<vscode-progress-ring class="cw-ring" aria-hidden="true"></vscode-progress-ring>` : nothing}
              <span>${fix ?? this.status}</span>
            </span>
          </div>
        </form>
        <p class="cw-quiz-error" role="alert">${this.failure ? `Could not measure: ${this.failure}` : ''}</p>
        ${this.table ? this.renderTable(this.table, fix !== undefined) : html`<p class="cw-muted">The table appears once the first measurement is done.</p>`}
      </main>
    `;
  }

  private renderNumber(f: NumberField, error: string | undefined): TemplateResult {
    const id = `cw-compare-${f.key}`;
    return html`<div class="cw-field">
      <label for=${id}>${f.label}</label>
      <input id=${id} class="cw-input" type="number" inputmode="numeric" min=${f.min} max=${f.max} step=${f.step}
        .value=${this.draft[f.key]} aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-hint ${id}-error"
        @input=${(e: Event) => this.setField(f.key, (e.target as HTMLInputElement).value)}>
      <p class="cw-field-hint" id="${id}-hint">${f.hint}</p>
      <p class="cw-field-error" id="${id}-error">${error ?? ''}</p>
    </div>`;
  }

  /** The measured table; `stale` when the inputs above are invalid, so it shows the last valid inputs' numbers. */
  private renderTable(t: CompareTable, stale: boolean): TemplateResult {
    const w = t.workload;
    const k = t.knobs;
    return html`
      <div class="cw-table-wrap cw-compare-wrap ${stale ? 'cw-stale-table' : ''}" tabindex="0" role="region" aria-labelledby="cw-compare-caption"
        aria-busy=${this.busy ? 'true' : 'false'} data-testid="compare-table-region">
        <table class="cw-table cw-compare-table" data-testid="compare-table">
          <caption id="cw-compare-caption">
            ${stale
              ? html`<span class="cw-stale-flag" data-testid="compare-stale"><vscode-icon name="warning" aria-hidden="true"></vscode-icon>
                  Out of date: these numbers are for the last valid inputs, not the ones above.</span>`
              : nothing}
            ${w.kind} workload: ${formatCount(w.ops)} operations on ${formatCount(w.keys)} keys (${w.distribution}), ${w.clients} clients,
            seed ${w.seed}; cache ${k.cacheLatencyMs} ms, database ${k.dbLatencyMs} ms, flush every ${formatCount(k.flushIntervalMs)} ms,
            coalescing ${k.coalescing ? 'on' : 'off'}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col">Write latency<span class="cw-th-unit">p50 / p95 / p99, ms</span></th>
              <th scope="col">Read consistency<span class="cw-th-unit">stale-read rate</span></th>
              <th scope="col">Data-loss risk<span class="cw-th-unit">writes lost in a crash before flush</span></th>
              <th scope="col">Best for</th>
              <th scope="col" class="cw-num">DB writes<span class="cw-th-unit">rows, no-crash run</span></th>
              <th scope="col" class="cw-num">Cache pollution<span class="cw-th-unit">entries written, never read</span></th>
              <th scope="col" class="cw-num">Hit ratio<span class="cw-th-unit">hits per lookup</span></th>
            </tr>
          </thead>
          <tbody>${t.rows.map((r) => this.renderRow(r, t.knobs))}</tbody>
        </table>
      </div>
      <section class="cw-rules" aria-labelledby="cw-rules-title">
        <h2 id="cw-rules-title">How the labels follow from the numbers</h2>
        <ul class="cw-list">${t.rules.map((rule) => html`<li>${rule}</li>`)}</ul>
        <p class="cw-muted">The same numbers come out of <code>cache-workbench compare --json --workload ${w.kind} --ops ${w.ops} --keys ${w.keys} --seed ${w.seed}</code>
          when the knobs are at their defaults.</p>
      </section>
    `;
  }

  private renderRow(r: CompareRow, knobs: CompareTable['knobs']): TemplateResult {
    const v = (metric: string, value: number, text: string): TemplateResult =>
      html`<span class="cw-metric" data-metric=${metric} data-value=${String(value)}>${text}</span>`;
    return html`<tr data-strategy=${r.strategy}>
      <th scope="row">${strategyTitle(r.strategy)}</th>
      <td><strong class="cw-label-value">${r.writeLatency.label}</strong>
        <span class="cw-cell-detail">${v('writeLatencyMs.p50', r.writeLatency.p50, formatCount(r.writeLatency.p50))} /
          ${v('writeLatencyMs.p95', r.writeLatency.p95, formatCount(r.writeLatency.p95))} /
          ${v('writeLatencyMs.p99', r.writeLatency.p99, formatCount(r.writeLatency.p99))} ms</span>
        <span class="cw-cell-detail cw-latency-basis">${writeLatencyBasis(r, knobs)}</span></td>
      <td><strong class="cw-label-value">${r.readConsistency.label}</strong>
        <span class="cw-cell-detail">${v('staleReadRate', r.readConsistency.staleReadRate, formatRate(r.readConsistency.staleReadRate))}
          (${v('staleReads', r.readConsistency.staleReads, formatCount(r.readConsistency.staleReads))} stale reads,
          ${v('missesAfterWrite', r.readConsistency.missesAfterWrite, formatCount(r.readConsistency.missesAfterWrite))} misses after a write)</span></td>
      <td><strong class="cw-label-value">${r.dataLossRisk.label}</strong>
        <span class="cw-cell-detail">${v('lostInCrash', r.dataLossRisk.lostInCrash, formatCount(r.dataLossRisk.lostInCrash))} lost</span></td>
      <td>${r.bestFor.label}</td>
      <td class="cw-num">${v('dbWrites', r.dbWrites, formatCount(r.dbWrites))}</td>
      <td class="cw-num">${v('cachePollution', r.cachePollution, formatCount(r.cachePollution))}</td>
      <td class="cw-num">${v('hitRatio', r.hitRatio, formatRatio(r.hitRatio))}</td>
    </tr>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-compare': CompareView;
  }
}
