// Scalar expression → compiled closure. Names resolve to column indexes (or let-bound constants) here,
// once; constant sub-expressions are folded; subqueries (`in (T)`, toscalar) become pre-scan steps.
import type { CallExpr, Expr } from '../ast.js';
import { compileTabular } from '../exec/pipeline.js';
import { KDateTime, KTimespan, type Value } from '../values.js';
import { compileArith, compileUnary } from './arith.js';
import { compileBetween, compileComparison, compileLogic } from './compare.js';
import { FUNCTIONS } from './functions.js';
import { compileIn } from './lists.js';
import { AGGREGATE_NAMES } from './names.js';
import { compileRegex, compileStringOp } from './stringops.js';
import { type Compiled, constant, fold, type Scope, semanticError } from './types.js';

// Real Kusto functions this engine leaves out: named as unsupported rather than unknown.
const KNOWN_UNSUPPORTED = new Set([
  'extract', 'extract_all', 'parse_url', 'parse_path', 'format_datetime', 'datetime_diff', 'datetime_add',
  'hash', 'hash_sha256', 'countof', 'trim', 'trim_start', 'trim_end', 'reverse', 'bag_keys', 'array_concat',
  'array_slice', 'array_index_of', 'zip', 'materialize', 'ipv4_compare', 'ipv4_is_match', 'has_any_index',
  'url_decode', 'url_encode', 'base64_encode_tostring', 'base64_decode_tostring', 'strcat_array', 'typeof',
  'gettype', 'new_guid', 'rand', 'log', 'sqrt', 'exp', 'pow', 'sign', 'isnan', 'isfinite', 'tohex', 'toguid',
  'dayofweek', 'hourofday', 'getyear', 'endofday', 'startofweek', 'startofmonth', 'startofyear', 'make_datetime',
  'unixtime_seconds_todatetime', 'strrep', 'string_size', 'bag_pack', 'pack', 'column_ifexists', 'series_stats',
]);

export function isTabularExpr(e: Expr, s: Scope): boolean {
  switch (e.kind) {
    case 'pipeline':
    case 'datatable':
    case 'print':
    case 'range':
      return true;
    case 'name': {
      if (s.row && s.row.indexOf(e.name) >= 0) return false;
      const b = s.env.lets.get(e.name);
      return b ? b.kind === 'tabular' : s.env.tables.has(e.name);
    }
    default:
      return false;
  }
}

const deps = { compileScalar, compileTabular: (e: Expr, s: Scope) => compileTabular(e, s.env), isTabular: isTabularExpr };

export function compileScalar(e: Expr, s: Scope): Compiled {
  switch (e.kind) {
    case 'literal':
      return constant(e.type, e.value);
    case 'name':
      return compileName(e.name, e, s);
    case 'call':
      return compileCall(e, s);
    case 'unary':
      return fold(compileUnary(e, compileScalar(e.operand, s)), e);
    case 'binary': {
      const l = compileScalar(e.left, s);
      const r = compileScalar(e.right, s);
      switch (e.op) {
        case 'and':
        case 'or':
          return fold(compileLogic(e, l, r), e);
        case '==': case '!=': case '=~': case '!~': case '<': case '<=': case '>': case '>=':
          return fold(compileComparison(e, l, r), e);
        case '+': case '-': case '*': case '/': case '%':
          return fold(compileArith(e, l, r), e);
        case 'matches regex':
          return fold(compileRegex(e, l, r), e);
        default:
          return fold(compileStringOp(e, l, r), e);
      }
    }
    case 'in':
      return fold(compileIn(e, s, deps), e);
    case 'between':
      return fold(compileBetween(e, compileScalar(e.left, s), compileScalar(e.low, s), compileScalar(e.high, s)), e);
    case 'member': {
      const t = compileScalar(e.target, s);
      const f = t.fn;
      const key = e.member;
      return fold({ type: 'dynamic', fn: (r) => member(f(r), key), isConst: t.isConst }, e);
    }
    case 'index': {
      const t = compileScalar(e.target, s);
      const i = compileScalar(e.index, s);
      const [ft, fi] = [t.fn, i.fn];
      return fold({ type: 'dynamic', fn: (r) => index(ft(r), fi(r)), isConst: t.isConst && i.isConst }, e);
    }
    case 'star':
      return semanticError("'*' is only valid as an argument of arg_max, arg_min or take_any", e);
    default:
      return semanticError('a tabular expression cannot be used as a scalar value (wrap it in toscalar())', e);
  }
}

function member(v: Value, key: string): Value {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof KDateTime || v instanceof KTimespan) return null;
  return Object.hasOwn(v, key) ? ((v as Record<string, Value>)[key] ?? null) : null;
}

function index(v: Value, i: Value): Value {
  if (Array.isArray(v) && typeof i === 'number') {
    const x = v[i < 0 ? v.length + i : i];
    return x === undefined ? null : (x as Value);
  }
  if (typeof i === 'string') return member(v, i);
  return null;
}

function compileName(name: string, at: Expr, s: Scope): Compiled {
  if (s.row) {
    const i = s.row.indexOf(name);
    if (i >= 0) {
      const type = s.row.columns[i]!.type;
      // String columns are never null in Kusto: a missing value reads as "".
      if (type === 'string') return { type, fn: (r) => r[i] ?? '', isConst: false };
      return { type, fn: (r) => r[i] ?? null, isConst: false };
    }
  }
  const b = s.env.lets.get(name);
  if (b?.kind === 'scalar') return b.value;
  if (b?.kind === 'tabular' || s.env.tables.has(name)) {
    semanticError(`'${name}' is a table, not a scalar value`, at);
  }
  return semanticError(s.row ? `unknown column '${name}'` : `unknown name '${name}'`, at);
}

function compileCall(e: CallExpr, s: Scope): Compiled {
  const nameAt = { start: e.nameStart, end: e.nameEnd };
  if (AGGREGATE_NAMES.has(e.name)) semanticError(`aggregation function '${e.name}' is only valid in summarize`, nameAt);
  if (e.name === 'toscalar') return compileToScalar(e, s);
  const def = FUNCTIONS.get(e.name);
  if (!def) {
    semanticError(`${KNOWN_UNSUPPORTED.has(e.name) ? 'unsupported' : 'unknown'} function '${e.name}'`, nameAt);
  }
  if (e.args.length < def.min || e.args.length > def.max) {
    const want = def.min === def.max ? `${def.min}` : def.max >= 64 ? `at least ${def.min}` : `${def.min} to ${def.max}`;
    semanticError(`${e.name}(): expects ${want} argument${want === '1' ? '' : 's'}, got ${e.args.length}`, e);
  }
  const args = e.args.map((a) => compileScalar(a, s));
  const out = def.compile(args, e, s);
  // Every function is deterministic within one query (now() included), so constant arguments fold.
  const isConst = args.every((a) => a.isConst);
  return fold({ type: out.type, fn: out.fn, isConst }, e);
}

/** toscalar(T): T runs once before the main scan; the first cell of its first row is the value. */
function compileToScalar(e: CallExpr, s: Scope): Compiled {
  const arg = e.args[0];
  if (e.args.length !== 1 || !arg) return semanticError('toscalar(): expects 1 argument', e);
  if (!isTabularExpr(arg, s)) return compileScalar(arg, s);
  const plan = compileTabular(arg, s.env);
  let value: Value = null;
  s.env.preps.push(async () => {
    for await (const batch of plan.run()) {
      if (batch.length) {
        value = batch[0]![0] ?? null;
        break;
      }
    }
  });
  return { type: plan.columns[0]?.type ?? 'dynamic', fn: () => value, isConst: false };
}
