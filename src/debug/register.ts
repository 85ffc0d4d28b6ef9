// VS Code side of the scenario debugger: the inline adapter, launch configurations, inline values and hovers in
// `.cachescenario` editors, and the Step Through Scenario command handler; every registration is owned by the context.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { ids } from '../constants';
import { CUSTOM, CacheScenarioSession } from './adapter';
import type { CacheScenarioLaunchArgs, InlineValuesBody } from './adapter';
import type { ScenarioPosition } from './runtime';
import { hoverExpression } from './hoverTarget';
import { parseScenario } from '../scenario/parser';
import { showParseErrors } from '../views/scenarioLanguage';
import { scenarioLabel } from '../views/scenarioLabel';

/** A debug configuration of this debugger, as launch.json holds it. */
export type CacheScenarioConfiguration = vscode.DebugConfiguration & CacheScenarioLaunchArgs;

export interface ScenarioStepEvent {
  session: vscode.DebugSession;
  position: ScenarioPosition;
}

/** What the rest of the extension (the workbench diagram, the commands) can use of the debugger. */
export interface ScenarioDebugger {
  /** Fires on every stop of a scenario debug session (the adapter's `cacheScenario/step` event). */
  readonly onDidStep: vscode.Event<ScenarioStepEvent>;
  /** Where a scenario session stands (default: the active one), or undefined when none is stopped. */
  position(session?: vscode.DebugSession): Promise<ScenarioPosition | undefined>;
  /** The `cacheWorkbench.stepThroughScenario` handler: debug `uri`, else the active scenario editor. */
  stepThroughScenario(uri?: vscode.Uri): Promise<boolean>;
  /**
   * The text a scenario session recorded its trace from, read at launch (undefined before its launch, or for a session
   * of another debugger). The file may have been edited or deleted since; the session steps through this text.
   */
  loadedText(session: vscode.DebugSession): string | undefined;
}

const KEY_WORD = /[A-Za-z0-9:_\-./]+/;

/** Registers the `cachescenario` debugger; everything it creates is pushed to `context.subscriptions`. */
export function registerDebugger(context: vscode.ExtensionContext, output: vscode.OutputChannel): ScenarioDebugger {
  const stepped = new vscode.EventEmitter<ScenarioStepEvent>();
  /** The walkthrough's "Step through" context key is set (at the first stop in this window). */
  let steppedOnce = false;
  const configurations = new ScenarioConfigurationProvider(output);
  /** Per session id, the text its launch read (kept until the session ends). */
  const loaded = new Map<string, string>();

  context.subscriptions.push(
    stepped,
    vscode.debug.registerDebugAdapterDescriptorFactory(ids.debugType, new InlineAdapterFactory(loaded)),
    vscode.debug.registerDebugConfigurationProvider(ids.debugType, configurations, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(ids.debugType, new DynamicConfigurationProvider(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.languages.registerInlineValuesProvider({ language: ids.language }, new ScenarioInlineValues()),
    vscode.languages.registerEvaluatableExpressionProvider({ language: ids.language }, new ScenarioHover()),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== ids.debugType || e.event !== CUSTOM.step) return;
      // A stop, not the command: Step Through Scenario refused (no scenario open, errors in it) has stepped nothing.
      // Set once per window, not at every step.
      if (!steppedOnce) {
        steppedOnce = true;
        void vscode.commands.executeCommand('setContext', ids.contextKeys.scenarioStepped, true);
      }
      stepped.fire({ session: e.session, position: e.body as ScenarioPosition });
    }),
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type === ids.debugType) output.appendLine(`Debugging ${String(s.configuration.program)} (${s.name})`);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      loaded.delete(s.id);
      if (s.type === ids.debugType) output.appendLine(`Debug session "${s.name}" ended`);
    }),
  );

  return {
    onDidStep: stepped.event,
    position: async (session = vscode.debug.activeDebugSession) => {
      if (session?.type !== ids.debugType) return undefined;
      try {
        return (await session.customRequest(CUSTOM.position)) as ScenarioPosition;
      } catch {
        return undefined;
      }
    },
    stepThroughScenario,
    loadedText: (session) => loaded.get(session.id),
  };
}

/** Starts debugging `uri`, else the `.cachescenario` file in the active editor; false (after telling the user) when there is none. */
export async function stepThroughScenario(uri?: vscode.Uri): Promise<boolean> {
  const target = uri ?? activeScenario()?.uri;
  if (!target) {
    void vscode.window.showErrorMessage('Step Through Scenario: open a .cachescenario file first, or pick one in the Explorer.');
    return false;
  }
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Step Through Scenario: save the scenario to a file first; the debugger shows its lines from disk.');
    return false;
  }
  if (refuseParseErrors(target.fsPath, 'step through')) return false;
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), launchConfiguration(target.fsPath));
}

function launchConfiguration(program: string): CacheScenarioConfiguration {
  return { type: ids.debugType, request: 'launch', name: `Step through ${basename(program)}`, program, stopOnEntry: true };
}

/**
 * A scenario with parse errors cannot be recorded. Rather than start a session whose launch fails (VS Code answers that
 * with a modal dialog of absolute paths and an "Open 'launch.json'" button, though launch.json is not the problem), this
 * says so as Run Scenario does: the count and the file's name, Show Problems, and the cursor on the first error.
 * True when it refused; false when the scenario parses, or cannot be read here (the launch then says why).
 */
function refuseParseErrors(path: string, to: string): boolean {
  let text: string;
  try {
    text = readScenario(resolve(path));
  } catch {
    return false;
  }
  const errors = parseScenario(text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return false;
  showParseErrors(vscode.Uri.file(path), scenarioLabel(path), errors, to);
  return true;
}

function activeScenario(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === ids.language ? doc : undefined;
}

/** The scenario's text: an open editor's (saved or not), else the file on disk. */
function readScenario(path: string): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && resolve(d.uri.fsPath) === path);
  return doc ? doc.getText() : readFileSync(path, 'utf8');
}

/** Runs the adapter inside the extension host: no process, no port. Keeps the text each session's launch read. */
class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly loaded: Map<string, string>) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const adapter = new CacheScenarioSession();
    adapter.readSource = (path) => {
      const text = readScenario(path);
      this.loaded.set(session.id, text);
      return text;
    };
    return new vscode.DebugAdapterInlineImplementation(adapter);
  }
}

/** launch.json: the initial configuration, and F5 without a launch.json debugging the active scenario. */
class ScenarioConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly output: vscode.OutputChannel) {}

  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    const config: CacheScenarioConfiguration = { type: ids.debugType, request: 'launch', name: 'Step through the current scenario', program: '${file}', stopOnEntry: true };
    return [config];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!config.type && !config.request && !config.name) {
      // No launch.json: debug the scenario in the active editor. What VS Code passed stays: Run Without Debugging
      // (Ctrl+F5) passes `{ noDebug: true }`, and dropping it would start a session stopped on entry instead.
      const doc = activeScenario();
      if (doc && doc.uri.scheme === 'file') return { ...config, ...launchConfiguration(doc.uri.fsPath) };
    }
    if (typeof config.program !== 'string' || config.program.trim() === '') {
      const message = 'Cache Scenario debugger: set "program" to the .cachescenario file to step through, or open one and press F5.';
      this.output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return undefined; // aborts the launch
    }
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const program = String(config.program);
    if (!isAbsolute(program) && folder) config.program = join(folder.uri.fsPath, program);
    const path = resolve(String(config.program));
    const named = path.endsWith('.cachescenario');
    if (!named) this.output.appendLine(`Note: ${String(config.program)} does not end in .cachescenario; debugging it anyway.`);
    // F5 or Ctrl+F5 on a scenario with errors, from launch.json (its `program`, once `\${file}` is filled in) or
    // without one: said as Step Through Scenario says it, and nothing starts. Another file (`\${file}` with launch.json
    // in front, say) is left to the launch, which names its errors as a scenario's.
    const scenario = named || vscode.workspace.textDocuments.some((d) => d.languageId === ids.language && d.uri.scheme === 'file' && resolve(d.uri.fsPath) === path);
    if (scenario && refuseParseErrors(path, config.noDebug === true ? 'run' : 'step through')) return undefined;
    return config;
  }
}

/** "Run and Debug" dropdown: one entry per open scenario editor. */
class DynamicConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return vscode.workspace.textDocuments.filter((d) => d.languageId === ids.language && d.uri.scheme === 'file').map((d) => launchConfiguration(d.uri.fsPath));
  }
}

/** After reads, the value and fresh/stale; after writes, acknowledged / persisted / pending / lost, at the current step. */
class ScenarioInlineValues implements vscode.InlineValuesProvider {
  async provideInlineValues(document: vscode.TextDocument, viewPort: vscode.Range): Promise<vscode.InlineValue[]> {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== ids.debugType || typeof session.configuration.program !== 'string') return [];
    if (resolve(session.configuration.program) !== resolve(document.uri.fsPath)) return [];
    let body: InlineValuesBody;
    try {
      body = (await session.customRequest(CUSTOM.inlineValues)) as InlineValuesBody;
    } catch {
      return [];
    }
    return body.values
      .filter((v) => v.line - 1 >= viewPort.start.line && v.line - 1 <= viewPort.end.line && v.line <= document.lineCount)
      .map((v) => {
        const end = document.lineAt(v.line - 1).range.end;
        return new vscode.InlineValueText(new vscode.Range(end, end), v.text);
      });
  }
}

/** Hovering a key shows it in the database and every cache; hovering a metric name shows its value. */
class ScenarioHover implements vscode.EvaluatableExpressionProvider {
  provideEvaluatableExpression(document: vscode.TextDocument, position: vscode.Position): vscode.ProviderResult<vscode.EvaluatableExpression> {
    const range = document.getWordRangeAtPosition(position, KEY_WORD);
    if (!range) return undefined;
    const expression = hoverExpression(document.lineAt(position.line).text, range.start.character);
    return expression === undefined ? undefined : new vscode.EvaluatableExpression(range, expression);
  }
}
