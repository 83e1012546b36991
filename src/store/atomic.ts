// Write atomicity for repository methods. A call outside any transaction runs in its own BEGIN IMMEDIATE
// (taking the write lock up front, so two processes never race on a read-then-write). A call inside one joins
// it, with no savepoint of its own: in a WAL file, an UPDATE that carries CHECK and foreign-key constraints
// costs ~100 µs instead of ~2 µs while any savepoint is open (SQLite then keeps a statement journal against
// it), which turned a 10,000-finding bulk mark into seconds. So nesting flattens, and the rule for callers
// is the usual one: let an error propagate out of the transaction, which rolls all of it back.
import type Database from 'better-sqlite3';

export type Tx = <T>(fn: () => T) => T;

export function transactor(db: Database.Database): Tx {
  const begin = db.transaction((fn: () => unknown) => fn()).immediate;
  return <T>(fn: () => T): T => {
    if (!db.inTransaction) return begin(fn) as T;
    const result = fn();
    // The refusal better-sqlite3 makes at the top level: an await would let other work into the transaction.
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      throw new TypeError('Transaction function cannot return a promise');
    }
    return result;
  };
}
