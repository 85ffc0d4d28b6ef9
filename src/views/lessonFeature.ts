// The lesson feature: progress store, workbench panel (and its serializer), sidebar view, and the one router for
// every message the two webviews send. registerLesson() wires them and returns the command handlers and an API.
import * as vscode from 'vscode';
import { ids } from '../constants';
import { readSettings } from '../config';
import { SECTION_IDS } from '../lesson/sections';
import { LessonSidebarProvider } from './lessonSidebar';
import type { LessonSidebarState } from './lessonSidebar';
import { ProgressStore } from './progressStore';
import { SCENARIO_FILE_PATTERN, unhandledMessage } from './protocol';
import type { HostMessage, ProgressView, ViewSettings, WebviewMessage } from './protocol';
import { copySnippet, openSnippetInEditor, runSnippet } from './snippetActions';
import { TraceLibrary, traceScenarioText, variantsFor } from './traces';
import type { ScenarioReader } from './traces';
import { WorkbenchPanel, WorkbenchPanelSerializer } from './workbenchPanel';
import type { DebugPosition, OpenOptions, WebviewEndpoint, WebviewHost, WorkbenchPanelState } from './workbenchPanel';

export interface LessonDeps {
  /** Reads a bundled scenario by file name. Default: `<extension>/scenarios/<file>` through vscode.workspace.fs. */
  readScenario?: ScenarioReader;
  /** The settings the webviews get. Default: `cacheWorkbench.animation.*`, with VS Code's `workbench.reduceMotion`. */
  viewSettings?: () => ViewSettings;
}

/** What the knowledge check, the comparison and the debugger reuse of the lesson feature. */
export interface LessonApi {
  readonly progress: ProgressStore;
  readonly traces: TraceLibrary;
  /** Sends a message to the workbench page (dropped while it is closed, except the section to show). */
  postToPanel(message: HostMessage): void;
  /** Opens or reveals the workbench panel. */
  openPanel(section?: string, options?: OpenOptions): void;
  /** The debugger stopped at a step: highlight it in the scenario's diagram (see `debug/position`). */
  showDebugPosition(position: DebugPosition, options?: { open?: boolean }): void;
  /**
   * The same from a scenario's text: runs it (once per distinct text and seed) and highlights step `seq`.
   * `scenario` names it in the heading (a file name or path). Returns false when the text does not run.
   */
  showDebugStep(scenario: string, text: string, seq: number | null, options?: { open?: boolean; seed?: number }): boolean;
  endDebug(scenario: string): void;
  /** For tests: the panel's and the sidebar's current state. */
  panelState(): WorkbenchPanelState;
  sidebarState(): LessonSidebarState;
  /** Fires when the panel opens, closes, or its page reports new UI state. */
  readonly onDidChangePanelState: vscode.Event<WorkbenchPanelState>;
  /** Settles once the sidebar view has been resolved (the placeholder view's contract, kept for the integration tests). */
  readonly lessonViewResolved: Promise<void>;
}

export interface LessonFeature {
  /** `cacheWorkbench.openLesson`: reveal the sidebar and open the workbench at `section` (or where the learner left off). */
  openLesson(section?: unknown): Promise<void>;
  /** `cacheWorkbench.openWorkbench`: open or reveal the workbench panel, at `section` when given. */
  openWorkbench(section?: unknown): void;
  api: LessonApi;
}

/** A section id from a command argument (walkthrough links and menus pass odd things), or undefined. */
function sectionArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && SECTION_IDS.includes(arg)) return arg;
  if (typeof arg === 'object' && arg !== null && 'section' in arg) return sectionArg((arg as { section: unknown }).section);
  return undefined;
}

/** Settings for the webviews: ours, with VS Code's own reduce-motion setting honoured when ours is `auto`. */
function defaultViewSettings(): ViewSettings {
  const { settings } = readSettings();
  let reducedMotion = settings.animation.reducedMotion;
  if (reducedMotion === 'auto' && vscode.workspace.getConfiguration('workbench').get<string>('reduceMotion') === 'on') {
    reducedMotion = 'on';
  }
  return { reducedMotion, speed: settings.animation.speed };
}

function bundledScenarioReader(extensionUri: vscode.Uri): ScenarioReader {
  return async (file) => {
    if (!SCENARIO_FILE_PATTERN.test(file)) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'scenarios', file));
      return new TextDecoder('utf-8').decode(bytes);
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  };
}

/**
 * Creates the progress store, the workbench panel with its serializer and the sidebar provider; every disposable goes
 * to `context.subscriptions`. The caller registers the returned handlers as the openLesson / openWorkbench commands.
 */
export function registerLesson(context: vscode.ExtensionContext, output: vscode.OutputChannel, deps: LessonDeps = {}): LessonFeature {
  const extensionUri = context.extensionUri;
  const store = new ProgressStore(context.globalState, (line) => output.appendLine(line));
  const traces = new TraceLibrary(deps.readScenario ?? bundledScenarioReader(extensionUri));
  const viewSettings = deps.viewSettings ?? defaultViewSettings;

  const host: WebviewHost = {
    handle: (message, from) => route(message, from),
    progress: (): ProgressView => store.view(),
    settings: () => viewSettings(),
  };
  const panel = new WorkbenchPanel(extensionUri, output, host);
  const sidebar = new LessonSidebarProvider(extensionUri, output, host);
  const endpoints: WebviewEndpoint[] = [panel, sidebar];
  const broadcast = (message: HostMessage): void => {
    for (const e of endpoints) e.post(message);
  };

  context.subscriptions.push(
    store,
    panel,
    sidebar,
    vscode.window.registerWebviewPanelSerializer(WorkbenchPanel.viewType, new WorkbenchPanelSerializer(panel)),
    vscode.window.registerWebviewViewProvider(LessonSidebarProvider.viewId, sidebar),
    store.onDidChange(() => broadcast({ type: 'progress/changed', progress: store.view() })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${ids.configSection}.animation`) || e.affectsConfiguration('workbench.reduceMotion')) {
        broadcast({ type: 'settings/changed', settings: viewSettings() });
      }
    }),
  );

  const fail = (what: string) => (err: unknown): void => {
    output.appendLine(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };

  /** Opens a bundled scenario in an editor and, for `step`, starts the scenario debugger on it. */
  const openScenario = async (file: string, mode: 'edit' | 'step'): Promise<void> => {
    const uri = vscode.Uri.joinPath(extensionUri, 'scenarios', file);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(`Cache Workbench: the scenario ${file} is not bundled with this version.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: mode === 'edit' });
    if (mode === 'step') await vscode.commands.executeCommand(ids.commands.stepThroughScenario, uri);
  };

  /** The one place each message type is handled; a type without a case here fails to compile. */
  function route(message: WebviewMessage, from: WebviewEndpoint): void {
    switch (message.type) {
      case 'state/ready':
        from.onReady();
        break;
      case 'state/changed':
        from.onUiState(message.state);
        break;
      case 'lesson/open': {
        const section = message.section ?? store.view().lastSection ?? SECTION_IDS[0];
        panel.open(section);
        break;
      }
      case 'lesson/sectionShown':
        store.markSectionRead(message.section).catch(fail('saving progress'));
        break;
      case 'diagram/request': {
        const { requestId, strategy, variant } = message;
        traces
          .trace(strategy, variant)
          .then((result) => from.post({ type: 'diagram/trace', requestId, strategy, variant, variants: variantsFor(strategy), result }))
          .catch(fail(`diagram ${strategy}/${variant}`));
        break;
      }
      case 'diagram/watched':
        store.markDiagramWatched().catch(fail('saving progress'));
        break;
      case 'snippet/openInEditor': {
        const { strategy, language } = message;
        openSnippetInEditor(strategy, language).then(
          () => from.post({ type: 'snippet/done', strategy, language, action: 'openInEditor', ok: true }),
          (err: unknown) => {
            fail('opening the snippet')(err);
            from.post({ type: 'snippet/done', strategy, language, action: 'openInEditor', ok: false });
          },
        );
        break;
      }
      case 'snippet/copy': {
        const { strategy, language } = message;
        copySnippet(strategy, language).then(
          () => from.post({ type: 'snippet/done', strategy, language, action: 'copy', ok: true }),
          (err: unknown) => {
            fail('copying the snippet')(err);
            from.post({ type: 'snippet/done', strategy, language, action: 'copy', ok: false });
          },
        );
        break;
      }
      case 'snippet/run':
        runSnippet(traces, message.requestId, message.strategy, message.language)
          .then((reply) => from.post(reply))
          .catch(fail('running the snippet scenario'));
        break;
      case 'scenario/open':
        openScenario(message.file, message.mode).catch(fail(`opening ${message.file}`));
        break;
      case 'command/run':
        Promise.resolve(vscode.commands.executeCommand(ids.commands[message.command])).catch(fail(message.command));
        break;
      case 'log/error':
        output.appendLine(`webview (${from.kind}): ${message.message}`);
        break;
      default:
        output.appendLine(`webview (${from.kind}): ${unhandledMessage(message)}`);
    }
  }

  const openWorkbench = (section?: unknown): void => {
    panel.open(sectionArg(section));
  };

  const openLesson = async (section?: unknown): Promise<void> => {
    const chosen = sectionArg(section) ?? store.view().lastSection ?? SECTION_IDS[0];
    try {
      await sidebar.reveal(true);
    } catch (err) {
      fail('revealing the lesson view')(err);
    }
    panel.open(chosen);
    store.markLessonOpened().catch(fail('saving progress'));
  };

  let debugRun: { scenario: string; text: string; seed: number | undefined; steps: DebugPosition['steps'] } | undefined;
  const showDebugStep: LessonApi['showDebugStep'] = (scenario, text, seq, options = {}) => {
    if (!debugRun || debugRun.scenario !== scenario || debugRun.text !== text || debugRun.seed !== options.seed) {
      const result = traceScenarioText(scenario, text, options.seed);
      if (!result.ok) {
        output.appendLine(`debug diagram: ${result.error}`);
        return false;
      }
      debugRun = { scenario, text, seed: options.seed, steps: result.steps };
    }
    const name = scenario.split(/[\\/]/).pop() ?? scenario;
    panel.showDebugPosition({ scenario, title: `Stepping ${name}`, steps: debugRun.steps, seq }, { open: options.open ?? false });
    return true;
  };

  const api: LessonApi = {
    progress: store,
    traces,
    postToPanel: (message) => panel.post(message),
    openPanel: (section, options) => panel.open(section, options),
    showDebugPosition: (position, options) => panel.showDebugPosition(position, options),
    showDebugStep,
    endDebug: (scenario) => {
      if (debugRun?.scenario === scenario) debugRun = undefined;
      panel.endDebug(scenario);
    },
    panelState: () => panel.state,
    sidebarState: () => sidebar.state,
    onDidChangePanelState: panel.onDidChangeState,
    lessonViewResolved: sidebar.resolved,
  };

  return { openLesson, openWorkbench, api };
}
