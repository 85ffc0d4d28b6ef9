// Scenario files in a real VS Code: Open Example, diagnostics while typing, Run Scenario, and a debug session that
// stops where expected and steps forward and back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import type { ScenarioPosition } from '../../src/debug/runtime';
import { defaultPlaygroundConfig, playgroundToScenario } from '../../src/scenario/playground';
import { activate, extension, scenarioFile, within } from './helpers';

const EXAMPLE = 'c08-write-behind-crash-loses-writes.cachescenario';

/** Resolves on the next event that satisfies `pick`. */
function bundledUri(): vscode.Uri {
  return vscode.Uri.joinPath(extension().extensionUri, 'scenarios', EXAMPLE);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

/** The tab showing the learner's copy of EXAMPLE, in any group. */
function copyTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith(`/examples/${EXAMPLE}`));
}

function next<T>(event: vscode.Event<T>, pick: (e: T) => boolean, ms: number, what: string): Promise<T> {
  let sub: vscode.Disposable | undefined;
  const p = new Promise<T>((resolve) => {
    sub = event((e) => {
      if (pick(e)) resolve(e);
    });
  });
  return within(p, ms, what).finally(() => sub?.dispose());
}

/**
 * The scenario language's diagnostics of `doc` once they satisfy `check` (they arrive after a pause in typing);
 * rejects after 10 s. The listener is disposed either way.
 */
async function scenarioDiagnosticsUntil(doc: vscode.TextDocument, check: (d: readonly vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const now = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === ids.language);
  let sub: vscode.Disposable | undefined;
  const settled = new Promise<vscode.Diagnostic[]>((resolve) => {
    if (check(now())) return resolve(now());
    sub = vscode.languages.onDidChangeDiagnostics(() => {
      if (check(now())) resolve(now());
    });
  });
  try {
    return await within(settled, 10_000, what);
  } finally {
    sub?.dispose();
  }
}

async function position(session: vscode.DebugSession): Promise<ScenarioPosition> {
  return (await session.customRequest('cacheScenario/position')) as ScenarioPosition;
}

/** Waits (up to 15 s) until a session just started answers where it stands: its entry stop. */
async function entryStop(session: vscode.DebugSession): Promise<ScenarioPosition> {
  return within(
    (async () => {
      for (;;) {
        const p = await position(session).catch(() => undefined);
        if (p) return p;
        await new Promise((r) => setTimeout(r, 100));
      }
    })(),
    15_000,
    'the entry stop',
  );
}

export function scenariosSuite(): void {
  suite('Scenarios', () => {
    suiteSetup(async () => {
      await activate();
    });

    teardown(async () => {
      await vscode.debug.stopDebugging();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('Open Example Scenario opens a copy of a bundled scenario as a cachescenario document', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor | undefined;
      assert.ok(editor, 'no editor was opened');
      assert.equal(editor.document.languageId, ids.language);
      // The learner's copy in the extension's global storage, a real file the debugger can read; not the installed one.
      const uri = editor.document.uri;
      assert.equal(uri.scheme, 'file', uri.toString());
      assert.ok(uri.path.endsWith(`/examples/${EXAMPLE}`), uri.toString());
      assert.notEqual(uri.toString(), bundledUri().toString(), 'the installed scenario itself was opened');
      assert.equal(editor.document.getText(), await readText(bundledUri()));
      assert.match(editor.document.lineAt(0).text, /^# C8: /);
    });

    test('saving an edit to an opened example changes the copy only; opening it again keeps the edit, and it still runs', async () => {
      const api = await activate();
      const bundled = await readText(bundledUri());
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const copy = editor.document.uri;
      try {
        assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# my note\n')));
        assert.ok(await editor.document.save());
        assert.equal(await readText(bundledUri()), bundled, 'the installed scenario is unchanged');
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        const again = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
        assert.equal(again.document.uri.toString(), copy.toString());
        assert.equal(again.document.lineAt(0).text, '# my note', 'the edit is kept');
        const outcome = await api.language.runScenario(copy);
        assert.equal(outcome.kind, 'ran');
        if (outcome.kind === 'ran') assert.equal(outcome.failed, 0);
      } finally {
        // As shipped again, for the tests after this one.
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode(bundled));
      }
    });

    test('the Run and Step Through CodeLenses use codicons, with no character a font may lack', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      const ours = lenses.filter((l) => l.command?.command.startsWith('cacheWorkbench.'));
      assert.deepEqual(ours.map((l) => [l.command?.title, l.command?.command]), [
        ['$(play) Run', ids.commands.runScenario],
        ['$(debug-alt) Step Through', ids.commands.stepThroughScenario],
      ]);
      for (const l of ours) assert.match(l.command?.title ?? '', /^[\x20-\x7e]+$/, 'ASCII only: icons come from $(codicon) names');
    });

    test('the Outline lists a scenario\'s statements under the comments that head its parts', async () => {
      const { document: doc } = await scenarioFile(
        'strategy write-behind\n\n# Two writes, one flush\nwrite k 1\nwrite k 2\nadvance 5s\n\n# What the database holds\nexpect db k == 2\n',
      );
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      const shape = (x: vscode.DocumentSymbol): unknown => [x.name, vscode.SymbolKind[x.kind], x.selectionRange.start.line, x.children.map(shape)];
      assert.deepEqual(symbols.map(shape), [
        ['strategy write-behind', 'Class', 0, []],
        ['Two writes, one flush', 'String', 2, [['write k 1', 'Method', 3, []], ['write k 2', 'Method', 4, []], ['advance 5s', 'Event', 5, []]]],
        ['What the database holds', 'String', 7, [['expect db k == 2', 'Boolean', 8, []]]],
      ]);
    });

    test('Export writes the playground run to the chosen .cachescenario file and opens it, and that file runs', async () => {
      const api = await activate();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file('/tmp');
      const target = vscode.Uri.joinPath(folder, `exported-${Date.now()}.cachescenario`);
      const config = defaultPlaygroundConfig();
      try {
        // A target given: no save dialog (the learner's path, without one, asks where to save).
        const outcome = await api.lesson.exportPlayground(config, target);
        assert.equal(outcome.kind, 'saved');
        assert.equal(await readText(target), playgroundToScenario(config));
        const active = vscode.window.activeTextEditor?.document;
        assert.equal(active?.uri.toString(), target.toString(), 'the exported file is open');
        assert.equal(active?.isUntitled, false);
        assert.equal(active?.languageId, ids.language);
        const run = await api.language.runScenario(target);
        assert.equal(run.kind, 'ran');

        // Settings that do not validate write nothing.
        const other = vscode.Uri.joinPath(folder, `invalid-${Date.now()}.cachescenario`);
        const invalid = await api.lesson.exportPlayground({ ...config, strategy: 'write-sideways' }, other);
        assert.equal(invalid.kind, 'invalid');
        await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(other)));
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      }
    });

    test('a broken scenario gets diagnostics with the line, column and what was expected', async () => {
      const { document: doc } = await scenarioFile('strategy write-behind\nset writeBehind.flushInterval 5 sec\nwrite p {"a": 1}\n');
      const diags = await within(
        new Promise<readonly vscode.Diagnostic[]>((resolve) => {
          const check = (): boolean => {
            const d = vscode.languages.getDiagnostics(doc.uri);
            if (d.length > 0) resolve(d);
            return d.length > 0;
          };
          if (!check()) {
            const sub = vscode.languages.onDidChangeDiagnostics(() => {
              if (check()) sub.dispose();
            });
          }
        }),
        10_000,
        'diagnostics for the broken scenario',
      );
      assert.equal(diags.length, 1);
      const d = diags[0] as vscode.Diagnostic;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, 1);
      assert.match(d.message, /expected a duration like 250ms, 5s or 2m/);
    });

    test('while typing, the diagnostics follow the text; completion and hover answer in the editor', async () => {
      const editor = await scenarioFile('strategy write-behind\nwrite product:1 {"price": 12}\n');
      const doc = editor.document;
      await scenarioDiagnosticsUntil(doc, (d) => d.length === 0, 'no diagnostics for the valid scenario');
      // Typing a mistake: the edit, not only the opening of a file, brings the diagnostic.
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'set writeBehind.flushInterval 5 sec\n')));
      const [d] = await scenarioDiagnosticsUntil(doc, (x) => x.length === 1, 'a diagnostic for the typed mistake');
      assert.equal(d?.range.start.line, 1);
      assert.match(d?.message ?? '', /expected a duration like 250ms, 5s or 2m/);
      // Fixing it clears it.
      assert.ok(await editor.edit((b) => b.replace(new vscode.Range(1, 30, 1, 35), '5s')));
      await scenarioDiagnosticsUntil(doc, (x) => x.length === 0, 'the diagnostic to clear once the mistake is fixed');
      assert.equal(doc.lineAt(1).text, 'set writeBehind.flushInterval 5s');

      // Completion: the strategies after `strategy `, and the keys already used after `read `.
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount - 1, 0), 'read ')));
      const readLine = doc.lineCount - 1;
      const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(readLine, 5));
      assert.ok(keys.items.some((i) => i.label === 'product:1'), `keys offered after read: ${keys.items.map((i) => String(i.label)).join(', ')}`);
      const strategies = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 9));
      for (const s of ['write-through', 'write-behind', 'write-around', 'cache-aside', 'write-through+cache-aside']) {
        assert.ok(strategies.items.some((i) => i.label === s), `${s} offered after strategy`);
      }
      // Hover: the setting's documentation over its name, the duration in milliseconds over the value.
      const hovers = async (line: number, character: number): Promise<string> => {
        const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character));
        return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      };
      assert.match(await hovers(1, 10), /writeBehind\.flushInterval/);
      assert.match(await hovers(1, 31), /5000 ms/);
      assert.match(await hovers(0, 2), /strategy/i);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('a misspelt word offers a quick fix to the word it meant, and applying the fixes clears the errors', async () => {
      const { document: doc } = await scenarioFile('strategy write-behnid\nwirte k 1\nexpect metric staleRead == 0\n');
      const found = await scenarioDiagnosticsUntil(doc, (d) => d.length === 3, 'three diagnostics for three misspelt words');
      const titles: string[] = [];
      for (const d of found) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
        const ours = actions.filter((a) => a.title.startsWith('Change to '));
        assert.equal(ours.length, 1, `one quick fix for ${d.message}`);
        const fix = ours[0] as vscode.CodeAction;
        assert.equal(fix.isPreferred, true);
        titles.push(fix.title);
        assert.ok(fix.edit !== undefined && (await vscode.workspace.applyEdit(fix.edit)), `the fix for line ${d.range.start.line + 1} applies`);
      }
      assert.deepEqual(titles, ['Change to "write-behind"', 'Change to "write"', 'Change to "staleReads"']);
      await scenarioDiagnosticsUntil(doc, (d) => d.length === 0, 'no diagnostics once every fix is applied');
      assert.equal(doc.getText(), 'strategy write-behind\nwrite k 1\nexpect metric staleReads == 0\n');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('the Hazelcast queue-bound warning offers to add the line that matches Hazelcast, which clears it', async () => {
      const { document: doc } = await scenarioFile('strategy write-behind\npreset hazelcast\nset writeBehind.maxQueue 50\nwrite k 1\n');
      const [d] = await scenarioDiagnosticsUntil(doc, (ds) => ds.length === 1, 'the warning at the queue bound');
      assert.ok(d !== undefined && d.range.start.line === 2 && d.severity === vscode.DiagnosticSeverity.Warning, d?.message);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const add = actions.filter((a) => a.title === 'Add "set writeBehind.coalescing off"');
      assert.equal(add.length, 1, `actions: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(add[0]?.edit !== undefined && (await vscode.workspace.applyEdit(add[0].edit)));
      await scenarioDiagnosticsUntil(doc, (ds) => ds.length === 0, 'no warning once the line is added');
      assert.equal(doc.getText(), 'strategy write-behind\npreset hazelcast\nset writeBehind.maxQueue 50\nset writeBehind.coalescing off\nwrite k 1\n');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('with coalescing turned on by a line of its own below the bound, the Hazelcast quick fix changes that line (CRLF, a trailing comment), which clears the warning', async () => {
      const content = 'strategy write-behind\r\npreset hazelcast\r\nset writeBehind.maxQueue 50 # bound\r\nset writeBehind.coalescing on # as Hazelcast\r\nwrite k 1\r\n';
      const { document: doc } = await scenarioFile(content);
      assert.equal(doc.eol, vscode.EndOfLine.CRLF);
      const [d] = await scenarioDiagnosticsUntil(doc, (ds) => ds.length === 1, 'the warning at the queue bound');
      assert.ok(d !== undefined && d.range.start.line === 2, d?.message);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const preferred = actions.filter((a) => a.isPreferred === true);
      assert.equal(preferred.length, 1, `actions: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(preferred[0]?.edit !== undefined && (await vscode.workspace.applyEdit(preferred[0].edit)));
      // An "off" added below the bound would be overridden by the "on" line after it: the warning would stay.
      await scenarioDiagnosticsUntil(doc, (ds) => ds.length === 0, 'no warning once coalescing is off');
      assert.equal(doc.getText(), 'strategy write-behind\r\npreset hazelcast\r\nset writeBehind.maxQueue 50 # bound\r\nset writeBehind.coalescing off # as Hazelcast\r\nwrite k 1\r\n');
      assert.equal(preferred[0]?.title, 'Change line 4 to "set writeBehind.coalescing off"');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('inline values in the editor: after the crash the acknowledged writes say lost; stepped back before it, pending', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const doc = editor.document;
      const lines = doc.getText().split(/\r?\n/);
      const crashLine = lines.indexOf('crash cache') + 1;
      const writeLines = ['write order:1 "shipped"', 'write order:2 "paid"', 'write order:3 "paid"'].map((l) => lines.indexOf(l) + 1);
      assert.ok(crashLine > 0 && writeLines.every((l) => l > 0 && l < crashLine), 'C8 has its three writes, then the crash');
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, doc.uri), true);
      const session = await started;
      await entryStop(session);
      /** Moves with `request` until the current line satisfies `done`; returns that line. */
      const moveUntil = async (request: string, done: (line: number) => boolean): Promise<number> => {
        for (let i = 0; i < 60; i++) {
          await session.customRequest(request, { threadId: 1 });
          const { line } = await position(session);
          if (done(line)) return line;
        }
        throw new Error(`${request} never reached the line wanted`);
      };
      /** What the editor's inline values provider shows at the end of each line (1-based), as VS Code asks for them. */
      const inlineValues = async (stopped: number): Promise<Map<number, string>> => {
        const all = new vscode.Range(0, 0, doc.lineCount - 1, 0);
        const context = { frameId: 1, stoppedLocation: new vscode.Range(stopped - 1, 0, stopped - 1, 0) };
        const values = await vscode.commands.executeCommand<vscode.InlineValue[]>('vscode.executeInlineValueProvider', doc.uri, all, context);
        const out = new Map<number, string>();
        for (const v of values) {
          // The command hands back plain copies of the provider's values: a text value is the one with `text`.
          const text = (v as Partial<vscode.InlineValueText>).text;
          assert.equal(typeof text, 'string', `an inline value that is not text: ${JSON.stringify(v)}`);
          assert.equal(v.range.start.character, doc.lineAt(v.range.start.line).range.end.character, 'shown after the end of its line');
          out.set(v.range.start.line + 1, text as string);
        }
        return out;
      };
      const past = await moveUntil('next', (l) => l > crashLine);
      let shown = await inlineValues(past);
      assert.deepEqual(writeLines.map((l) => shown.get(l)), ['acknowledged · lost', 'acknowledged · lost', 'acknowledged · lost']);
      assert.equal(shown.get(lines.indexOf('write order:1 "paid"') + 1), 'acknowledged · persisted', 'the write flushed before the crash');
      const before = await moveUntil('stepBack', (l) => l < crashLine);
      shown = await inlineValues(before);
      assert.deepEqual(writeLines.map((l) => shown.get(l)), ['acknowledged · pending in node1/queue', 'acknowledged · pending in node1/queue', 'acknowledged · pending in node1/queue']);
      // After the read: its value, and that it was stale (the crash lost the write the database never got).
      await moveUntil('next', (l) => l > lines.indexOf('read order:2') + 1);
      shown = await inlineValues(lines.indexOf('read order:2') + 2);
      assert.equal(shown.get(lines.indexOf('read order:2') + 1), '"new" · stale');
    });

    test('Run Scenario runs a bundled scenario and every expectation holds', async () => {
      const api = await activate();
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const outcome = await api.language.runScenario(editor.document.uri);
      assert.equal(outcome.kind, 'ran');
      if (outcome.kind === 'ran') {
        assert.equal(outcome.failed, 0);
        assert.ok(outcome.held >= 2, `held ${outcome.held}`);
        // The outcome first, then the file's name: never an absolute path that a toast cuts off before the outcome.
        assert.equal(outcome.notice, `${outcome.held} expectations held — ${EXAMPLE}`);
      }
    });

    test('Run Scenario on a scenario that keeps the simulator busy for hours stops it at the trace limit and reports it', async () => {
      const api = await activate();
      // A retry every millisecond against a database down for 1000 hours: billions of events from seven lines.
      const busy = ['strategy write-behind', 'set writeBehind.flushInterval 1ms', 'set writeBehind.retryDelay 1ms', 'set writeBehind.retryBackoff 1', 'fail db for 1000h', 'write a 1', 'advance 1000h'].join('\n');
      const { document: doc } = await scenarioFile(busy);
      const outcome = await within(api.language.runScenario(doc.uri), 60_000, 'Run Scenario on the busy scenario');
      assert.equal(outcome.kind, 'ran');
      if (outcome.kind === 'ran') assert.equal(outcome.runErrors, 1);
      // The extension host is fine: the next run works as ever.
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const again = await api.language.runScenario(editor.document.uri);
      assert.equal(again.kind === 'ran' ? again.failed + again.runErrors : -1, 0);
    });

    test('the Debug trace page names a scenario outside the workspace by its file name, one inside by its relative path', async () => {
      const api = await activate();
      const text = 'strategy write-through\nwrite k 1\nread k\nexpect value 1\n';
      const outside = vscode.Uri.joinPath(vscode.Uri.file('/tmp'), 'cw-outside', EXAMPLE).fsPath;
      assert.equal(api.lesson.showDebugStep(outside, text, null), true);
      assert.equal(api.lesson.panelState().debugLabel, EXAMPLE);
      assert.equal(api.lesson.panelState().debugTitle, `Stepping ${EXAMPLE}`);
      api.lesson.endDebug(outside);
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder) {
        const inside = vscode.Uri.joinPath(folder.uri, 'sub', EXAMPLE).fsPath;
        assert.equal(api.lesson.showDebugStep(inside, text, null), true);
        assert.equal(api.lesson.panelState().debugLabel, `sub/${EXAMPLE}`);
        api.lesson.endDebug(inside);
      }
    });

    test('a debug session stops on entry, steps statement by statement, and steps back to the same place', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const firstStatement = editor.document.getText().split(/\r?\n/).findIndex((l) => /^\s*strategy\b/.test(l)) + 1;
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      const ok = await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, editor.document.uri);
      assert.equal(ok, true);
      const session = await started;
      assert.equal(session.configuration.program, editor.document.uri.fsPath, 'the debugger steps the opened copy');
      // Stopped on entry at the first statement.
      const entry = await entryStop(session);
      assert.equal(entry.index, -1);
      assert.equal(entry.line, firstStatement);
      await session.customRequest('next', { threadId: 1 });
      const afterNext = await position(session);
      assert.ok(afterNext.line > firstStatement, `line ${afterNext.line}`);
      await session.customRequest('stepIn', { threadId: 1 });
      const afterStepIn = await position(session);
      assert.equal(afterStepIn.index, afterNext.index + 1);
      await session.customRequest('stepBack', { threadId: 1 });
      const back = await position(session);
      assert.deepEqual(back, afterNext);
    });

    test('at the end of the trace the session stays: Continue stops there, again, and Step Back goes back; Stop ends it', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, editor.document.uri), true);
      const session = await started;
      let terminated = false;
      const watch = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) terminated = true;
      });
      try {
        await entryStop(session);
        await session.customRequest('continue', { threadId: 1 });
        const end = await position(session);
        assert.equal(end.index, end.total, 'Continue without breakpoints stops at the end of the trace');
        await session.customRequest('continue', { threadId: 1 });
        assert.equal((await position(session)).index, end.total, 'and stays there');
        // Give a terminated event time to arrive: none must.
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(terminated, false, 'the session ended by itself at the end of the trace');
        assert.equal(vscode.debug.activeDebugSession?.id, session.id);
        await session.customRequest('stepBack', { threadId: 1 });
        assert.equal((await position(session)).index, end.total - 1);
        const ended = next(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id, 15_000, 'the session to end');
        await vscode.debug.stopDebugging(session);
        await ended;
      } finally {
        watch.dispose();
      }
    });

    test('"Move the debugger here" moves only the session stepping that scenario: another scenario\'s click leaves it where it is', async () => {
      const api = await activate();
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, editor.document.uri), true);
      const session = await started;
      const program = String(session.configuration.program);
      try {
        const atEntry = async (): Promise<ScenarioPosition> => {
          for (;;) {
            const p = await position(session).catch(() => undefined);
            if (p) return p;
            await new Promise((r) => setTimeout(r, 100));
          }
        };
        assert.equal((await within(atEntry(), 15_000, 'the entry stop')).index, -1);
        // The bundled original is another file than the copy being debugged: nothing moves.
        assert.notEqual(bundledUri().fsPath, program);
        assert.equal(api.lesson.receiveFromPanelForTest({ type: 'debug/jump', scenario: bundledUri().fsPath, seq: 5 }), undefined);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal((await position(session)).index, -1, "another scenario's step does not move this session");
        // The copy's own diagram does move it, to step 5 (index 4).
        assert.equal(api.lesson.receiveFromPanelForTest({ type: 'debug/jump', scenario: program, seq: 5 }), undefined);
        const moved = await within(
          (async () => {
            for (;;) {
              const p = await position(session);
              if (p.index !== -1) return p;
              await new Promise((r) => setTimeout(r, 100));
            }
          })(),
          15_000,
          'the jump to step 5',
        );
        assert.equal(moved.index, 4);
      } finally {
        const ended = next(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id, 15_000, 'the session to end');
        await vscode.debug.stopDebugging(session);
        await ended;
      }
    });

    test('Run Without Debugging runs the scenario through, and its session ends by itself', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const ended = next(vscode.debug.onDidTerminateDebugSession, (s) => s.type === ids.debugType, 15_000, 'the session to end by itself');
      const stops: unknown[] = [];
      const watch = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === ids.debugType && e.event === 'cacheScenario/step') stops.push(e.body);
      });
      try {
        const config = { type: ids.debugType, request: 'launch', name: 'Run C8', program: editor.document.uri.fsPath };
        assert.equal(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], config, { noDebug: true }), true);
        await ended;
        assert.deepEqual(stops, [], 'it never stopped');
      } finally {
        watch.dispose();
      }
    });

    test('Start Without Debugging (Ctrl+F5) with no launch.json runs the active scenario through: no stop, the verdicts, the session ends', async () => {
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      await vscode.window.showTextDocument(editor.document);
      // What the adapter says to VS Code: any stop, and the Debug Console's lines.
      const sent: { type: string; event?: string; body?: { output?: string } }[] = [];
      const tracker = vscode.debug.registerDebugAdapterTrackerFactory(ids.debugType, {
        createDebugAdapterTracker: () => ({ onDidSendMessage: (m: { type: string; event?: string; body?: { output?: string } }) => sent.push(m) }),
      });
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the session to start');
      const ended = next(vscode.debug.onDidTerminateDebugSession, (s) => s.type === ids.debugType, 15_000, 'the session to end by itself');
      try {
        // The workspace has no launch.json: VS Code resolves `{ noDebug: true }`, with no type, request or name.
        await vscode.commands.executeCommand('workbench.action.debug.run');
        const session = await started;
        assert.equal(session.configuration.noDebug, true, 'the resolved configuration keeps noDebug');
        assert.equal(session.configuration.program, editor.document.uri.fsPath);
        await ended;
        const events = sent.filter((m) => m.type === 'event');
        assert.deepEqual(events.filter((m) => m.event === 'stopped'), [], 'it never stopped');
        const output = events.flatMap((m) => (m.event === 'output' ? [m.body?.output ?? ''] : [])).join('');
        assert.match(output, /without debugging\./);
        assert.match(output, /^ok {3}line \d+: /m);
        assert.match(output, /Scenario finished: (\d+) of \1 expectations held/);
      } finally {
        tracker.dispose();
      }
    });

    test('an open workbench panel in the scenario\'s editor group moves beside it and stays in view while stepping', async () => {
      const api = await activate();
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const column = editor.viewColumn ?? vscode.ViewColumn.One;
      // The panel opens in the scenario's group, then the scenario comes to the front: the panel is hidden behind it.
      api.lesson.openPanel(undefined, { column });
      await within(
        new Promise<void>((resolve) => {
          if (api.lesson.panelState().visible) resolve();
          const sub = api.lesson.onDidChangePanelState((st) => {
            if (st.visible) {
              sub.dispose();
              resolve();
            }
          });
        }),
        15_000,
        'the panel to show',
      );
      await vscode.window.showTextDocument(editor.document, { viewColumn: column });
      assert.equal(api.lesson.panelState().visible, false, 'the scenario hides the panel in their shared group');
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, editor.document.uri), true);
      const session = await started;
      const panelGroup = (): vscode.ViewColumn | undefined =>
        vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(ids.panels.workbench)))?.viewColumn;
      const inView = async (what: string): Promise<void> => {
        await within(
          (async () => {
            while (!api.lesson.panelState().visible) await new Promise((r) => setTimeout(r, 100));
          })(),
          10_000,
          `the panel to be in view ${what}`,
        );
        assert.notEqual(panelGroup(), column, `the panel is beside the scenario ${what}`);
      };
      await entryStop(session);
      await inView('on entry');
      for (const [i, move] of ['next', 'next', 'stepIn', 'stepBack', 'continue', 'reverseContinue'].entries()) {
        await session.customRequest(move, { threadId: 1 });
        await inView(`after ${move} (#${i + 1})`);
      }
      const tab = vscode.window.tabGroups.all.find((g) => g.viewColumn === column)?.activeTab?.input;
      assert.ok(tab instanceof vscode.TabInputText && tab.uri.fsPath === editor.document.uri.fsPath, 'the scenario is still in front in its group');
    });

    test('a panel opened over the stopped scenario, in its group, moves beside it at the next step', async () => {
      const api = await activate();
      const editor = (await vscode.commands.executeCommand(ids.commands.openExample, EXAMPLE)) as vscode.TextEditor;
      const column = editor.viewColumn ?? vscode.ViewColumn.One;
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(await vscode.commands.executeCommand<boolean>(ids.commands.stepThroughScenario, editor.document.uri), true);
      const session = await started;
      await entryStop(session);
      // The learner opens the panel while stopped: it lands in front, in the scenario's own group.
      api.lesson.openPanel(undefined, { column });
      const panelGroup = (): vscode.ViewColumn | undefined => vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(ids.panels.workbench)))?.viewColumn;
      await within(
        (async () => {
          while (panelGroup() === undefined) await new Promise((r) => setTimeout(r, 100));
        })(),
        15_000,
        'the panel to open',
      );
      for (const move of ['next', 'next']) {
        await session.customRequest(move, { threadId: 1 });
        await within(
          (async () => {
            while (!api.lesson.panelState().visible || panelGroup() === column) await new Promise((r) => setTimeout(r, 100));
          })(),
          10_000,
          `the panel in view beside the scenario after ${move}`,
        );
      }
      const tab = vscode.window.tabGroups.all.find((g) => g.viewColumn === column)?.activeTab?.input;
      assert.ok(tab instanceof vscode.TabInputText && tab.uri.fsPath === editor.document.uri.fsPath, 'the scenario is in front in its group');
    });

    test('the lesson\'s "step through" link debugs the copy of the example', async () => {
      const api = await activate();
      api.lesson.openPanel();
      const started = next(vscode.debug.onDidStartDebugSession, (s) => s.type === ids.debugType, 15_000, 'the debug session to start');
      assert.equal(api.lesson.receiveFromPanelForTest({ type: 'scenario/open', file: EXAMPLE, mode: 'step' }), undefined);
      const session = await started;
      const program = String(session.configuration.program);
      assert.ok(program.endsWith(`examples/${EXAMPLE}`) || program.endsWith(`examples\\${EXAMPLE}`), program);
      assert.notEqual(program, bundledUri().fsPath);
      // Stepped through, the copy stays open when the learner opens something else: a tab of its own, not a preview.
      const tab = copyTab();
      assert.ok(tab, 'the copy has a tab');
      assert.equal(tab.isPreview, false);
    });

    test('the lesson\'s "open" link shows the copy of the example beside the lesson, in a preview tab', async () => {
      const api = await activate();
      api.lesson.openPanel();
      assert.equal(api.lesson.receiveFromPanelForTest({ type: 'scenario/open', file: EXAMPLE, mode: 'edit' }), undefined);
      await within(
        (async () => {
          while (copyTab() === undefined) await new Promise((r) => setTimeout(r, 100));
        })(),
        10_000,
        'a tab for the copy',
      );
      const tab = copyTab();
      assert.ok(tab);
      // A look at the example: the next file opened takes its place, as a file clicked once in the Explorer does.
      assert.equal(tab.isPreview, true);
      const panelGroup = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(ids.panels.workbench)));
      assert.ok(panelGroup, 'the lesson panel is open');
      assert.notEqual(tab.group.viewColumn, panelGroup.viewColumn, 'beside the lesson, not over it');
      assert.equal(vscode.debug.activeDebugSession, undefined, 'opening does not start the debugger');
    });
  });
}
