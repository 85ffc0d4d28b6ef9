// The page's start handshake on a fake clock: it says state/ready, and again until state/init answers: every 2 s for
// 10 s, then every 10 s up to a minute.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READY_REPEAT_WAITS, ReadyAnnouncer } from '../../src/views/readyAnnouncer';
import { FakeClock } from './support/fakeClock';

function setup() {
  const clock = new FakeClock();
  const said: { repeat: number; at: number }[] = [];
  const announcer = new ReadyAnnouncer((repeat) => said.push({ repeat, at: clock.now }), clock);
  return { clock, said, announcer };
}

describe('ReadyAnnouncer', () => {
  it('says it again every 2 s for 10 s, then every 10 s up to a minute', () => {
    assert.deepEqual(READY_REPEAT_WAITS, [2000, 2000, 2000, 2000, 2000, 10_000, 10_000, 10_000, 10_000, 10_000]);
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

  it('gives up a minute after the first word, 10 repeats later, with no answer', () => {
    const t = setup();
    t.announcer.start();
    t.clock.advance(120_000);
    assert.deepEqual(t.said.map((s) => s.at), [0, 2000, 4000, 6000, 8000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000]);
    assert.deepEqual(t.said.map((s) => s.repeat), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(t.clock.pending, 0);
  });

  it('an answer before the start means nothing is said at all', () => {
    const t = setup();
    t.announcer.answer();
    t.announcer.start();
    assert.deepEqual(t.said, []);
  });
});
