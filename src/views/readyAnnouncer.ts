// The webview page's half of the start handshake: it says `state/ready` and waits for `state/init`. Under load either
// message can go missing between the page and the extension, and a page that never got its `state/init` had no
// settings and no progress for good. So the page says it again until the answer comes: every 2 s for the first 10 s,
// then every 10 s up to a minute. Free of the DOM and of `vscode` (kept beside the extension's watchdog): the clock
// comes in from outside, so the unit tests drive it.
import type { WatchdogClock } from './readyWatchdog';

/** The waits before each repeat, in ms: 5 x 2 s, then 5 x 10 s (the last repeat a minute after the first word). */
export const READY_REPEAT_WAITS: readonly number[] = [2000, 2000, 2000, 2000, 2000, 10_000, 10_000, 10_000, 10_000, 10_000];

export class ReadyAnnouncer {
  private timer: unknown;
  private sent = 0;
  private answered = false;

  constructor(
    /** Posts `state/ready` (with the repeat's number: 0 the first time). */
    private readonly say: (repeat: number) => void,
    private readonly clock: WatchdogClock,
    private readonly waits: readonly number[] = READY_REPEAT_WAITS,
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
    const wait = this.waits[this.sent];
    this.sent++;
    if (wait !== undefined) this.timer = this.clock.setTimeout(() => this.sendAndArm(), wait);
  }
}
