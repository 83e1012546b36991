// A parser for the pseudo-filter language the scenario documentation is written in:
//   field == "value" | field != "value" | field in (list_name, "value", …)
// joined by `and` / `or` (and binds tighter), with optional parentheses. It keeps each clause's source text and
// whether a group was written with parentheses, which is what the linter needs to point at defects.

export type PseudoClause =
  | { kind: 'compare'; field: string; op: '==' | '!='; value: string; text: string; parens: boolean }
  | { kind: 'in'; field: string; lists: string[]; values: string[]; text: string; parens: boolean };

export type PseudoGroup = { kind: 'and' | 'or'; items: PseudoNode[]; parens: boolean };
export type PseudoNode = PseudoGroup | PseudoClause;

export function isGroup(n: PseudoNode): n is PseudoGroup {
  return n.kind === 'and' || n.kind === 'or';
}

export class PseudoFilterError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`column ${offset + 1}: ${message}`);
    this.name = 'PseudoFilterError';
  }
}

type Token =
  | { t: 'word'; v: string; at: number; end: number }
  | { t: 'string'; v: string; at: number; end: number }
  | { t: 'op' | '(' | ')' | ','; v: string; at: number; end: number }
  | { t: 'eof'; v: ''; at: number; end: number };

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ t: ch, v: ch, at: start, end: ++i });
    } else if ((ch === '=' || ch === '!') && text[i + 1] === '=') {
      i += 2;
      out.push({ t: 'op', v: text.slice(start, i), at: start, end: i });
    } else if (ch === '"' || ch === "'") {
      let v = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new PseudoFilterError('unterminated string', start);
      out.push({ t: 'string', v, at: start, end: ++i });
    } else if (/[A-Za-z_]/.test(ch)) {
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) i++;
      out.push({ t: 'word', v: text.slice(start, i), at: start, end: i });
    } else {
      throw new PseudoFilterError(`unexpected character ${JSON.stringify(ch)}`, start);
    }
  }
  out.push({ t: 'eof', v: '', at: text.length, end: text.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'in', 'not']);

class Parser {
  private pos = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.t === 'word' && t.v.toLowerCase() === word;
  }

  private expect(t: Token['t'], what: string): Token {
    const tok = this.next();
    if (tok.t !== t) throw new PseudoFilterError(`expected ${what}, found ${describe(tok)}`, tok.at);
    return tok;
  }

  parse(): PseudoNode {
    const node = this.or();
    const tok = this.peek();
    if (tok.t !== 'eof') throw new PseudoFilterError(`expected 'and', 'or' or the end, found ${describe(tok)}`, tok.at);
    return node;
  }

  private or(): PseudoNode {
    const items = [this.and()];
    while (this.isKeyword('or')) {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items, parens: false };
  }

  private and(): PseudoNode {
    const items = [this.primary()];
    while (this.isKeyword('and')) {
      this.next();
      items.push(this.primary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items, parens: false };
  }

  private primary(): PseudoNode {
    if (this.peek().t === '(') {
      this.next();
      const inner = this.or();
      this.expect(')', "')'");
      return { ...inner, parens: true };
    }
    const fieldTok = this.next();
    if (fieldTok.t !== 'word' || KEYWORDS.has(fieldTok.v.toLowerCase())) {
      throw new PseudoFilterError(`expected a field name, found ${describe(fieldTok)}`, fieldTok.at);
    }
    const field = fieldTok.v;
    const opTok = this.next();
    if (opTok.t === 'op') {
      const valueTok = this.expect('string', 'a quoted value');
      const text = this.text.slice(fieldTok.at, valueTok.end);
      return { kind: 'compare', field, op: opTok.v as '==' | '!=', value: valueTok.v, text, parens: false };
    }
    if (opTok.t === 'word' && opTok.v.toLowerCase() === 'in') {
      this.expect('(', "'(' after in");
      const lists: string[] = [];
      const values: string[] = [];
      for (;;) {
        const item = this.next();
        if (item.t === 'string') values.push(item.v);
        else if (item.t === 'word' && !KEYWORDS.has(item.v.toLowerCase())) lists.push(item.v);
        else throw new PseudoFilterError(`expected a list name or a quoted value, found ${describe(item)}`, item.at);
        const sep = this.next();
        if (sep.t === ')') {
          const text = this.text.slice(fieldTok.at, sep.end);
          return { kind: 'in', field, lists, values, text, parens: false };
        }
        if (sep.t !== ',') throw new PseudoFilterError(`expected ',' or ')', found ${describe(sep)}`, sep.at);
      }
    }
    throw new PseudoFilterError(`expected ==, != or in after ${field}, found ${describe(opTok)}`, opTok.at);
  }
}

function describe(tok: Token): string {
  if (tok.t === 'eof') return 'the end';
  if (tok.t === 'string') return `the value ${JSON.stringify(tok.v)}`;
  return `'${tok.v}'`;
}

/** Parses a documented filter; throws PseudoFilterError (with the column) on text outside the language. */
export function parsePseudoFilter(text: string): PseudoNode {
  return new Parser(text, lex(text)).parse();
}

/** The clauses in document order. */
export function clausesOf(node: PseudoNode): PseudoClause[] {
  return isGroup(node) ? node.items.flatMap(clausesOf) : [node];
}

/** The expression with every nested group parenthesized: how it actually binds. */
export function renderGrouped(node: PseudoNode, nested = false): string {
  if (!isGroup(node)) return node.text;
  const inner = node.items.map((n) => renderGrouped(n, true)).join(` ${node.kind} `);
  return nested ? `(${inner})` : inner;
}
