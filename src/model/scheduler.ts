// Virtual clock and discrete-event scheduler: events run in (time, sequence) order, so a 60 s flush interval
// costs nothing to simulate and the same inputs always give the same order. No real timers anywhere.
//
// An event is any object with a due time, a sequence number and `fire()`. The engine's operations and flushers are
// their own events (they sit in the heap while they wait for a hop), so a hop allocates nothing; plain callbacks
// are wrapped once.

export type EventFn = () => void;

/** Something the scheduler can run: it must not be scheduled again while it is still pending. */
export interface Timed {
  time: number;
  seq: number;
  fire(): void;
}

class Callback implements Timed {
  time = 0;
  seq = 0;
  constructor(private readonly fn: EventFn) {}
  fire(): void {
    this.fn();
  }
}

/**
 * A binary min-heap keyed on (time, seq), with a front slot: an event known to come before everything in the heap
 * waits there instead (an operation's next hop often is the earliest event), which saves a push and a pop.
 */
export class Scheduler {
  private heap: Timed[] = [];
  /** The next event to run, ahead of every event in the heap; null when the heap's top is next. */
  private front: Timed | null = null;
  private nextSeq = 0;
  /** Current virtual time in ms. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  /** Set by `halt`: `runUntil` and `runAll` stop before the next event (a run grown too large is cut short). */
  halted = false;

  get pending(): number {
    return this.heap.length + (this.front === null ? 0 : 1);
  }

  /** Run `fn` after `delay` virtual ms (0 = later in this same instant, after what is already queued for it). */
  after(delay: number, fn: EventFn): void {
    this.at(this.now + delay, fn);
  }

  at(time: number, fn: EventFn): void {
    this.scheduleAt(new Callback(fn), time);
  }

  /** Fire `ev` after `delay` virtual ms. */
  schedule(ev: Timed, delay: number): void {
    this.scheduleAt(ev, this.now + delay);
  }

  scheduleAt(ev: Timed, time: number): void {
    if (!(time >= this.now)) throw new RangeError(`cannot schedule at ${time}ms: the clock is already at ${this.now}ms`);
    ev.time = time;
    ev.seq = this.nextSeq++;
    const h = this.heap;
    const front = this.front;
    if (front === null) {
      // Earlier than the heap's top (same time: the top, scheduled before, goes first): it is next.
      if (h.length === 0 || time < (h[0] as Timed).time) {
        this.front = ev;
        return;
      }
    } else if (time < front.time) {
      // Ahead of the front event, which is ahead of the heap: it becomes the front, the old one goes to the heap.
      this.front = ev;
      this.push(front);
      return;
    }
    this.push(ev);
  }

  /** Put `ev` (time and seq set) in the heap. */
  private push(ev: Timed): void {
    const { time, seq } = ev;
    const h = this.heap;
    let i = h.length;
    h[i] = ev; // by index: V8 left `push` here a builtin call (see the README's instruction profile)
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Timed;
      if (p.time < time || (p.time === time && p.seq < seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = ev;
  }

  /** Time of the next event, or undefined when none is pending. */
  peekTime(): number | undefined {
    return (this.front ?? this.heap[0])?.time;
  }

  /** Run the next event; false when nothing is pending. */
  step(): boolean {
    const front = this.front;
    if (front !== null) {
      this.front = null;
      this.now = front.time;
      this.processed++;
      front.fire();
      return true;
    }
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return false;
    const last = h.pop() as Timed;
    const n = h.length;
    if (n > 0) {
      const lt = last.time;
      const ls = last.seq;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let cc = h[l] as Timed;
        if (r < n) {
          const rc = h[r] as Timed;
          if (rc.time < cc.time || (rc.time === cc.time && rc.seq < cc.seq)) {
            c = r;
            cc = rc;
          }
        }
        if (lt < cc.time || (lt === cc.time && ls < cc.seq)) break;
        h[i] = cc;
        i = c;
      }
      h[i] = last;
    }
    this.now = top.time;
    this.processed++;
    top.fire();
    return true;
  }

  /** Run every event due at or before `time`, then set the clock to `time` (unless halted on the way). */
  runUntil(time: number): void {
    for (let next = this.peekTime(); next !== undefined && next <= time && !this.halted; next = this.peekTime()) this.step();
    if (time > this.now && !this.halted) this.now = time;
  }

  /** Run until nothing is pending, or until `limit` events have run (a guard against runaway scenarios), or a halt. */
  runAll(limit = Number.POSITIVE_INFINITY): boolean {
    let n = 0;
    while (n < limit && !this.halted && this.step()) n++;
    return this.pending === 0;
  }

  /** Stop running events once the current one is over; what is pending stays pending. */
  halt(): void {
    this.halted = true;
  }
}
