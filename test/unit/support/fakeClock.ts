// A clock for the webview start watchdog's tests: timers fire only when a test advances the time.
import type { WatchdogClock } from '../../../src/views/readyWatchdog';

export class FakeClock implements WatchdogClock {
  now = 0;
  private next = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Timers set and neither fired nor cleared. */
  get pending(): number {
    return this.timers.size;
  }
  /** Moves the time on by `ms`, firing each timer due on the way in order, at its own time. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}
