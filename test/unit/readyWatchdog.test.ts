// The webview start watchdog on a fake clock: one reload when no ready message comes within the timeout, none when
// it comes, and never a second reload.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { READY_TIMEOUT_MS, ReadyWatchdog } from '../../src/views/readyWatchdog';
import { FakeClock } from './support/fakeClock';

function setup() {
  const clock = new FakeClock();
  const log: string[] = [];
  let reloads = 0;
  const watchdog = new ReadyWatchdog({ what: 'workbench panel', clock, log: (l) => log.push(l), reload: () => { reloads++; } });
  return { clock, log, watchdog, reloads: () => reloads };
}

describe('ReadyWatchdog', () => {
  // 15 s, not 5: under load a slow page was loaded again while it started, and code-server could leave the page on
  // screen cut off from the extension (a CI run's playground without the learner's settings).
  it('waits 15 s by default', () => {
    assert.equal(READY_TIMEOUT_MS, 15_000);
  });

  it('does nothing when the page says it is ready in time', () => {
    const t = setup();
    t.watchdog.htmlSet();
    assert.equal(t.watchdog.isWaiting, true);
    t.clock.advance(14_999);
    t.watchdog.ready();
    t.clock.advance(60_000);
    assert.equal(t.reloads(), 0);
    assert.deepEqual(t.log, []);
    assert.equal(t.clock.pending, 0);
  });

  it('sets the HTML again once, and logs it, when no ready message comes within 15 s', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.clock.advance(14_999);
    assert.equal(t.reloads(), 0);
    t.clock.advance(1);
    assert.equal(t.reloads(), 1);
    assert.equal(t.log.length, 1);
    assert.match(t.log[0] ?? '', /workbench panel did not say it was ready within 15 s.*loading it once more/);
    // The reloaded page answers: done.
    t.clock.advance(2000);
    t.watchdog.ready();
    t.clock.advance(60_000);
    assert.equal(t.reloads(), 1);
    assert.equal(t.log.length, 1);
  });

  it('never reloads a second time: after the retry it only logs', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.clock.advance(60_000);
    assert.equal(t.reloads(), 1);
    assert.equal(t.log.length, 2);
    assert.match(t.log[1] ?? '', /still not ready 15 s after loading it again/);
    assert.equal(t.clock.pending, 0);
    assert.equal(t.watchdog.isWaiting, false);
  });

  it('a page set anew by its owner (shown again, a new panel) gets its own retry', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.clock.advance(15_000);
    t.watchdog.ready();
    t.watchdog.htmlSet();
    t.clock.advance(15_000);
    assert.equal(t.reloads(), 2);
  });

  it('stops waiting while the page is hidden or gone', () => {
    const t = setup();
    t.watchdog.htmlSet();
    t.clock.advance(3000);
    t.watchdog.cancel();
    t.clock.advance(60_000);
    assert.equal(t.reloads(), 0);
    assert.equal(t.clock.pending, 0);
  });

  it('logs a reload that throws instead of passing the error on', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const watchdog = new ReadyWatchdog({ what: 'lesson view', clock, log: (l) => log.push(l), reload: () => { throw new Error('disposed'); } });
    watchdog.htmlSet();
    clock.advance(15_000);
    assert.equal(log.length, 2);
    assert.match(log[1] ?? '', /Loading the lesson view again failed: disposed/);
    assert.equal(clock.pending, 0);
  });
});
