// The command handlers of the Command Palette, menus and the lesson view: one small handler per command id.
// For now they open a placeholder workbench panel or say what they will do; each feature replaces its own handler.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { ids } from '../constants';
import type { CommandName } from '../constants';

/** What the handlers need from the rest of the extension. */
export interface CommandDeps {
  output: vscode.OutputChannel;
}

/** Pages of the editor-area workbench panel; each becomes its own view in the webview bundle later. */
type Page = 'lesson' | 'workbench' | 'compare' | 'quiz';

const PAGES: Record<Page, { title: string; text: string }> = {
  lesson: {
    title: 'Lesson',
    text: 'The lesson on write-through, write-behind, write-around and cache-aside, with animated traces, will appear here.',
  },
  workbench: {
    title: 'Workbench',
    text: 'The workbench will let you pick a strategy, tune latency, capacity and the write-behind queue, and run workloads.',
  },
  compare: {
    title: 'Compare Strategies',
    text: 'Every strategy will run on the same workload here, side by side: latency, hit ratio, stale reads and lost writes.',
  },
  quiz: {
    title: 'Knowledge Check',
    text: 'A short knowledge check on the write strategies and their trade-offs will appear here.',
  },
};

/** The one editor-area panel (view type `cacheWorkbench.workbench`); reused across commands, disposed with the extension. */
class WorkbenchPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  show(page: Page): void {
    const { title, text } = PAGES[page];
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(ids.panels.workbench, `Cache Workbench: ${title}`, vscode.ViewColumn.Active, {
        enableScripts: false,
        localResourceRoots: [],
      });
      this.disposables.push(this.panel.onDidDispose(() => { this.panel = undefined; }));
    }
    this.panel.title = `Cache Workbench: ${title}`;
    this.panel.webview.html = placeholderHtml(page, title, text);
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function placeholderHtml(page: Page, title: string, text: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Cache Workbench: ${escapeHtml(title)}</title>
<style nonce="${nonce}">body { padding: 16px 24px; max-width: 48em; line-height: 1.5; } .note { opacity: 0.8; }</style>
</head>
<body data-webview="workbench" data-page="${page}">
<h1>${escapeHtml(title)}</h1>
<p id="placeholder">${escapeHtml(text)}</p>
<p class="note">Cache Workbench is under construction: this page is a placeholder.</p>
</body>
</html>`;
}

/** The `.cachescenario` document a scenario command acts on: the explorer/editor argument, else the active editor. */
function targetScenario(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === ids.language ? doc.uri : undefined;
}

function inform(deps: CommandDeps, message: string): void {
  deps.output.appendLine(message);
  // Not awaited: the promise settles only when the notification is dismissed, and a command must return at once.
  void vscode.window.showInformationMessage(message);
}

/** Registers every command of package.json; each registration is owned by `context.subscriptions`. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const panel = new WorkbenchPanel();
  context.subscriptions.push(panel);

  const handlers: Record<CommandName, (...args: unknown[]) => unknown> = {
    openLesson: () => panel.show('lesson'),
    openWorkbench: () => panel.show('workbench'),
    compareStrategies: () => panel.show('compare'),
    takeKnowledgeCheck: () => panel.show('quiz'),
    openExample: () =>
      inform(deps, 'Open Example Scenario will let you pick one of the bundled .cachescenario examples and open it in an editor.'),
    stepThroughScenario: (arg) => {
      const uri = targetScenario(arg);
      inform(deps, uri
        ? `Step Through Scenario will start the scenario debugger on ${vscode.workspace.asRelativePath(uri)}, one step at a time, forward and back.`
        : 'Step Through Scenario will step through the .cachescenario file in the active editor; open one first.');
    },
    runScenario: (arg) => {
      const uri = targetScenario(arg);
      inform(deps, uri
        ? `Run Scenario will run ${vscode.workspace.asRelativePath(uri)} on the simulator and show its trace and metrics.`
        : 'Run Scenario will run the .cachescenario file in the active editor and show its trace; open one first.');
    },
    resetProgress: () =>
      inform(deps, 'Reset Progress will clear your lesson progress and knowledge-check scores; nothing is saved yet.'),
  };

  for (const name of Object.keys(handlers) as CommandName[]) {
    context.subscriptions.push(vscode.commands.registerCommand(ids.commands[name], handlers[name]));
  }
}
