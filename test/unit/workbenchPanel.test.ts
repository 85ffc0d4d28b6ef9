// The webview pages' lockdown and their message gate (issue "The lesson"): the HTML shell every page gets runs under a
// strict CSP whose only script is the bundle, allowed by a fresh crypto nonce; a message that fails validation is
// refused, logged to the output channel with its reason, and never reaches the handler.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as vscode from 'vscode';
import { contentSecurityPolicy, makeNonce, receive, webviewHtml } from '../../src/views/workbenchPanel';
import type { WebviewEndpoint, WebviewHost } from '../../src/views/workbenchPanel';
import type { WebviewMessage } from '../../src/views/protocol';

/** code-server's `webview.cspSource`. */
const CSP_SOURCE = "'self' https://*.vscode-cdn.net";

/** A webview as webviewHtml uses it: a CSP source and resource links under a fake origin. */
const webview = {
  cspSource: CSP_SOURCE,
  asWebviewUri: (uri: { path: string }) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${uri.path}` }),
} as unknown as vscode.Webview;
const extensionUri = { path: '/ext' } as unknown as vscode.Uri;

/** The page's CSP meta content, decoded, as a map of directive -> sources. */
function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'no CSP meta tag');
  const content = (m[1] ?? '').replace(/&#39;/g, "'");
  return new Map(content.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name ?? '', sources]));
}

describe('webview HTML and CSP', () => {
  it('allows nothing by default, scripts only by the page\'s nonce, styles, fonts and images only from the extension', () => {
    const html = webviewHtml(webview, extensionUri, 'workbench', 'Cache Workbench');
    const csp = cspOf(html);
    assert.deepEqual([...csp.keys()], ['default-src', 'script-src', 'style-src', 'font-src', 'img-src']);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const scriptSrc = csp.get('script-src') ?? [];
    assert.equal(scriptSrc.length, 1);
    assert.match(scriptSrc[0] ?? '', /^'nonce-[A-Za-z0-9+/]{24}'$/);
    assert.deepEqual(csp.get('style-src'), CSP_SOURCE.split(' '));
    assert.deepEqual(csp.get('font-src'), CSP_SOURCE.split(' '));
    assert.deepEqual(csp.get('img-src'), CSP_SOURCE.split(' '), 'no data: images');
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('loads the bundle as the one script, carrying the nonce, with no inline script, style or handler', () => {
    const html = webviewHtml(webview, extensionUri, 'workbench', 'Cache Workbench');
    const nonce = /'nonce-([^']+)'/.exec((cspOf(html).get('script-src') ?? [])[0] ?? '')?.[1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(nonce && (scripts[0]?.[1] ?? '').includes(` nonce="${nonce}" `), 'the script carries the CSP\'s nonce');
    assert.match(scripts[0]?.[1] ?? '', /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.equal(scripts[0]?.[2], '', 'no inline script');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="[^"]*\/ext\/dist\/codicons\/codicon\.css">/);
    assert.match(html, /<body data-webview="workbench">/);
  });

  it('makes a new nonce for every page, from 18 random bytes', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => makeNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 18);
    const a = cspOf(webviewHtml(webview, extensionUri, 'sidebar', 'Lesson')).get('script-src');
    const b = cspOf(webviewHtml(webview, extensionUri, 'sidebar', 'Lesson')).get('script-src');
    assert.notDeepEqual(a, b);
  });

  it('builds the policy from the source it is given', () => {
    assert.equal(contentSecurityPolicy('vscode-webview:', 'abc'), "default-src 'none'; script-src 'nonce-abc'; style-src vscode-webview:; font-src vscode-webview:; img-src vscode-webview:");
  });
});

/** The files of `dir` (recursively) whose names end in one of `exts`. */
function filesUnder(dir: string, exts: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), exts) : exts.some((x) => e.name.endsWith(x)) ? [join(dir, e.name)] : []);
}

/** The VS Code Elements modules the pages load: each component they import and, through relative imports, its parts. */
function elementsModules(): string[] {
  const pending = filesUnder('webview', ['.ts']).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/from '@vscode-elements\/elements\/(dist\/[^']+)'|import '@vscode-elements\/elements\/(dist\/[^']+)'/g)]
      .map((m) => resolve('node_modules', '@vscode-elements', 'elements', m[1] ?? m[2] ?? '')));
  const seen = new Set<string>();
  for (let f = pending.pop(); f !== undefined; f = pending.pop()) {
    if (seen.has(f) || !existsSync(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import) '(\.{1,2}\/[^']+)'/g)) pending.push(resolve(dirname(f), m[1] ?? ''));
  }
  return [...seen];
}

describe('what the pages load, against the CSP', () => {
  it('no page, stylesheet or VS Code Elements component it imports uses a data: URL (img-src allows none)', () => {
    const modules = elementsModules();
    assert.ok(modules.some((f) => f.endsWith('vscode-radio.styles.js')), 'the walk reaches the components\' styles');
    const sources = [...filesUnder('webview', ['.ts']), ...filesUnder('media', ['.css']), ...modules];
    assert.deepEqual(sources.filter((f) => /\bdata:[a-z]+\/|url\(\s*['"]?data:/i.test(readFileSync(f, 'utf8'))), []);
  });
});

describe('messages from a page', () => {
  const endpoint = { kind: 'workbench', heard: () => undefined } as unknown as WebviewEndpoint;
  const setup = (): { lines: string[]; handled: WebviewMessage[]; output: vscode.OutputChannel; host: WebviewHost } => {
    const lines: string[] = [];
    const handled: WebviewMessage[] = [];
    const output = { appendLine: (line: string) => lines.push(line) } as unknown as vscode.OutputChannel;
    const host = { handle: (m: WebviewMessage) => handled.push(m) } as unknown as WebviewHost;
    return { lines, handled, output, host };
  };

  it('refuses a malformed message: its reason is logged to the output channel and returned, and the handler never sees it', () => {
    const { lines, handled, output, host } = setup();
    for (const raw of [null, 'lesson/open', { type: 'no/such-message' }, { type: 'lesson/open', section: 7 }]) {
      const reason = receive(raw, endpoint, host, output);
      assert.ok(reason && reason.length > 10, `no reason for ${JSON.stringify(raw)}`);
      assert.equal(lines.at(-1), `rejected webview message: ${reason}`);
    }
    assert.equal(lines.length, 4);
    assert.deepEqual(handled, []);
  });

  it('hands a valid message to the handler, and logs a handler that throws instead of throwing', () => {
    const { lines, handled, output, host } = setup();
    assert.equal(receive({ type: 'lesson/open', section: 'write-behind' }, endpoint, host, output), undefined);
    assert.deepEqual(handled, [{ type: 'lesson/open', section: 'write-behind' }]);
    assert.deepEqual(lines, []);
    const throwing = { handle: () => { throw new Error('boom'); } } as unknown as WebviewHost;
    assert.equal(receive({ type: 'state/ready', view: 'workbench' }, endpoint, throwing, output), undefined);
    assert.deepEqual(lines, ['webview message state/ready failed: boom']);
  });

  it('tells the page\'s endpoint it was heard from, before the handler, for every valid message but state/ready', () => {
    const { output } = setup();
    const order: string[] = [];
    const listening = { kind: 'workbench', heard: (type: string) => order.push(`heard ${type}`) } as unknown as WebviewEndpoint;
    const host = { handle: (m: WebviewMessage) => order.push(`handled ${m.type}`) } as unknown as WebviewHost;
    receive({ type: 'lesson/open', section: null }, listening, host, output);
    receive({ type: 'state/ready', view: 'workbench' }, listening, host, output);
    receive({ type: 'no/such-message' }, listening, host, output);
    assert.deepEqual(order, ['heard lesson/open', 'handled lesson/open', 'handled state/ready']);
  });
});
