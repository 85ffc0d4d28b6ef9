// Settings in a real VS Code: a value of the wrong kind is named in a warning, and settings changed while the workbench
// panel is open reach it, so a playground opened afterwards starts from them (not from the ones the panel opened with).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchForFile } from './harness';
import { journey, waitUntil } from './journeys';

const workbench = workbenchForFile({ name: 'settings' });

test('settings changed while the panel is open: a bad value is named in a warning, and a playground opened then starts from the new defaults, which an untouched form follows', { timeout: 120_000 }, async () => {
  const w = workbench();
  await journey(w, 'settings', async () => {
    await w.runCommand('Open Workbench');
    const frame = await w.webviewFrame('workbench');
    await frame.locator('.cw-app[data-route="lesson"]').waitFor({ timeout: 30_000 });
    // The page has its state/init (the settings it starts from); a page that never got it is what this file once caught.
    await frame.locator('.cw-app[data-initialised="yes"]').waitFor({ timeout: 30_000 });

    // Workspace settings, as a learner edits .vscode/settings.json: two new defaults and one value VS Code does not offer.
    mkdirSync(join(w.workspace, '.vscode'), { recursive: true });
    writeFileSync(join(w.workspace, '.vscode', 'settings.json'), JSON.stringify({
      'cacheWorkbench.defaultStrategy': 'write-around',
      'cacheWorkbench.db.latencyMs': 25,
      'cacheWorkbench.cache.capacity': 0,
    }, null, 2));
    // The warning says the change arrived, and what the bad value should have been (none of them is an animation setting,
    // which the panel was always sent).
    await w.notification('cacheWorkbench.cache.capacity must be a whole number from 1 to 1000000; using 1000').waitFor({ timeout: 30_000 });

    await frame.locator('.cw-pages button[data-route="playground"]').click();
    await frame.locator('.cw-app[data-route="playground"]').waitFor({ timeout: 20_000 });
    // The page may get the settings a moment after it shows (a form nobody has touched takes them when they come).
    const form = async (): Promise<string[]> => [await frame.locator('#cw-pg-strategy').inputValue(), await frame.locator('#cw-pg-settings-db-latency').inputValue()];
    await waitUntil(async () => (await form()).join() === 'write-around,25', 'the playground form showing the new defaults', 10_000)
      .catch(async (err: unknown) => {
        const initialised = await frame.locator('.cw-app').getAttribute('data-initialised').catch(() => null);
        assert.fail(`${String(err)}; the form shows ${JSON.stringify(await form())}; the page's state/init came: ${initialised ?? '?'}`);
      });

    // While the playground shows, untouched, another change of the settings reaches its form; once the learner has typed
    // in it, a change leaves the form as the learner made it.
    const settingsFile = (dbLatencyMs: number, capacity: number): void => writeFileSync(join(w.workspace, '.vscode', 'settings.json'), JSON.stringify({
      'cacheWorkbench.defaultStrategy': 'write-around',
      'cacheWorkbench.db.latencyMs': dbLatencyMs,
      'cacheWorkbench.cache.capacity': capacity,
    }, null, 2));
    settingsFile(40, 500);
    await waitUntil(async () => (await form()).join() === 'write-around,40', 'the open playground form taking the changed default', 20_000);
    assert.equal(await frame.locator('#cw-pg-settings-cache-capacity').inputValue(), '500');
    await frame.locator('#cw-pg-settings-cache-latency').fill('3');
    await w.clearNotifications();
    settingsFile(55, -1);
    // The extension has read the change once it warns about the capacity; the page gets it in the same turn.
    await w.notification('cacheWorkbench.cache.capacity must be a whole number from 1 to 1000000; using 1000').waitFor({ timeout: 30_000 });
    await w.page.waitForTimeout(1000);
    assert.deepEqual(await form(), ['write-around', '40']);
    assert.equal(await frame.locator('#cw-pg-settings-cache-latency').inputValue(), '3');
  });
});
