// The webview's side of the channel to the extension: typed postMessage, persisted UI state, and host messages as events.
// acquireVsCodeApi() may be called once per page, so every component goes through this module.
import { repairUiState } from '../src/views/protocol.js';
import type { HostMessage, UiState, WebviewMessage } from '../src/views/protocol.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscodeApi(): VsCodeApi {
  if (!api) {
    api =
      typeof acquireVsCodeApi === 'function'
        ? acquireVsCodeApi()
        : // Outside VS Code (a browser harness without the fake): keep working, talk to nobody.
          { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  }
  return api;
}

export function post(message: WebviewMessage): void {
  vscodeApi().postMessage(message);
}

/** The UI state saved by this webview before it was hidden or reloaded, repaired if it is old or damaged. */
export function loadUiState(): UiState {
  return repairUiState(vscodeApi().getState());
}

export function saveUiState(state: UiState): void {
  vscodeApi().setState(state);
}

/** Host messages, dispatched on `window` by main.ts as `cw-host` events so components can listen where they live. */
export type HostEvent = CustomEvent<HostMessage>;
export const HOST_EVENT = 'cw-host';

export function onHostMessage(listener: (msg: HostMessage) => void): () => void {
  const handler = (e: Event): void => listener((e as HostEvent).detail);
  window.addEventListener(HOST_EVENT, handler);
  return () => window.removeEventListener(HOST_EVENT, handler);
}

/** Reports an error to the extension's output channel (best effort, never throws). */
/**
 * Browser reports that are no fault of the page: Chromium's "ResizeObserver loop completed with undelivered
 * notifications" (a resize handled in the next frame, as the specification intends; the diagram and the charts fit
 * themselves to their width that way). Reported, they only cluttered the learner's Output channel.
 */
export function isBenignError(message: string): boolean {
  return /^ResizeObserver loop (completed with undelivered notifications|limit exceeded)\b/.test(message);
}

export function reportError(message: string): void {
  try {
    post({ type: 'log/error', message: message.slice(0, 2000) });
  } catch {
    // Nothing else to do from inside a webview.
  }
}
