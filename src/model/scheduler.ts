// Virtual clock and discrete-event scheduler: events run in (time, sequence) order, so a 60 s flush interval
// costs nothing to simulate and the same inputs always give the same order. No real timers anywhere.
//
// An event is any object with a due time, a sequence number and `fire()`. The engine's operations and flushers are
// their own events (they sit in the scheduler while they wait for a hop), so a hop allocates nothing; plain callbacks
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

/** Slots of the timing wheel (a power of two): events due at a whole ms less than this far ahead go there. */
const WHEEL = 64;
const MASK = WHEEL - 1;

/**
 * Events in (time, seq) order, in two parts. Most events are a hop's round trip ahead, a few whole ms: they go to a
 * timing wheel, one first-in-first-out slot per ms (a slot's events share one due time, so their order of arrival is
 * their seq order), where scheduling appends and running takes from the front. Events further ahead or at a
 * fraction of a ms go to a binary min-heap keyed on (time, seq). The next event is the earlier of the two fronts.
 */
export class Scheduler {
  private heap: Timed[] = [];
  /** The wheel: slot `t & MASK` holds the events due at whole ms t, for t in [base, base + WHEEL). */
  private readonly slots: (Timed | undefined)[][] = Array.from({ length: WHEEL }, () => []);
  /**
   * Per slot: where its next event to run is, and where the next one scheduled goes. A slot's array keeps its length
   * (emptying it would free its storage, to be allocated again by the next event); both go back to 0 once it is run.
   */
  private readonly heads = new Int32Array(WHEEL);
  private readonly tails = new Int32Array(WHEEL);
  private wheelCount = 0;
  /** No event in the wheel is due before this whole ms. */
  private base = 0;
  private nextSeq = 0;
  /** Current virtual time in ms. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  /** Set by `halt`: `runUntil` and `runAll` stop before the next event (a run grown too large is cut short). */
  halted = false;

  get pending(): number {
    return this.heap.length + this.wheelCount;
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
    const d = time - this.base;
    if (d >= 0 && d < WHEEL && (d | 0) === d) {
      const i = time & MASK;
      const tail = this.tails[i] as number;
      (this.slots[i] as (Timed | undefined)[])[tail] = ev;
      this.tails[i] = tail + 1;
      this.wheelCount++;
    } else {
      // Hop costs are whole nanoseconds (parseDuration rounds them), but their binary sums are not: 0.1 + 0.2 is
      // 0.30000000000000004. The clock keeps a fraction of a ms to the nanosecond, so a time reads as it was written
      // and two paths to one instant meet there. Whole ms, the wheel's and nearly every event's, need no rounding.
      if (time % 1 !== 0) ev.time = Math.round(time * 1e6) / 1e6;
      this.push(ev);
    }
  }

  /** Put `ev` (time and seq set) in the heap. */
  private push(ev: Timed): void {
    const { time, seq } = ev;
    const h = this.heap;
    let i = h.length;
    h[i] = ev; // by index: V8 left `push` here a builtin call (see docs/performance-log.md, instruction profile)
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as Timed;
      if (p.time < time || (p.time === time && p.seq < seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = ev;
  }

  /** Take the heap's first event (the heap is not empty). */
  private popHeap(): Timed {
    const h = this.heap;
    const top = h[0] as Timed;
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
    return top;
  }

  /**
   * The wheel's first slot with an event still to run (the wheel is not empty), moving `base` up to it: the slots
   * passed are empty, so the window's invariant holds.
   */
  private firstSlot(): number {
    let b = this.base;
    let i = b & MASK;
    while (this.heads[i] === this.tails[i]) {
      b++;
      i = b & MASK;
    }
    this.base = b;
    return i;
  }

  /** Time of the next event, or undefined when none is pending. */
  peekTime(): number | undefined {
    const top = this.heap[0];
    if (this.wheelCount === 0) return top?.time;
    this.firstSlot();
    const t = this.base;
    return top !== undefined && top.time < t ? top.time : t;
  }

  /** Run the next event; false when nothing is pending. */
  step(): boolean {
    let ev: Timed;
    const top = this.heap[0];
    if (this.wheelCount > 0) {
      const i = this.firstSlot();
      const slot = this.slots[i] as (Timed | undefined)[];
      const head = this.heads[i] as number;
      const w = slot[head] as Timed;
      if (top !== undefined && (top.time < w.time || (top.time === w.time && top.seq < w.seq))) ev = this.popHeap();
      else {
        ev = w;
        slot[head] = undefined; // the slot holds no event once it has run
        this.wheelCount--;
        if (head + 1 === this.tails[i]) {
          this.heads[i] = 0;
          this.tails[i] = 0;
        } else this.heads[i] = head + 1;
      }
    } else if (top !== undefined) {
      ev = this.popHeap();
      // The wheel is empty: its window moves to the clock, where every later event is due.
      this.base = Math.floor(ev.time);
    } else return false;
    this.now = ev.time;
    this.processed++;
    ev.fire();
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
