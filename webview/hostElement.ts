// The base of the webview's components: they render into the light DOM (so the page's stylesheet, which follows the
// theme through --vscode-* variables, styles them as it styles everything else) and hear the extension's messages
// while they are on the page.
import { LitElement } from 'lit';
import type { HostMessage } from '../src/views/protocol.js';
import { onHostMessage } from './host.js';

export abstract class HostElement extends LitElement {
  private unsubscribeHost: (() => void) | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribeHost = onHostMessage((m) => this.onHost(m));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribeHost?.();
    this.unsubscribeHost = undefined;
  }

  /** A message from the extension, while the component is connected. */
  protected abstract onHost(m: HostMessage): void;
}
