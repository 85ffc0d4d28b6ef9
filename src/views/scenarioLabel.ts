// How a scenario file is named to the learner (notifications, the Debug trace page): its path relative to the
// workspace when it lies in an open folder, else its file name, never an absolute path that a toast would cut short.
import * as vscode from 'vscode';

/** `scenarios/c08.cachescenario` inside the workspace, `c08.cachescenario` outside it, `Untitled-1` for a new editor. */
export function scenarioLabel(target: vscode.Uri | string): string {
  const uri = typeof target === 'string' ? vscode.Uri.file(target) : target;
  if (uri.scheme !== 'untitled' && vscode.workspace.getWorkspaceFolder(uri)) return vscode.workspace.asRelativePath(uri);
  const name = uri.path.split('/').pop();
  return name ? name : uri.toString();
}
