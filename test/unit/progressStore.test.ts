// Lesson progress in globalState shared by two VS Code windows: a change made in one window starts from what the
// other stored, so neither a passed check nor a reset is written away by an older copy.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRESS_STORAGE_KEY, ProgressStore } from '../../src/views/progressStore';
import type { AttemptResult } from '../../src/lesson/scoring';
import { JsonMemento } from './support/jsonMemento';


const PASSED: AttemptResult = { correct: 5, total: 5, ratio: 1, passed: true };

describe('progress shared by two windows', () => {
  it('a section read in one window keeps the check the other window passed', async () => {
    const memento = new JsonMemento();
    const a = new ProgressStore(memento, () => undefined, () => undefined);
    const b = new ProgressStore(memento, () => undefined, () => undefined);
    await b.recordAttempt(PASSED );
    await a.markSectionRead('write-behind');
    const stored = memento.get(PROGRESS_STORAGE_KEY) as { attempts: number; completed: boolean; sectionsRead: string[] };
    assert.equal(stored.attempts, 1);
    assert.equal(stored.completed, true);
    assert.deepEqual(stored.sectionsRead, ['write-behind']);
    assert.equal(a.view().quizPassed, true);
  });

  it("a reset in one window is not undone by the other's next change", async () => {
    const memento = new JsonMemento();
    const a = new ProgressStore(memento, () => undefined, () => undefined);
    const b = new ProgressStore(memento, () => undefined, () => undefined);
    await a.markSectionRead('spectrum');
    await a.recordAttempt(PASSED );
    await b.reset();
    await a.markSectionRead('write-around');
    const stored = memento.get(PROGRESS_STORAGE_KEY) as { attempts: number; completed: boolean; sectionsRead: string[] };
    assert.deepEqual([stored.attempts, stored.completed, stored.sectionsRead], [0, false, ['write-around']]);
  });

  it('tells its own views when it takes up the other window\'s progress', async () => {
    const memento = new JsonMemento();
    const a = new ProgressStore(memento, () => undefined, () => undefined);
    const b = new ProgressStore(memento, () => undefined, () => undefined);
    const seen: boolean[] = [];
    a.onDidChange((s) => seen.push(s.progress.completed));
    await b.recordAttempt(PASSED );
    await a.markSectionRead('write-behind');
    assert.equal(seen.at(-1), true);
  });
});

/** globalState as VS Code's extension host keeps it: a value is there at once, its save to disk settles later. */
class SlowMemento extends JsonMemento {
  override update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('changes faster than they are saved', () => {
  it('keeps every section shown back to back, and the flags set with them', async () => {
    const memento = new SlowMemento();
    const store = new ProgressStore(memento, () => undefined, () => undefined);
    void store.markSectionRead('spectrum');
    void store.markSectionRead('write-through');
    void store.markDiagramWatched();
    await store.markSectionRead('write-behind');
    await store.reload();
    assert.deepEqual(store.get().sectionsRead, ['spectrum', 'write-through', 'write-behind']);
    assert.deepEqual(memento.get(PROGRESS_STORAGE_KEY), store.get());
    assert.deepEqual(store.getFlags(), { lessonOpened: true, diagramWatched: true });
  });

  it('keeps every section shown a moment apart, while the earlier saves are still on their way', async () => {
    const memento = new SlowMemento();
    const store = new ProgressStore(memento, () => undefined, () => undefined);
    for (const section of ['spectrum', 'write-through', 'write-behind', 'durability']) {
      void store.markSectionRead(section);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await store.markDiagramWatched();
    await store.reload();
    assert.deepEqual(store.get().sectionsRead, ['spectrum', 'write-through', 'write-behind', 'durability']);
    assert.deepEqual(store.getFlags(), { lessonOpened: true, diagramWatched: true });
  });
});
