// globalState as the unit tests stand it in: one store every window of a VS Code sees, an update visible to the next
// read at once, values kept as JSON (nothing shared by reference survives), `undefined` deleting the key.
export class JsonMemento {
  readonly values = new Map<string, unknown>();

  get(key: string): unknown {
    return this.values.get(key);
  }

  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}
