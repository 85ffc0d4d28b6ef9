// Entry point: activate() wires the features together and hands every disposable to the extension context.
// No logic lives here; each feature module owns its behaviour.
import * as vscode from 'vscode';
import { ids } from './constants';
import { watchSettings } from './config';
import { registerDebugger } from './debug/register';
import { registerCommands } from './views/commands';
import { registerLesson } from './views/lessonFeature';
import { registerScenarioLanguage } from './views/scenarioLanguage';
import { flushMementos } from './views/mementoWrites';
import { openLessonIfAsked } from './views/startupLesson';
import type { LessonApi } from './views/lessonFeature';
import type { DebugCheckpoint } from './views/protocol';
import type { ScenarioLanguage } from './views/scenarioLanguage';

/** What activate() returns: used by the integration tests (and by any extension that depends on this one). */
export interface CacheWorkbenchApi {
  /** How long activate() took, in ms. */
  readonly activationMs: number;
  /** Settles once the sidebar lesson view has been shown and resolved. */
  readonly lessonViewResolved: Promise<void>;
  /** The lesson feature (progress, panel state) and the scenario language (run outcomes), for tests. */
  readonly lesson: LessonApi;
  readonly language: ScenarioLanguage;
}

export function activate(context: vscode.ExtensionContext): CacheWorkbenchApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel(ids.outputChannel);
  context.subscriptions.push(output);

  const lesson = registerLesson(context, output);
  const language = registerScenarioLanguage(context, output);
  const scenarioDebugger = registerDebugger(context, output);
  registerCommands(context, { output, lesson, language, scenarioDebugger });
  context.subscriptions.push(watchSettings(output));

  // The workbench diagram follows the debugger's current step, and the open panel stays in view beside the scenario.
  context.subscriptions.push(
    // null: before the first step, on entry or at a checkpoint before any step ran (its seq is 0).
    scenarioDebugger.onDidStep(({ session, position }) => {
      // At an `advance` or `expect` line the step is the checkpoint's own (it keeps the number of the step before it).
      const action = position.step?.action;
      const checkpoint = action === 'advance' || action === 'expect' ? { kind: action, line: position.line } : undefined;
      followDebugger(lesson.api, session, scenarioDebugger.loadedText(session), position.step?.seq || null, checkpoint);
      keepPanelBeside(lesson.api, session);
    }),
    // A stop brings the scenario's editor to the front, maybe after the step event: check again when the tabs change.
    vscode.window.tabGroups.onDidChangeTabs(() => keepPanelBeside(lesson.api, vscode.debug.activeDebugSession)),
    // ... and when the panel opens (or shows) in the scenario's group while it is debugged.
    lesson.api.onDidChangePanelState(() => keepPanelBeside(lesson.api, vscode.debug.activeDebugSession)),
    vscode.debug.onDidTerminateDebugSession((s) => {
      const program: unknown = s.configuration.program;
      if (s.type === ids.debugType && typeof program === 'string') lesson.api.endDebug(program);
    }),
  );

  const activationMs = performance.now() - started;
  output.appendLine(`Cache Workbench ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  openLessonIfAsked(process.env, () => lesson.openLesson(), (line) => output.appendLine(line));
  return { activationMs, lessonViewResolved: lesson.api.lessonViewResolved, lesson: lesson.api, language };
}

/**
 * Shows the debugger's step in the workbench diagram when the panel is open (never opens it by itself). The diagram
 * runs the text the session recorded at launch, not the file as it is now: a scenario edited (or deleted) while it is
 * debugged would give the diagram another trace, where the debugger's step numbers name other steps.
 */
function followDebugger(lesson: LessonApi, session: vscode.DebugSession, text: string | undefined, seq: number | null, checkpoint: DebugCheckpoint | undefined): void {
  const program: unknown = session.configuration.program;
  if (typeof program !== 'string' || text === undefined) return;
  const seed: unknown = session.configuration.seed;
  lesson.showDebugStep(program, text, seq, { open: false, ...(typeof seed === 'number' ? { seed } : {}), ...(checkpoint ? { checkpoint } : {}) });
}

/** While a scenario is debugged, the open workbench panel must not hide behind its editor. */
function keepPanelBeside(lesson: LessonApi, session: vscode.DebugSession | undefined): void {
  const program: unknown = session?.configuration.program;
  if (session?.type === ids.debugType && typeof program === 'string') lesson.keepPanelBeside(program);
}

/**
 * Everything else is disposed through context.subscriptions. Progress and quiz changes still queued for globalState
 * (see views/mementoWrites.ts) are handed over now: VS Code waits for this promise before the extension host goes.
 */
export function deactivate(): Promise<void> {
  return flushMementos();
}
