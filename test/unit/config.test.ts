// The settings reader on a stand-in for VS Code's configuration object: a key set under `cacheWorkbench.` that is not a
// setting (a misspelt name, which would otherwise do nothing) is reported, with the setting it probably meant.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../src/config';
import { DEFAULTS, section } from './support/configSection';


describe('readSettings and keys that are not settings', () => {
  it('reports nothing for the defaults', () => {
    assert.deepEqual(readSettings(section(DEFAULTS)).problems, []);
  });

  it('names each key set that is not a setting, with the setting it probably meant, and keeps the rest', () => {
    const { settings, problems } = readSettings(section({
      ...DEFAULTS,
      db: { latencyMs: 25, latency: 50, latenc: { ms: 5 } },
      writeBehind: { ...DEFAULTS.writeBehind, flushInterval: 100 },
      cache: { ...DEFAULTS.cache, latencyMs: 'x' },
      lessonTheme: { dark: true },
    }));
    assert.deepEqual(problems, [
      'cacheWorkbench.cache.latencyMs must be a whole number from 0 to 60000; using 1',
      'cacheWorkbench.db.latency is not a setting (did you mean cacheWorkbench.db.latencyMs?); it is ignored',
      // `cacheWorkbench.db.latenc.ms`, nested at its dots by VS Code: named whole, not as db.latenc.
      'cacheWorkbench.db.latenc.ms is not a setting (did you mean cacheWorkbench.db.latencyMs?); it is ignored',
      'cacheWorkbench.writeBehind.flushInterval is not a setting (did you mean cacheWorkbench.writeBehind.flushIntervalMs?); it is ignored',
      'cacheWorkbench.lessonTheme.dark is not a setting (settings: defaultStrategy, cache.latencyMs, cache.capacity, db.latencyMs, '
        + 'writeBehind.flushIntervalMs, writeBehind.batchSize, writeBehind.coalescing, writeBehind.wal, animation.speed, '
        + 'animation.reducedMotion); it is ignored',
    ]);
    assert.equal(settings.db.latencyMs, 25);
    assert.equal(settings.writeBehind.flushIntervalMs, 5000);
  });

  it('reports a group of settings set to a value as a key that is not a setting, and judges a setting\'s own value as its kind', () => {
    const { settings, problems } = readSettings(section({ ...DEFAULTS, animation: 2, writeBehind: { ...DEFAULTS.writeBehind, wal: { on: true } } }));
    assert.deepEqual(problems, [
      'cacheWorkbench.writeBehind.wal must be true or false; using false',
      'cacheWorkbench.animation is not a setting (did you mean cacheWorkbench.animation.speed?); it is ignored',
    ]);
    assert.equal(settings.animation.speed, 1);
  });
});
