// Authorization before any write: the Authorizer decides, a refusal is a polite reply plus an audit row, and
// nothing else is stored.
import { refusalLine } from '../replies.js';
import { result, type ActionResult, type BotServices, type TurnInfo } from './context.js';

export type Permission = 'mark' | 'approve';

function allowed(svc: BotServices, turn: TurnInfo, what: Permission): boolean {
  const id = turn.actor.aadObjectId;
  return what === 'mark' ? svc.authz.canMark(id) : svc.authz.canApprove(id, svc.config.exclusions.requireApproval);
}

/** null when the actor may; else the refusal, already audited. */
export function refusal(
  svc: BotServices,
  turn: TurnInfo,
  what: Permission,
  target: { entity: 'finding' | 'exclusion' | 'hunt' | 'conversation'; id: string | number | null; verb: string },
): ActionResult | null {
  if (allowed(svc, turn, what)) return null;
  const role = svc.authz.role(turn.actor.aadObjectId);
  svc.app.store.audit.append({
    actor: turn.actor.id,
    action: 'authz.refused',
    entity: target.entity,
    entityId: target.id,
    after: { verb: target.verb, role, name: turn.actor.name ?? null },
  });
  svc.log.info({ actor: turn.actor.id, verb: target.verb, role }, 'authorization refused');
  const line = refusalLine(what, role);
  return result(line, { replies: [line] });
}
