// The learner's own copies of the bundled example scenarios (Open Example opens a copy, so saving an edit never
// changes the installed extension). Free of `vscode`: file access and storage come in from outside, for the unit tests.
import { createHash } from 'node:crypto';

/** File access the copies need; `file` is a bundled scenario's file name (no folders). */
export interface ExampleFiles {
  readBundled(file: string): Promise<string | undefined>;
  /** The copy's text on disk, or undefined when there is none. */
  readCopy(file: string): Promise<string | undefined>;
  writeCopy(file: string, text: string): Promise<void>;
  /** The copy is open in an editor with unsaved changes. */
  isDirty(file: string): boolean;
}

/** The slice of a VS Code Memento the copies use. */
export interface ExampleMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** globalState key: for each copy, a hash of the text the extension last wrote into it. Versioned like the others. */
export const EXAMPLE_COPIES_KEY = 'cacheWorkbench.exampleCopies.v1';

/**
 * What preparing a copy did: `created` (there was none), `current` (it equals the bundled file), `updated` (the
 * learner never edited it and a newer bundled version replaced it), `edited` (the learner changed it: left alone).
 */
export type CopyAction = 'created' | 'current' | 'updated' | 'edited';

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The decision alone: overwrite a copy only when the extension wrote what is in it now. */
export function decideCopy(bundled: string, copy: string | undefined, dirty: boolean, lastWrittenHash: string | undefined): CopyAction {
  if (copy === undefined) return 'created';
  if (dirty) return 'edited';
  if (copy === bundled) return 'current';
  return lastWrittenHash !== undefined && textHash(copy) === lastWrittenHash ? 'updated' : 'edited';
}

export class ExampleCopies {
  constructor(
    private readonly files: ExampleFiles,
    private readonly memento: ExampleMemento,
  ) {}

  private written(): Record<string, string> {
    const raw = this.memento.get(EXAMPLE_COPIES_KEY);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  private async remember(file: string, text: string): Promise<void> {
    await this.memento.update(EXAMPLE_COPIES_KEY, { ...this.written(), [file]: textHash(text) });
  }

  /**
   * Makes sure the copy of `file` exists and is the bundled version unless the learner edited it. Returns undefined
   * when `file` is not bundled.
   */
  async prepare(file: string): Promise<CopyAction | undefined> {
    const bundled = await this.files.readBundled(file);
    if (bundled === undefined) return undefined;
    const copy = await this.files.readCopy(file);
    const action = decideCopy(bundled, copy, this.files.isDirty(file), this.written()[file]);
    if (action === 'created' || action === 'updated') {
      await this.files.writeCopy(file, bundled);
      await this.remember(file, bundled);
    } else if (action === 'current') {
      await this.remember(file, bundled);
    }
    return action;
  }

  /** The bundled text to put back into an edited copy (the caller writes it, through the editor when it is open). */
  async original(file: string): Promise<string | undefined> {
    return this.files.readBundled(file);
  }

  /** Records that the copy now holds the bundled text again (after a restore). */
  async restored(file: string, text: string): Promise<void> {
    await this.remember(file, text);
  }
}
