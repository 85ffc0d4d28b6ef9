// The playground's form as plain data: the text the learner typed, converted to the config the pure core validates,
// and the validator's messages filed under the fields they name. Pure (no DOM), so it is unit-tested.
import { validatePlaygroundConfig } from '../src/scenario/playground.js';
import { jsonEqual } from '../src/scenario/runner.js';
import type { PlaygroundConfig, PlaygroundFaultKind } from '../src/scenario/playground.js';
import { findSetting } from '../src/scenario/settings.js';
import { findPreset, presetMaxQueue } from '../src/model/presets.js';
import type { WriteBehindOptions } from '../src/model/types.js';
import type { SettingValue } from '../src/scenario/ast.js';

export interface FaultDraft {
  kind: PlaygroundFaultKind;
  atMs: string;
  /** crash, shutdown: restart this long after ('' = never restarted). */
  restartAfterMs: string;
  /** crash, shutdown: node number ('' = node1). */
  node: string;
  /** shutdown: how long its queue may drain ('' = the run's writeBehind.shutdownTimeout). */
  timeoutMs: string;
  /** db-down, db-refuse-key: how long. */
  forMs: string;
  /** db-fail-next: how many writes. */
  writes: string;
  /** db-lose-replies: how many commits lose their replies. */
  replies: string;
  /** db-refuse-key: the workload's key number N (key:N). */
  key: string;
}

export interface WorkloadDraft {
  kind: string;
  ops: string;
  keys: string;
  distribution: string;
  clients: string;
  intervalMs: string;
  seed: string;
  preload: boolean;
}

export interface PlaygroundDraft {
  strategy: string;
  /** '' = no preset. */
  preset: string;
  /** By setting name; '' = not set (the preset's or the engine's default applies). */
  settings: Record<string, string>;
  workload: WorkloadDraft;
  faults: FaultDraft[];
}

/** Settings shown at once; the others sit under "More settings". */
export const MAIN_SETTINGS = [
  'cache.latency',
  'db.latency',
  'cache.capacity',
  'cache.nodes',
  'writeBehind.flushInterval',
  'writeBehind.batchSize',
  'writeBehind.coalescing',
  'writeBehind.wal',
  'writeBehind.backup',
];

export const FAULT_LABELS: Readonly<Record<PlaygroundFaultKind, string>> = {
  crash: 'Cache node crash',
  shutdown: 'Cache node shutdown',
  'db-down': 'Database down',
  'db-fail-next': 'Failing database writes',
  'db-lose-replies': 'Lost database replies',
  'db-refuse-key': 'Poison row',
};

/**
 * Where focus goes after fault `index` is removed and `remaining` faults are left (its Remove button is gone): the
 * Remove button of the fault that took its place (the next one), else the first "add fault" button.
 */
export function focusAfterRemoving(index: number, remaining: number): number | 'add' {
  return index >= 0 && index < remaining ? index : 'add';
}

export const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));

function settingText(v: SettingValue): string {
  if (v === null) return 'off';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

/** A config's values as form text. */
export function draftOf(c: PlaygroundConfig): PlaygroundDraft {
  const settings: Record<string, string> = {};
  for (const [name, v] of Object.entries(c.settings)) {
    if (findSetting(name)) settings[name] = settingText(v);
  }
  const w = c.workload;
  return {
    strategy: c.strategy,
    preset: c.preset ?? '',
    settings,
    workload: {
      kind: w.kind,
      ops: String(w.ops),
      keys: String(w.keys),
      distribution: w.distribution,
      clients: String(w.clients),
      intervalMs: String(w.intervalMs),
      seed: String(w.seed),
      preload: w.preload ?? true,
    },
    faults: c.faults.map((f) => ({
      kind: f.kind,
      atMs: String(f.atMs),
      restartAfterMs: (f.kind === 'crash' || f.kind === 'shutdown') && f.restartAfterMs !== undefined ? String(f.restartAfterMs) : '',
      node: (f.kind === 'crash' || f.kind === 'shutdown') && f.node !== undefined ? String(f.node) : '',
      timeoutMs: f.kind === 'shutdown' && f.timeoutMs !== undefined ? String(f.timeoutMs) : '',
      forMs: f.kind === 'db-down' || f.kind === 'db-refuse-key' ? String(f.forMs) : '1000',
      writes: f.kind === 'db-fail-next' ? String(f.writes) : '3',
      replies: f.kind === 'db-lose-replies' ? String(f.replies) : '1',
      key: f.kind === 'db-refuse-key' ? String(f.key) : '0',
    })),
  };
}

/**
 * The form once the learner's VS Code settings change under it: the new defaults while it still shows the old ones
 * untouched, else what the learner typed, kept.
 */
export function draftAfterNewDefaults(draft: PlaygroundDraft, oldDefaults: PlaygroundDraft, newDefaults: PlaygroundDraft): PlaygroundDraft {
  return jsonEqual(draft, oldDefaults) ? newDefaults : draft;
}

/** The form as the raw object validatePlaygroundConfig checks (blank optional fields left out). */
export function rawConfig(d: PlaygroundDraft): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(d.settings)) {
    const t = text.trim();
    if (t === '') continue;
    const spec = findSetting(name);
    if (!spec) continue;
    switch (spec.kind) {
      case 'on-off':
        settings[name] = t === 'on' ? true : t === 'off' ? false : t;
        break;
      case 'enum':
        settings[name] = t;
        break;
      case 'duration-or-off':
      case 'count-or-off':
        settings[name] = t === 'off' ? null : num(t);
        break;
      case 'duration':
      case 'count':
        settings[name] = num(t);
        break;
    }
  }
  const w = d.workload;
  const faults = d.faults.map((f): Record<string, unknown> => {
    switch (f.kind) {
      case 'crash':
      case 'shutdown': {
        const out: Record<string, unknown> = { kind: f.kind, atMs: num(f.atMs) };
        if (f.node.trim() !== '') out.node = num(f.node);
        if (f.kind === 'shutdown' && f.timeoutMs.trim() !== '') out.timeoutMs = num(f.timeoutMs);
        if (f.restartAfterMs.trim() !== '') out.restartAfterMs = num(f.restartAfterMs);
        return out;
      }
      case 'db-down':
        return { kind: f.kind, atMs: num(f.atMs), forMs: num(f.forMs) };
      case 'db-fail-next':
        return { kind: f.kind, atMs: num(f.atMs), writes: num(f.writes) };
      case 'db-lose-replies':
        return { kind: f.kind, atMs: num(f.atMs), replies: num(f.replies) };
      case 'db-refuse-key':
        return { kind: f.kind, atMs: num(f.atMs), key: num(f.key), forMs: num(f.forMs) };
    }
  });
  const raw: Record<string, unknown> = {
    strategy: d.strategy,
    settings,
    workload: {
      kind: w.kind,
      ops: num(w.ops),
      keys: num(w.keys),
      distribution: w.distribution,
      clients: num(w.clients),
      intervalMs: num(w.intervalMs),
      seed: num(w.seed),
      preload: w.preload,
    },
    faults,
  };
  if (d.preset !== '') raw.preset = d.preset;
  return raw;
}

/**
 * Validates the form with the pure core's validator and files each message under the field it names
 * (`workload.ops`, `settings["db.latency"]`, `faults[0].atMs`); messages about the whole form go under ''.
 */
export function checkPlayground(d: PlaygroundDraft): { config?: PlaygroundConfig; errors: Map<string, string[]> } {
  const checked = validatePlaygroundConfig(rawConfig(d));
  const errors = new Map<string, string[]>();
  if (checked.ok) return { config: checked.config, errors };
  for (const e of checked.errors) {
    const at = e.indexOf(': ');
    const path = at < 0 ? '' : e.slice(0, at);
    // Capitalised as the comparison page shows its messages: "Expected a whole number from 1 to 20,000, got 100,000".
    const message = (at < 0 ? e : e.slice(at + 2)).replace(/^expected /, 'Expected ');
    errors.set(path, [...(errors.get(path) ?? []), message]);
  }
  return { errors };
}

/**
 * The status while the form has problems: "1 field needs fixing before a run.", "3 fields need fixing before a run."
 * (problems with the whole form count apart); undefined when there are none.
 */
export function fixStatus(errors: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (errors.size === 0) return undefined;
  const fields = [...errors.keys()].filter((path) => path !== '').length;
  if (fields === 0) return 'Fix the problems listed above before a run.';
  return `${fields} ${fields === 1 ? 'field needs' : 'fields need'} fixing before a run.`;
}

/** An element id for a config path. */
export function fieldId(path: string): string {
  return `cw-pg-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
}

/**
 * Whether the results on the page were run from the setup in the form: the form's config (undefined while a field is
 * invalid) is the one that ran. When it is not, the learner changed the setup after the run, and the numbers shown
 * belong to the earlier one, so the page says so (two runs are compared by changing one knob and running again).
 */
export function resultsMatchForm(ran: PlaygroundConfig, form: PlaygroundConfig | undefined): boolean {
  if (!form) return false;
  const checked = validatePlaygroundConfig(ran);
  return checked.ok && jsonEqual(checked.config, form);
}

/** The write-behind settings a preset sets, by the option each one lands in (the presets set nothing else). */
export const PRESET_SETTING_FIELDS: Readonly<Record<string, keyof WriteBehindOptions>> = {
  'writeBehind.flushInterval': 'flushIntervalMs',
  'writeBehind.writeDelay': 'writeDelayMs',
  'writeBehind.batchSize': 'batchSize',
  'writeBehind.flushSize': 'flushSize',
  'writeBehind.coalescing': 'coalescing',
  'writeBehind.maxQueue': 'maxQueue',
  'writeBehind.whenFull': 'whenFull',
  'writeBehind.retryDelay': 'retryDelayMs',
  'writeBehind.retryBackoff': 'retryBackoff',
  'writeBehind.requeueLimit': 'requeueLimit',
  'writeBehind.wal': 'wal',
  'writeBehind.order': 'order',
  'writeBehind.backup': 'backup',
  'writeBehind.shutdownTimeout': 'shutdownTimeoutMs',
  'writeBehind.loadFromQueue': 'loadFromQueue',
  'writeBehind.delivery': 'delivery',
};

/**
 * What a setting left blank takes from the chosen preset, as the form shows it ("512", "on", "off"; durations in ms,
 * as the form asks for them); undefined with no preset, or when the preset leaves the setting at the engine's default.
 * `coalescing` is the form's own writeBehind.coalescing ('' when left blank): Hazelcast's queue bound depends on it.
 */
export function presetDefault(preset: string, setting: string, coalescing = ''): string | undefined {
  const field = PRESET_SETTING_FIELDS[setting];
  const p = preset === '' ? undefined : findPreset(preset);
  if (field === undefined || p === undefined || !(field in p.writeBehind)) return undefined;
  const coalescingOff = coalescing === 'off' || (coalescing === '' && p.writeBehind.coalescing === false);
  const v = field === 'maxQueue' ? presetMaxQueue(p, !coalescingOff) : p.writeBehind[field];
  return v === null || v === false ? 'off' : v === true ? 'on' : String(v);
}

/**
 * The playground's "Longest wait until the database took an entry": `maxPendingAgeMs` counts entries the database
 * took, so a run whose queue held entries and took none (a crash before the first flush) says "none taken" rather than
 * a 0 that read as "nothing waited" beside a queue of dozens. `formatMs` formats the wait otherwise.
 */
export function pendingWaitText(m: { maxPendingAgeMs: number; maxQueueDepth: number; dbWrites: number }, formatMs: (ms: number) => string): string {
  return m.maxPendingAgeMs === 0 && m.maxQueueDepth > 0 && m.dbWrites === 0 ? 'none taken' : formatMs(m.maxPendingAgeMs);
}
