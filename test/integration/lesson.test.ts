// The lesson panel in a real VS Code: the commands open it at the right section, a malformed message from the page is
// rejected and logged without breaking it, a snippet's Copy reaches the clipboard and Open in editor a real editor in
// its language, and the page's state survives closing and reopening the panel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import { findSnippet } from '../../src/lesson/snippets';
import type { CacheWorkbenchApi } from '../../src/extension';
import { activate } from './helpers';

/** Polls `check` until it holds (the page answers asynchronously), running `refresh` before each look. */
async function until(check: () => boolean, what: string, ms = 20_000, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + ms;
  await refresh?.();
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
    await refresh?.();
  }
}

export function lessonSuite(): void {
  suite('Lesson panel', () => {
    let api: CacheWorkbenchApi;
    const shows = (section: string) => (): boolean => {
      const s = api.lesson.panelState();
      return s.open && s.ready && s.ui?.route === 'lesson' && s.ui.section === section;
    };

    suiteSetup(async () => {
      api = await activate();
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('Open Lesson and Open Workbench open the panel at the section they are given', async () => {
      await vscode.commands.executeCommand(ids.commands.openLesson, 'write-behind');
      await until(shows('write-behind'), 'the write-behind section');
      await vscode.commands.executeCommand(ids.commands.openWorkbench, { section: 'durability' });
      await until(shows('durability'), 'the durability section');
      // An argument that is not a section (a menu passes odd things) keeps the panel where it is.
      await vscode.commands.executeCommand(ids.commands.openWorkbench, 42);
      await until(shows('durability'), 'the durability section, still');
    });

    test('a malformed message from the page is rejected with a logged reason, and the page keeps working', async () => {
      await vscode.commands.executeCommand(ids.commands.openLesson, 'write-through');
      await until(shows('write-through'), 'the write-through section');
      const before = api.lesson.panelState().rejectedMessages;
      for (const raw of [null, 'lesson/open', { type: 'no/such-message' }, { type: 'lesson/open' }, { type: 'lesson/open', section: 7 }]) {
        const reason = api.lesson.receiveFromPanelForTest(raw);
        assert.ok(reason && reason.length > 10, `no reason for ${JSON.stringify(raw)}`);
      }
      assert.equal(api.lesson.panelState().rejectedMessages, before + 5);
      // Still answering: the next command moves it.
      await vscode.commands.executeCommand(ids.commands.openWorkbench, 'hybrid');
      await until(shows('hybrid'), 'the hybrid section after the rejected messages');
    });

    test('Copy puts the snippet\'s code on the clipboard, exactly as the lesson shows it', async () => {
      await vscode.commands.executeCommand(ids.commands.openLesson, 'write-behind');
      await until(shows('write-behind'), 'the write-behind section');
      for (const language of ['python', 'typescript'] as const) {
        const snippet = findSnippet('write-behind', language);
        assert.ok(snippet);
        await vscode.env.clipboard.writeText('before');
        assert.equal(api.lesson.receiveFromPanelForTest({ type: 'snippet/copy', strategy: 'write-behind', language }), undefined);
        let text = '';
        await until(() => text === snippet.code, `the ${language} snippet on the clipboard (has ${JSON.stringify(text.slice(0, 40))})`, 10_000, async () => {
          text = await vscode.env.clipboard.readText();
        });
      }
    });

    test('Open in editor opens the snippet in a real editor in its language, Python and TypeScript', async () => {
      await vscode.commands.executeCommand(ids.commands.openLesson, 'write-through');
      await until(shows('write-through'), 'the write-through section');
      for (const language of ['python', 'typescript'] as const) {
        const snippet = findSnippet('write-through', language);
        assert.ok(snippet);
        assert.equal(api.lesson.receiveFromPanelForTest({ type: 'snippet/openInEditor', strategy: 'write-through', language }), undefined);
        // The editor opens empty and is filled once shown (see showUntitledBeside).
        const holdsIt = (): boolean => {
          const doc = vscode.window.activeTextEditor?.document;
          return doc?.languageId === language && doc.getText() === snippet.code;
        };
        await until(holdsIt, `a ${language} editor holding the snippet`);
        const first = vscode.window.activeTextEditor?.document;
        assert.equal(first?.isUntitled, true, 'a new editor, not a file of the extension');
        // A second click shows the same document again rather than opening another tab with the same text.
        await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
        await until(() => vscode.window.activeTextEditor?.document !== first, 'the focus to leave the snippet');
        assert.equal(api.lesson.receiveFromPanelForTest({ type: 'snippet/openInEditor', strategy: 'write-through', language }), undefined);
        await until(() => vscode.window.activeTextEditor?.document === first, 'the same untitled document shown again');
        const copies = vscode.workspace.textDocuments.filter((d) => d.isUntitled && !d.isClosed && d.getText() === snippet.code);
        assert.equal(copies.length, 1, 'one untitled copy of the snippet after two clicks');
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    test('Open in editor puts the snippet in the editor group beside the panel, not in a third column', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const notes = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'notes' });
      await vscode.window.showTextDocument(notes, { viewColumn: vscode.ViewColumn.One });
      // The panel beside the notes: two groups.
      await vscode.commands.executeCommand(ids.commands.openLesson, 'write-behind');
      await until(shows('write-behind'), 'the write-behind section');
      const panelGroup = (): vscode.TabGroup | undefined => vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview));
      await until(() => panelGroup() !== undefined, 'the panel among the tabs');
      // It opened over the notes, in their group: the learner drags it to a group of its own, beside them.
      if (vscode.window.tabGroups.all.length === 1) {
        await vscode.commands.executeCommand('workbench.action.moveEditorToNextGroup');
        await until(() => vscode.window.tabGroups.all.length === 2 && panelGroup()?.viewColumn === vscode.ViewColumn.Two, 'the panel in a second group');
      }
      const groups = vscode.window.tabGroups.all.length;
      assert.equal(groups, 2);
      const snippet = findSnippet('write-behind', 'python');
      assert.ok(snippet);
      assert.equal(api.lesson.receiveFromPanelForTest({ type: 'snippet/openInEditor', strategy: 'write-behind', language: 'python' }), undefined);
      await until(() => vscode.window.activeTextEditor?.document.getText() === snippet.code, 'an editor holding the snippet');
      const editor = vscode.window.activeTextEditor;
      assert.notEqual(editor?.viewColumn, panelGroup()?.viewColumn, 'not over the panel');
      assert.equal(vscode.window.tabGroups.all.length, 2, 'no third group: the notes\' group beside the panel took it');
      assert.equal(editor?.viewColumn, vscode.ViewColumn.One);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('the section shown survives closing and reopening the panel', async () => {
      await vscode.commands.executeCommand(ids.commands.openWorkbench, 'write-around');
      await until(shows('write-around'), 'the write-around section');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until(() => !api.lesson.panelState().open, 'the panel to close');
      await vscode.commands.executeCommand(ids.commands.openLesson);
      await until(shows('write-around'), 'the write-around section after reopening');
      assert.equal(api.lesson.progress.view().lastSection, 'write-around');
    });
  });
}
