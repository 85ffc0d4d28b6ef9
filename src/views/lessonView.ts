// The sidebar "Lesson" webview view: for now a placeholder with a short message and two buttons that run
// Open Lesson and Take Knowledge Check. The lesson feature replaces its content; the lockdown and ownership stay.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { ids } from '../constants';
import type { CommandName } from '../constants';

/** Commands the view's buttons may run; anything else arriving from the webview is ignored. */
const VIEW_COMMANDS = ['openLesson', 'takeKnowledgeCheck'] as const satisfies readonly CommandName[];
type ViewCommand = (typeof VIEW_COMMANDS)[number];

/** Messages from the view's script to the extension. */
type FromLessonView = { type: 'lessonView/runCommand'; command: ViewCommand };

function parseMessage(raw: unknown): FromLessonView | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'lessonView/runCommand' && VIEW_COMMANDS.includes(m.command as ViewCommand)) {
    return { type: 'lessonView/runCommand', command: m.command as ViewCommand };
  }
  return undefined;
}

export class LessonViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private view: vscode.WebviewView | undefined;
  private markResolved: () => void = () => undefined;
  /** Settles the first time VS Code resolves the view (when the user first shows it). */
  readonly resolved: Promise<void> = new Promise((resolve) => { this.markResolved = resolve; });

  constructor(private readonly extensionUri: vscode.Uri) {}

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = this.html(view.webview);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      view.onDidDispose(() => { this.view = undefined; }),
    );
    void vscode.commands.executeCommand('setContext', ids.contextKeys.lessonViewResolved, true);
    this.markResolved();
  }

  private onMessage(raw: unknown): void {
    const message = parseMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'lessonView/runCommand':
        void vscode.commands.executeCommand(ids.commands[message.command]);
        break;
      default: {
        const unhandled: never = message.type;
        return unhandled;
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64url');
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource}`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Cache Workbench: Lesson</title>
<style nonce="${nonce}">
  body { padding: 8px 12px; line-height: 1.4; }
  h2 { font-size: 1.1em; margin: 0.4em 0; }
  button { display: block; width: 100%; margin: 8px 0; padding: 4px 8px; border: none; border-radius: 2px; cursor: pointer;
    color: var(--vscode-button-foreground); background: var(--vscode-button-background); font: inherit; }
  button:hover { background: var(--vscode-button-hoverBackground); }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
</style>
</head>
<body data-webview="lesson-view">
<h2>Learn cache write strategies</h2>
<p id="intro">Write-through, write-behind, write-around and cache-aside, run on a simulator you can step through.</p>
<button id="open-lesson" data-command="openLesson">Open Lesson</button>
<button id="take-check" class="secondary" data-command="takeKnowledgeCheck">Take Knowledge Check</button>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const button of document.querySelectorAll('button[data-command]')) {
    button.addEventListener('click', () => vscode.postMessage({ type: 'lessonView/runCommand', command: button.dataset.command }));
  }
</script>
</body>
</html>`;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.view = undefined;
  }
}
