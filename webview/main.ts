// Entry of the webview bundle (dist/webview.js): mounts the workbench panel or the sidebar view, depending on the
// page's `data-webview`, relays the extension's messages as events, and says `state/ready`.
import type { HostMessage, WebviewKind } from '../src/views/protocol.js';
import { WEBVIEW_KINDS } from '../src/views/protocol.js';
import { systemClock } from '../src/views/readyWatchdog.js';
import './app.js';
import { HOST_EVENT, isBenignError, post, reportError } from './host.js';
import { ReadyAnnouncer } from '../src/views/readyAnnouncer.js';
import './sidebar.js';

function isHostMessage(data: unknown): data is HostMessage {
  // Only the extension can post into this page; a light shape check guards against stray window messages.
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

const requested = document.body.dataset.webview;
const view: WebviewKind = WEBVIEW_KINDS.find((k) => k === requested) ?? 'workbench';
// `state/ready` until `state/init` answers it (a message can go missing under load; see ReadyAnnouncer).
const announcer = new ReadyAnnouncer(
  (repeat) => post(repeat === 0 ? { type: 'state/ready', view } : { type: 'state/ready', view, repeat }),
  systemClock,
);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  if (event.data.type === 'state/init') announcer.answer();
  window.dispatchEvent(new CustomEvent<HostMessage>(HOST_EVENT, { detail: event.data }));
});

// Keyboard use, marked on <body> (a key press marks it, a pointer press clears it). A VS Code Elements radio hands its
// focus to the input inside its shadow root, so the radio itself never matches :focus-visible and only the library's
// faint ring inside the circle showed; the stylesheet outlines a radio holding the focus while the keyboard is in use.
window.addEventListener('keydown', () => document.body.classList.add('cw-keys'), { capture: true, passive: true });
window.addEventListener('pointerdown', () => document.body.classList.remove('cw-keys'), { capture: true, passive: true });

window.addEventListener('error', (event) => {
  if (isBenignError(event.message)) return;
  reportError(`${event.message} (${event.filename}:${event.lineno})`);
});
window.addEventListener('unhandledrejection', (event) => {
  reportError(`unhandled rejection: ${String(event.reason)}`);
});

const root = document.createElement(view === 'sidebar' ? 'cw-sidebar' : 'cw-workbench');
document.body.append(root);
announcer.start();
