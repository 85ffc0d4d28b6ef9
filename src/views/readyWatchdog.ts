// Watches a webview page start: code-server sometimes leaves a freshly created webview blank when two load at once.
// If the page has not said `state/ready` within a few seconds of its HTML being set, the HTML is set once more and
// the retry is logged. Free of `vscode`: the clock comes in from outside, so the unit tests drive it.

/** The timer functions the watchdog uses (the global ones by default; a fake clock in the tests). */
export interface WatchdogClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReadyWatchdogOptions {
  /** Which page, for the log: `workbench panel`, `lesson view`. */
  what: string;
  /** Sets the page's HTML again (with a fresh nonce, so the webview really reloads). */
  reload: () => void;
  log: (line: string) => void;
  /** How long a page may take to say it is ready. Default 15000 ms. */
  timeoutMs?: number;
  clock?: WatchdogClock;
}

export const READY_TIMEOUT_MS = 15_000;

export const systemClock: WatchdogClock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ReadyWatchdog {
  private timer: unknown;
  private waiting = false;
  /** The HTML has been set again once since the page was last loaded by its owner. */
  private retried = false;
  private readonly clock: WatchdogClock;
  private readonly timeoutMs: number;

  constructor(private readonly options: ReadyWatchdogOptions) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? READY_TIMEOUT_MS;
  }

  /** The owner just set the page's HTML (a new page, or one shown again): wait for its ready message, retry allowed. */
  htmlSet(): void {
    this.retried = false;
    this.arm();
  }

  /** The page said it is ready: stop waiting. */
  ready(): void {
    this.cancel();
  }

  /** The page went away (hidden or disposed): nothing to wait for until it is shown again. */
  cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = false;
  }

  /** Waiting for the page's ready message (for tests and state). */
  get isWaiting(): boolean {
    return this.waiting;
  }

  private arm(): void {
    this.cancel();
    this.waiting = true;
    this.timer = this.clock.setTimeout(() => this.expired(), this.timeoutMs);
  }

  private expired(): void {
    this.timer = undefined;
    this.waiting = false;
    const seconds = this.timeoutMs / 1000;
    if (this.retried) {
      this.options.log(`The ${this.options.what} is still not ready ${seconds} s after loading it again; leaving it as it is (close and reopen it if it stays blank).`);
      return;
    }
    this.retried = true;
    this.options.log(`The ${this.options.what} did not say it was ready within ${seconds} s of loading; loading it once more.`);
    try {
      this.options.reload();
    } catch (err) {
      this.options.log(`Loading the ${this.options.what} again failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.arm();
  }
}
