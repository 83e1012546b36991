// Who may do what in the bot, decided by Entra object id (the `aadObjectId` Teams puts on every activity's
// `from`). Leads can do everything analysts can. With neither list configured (the local default) the bot is
// open: everyone is an analyst and a lead, which is what a single analyst trying it in the playground needs.
export type Role = 'lead' | 'analyst' | 'none';

export interface AuthorizerOptions {
  readonly analysts: readonly string[];
  readonly leads: readonly string[];
}

// Object ids are GUIDs, which clients print in either case; a list copied from the Entra portal must match
// the id Teams sends whatever the casing or stray whitespace.
function normalize(id: string | undefined): string {
  return (id ?? '').trim().toLowerCase();
}

export class Authorizer {
  readonly open: boolean;
  private readonly analysts: ReadonlySet<string>;
  private readonly leads: ReadonlySet<string>;

  constructor(opts: AuthorizerOptions) {
    this.analysts = new Set(opts.analysts.map(normalize).filter(Boolean));
    this.leads = new Set(opts.leads.map(normalize).filter(Boolean));
    this.open = this.analysts.size === 0 && this.leads.size === 0;
  }

  /** How many ids each list holds (for the start-up log line). */
  get counts(): { analysts: number; leads: number } {
    return { analysts: this.analysts.size, leads: this.leads.size };
  }

  role(aadObjectId: string | undefined): Role {
    if (this.open) return 'lead';
    const id = normalize(aadObjectId);
    // An activity without an object id (a forged or non-Teams caller) is nobody, never a wildcard match.
    if (!id) return 'none';
    if (this.leads.has(id)) return 'lead';
    if (this.analysts.has(id)) return 'analyst';
    return 'none';
  }

  /** Marking findings (single or bulk) and proposing exclusions: analysts and leads. */
  canMark(aadObjectId: string | undefined): boolean {
    return this.role(aadObjectId) !== 'none';
  }

  /**
   * Approving, rejecting, revoking or extending an exclusion: leads only when four-eyes is on; anyone who may
   * mark when it is off (then an exclusion goes live with the mark, so approving is no extra power).
   */
  canApprove(aadObjectId: string | undefined, requireApproval: boolean): boolean {
    const role = this.role(aadObjectId);
    return requireApproval ? role === 'lead' : role !== 'none';
  }
}
