// The settings reader's input in unit tests: a stand-in for `vscode.workspace.getConfiguration('cacheWorkbench')`,
// and the settings' defaults as a section holds them.
import type { ConfigSource } from '../../../src/config';

/** As `vscode.workspace.getConfiguration('cacheWorkbench')` is: the API's functions and the section's values, nested at the dots. */
export function section(values: Record<string, unknown>): ConfigSource {
  const get = (key: string): unknown =>
    key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), values);
  // Through a variable: the stand-in carries the section's values too, as VS Code's object does.
  const source = { has: (key: string) => get(key) !== undefined, get, ...values };
  return source;
}

/** Every setting at its default. */
export const DEFAULTS = {
  defaultStrategy: 'write-through',
  cache: { latencyMs: 1, capacity: 1000 },
  db: { latencyMs: 10 },
  writeBehind: { flushIntervalMs: 5000, batchSize: 100, coalescing: true, wal: false },
  animation: { speed: 1, reducedMotion: 'auto' },
};
