// What the snippet buttons do: open the code in an untitled editor, copy it to the clipboard, or run the snippet's
// scenario and answer with its trace. Snippets are looked up by (strategy, language); code never comes from a webview.
import * as vscode from 'vscode';
import { findSnippet } from '../lesson/snippets';
import type { Snippet, SnippetLanguage } from '../lesson/snippets';
import type { Strategy } from '../model/types';
import { traceFailure } from './traces';
import { holdsWorkbenchPanel } from './workbenchPanel';
import type { DiagramTraceMessage, TraceLibrary } from './traces';

export class SnippetNotFoundError extends Error {
  constructor(strategy: Strategy, language: SnippetLanguage) {
    super(`the lesson has no ${language} snippet for ${strategy}`);
  }
}

function snippetOrThrow(strategy: Strategy, language: SnippetLanguage): Snippet {
  const snippet = findSnippet(strategy, language);
  if (!snippet) throw new SnippetNotFoundError(strategy, language);
  return snippet;
}

/** An editor group as `editorColumnBesidePanel` sees it. */
export interface GroupView {
  viewColumn: number;
  /** The group holds the workbench panel. */
  hasPanel: boolean;
}

/**
 * Where an editor opened from the workbench panel goes: an editor group the panel is not in, the nearest to the
 * panel's (an editor beside a scenario, say), else a new group beside it (`beside`). Always opening beside the active
 * group, the panel's, opened a third column when the panel already stood beside one, and squeezed the panel.
 */
export function editorColumnBesidePanel(groups: readonly GroupView[]): number | 'beside' {
  const panel = groups.find((g) => g.hasPanel);
  let best: GroupView | undefined;
  for (const g of groups) {
    if (g.hasPanel || panel === undefined) continue;
    if (best === undefined || Math.abs(g.viewColumn - panel.viewColumn) < Math.abs(best.viewColumn - panel.viewColumn)) best = g;
  }
  return best === undefined ? 'beside' : best.viewColumn;
}

/** `editorColumnBesidePanel` for this window's editor groups. */
export function columnBesidePanel(): vscode.ViewColumn {
  const groups = vscode.window.tabGroups.all.map((g) => ({ viewColumn: g.viewColumn, hasPanel: holdsWorkbenchPanel(g) }));
  const column = editorColumnBesidePanel(groups);
  return column === 'beside' ? vscode.ViewColumn.Beside : column;
}

/**
 * Opens `content` as a new untitled document of `language` beside the workbench panel (`columnBesidePanel`), cursor at the top (or shows
 * the untitled document that already holds exactly that text, still open from an earlier click). The
 * document is created empty and filled once it is shown: VS Code itself opens a dirty untitled document that no editor
 * shows yet, in the active group, and over a remote connection (code-server) that can come before the extension's
 * `showTextDocument`, leaving the document in both groups (microsoft/vscode#124539). Filling it is one undo step;
 * the indentation is then detected from the text, as it would have been from a document opened with it.
 */
export async function showUntitledBeside(language: string, content: string): Promise<vscode.TextEditor> {
  // Asked again for the same text (a second click), the untitled document already holding it is shown: one tab, not
  // one per click. A copy the learner has edited no longer matches, so it is left alone and a fresh one opens.
  const same = vscode.workspace.textDocuments.find((d) => d.isUntitled && !d.isClosed && d.languageId === language && d.getText() === content);
  if (same) return vscode.window.showTextDocument(same, { viewColumn: columnBesidePanel(), preview: false });
  const document = await vscode.workspace.openTextDocument({ language });
  const editor = await vscode.window.showTextDocument(document, { viewColumn: columnBesidePanel(), preview: false });
  const top = new vscode.Position(0, 0);
  if (!(await editor.edit((b) => b.insert(top, content)))) throw new Error('the new editor refused the text');
  editor.selection = new vscode.Selection(top, top);
  editor.revealRange(new vscode.Range(top, top));
  // VS Code guessed the indentation from the empty document; guess again from the text (the new editor is active).
  await vscode.commands.executeCommand('editor.action.detectIndentation');
  return editor;
}

/** Opens the snippet as an untitled document of its language, beside the workbench. */
export async function openSnippetInEditor(strategy: Strategy, language: SnippetLanguage): Promise<vscode.TextEditor> {
  const snippet = snippetOrThrow(strategy, language);
  return showUntitledBeside(snippet.language, snippet.code);
}

/** Copies the snippet's code to the clipboard. */
export async function copySnippet(strategy: Strategy, language: SnippetLanguage): Promise<void> {
  const snippet = snippetOrThrow(strategy, language);
  await vscode.env.clipboard.writeText(snippet.code);
}

/**
 * Runs the snippet's scenario; the answer is the `diagram/trace` message the webview is waiting for, an error result
 * (reported through `log` too) when the run throws, as `diagramTrace` answers a lesson diagram. Never rejects.
 */
export async function runSnippet(
  traces: Pick<TraceLibrary, 'traceFile'>,
  requestId: string,
  strategy: Strategy,
  language: SnippetLanguage,
  log: (line: string) => void,
): Promise<DiagramTraceMessage> {
  const request = { requestId, strategy, variant: null, variants: [] };
  const scenario = findSnippet(strategy, language)?.scenario;
  try {
    const snippet = snippetOrThrow(strategy, language);
    return { type: 'diagram/trace', ...request, result: await traces.traceFile(snippet.scenario) };
  } catch (err) {
    log(`running the snippet scenario failed: ${err instanceof Error ? err.message : String(err)}`);
    return traceFailure(request, scenario ?? '', err);
  }
}
