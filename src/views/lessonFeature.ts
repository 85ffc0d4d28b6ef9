// The lesson feature: progress store, workbench panel (and its serializer), sidebar view, and the one router for
// every message the two webviews send. registerLesson() wires them and returns the command handlers and an API.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { LRUCache } from 'lru-cache';
import { ids } from '../constants';
import { CUSTOM } from '../debug/adapter';
import { readSettings } from '../config';
import { SECTION_IDS } from '../lesson/sections';
import type { CompareRequest } from '../model/compareView';
import { playgroundToScenario, validatePlaygroundConfig } from '../scenario/playground';
import type { PlaygroundConfig } from '../scenario/playground';
import { EngineRunner } from './engineRunner';
import { openExampleCopy } from './exampleEditor';
import { LessonSidebarProvider } from './lessonSidebar';
import type { LessonSidebarState } from './lessonSidebar';
import { ProgressStore } from './progressStore';
import { scenarioLabel } from './scenarioLabel';
import { SCENARIO_FILE_PATTERN, unhandledMessage } from './protocol';
import type { CompareOutcome, DebugCheckpoint, HostMessage, ProgressView, Route, ViewSettings, WebviewMessage } from './protocol';
import { QuizController } from './quizController';
import type { QuizOutcome } from './quizController';
import { columnBesidePanel, copySnippet, openSnippetInEditor, runSnippet, showUntitledBeside } from './snippetActions';
import { TraceLibrary, diagramTrace, traceScenarioText } from './traces';
import type { ScenarioReader } from './traces';
import { described } from '../model/words';
import { serialMemento } from './mementoWrites';
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
  /** Opens or reveals the workbench panel on a page (`quiz`, `compare`, `playground`, or the lesson). */
  openPage(route: Route, options?: OpenOptions): void;
  /** The knowledge check's host side: the attempt in progress (with its answers: for tests, never sent to a page). */
  readonly quiz: QuizController;
  /**
   * Test support: the globalState the progress and the knowledge check are kept in, to write into it what another
   * window, an older version or a damaged store would have left there.
   */
  readonly storage: vscode.Memento;
  /**
   * Test support: hands a raw value to the extension exactly as the workbench page's message listener does
   * (validation, a logged rejection, then the handler). Returns the rejection reason, or undefined when accepted.
   */
  receiveFromPanelForTest(raw: unknown): string | undefined;
  /** Whether comparison and playground runs go to the worker thread (false: they run on the extension host's thread). */
  engineUsesWorker(): boolean;
  /** The debugger stopped at a step: highlight it in the scenario's diagram (see `debug/position`). */
  showDebugPosition(position: DebugPosition, options?: { open?: boolean }): void;
  /**
   * The same from a scenario's text: runs it (once per distinct text and seed) and highlights step `seq`.
   * `scenario` names it in the heading (a file name or path). Returns false when the text does not run.
   */
  showDebugStep(scenario: string, text: string, seq: number | null, options?: { open?: boolean; seed?: number; checkpoint?: DebugCheckpoint }): boolean;
  endDebug(scenario: string): void;
  /** While `scenario` is debugged: keeps the open panel in view beside its editor (see WorkbenchPanel.keepBeside). */
  keepPanelBeside(scenario: string): void;
  /**
   * The playground's Export: writes `config`'s scenario to `target` (no dialog; tests use this) or, without one, to
   * the file the learner picks in a save dialog, then opens it. The panel's page gets the same answer as after its own export.
   */
  exportPlayground(config: unknown, target?: vscode.Uri): Promise<ExportOutcome>;
  /** For tests: the panel's and the sidebar's current state. */
  panelState(): WorkbenchPanelState;
  sidebarState(): LessonSidebarState;
  /** Fires when the panel opens, closes, or its page reports new UI state. */
  readonly onDidChangePanelState: vscode.Event<WorkbenchPanelState>;
  /** Settles once the sidebar view has been resolved (the placeholder view's contract, kept for the integration tests). */
  readonly lessonViewResolved: Promise<void>;
}

/** What one playground export did. */
export type ExportOutcome =
  | { kind: 'saved'; uri: vscode.Uri }
  | { kind: 'cancelled' }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; message: string };

/** The save dialog's suggestion: `playground-<strategy>.cachescenario` in the first workspace folder, else the home folder. */
function defaultExportUri(strategy: string): vscode.Uri {
  const name = `playground-${strategy.replace(/[^a-z0-9-]+/g, '-')}.cachescenario`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  return vscode.Uri.joinPath(folder, name);
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
  return {
    reducedMotion,
    speed: settings.animation.speed,
    playground: {
      strategy: settings.defaultStrategy,
      settings: {
        'cache.latency': settings.cache.latencyMs,
        'cache.capacity': settings.cache.capacity,
        'db.latency': settings.db.latencyMs,
        'writeBehind.flushInterval': settings.writeBehind.flushIntervalMs,
        'writeBehind.batchSize': settings.writeBehind.batchSize,
        'writeBehind.coalescing': settings.writeBehind.coalescing,
        'writeBehind.wal': settings.writeBehind.wal,
      },
    },
  };
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
  // One queue of writes for globalState, shared with the example copies (see SerialMemento).
  const state = serialMemento(context.globalState);
  const store = new ProgressStore(state, (line) => output.appendLine(line));
  const traces = new TraceLibrary(deps.readScenario ?? bundledScenarioReader(extensionUri));
  const viewSettings = deps.viewSettings ?? defaultViewSettings;
  const fail = (what: string) => (err: unknown): void => {
    output.appendLine(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };
  const quiz = new QuizController({
    memento: state,
    record: (result, attemptSeed) => store.recordAttempt(result, attemptSeed),
    log: (line) => output.appendLine(line),
  });
  // The pages show only their newest request's answer, so a newer comparison or playground run ends a long one.
  const engine = new EngineRunner(vscode.Uri.joinPath(extensionUri, 'dist', 'engineWorker.js').fsPath, (line) => output.appendLine(line), { takeOver: ['compare', 'playground'] });
  /**
   * The eight comparison tables used most recently, by request, so returning to the page (or undoing a change) answers
   * at once. A table shown again from here counts as used, so going back and forth between two keeps both.
   */
  const compareCache = new LRUCache<string, Extract<CompareOutcome, { ok: true }>>({ max: 8 });

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
    engine,
    // Reset Progress clears the knowledge check too: drop the attempt, and give an open quiz page a fresh one.
    store.onDidReset(() => {
      quiz
        .reset()
        .then(async () => {
          if (panel.state.ui?.route === 'quiz') panel.post({ type: 'quiz/state', quiz: await quiz.start() });
        })
        .catch(fail('resetting the knowledge check'));
    }),
    vscode.window.registerWebviewPanelSerializer(WorkbenchPanel.viewType, new WorkbenchPanelSerializer(panel)),
    vscode.window.registerWebviewViewProvider(LessonSidebarProvider.viewId, sidebar),
    store.onDidChange(() => broadcast({ type: 'progress/changed', progress: store.view() })),
    // Every setting, not only the animation's: the playground page takes its defaults (strategy, latencies, knobs) from
    // the settings the page last got, so a page opened before a change would start a new playground from the old ones.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(ids.configSection) || e.affectsConfiguration('workbench.reduceMotion')) {
        broadcast({ type: 'settings/changed', settings: viewSettings() });
      }
    }),
  );

  /** Opens the learner's copy of a bundled scenario in an editor and, for `step`, starts the scenario debugger on it. */
  const openScenario = async (file: string, mode: 'edit' | 'step'): Promise<void> => {
    const opened = await openExampleCopy(context, output, file, { viewColumn: vscode.ViewColumn.Beside, preview: mode === 'edit' });
    if (!opened) {
      void vscode.window.showWarningMessage(`Cache Workbench: the scenario ${file} is not bundled with this version.`);
      return;
    }
    if (mode === 'step') await vscode.commands.executeCommand(ids.commands.stepThroughScenario, opened.editor.document.uri);
  };

  /** Answers a quiz message: the new state, or the reason it was refused (logged, and shown by the page). */
  const replyQuiz = (from: WebviewEndpoint, what: string) => (outcome: QuizOutcome): void => {
    if (outcome.ok) {
      from.post({ type: 'quiz/state', quiz: outcome.state });
      return;
    }
    output.appendLine(`knowledge check: ${what} refused: ${outcome.error}`);
    // The attempt changed in another window: the page shows it as it is now, then the reason (quiz/state clears it).
    if (outcome.state) from.post({ type: 'quiz/state', quiz: outcome.state });
    from.post({ type: 'quiz/rejected', error: outcome.error });
  };

  /** Measures the comparison table (on the engine worker), or answers from the cache of recent tables. */
  const runCompare = async (requestId: string, request: CompareRequest, from: WebviewEndpoint): Promise<void> => {
    const key = JSON.stringify(request);
    const cached = compareCache.get(key);
    if (cached) {
      from.post({ type: 'compare/result', requestId, result: { ...cached, cached: true } });
      return;
    }
    const result = await engine.run({ kind: 'compare', request });
    if (!result) return; // replaced by a newer request before it started
    if (result.kind !== 'compare' || !result.ok) {
      const error = result.ok ? 'unexpected answer from the engine' : result.error;
      output.appendLine(`comparison failed: ${error}`);
      from.post({ type: 'compare/result', requestId, result: { ok: false, error } });
      return;
    }
    const outcome = { ok: true as const, table: result.table, elapsedMs: result.elapsedMs, cached: false };
    compareCache.set(key, outcome);
    output.appendLine(`comparison: ${request.kind}, ${request.ops} ops, ${request.keys} keys, seed ${request.seed} measured in ${result.elapsedMs.toFixed(0)} ms`);
    from.post({ type: 'compare/result', requestId, result: outcome });
  };

  /** The playground run asked for last and not yet answered (what `playground/cancel` may stop). */
  let playgroundPending: string | undefined;

  const runPlaygroundJob = async (requestId: string, config: PlaygroundConfig, from: WebviewEndpoint): Promise<void> => {
    playgroundPending = requestId;
    const result = await engine.run({ kind: 'playground', config });
    if (!result) return; // replaced by a newer run, or stopped (cancelPlayground answered)
    if (playgroundPending === requestId) playgroundPending = undefined;
    if (result.kind !== 'playground' || !result.ok) {
      const error = result.ok ? 'unexpected answer from the engine' : result.error;
      output.appendLine(`playground run failed: ${error}`);
      from.post({ type: 'playground/result', requestId, result: { ok: false, errors: [error] } });
      return;
    }
    from.post({ type: 'playground/result', requestId, result: { ok: true, run: result.run, elapsedMs: result.elapsedMs } });
  };

  /** Stops the playground run `requestId` if it is still going, and tells the page it stopped. */
  const cancelPlayground = (requestId: string, from: WebviewEndpoint): void => {
    if (playgroundPending !== requestId) return; // answered already, or a newer run replaced it
    if (!engine.cancel('playground')) return; // running on the calling thread: its answer follows
    playgroundPending = undefined;
    output.appendLine(`playground run ${requestId} stopped by the learner`);
    from.post({ type: 'playground/result', requestId, result: { ok: false, errors: [], stopped: true } });
  };

  /**
   * Exports a playground config as a `.cachescenario` file: to `target` when given (tests, scripted callers), else
   * where the learner picks in a save dialog (nothing happens when it is cancelled); then opens the file.
   */
  const exportPlayground = async (config: unknown, target: vscode.Uri | undefined, reply: (m: HostMessage) => void): Promise<ExportOutcome> => {
    const checked = validatePlaygroundConfig(config);
    if (!checked.ok) {
      const message = `The settings are not valid: ${checked.errors.join('; ')}`;
      reply({ type: 'playground/exported', ok: false, message });
      return { kind: 'invalid', message };
    }
    const text = playgroundToScenario(checked.config);
    const uri = target ?? (await vscode.window.showSaveDialog({
      title: 'Export the playground run as a scenario',
      saveLabel: 'Export',
      defaultUri: defaultExportUri(checked.config.strategy),
      filters: { 'Cache scenario': ['cachescenario'] },
    }));
    if (!uri) {
      reply({ type: 'playground/exported', ok: false, message: 'Export cancelled.' });
      return { kind: 'cancelled' };
    }
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { viewColumn: columnBesidePanel(), preview: false });
      const lines = text.split('\n').filter((l) => l.length > 0).length;
      output.appendLine(`playground exported to ${uri.fsPath}`);
      reply({ type: 'playground/exported', ok: true, message: `Saved ${scenarioLabel(uri)} (${lines} lines) and opened it; running it reproduces this run.` });
      return { kind: 'saved', uri };
    } catch (err) {
      fail('exporting the playground scenario')(err);
      const message = `Could not save the scenario to ${scenarioLabel(uri)}.`;
      reply({ type: 'playground/exported', ok: false, message });
      return { kind: 'failed', message };
    }
  };

  /** The one place each message type is handled; a type without a case here fails to compile. */
  function route(message: WebviewMessage, from: WebviewEndpoint): void {
    switch (message.type) {
      case 'state/ready':
        from.onReady(message.repeat);
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
        // Answered even when the run fails, with an error the diagram shows (it would wait on "Running…" forever).
        const { requestId, strategy, variant } = message;
        void diagramTrace(traces, requestId, strategy, variant, (line) => output.appendLine(line)).then((reply) => from.post(reply));
        break;
      }
      case 'diagram/watched':
        store.markDiagramWatched().catch(fail('saving progress'));
        break;
      case 'snippet/openInEditor':
      case 'snippet/copy': {
        const { strategy, language } = message;
        const action = message.type === 'snippet/copy' ? 'copy' : 'openInEditor';
        (action === 'copy' ? copySnippet : openSnippetInEditor)(strategy, language).then(
          () => from.post({ type: 'snippet/done', strategy, language, action, ok: true }),
          (err: unknown) => {
            fail(action === 'copy' ? 'copying the snippet' : 'opening the snippet')(err);
            from.post({ type: 'snippet/done', strategy, language, action, ok: false });
          },
        );
        break;
      }
      case 'snippet/run': {
        const { requestId, strategy, language } = message;
        void runSnippet(traces, requestId, strategy, language, (line) => output.appendLine(line)).then((reply) => from.post(reply));
        break;
      }
      case 'scenario/open':
        openScenario(message.file, message.mode).catch(fail(`opening ${message.file}`));
        break;
      case 'command/run':
        Promise.resolve(vscode.commands.executeCommand(ids.commands[message.command])).catch(fail(message.command));
        break;
      case 'quiz/start':
        quiz.start().then((state) => from.post({ type: 'quiz/state', quiz: state }), fail('starting the knowledge check'));
        break;
      case 'quiz/answer':
        quiz.answer(message.questionId, message.optionId).then(replyQuiz(from, 'answer'), fail('recording an answer'));
        break;
      case 'quiz/finish':
        quiz.finish().then(replyQuiz(from, 'finishing'), fail('grading the attempt'));
        break;
      case 'quiz/retry':
        quiz.retry().then((state) => from.post({ type: 'quiz/state', quiz: state }), fail('starting a new attempt'));
        break;
      case 'quiz/openScenario':
        quiz.scenarioOf(message.questionId).then(async (r) => {
          if (r.ok) await showUntitledBeside(ids.language, r.text);
          else replyQuiz(from, 'opening a scenario')(r);
        }).catch(fail('opening the question\'s scenario'));
        break;
      case 'compare/request':
        runCompare(message.requestId, message.request, from).catch(fail('the comparison'));
        break;
      case 'playground/run':
        runPlaygroundJob(message.requestId, message.config, from).catch(fail('the playground run'));
        break;
      case 'playground/cancel':
        cancelPlayground(message.requestId, from);
        break;
      case 'playground/export':
        exportPlayground(message.config, undefined, (m) => from.post(m)).catch(fail('exporting the playground scenario'));
        break;
      case 'debug/jump':
        jumpDebugger(message.scenario, message.seq).catch(fail(`moving the debugger to step ${message.seq}`));
        break;
      case 'log/error':
        output.appendLine(`webview (${from.kind}): ${message.message}`);
        break;
      default:
        output.appendLine(`webview (${from.kind}): ${unhandledMessage(message)}`);
    }
  }

  /** The section a command was asked for; an argument that names none is reported, and the command goes on without it. */
  const requestedSection = (command: string, section: unknown): string | undefined => {
    const id = sectionArg(section);
    if (id === undefined && section !== undefined && section !== null) {
      output.appendLine(`${command}: ${described(section)} names no lesson section; expected one of ${SECTION_IDS.join(', ')} (or { "section": ID })`);
    }
    return id;
  };

  const openWorkbench = (section?: unknown): void => {
    panel.open(requestedSection('Open Workbench', section));
  };

  const openLesson = async (section?: unknown): Promise<void> => {
    const chosen = requestedSection('Open Lesson', section) ?? store.view().lastSection ?? SECTION_IDS[0];
    try {
      await sidebar.reveal(true);
      await sidebar.whenReady(5000);
    } catch (err) {
      fail('revealing the lesson view')(err);
    }
    panel.open(chosen);
    store.markLessonOpened().catch(fail('saving progress'));
  };

  /**
   * The Debug trace page's "Move the debugger here": the active session debugging `scenario` moves straight to step
   * `seq` (the adapter stops there, and the page follows the stop as it follows any other).
   */
  const jumpDebugger = async (scenario: string, seq: number): Promise<void> => {
    const session = vscode.debug.activeDebugSession;
    const program: unknown = session?.configuration.program;
    if (session?.type !== ids.debugType || program !== scenario) {
      // The click did nothing the learner can see: say why, where they look.
      const message = `Move the debugger here: the active debug session does not step through ${scenarioLabel(scenario)}; pick its session in the Call Stack view, then try again.`;
      output.appendLine(message);
      void vscode.window.showWarningMessage(message);
      return;
    }
    // Listening before the request: the stop (and the editor showing its line) may come before its answer.
    panel.focusAfterStop(scenario);
    await session.customRequest(CUSTOM.jumpToStep, { seq });
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
    const label = scenarioLabel(scenario);
    const { checkpoint } = options;
    panel.showDebugPosition({ scenario, label, title: `Stepping ${label}`, steps: debugRun.steps, seq, ...(checkpoint && seq !== null ? { checkpoint } : {}) }, { open: options.open ?? false });
    return true;
  };

  const api: LessonApi = {
    progress: store,
    traces,
    postToPanel: (message) => panel.post(message),
    openPanel: (section, options) => panel.open(section, options),
    openPage: (route, options) => panel.openPage(route, options),
    quiz,
    storage: context.globalState,
    receiveFromPanelForTest: (raw) => panel.receiveForTest(raw),
    engineUsesWorker: () => engine.usesWorker,
    showDebugPosition: (position, options) => panel.showDebugPosition(position, options),
    showDebugStep,
    endDebug: (scenario) => {
      if (debugRun?.scenario === scenario) debugRun = undefined;
      panel.endDebug(scenario);
    },
    keepPanelBeside: (scenario) => panel.keepBeside(scenario),
    exportPlayground: (config, target) => exportPlayground(config, target, (m) => panel.post(m)),
    panelState: () => panel.state,
    sidebarState: () => sidebar.state,
    onDidChangePanelState: panel.onDidChangeState,
    lessonViewResolved: sidebar.resolved,
  };

  return { openLesson, openWorkbench, api };
}
