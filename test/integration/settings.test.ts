// Settings: defaults read clean, and a bad value in the workspace is reported and replaced by the default.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import { readSettings } from '../../src/config';
import { activate, manifest, within } from './helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(ids.configSection);
const target = (): vscode.ConfigurationTarget =>
  vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;

export function settingsSuite(): void {
  suite('Settings', () => {
    const touched = ['db.latencyMs', 'defaultStrategy', 'animation.speed', 'writeBehind.coalescing'];

    suiteSetup(async () => {
      await activate();
    });

    teardown(async () => {
      for (const key of touched) await config().update(key, undefined, target());
    });

    test('defaults read back without problems and match package.json', () => {
      const { settings, problems } = readSettings();
      assert.deepEqual(problems, []);
      const props = manifest().contributes.configuration.properties;
      const flat: Record<string, unknown> = {
        defaultStrategy: settings.defaultStrategy,
        'cache.latencyMs': settings.cache.latencyMs,
        'db.latencyMs': settings.db.latencyMs,
        'cache.capacity': settings.cache.capacity,
        'writeBehind.flushIntervalMs': settings.writeBehind.flushIntervalMs,
        'writeBehind.batchSize': settings.writeBehind.batchSize,
        'writeBehind.coalescing': settings.writeBehind.coalescing,
        'writeBehind.wal': settings.writeBehind.wal,
        'animation.speed': settings.animation.speed,
        'animation.reducedMotion': settings.animation.reducedMotion,
      };
      assert.deepEqual(Object.keys(props).sort(), Object.keys(flat).map((k) => `${ids.configSection}.${k}`).sort());
      for (const [key, value] of Object.entries(flat)) assert.deepEqual(value, props[`${ids.configSection}.${key}`]?.default, key);
    });

    test('a valid workspace value is used', async () => {
      await config().update('db.latencyMs', 25, target());
      const { settings, problems } = readSettings();
      assert.deepEqual(problems, []);
      assert.equal(settings.db.latencyMs, 25);
    });

    test('bad values are reported and replaced by their defaults', async () => {
      await config().update('db.latencyMs', -5, target());
      await config().update('defaultStrategy', 'write-sideways', target());
      await config().update('animation.speed', 3, target());
      await config().update('writeBehind.coalescing', 'yes', target());
      const { settings, problems } = readSettings();
      assert.deepEqual(problems, [
        'cacheWorkbench.defaultStrategy must be one of write-through, write-behind, write-around, cache-aside, write-through+cache-aside; using write-through',
        'cacheWorkbench.db.latencyMs must be a whole number from 0 to 60000; using 10',
        'cacheWorkbench.writeBehind.coalescing must be true or false; using true',
        'cacheWorkbench.animation.speed must be one of 0.5, 1, 2, 4; using 1',
      ]);
      assert.equal(settings.db.latencyMs, 10);
      assert.equal(settings.defaultStrategy, 'write-through');
      assert.equal(settings.animation.speed, 1);
      assert.equal(settings.writeBehind.coalescing, true);
    });

    test('an explicit null is a value of the wrong kind, reported like any other', async () => {
      await config().update('db.latencyMs', null, target());
      // VS Code hands the null over as it is (not the default).
      assert.equal(config().get('db.latencyMs'), null);
      const { settings, problems } = readSettings();
      assert.deepEqual(problems, ['cacheWorkbench.db.latencyMs must be a whole number from 0 to 60000; using 10']);
      assert.equal(settings.db.latencyMs, 10);
    });

    test('a key that is not a setting, written into settings.json by hand, is reported with the setting it meant', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder, 'the integration run opens a workspace folder');
      // VS Code's API refuses to write a key no extension contributes: the learner's way is the file itself.
      const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
      const before = await vscode.workspace.fs.readFile(file).then((b) => new TextDecoder().decode(b), () => undefined);
      const changed = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeConfiguration((e) => {
          if (!e.affectsConfiguration(`${ids.configSection}.db`)) return;
          listener.dispose();
          resolve();
        });
      });
      const values = { ...(before ? (JSON.parse(before) as object) : {}), [`${ids.configSection}.db.latency`]: 50 };
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(values)));
      try {
        await within(changed, 10_000, 'the settings change');
        const { settings, problems } = readSettings();
        assert.deepEqual(problems, ['cacheWorkbench.db.latency is not a setting (did you mean cacheWorkbench.db.latencyMs?); it is ignored']);
        assert.equal(settings.db.latencyMs, 10);
      } finally {
        if (before === undefined) await vscode.workspace.fs.delete(file);
        else await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(before));
      }
    });
  });
}
