// The sidebar "Lesson" view (`cacheWorkbench.lesson`): sections with their progress marks and "Continue where I left
// off", rendered by the same webview bundle as the panel, under the same lockdown and the same validated protocol.
import * as vscode from 'vscode';
import { ids } from '../constants';
import type { HostMessage, UiState, WebviewMessage } from './protocol';
import { ReadyWatchdog } from './readyWatchdog';
import { postTo, receive, webviewHtml, webviewResourceRoots } from './workbenchPanel';
import type { WebviewEndpoint, WebviewHost } from './workbenchPanel';

export interface LessonSidebarState {
  resolved: boolean;
  visible: boolean;
  ready: boolean;
  rejectedMessages: number;
  lastRejection: string | undefined;
}

export class LessonSidebarProvider implements vscode.WebviewViewProvider, WebviewEndpoint, vscode.Disposable {
  static readonly viewId = ids.views.lesson;
  readonly kind = 'sidebar' as const;

  private view: vscode.WebviewView | undefined;
  /** Listeners of the current view, disposed when VS Code disposes it (it re-resolves when shown again). */
  private viewDisposables: vscode.Disposable[] = [];
  private ready = false;
  private rejectedMessages = 0;
  private lastRejection: string | undefined;
  private markResolved: () => void = () => undefined;
  /** Sets the page's HTML once more if it has not said `state/ready` within 15 s (code-server can leave it blank). */
  private readonly watchdog = new ReadyWatchdog({
    what: 'lesson view',
    reload: () => {
      if (this.view) this.view.webview.html = this.html(this.view.webview);
    },
    log: (line) => this.output.appendLine(line),
  });
  /** Settles the first time VS Code resolves the view (when the learner first shows it). */
  readonly resolved: Promise<void> = new Promise((resolve) => {
    this.markResolved = resolve;
  });

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
    private readonly host: WebviewHost,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const rejection = receive(raw, this, this.host, this.output);
        if (rejection !== undefined) {
          this.rejectedMessages++;
          this.lastRejection = rejection;
        }
      }),
      view.onDidChangeVisibility(() => {
        // A hidden view's page may be torn down; it says `state/ready` again when it comes back. One that survived says
        // nothing of the kind, but its next message shows it is there (heard).
        if (!view.visible) {
          this.ready = false;
          this.watchdog.cancel();
        } else if (!this.ready && !this.watchdog.isWaiting) {
          this.watchdog.htmlSet();
        }
      }),
      view.onDidDispose(() => {
        this.watchdog.cancel();
        for (const d of this.viewDisposables.splice(0)) d.dispose();
        this.view = undefined;
        this.ready = false;
      }),
    );
    view.webview.html = this.html(view.webview);
    this.watchdog.htmlSet();
    void vscode.commands.executeCommand('setContext', ids.contextKeys.lessonViewResolved, true);
    this.markResolved();
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, 'sidebar', 'Cache Workbench: Lesson');
  }

  post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    const view = this.view;
    postTo(view.webview, message, 'lesson view', this.output, () => {
      // Still the same view: take its page for gone until it says anything again (see heard).
      if (this.view === view) this.ready = false;
    });
  }

  /**
   * Settles once the view's page has started (or after `timeoutMs`). Open Lesson waits for it before creating the
   * panel: two webviews loading at the same instant can leave one of them blank in code-server.
   */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      this.readyWaiters.push(done);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private readyWaiters: (() => void)[] = [];

  onReady(repeat = 0): void {
    if (repeat > 0) this.output.appendLine(`The lesson view's page said state/ready again (repeat ${repeat}): no state/init had reached it; sending it now.`);
    this.ready = true;
    this.watchdog.ready();
    for (const w of this.readyWaiters.splice(0)) w();
    this.post({ type: 'state/init', view: 'sidebar', section: null, route: null, progress: this.host.progress(), settings: this.host.settings() });
  }

  heard(type: WebviewMessage['type']): void {
    if (!this.view || this.ready || !this.view.visible) return;
    this.output.appendLine(`The lesson view's page sent ${type} while it was taken for gone (hidden, or loading again); it is still there, so it gets the current state.`);
    this.onReady();
  }

  onUiState(_state: UiState): void {
    // The sidebar keeps no UI state worth reporting.
  }

  /** Shows the view (VS Code derives the `<view id>.focus` command for every view). */
  async reveal(preserveFocus = true): Promise<void> {
    if (this.view) {
      this.view.show(preserveFocus);
      return;
    }
    await vscode.commands.executeCommand(`${LessonSidebarProvider.viewId}.focus`);
  }

  get state(): LessonSidebarState {
    return {
      resolved: this.view !== undefined,
      visible: this.view?.visible ?? false,
      ready: this.ready,
      rejectedMessages: this.rejectedMessages,
      lastRejection: this.lastRejection,
    };
  }

  dispose(): void {
    this.watchdog.cancel();
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = undefined;
  }
}
