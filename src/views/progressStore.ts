// Durable lesson progress in globalState (sections read, knowledge-check results, walkthrough flags), repaired on
// load and never thrown; it fires onDidChange and keeps the walkthrough's context keys in step with the stored state.
import * as vscode from 'vscode';
import { SECTION_IDS } from '../lesson/sections';
import { emptyProgress, markSectionRead, recordAttempt, validateProgress } from '../lesson/scoring';
import type { AttemptResult, Progress } from '../lesson/scoring';
import type { ProgressView } from './protocol';
import { MementoWrites } from './mementoWrites';
import type { StateMemento } from './mementoWrites';

/** Context keys the walkthrough's `onContext:` completion events listen to (mirror them in package.json docs). */
export const LESSON_CONTEXT_KEYS = {
  /** True once the learner has opened the lesson (any section shown in the workbench). */
  lessonOpened: 'cacheWorkbench.lessonOpened',
  /** True once a diagram has been played or stepped to its last step. */
  diagramWatched: 'cacheWorkbench.diagramWatched',
  /** True once the knowledge check has been passed. */
  quizPassed: 'cacheWorkbench.quizPassed',
} as const;

/** globalState keys. Versioned so that a future shape can migrate instead of misreading. */
export const PROGRESS_STORAGE_KEY = 'cacheWorkbench.progress.v1';
export const FLAGS_STORAGE_KEY = 'cacheWorkbench.lessonFlags.v1';

/** Walkthrough facts the quiz Progress does not hold. */
export interface LessonFlags {
  lessonOpened: boolean;
  diagramWatched: boolean;
}

export function validateFlags(raw: unknown): LessonFlags {
  const r = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return { lessonOpened: r.lessonOpened === true, diagramWatched: r.diagramWatched === true };
}

/** The part of vscode.Memento the store uses, so tests can hand in a plain object. */
export type ProgressMemento = StateMemento;

/** Sets a context key; the default runs VS Code's `setContext`. */
export type ContextSetter = (key: string, value: boolean) => Thenable<unknown> | void;

export interface ProgressSnapshot {
  progress: Progress;
  flags: LessonFlags;
}

export class ProgressStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProgressSnapshot>();
  /** Fires after every change that was written, with the new state. */
  readonly onDidChange: vscode.Event<ProgressSnapshot> = this.changed.event;
  private readonly resetEmitter = new vscode.EventEmitter<void>();
  /** Fires after reset(), once the cleared state is in place (the knowledge check drops its attempt then). */
  readonly onDidReset: vscode.Event<void> = this.resetEmitter.event;
  private progress: Progress;
  private flags: LessonFlags;
  /** Context key values last set, so unchanged keys are not set again on every save. */
  private readonly contextValues = new Map<string, boolean>();
  /** Writes handed to the memento (reload() waits for them to settle). */
  private readonly writes: MementoWrites;

  constructor(
    private readonly memento: ProgressMemento,
    private readonly log: (line: string) => void = () => undefined,
    private readonly setContext: ContextSetter = (key, value) => vscode.commands.executeCommand('setContext', key, value),
  ) {
    this.writes = new MementoWrites(memento, (key, err) => this.log(`progress: could not save ${key}: ${String(err)}`));
    this.progress = this.load();
    this.flags = this.loadFlags();
    this.syncContextKeys();
  }

  /** A copy of the stored progress. */
  get(): Progress {
    return { ...this.progress, sectionsRead: this.progress.sectionsRead.slice() };
  }

  getFlags(): LessonFlags {
    return { ...this.flags };
  }

  /** What the webviews are sent. */
  view(): ProgressView {
    const p = this.progress;
    return {
      sectionsRead: p.sectionsRead.slice(),
      lastSection: p.lastSection ?? null,
      quizPassed: p.completed,
      bestScore: p.bestScore,
      attempts: p.attempts,
      diagramWatched: this.flags.diagramWatched,
    };
  }

  /** Records that a section was shown (also the "continue where I left off" position). */
  markSectionRead(sectionId: string): Promise<void> {
    if (!SECTION_IDS.includes(sectionId)) return Promise.resolve();
    this.sync();
    const next = markSectionRead(this.progress, sectionId);
    const flags = { ...this.flags, lessonOpened: true };
    return this.commit(next, flags);
  }

  markLessonOpened(): Promise<void> {
    this.sync();
    return this.flags.lessonOpened ? Promise.resolve() : this.commit(this.progress, { ...this.flags, lessonOpened: true });
  }

  markDiagramWatched(): Promise<void> {
    this.sync();
    return this.flags.diagramWatched ? Promise.resolve() : this.commit(this.progress, { ...this.flags, diagramWatched: true });
  }

  /** For the knowledge check: records a graded attempt (once: an attempt whose seed was the last recorded is not counted again). */
  recordAttempt(result: AttemptResult, attemptSeed?: number): Promise<void> {
    this.sync();
    return this.commit(recordAttempt(this.progress, result, attemptSeed), this.flags);
  }

  /** Forgets everything (the Reset Progress command). */
  reset(): Promise<void> {
    this.sync();
    const done = this.commit(emptyProgress(), { lessonOpened: false, diagramWatched: false });
    this.resetEmitter.fire();
    return done;
  }

  /**
   * Reads the stored state again, as a fresh activation would (after the pending writes landed), and fires onDidChange
   * when it differs from what was in memory. Tests use it to show that what was saved is what comes back.
   */
  async reload(): Promise<void> {
    await this.writes.idle;
    this.sync();
  }

  /**
   * Takes up what is stored now before a change is made to it: another VS Code window shares this globalState, and a
   * change made on this window's older copy would write the other window's progress (a passed check, a reset) away.
   * VS Code passes other windows' updates on, and the extension's SerialMemento (see mementoWrites.ts) keeps this
   * window's own newest value readable, so the stored value is the newest. Fires onDidChange when it differs from what was in memory.
   */
  private sync(): void {
    const before = JSON.stringify([this.progress, this.flags]);
    this.progress = this.load();
    this.flags = this.loadFlags();
    if (JSON.stringify([this.progress, this.flags]) === before) return;
    this.syncContextKeys();
    this.changed.fire({ progress: this.get(), flags: this.getFlags() });
  }

  dispose(): void {
    this.changed.dispose();
    this.resetEmitter.dispose();
  }

  private load(): Progress {
    let raw: unknown;
    try {
      raw = this.memento.get(PROGRESS_STORAGE_KEY);
    } catch (err) {
      this.log(`progress: could not read the stored progress (${String(err)}); starting fresh`);
      return emptyProgress();
    }
    if (raw === undefined) return emptyProgress();
    const repaired = validateProgress(raw, SECTION_IDS);
    if (!sameJson(raw, repaired)) {
      this.log('progress: the stored progress was damaged or out of date; repaired it');
      void this.write(PROGRESS_STORAGE_KEY, repaired);
    }
    return repaired;
  }

  private loadFlags(): LessonFlags {
    let raw: unknown;
    try {
      raw = this.memento.get(FLAGS_STORAGE_KEY);
    } catch {
      raw = undefined;
    }
    const flags = validateFlags(raw);
    if (raw !== undefined && !sameJson(raw, flags)) {
      this.log('progress: the stored lesson flags were damaged; repaired them');
      void this.write(FLAGS_STORAGE_KEY, flags);
    }
    return flags;
  }

  private commit(progress: Progress, flags: LessonFlags): Promise<void> {
    const progressChanged = !sameJson(progress, this.progress);
    const flagsChanged = !sameJson(flags, this.flags);
    if (!progressChanged && !flagsChanged) return Promise.resolve();
    this.progress = progress;
    this.flags = flags;
    this.syncContextKeys();
    const done = Promise.all([
      progressChanged ? this.write(PROGRESS_STORAGE_KEY, progress) : undefined,
      flagsChanged ? this.write(FLAGS_STORAGE_KEY, flags) : undefined,
    ]).then(() => undefined);
    this.changed.fire({ progress: this.get(), flags: this.getFlags() });
    return done;
  }

  private write(key: string, value: unknown): Promise<void> {
    return this.writes.write(key, value);
  }

  private syncContextKeys(): void {
    const set = (key: string, value: boolean): void => {
      if (this.contextValues.get(key) === value) return;
      this.contextValues.set(key, value);
      try {
        const r = this.setContext(key, value);
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          Promise.resolve(r).catch((err: unknown) => this.log(`progress: setContext ${key} failed: ${String(err)}`));
        }
      } catch (err) {
        this.log(`progress: setContext ${key} failed: ${String(err)}`);
      }
    };
    set(LESSON_CONTEXT_KEYS.lessonOpened, this.flags.lessonOpened || this.progress.sectionsRead.length > 0);
    set(LESSON_CONTEXT_KEYS.diagramWatched, this.flags.diagramWatched);
    set(LESSON_CONTEXT_KEYS.quizPassed, this.progress.completed);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
