// The typed syntax tree. Every node carries [start, end) offsets into the query text, so tools (the hunt
// builder) can splice the original text: operators also carry `pipeStart`, the offset of their `|`.
import type { KqlType, Value } from './values.js';

export interface Span {
  start: number;
  end: number;
}

// ---- Scalar expressions -------------------------------------------------------------------------------

export interface LiteralExpr extends Span {
  kind: 'literal';
  type: KqlType;
  value: Value;
}

/** A bare or bracketed (`['name']`) name: a column, a let-bound value or a table. */
export interface NameExpr extends Span {
  kind: 'name';
  name: string;
}

export interface CallExpr extends Span {
  kind: 'call';
  name: string;
  nameStart: number;
  nameEnd: number;
  args: Expr[];
}

export type BinaryOp =
  | 'or' | 'and'
  | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '%'
  | 'matches regex'
  | StringOp | `!${StringOp}`;

export type StringOp =
  | 'has' | 'has_cs' | 'hasprefix' | 'hasprefix_cs' | 'hassuffix' | 'hassuffix_cs' | 'contains' | 'contains_cs'
  | 'startswith' | 'startswith_cs' | 'endswith' | 'endswith_cs';

export interface BinaryExpr extends Span {
  kind: 'binary';
  op: BinaryOp;
  opStart: number;
  left: Expr;
  right: Expr;
}

export interface UnaryExpr extends Span {
  kind: 'unary';
  op: '-' | '+';
  operand: Expr;
}

export type ListOp = 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';

/** `x in (a, b)`, `x has_any (...)`: each item may be a scalar, a dynamic array, or a tabular expression. */
export interface InExpr extends Span {
  kind: 'in';
  op: ListOp;
  opStart: number;
  left: Expr;
  items: Expr[];
}

export interface BetweenExpr extends Span {
  kind: 'between';
  negated: boolean;
  left: Expr;
  low: Expr;
  high: Expr;
}

/** `x.name` or `x['name']`. */
export interface MemberExpr extends Span {
  kind: 'member';
  target: Expr;
  member: string;
}

/** `x[0]`. */
export interface IndexExpr extends Span {
  kind: 'index';
  target: Expr;
  index: Expr;
}

/** `*` as a function argument (`arg_max(Timestamp, *)`). */
export interface StarExpr extends Span {
  kind: 'star';
}

// ---- Tabular expressions ------------------------------------------------------------------------------

export interface ColumnDecl extends Span {
  name: string;
  type: KqlType;
}

export interface DatatableExpr extends Span {
  kind: 'datatable';
  columns: ColumnDecl[];
  values: Expr[];
}

export interface PrintExpr extends Span {
  kind: 'print';
  items: NamedExpr[];
}

export interface RangeExpr extends Span {
  kind: 'range';
  column: string;
  from: Expr;
  to: Expr;
  step: Expr;
}

/** A source followed by `| operator`s. A parenthesized tabular expression is a pipeline too. */
export interface PipelineExpr extends Span {
  kind: 'pipeline';
  source: Expr;
  operators: TabularOperator[];
}

export type Expr =
  | LiteralExpr | NameExpr | CallExpr | BinaryExpr | UnaryExpr | InExpr | BetweenExpr | MemberExpr | IndexExpr
  | StarExpr | DatatableExpr | PrintExpr | RangeExpr | PipelineExpr;

/** `Name = expr` or a bare `expr` in project/extend/summarize/print/distinct. */
export interface NamedExpr extends Span {
  name: string | null;
  nameStart?: number;
  nameEnd?: number;
  expr: Expr;
}

export interface OperatorBase extends Span {
  /** Offset of the `|` before the operator. */
  pipeStart: number;
}

export interface WhereOp extends OperatorBase {
  kind: 'where';
  predicate: Expr;
}

export interface ProjectOp extends OperatorBase {
  kind: 'project';
  items: NamedExpr[];
}

export interface ExtendOp extends OperatorBase {
  kind: 'extend';
  items: NamedExpr[];
}

/** A column name or a wildcard pattern (`Initiating*`). */
export interface ColumnPattern extends Span {
  pattern: string;
}

export interface ProjectAwayOp extends OperatorBase {
  kind: 'project-away' | 'project-keep';
  columns: ColumnPattern[];
}

export interface RenameItem extends Span {
  newName: string;
  oldName: string;
}

export interface ProjectRenameOp extends OperatorBase {
  kind: 'project-rename';
  items: RenameItem[];
}

export interface SummarizeOp extends OperatorBase {
  kind: 'summarize';
  aggregates: NamedExpr[];
  by: NamedExpr[] | null;
  /** Offset of the `by` keyword, when there is one. */
  byStart?: number;
}

export interface SortKey extends Span {
  expr: Expr;
  direction: 'asc' | 'desc' | null;
  nulls: 'first' | 'last' | null;
}

export interface SortOp extends OperatorBase {
  kind: 'sort';
  keys: SortKey[];
}

export interface TopOp extends OperatorBase {
  kind: 'top';
  count: Expr;
  keys: SortKey[];
}

export interface TakeOp extends OperatorBase {
  kind: 'take';
  count: Expr;
}

export interface DistinctOp extends OperatorBase {
  kind: 'distinct';
  /** null for `distinct *`. */
  items: NamedExpr[] | null;
}

export interface CountOp extends OperatorBase {
  kind: 'count';
}

export interface JoinCondition extends Span {
  left: string;
  right: string;
}

export interface JoinOp extends OperatorBase {
  kind: 'join';
  /** As written (lowercased); null when omitted, which in Kusto means innerunique. */
  joinKind: string | null;
  right: Expr;
  on: JoinCondition[];
}

export type TabularOperator =
  | WhereOp | ProjectOp | ExtendOp | ProjectAwayOp | ProjectRenameOp | SummarizeOp | SortOp | TopOp | TakeOp
  | DistinctOp | CountOp | JoinOp;

// ---- Statements ---------------------------------------------------------------------------------------

export interface LetStatement extends Span {
  kind: 'let';
  name: string;
  nameStart: number;
  nameEnd: number;
  value: Expr;
}

export interface ExprStatement extends Span {
  kind: 'expr';
  expr: Expr;
}

export type Statement = LetStatement | ExprStatement;

export interface QueryAst extends Span {
  kind: 'query';
  statements: Statement[];
}
