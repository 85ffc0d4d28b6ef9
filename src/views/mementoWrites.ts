// Writes to globalState that are handed over at once. The progress store and the knowledge check both read the
// memento before every change (another window may have changed it); a value still waiting behind an earlier save
// would read as the older one, so a change made meanwhile would start from it and write the waiting one away.
// VS Code's memento takes the value in memory when update() is called and its flush to disk always writes the newest,
// so calls made in order are writes in order.

export interface StateMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/**
 * The memento's writes so far. `write` hands a value over now and returns a promise that settles once every write
 * handed over so far has settled (a failed one is logged, never thrown).
 */
export class MementoWrites {
  private settled: Promise<void> = Promise.resolve();

  constructor(
    private readonly memento: StateMemento,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  write(key: string, value: unknown): Promise<void> {
    let update: Promise<void>;
    try {
      update = Promise.resolve(this.memento.update(key, value));
    } catch (err) {
      update = Promise.reject(err);
    }
    const saved = update.catch((err: unknown) => this.onError(key, err));
    this.settled = Promise.all([this.settled, saved]).then(() => undefined);
    return this.settled;
  }

  /** Settles once every write handed over so far has. */
  get idle(): Promise<void> {
    return this.settled;
  }
}
