// What the bot says in words: the one-line replies to refusals and failures. The domain's errors carry a code;
// each code gets a sentence an analyst can act on, ending with whether anything was stored.
import { ExclusionError } from '../exclusions/errors.js';
import { StoreError } from '../store/errors.js';
import { TriageError } from '../triage/errors.js';
import type { Role } from './authz.js';

export const NOTHING_STORED = 'Nothing was stored.';
export const STALE_FINDING = 'This finding changed since the card was posted; here it is as it stands now. Nothing was stored.';
export const STALE_EXCLUSION = 'This exclusion changed since the card was posted; here it is as it stands now. Nothing was stored.';
export const ALL_TRIAGED = 'All findings triaged: no open finding is left.';
export const HUNT_BUSY = 'A hunt is already running; its results will be posted when it finishes.';
export const HUNT_STARTED = 'The hunt is still running; I will post its results here when it finishes.';

/** The domain messages start with their operation ("mark: ", "exclusions: "); a chat reply does not need it. */
function bare(message: string): string {
  return message.replace(/^(mark|exclusions|triage|filter): /, '').replace(/\s+/g, ' ').trim();
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?…)]$/.test(t) ? t : `${t}.`;
}

/** The refusals the domain gives for bad input or a state that does not allow the change: replies, not crashes. */
export function isRefusal(err: unknown): err is TriageError | ExclusionError | StoreError {
  if (err instanceof StoreError) return err.code === 'illegal_transition' || err.code === 'invalid' || err.code === 'not_found';
  return err instanceof TriageError || err instanceof ExclusionError;
}

/** A refusal or failure of a card action or command, in one line. Unknown errors are rethrown to the turn handler. */
export function errorLine(err: unknown): string {
  if (err instanceof ExclusionError) {
    const msg = bare(err.message);
    switch (err.code) {
      case 'tp_overlap':
        return `Not stored: ${sentence(msg)} Mark it without "exclude going forward", or narrow the scope.`;
      case 'scenario_misfit':
        return `Not stored: this finding does not fit that scenario (${msg.replace(/\.$/, '')}). Pick the scenario that matches it.`;
      case 'self_approval':
        return `You proposed this exclusion, so someone else has to approve it (four-eyes). ${NOTHING_STORED}`;
      case 'remote_url_only':
      case 'no_conditions':
        return `Not stored: ${sentence(msg)} Try the other scope.`;
      case 'illegal_state':
      case 'stale':
        return `${sentence(msg)} ${NOTHING_STORED}`;
      default:
        return `Not stored: ${sentence(msg)}`;
    }
  }
  if (err instanceof TriageError) {
    const msg = bare(err.message);
    if (err.code === 'stale') return STALE_FINDING;
    return `Not stored: ${sentence(msg)}`;
  }
  if (err instanceof StoreError && isRefusal(err)) return `${sentence(bare(err.message))} ${NOTHING_STORED}`;
  throw err;
}

/** The polite refusal for someone the Authorizer does not allow. */
export function refusalLine(what: 'mark' | 'approve', role: Role): string {
  if (what === 'mark') return 'Sorry, only configured analysts can mark findings or change exclusions. Ask a lead to add your Entra object id to TRIAGE_ANALYSTS.';
  return role === 'analyst'
    ? 'Sorry, only configured leads can approve, reject, revoke or extend exclusions while four-eyes approval is on.'
    : 'Sorry, only configured analysts and leads can approve, reject, revoke or extend exclusions.';
}

export function forgedLine(kind: 'finding' | 'exclusion', id: string | number): string {
  return `I can't find ${kind} ${JSON.stringify(String(id))}: the card may be from another installation, or not genuine. ${NOTHING_STORED}`;
}

export function unknownVerbLine(verb: string | undefined): string {
  return `I don't know that action${verb ? ` (${JSON.stringify(verb.slice(0, 40))})` : ''}. Type help to see what I can do. ${NOTHING_STORED}`;
}

export function invalidLine(message: string): string {
  return `That card submission was not valid: ${sentence(message)} ${NOTHING_STORED}`;
}
