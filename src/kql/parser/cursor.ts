// The token cursor the recursive-descent parser walks, with its diagnostics and error recovery. A syntax
// error throws ParseFailure, which the statement/operator level catches, records and recovers from.
import { type Diagnostic, SourceMap } from '../diagnostics.js';
import type { Token } from '../lexer.js';

export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;

export class Cursor {
  pos = 0;
  private depth = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly tokens: Token[],
    readonly src: SourceMap,
  ) {}

  peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  /** End offset of the last consumed token. */
  get lastEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.end : 0;
  }

  isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }

  /** An identifier or keyword spelled `text` (KQL words are case-sensitive). */
  isWord(text: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'identifier' || t.kind === 'keyword') && t.text === text;
  }

  eatPunct(text: string): Token | null {
    return this.isPunct(text) ? this.next() : null;
  }

  eatWord(text: string): Token | null {
    return this.isWord(text) ? this.next() : null;
  }

  expectPunct(text: string, context?: string): Token {
    if (this.isPunct(text)) return this.next();
    this.fail(`expected '${text}'${context ? ` ${context}` : ''}`);
  }

  expectWord(text: string, context?: string): Token {
    if (this.isWord(text)) return this.next();
    this.fail(`expected '${text}'${context ? ` ${context}` : ''}`);
  }

  /** Throws a ParseFailure at the current token, naming what was found. */
  fail(expected: string, at: Token = this.peek()): never {
    throw new ParseFailure(`${expected}, found ${describe(at)}`, at.start, at.end);
  }

  error(start: number, end: number, message: string): void {
    this.diagnostics.push(this.src.diagnostic(start, end, message));
  }

  record(f: ParseFailure): void {
    this.error(f.start, f.end, f.message);
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      this.depth--;
      throw new ParseFailure('expression is nested too deeply', t.start, t.end);
    }
  }

  leave(): void {
    if (this.depth > 0) this.depth--;
  }

  /**
   * Skips to the next token in `stops` at the current nesting level, never past a closing bracket that
   * belongs to an enclosing level (so recovery inside `( ... )` stays inside).
   */
  skipTo(stops: readonly string[]): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (t.kind === 'punct') {
        if (depth === 0 && stops.includes(t.text)) return;
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) return;
          depth--;
        }
      }
      this.next();
    }
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the query';
  const text = t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text;
  return `'${text}'`;
}
