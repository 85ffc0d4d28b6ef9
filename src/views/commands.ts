// The command handlers of the Command Palette, menus, CodeLens and the walkthrough: one small handler per command id,
// each delegating to the feature that owns it.
import * as vscode from 'vscode';
import { isAbsolute } from 'node:path';
import { ids } from '../constants';
import type { CommandName } from '../constants';
import type { ScenarioDebugger } from '../debug/register';
import { described } from '../model/words';
import { EXAMPLES } from '../scenario/examples';
import { openExampleCopy } from './exampleEditor';
import type { LessonFeature } from './lessonFeature';
import { confirmReset } from './resetConfirm';
import type { AskReset } from './resetConfirm';
import type { RunOutcome, ScenarioLanguage } from './scenarioLanguage';

/** What the handlers need from the rest of the extension. */
export interface CommandDeps {
  output: vscode.OutputChannel;
  lesson: LessonFeature;
  language: ScenarioLanguage;
  scenarioDebugger: ScenarioDebugger;
}

/**
 * The scenario a command acts on: a Uri, an absolute file path, else (no argument) the active scenario editor, or
 * undefined for the command to say there is none. Another argument is refused, saying what was expected (`ok: false`),
 * rather than quietly swapped for whatever editor is active: a keybinding's `args` with a relative path would
 * otherwise run some other scenario.
 */
function targetScenario(arg: unknown, output: vscode.OutputChannel, command: string): { ok: true; uri: vscode.Uri | undefined } | { ok: false; message: string } {
  if (arg instanceof vscode.Uri) return { ok: true, uri: arg };
  if (typeof arg === 'string' && isAbsolute(arg)) return { ok: true, uri: vscode.Uri.file(arg) };
  if (arg !== undefined && arg !== null) {
    const message = `${command}: expected a scenario file (a Uri or an absolute path), got ${described(arg)}; nothing run.`;
    output.appendLine(message);
    void vscode.window.showErrorMessage(`Cache Workbench: ${message}`);
    return { ok: false, message };
  }
  const doc = vscode.window.activeTextEditor?.document;
  return { ok: true, uri: doc?.languageId === ids.language ? doc.uri : undefined };
}

/**
 * Opens the learner's copy of a bundled scenario (see exampleEditor.ts) in an editor, ready to run or step; saving it
 * never changes the installed extension. Given a bundled file name it opens that one and returns its editor; otherwise
 * it lists the scenarios by claim in a quick pick and settles at once, opening the one picked later: a caller that
 * awaits the command (a walkthrough link, a test running every command) does not wait on a learner who may never pick.
 */
export async function openExample(context: vscode.ExtensionContext, output: vscode.OutputChannel, arg: unknown): Promise<vscode.TextEditor | undefined> {
  const file = typeof arg === 'string' && EXAMPLES.some((e) => e.file === arg) ? arg : undefined;
  if (file) return (await openExampleCopy(context, output, file, { preview: false }))?.editor;
  if (arg !== undefined && arg !== null) output.appendLine(`Open Example Scenario: ${described(arg)} is no bundled example; pick one`);
  pickExample()
    .then((picked) => (picked ? openExampleCopy(context, output, picked, { preview: false }) : undefined))
    .catch((err: unknown) => output.appendLine(`Open Example Scenario failed: ${err instanceof Error ? err.message : String(err)}`));
  return undefined;
}

/** The quick pick of the bundled scenarios, by claim; the file picked, or undefined when it was dismissed. */
async function pickExample(): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { file?: string };
  const items: Item[] = [];
  let group = '';
  for (const e of EXAMPLES) {
    const g = e.claim === 'extra' ? 'Product presets and failure modes' : 'Claims of the lesson';
    if (g !== group) {
      items.push({ label: g, kind: vscode.QuickPickItemKind.Separator });
      group = g;
    }
    items.push({ label: `${e.claim === 'extra' ? '' : `${e.claim}: `}${e.title}`, description: e.strategy, detail: e.summary, file: e.file });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Open Example Scenario', placeHolder: 'Pick a scenario to open, run or step through', matchOnDetail: true });
  return picked?.file;
}

/** Registers every command of package.json; each registration is owned by `context.subscriptions`. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { lesson, language, scenarioDebugger } = deps;
  const handlers: Record<CommandName, (...args: unknown[]) => unknown> = {
    openLesson: (arg) => lesson.openLesson(arg),
    openWorkbench: (arg) => lesson.openWorkbench(arg),
    compareStrategies: () => lesson.api.openPage('compare'),
    takeKnowledgeCheck: () => lesson.api.openPage('quiz'),
    openExample: (arg) => openExample(context, deps.output, arg),
    stepThroughScenario: (arg) => {
      const target = targetScenario(arg, deps.output, 'Step Through Scenario');
      return target.ok ? scenarioDebugger.stepThroughScenario(target.uri) : false;
    },
    runScenario: (arg) => {
      const target = targetScenario(arg, deps.output, 'Run Scenario');
      return target.ok ? language.runScenario(target.uri) : ({ kind: 'bad-argument', message: target.message } satisfies RunOutcome);
    },
    resetProgress: async (arg) => {
      // Tests (and scripted callers) may pass { confirm: false } to skip the question; a learner is always asked.
      const ask: AskReset = (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items);
      if (!(await confirmReset(arg, ask, (line) => deps.output.appendLine(line)))) return false;
      await lesson.api.progress.reset();
      deps.output.appendLine('Progress reset.');
      return true;
    },
    // VS Code's own commands, which have no default key and no title in the palette; these have both (package.json),
    // only while a scenario is debugged.
    stepBack: () => vscode.commands.executeCommand('workbench.action.debug.stepBack'),
    reverseContinue: () => vscode.commands.executeCommand('workbench.action.debug.reverseContinue'),
  };

  for (const name of Object.keys(handlers) as CommandName[]) {
    context.subscriptions.push(vscode.commands.registerCommand(ids.commands[name], handlers[name]));
  }
}
