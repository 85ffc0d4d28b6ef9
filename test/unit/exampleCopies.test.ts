// The learner's copies of bundled examples: created once, refreshed only while the learner has not edited them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_COPIES_KEY, ExampleCopies, decideCopy, textHash } from '../../src/views/exampleCopies';
import type { ExampleFiles, ExampleMemento } from '../../src/views/exampleCopies';

function fixture(bundled: Record<string, string>) {
  const copies = new Map<string, string>();
  const dirty = new Set<string>();
  const writes: string[] = [];
  const files: ExampleFiles = {
    readBundled: async (f) => bundled[f],
    readCopy: async (f) => copies.get(f),
    writeCopy: async (f, t) => {
      writes.push(f);
      copies.set(f, t);
    },
    isDirty: (f) => dirty.has(f),
  };
  const store = new Map<string, unknown>();
  const memento: ExampleMemento = { get: (k) => store.get(k), update: async (k, v) => void store.set(k, v) };
  return { examples: new ExampleCopies(files, memento), copies, dirty, writes, store, bundled };
}

describe('decideCopy', () => {
  it('creates a missing copy, keeps an equal one', () => {
    assert.equal(decideCopy('a', undefined, false, undefined), 'created');
    assert.equal(decideCopy('a', 'a', false, undefined), 'current');
  });
  it('updates a copy only when it holds exactly what the extension last wrote', () => {
    assert.equal(decideCopy('new', 'old', false, textHash('old')), 'updated');
    assert.equal(decideCopy('new', 'old, edited', false, textHash('old')), 'edited');
    assert.equal(decideCopy('new', 'old', false, undefined), 'edited');
  });
  it('never touches a copy with unsaved edits', () => {
    assert.equal(decideCopy('new', 'old', true, textHash('old')), 'edited');
  });
});

describe('ExampleCopies', () => {
  it('creates the copy from the bundled file and remembers what it wrote', async () => {
    const f = fixture({ 'c08.cachescenario': 'v1' });
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'created');
    assert.equal(f.copies.get('c08.cachescenario'), 'v1');
    assert.deepEqual(f.store.get(EXAMPLE_COPIES_KEY), { 'c08.cachescenario': textHash('v1') });
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'current');
    assert.deepEqual(f.writes, ['c08.cachescenario']);
  });

  it('keeps the learner\'s edit, even after the bundled file changes', async () => {
    const f = fixture({ 'c08.cachescenario': 'v1' });
    await f.examples.prepare('c08.cachescenario');
    f.copies.set('c08.cachescenario', 'v1 + my edit');
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'edited');
    f.bundled['c08.cachescenario'] = 'v2';
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'edited');
    assert.equal(f.copies.get('c08.cachescenario'), 'v1 + my edit');
    assert.deepEqual(f.writes, ['c08.cachescenario']);
  });

  it('refreshes an unedited copy when a newer version of the extension bundles a new text', async () => {
    const f = fixture({ 'c08.cachescenario': 'v1' });
    await f.examples.prepare('c08.cachescenario');
    f.bundled['c08.cachescenario'] = 'v2';
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'updated');
    assert.equal(f.copies.get('c08.cachescenario'), 'v2');
  });

  it('leaves a copy that is open with unsaved changes alone', async () => {
    const f = fixture({ 'c08.cachescenario': 'v1' });
    await f.examples.prepare('c08.cachescenario');
    f.bundled['c08.cachescenario'] = 'v2';
    f.dirty.add('c08.cachescenario');
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'edited');
    assert.equal(f.copies.get('c08.cachescenario'), 'v1');
  });

  it('after a restore, the copy counts as unedited again', async () => {
    const f = fixture({ 'c08.cachescenario': 'v1' });
    await f.examples.prepare('c08.cachescenario');
    f.copies.set('c08.cachescenario', 'edited');
    const original = await f.examples.original('c08.cachescenario');
    assert.equal(original, 'v1');
    f.copies.set('c08.cachescenario', 'v1'); // what the editor saved
    await f.examples.restored('c08.cachescenario', 'v1');
    f.bundled['c08.cachescenario'] = 'v2';
    assert.equal(await f.examples.prepare('c08.cachescenario'), 'updated');
  });

  it('answers undefined for a file that is not bundled, and survives a damaged memento', async () => {
    const f = fixture({});
    assert.equal(await f.examples.prepare('nope.cachescenario'), undefined);
    const g = fixture({ 'a.cachescenario': 'x' });
    g.store.set(EXAMPLE_COPIES_KEY, ['garbage']);
    assert.equal(await g.examples.prepare('a.cachescenario'), 'created');
  });
});
