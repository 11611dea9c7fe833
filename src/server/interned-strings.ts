// One copy of each string many sockets send alike. graphql-ws keeps a subscribe message's query
// text for as long as the subscription lasts, and every client of one app sends the same text:
// parsed from each socket's own message, a thousand subscribers held a thousand copies. The
// table is bounded (entries and the length of what it keeps), and the least recently asked-for
// entry goes first, so text that is no one else's costs a lookup and is not kept.

export class InternedStrings {
  private readonly strings = new Map<string, string>();

  constructor(
    /** Entries kept at most. */
    readonly maxEntries: number,
    /** Longer strings are handed back as they came, not kept. */
    readonly maxLength: number,
  ) {}

  get size(): number {
    return this.strings.size;
  }

  has(text: string): boolean {
    return this.strings.has(text);
  }

  /** The table's copy of `text` (equal to it), which becomes `text` itself when it had none. */
  intern(text: string): string {
    if (text.length > this.maxLength || this.maxEntries <= 0) return text;
    const kept = this.strings.get(text);
    if (kept !== undefined) {
      // Most recently asked-for last, so the first entry is the one to let go.
      this.strings.delete(kept);
      this.strings.set(kept, kept);
      return kept;
    }
    if (this.strings.size >= this.maxEntries) {
      const oldest = this.strings.keys().next();
      if (oldest.done !== true) this.strings.delete(oldest.value);
    }
    this.strings.set(text, text);
    return text;
  }
}
