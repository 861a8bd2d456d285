// Which stream names are taken right now (live or being authorized), per app. One instance per
// server, injected; a second publisher on a taken name is refused and the first keeps going.

export class StreamRegistry {
  private readonly taken = new Set<string>();

  private key(app: string, name: string): string {
    return `${app}/${name}`;
  }

  isTaken(app: string, name: string): boolean {
    return this.taken.has(this.key(app, name));
  }

  /** Claims the names (all or none); returns the release function, or null when any is taken. */
  claim(app: string, names: readonly string[]): (() => void) | null {
    const keys = [...new Set(names.map((n) => this.key(app, n)))];
    if (keys.some((k) => this.taken.has(k))) return null;
    for (const k of keys) this.taken.add(k);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of keys) this.taken.delete(k);
    };
  }
}
