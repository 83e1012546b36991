// Collects malformed lines while a file loads: the first few (by line number) verbatim, then a count, so a
// badly broken file yields a readable warning list rather than a million lines of it.

interface Entry {
  readonly line: number;
  readonly text: string;
}

export class MalformedLog {
  // Sorted by line: reports may arrive slightly out of order (the line splitter flags over-long lines
  // before the parser reaches earlier ones), and the list must still be "the first N".
  private readonly shown: Entry[] = [];
  private total = 0;
  private earliest: Entry | undefined;

  constructor(private readonly limit: number) {}

  add(line: number, reason: string): void {
    this.total += 1;
    const entry = { line, text: `line ${line}: ${reason}` };
    if (!this.earliest || line < this.earliest.line) this.earliest = entry;
    if (this.limit <= 0) return;
    if (this.shown.length === this.limit && line >= this.shown[this.shown.length - 1].line) return;
    let i = this.shown.length;
    while (i > 0 && this.shown[i - 1].line > line) i--;
    this.shown.splice(i, 0, entry);
    if (this.shown.length > this.limit) this.shown.pop();
  }

  get count(): number {
    return this.total;
  }

  /** The first malformed line with its reason, for the "no valid rows" error. */
  get first(): string | undefined {
    return this.earliest?.text;
  }

  /** Warnings for SourceResult: one per shown line, then how many more were left out. */
  warnings(path: string): string[] {
    const out = this.shown.map((e) => `${path}: ${e.text}`);
    const more = this.total - this.shown.length;
    if (more > 0) out.push(`${path}: ${more} more malformed line${more === 1 ? '' : 's'} skipped`);
    return out;
  }
}
