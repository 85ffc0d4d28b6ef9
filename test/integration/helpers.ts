// Helpers shared by the integration suites: activate the extension under test and read its manifest.
import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ids } from '../../src/constants';
import type { CacheWorkbenchApi } from '../../src/extension';

/** The contributed parts of package.json that the suites check. */
export interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string; name: string; type?: string }[]>;
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

export function extension(): vscode.Extension<CacheWorkbenchApi> {
  const ext = vscode.extensions.getExtension<CacheWorkbenchApi>(ids.extension);
  assert.ok(ext, `extension ${ids.extension} is not loaded`);
  return ext;
}

/** Activates the extension (idempotent) and returns its API. */
export async function activate(): Promise<CacheWorkbenchApi> {
  return extension().activate();
}

export function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

/** Rejects when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let scratchCount = 0;

/**
 * Shows `content` as a new scenario file (its line ends kept) and returns its editor. Each file has a name no earlier
 * document had. `openTextDocument({ content })` gave a new untitled document the `Untitled-N` name of one just closed,
 * and the extension host can still hold the closed one under that name: a CI run typed into a new document and read an
 * earlier test's text (the completion offered that document's key). A file opened from disk holds its text from the
 * first diagnostics on, which an untitled document filled after opening does not.
 */
export async function scenarioFile(content: string): Promise<vscode.TextEditor> {
  scratchCount += 1;
  const uri = vscode.Uri.file(join(tmpdir(), `cache-workbench-test-${process.pid}-${scratchCount}.cachescenario`));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  const editor = await vscode.window.showTextDocument(uri);
  assert.equal(editor.document.uri.toString(), uri.toString());
  assert.equal(editor.document.languageId, ids.language, 'a .cachescenario file is a scenario');
  assert.equal(editor.document.getText(), content, 'the new scenario holds exactly the text given');
  return editor;
}

/** Shows `content` in a new untitled scenario, under a name no earlier document had (see scenarioFile). */
export async function untitledScenario(content: string): Promise<vscode.TextDocument> {
  scratchCount += 1;
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `untitled-${scratchCount}.cachescenario` });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), content)), 'the new untitled scenario refused its text');
  assert.equal(editor.document.languageId, ids.language, 'a .cachescenario name gives the scenario language');
  assert.equal(editor.document.getText(), content, 'the new untitled scenario holds exactly the text given');
  return editor.document;
}
