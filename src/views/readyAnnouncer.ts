// The webview page's half of the start handshake: it says `state/ready` and waits for `state/init`. Under load either
// message can go missing between the page and the extension, and a page that never got its `state/init` had no
// settings and no progress for good. So the page says it again, every 2 s, up to 5 times more, until the answer comes.
// Free of the DOM and of `vscode` (kept beside the extension's watchdog): the clock comes in from outside, so the unit
// tests drive it.
import type { WatchdogClock } from './readyWatchdog';

export const READY_REPEAT_MS = 2000;
export const READY_REPEATS = 5;

export class ReadyAnnouncer {
  private timer: unknown;
  private sent = 0;
  private answered = false;

  constructor(
    /** Posts `state/ready` (with the repeat's number: 0 the first time). */
    private readonly say: (repeat: number) => void,
    private readonly clock: WatchdogClock,
    private readonly repeatMs = READY_REPEAT_MS,
    private readonly repeats = READY_REPEATS,
  ) {}

  /** Says `state/ready` now, and again later unless the answer comes first. */
  start(): void {
    this.sendAndArm();
  }

  /** The extension's `state/init` arrived: say nothing more. */
  answer(): void {
    this.answered = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** How many times the page has said it (for tests). */
  get times(): number {
    return this.sent;
  }

  private sendAndArm(): void {
    this.timer = undefined;
    if (this.answered) return;
    this.say(this.sent);
    this.sent++;
    if (this.sent <= this.repeats) this.timer = this.clock.setTimeout(() => this.sendAndArm(), this.repeatMs);
  }
}
