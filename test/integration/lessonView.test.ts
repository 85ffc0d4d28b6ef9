// The sidebar lesson view: opening the activity-bar container resolves its webview provider.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import { activate, within } from './helpers';

export function lessonViewSuite(): void {
  suite('Lesson view', () => {
    test('opening the Cache Workbench container resolves the lesson view', async () => {
      const api = await activate();
      await vscode.commands.executeCommand(`workbench.view.extension.${ids.views.container}`);
      await within(api.lessonViewResolved, 20_000, 'resolving the lesson view');
      // The view is focusable by its id once resolved.
      await vscode.commands.executeCommand(`${ids.views.lesson}.focus`);
      assert.ok(true);
    });
  });
}
