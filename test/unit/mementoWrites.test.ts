// globalState as VS Code's extension host keeps it: update() changes the host's copy of the extension's whole state,
// which goes to the main side a moment later; the main side stores it and sends it back, and the host replaces its
// whole copy with what came back. A second update on its way when the first one's echo arrives is gone from the
// host's copy until its own echo, so reading in between returns the older value.
import './support/vscodeStub';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SerialMemento, flushMementos, serialMemento } from '../../src/views/mementoWrites';
import type { StateMemento } from '../../src/views/mementoWrites';
import { PROGRESS_STORAGE_KEY, ProgressStore } from '../../src/views/progressStore';

type State = Record<string, unknown>;

/** The host's copy and the main side, with the test deciding when the host sends and when the main side answers. */
class EchoingMemento implements StateMemento {
  host: State = {};
  stored: State = {};
  /** update() calls not sent yet (VS Code sends them on its next turn, all in one copy). */
  private unsent: (() => void)[] = [];
  /** Copies on their way to the main side, oldest first, each with the updates it answers. */
  private onTheirWay: { copy: State; answers: (() => void)[] }[] = [];

  get(key: string): unknown {
    return this.host[key];
  }

  update(key: string, value: unknown): Promise<void> {
    this.host[key] = value;
    return new Promise((resolve) => this.unsent.push(resolve));
  }

  /** The host sends its whole copy, answering every update made since the last send. */
  send(): void {
    if (this.unsent.length === 0) return;
    this.onTheirWay.push({ copy: structuredClone(this.host), answers: this.unsent });
    this.unsent = [];
  }

  /** The main side stores the oldest copy on its way and echoes it back (the host takes it whole), then answers. */
  land(): void {
    const next = this.onTheirWay.shift();
    if (next === undefined) return;
    this.stored = next.copy;
    this.host = structuredClone(next.copy);
    for (const answer of next.answers) answer();
  }

  /** Sends and lands until nothing is left on its way. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      await turn();
      this.send();
      this.land();
    }
  }
}

/** Lets promise callbacks (and the queue's next update) run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A read-modify-write, as the stores make them: append `item` to the list under `key`. */
function append(m: StateMemento, key: string, item: number): Promise<void> {
  const list = (m.get(key) as number[] | undefined) ?? [];
  return Promise.resolve(m.update(key, [...list, item]));
}

/** Three appends, the third made while the second is on its way and the first one's echo has arrived. */
async function raceAppends(target: StateMemento, vscodeSide: EchoingMemento): Promise<void> {
  void append(target, 'k', 1);
  await turn();
  vscodeSide.send();
  void append(target, 'k', 2);
  await turn();
  vscodeSide.send();
  vscodeSide.land();
  await turn();
  void append(target, 'k', 3);
  await vscodeSide.settle();
}

describe('SerialMemento', () => {
  it('VS Code alone: a change made between an echo and the next one writes the newer value away', async () => {
    const m = new EchoingMemento();
    await raceAppends(m, m);
    // The fake reproduces what code-server did: the second append is lost.
    assert.deepEqual(m.stored['k'], [1, 3]);
  });

  it('through the queue, every change is kept, and reads see a value still waiting', async () => {
    const m = new EchoingMemento();
    const s = new SerialMemento(m);
    void append(s, 'k', 1);
    void append(s, 'k', 2);
    assert.deepEqual(s.get('k'), [1, 2], 'a value waiting behind an earlier save reads as the newest');
    await m.settle();
    assert.deepEqual(m.stored['k'], [1, 2]);
    const t = new SerialMemento(m);
    await raceAppends(t, m);
    assert.deepEqual(m.stored['k'], [1, 2, 1, 2, 3]);
    assert.deepEqual(t.get('k'), [1, 2, 1, 2, 3]);
  });

  it('a write to another key is not wiped by the echo of an earlier one', async () => {
    const m = new EchoingMemento();
    const s = new SerialMemento(m);
    void s.update('a', 1);
    await turn();
    m.send();
    void s.update('b', 2);
    await turn();
    m.land();
    assert.equal(s.get('b'), 2);
    await m.settle();
    assert.deepEqual(m.stored, { a: 1, b: 2 });
  });

  it('a failed update is reported to its caller and the next one still goes', async () => {
    let fail = true;
    const values = new Map<string, unknown>();
    const m: StateMemento = {
      get: (key) => values.get(key),
      update: (key, value) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('disk full'));
        }
        values.set(key, value);
        return Promise.resolve();
      },
    };
    const s = new SerialMemento(m);
    await assert.rejects(s.update('a', 1), /disk full/);
    await s.update('a', 2);
    assert.equal(values.get('a'), 2);
    assert.equal(s.get('a'), 2);
  });

  it('serialMemento gives one queue per memento', () => {
    const m = new EchoingMemento();
    assert.equal(serialMemento(m), serialMemento(m));
    assert.notEqual(serialMemento(m), serialMemento(new EchoingMemento()));
  });

  it('lesson progress: sections read in quick succession are all kept', async () => {
    const m = new EchoingMemento();
    const store = new ProgressStore(serialMemento(m), () => undefined, () => undefined);
    void store.markSectionRead('spectrum');
    await turn();
    m.send();
    void store.markSectionRead('write-through');
    await turn();
    m.send();
    m.land();
    await turn();
    void store.markSectionRead('write-behind');
    await m.settle();
    const stored = m.stored[PROGRESS_STORAGE_KEY] as { sectionsRead: string[] };
    assert.deepEqual([...stored.sectionsRead].sort(), ['spectrum', 'write-behind', 'write-through']);
  });
});

describe('SerialMemento hands an update over', () => {
  it('at once when none is on its way, and after the one on its way otherwise', async () => {
    const m = new EchoingMemento();
    const s = new SerialMemento(m);
    void s.update('a', 1);
    assert.equal(m.host['a'], 1, 'handed over in the same call');
    void s.update('b', 2);
    assert.equal(m.host['b'], undefined, 'waits for the first');
    await m.settle();
    assert.deepEqual(m.stored, { a: 1, b: 2 });
    void s.update('c', 3);
    assert.equal(m.host['c'], 3, 'nothing on its way again: at once');
  });
});

describe('SerialMemento on deactivation', () => {
  it('flush hands every waiting value over at once, the newest per key, and settles once those are answered', async () => {
    const m = new EchoingMemento();
    const s = new SerialMemento(m);
    void s.update('a', 1);
    void s.update('b', 2);
    void s.update('a', 3);
    void s.update('c', 4);
    // Only the first is handed over: the window closing now would lose b, the newer a and c.
    assert.deepEqual(m.host, { a: 1 });
    let flushed = false;
    const done = s.flush().then(() => (flushed = true));
    assert.deepEqual(m.host, { a: 3, b: 2, c: 4 }, 'all handed over in the same call, newest per key');
    await turn();
    assert.equal(flushed, false, 'not settled before the main side answers');
    m.send();
    m.land();
    await done;
    assert.deepEqual(m.stored, { a: 3, b: 2, c: 4 });
    // The queue's own turns, if they still come, end on the same newest values.
    await m.settle();
    assert.deepEqual(m.stored, { a: 3, b: 2, c: 4 });
  });

  it('flushMementos flushes the queue of every memento serialMemento was asked for (deactivate calls it)', async () => {
    const m = new EchoingMemento();
    const s = serialMemento(m);
    void s.update('a', 1);
    void s.update('b', 2);
    assert.deepEqual(m.host, { a: 1 });
    const done = flushMementos();
    assert.deepEqual(m.host, { a: 1, b: 2 }, 'handed over in the same call');
    m.send();
    m.land();
    await done;
    assert.deepEqual(m.stored, { a: 1, b: 2 });
  });

  it('flush with nothing waiting settles at once; a failing update does not make it throw', async () => {
    await new SerialMemento(new EchoingMemento()).flush();
    const failing: StateMemento = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    const s = new SerialMemento(failing);
    s.update('a', 1).catch(() => undefined);
    await s.flush();
  });
});
