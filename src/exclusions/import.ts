// `triage import FILE`: merges an exclusions file (the json export) into the store, by identity, in one
// transaction. The whole file is validated first; any problem refuses it with nothing written.
// Matching: an entry is the stored exclusion with its fingerprint and createdAt (the same exclusion's life,
// which an import keeps); failing that, a live entry is the live stored exclusion with its fingerprint (the
// same exclusion, proposed in both databases). Anything else is created, keeping its state, times and
// people; an 'active' entry whose expiry has passed comes in as expired, since it no longer applies.
// A matched exclusion changes only through the repository's legal transitions, each of them audited.
import type { Store } from '../store/store.js';
import type { Actor, Exclusion, ExclusionState } from '../store/types.js';
import { LIVE_STATES } from '../store/exclusionModel.js';
import { StoreError } from '../store/errors.js';
import { ExclusionError } from './errors.js';
import { parseExclusionsFile, type ExclusionsFileEntryInput, type ExclusionsFileInput } from './importSchema.js';

export interface ImportOptions {
  /** Who the audit log names for every change. */
  readonly actor: Actor;
  /** The time expiries are judged at; default the store's clock. */
  readonly now?: Date | undefined;
  /** The file's name, for messages. */
  readonly file?: string | undefined;
}

export interface ImportReport {
  /** Store ids. */
  created: number[];
  updated: number[];
  unchanged: number[];
  /** Entries left as they are, by index in the file, and why. */
  skipped: Array<{ index: number; reason: string }>;
  /** What each update changed, e.g. `proposed → active`. */
  changes: Array<{ index: number; id: number; change: string }>;
  /** A `replaces` reference to an exclusion that is neither in the file nor in the store (dropped). */
  warnings: string[];
}

const iso = (s: string | null): string | null => (s === null ? null : new Date(s).toISOString());
const date = (s: string | null): Date | undefined => (s === null ? undefined : new Date(s));
const isLive = (s: ExclusionState): boolean => LIVE_STATES.includes(s);

function parseText(text: string, where: string): ExclusionsFileInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ExclusionError(`${where}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 'invalid');
  }
  const parsed = parseExclusionsFile(data);
  if (!parsed.ok) {
    const [first, ...rest] = parsed.problems;
    throw new ExclusionError(`${where}: ${first}${rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : ''}`, 'invalid');
  }
  return parsed.file;
}

/** Entries in an order where every replaced exclusion in the file comes before the one replacing it. */
function dependencyOrder(entries: readonly ExclusionsFileEntryInput[]): number[] {
  const byFp = new Map<string, number[]>();
  entries.forEach((x, i) => byFp.set(x.fingerprint, [...(byFp.get(x.fingerprint) ?? []), i]));
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number): void => {
    if (state.has(i)) return; // done, or a cycle: the back reference resolves as it can
    state.set(i, 'visiting');
    for (const fp of entries[i]!.replaces) for (const j of byFp.get(fp) ?? []) if (j !== i) visit(j);
    state.set(i, 'done');
    order.push(i);
  };
  entries.forEach((_, i) => visit(i));
  return order;
}

class Merge {
  readonly report: ImportReport = { created: [], updated: [], unchanged: [], skipped: [], changes: [], warnings: [] };
  private readonly byFp = new Map<string, Exclusion[]>();
  /** Fingerprint → the store id the file's entry with it became (the last such entry). */
  private readonly fileIds = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly actor: Actor,
    private readonly now: string,
  ) {}

  load(ruleId: string): void {
    for (const x of this.store.exclusions.list({ ruleId })) this.index(x);
  }

  apply(index: number, x: ExclusionsFileEntryInput): void {
    const expiry = iso(x.expiresAt);
    const lapsed = expiry !== null && expiry <= this.now;
    // An active exclusion past its expiry no longer applies anywhere: it is expired, whatever the file says.
    const target: ExclusionState = x.state === 'active' && lapsed ? 'expired' : x.state;
    const known = this.byFp.get(x.fingerprint) ?? [];
    const match =
      known.find((e) => e.createdAt === iso(x.createdAt)) ?? (isLive(target) ? known.find((e) => isLive(e.state)) : undefined);
    if (!match) {
      if (target === 'proposed' && lapsed) return this.skip(index, `a proposal whose expiry ${expiry} has passed`);
      const created = this.create(index, x, target);
      this.report.created.push(created.id);
      return;
    }
    this.fileIds.set(x.fingerprint, match.id);
    this.reconcile(index, match, x, target, expiry, lapsed);
  }

  private create(index: number, x: ExclusionsFileEntryInput, state: ExclusionState): Exclusion {
    const replaces: number[] = [];
    for (const fp of x.replaces) {
      const id = this.fileIds.get(fp) ?? this.byFp.get(fp)?.at(-1)?.id;
      if (id === undefined) this.report.warnings.push(`exclusions[${index}]: replaces ${fp}, which is neither in the file nor in the store; dropped`);
      else if (!replaces.includes(id)) replaces.push(id);
    }
    const converted = state !== x.state;
    const created = this.store.exclusions.create(
      {
        ruleId: x.ruleId,
        scope: x.scope,
        deviceId: x.deviceId,
        conditions: x.conditions,
        scenario: x.scenario,
        author: x.author,
        comment: x.comment,
        expiresAt: date(x.expiresAt) ?? null,
        tpOverrideReason: x.tpOverrideReason,
        replaces,
        state,
        approver: x.approver,
        createdAt: date(x.createdAt),
        activatedAt: date(x.activatedAt),
        revokedAt: date(x.revokedAt),
        rejectedAt: date(x.rejectedAt),
        expiredAt: converted ? undefined : date(x.expiredAt),
        endedBy: converted ? 'system' : x.endedBy,
        endComment: x.endComment,
      },
      this.actor,
    );
    this.index(created);
    this.fileIds.set(x.fingerprint, created.id);
    return created;
  }

  private reconcile(index: number, e: Exclusion, x: ExclusionsFileEntryInput, target: ExclusionState, expiry: string | null, lapsed: boolean): void {
    const repo = this.store.exclusions;
    if (e.state === target && (!isLive(target) || e.expiresAt === expiry)) {
      this.report.unchanged.push(e.id);
      return;
    }
    const here = `exclusion ${e.id} is ${e.state} here`;
    let next: Exclusion;
    let change: string;
    if (e.state === target) {
      if (lapsed) return this.skip(index, `${here}; the file's expiry ${expiry} has passed`);
      next = repo.extend(e.id, date(expiry) ?? null, this.actor);
      change = `expiry ${e.expiresAt ?? 'none'} → ${expiry ?? 'none'}`;
    } else if (e.state === 'proposed' && target === 'active') {
      next = repo.approve(e.id, x.approver!, this.actor, { expiresAt: date(expiry) ?? null });
      change = `proposed → active (approver ${x.approver}), expiry ${expiry ?? 'none'}`;
    } else if (e.state === 'proposed' && target === 'rejected') {
      next = repo.reject(e.id, this.actor, x.endComment ?? undefined);
      change = 'proposed → rejected';
    } else if (e.state === 'active' && target === 'revoked') {
      next = repo.revoke(e.id, this.actor, x.endComment ?? undefined);
      change = 'active → revoked';
    } else if (e.state === 'active' && target === 'expired') {
      const why = e.expiresAt !== null && e.expiresAt <= this.now ? 'its expiry has passed here too, and the next expiry sweep marks it' : 'an import cannot end it before its expiry here; revoke it instead';
      return this.skip(index, `${here} and expired in the file: ${why}`);
    } else {
      const why = isLive(e.state) ? 'no legal transition leads there' : `${e.state} is final`;
      return this.skip(index, `${here}; it cannot become ${target}: ${why}`);
    }
    this.replaceInIndex(next);
    this.report.updated.push(next.id);
    this.report.changes.push({ index, id: next.id, change });
  }

  private skip(index: number, reason: string): void {
    this.report.skipped.push({ index, reason });
  }

  private index(x: Exclusion): void {
    this.byFp.set(x.fingerprint, [...(this.byFp.get(x.fingerprint) ?? []), x]);
  }

  private replaceInIndex(x: Exclusion): void {
    this.byFp.set(x.fingerprint, (this.byFp.get(x.fingerprint) ?? []).map((e) => (e.id === x.id ? x : e)));
  }
}

/**
 * Validates `text` as an exclusions file and merges it into `store` in one transaction: all of it or, on any
 * error, none of it. Importing the same file again changes nothing.
 */
export function importExclusions(store: Store, text: string, opts: ImportOptions): ImportReport {
  const where = opts.file ? `import: ${opts.file}` : 'import';
  const file = parseText(text, where);
  const now = (opts.now ?? store.now()).toISOString();
  return store.transaction(() => {
    const merge = new Merge(store, opts.actor, now);
    merge.load(file.ruleId);
    for (const i of dependencyOrder(file.exclusions)) {
      try {
        merge.apply(i, file.exclusions[i]!);
      } catch (e) {
        // Rethrown inside the transaction, so everything this import wrote so far rolls back.
        if (e instanceof StoreError) throw new ExclusionError(`${where}: exclusions[${i}]: ${e.message}`, 'invalid');
        throw e;
      }
    }
    return merge.report;
  });
}
