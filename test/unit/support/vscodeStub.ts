// Lets a unit test load an extension module that takes only `EventEmitter`, `commands.executeCommand`, `Uri.joinPath`
// and the editor groups' tabs (`window.tabGroups.all`, `TabInputText`, `TabInputWebview`) from 'vscode' (the real
// module exists only inside VS Code). Import this before the module under test.
import Module from 'node:module';

class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
  fire(value: T): void {
    for (const l of this.listeners) l(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

/** What the stub's `commands.executeCommand` was called with, in order. */
export const executedCommands: unknown[][] = [];

/** Enough of a Uri for code that only joins paths onto one and hands the result on (webview resource links). */
interface StubUri {
  readonly path: string;
}

/** A text editor's tab input. */
export class TabInputText {
  constructor(readonly uri: { fsPath: string }) {}
}

/** A webview's tab input (VS Code prefixes the view type). */
export class TabInputWebview {
  constructor(readonly viewType: string) {}
}

/** The editor groups `window.tabGroups.all` lists: set by a test. */
export const tabGroups: { all: { viewColumn: number; activeTab?: { input: unknown }; tabs: { input: unknown }[] }[] } = { all: [] };

const stub = {
  EventEmitter,
  TabInputText,
  TabInputWebview,
  window: { tabGroups },
  Uri: {
    joinPath: (base: StubUri, ...segments: string[]): StubUri => ({ path: [base.path, ...segments].join('/') }),
  },
  commands: {
    executeCommand: (...args: unknown[]): Promise<undefined> => {
      executedCommands.push(args);
      return Promise.resolve(undefined);
    },
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const load = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  return request === 'vscode' ? stub : load.call(this, request, parent, isMain);
};
