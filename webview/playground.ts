// <cw-playground>: the strategy playground. Pick a strategy, a product preset, settings, a workload and faults; Run shows
// the metrics and charts over virtual time; Export opens the run as a .cachescenario file that reproduces it.
import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { STRATEGIES } from '../src/model/types.js';
import { WORKLOADS } from '../src/model/workload.js';
import { PRESET_NAMES } from '../src/scenario/parser.js';
import { PLAYGROUND_FAULT_KINDS, PLAYGROUND_LIMITS, defaultPlaygroundConfig } from '../src/scenario/playground.js';
import type { PlaygroundConfig, PlaygroundFault, PlaygroundFaultKind } from '../src/scenario/playground.js';
import { SETTINGS, findSetting } from '../src/scenario/settings.js';
import type { SettingSpec } from '../src/scenario/settings.js';
import type { HostMessage, PlaygroundRunView, PlaygroundUiState, ViewSettings } from '../src/views/protocol.js';
import { strategyTitle } from './diagram/diagramSlot.js';
import { plotForWidth, sampledPeakNote } from './chartScale.js';
import { WORKLOAD_LABELS, formatCount, formatElapsed, formatMs, formatRatio } from './format.js';
import { post } from './host.js';
import { renderInline } from './inline.js';
import { renderLineChart } from './lineChart.js';
import type { ChartMarker, ChartSpec } from './lineChart.js';
import { FAULT_LABELS, MAIN_SETTINGS, checkPlayground, draftAfterNewDefaults, draftOf, fieldId, fixStatus, focusAfterRemoving, num, pendingWaitText, presetDefault, resultsMatchForm } from './playgroundForm.js';
import { submitsOnEnter } from './forms.js';
import type { FaultDraft, PlaygroundDraft, WorkloadDraft } from './playgroundForm.js';
import { HostElement } from './hostElement.js';

// ---------------------------------------------------------------------------------------------------------------------

/** The pure core's default config, with the learner's settings from VS Code on top. */
function defaultConfig(defaults: ViewSettings['playground']): PlaygroundConfig {
  const base = defaultPlaygroundConfig();
  if (!defaults) return base;
  return { ...base, strategy: defaults.strategy, settings: { ...base.settings, ...defaults.settings } };
}

@customElement('cw-playground')
export class PlaygroundView extends HostElement {
  /** The inputs saved with the page's state (absent: the pure core's default config). */
  @property({ attribute: false }) saved: PlaygroundUiState | undefined = undefined;
  /** The learner's VS Code settings for a new playground (strategy, latencies, write-behind knobs). */
  @property({ attribute: false }) defaults: ViewSettings['playground'] = undefined;

  @state() private draft: PlaygroundDraft = draftOf(defaultPlaygroundConfig());
  @state() private run: PlaygroundRunView | undefined = undefined;
  @state() private busy = false;
  @state() private status = '';
  @state() private runErrors: string[] = [];
  @state() private exportStatus = '';
  /** The charts' drawing width in CSS pixels, once measured: their viewBox follows it (see plotForWidth). */
  @state() private chartWidth: number | undefined = undefined;
  private chartsObserver: ResizeObserver | undefined;
  private observedCharts: Element | null = null;

  private ran = false;
  private requestSeq = 0;
  private latestRequest = '';
  private restored = false;
  /** After a fault is removed: the Remove button (by fault index) or the first add button to focus next. */
  private focusAfter: number | 'add' | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.restored) {
      // New settings from VS Code (or the first ones, come late): a form nobody has touched or run shows them.
      if (changed.has('defaults') && !this.saved && !this.ran) {
        const before = changed.get('defaults') as ViewSettings['playground'];
        this.draft = draftAfterNewDefaults(this.draft, draftOf(defaultConfig(before)), draftOf(defaultConfig(this.defaults)));
      }
      return;
    }
    this.restored = true;
    if (this.saved) {
      this.draft = draftOf(this.saved.config);
      this.ran = this.saved.ran;
    } else this.draft = draftOf(defaultConfig(this.defaults));
  }

  protected override firstUpdated(): void {
    // A page restored after it was hidden or reloaded shows the run again (runs are deterministic and quick).
    if (this.ran) this.runNow();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.watchChartWidth();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chartsObserver?.disconnect();
    this.observedCharts = null;
  }

  /** Watch the charts' grid (present once a run has results): a resize redraws them at their new width. */
  private watchChartWidth(): void {
    const charts = this.querySelector('.cw-charts');
    if (charts === this.observedCharts) return;
    this.chartsObserver ??= new ResizeObserver(() => this.measureCharts());
    if (this.observedCharts !== null) this.chartsObserver.unobserve(this.observedCharts);
    this.observedCharts = charts;
    if (charts !== null) this.chartsObserver.observe(charts);
  }

  private measureCharts(): void {
    const svg = this.querySelector('.cw-chart-svg');
    const width = svg === null ? 0 : Math.round(svg.getBoundingClientRect().width);
    if (width > 0 && width !== this.chartWidth) this.chartWidth = width;
  }

  protected override updated(): void {
    this.watchChartWidth();
    const target = this.focusAfter;
    if (target === null) return;
    this.focusAfter = null;
    const button = target === 'add'
      ? this.querySelector<HTMLElement>('vscode-button.cw-add-fault')
      : this.querySelectorAll<HTMLElement>('.cw-fault vscode-button.cw-fault-remove')[target];
    button?.focus();
  }

  protected override onHost(m: HostMessage): void {
    if (m.type === 'playground/exported') {
      this.exportStatus = m.message;
      return;
    }
    if (m.type !== 'playground/result' || m.requestId !== this.latestRequest) return;
    this.busy = false;
    if (m.result.ok) {
      this.run = m.result.run;
      this.runErrors = [];
      const w = m.result.run.config.workload;
      this.status = `Ran ${formatCount(w.ops)} operations (${formatCount(m.result.run.steps)} trace steps) in ${formatElapsed(m.result.elapsedMs)}.`;
    } else if (m.result.stopped === true) {
      this.status = 'Stopped before the run finished. Change the setup or run it again.';
    } else {
      this.runErrors = m.result.errors;
      this.status = 'The run failed.';
    }
  }

  /** Stops the run in progress (the Run button reads Stop while one goes; it stays the same element, so keeps focus). */
  private stopNow(): void {
    if (!this.busy) return;
    this.status = 'Stopping…';
    post({ type: 'playground/cancel', requestId: this.latestRequest });
  }

  private update_(draft: PlaygroundDraft): void {
    this.draft = draft;
    this.exportStatus = '';
    const { config } = checkPlayground(draft);
    if (config) this.save(config);
  }

  private save(config: PlaygroundConfig): void {
    this.dispatchEvent(new CustomEvent<PlaygroundUiState>('cw-playground-form', { detail: { config, ran: this.ran }, bubbles: true }));
  }

  private runNow(): void {
    const { config } = checkPlayground(this.draft);
    if (!config) {
      this.status = 'Fix the fields marked below, then run again.';
      this.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.ran = true;
    this.save(config);
    this.latestRequest = `playground:${++this.requestSeq}`;
    this.busy = true;
    this.status = `Running ${formatCount(config.workload.ops)} operations…`;
    post({ type: 'playground/run', requestId: this.latestRequest, config });
  }

  private exportNow(): void {
    const { config } = checkPlayground(this.draft);
    if (!config) {
      this.exportStatus = 'Fix the fields marked below before exporting.';
      return;
    }
    this.exportStatus = 'Choose where to save the scenario…';
    post({ type: 'playground/export', config });
  }

  private setTop(key: 'strategy' | 'preset', value: string): void {
    this.update_({ ...this.draft, [key]: value });
  }

  private setSetting(name: string, value: string): void {
    this.update_({ ...this.draft, settings: { ...this.draft.settings, [name]: value } });
  }

  private setWorkload(key: keyof WorkloadDraft, value: string | boolean): void {
    this.update_({ ...this.draft, workload: { ...this.draft.workload, [key]: value } });
  }

  private setFault(i: number, key: keyof FaultDraft, value: string): void {
    const faults = this.draft.faults.map((f, j) => (j === i ? { ...f, [key]: value } : f));
    this.update_({ ...this.draft, faults });
  }

  private addFault(kind: PlaygroundFaultKind): void {
    const at = String(Math.max(0, Math.floor((num(this.draft.workload.ops) / Math.max(1, num(this.draft.workload.clients))) * num(this.draft.workload.intervalMs) / 2)) || 1000);
    const fault: FaultDraft = { kind, atMs: at, restartAfterMs: '', node: '', timeoutMs: '', forMs: '2000', writes: '3', replies: '1', key: '0' };
    this.update_({ ...this.draft, faults: [...this.draft.faults, fault] });
  }

  private removeFault(i: number): void {
    const faults = this.draft.faults.filter((_, j) => j !== i);
    // Its Remove button goes with it: focus moves on rather than dropping to the page.
    this.focusAfter = focusAfterRemoving(i, faults.length);
    this.update_({ ...this.draft, faults });
  }

  private resetDefaults(): void {
    this.update_(draftOf(defaultConfig(this.defaults)));
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Form

  protected override render(): TemplateResult {
    const { config, errors } = checkPlayground(this.draft);
    const general = errors.get('') ?? [];
    return html`
      <main class="cw-page cw-playground" aria-labelledby="cw-pg-title">
        <header class="cw-page-header">
          <p class="cw-kicker">Playground</p>
          <h1 class="cw-section-title" id="cw-pg-title">Try a strategy under load and faults</h1>
          <p class="cw-summary">Set up a strategy, a workload and some faults, then run it on the simulator and watch the queue,
            the database and the readers over virtual time. Export the run as a scenario file to step through it in the debugger.</p>
        </header>
        <form class="cw-form cw-pg-form" aria-label="Playground setup" novalidate
          @submit=${(e: Event) => { e.preventDefault(); this.runNow(); }}
          @keydown=${(e: KeyboardEvent) => { if (submitsOnEnter(e)) { e.preventDefault(); this.runNow(); } }}>
          ${this.renderSetup(errors)}
          ${this.renderWorkload(errors)}
          ${this.renderSettings(errors)}
          ${this.renderFaults(errors)}
          <div class="cw-form-errors" role="alert">${general.map((g) => html`<p class="cw-field-error">${g}</p>`)}</div>
          <div class="cw-form-actions">
            <vscode-button icon=${this.busy ? 'debug-stop' : 'play'} data-testid="playground-run"
              @click=${() => (this.busy ? this.stopNow() : this.runNow())}>${this.busy ? 'Stop' : 'Run'}</vscode-button>
            <vscode-button secondary icon="export" @click=${() => this.exportNow()}>Export as .cachescenario</vscode-button>
            <vscode-button secondary icon="discard" @click=${() => this.resetDefaults()}>Reset</vscode-button>
            <span class="cw-busy" role="status" aria-live="polite" data-testid="playground-status">
              ${this.busy ? html`<vscode-progress-ring class="cw-ring" aria-hidden="true"></vscode-progress-ring>` : nothing}
              <span>${fixStatus(errors) ?? this.status}</span>
            </span>
          </div>
          <p class="cw-export-status" role="status" aria-live="polite">${this.exportStatus}</p>
        </form>
        ${this.runErrors.length > 0 ? html`<div class="cw-quiz-error" role="alert">${this.runErrors.map((e) => html`<p>${e}</p>`)}</div>` : nothing}
        ${this.run ? this.renderRun(this.run, !resultsMatchForm(this.run.config, config)) : nothing}
      </main>
    `;
  }

  private renderErrors(path: string, errors: Map<string, string[]>): TemplateResult {
    const list = errors.get(path) ?? [];
    return html`<p class="cw-field-error" id="${fieldId(path)}-error">${list.join(' ')}</p>`;
  }

  private invalid(path: string, errors: Map<string, string[]>): 'true' | 'false' {
    return errors.has(path) ? 'true' : 'false';
  }

  /** A drop-down field; `hint` (a setting's documentation) is shown under it and read as its description. */
  private renderSelect(path: string, label: string, value: string, choices: readonly { value: string; label: string }[], errors: Map<string, string[]>,
    onChange: (v: string) => void, hint?: TemplateResult): TemplateResult {
    const id = fieldId(path);
    return html`<div class="cw-field">
      <label for=${id}>${label}</label>
      <select id=${id} class="cw-select" aria-invalid=${this.invalid(path, errors)} aria-describedby="${hint === undefined ? '' : `${id}-hint `}${id}-error"
        @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
        ${choices.map((c) => html`<option value=${c.value} ?selected=${c.value === value}>${c.label}</option>`)}
      </select>
      ${hint === undefined ? nothing : html`<p class="cw-field-hint" id="${id}-hint">${hint}</p>`}
      ${this.renderErrors(path, errors)}
    </div>`;
  }

  private renderNumber(path: string, label: string, value: string, errors: Map<string, string[]>, onInput: (v: string) => void,
    opts: { min?: number; max?: number; step?: number; hint?: TemplateResult | string; placeholder?: string; text?: boolean } = {}): TemplateResult {
    const id = fieldId(path);
    return html`<div class="cw-field">
      <label for=${id}>${label}</label>
      <input id=${id} class="cw-input" type=${opts.text ? 'text' : 'number'} inputmode="numeric" .value=${value}
        min=${opts.min ?? nothing} max=${opts.max ?? nothing} step=${opts.step ?? nothing} placeholder=${opts.placeholder ?? nothing}
        aria-invalid=${this.invalid(path, errors)} aria-describedby="${id}-hint ${id}-error"
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}>
      <p class="cw-field-hint" id="${id}-hint">${opts.hint ?? ''}</p>
      ${this.renderErrors(path, errors)}
    </div>`;
  }

  private renderSetup(errors: Map<string, string[]>): TemplateResult {
    const d = this.draft;
    return html`<fieldset class="cw-fieldset">
      <legend>Strategy</legend>
      ${this.renderSelect('strategy', 'Strategy', d.strategy, STRATEGIES.map((s) => ({ value: s, label: strategyTitle(s) })), errors, (v) => this.setTop('strategy', v))}
      ${this.renderSelect('preset', 'Product preset', d.preset, [{ value: '', label: 'None (engine defaults)' }, ...PRESET_NAMES.map((p) => ({ value: p, label: p }))],
        errors, (v) => this.setTop('preset', v))}
    </fieldset>`;
  }

  private renderWorkload(errors: Map<string, string[]>): TemplateResult {
    const w = this.draft.workload;
    const L = PLAYGROUND_LIMITS;
    return html`<fieldset class="cw-fieldset">
      <legend>Workload</legend>
      ${this.renderSelect('workload.kind', 'Kind', w.kind, WORKLOADS.map((k) => ({ value: k, label: WORKLOAD_LABELS[k] })), errors, (v) => this.setWorkload('kind', v))}
      ${this.renderNumber('workload.ops', 'Operations', w.ops, errors, (v) => this.setWorkload('ops', v), { min: 1, max: L.maxOps, step: 100, hint: `Up to ${formatCount(L.maxOps)}.` })}
      ${this.renderNumber('workload.keys', 'Keys', w.keys, errors, (v) => this.setWorkload('keys', v), { min: 1, max: L.maxKeys, hint: `Up to ${formatCount(L.maxKeys)}.` })}
      ${this.renderSelect('workload.distribution', 'Key distribution', w.distribution, [{ value: 'zipf', label: 'Zipf (a few hot keys)' }, { value: 'uniform', label: 'Uniform' }],
        errors, (v) => this.setWorkload('distribution', v))}
      ${this.renderNumber('workload.clients', 'Clients', w.clients, errors, (v) => this.setWorkload('clients', v), { min: 1, max: L.maxClients })}
      ${this.renderNumber('workload.intervalMs', 'Interval per client (ms)', w.intervalMs, errors, (v) => this.setWorkload('intervalMs', v),
        { min: 1, max: L.maxIntervalMs, hint: 'Each client issues one operation this often (open loop).' })}
      ${this.renderNumber('workload.seed', 'Seed', w.seed, errors, (v) => this.setWorkload('seed', v), { min: 0 })}
      <div class="cw-field cw-field-check">
        <input type="checkbox" id=${fieldId('workload.preload')} class="cw-checkbox" .checked=${w.preload}
          @change=${(e: Event) => this.setWorkload('preload', (e.target as HTMLInputElement).checked)}>
        <label for=${fieldId('workload.preload')}>Preload every key into the database</label>
      </div>
    </fieldset>`;
  }

  private renderSetting(spec: SettingSpec, errors: Map<string, string[]>): TemplateResult {
    const path = `settings["${spec.name}"]`;
    const value = this.draft.settings[spec.name] ?? '';
    const set = (v: string): void => this.setSetting(spec.name, v);
    const hint = renderInline(spec.doc);
    // Left blank, a setting takes the preset's value where the preset sets it (the hint gives the engine's default).
    const preset = this.draft.preset;
    const fromPreset = presetDefault(preset, spec.name, this.draft.settings['writeBehind.coalescing'] ?? '');
    const blank = fromPreset === undefined ? 'Default' : `Default (${fromPreset}, ${preset})`;
    const placeholder = fromPreset === undefined ? 'default' : `${fromPreset} (${preset})`;
    switch (spec.kind) {
      case 'on-off':
        return this.renderSelect(path, spec.name, value, [{ value: '', label: blank }, { value: 'on', label: 'on' }, { value: 'off', label: 'off' }], errors, set, hint);
      case 'enum':
        return this.renderSelect(path, spec.name, value, [{ value: '', label: blank }, ...(spec.choices ?? []).map((c) => ({ value: c, label: c }))], errors, set, hint);
      case 'duration':
        return this.renderNumber(path, `${spec.name} (ms)`, value, errors, set, { min: 0, hint, placeholder });
      case 'count':
        return this.renderNumber(path, spec.name, value, errors, set, { min: spec.min ?? 0, hint, placeholder });
      case 'duration-or-off':
        return this.renderNumber(path, `${spec.name} (ms, or off)`, value, errors, set, { text: true, hint, placeholder });
      case 'count-or-off':
        return this.renderNumber(path, `${spec.name} (or off)`, value, errors, set, { text: true, hint, placeholder });
    }
  }

  private renderSettings(errors: Map<string, string[]>): TemplateResult {
    const main = MAIN_SETTINGS.map((n) => findSetting(n)).filter((s): s is SettingSpec => s !== undefined);
    const more = SETTINGS.filter((s) => !MAIN_SETTINGS.includes(s.name));
    const moreHasErrors = more.some((s) => errors.has(`settings["${s.name}"]`));
    const moreSet = more.some((s) => (this.draft.settings[s.name] ?? '') !== '');
    return html`<fieldset class="cw-fieldset cw-fieldset-wide">
      <legend>Settings</legend>
      <p class="cw-field-hint">Blank means the default: the preset's, else the engine's.</p>
      <div class="cw-field-grid">${main.map((s) => this.renderSetting(s, errors))}</div>
      <details class="cw-more" ?open=${moreHasErrors || moreSet}>
        <summary>More settings</summary>
        <div class="cw-field-grid">${more.map((s) => this.renderSetting(s, errors))}</div>
      </details>
    </fieldset>`;
  }

  private renderFaults(errors: Map<string, string[]>): TemplateResult {
    const faults = this.draft.faults;
    return html`<fieldset class="cw-fieldset cw-fieldset-wide">
      <legend>Faults</legend>
      ${faults.length === 0 ? html`<p class="cw-field-hint">No faults: the run is undisturbed.</p>` : nothing}
      <ol class="cw-fault-list">
        ${faults.map((f, i) => this.renderFault(f, i, errors))}
      </ol>
      ${this.renderErrors('faults', errors)}
      <div class="cw-form-actions">
        ${PLAYGROUND_FAULT_KINDS.map((k) => html`<vscode-button secondary icon="add" class="cw-add-fault"
          aria-label="Add fault: ${FAULT_LABELS[k]}" ?disabled=${faults.length >= PLAYGROUND_LIMITS.maxFaults}
          @click=${() => this.addFault(k)}>${FAULT_LABELS[k]}</vscode-button>`)}
      </div>
    </fieldset>`;
  }

  private renderFault(f: FaultDraft, i: number, errors: Map<string, string[]>): TemplateResult {
    const p = `faults[${i}]`;
    const set = (key: keyof FaultDraft) => (v: string): void => this.setFault(i, key, v);
    const fields: TemplateResult[] = [this.renderNumber(`${p}.atMs`, 'At (ms)', f.atMs, errors, set('atMs'), { min: 0 })];
    switch (f.kind) {
      case 'crash':
      case 'shutdown':
        // A node goes down either way; a shutdown also says how long its queue may drain.
        fields.push(this.renderNumber(`${p}.node`, 'Node', f.node, errors, set('node'), { min: 1, placeholder: '1', hint: 'Blank: node1.' }));
        if (f.kind === 'shutdown') {
          fields.push(this.renderNumber(`${p}.timeoutMs`, 'Timeout (ms)', f.timeoutMs, errors, set('timeoutMs'), { min: 0, placeholder: 'setting', hint: 'How long its queue may drain. Blank: writeBehind.shutdownTimeout (off: until empty).' }));
        }
        fields.push(this.renderNumber(`${p}.restartAfterMs`, 'Restart after (ms)', f.restartAfterMs, errors, set('restartAfterMs'), { min: 0, placeholder: 'never', hint: 'Blank: stays down.' }));
        break;
      case 'db-down':
        fields.push(this.renderNumber(`${p}.forMs`, 'For (ms)', f.forMs, errors, set('forMs'), { min: 1 }));
        break;
      case 'db-fail-next':
        fields.push(this.renderNumber(`${p}.writes`, 'Writes that fail', f.writes, errors, set('writes'), { min: 1, max: PLAYGROUND_LIMITS.maxFailingWrites }));
        break;
      case 'db-lose-replies':
        fields.push(this.renderNumber(`${p}.replies`, 'Replies lost', f.replies, errors, set('replies'), { min: 1, max: PLAYGROUND_LIMITS.maxFailingWrites, hint: 'Commits whose writer never hears back: write-behind sends its batch again (writeBehind.delivery).' }));
        break;
      case 'db-refuse-key':
        fields.push(this.renderNumber(`${p}.key`, 'Key number', f.key, errors, set('key'), { min: 0, hint: 'Every write of key:N fails (0 is the hottest key under Zipf); a write-behind batch carrying it fails whole.' }));
        fields.push(this.renderNumber(`${p}.forMs`, 'Fixed after (ms)', f.forMs, errors, set('forMs'), { min: 1, hint: 'Then only this row is fixed (recover db key).' }));
        break;
    }
    return html`<li class="cw-fault" aria-label="Fault ${i + 1}: ${FAULT_LABELS[f.kind]}">
      <p class="cw-fault-title">${i + 1}. ${FAULT_LABELS[f.kind]}</p>
      <div class="cw-field-grid">${fields}</div>
      ${this.renderErrors(p, errors)}
      <vscode-button secondary icon="trash" class="cw-fault-remove" aria-label="Remove fault ${i + 1}" @click=${() => this.removeFault(i)}>Remove</vscode-button>
    </li>`;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Results

  /**
   * The results of the last run; `stale` when the setup in the form has changed since (or is invalid), and so while
   * the next run is on its way too: the numbers on the page are still the earlier setup's until it lands.
   */
  private renderRun(run: PlaygroundRunView, stale: boolean): TemplateResult {
    const m = run.metrics;
    const s = run.series;
    const rows: [string, string][] = [
      ['Acknowledged writes', formatCount(m.acknowledgedWrites)],
      ['Failed writes', formatCount(m.failedWrites)],
      ['Rejected writes', formatCount(m.rejectedWrites)],
      ['Queue overflows', formatCount(m.queueOverflows)],
      ['Answered reads', formatCount(m.reads)],
      ['Failed reads', formatCount(m.failedReads)],
      ['Hit ratio', formatRatio(m.hitRatio)],
      ['Stale reads', formatCount(m.staleReads)],
      ['Dirty reads', formatCount(m.dirtyReads)],
      ['Lost writes', formatCount(m.lostWrites)],
      ['Writes applied twice', formatCount(m.duplicateWrites)],
      ['Database writes', formatCount(m.dbWrites)],
      ['Database round trips', formatCount(m.dbRoundTrips)],
      ['Largest queue', formatCount(m.maxQueueDepth)],
      ['Longest wait until the database took an entry', pendingWaitText(m, formatMs)],
      ['Retries', formatCount(m.retries)],
      ['Dead letters', formatCount(m.deadLetters)],
      ['Write latency p50 / p99', `${formatCount(m.writeLatencyMs.p50)} / ${formatCount(m.writeLatencyMs.p99)} ms`],
      ['Read latency p50 / p99', `${formatCount(m.readLatencyMs.p50)} / ${formatCount(m.readLatencyMs.p99)} ms`],
      ['Run length', formatMs(s.endMs)],
    ];
    const markers = faultMarkers(run.config.faults);
    const count = (v: number): string => formatCount(v);
    const charts: ChartSpec[] = [
      {
        id: 'cw-chart-queue',
        title: 'Write-behind queue depth',
        unit: 'entries',
        format: count,
        lines: [{ name: 'Queue depth', values: s.queueDepth, cls: 'cw-line-1' }],
        note: sampledPeakNote(s.queueDepth, m.maxQueueDepth, s.bucketMs, 'Largest queue', formatMs),
      },
      {
        id: 'cw-chart-db',
        title: 'Database writes and acknowledged writes',
        unit: 'writes',
        format: count,
        lines: [
          { name: 'Database writes', values: s.dbWrites, cls: 'cw-line-1' },
          { name: 'Acknowledged writes', values: s.acknowledgedWrites, cls: 'cw-line-2' },
        ],
      },
      { id: 'cw-chart-hit', title: 'Hit ratio so far', unit: 'ratio', ratio: true, format: (v) => formatRatio(Math.round(v * 1000) / 1000), lines: [{ name: 'Hit ratio', values: s.hitRatio, cls: 'cw-line-1' }] },
      { id: 'cw-chart-stale', title: 'Stale reads', unit: 'reads', format: count, lines: [{ name: 'Stale reads', values: s.staleReads, cls: 'cw-line-3' }] },
      {
        id: 'cw-chart-lost',
        title: 'Lost writes',
        unit: 'writes',
        format: count,
        lines: [{ name: 'Lost writes', values: s.lostWrites, cls: 'cw-line-lost' }],
        note: LOST_WRITES_NOTE,
      },
    ];
    return html`
      <section class="cw-pg-results ${stale ? 'cw-stale-table' : ''}" aria-labelledby="cw-pg-results-title" data-testid="playground-results">
        <h2 id="cw-pg-results-title">${strategyTitle(run.config.strategy)}${run.config.preset ? ` (${run.config.preset})` : ''}: results</h2>
        ${stale
          ? html`<p class="cw-stale-flag" data-testid="playground-stale"><vscode-icon name="warning" aria-hidden="true"></vscode-icon>
              Out of date: the setup above has changed since this run. These numbers are the earlier setup's; Run to see the new one's.</p>`
          : nothing}
        <p class="cw-muted">From the exported scenario's ${formatCount(run.scenarioLines)} lines, run on virtual time; the numbers are the run's final metrics.</p>
        ${run.errors.length > 0 ? html`<div class="cw-callout cw-callout-warning"><p class="cw-callout-title">The run reported problems</p>
          <ul>${run.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : nothing}
        <dl class="cw-metrics">${rows.map(([k, v]) => html`<div class="cw-metric-item"><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
        <div class="cw-charts">${charts.map((c) => renderLineChart(c, s.times, markers, plotForWidth(this.chartWidth)))}</div>
      </section>
    `;
  }
}

/**
 * How the lost-writes chart counts: at each moment, by the checker's definition. A lost write stops counting once a
 * later write to its key reaches the database, which is why the line can fall back after a crash.
 */
const LOST_WRITES_NOTE =
  'At each moment: acknowledged writes whose key the database holds at an older value, with nothing queued or logged left to deliver them. ' +
  'A later write to the same key that reaches the database supersedes a lost one, so the line can fall after a crash; the Lost writes figure above is what is still lost when the run ends.';

function faultMarkers(faults: readonly PlaygroundFault[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const f of faults) {
    switch (f.kind) {
      case 'crash':
        out.push({ atMs: f.atMs, label: `node${f.node ?? 1} crashes at ${formatMs(f.atMs)}` });
        if (f.restartAfterMs !== undefined) out.push({ atMs: f.atMs + f.restartAfterMs, label: `node${f.node ?? 1} restarts at ${formatMs(f.atMs + f.restartAfterMs)}` });
        break;
      case 'shutdown':
        out.push({ atMs: f.atMs, label: `node${f.node ?? 1} shuts down at ${formatMs(f.atMs)}${f.timeoutMs === undefined ? '' : f.timeoutMs === 0 ? ', not waiting for its queue' : `, its queue draining for at most ${formatMs(f.timeoutMs)}`}` });
        if (f.restartAfterMs !== undefined) out.push({ atMs: f.atMs + f.restartAfterMs, label: `node${f.node ?? 1} restarts at ${formatMs(f.atMs + f.restartAfterMs)}` });
        break;
      case 'db-down':
        out.push({ atMs: f.atMs, label: `database down at ${formatMs(f.atMs)} for ${formatMs(f.forMs)}` });
        out.push({ atMs: f.atMs + f.forMs, label: `database back up at ${formatMs(f.atMs + f.forMs)}` });
        break;
      case 'db-fail-next':
        out.push({ atMs: f.atMs, label: `${f.writes === 1 ? 'the next database write fails' : `the next ${f.writes} database writes fail`} from ${formatMs(f.atMs)}` });
        break;
      case 'db-lose-replies':
        out.push({ atMs: f.atMs, label: `${f.replies === 1 ? 'the next database commit loses its reply' : `the next ${f.replies} database commits lose their replies`} from ${formatMs(f.atMs)}` });
        break;
      case 'db-refuse-key':
        out.push({ atMs: f.atMs, label: `the database refuses writes of key:${f.key} from ${formatMs(f.atMs)}` });
        out.push({ atMs: f.atMs + f.forMs, label: `key:${f.key} fixed at ${formatMs(f.atMs + f.forMs)}` });
        break;
    }
  }
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'cw-playground': PlaygroundView;
  }
}
