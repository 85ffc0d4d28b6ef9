// The page's start handshake on a fake clock: it says state/ready, and again every 2 s, at most 5 times more, until
// state/init answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READY_REPEATS, READY_REPEAT_MS, ReadyAnnouncer } from '../../src/views/readyAnnouncer';
import { FakeClock } from './support/fakeClock';

function setup() {
  const clock = new FakeClock();
  const said: { repeat: number; at: number }[] = [];
  const announcer = new ReadyAnnouncer((repeat) => said.push({ repeat, at: clock.now }), clock);
  return { clock, said, announcer };
}

describe('ReadyAnnouncer', () => {
  it('says it again every 2 s, 5 times more at most', () => {
    assert.deepEqual([READY_REPEAT_MS, READY_REPEATS], [2000, 5]);
  });

  it('says state/ready once when the answer comes before the first repeat', () => {
    const t = setup();
    t.announcer.start();
    t.clock.advance(1999);
    t.announcer.answer();
    t.clock.advance(60_000);
    assert.deepEqual(t.said, [{ repeat: 0, at: 0 }]);
    assert.equal(t.clock.pending, 0);
  });

  it('repeats with a growing number until the answer, then stops', () => {
    const t = setup();
    t.announcer.start();
    t.clock.advance(4000);
    t.announcer.answer();
    t.clock.advance(60_000);
    assert.deepEqual(t.said, [{ repeat: 0, at: 0 }, { repeat: 1, at: 2000 }, { repeat: 2, at: 4000 }]);
    assert.equal(t.announcer.times, 3);
    assert.equal(t.clock.pending, 0);
  });

  it('gives up after 5 repeats with no answer', () => {
    const t = setup();
    t.announcer.start();
    t.clock.advance(60_000);
    assert.deepEqual(t.said.map((s) => s.repeat), [0, 1, 2, 3, 4, 5]);
    assert.equal(t.said.at(-1)?.at, 10_000);
    assert.equal(t.clock.pending, 0);
  });

  it('an answer before the start means nothing is said at all', () => {
    const t = setup();
    t.announcer.answer();
    t.announcer.start();
    assert.deepEqual(t.said, []);
  });
});
