// Virtual clock and discrete-event scheduler: events run in (time, sequence) order, so a 60 s flush interval
// costs nothing to simulate and the same inputs always give the same order. No real timers anywhere.

export type EventFn = () => void;

interface ScheduledEvent {
  time: number;
  seq: number;
  fn: EventFn;
}

/** A binary min-heap keyed on (time, seq). */
export class Scheduler {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  /** Current virtual time in ms. */
  now = 0;
  /** Events processed so far. */
  processed = 0;

  get pending(): number {
    return this.heap.length;
  }

  /** Run `fn` after `delay` virtual ms (0 = later in this same instant, after what is already queued for it). */
  after(delay: number, fn: EventFn): void {
    this.at(this.now + delay, fn);
  }

  at(time: number, fn: EventFn): void {
    if (!(time >= this.now)) throw new RangeError(`cannot schedule at ${time}ms: the clock is already at ${this.now}ms`);
    const ev: ScheduledEvent = { time, seq: this.nextSeq++, fn };
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as ScheduledEvent;
      if (p.time < time || (p.time === time && p.seq < ev.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = ev;
  }

  /** Time of the next event, or undefined when none is pending. */
  peekTime(): number | undefined {
    return this.heap[0]?.time;
  }

  /** Run the next event; false when nothing is pending. */
  step(): boolean {
    const h = this.heap;
    const top = h[0];
    if (!top) return false;
    const last = h.pop() as ScheduledEvent;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        const lc = h[l] as ScheduledEvent;
        if (r < n) {
          const rc = h[r] as ScheduledEvent;
          if (rc.time < lc.time || (rc.time === lc.time && rc.seq < lc.seq)) c = r;
        }
        const cc = h[c] as ScheduledEvent;
        if (last.time < cc.time || (last.time === cc.time && last.seq < cc.seq)) break;
        h[i] = cc;
        i = c;
      }
      h[i] = last;
    }
    this.now = top.time;
    this.processed++;
    top.fn();
    return true;
  }

  /** Run every event due at or before `time`, then set the clock to `time`. */
  runUntil(time: number): void {
    while (this.heap.length > 0 && (this.heap[0] as ScheduledEvent).time <= time) this.step();
    if (time > this.now) this.now = time;
  }

  /** Run until nothing is pending, or until `limit` events have run (a guard against runaway scenarios). */
  runAll(limit = Number.POSITIVE_INFINITY): boolean {
    let n = 0;
    while (n < limit && this.step()) n++;
    return this.heap.length === 0;
  }
}
