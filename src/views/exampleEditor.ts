// Open Example (and the lesson's "open" / "step through" links) open the learner's own copy of a bundled scenario, in
// `<globalStorage>/examples/`, so Run, the CodeLenses and the debugger work on a real file while the installed
// extension's files stay as shipped. An edited copy is never overwritten; the learner is offered the original instead.
import * as vscode from 'vscode';
import { ExampleCopies } from './exampleCopies';
import type { CopyAction, ExampleFiles } from './exampleCopies';
import { serialMemento } from './mementoWrites';
import { SCENARIO_FILE_PATTERN } from './protocol';

export interface OpenedExample {
  editor: vscode.TextEditor;
  action: CopyAction;
}

/** Where the copy of bundled scenario `file` lives. */
export function exampleCopyUri(context: vscode.ExtensionContext, file: string): vscode.Uri {
  return vscode.Uri.joinPath(context.globalStorageUri, 'examples', file);
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    throw err;
  }
}

function exampleCopies(context: vscode.ExtensionContext): ExampleCopies {
  const files: ExampleFiles = {
    readBundled: (file) => (SCENARIO_FILE_PATTERN.test(file) ? readText(vscode.Uri.joinPath(context.extensionUri, 'scenarios', file)) : Promise.resolve(undefined)),
    readCopy: (file) => readText(exampleCopyUri(context, file)),
    writeCopy: async (file, text) => {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(context.globalStorageUri, 'examples'));
      await vscode.workspace.fs.writeFile(exampleCopyUri(context, file), new TextEncoder().encode(text));
    },
    isDirty: (file) => openDocument(exampleCopyUri(context, file))?.isDirty ?? false,
  };
  return new ExampleCopies(files, serialMemento(context.globalState));
}

/** Puts the bundled text back into the copy, through the editor (so unsaved edits go too), and saves it. */
async function restoreOriginal(context: vscode.ExtensionContext, copies: ExampleCopies, file: string): Promise<void> {
  const text = await copies.original(file);
  if (text === undefined) return;
  const uri = exampleCopyUri(context, file);
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await doc.save())) throw new Error(`could not restore ${file}`);
  await copies.restored(file, text);
}

/**
 * Opens the learner's copy of bundled scenario `file` (creating or refreshing it first); undefined when `file` is not
 * bundled. A copy the learner edited opens as it is, with an offer to restore the original.
 */
export async function openExampleCopy(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  file: string,
  show: vscode.TextDocumentShowOptions = { preview: false },
): Promise<OpenedExample | undefined> {
  const copies = exampleCopies(context);
  const action = await copies.prepare(file);
  if (action === undefined) return undefined;
  const uri = exampleCopyUri(context, file);
  if (action !== 'current') output.appendLine(`Example ${file}: ${action === 'edited' ? 'your edited copy' : `copy ${action}`} at ${uri.fsPath}`);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), show);
  if (action === 'edited') {
    // Not awaited: the notification settles only when it is dismissed.
    void vscode.window
      .showInformationMessage(`Opened your edited copy of ${file}.`, 'Restore Original')
      .then((choice) => (choice === 'Restore Original' ? restoreOriginal(context, copies, file) : undefined))
      .then(undefined, (err: unknown) => output.appendLine(`Restoring ${file} failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  return { editor, action };
}
