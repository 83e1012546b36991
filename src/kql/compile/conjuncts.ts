// The operands of a predicate's `and` tree, found and compiled without recursing over the tree: a
// 10,000-term `a and b and ...` parses as a 10,000-deep left spine, which compileScalar's recursion (and a
// closure per `and` at run time) cannot take. A row passes the whole tree exactly when every operand is
// true, so the operands can be evaluated one by one (three-valued `and` is true only when both sides are).
import type { BinaryExpr, Expr } from '../ast.js';
import { compileScalar } from './scalar.js';
import { type Compiled, type Scope, semanticError } from './types.js';

const isAnd = (e: Expr): e is BinaryExpr => e.kind === 'binary' && e.op === 'and';

/** The operands of `e`'s `and` tree, left to right (`e` itself when it is not an `and`). */
export function andOperands(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (isAnd(x)) stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

export interface Conjunct {
  readonly expr: Expr;
  readonly compiled: Compiled;
}

/**
 * Compiles each operand of `e`'s `and` tree, raising the errors compileScalar would, in its order: a post-order
 * walk (left subtree, right subtree, then the `and` checks that both its sides are bool).
 */
export function compileConjuncts(e: Expr, scope: Scope): Conjunct[] {
  if (!isAnd(e)) return [{ expr: e, compiled: compileScalar(e, scope) }];
  const out: Conjunct[] = [];
  const leaves = new Map<Expr, Compiled>();
  const stack: Array<{ node: Expr; expanded: boolean }> = [{ node: e, expanded: false }];
  while (stack.length) {
    const top = stack.pop()!;
    const node = top.node;
    if (!isAnd(node)) {
      const compiled = compileScalar(node, scope);
      leaves.set(node, compiled);
      out.push({ expr: node, compiled });
    } else if (!top.expanded) {
      stack.push({ node, expanded: true }, { node: node.right, expanded: false }, { node: node.left, expanded: false });
    } else {
      for (const side of [node.left, node.right]) {
        const t = leaves.get(side)?.type ?? 'bool';
        if (t !== 'bool' && t !== 'dynamic') semanticError(`the operator 'and' expects bool operands, not ${t}`, node);
      }
    }
  }
  return out;
}
