// A forgiving reader for the vendor's sample JSON, which is not valid JSON as stored: trailing
// commas, `Object{...}` placeholders, single-quoted strings, unescaped quotes inside string
// values, stray words pasted between lines (PDF extraction), stray braces, and samples cut off
// mid-way. It keeps the structure (keys and value types), which is all the shape tests compare.

/** Re-escapes a `"key": "…"` line whose value holds raw quotes (one key per line samples only). */
export function repairQuotedLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^(\s*"[^"]+"\s*:\s*)"(.*)"(\s*,?\s*)$/.exec(line);
      if (match === null) return line;
      const [, head, inner, tail] = match as unknown as [string, string, string, string];
      try {
        JSON.parse(`"${inner}"`);
        return line;
      } catch {
        return `${head}"${inner.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"${tail}`;
      }
    })
    .join('\n');
}

export function parseLooseJson(text: string, start = text.indexOf('{')): unknown {
  const reader = new LooseReader(text, start);
  return reader.value();
}

class LooseReader {
  constructor(
    private readonly text: string,
    private at: number,
  ) {}

  value(): unknown {
    this.space();
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"' || char === "'") return this.string();
    if (char !== undefined && /[-0-9]/.test(char)) return this.number();
    const word = /^[A-Za-z]+/.exec(this.text.slice(this.at, this.at + 16))?.[0] ?? '';
    this.at += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    // `Object{...}`: a placeholder for an elided object.
    this.space();
    if (this.text[this.at] === '{') return this.object();
    return undefined;
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.at += 1;
    for (;;) {
      // Anything before the next key is junk (stray words, `...`).
      while (this.at < this.text.length && !['"', "'", '}'].includes(this.text[this.at] as string)) this.at += 1;
      if (this.at >= this.text.length) return result;
      if (this.text[this.at] === '}') {
        this.at += 1;
        return result;
      }
      const key = this.string();
      this.space();
      if (this.text[this.at] !== ':') continue;
      this.at += 1;
      const item = this.value();
      if (item !== undefined) result[key] = item;
      this.skipUntil([',', '}']);
      if (this.text[this.at] === ',') this.at += 1;
    }
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.at += 1;
    for (;;) {
      this.space();
      // A stray `}` inside an array (PDF extraction) is dropped.
      while (this.text[this.at] === '}' || this.text[this.at] === ',') {
        this.at += 1;
        this.space();
      }
      if (this.at >= this.text.length) return result;
      if (this.text[this.at] === ']') {
        this.at += 1;
        return result;
      }
      const before = this.at;
      const item = this.value();
      if (item !== undefined) result.push(item);
      if (this.at === before) this.at += 1;
      this.skipUntil([',', ']', '}']);
    }
  }

  private string(): string {
    const quote = this.text[this.at];
    let out = '';
    this.at += 1;
    while (this.at < this.text.length && this.text[this.at] !== quote) {
      if (this.text[this.at] === '\\') this.at += 1;
      out += this.text[this.at] ?? '';
      this.at += 1;
    }
    this.at += 1;
    return out;
  }

  private number(): number {
    const match = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(this.text.slice(this.at, this.at + 40));
    const literal = match?.[0] ?? '0';
    this.at += Math.max(1, literal.length);
    return Number(literal);
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at += 1;
  }

  private skipUntil(stops: readonly string[]): void {
    while (this.at < this.text.length && !stops.includes(this.text[this.at] as string)) {
      if (this.text[this.at] === '"') this.string();
      else this.at += 1;
    }
  }
}
