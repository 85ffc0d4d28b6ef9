// The extension's settings (`cacheWorkbench.*`): a typed mirror of package.json `contributes.configuration`, and
// readSettings(), which validates every value and falls back to the default with a readable problem for each bad one.
import * as vscode from 'vscode';
import { STRATEGIES } from './model/types';
import type { Strategy } from './model/types';
import { ids } from './constants';
import { didYouMean } from './scenario/parser';

export const ANIMATION_SPEEDS = [0.5, 1, 2, 4] as const;
export type AnimationSpeed = (typeof ANIMATION_SPEEDS)[number];

export const REDUCED_MOTION = ['auto', 'on', 'off'] as const;
/** `auto` follows the OS / VS Code accessibility setting; `on` always reduces motion; `off` always animates. */
export type ReducedMotion = (typeof REDUCED_MOTION)[number];

/** Mirrors `contributes.configuration` in package.json; each default below matches the one there. */
export interface Settings {
  /** Strategy a new workbench session starts with. Default `write-through`. */
  defaultStrategy: Strategy;
  cache: {
    /** One round trip between a client and a cache node, in virtual ms. Default 1. */
    latencyMs: number;
    /** Entries per cache node before LRU eviction. Default 1000. */
    capacity: number;
  };
  db: {
    /** One round trip to the database, in virtual ms. Default 10. */
    latencyMs: number;
  };
  writeBehind: {
    /** How often a non-empty write-behind queue is flushed, in virtual ms. Default 5000. */
    flushIntervalMs: number;
    /** Rows per flush round trip. Default 100. */
    batchSize: number;
    /** Keep only the newest pending value per key. Default true. */
    coalescing: boolean;
    /** Durable write-ahead log that survives a cache crash. Default false. */
    wal: boolean;
  };
  animation: {
    /** Playback speed multiplier of animated traces. Default 1. */
    speed: AnimationSpeed;
    /** Default `auto`. */
    reducedMotion: ReducedMotion;
  };
}

export interface SettingsResult {
  /** Every value valid: the user's where it was valid, else the default. */
  settings: Settings;
  /**
   * One sentence per rejected value, e.g. `cacheWorkbench.db.latencyMs must be a whole number from 0 to 60000; using 10`,
   * then one per key set under `cacheWorkbench.` that is not a setting (a misspelt one would do nothing, unsaid).
   */
  problems: string[];
}

/**
 * The subset of `vscode.WorkspaceConfiguration` that readSettings needs, so callers and tests can pass their own. Its
 * other enumerable properties are the section's values as VS Code hands them over, nested at the dots, keys that are
 * not settings included (`{ db: { latencyMs: 10, latency: 50 } }`): readSettings reports those.
 */
export interface ConfigSource {
  get(key: string): unknown;
}

type Rule =
  | { kind: 'number'; min: number; max: number; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'choice'; choices: readonly (string | number)[] };

/** Validates one raw value; returns the value or a problem phrase ("must be ..."). */
function check(raw: unknown, rule: Rule): { ok: true; value: unknown } | { ok: false; expected: string } {
  switch (rule.kind) {
    case 'number': {
      const ok = typeof raw === 'number' && Number.isFinite(raw) && raw >= rule.min && raw <= rule.max
        && (!rule.integer || Number.isInteger(raw));
      return ok ? { ok, value: raw } : { ok, expected: `must be a ${rule.integer ? 'whole number' : 'number'} from ${rule.min} to ${rule.max}` };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, expected: 'must be true or false' };
    case 'choice':
      return rule.choices.includes(raw as string | number)
        ? { ok: true, value: raw }
        : { ok: false, expected: `must be one of ${rule.choices.join(', ')}` };
    default: {
      const unreachable: never = rule;
      return unreachable;
    }
  }
}

/** Reads and validates `cacheWorkbench.*` (from the workspace configuration unless a source is given). */
export function readSettings(source: ConfigSource = vscode.workspace.getConfiguration(ids.configSection)): SettingsResult {
  const problems: string[] = [];
  const known: string[] = [];
  const read = <T>(key: string, rule: Rule, fallback: T): T => {
    known.push(key);
    const raw = source.get(key);
    // Unset reads as undefined (or as the default, from VS Code). An explicit `null` in settings.json is a value of the
    // wrong kind like any other, and said so: VS Code hands it over as it is.
    if (raw === undefined) return fallback;
    const r = check(raw, rule);
    if (r.ok) return r.value as T;
    problems.push(`${ids.configSection}.${key} ${r.expected}; using ${String(fallback)}`);
    return fallback;
  };
  // Whole milliseconds: the playground and the comparison take their defaults from these, and both count in whole ms.
  const latency: Rule = { kind: 'number', min: 0, max: 60_000, integer: true };
  const settings: Settings = {
    defaultStrategy: read<Strategy>('defaultStrategy', { kind: 'choice', choices: STRATEGIES }, 'write-through'),
    cache: {
      latencyMs: read('cache.latencyMs', latency, 1),
      capacity: read('cache.capacity', { kind: 'number', min: 1, max: 1_000_000, integer: true }, 1000),
    },
    db: {
      latencyMs: read('db.latencyMs', latency, 10),
    },
    writeBehind: {
      flushIntervalMs: read('writeBehind.flushIntervalMs', { kind: 'number', min: 1, max: 3_600_000, integer: true }, 5000),
      batchSize: read('writeBehind.batchSize', { kind: 'number', min: 1, max: 100_000, integer: true }, 100),
      coalescing: read('writeBehind.coalescing', { kind: 'boolean' }, true),
      wal: read('writeBehind.wal', { kind: 'boolean' }, false),
    },
    animation: {
      speed: read<AnimationSpeed>('animation.speed', { kind: 'choice', choices: ANIMATION_SPEEDS }, 1),
      reducedMotion: read<ReducedMotion>('animation.reducedMotion', { kind: 'choice', choices: REDUCED_MOTION }, 'auto'),
    },
  };
  for (const key of unknownKeys(source, known)) {
    const guess = didYouMean(key, known);
    const expected = guess ? `did you mean ${ids.configSection}.${guess}?` : `settings: ${known.join(', ')}`;
    const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
    problems.push(`${ids.configSection}.${shown} is not a setting (${expected}); it is ignored`);
  }
  return { settings, problems };
}

/**
 * The keys set under the section that are not settings: the source's values are walked down to a setting (its value
 * is read()'s to judge), to a value under a group of settings (`animation: 2`), or to the leaves of an object no
 * setting is in. VS Code nests a dotted key at its dots, so `cacheWorkbench.db.latency.ms` arrives as
 * `{ db: { latency: { ms } } }` and is named whole. Functions (`get`, `has`...) are the API, not values.
 */
function unknownKeys(source: ConfigSource, known: readonly string[]): string[] {
  const found: string[] = [];
  const isGroup = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);
  const walk = (value: unknown, path: string): void => {
    if (known.includes(path)) return;
    const above = path === '' || known.some((k) => k.startsWith(`${path}.`));
    const entries = isGroup(value) ? Object.entries(value).filter(([, v]) => typeof v !== 'function') : [];
    if (isGroup(value) && (above || entries.length > 0)) {
      for (const [key, v] of entries) walk(v, path ? `${path}.${key}` : key);
    } else found.push(path);
  };
  try {
    walk(source, '');
  } catch {
    // Only an exotic source (a throwing getter) gets here; VS Code's configuration object is plain data.
  }
  return found;
}

/**
 * Reports bad settings now and whenever `cacheWorkbench.*` changes: each problem goes to the output channel, and a
 * warning names them once per change. The returned disposable stops watching.
 */
export function watchSettings(output: vscode.OutputChannel): vscode.Disposable {
  const report = (): void => {
    const { problems } = readSettings();
    for (const p of problems) output.appendLine(`settings: ${p}`);
    if (problems.length > 0) {
      // Not awaited: the promise settles only when the user dismisses the notification.
      void vscode.window.showWarningMessage(`Cache Workbench settings: ${problems.join('; ')}`);
    }
  };
  report();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(ids.configSection)) report();
  });
}
