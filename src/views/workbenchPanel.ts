// The "Cache Workbench" editor-area webview panel (one at a time): locked-down HTML, typed messages validated on
// arrival, a serializer that restores it after a reload, and the messages it must replay when its page reloads.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { ids } from '../constants';
import type { TraceStep } from '../model/types';
import { repairUiState, validateWebviewMessage } from './protocol';
import { ReadyWatchdog } from './readyWatchdog';
import type { DebugCheckpoint, HostMessage, ProgressView, Route, UiState, ViewSettings, WebviewKind, WebviewMessage } from './protocol';

/** One webview page the extension talks to: the panel or the sidebar view. */
export interface WebviewEndpoint {
  readonly kind: WebviewKind;
  /** Sends a message to the page (queued or dropped while the page is not listening, see each endpoint). */
  post(message: HostMessage): void;
  /** The page said `state/ready` (`repeat` > 0: again, with no `state/init` yet): send it `state/init`. */
  onReady(repeat?: number): void;
  /** The page reported its UI state. */
  onUiState(state: UiState): void;
  /**
   * The page sent `type` (anything but `state/ready`). A page the endpoint took for gone (hidden, or reloading) that
   * still talks survived: the endpoint posts to it again and sends it what it may have missed.
   */
  heard(type: WebviewMessage['type']): void;
}

/** What a webview page needs from the feature that owns it. */
export interface WebviewHost {
  /** Handles one validated message from a page. */
  handle(message: WebviewMessage, from: WebviewEndpoint): void;
  progress(): ProgressView;
  settings(): ViewSettings;
}

/**
 * Posts `message` to a page. VS Code answers whether the webview took it; one it did not take (the page is not live:
 * hidden, or loading again) is logged and `dropped` runs, and so is a failure to post.
 */
export function postTo(webview: vscode.Webview, message: HostMessage, what: string, output: vscode.OutputChannel, dropped: () => void): void {
  void webview.postMessage(message).then(
    (taken) => {
      if (taken) return;
      output.appendLine(`The ${what}'s page did not take ${message.type} (VS Code found it not live); it gets the current state when it next says anything.`);
      dropped();
    },
    (err: unknown) => {
      output.appendLine(`could not post ${message.type} to the ${what}: ${String(err)}`);
      dropped();
    },
  );
}

/** Where the panel's page may load from: the bundle (and codicons) in dist/, the stylesheet in media/. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** A fresh nonce for each page, from the OS's cryptographic random source. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The CSP every page of the extension uses: nothing by default, the bundle by nonce, styles, fonts and images from the
 * extension. No `data:` images: no page and no VS Code Elements component it imports draws one.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

function escapeAttribute(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The HTML shell of a page: CSP, codicons (the stylesheet id VS Code Elements looks for), media/workbench.css and the
 * bundle as a module script with the nonce. No inline style or script; the bundle mounts the view named by data-webview.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: WebviewKind, title: string): string {
  const nonce = makeNonce();
  const uri = (...segments: string[]): string =>
    escapeAttribute(webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString());
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${uri('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${uri('media', 'workbench.css')}">
<title>${escapeAttribute(title)}</title>
</head>
<body data-webview="${view}">
<noscript>Cache Workbench needs scripts enabled in this webview.</noscript>
<script type="module" nonce="${nonce}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/**
 * Validates a raw message from a page, logs a rejected one to the output channel, and hands a valid one to the host.
 * Returns the rejection reason (for tests), or undefined.
 */
export function receive(
  raw: unknown,
  from: WebviewEndpoint,
  host: WebviewHost,
  output: vscode.OutputChannel,
): string | undefined {
  const result = validateWebviewMessage(raw);
  if (!result.ok) {
    output.appendLine(`rejected webview message: ${result.error}`);
    return result.error;
  }
  try {
    if (result.msg.type !== 'state/ready') from.heard(result.msg.type);
    host.handle(result.msg, from);
  } catch (err) {
    output.appendLine(`webview message ${result.msg.type} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return undefined;
}

/** The debugger's position, kept so it can be replayed to a page that reloads. */
export interface DebugPosition {
  /** The scenario being debugged: the program's path, which identifies the session. */
  scenario: string;
  /** What the page shows of it: the workspace-relative path or the file name. */
  label: string;
  title: string;
  steps: TraceStep[];
  /** Sequence number of the step the debugger stopped at, or null before the first step. */
  seq: number | null;
  /** The `advance` or `expect` line the debugger stopped on, right after step `seq`; absent at a step of its own. */
  checkpoint?: DebugCheckpoint;
}

/** What a test (or a `cacheWorkbench.*` debug command) can read about the panel. */
export interface WorkbenchPanelState {
  open: boolean;
  visible: boolean;
  /** The page has said `state/ready` since it last loaded. */
  ready: boolean;
  /** Last UI state the page reported (section, route, diagram steps). */
  ui: UiState | undefined;
  /** Section the panel will show once its page is ready, if any. */
  pendingSection: string | null;
  /** Page (other than the lesson) the panel will show once its page is ready, if any. */
  pendingRoute: Route | null;
  rejectedMessages: number;
  lastRejection: string | undefined;
  debugScenario: string | undefined;
  /** Steps of the trace the Debug trace page draws, and the step highlighted (null: before the first). */
  debugSteps: number | undefined;
  debugSeq: number | null | undefined;
  /** The debugged scenario's name and the trace page's title, as the page shows them. */
  debugLabel: string | undefined;
  debugTitle: string | undefined;
}

export interface OpenOptions {
  /** Default: the active column. */
  column?: vscode.ViewColumn;
  /** Keep the focus where it is (e.g. in the debugged editor). Default false. */
  preserveFocus?: boolean;
}

/** The singleton workbench panel. Create one per extension activation; it creates and re-creates its WebviewPanel. */
export class WorkbenchPanel implements WebviewEndpoint, vscode.Disposable {
  static readonly viewType = ids.panels.workbench;
  static readonly title = 'Cache Workbench';
  readonly kind = 'workbench' as const;

  private panel: vscode.WebviewPanel | undefined;
  /** Listeners of the current WebviewPanel, disposed with it. */
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingSection: string | null = null;
  private pendingRoute: Route | null = null;
  private ui: UiState | undefined;
  private debug: DebugPosition | undefined;
  /** The page already has the debug trace's steps (reset when the page reloads). */
  private debugStepsSent = false;
  private rejectedMessages = 0;
  private lastRejection: string | undefined;
  /** Sets the page's HTML once more if it has not said `state/ready` within 15 s (code-server can leave it blank). */
  private readonly watchdog = new ReadyWatchdog({
    what: 'workbench panel',
    reload: () => this.reloadHtml(),
    log: (line) => this.output.appendLine(line),
  });
  private readonly stateChanged = new vscode.EventEmitter<WorkbenchPanelState>();
  /** Fires when the page reports new UI state or the panel opens or closes (tests wait on it). */
  readonly onDidChangeState: vscode.Event<WorkbenchPanelState> = this.stateChanged.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
    private readonly host: WebviewHost,
  ) {}

  /** Opens the panel, or reveals it, at `section` (undefined: where it is, or where the learner left off). */
  open(section?: string, options: OpenOptions = {}): void {
    if (section !== undefined) {
      this.pendingSection = section;
      // The lesson at a section was asked for last: it wins over a page asked for before the page was ready.
      this.pendingRoute = null;
    }
    if (this.panel) {
      this.panel.reveal(options.column, options.preserveFocus ?? false);
      if (section !== undefined && this.ready) this.flushSection();
      return;
    }
    if (section === undefined && this.pendingSection === null && this.pendingRoute === null) {
      this.pendingSection = this.host.progress().lastSection;
    }
    this.create(options);
  }

  /** Opens the panel, or reveals it, on a page: the knowledge check, the comparison, the playground (or the lesson). */
  openPage(route: Route, options: OpenOptions = {}): void {
    if (route === 'lesson') {
      this.open(undefined, options);
      if (this.ready) this.postNow({ type: 'route/show', route });
      return;
    }
    this.pendingRoute = route;
    if (this.panel) {
      this.panel.reveal(options.column, options.preserveFocus ?? false);
      if (this.ready) this.flushRoute();
      return;
    }
    this.create(options);
  }

  private create(options: OpenOptions): void {
    const panel = vscode.window.createWebviewPanel(
      WorkbenchPanel.viewType,
      WorkbenchPanel.title,
      { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: webviewResourceRoots(this.extensionUri) },
    );
    this.attach(panel);
  }

  /** Adopts a panel VS Code restored after a reload (from the serializer), with the state its page saved. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    if (this.panel) {
      // Already have one (a command opened it first): the workbench is a singleton, so drop the restored copy.
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    this.ui = state === undefined || state === null ? undefined : repairUiState(state);
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.debugStepsSent = false;
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg'),
    };
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState((e) => {
        // Without retainContextWhenHidden a hidden panel's page is torn down; it says `state/ready` again when shown.
        // One that survived says nothing of the kind, but its next message shows it is there (heard).
        if (!e.webviewPanel.visible) {
          this.ready = false;
          this.watchdog.cancel();
        } else if (!this.ready && !this.watchdog.isWaiting) {
          this.watchdog.htmlSet();
        }
        this.stateChanged.fire(this.state);
      }),
      panel.onDidDispose(() => this.detach()),
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'workbench', WorkbenchPanel.title);
    this.watchdog.htmlSet();
    this.stateChanged.fire(this.state);
  }

  /** The watchdog's retry: the same page again, with a fresh nonce so the webview really reloads. */
  private reloadHtml(): void {
    if (!this.panel) return;
    this.ready = false;
    this.panel.webview.html = webviewHtml(this.panel.webview, this.extensionUri, 'workbench', WorkbenchPanel.title);
  }

  /** Every message the page sends comes through here: validated, counted when rejected, then handled. */
  private receive(raw: unknown): string | undefined {
    const rejection = receive(raw, this, this.host, this.output);
    if (rejection !== undefined) {
      this.rejectedMessages++;
      this.lastRejection = rejection;
    }
    return rejection;
  }

  /**
   * Test support: delivers a raw value as if the page had posted it, through the very same path as the page's
   * listener (validation, logging of a rejection, the handler). Returns the rejection reason, or undefined.
   */
  receiveForTest(raw: unknown): string | undefined {
    return this.receive(raw);
  }

  private detach(): void {
    this.watchdog.cancel();
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = undefined;
    this.ready = false;
    this.pendingSection = null;
    this.pendingRoute = null;
    this.stateChanged.fire(this.state);
  }

  /** Sends a message if the page listens; otherwise keeps what the page needs later (the section to show). */
  post(message: HostMessage): void {
    if (message.type === 'lesson/show') {
      this.pendingSection = message.section;
      if (this.ready) this.flushSection();
      return;
    }
    if (message.type === 'route/show') {
      this.pendingRoute = message.route === 'lesson' ? null : message.route;
      if (this.ready) this.flushRoute();
      return;
    }
    if (!this.panel || !this.ready) return;
    this.postNow(message);
  }

  private postNow(message: HostMessage): void {
    if (!this.panel) return;
    const panel = this.panel;
    postTo(panel.webview, message, 'workbench panel', this.output, () => {
      // Still the same panel: take its page for gone until it says anything again (see heard).
      if (this.panel === panel) this.ready = false;
    });
  }

  onReady(repeat = 0): void {
    if (repeat > 0) this.output.appendLine(`The workbench panel's page said state/ready again (repeat ${repeat}): no state/init had reached it; sending it now.`);
    this.ready = true;
    this.watchdog.ready();
    this.debugStepsSent = false;
    const section = this.pendingSection;
    const route = this.pendingRoute;
    this.pendingSection = null;
    this.pendingRoute = null;
    this.post({ type: 'state/init', view: 'workbench', section, route, progress: this.host.progress(), settings: this.host.settings() });
    if (this.debug) this.sendDebug();
    this.stateChanged.fire(this.state);
  }

  heard(type: WebviewMessage['type']): void {
    if (!this.panel || this.ready || !this.panel.visible) return;
    this.output.appendLine(`The workbench panel's page sent ${type} while it was taken for gone (hidden, or loading again); it is still there, so it gets the current state.`);
    this.ready = true;
    this.watchdog.ready();
    this.postNow({ type: 'progress/changed', progress: this.host.progress() });
    this.postNow({ type: 'settings/changed', settings: this.host.settings() });
    this.flushRoute();
    this.flushSection();
    // The page may have missed positions while it was taken for gone: send the whole trace again.
    this.debugStepsSent = false;
    this.sendDebug();
    this.stateChanged.fire(this.state);
  }

  onUiState(state: UiState): void {
    this.ui = state;
    this.stateChanged.fire(this.state);
  }

  private flushRoute(): void {
    const route = this.pendingRoute;
    if (route === null || !this.panel) return;
    this.pendingRoute = null;
    this.postNow({ type: 'route/show', route });
  }

  private flushSection(): void {
    const section = this.pendingSection;
    if (section === null || !this.panel) return;
    this.pendingSection = null;
    void this.panel.webview.postMessage({ type: 'lesson/show', section } satisfies HostMessage);
  }

  /**
   * Highlights the debugger's current step in the diagram of the scenario being debugged. With `open`, a closed panel
   * opens beside the editor without taking the focus; otherwise the position is kept for when the panel opens.
   */
  showDebugPosition(position: DebugPosition, options: { open?: boolean } = {}): void {
    const sameTrace = this.debug?.scenario === position.scenario && this.debug.steps === position.steps;
    this.debug = position;
    if (!sameTrace) this.debugStepsSent = false;
    if (!this.panel && options.open) this.open(undefined, { column: vscode.ViewColumn.Beside, preserveFocus: true });
    this.sendDebug();
  }

  /**
   * Keeps the panel in view while `scenario` is debugged. VS Code brings the scenario's editor to the front at every
   * stop, which hides the panel when the two share an editor group: the panel then moves to the group beside it
   * (created when there is none), without taking the focus. A panel in a group of its own, or closed, is left alone.
   * Hidden means the scenario is its group's active tab: the panel's own visibility may not have caught up yet when
   * the tabs change (the review found a panel opened over the stopped scenario left behind it at every step).
   */
  keepBeside(scenario: string): void {
    const panel = this.panel;
    if (!panel) return;
    const group = vscode.window.tabGroups.all.find(holdsWorkbenchPanel);
    const front = group?.activeTab?.input;
    if (!group || !(front instanceof vscode.TabInputText) || resolve(front.uri.fsPath) !== resolve(scenario)) return;
    this.output.appendLine(`The workbench panel moves beside ${basename(scenario)} while it is debugged, so both stay in view.`);
    panel.reveal(group.viewColumn + 1, true);
  }

  /**
   * The page's "Move the debugger here" was chosen for `scenario`. The stop that follows shows the scenario's line
   * and, with `debug.focusEditorOnBreak` (VS Code's default), gives its editor the keyboard focus, so a keyboard user
   * lost their place on the page. Once the editor has shown the line (its selection or the active editor changed,
   * then 100 ms of quiet), the panel takes the focus back; its page keeps the diagram focused. Gives up after three
   * seconds without such a change.
   */
  focusAfterStop(scenario: string): void {
    const panel = this.panel;
    if (!panel) return;
    const target = resolve(scenario);
    let settle: ReturnType<typeof setTimeout> | undefined;
    const stop = (): void => {
      for (const s of subs) s.dispose();
      clearTimeout(settle);
      clearTimeout(timer);
    };
    const shown = (editor: vscode.TextEditor | undefined): void => {
      if (editor === undefined || resolve(editor.document.uri.fsPath) !== target) return;
      clearTimeout(settle);
      settle = setTimeout(() => {
        stop();
        if (this.panel === panel) panel.reveal(panel.viewColumn, false);
      }, 100);
    };
    const subs = [vscode.window.onDidChangeActiveTextEditor(shown), vscode.window.onDidChangeTextEditorSelection((e) => shown(e.textEditor))];
    const timer = setTimeout(stop, 3000);
  }

  /** The debug session of `scenario` ended. */
  endDebug(scenario: string): void {
    if (this.debug?.scenario !== scenario) return;
    this.debug = undefined;
    this.post({ type: 'debug/ended', scenario });
  }

  private sendDebug(): void {
    const d = this.debug;
    if (!d || !this.panel || !this.ready) return;
    const message: HostMessage = this.debugStepsSent
      ? { type: 'debug/position', scenario: d.scenario, label: d.label, title: d.title, seq: d.seq, ...(d.checkpoint ? { checkpoint: d.checkpoint } : {}) }
      : { type: 'debug/position', scenario: d.scenario, label: d.label, title: d.title, seq: d.seq, ...(d.checkpoint ? { checkpoint: d.checkpoint } : {}), steps: d.steps };
    this.debugStepsSent = true;
    this.post(message);
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get state(): WorkbenchPanelState {
    return {
      open: this.panel !== undefined,
      visible: this.panel?.visible ?? false,
      ready: this.ready,
      ui: this.ui,
      pendingSection: this.pendingSection,
      pendingRoute: this.pendingRoute,
      rejectedMessages: this.rejectedMessages,
      lastRejection: this.lastRejection,
      debugScenario: this.debug?.scenario,
      debugSteps: this.debug?.steps.length,
      debugSeq: this.debug?.seq,
      debugLabel: this.debug?.label,
      debugTitle: this.debug?.title,
    };
  }

  dispose(): void {
    this.watchdog.cancel();
    this.panel?.dispose();
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = undefined;
    this.stateChanged.dispose();
  }
}

/** Restores the workbench panel after VS Code reloads (registered for `cacheWorkbench.workbench`). */
export class WorkbenchPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly workbench: WorkbenchPanel) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.workbench.restore(panel, state);
  }
}

/** Whether an editor group holds the workbench panel (a webview tab's viewType carries VS Code's own prefix). */
export function holdsWorkbenchPanel(group: vscode.TabGroup): boolean {
  return group.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(ids.panels.workbench));
}
