// Entry point: activate() wires the features together and hands every disposable to the extension context.
// No logic lives here; each feature module owns its behaviour.
import * as vscode from 'vscode';
import { ids } from './constants';
import { watchSettings } from './config';
import { registerCommands } from './views/commands';
import { LessonViewProvider } from './views/lessonView';

/** What activate() returns: used by the integration tests (and by any extension that depends on this one). */
export interface CacheWorkbenchApi {
  /** How long activate() took, in ms. */
  readonly activationMs: number;
  /** Settles once the sidebar lesson view has been shown and resolved. */
  readonly lessonViewResolved: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): CacheWorkbenchApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel(ids.outputChannel);
  context.subscriptions.push(output);

  const lessonView = new LessonViewProvider(context.extensionUri);
  context.subscriptions.push(lessonView, vscode.window.registerWebviewViewProvider(ids.views.lesson, lessonView));
  registerCommands(context, { output });
  context.subscriptions.push(watchSettings(output));

  const activationMs = performance.now() - started;
  output.appendLine(`Cache Workbench ${String(context.extension.packageJSON.version)} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, lessonViewResolved: lessonView.resolved };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
