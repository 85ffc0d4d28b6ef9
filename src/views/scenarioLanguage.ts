// Editor integration of `.cachescenario` files: live diagnostics and their quick fixes, completion, hover, Run / Step
// Through code lenses, and the Run Scenario command's work (parse, run on the engine, report to the output channel).
import * as vscode from 'vscode';
import { ids } from '../constants';
import { plural } from '../model/words';
import { parseScenario } from '../scenario/parser';
import { completeAt, wordRangeAt } from '../scenario/completion';
import { hoverAt } from '../scenario/hover';
import { suggestedLine, suggestedLineFix, suggestedReplacement } from '../scenario/fixes';
import { outlineOf } from '../scenario/outline';
import type { OutlineItem, OutlineKind } from '../scenario/outline';
import { diagnosticLine } from '../scenario/ast';
import type { Diagnostic as ScenarioDiagnostic } from '../scenario/ast';
import type { CompletionKind } from '../scenario/completion';
import { parseErrorNotice, runNotice } from './runNotice';
import { scenarioLabel } from './scenarioLabel';
import { EngineRunner } from './engineRunner';

/** How long typing must pause before a document is parsed again. */
const DIAGNOSTICS_DELAY_MS = 200;
/** Trace steps Run Scenario writes to the output channel; the rest are counted, and the CLI prints them all. */
const OUTPUT_STEPS = 5000;

const SELECTOR: vscode.DocumentSelector = { language: ids.language };

export interface ScenarioLanguageDeps {
  /** Seed for scenario runs; undefined keeps the engine's default, so a run matches `cache-workbench run FILE`. */
  seed?: () => number | undefined;
  /**
   * Also register the `cacheWorkbench.runScenario` command here. Off by default: views/commands.ts registers every
   * command id of package.json, and VS Code refuses a second registration; its handler should call `runScenario`.
   */
  registerRunCommand?: boolean;
}

/** What one Run Scenario did; returned for the integration tests, ignored by the command. */
export type RunOutcome =
  | { kind: 'no-document' }
  /** The command was given an argument that names no scenario file (views/commands.ts says what it expected). */
  | { kind: 'bad-argument'; message: string }
  /** The file named is not a scenario (another language, not named `.cachescenario`): nothing run, nothing marked. */
  | { kind: 'not-a-scenario'; languageId: string }
  | { kind: 'parse-errors'; errors: number }
  | { kind: 'crashed'; message: string }
  /** A newer Run Scenario replaced this one while it waited for the engine worker. */
  | { kind: 'superseded' }
  | { kind: 'ran'; held: number; failed: number; total: number; runErrors: number; /** The notification's text. */ notice: string };

export interface ScenarioLanguage {
  /** Runs the scenario at `uri` (else the active editor's) and reports it; never rejects. */
  runScenario(uri?: vscode.Uri): Promise<RunOutcome>;
  /** The live diagnostics of every open scenario. */
  readonly diagnostics: vscode.DiagnosticCollection;
}

const COMPLETION_KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  strategy: vscode.CompletionItemKind.EnumMember,
  preset: vscode.CompletionItemKind.Module,
  setting: vscode.CompletionItemKind.Property,
  metric: vscode.CompletionItemKind.Field,
  key: vscode.CompletionItemKind.Reference,
  node: vscode.CompletionItemKind.Constant,
  value: vscode.CompletionItemKind.Value,
};

function isScenario(doc: vscode.TextDocument): boolean {
  return doc.languageId === ids.language;
}

/**
 * A scenario with parse errors is not run (`to`: "run", or "step through" for the debugger): the count in a
 * notification with Show Problems, and the cursor on the first error. Neither is awaited: the notification's promise
 * settles only when it is dismissed, and a failure to show the editor changes nothing about the outcome.
 */
export function showParseErrors(doc: vscode.TextDocument | vscode.Uri, name: string, errors: readonly ScenarioDiagnostic[], to?: string): void {
  void vscode.window
    .showErrorMessage(parseErrorNotice(name, errors.length, to), 'Show Problems')
    .then((choice) => (choice === 'Show Problems' ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
  const first = errors[0];
  const options: vscode.TextDocumentShowOptions = first ? { selection: toVsDiagnostic(first).range } : {};
  // Two calls where one would do: showTextDocument's overloads take a document or a Uri, not either.
  const shown = doc instanceof vscode.Uri ? vscode.window.showTextDocument(doc, options) : vscode.window.showTextDocument(doc, options);
  void shown.then(undefined, () => undefined);
}

/** The parser counts lines and columns from 1 with an exclusive end column; VS Code counts from 0. */
export function toVsDiagnostic(d: ScenarioDiagnostic): vscode.Diagnostic {
  const line = Math.max(0, d.line - 1);
  const start = Math.max(0, d.column - 1);
  const end = Math.max(start, d.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, start, line, end),
    d.message,
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'cachescenario';
  return diagnostic;
}

/** Keeps the DiagnosticCollection in step with open scenario documents: at once on open, debounced while typing. */
class ScenarioDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(ids.language);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.update(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) this.update(doc);
  }

  /** Parses `doc` now and publishes its diagnostics; returns them for the caller's own use. */
  update(doc: vscode.TextDocument): readonly ScenarioDiagnostic[] {
    this.cancel(doc.uri);
    if (!isScenario(doc)) {
      // A file whose language was switched away from cachescenario keeps no stale squiggles.
      this.collection.delete(doc.uri);
      return [];
    }
    const found = parseScenario(doc.getText()).diagnostics;
    this.collection.set(doc.uri, found.map(toVsDiagnostic));
    return found;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isScenario(doc)) return;
    this.cancel(doc.uri);
    const key = doc.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        // The document may have closed while the timer ran.
        if (!doc.isClosed) this.update(doc);
      }, DIAGNOSTICS_DELAY_MS),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(key);
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

const completionProvider: vscode.CompletionItemProvider = {
  provideCompletionItems(doc, position) {
    const items = completeAt(doc.getText(), position.line, position.character);
    const word = wordRangeAt(doc.lineAt(position.line).text, position.character);
    const inserting = new vscode.Range(position.line, word.start, position.line, position.character);
    const replacing = new vscode.Range(position.line, word.start, position.line, word.end);
    return items.map((it, i) => {
      const item = new vscode.CompletionItem(it.label, COMPLETION_KINDS[it.kind]);
      item.detail = it.detail;
      if (it.documentation) item.documentation = new vscode.MarkdownString(it.documentation);
      if (it.insertText !== undefined) item.insertText = new vscode.SnippetString(it.insertText);
      item.range = { inserting, replacing };
      // Keep the order completeAt chose (statement order, strategy order) instead of the alphabet.
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  },
};

const hoverProvider: vscode.HoverProvider = {
  provideHover(doc, position) {
    const h = hoverAt(doc.getText(), position.line, position.character);
    if (!h) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(h.line, h.start, h.line, h.end));
  },
};

/**
 * A diagnostic that names the word it meant (`did you mean "write"?`) offers to put that word in; one that asks for a
 * line (`add set writeBehind.coalescing off to run what Hazelcast does`, `set cache.nodes 3 before using node3`)
 * offers to add it, or to change the line that would outvote it (`change line 4 to ...`).
 */
const quickFixProvider: vscode.CodeActionProvider = {
  provideCodeActions(doc, _range, context) {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== ids.language || !d.range.isSingleLine) continue;
      const lineFix = suggestedLine(d.message) === undefined ? undefined : suggestedLineFix(d.message, d.range.start.line + 1, parseScenario(doc.getText()));
      if (lineFix !== undefined) {
        const edit = new vscode.WorkspaceEdit();
        let title: string;
        if (lineFix.kind === 'insert') {
          title = `Add "${lineFix.text}"`;
          const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
          if (lineFix.below === 0) edit.insert(doc.uri, new vscode.Position(0, 0), `${lineFix.text}${eol}`);
          else edit.insert(doc.uri, doc.lineAt(lineFix.below - 1).range.end, `${eol}${lineFix.text}`);
        } else {
          title = `Change line ${lineFix.line} to "${lineFix.text}"`;
          edit.replace(doc.uri, new vscode.Range(lineFix.line - 1, lineFix.column - 1, lineFix.line - 1, lineFix.endColumn - 1), lineFix.text);
        }
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.edit = edit;
        action.diagnostics = [d];
        action.isPreferred = true;
        actions.push(action);
        continue;
      }
      const fix = suggestedReplacement(d.message, doc.getText(d.range));
      if (fix === undefined) continue;
      const action = new vscode.CodeAction(`Change to "${fix}"`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, d.range, fix);
      action.diagnostics = [d];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  },
};

const codeLensProvider: vscode.CodeLensProvider = {
  provideCodeLenses(doc) {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      // Codicons, not emoji or symbol characters: those render as a box in fonts that lack them.
      new vscode.CodeLens(top, { title: '$(play) Run', tooltip: 'Run this scenario and show its trace and expectations', command: ids.commands.runScenario, arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: '$(debug-alt) Step Through', tooltip: 'Step through this scenario in the debugger', command: ids.commands.stepThroughScenario, arguments: [doc.uri] }),
    ];
  },
};

const SYMBOL_KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  heading: vscode.SymbolKind.String,
  strategy: vscode.SymbolKind.Class,
  setting: vscode.SymbolKind.Property,
  load: vscode.SymbolKind.Field,
  operation: vscode.SymbolKind.Method,
  time: vscode.SymbolKind.Event,
  fault: vscode.SymbolKind.Event,
  expectation: vscode.SymbolKind.Boolean,
};

function toSymbol(item: OutlineItem): vscode.DocumentSymbol {
  const r = item.range;
  const s = item.selection;
  const symbol = new vscode.DocumentSymbol(
    item.name,
    item.detail,
    SYMBOL_KINDS[item.kind],
    new vscode.Range(r.line - 1, r.column - 1, r.endLine - 1, r.endColumn - 1),
    new vscode.Range(s.line - 1, s.column - 1, s.line - 1, s.endColumn - 1),
  );
  symbol.children = item.children.map(toSymbol);
  return symbol;
}

/** The Outline view, breadcrumbs and Go to Symbol: statements under the comments that head the file's parts. */
const symbolProvider: vscode.DocumentSymbolProvider = {
  provideDocumentSymbols(doc) {
    return outlineOf(doc.getText()).map(toSymbol);
  },
};

/** Registers the language features; every registration is owned by `context.subscriptions`. */
export function registerScenarioLanguage(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  deps: ScenarioLanguageDeps = {},
): ScenarioLanguage {
  const diagnostics = new ScenarioDiagnostics();
  // Its own worker, so a scenario run never waits behind the pages' comparison or playground jobs, nor they behind it.
  const runner = new EngineRunner(vscode.Uri.joinPath(context.extensionUri, 'dist', 'engineWorker.js').fsPath, (line) => output.appendLine(line));
  context.subscriptions.push(runner);
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCompletionItemProvider(SELECTOR, completionProvider, ' '),
    vscode.languages.registerHoverProvider(SELECTOR, hoverProvider),
    vscode.languages.registerCodeActionsProvider(SELECTOR, quickFixProvider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLensProvider),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, symbolProvider, { label: 'Scenario' }),
  );

  async function runScenario(uri?: vscode.Uri): Promise<RunOutcome> {
    try {
      return await run(uri);
    } catch (e) {
      // Reading the file or running the engine failed unexpectedly: say so, never throw into the command.
      const message = e instanceof Error ? e.message : String(e);
      output.appendLine(`Run Scenario failed: ${message}`);
      void vscode.window.showErrorMessage(`Cache Workbench: the scenario could not be run: ${message}`);
      return { kind: 'crashed', message };
    }
  }

  async function run(uri: vscode.Uri | undefined): Promise<RunOutcome> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showErrorMessage('Cache Workbench: open a .cachescenario file to run it.');
      return { kind: 'no-document' };
    }
    const name = scenarioLabel(doc.uri);
    if (!isScenario(doc) && !doc.fileName.endsWith('.cachescenario')) {
      // Parsed as a scenario, a JSON or Markdown file would only collect errors, and squiggles its own language never clears.
      const message = `Cache Workbench: ${name} is not a scenario (its language is ${doc.languageId}); Run Scenario runs .cachescenario files.`;
      output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return { kind: 'not-a-scenario', languageId: doc.languageId };
    }
    const program = parseScenario(doc.getText());
    if (isScenario(doc)) diagnostics.update(doc);
    else diagnostics.collection.set(doc.uri, program.diagnostics.map(toVsDiagnostic));
    const errors = program.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      output.appendLine(`${name}: not run, ${plural(errors.length, 'error')}`);
      for (const d of errors) output.appendLine(diagnosticLine(name, d));
      output.show(true);
      showParseErrors(doc, name, errors);
      return { kind: 'parse-errors', errors: errors.length };
    }

    // On the engine worker: a long run (thousands of operations, a retry every millisecond) must not freeze VS Code.
    const ran = await runner.run({ kind: 'scenario', name, text: doc.getText(), seed: deps.seed?.(), outputSteps: OUTPUT_STEPS });
    if (ran === undefined) {
      output.appendLine(`${name}: not run: a newer Run Scenario took its place before it started`);
      return { kind: 'superseded' };
    }
    if (!ran.ok || ran.kind !== 'scenario') throw new Error(ran.ok ? `unexpected ${ran.kind} result` : ran.error);
    output.appendLine(ran.report);
    output.appendLine('');
    output.show(true);

    const { total, failed, runErrors } = ran;
    const notice = runNotice(name, { total, failed, runErrors });
    if (failed === 0 && runErrors === 0) {
      void vscode.window.showInformationMessage(notice);
    } else {
      void vscode.window.showWarningMessage(notice, 'Open Output').then((choice) => {
        if (choice === 'Open Output') output.show();
      });
    }
    return { kind: 'ran', held: total - failed, failed, total, runErrors, notice };
  }

  if (deps.registerRunCommand) {
    context.subscriptions.push(
      vscode.commands.registerCommand(ids.commands.runScenario, (arg: unknown) =>
        runScenario(arg instanceof vscode.Uri ? arg : undefined),
      ),
    );
  }
  return { runScenario, diagnostics: diagnostics.collection };
}
