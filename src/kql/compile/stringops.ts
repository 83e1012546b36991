// Binary string operators (has, contains, startswith, ... and their negations, matches regex). A constant
// right side is prepared once (folded needle, term index, compiled regex); a per-row needle is the slow path.
import type { BinaryExpr } from '../ast.js';
import type { KqlType } from '../values.js';
import { asString } from './convert.js';
import {
  containsMatcher, endsWithMatcher, hasAnyMatcher, hasPrefixMatcher, hasSuffixMatcher, startsWithMatcher,
  type StringMatcher,
} from './strings.js';
import { type Compiled, constValue, semanticError } from './types.js';

const MATCHERS: Record<string, (needle: string, cs: boolean) => StringMatcher> = {
  has: (n, cs) => hasAnyMatcher([n], cs),
  hasprefix: hasPrefixMatcher,
  hassuffix: hasSuffixMatcher,
  contains: containsMatcher,
  startswith: startsWithMatcher,
  endswith: endsWithMatcher,
};

const stringish = (t: KqlType) => t === 'string' || t === 'dynamic' || t === 'guid';

export function compileStringOp(e: BinaryExpr, l: Compiled, r: Compiled): Compiled {
  const negated = e.op.startsWith('!');
  const base = negated ? e.op.slice(1) : e.op;
  const cs = base.endsWith('_cs');
  const family = cs ? base.slice(0, -3) : base;
  const make = MATCHERS[family];
  if (!make) return semanticError(`unsupported operator '${e.op}'`, e);
  if (!stringish(l.type) || !stringish(r.type)) {
    semanticError(`the operator '${e.op}' is not defined for ${l.type} and ${r.type}`, e);
  }
  const fl = l.fn;
  const direct = l.type === 'string';
  const isConst = l.isConst && r.isConst;
  if (r.isConst) {
    const m = make(asString(constValue(r)), cs);
    if (direct) return { type: 'bool', fn: negated ? (x) => !m(fl(x) as string) : (x) => m(fl(x) as string), isConst };
    return { type: 'bool', fn: (x) => m(asString(fl(x))) !== negated, isConst };
  }
  const fr = r.fn;
  return { type: 'bool', fn: (x) => make(asString(fr(x)), cs)(asString(fl(x))) !== negated, isConst };
}

/** RE2's leading inline flags ((?i), (?s), (?m)) become JavaScript flags. */
export function toRegExp(pattern: string): RegExp {
  let p = pattern;
  let flags = '';
  for (let m = /^\(\?([ism]+)\)/.exec(p); m; m = /^\(\?([ism]+)\)/.exec(p)) {
    for (const f of m[1]!) if (!flags.includes(f)) flags += f;
    p = p.slice(m[0].length);
  }
  return new RegExp(p, flags);
}

export function compileRegex(e: BinaryExpr, l: Compiled, r: Compiled): Compiled {
  if (!stringish(l.type) || r.type !== 'string') semanticError(`the operator 'matches regex' is not defined for ${l.type} and ${r.type}`, e);
  const fl = l.fn;
  if (r.isConst) {
    let re: RegExp;
    try {
      re = toRegExp(constValue(r) as string);
    } catch (err) {
      return semanticError((err as Error).message.replace(/^Invalid regular expression: /, 'invalid regular expression: '), e.right);
    }
    return { type: 'bool', fn: (x) => re.test(asString(fl(x))), isConst: l.isConst };
  }
  const fr = r.fn;
  const cache = new Map<string, RegExp | null>();
  return {
    type: 'bool',
    fn: (x) => {
      const p = asString(fr(x));
      let re = cache.get(p);
      if (re === undefined) {
        try {
          re = toRegExp(p);
        } catch {
          re = null;
        }
        if (cache.size < 1000) cache.set(p, re);
      }
      return re === null ? null : re.test(asString(fl(x)));
    },
    isConst: false,
  };
}
