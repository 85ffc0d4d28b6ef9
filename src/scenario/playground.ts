// The strategy playground's pure core: a config (strategy, settings, an open-loop workload, faults) is validated,
// exported as `.cachescenario` text, and run from exactly that text, so an exported file reproduces the run.
import { STRATEGIES, isStrategy } from '../model/types';
import type { Strategy } from '../model/types';
import { OpStream, WORKLOADS, isWorkload } from '../model/workload';
import type { KeyDistribution, WorkloadKind, WorkloadSpec } from '../model/workload';
import { plural, thousands } from '../model/words';
import type { SettingValue } from './ast';
import { PRESET_NAMES, didYouMean, parseScenario } from './parser';
import { runWithSeries } from './series';
import type { Series } from './series';
import type { ScenarioResult } from './runner';
import { CLIENT_DELAY_PATTERN, SETTINGS, findSetting } from './settings';
import type { SettingSpec } from './settings';

export type PlaygroundFault =
  /** Crash a cache node (default node1); with `restartAfterMs`, restart it that long after. */
  | { kind: 'crash'; atMs: number; node?: number; restartAfterMs?: number }
  /**
   * Shut a cache node down gracefully (default node1): its queue drains for at most `timeoutMs` (left out: the run's
   * writeBehind.shutdownTimeout); with `restartAfterMs`, restart it that long after.
   */
  | { kind: 'shutdown'; atMs: number; node?: number; timeoutMs?: number; restartAfterMs?: number }
  /** The database refuses every request for `forMs`. */
  | { kind: 'db-down'; atMs: number; forMs: number }
  /** The database's next `writes` write transactions fail. */
  | { kind: 'db-fail-next'; atMs: number; writes: number }
  /** The database's next `replies` write transactions commit, but their replies are lost. */
  | { kind: 'db-lose-replies'; atMs: number; replies: number }
  /**
   * A poison row: every write transaction that writes the workload's key number `key` (`key:N`, 0-based) fails for
   * `forMs`, then the row is fixed (`recover db key`), every other fault left in force.
   */
  | { kind: 'db-refuse-key'; atMs: number; key: number; forMs: number };

export type PlaygroundFaultKind = PlaygroundFault['kind'];
export const PLAYGROUND_FAULT_KINDS: readonly PlaygroundFaultKind[] = ['crash', 'shutdown', 'db-down', 'db-fail-next', 'db-lose-replies', 'db-refuse-key'];

export interface PlaygroundWorkload {
  kind: WorkloadKind;
  /** Operations in total, across all clients. */
  ops: number;
  /** Distinct keys, `key:0` .. `key:N-1`. */
  keys: number;
  distribution: KeyDistribution;
  clients: number;
  /** Open loop: each client issues one operation every intervalMs, whether or not its previous one has finished. */
  intervalMs: number;
  seed: number;
  /** Load every key into the database before the run. Default true. */
  preload?: boolean;
}

export interface PlaygroundConfig {
  strategy: Strategy;
  /** A product preset (`ignite`...), applied before `settings`. */
  preset?: string;
  /**
   * `set` lines by setting name (see SETTINGS, plus `client.NAME.delay`). Durations in whole milliseconds, counts as
   * whole numbers, on/off as booleans, enums as their word, and null for `off` where a setting allows it.
   */
  settings: Record<string, SettingValue>;
  workload: PlaygroundWorkload;
  faults: PlaygroundFault[];
}

/** Bounds of a playground config; they keep a run interactive (a few hundred ms at most). */
export const PLAYGROUND_LIMITS = {
  maxOps: 20_000,
  maxKeys: 10_000,
  maxClients: 64,
  maxIntervalMs: 60_000,
  maxFaults: 50,
  /** Latest fault time, and longest fault duration or restart delay. */
  maxFaultMs: 3_600_000,
  maxFailingWrites: 1000,
} as const;

/**
 * Bounds of each setting's number in the playground: the language accepts more, but these keep runs short and
 * rule out degenerate ones (a 0 ms retry delay against a down database retries forever at one instant).
 * Durations are in ms.
 */
export const PLAYGROUND_SETTING_RANGES: Readonly<Record<string, { min: number; max: number }>> = {
  'cache.capacity': { min: 1, max: findSetting('cache.capacity')?.max ?? 1_000_000 },
  'cache.ttl': { min: 1, max: 86_400_000 },
  'cache.latency': { min: 0, max: 60_000 },
  'cache.nodes': { min: 1, max: findSetting('cache.nodes')?.max ?? 8 },
  'db.latency': { min: 0, max: 60_000 },
  'writeBehind.flushInterval': { min: 0, max: 3_600_000 },
  'writeBehind.writeDelay': { min: 0, max: 3_600_000 },
  'writeBehind.batchSize': { min: 1, max: 100_000 },
  'writeBehind.flushSize': { min: 1, max: 1_000_000 },
  'writeBehind.maxQueue': { min: 1, max: 1_000_000 },
  'writeBehind.retryDelay': { min: 1, max: findSetting('writeBehind.retryDelay')?.max ?? 60_000 },
  'writeBehind.retryBackoff': { min: 1, max: 10 },
  'writeBehind.requeueLimit': { min: 0, max: 100 },
  'writeBehind.shutdownTimeout': { min: 0, max: 3_600_000 },
};
const CLIENT_DELAY_RANGE = { min: 0, max: 60_000 };

export function defaultPlaygroundConfig(): PlaygroundConfig {
  return {
    strategy: 'write-behind',
    settings: {},
    workload: { kind: 'mixed', ops: 500, keys: 50, distribution: 'zipf', clients: 4, intervalMs: 10, seed: 1, preload: true },
    faults: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation

export type PlaygroundValidation = { ok: true; config: PlaygroundConfig } | { ok: false; errors: string[] };

const CONFIG_FIELDS = ['strategy', 'preset', 'settings', 'workload', 'faults'];
const WORKLOAD_FIELDS = ['kind', 'ops', 'keys', 'distribution', 'clients', 'intervalMs', 'seed', 'preload'];
const FAULT_FIELDS: Record<PlaygroundFaultKind, readonly string[]> = {
  crash: ['kind', 'atMs', 'node', 'restartAfterMs'],
  shutdown: ['kind', 'atMs', 'node', 'timeoutMs', 'restartAfterMs'],
  'db-down': ['kind', 'atMs', 'forMs'],
  'db-fail-next': ['kind', 'atMs', 'writes'],
  'db-lose-replies': ['kind', 'atMs', 'replies'],
  'db-refuse-key': ['kind', 'atMs', 'key', 'forMs'],
};
const DISTRIBUTIONS: readonly KeyDistribution[] = ['uniform', 'zipf'];
const MAX_SETTINGS = 64;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length > 30 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === 'number') return thousands(v);
  return typeof v;
}

/** Collects errors; each check returns the value when it is fine, else undefined. */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push(`${path}: ${message}`);
    return undefined;
  }

  /** A whole number from `min` to `max`; worded as the comparison's validator words it (`expected a whole number from 1 to 20,000, got 100,000`). */
  int(v: unknown, path: string, min: number, max: number, unit = ''): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      return this.fail(path, `expected a whole number from ${thousands(min)} to ${thousands(max)}${unit ? ` ${unit}` : ''}, got ${describe(v)}`);
    }
    return v;
  }

  word<T extends string>(v: unknown, path: string, choices: readonly T[]): T | undefined {
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    const guess = typeof v === 'string' ? didYouMean(v, choices) : undefined;
    return this.fail(path, `expected one of ${choices.join(', ')}, got ${describe(v)}${guess ? `; did you mean "${guess}"?` : ''}`);
  }

  unknownFields(obj: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const k of Object.keys(obj)) if (!known.includes(k)) this.fail(path ? `${path}.${k}` : k, `unknown field; expected ${known.join(', ')}`);
  }
}

/**
 * Checks a config that came from a webview or from storage. Every problem is reported, each prefixed with the path of
 * the field (`workload.ops: expected a whole number from 1 to 20,000, got 50,000`). On success returns a normalised copy.
 */
export function validatePlaygroundConfig(raw: unknown): PlaygroundValidation {
  const c = new Checker();
  if (!isRecord(raw)) return { ok: false, errors: [`config: expected an object, got ${describe(raw)}`] };
  c.unknownFields(raw, '', CONFIG_FIELDS);

  const strategy = typeof raw.strategy === 'string' && isStrategy(raw.strategy) ? raw.strategy : c.word(raw.strategy, 'strategy', STRATEGIES);
  let preset: string | undefined;
  if (raw.preset !== undefined && raw.preset !== null) preset = c.word(raw.preset, 'preset', PRESET_NAMES);

  const settings: Record<string, SettingValue> = {};
  let nodes = 1;
  if (!isRecord(raw.settings)) c.fail('settings', `expected an object of setting name -> value, got ${describe(raw.settings)}`);
  else {
    const entries = Object.entries(raw.settings);
    if (entries.length > MAX_SETTINGS) c.fail('settings', `at most ${MAX_SETTINGS} settings, got ${entries.length}`);
    else {
      for (const [name, value] of entries) {
        const v = checkSetting(c, name, value);
        if (v !== undefined) settings[name] = v;
      }
    }
    const n = settings['cache.nodes'];
    if (typeof n === 'number') nodes = n;
  }

  const workload = checkWorkload(c, raw.workload);

  const faults: PlaygroundFault[] = [];
  if (!Array.isArray(raw.faults)) c.fail('faults', `expected a list of faults, got ${describe(raw.faults)}`);
  else if (raw.faults.length > PLAYGROUND_LIMITS.maxFaults) c.fail('faults', `at most ${PLAYGROUND_LIMITS.maxFaults} faults, got ${raw.faults.length}`);
  else raw.faults.forEach((f: unknown, i: number) => {
    const fault = checkFault(c, f, `faults[${i}]`, nodes, workload?.keys);
    if (fault) faults.push(fault);
  });

  if (c.errors.length > 0 || strategy === undefined || workload === undefined) return { ok: false, errors: c.errors };
  const config: PlaygroundConfig = { strategy, settings, workload, faults };
  if (preset !== undefined) config.preset = preset;
  return { ok: true, config };
}

function checkSetting(c: Checker, name: string, value: unknown): SettingValue | undefined {
  const path = `settings["${name.length > 40 ? `${name.slice(0, 37)}...` : name}"]`;
  const spec = findSetting(name);
  if (!spec) {
    if (CLIENT_DELAY_PATTERN.test(name)) return c.int(value, path, CLIENT_DELAY_RANGE.min, CLIENT_DELAY_RANGE.max, 'ms');
    const guess = didYouMean(name, SETTINGS.map((s) => s.name));
    return c.fail(path, `unknown setting${guess ? `; did you mean "${guess}"?` : ''} (settings: ${SETTINGS.map((s) => s.name).join(', ')}, client.NAME.delay)`);
  }
  const range = PLAYGROUND_SETTING_RANGES[name] ?? { min: spec.min ?? 0, max: Number.MAX_SAFE_INTEGER };
  switch (spec.kind) {
    case 'duration':
      return c.int(value, path, range.min, range.max, 'ms');
    case 'duration-or-off':
      return value === null ? null : typeof value === 'number' ? c.int(value, path, range.min, range.max, 'ms') : c.fail(path, `expected a whole number of ms, or null for off, got ${describe(value)}`);
    case 'count':
      return c.int(value, path, range.min, range.max);
    case 'count-or-off':
      return value === null ? null : typeof value === 'number' ? c.int(value, path, range.min, range.max) : c.fail(path, `expected a whole number, or null for off, got ${describe(value)}`);
    case 'on-off':
      return typeof value === 'boolean' ? value : c.fail(path, `expected true (on) or false (off), got ${describe(value)}`);
    case 'enum':
      return c.word(value, path, spec.choices ?? []);
  }
}

function checkWorkload(c: Checker, raw: unknown): PlaygroundWorkload | undefined {
  if (!isRecord(raw)) return c.fail('workload', `expected an object, got ${describe(raw)}`);
  c.unknownFields(raw, 'workload', WORKLOAD_FIELDS);
  const L = PLAYGROUND_LIMITS;
  const kind = typeof raw.kind === 'string' && isWorkload(raw.kind) ? raw.kind : c.word(raw.kind, 'workload.kind', WORKLOADS);
  const ops = c.int(raw.ops, 'workload.ops', 1, L.maxOps);
  const keys = c.int(raw.keys, 'workload.keys', 1, L.maxKeys);
  const distribution = c.word(raw.distribution, 'workload.distribution', DISTRIBUTIONS);
  const clients = c.int(raw.clients, 'workload.clients', 1, L.maxClients);
  const intervalMs = c.int(raw.intervalMs, 'workload.intervalMs', 1, L.maxIntervalMs, 'ms');
  const seed = c.int(raw.seed, 'workload.seed', 0, 0xffff_ffff);
  let preload = true;
  if (raw.preload !== undefined) {
    if (typeof raw.preload === 'boolean') preload = raw.preload;
    else c.fail('workload.preload', `expected true or false, got ${describe(raw.preload)}`);
  }
  if (kind === undefined || ops === undefined || keys === undefined || distribution === undefined) return undefined;
  if (clients === undefined || intervalMs === undefined || seed === undefined) return undefined;
  return { kind, ops, keys, distribution, clients, intervalMs, seed, preload };
}

/** `keys`: the workload's key count (undefined while the workload itself is invalid: any key number is taken then). */
function checkFault(c: Checker, raw: unknown, path: string, nodes: number, keys: number | undefined): PlaygroundFault | undefined {
  if (!isRecord(raw)) return c.fail(path, `expected a fault object, got ${describe(raw)}`);
  const kind = c.word(raw.kind, `${path}.kind`, PLAYGROUND_FAULT_KINDS);
  if (kind === undefined) return undefined;
  c.unknownFields(raw, path, FAULT_FIELDS[kind]);
  const L = PLAYGROUND_LIMITS;
  const atMs = c.int(raw.atMs, `${path}.atMs`, 0, L.maxFaultMs, 'ms');
  switch (kind) {
    case 'crash':
    case 'shutdown': {
      let node: number | undefined;
      if (raw.node !== undefined) {
        node = c.int(raw.node, `${path}.node`, 1, PLAYGROUND_SETTING_RANGES['cache.nodes']?.max ?? 8);
        if (node !== undefined && node > nodes) node = c.fail(`${path}.node`, `node${node} does not exist: cache.nodes is ${nodes}`);
        if (node === undefined) return undefined;
      }
      let restartAfterMs: number | undefined;
      if (raw.restartAfterMs !== undefined) {
        restartAfterMs = c.int(raw.restartAfterMs, `${path}.restartAfterMs`, 0, L.maxFaultMs, 'ms');
        if (restartAfterMs === undefined) return undefined;
      }
      let timeoutMs: number | undefined;
      if (kind === 'shutdown' && raw.timeoutMs !== undefined) {
        timeoutMs = c.int(raw.timeoutMs, `${path}.timeoutMs`, 0, L.maxFaultMs, 'ms');
        if (timeoutMs === undefined) return undefined;
      }
      if (atMs === undefined) return undefined;
      const f: Extract<PlaygroundFault, { kind: 'crash' | 'shutdown' }> = { kind, atMs };
      if (node !== undefined) f.node = node;
      if (f.kind === 'shutdown' && timeoutMs !== undefined) f.timeoutMs = timeoutMs;
      if (restartAfterMs !== undefined) f.restartAfterMs = restartAfterMs;
      return f;
    }
    case 'db-down': {
      const forMs = c.int(raw.forMs, `${path}.forMs`, 1, L.maxFaultMs, 'ms');
      return atMs === undefined || forMs === undefined ? undefined : { kind, atMs, forMs };
    }
    case 'db-fail-next': {
      const writes = c.int(raw.writes, `${path}.writes`, 1, L.maxFailingWrites);
      return atMs === undefined || writes === undefined ? undefined : { kind, atMs, writes };
    }
    case 'db-lose-replies': {
      const replies = c.int(raw.replies, `${path}.replies`, 1, L.maxFailingWrites);
      return atMs === undefined || replies === undefined ? undefined : { kind, atMs, replies };
    }
    case 'db-refuse-key': {
      // The workload's keys are key:0 .. key:(keys - 1).
      const key = c.int(raw.key, `${path}.key`, 0, (keys ?? L.maxKeys) - 1);
      const forMs = c.int(raw.forMs, `${path}.forMs`, 1, L.maxFaultMs, 'ms');
      return atMs === undefined || key === undefined || forMs === undefined ? undefined : { kind, atMs, key, forMs };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Export

/** Whole milliseconds as the language writes durations: `250ms`, `5s`, `2m`, `1h`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function formatSetting(spec: Pick<SettingSpec, 'kind'>, v: SettingValue): string {
  if (v === null) return 'off';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'string') return v;
  return spec.kind === 'duration' || spec.kind === 'duration-or-off' ? formatDuration(v) : String(v);
}

/** The workload as the engine's generator sees it (the same seeded OpStream that runWorkload draws from). */
export function playgroundWorkloadSpec(w: PlaygroundWorkload): WorkloadSpec {
  return { kind: w.kind, ops: w.ops, keys: w.keys, distribution: w.distribution, clients: w.clients, seed: w.seed, preload: w.preload ?? true };
}

/**
 * When the n-th operation (0-based) is issued: operations go round-robin to the clients, and client i issues its j-th
 * at floor(i * interval / clients) + j * interval, so the clients are evenly staggered within each interval and the
 * times are whole milliseconds that never decrease with n.
 */
export function issueTime(n: number, clients: number, intervalMs: number): number {
  const i = n % clients;
  return Math.floor((i * intervalMs) / clients) + Math.floor(n / clients) * intervalMs;
}

interface TimedLine {
  at: number;
  text: string;
}

function faultLines(faults: readonly PlaygroundFault[]): TimedLine[] {
  const out: TimedLine[] = [];
  for (const f of faults) {
    const at = (t: number): string => `at ${t}ms`;
    switch (f.kind) {
      case 'crash': {
        const node = `node${f.node ?? 1}`;
        out.push({ at: f.atMs, text: `${at(f.atMs)} crash cache ${node}` });
        if (f.restartAfterMs !== undefined) out.push({ at: f.atMs + f.restartAfterMs, text: `${at(f.atMs + f.restartAfterMs)} restart cache ${node}` });
        break;
      }
      case 'shutdown': {
        const node = `node${f.node ?? 1}`;
        out.push({ at: f.atMs, text: `${at(f.atMs)} shutdown cache ${node}${f.timeoutMs === undefined ? '' : ` timeout ${formatDuration(f.timeoutMs)}`}` });
        if (f.restartAfterMs !== undefined) out.push({ at: f.atMs + f.restartAfterMs, text: `${at(f.atMs + f.restartAfterMs)} restart cache ${node}` });
        break;
      }
      case 'db-down':
        out.push({ at: f.atMs, text: `${at(f.atMs)} fail db for ${formatDuration(f.forMs)}` });
        break;
      case 'db-fail-next':
        out.push({ at: f.atMs, text: `${at(f.atMs)} fail db next ${f.writes} write${f.writes === 1 ? '' : 's'}` });
        break;
      case 'db-lose-replies':
        out.push({ at: f.atMs, text: `${at(f.atMs)} fail db next ${f.replies} ${f.replies === 1 ? 'reply' : 'replies'}` });
        break;
      case 'db-refuse-key':
        out.push({ at: f.atMs, text: `${at(f.atMs)} fail db key key:${f.key}` });
        out.push({ at: f.atMs + f.forMs, text: `${at(f.atMs + f.forMs)} recover db key key:${f.key}` });
        break;
    }
  }
  // Stable: faults at the same instant keep the config's order.
  return out.map((l, i) => ({ l, i })).sort((a, b) => a.l.at - b.l.at || a.i - b.i).map(({ l }) => l);
}

function describeFault(f: PlaygroundFault): string {
  switch (f.kind) {
    case 'crash':
      return `crash node${f.node ?? 1} at ${formatDuration(f.atMs)}${f.restartAfterMs === undefined ? ' (not restarted)' : `, restarted ${formatDuration(f.restartAfterMs)} later`}`;
    case 'shutdown': {
      const timeout = f.timeoutMs === undefined ? '' : f.timeoutMs === 0 ? ', not waiting for its queue' : `, waiting at most ${formatDuration(f.timeoutMs)} for its queue`;
      return `shut down node${f.node ?? 1} at ${formatDuration(f.atMs)}${timeout}${f.restartAfterMs === undefined ? ' (not restarted)' : `, restarted ${formatDuration(f.restartAfterMs)} later`}`;
    }
    case 'db-down':
      return `database down at ${formatDuration(f.atMs)} for ${formatDuration(f.forMs)}`;
    case 'db-fail-next':
      return `the next ${f.writes} database write${f.writes === 1 ? '' : 's'} fail from ${formatDuration(f.atMs)}`;
    case 'db-lose-replies':
      return `the next ${f.replies === 1 ? 'database commit loses its reply' : `${f.replies} database commits lose their replies`} from ${formatDuration(f.atMs)}`;
    case 'db-refuse-key':
      return `the database refuses every write of key:${f.key} from ${formatDuration(f.atMs)} for ${formatDuration(f.forMs)} (a poison row)`;
  }
}

/**
 * The config as a `.cachescenario` file: a header saying where it came from, the strategy, preset and `set` lines
 * (in the settings table's order, so equal configs give equal text), the preloaded rows, then every operation and
 * fault as an `at` line in time order (faults first within one instant). Expects a validated config.
 */
export function playgroundToScenario(config: PlaygroundConfig): string {
  const w = config.workload;
  const spec = playgroundWorkloadSpec(w);
  const nodesSetting = config.settings['cache.nodes'];
  const nodes = typeof nodesSetting === 'number' ? nodesSetting : 1;
  const set = Object.keys(config.settings).length;
  const lines: string[] = [
    '# Exported from the Cache Workbench playground; running this file reproduces the playground run step for step.',
    `# Workload: ${w.kind}, ${w.ops} operation${w.ops === 1 ? '' : 's'} on ${w.keys} key${w.keys === 1 ? '' : 's'} (${w.distribution}), seed ${w.seed}; ` +
      `${w.clients} client${w.clients === 1 ? '' : 's'}, each issuing one operation every ${formatDuration(w.intervalMs)} (open loop)` +
      `${spec.preload ? '; keys preloaded' : ''}.`,
    `# Setup: ${config.strategy}${config.preset ? `, preset ${config.preset}` : ''}, ${set === 0 ? 'no settings' : plural(set, 'setting')} set below, ${nodes} cache node${nodes === 1 ? '' : 's'}.`,
    `# Faults: ${config.faults.length === 0 ? 'none' : config.faults.map(describeFault).join('; ')}.`,
    '',
    `strategy ${config.strategy}`,
  ];
  if (config.preset) lines.push(`preset ${config.preset}`);
  for (const s of SETTINGS) {
    const v = config.settings[s.name];
    if (v !== undefined) lines.push(`set ${s.name} ${formatSetting(s, v)}`);
  }
  for (const name of Object.keys(config.settings).filter((n) => CLIENT_DELAY_PATTERN.test(n)).sort()) {
    const v = config.settings[name];
    if (typeof v === 'number') lines.push(`set ${name} ${formatDuration(v)}`);
  }

  const stream = new OpStream(spec);
  if (spec.preload) {
    lines.push('');
    for (let k = 0; k < w.keys; k++) lines.push(`load ${stream.keyNames[k] as string} ${w.kind === 'counters' ? '0' : '{"n": 0}'}`);
  }

  lines.push('');
  const faults = faultLines(config.faults);
  let fi = 0;
  for (let o = stream.next(); o; o = stream.next()) {
    const at = issueTime(o.n, w.clients, w.intervalMs);
    for (; fi < faults.length && (faults[fi] as TimedLine).at <= at; fi++) lines.push((faults[fi] as TimedLine).text);
    const ci = o.n % w.clients;
    const key = stream.keyNames[o.key] as string;
    const via = nodes > 1 && o.kind !== 'read-db' ? ` via node${(ci % nodes) + 1}` : '';
    const body = o.kind === 'write' ? `write ${key} {"n": ${o.n + 1}}` : `${o.kind} ${key}`;
    lines.push(`at ${at}ms as c${ci + 1} ${body}${via}`);
  }
  for (; fi < faults.length; fi++) lines.push((faults[fi] as TimedLine).text);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Run

export interface PlaygroundRun {
  /** The validated, normalised config that was run. */
  config: PlaygroundConfig;
  /** The exported scenario; the run below is this text parsed and run, nothing else. */
  scenarioText: string;
  /** runProgram's result for the text, trace on. */
  result: ScenarioResult;
  series: Series;
}

/**
 * Exports the config and runs the exported text (parseScenario, then runProgram through runWithSeries), so saving
 * `scenarioText` reproduces this run by construction. Throws on an invalid config: front ends validate first.
 */
export function runPlayground(config: PlaygroundConfig, buckets = 60): PlaygroundRun {
  const checked = validatePlaygroundConfig(config);
  if (!checked.ok) throw new Error(`invalid playground config: ${checked.errors.join('; ')}`);
  const scenarioText = playgroundToScenario(checked.config);
  const program = parseScenario(scenarioText);
  const problems = program.diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    const first = problems[0] as (typeof problems)[number];
    throw new Error(`internal error: the exported scenario does not parse (line ${first.line}: ${first.message})`);
  }
  const { result, series } = runWithSeries(program, buckets);
  return { config: checked.config, scenarioText, result, series };
}
