// `triage exclusions [list|show|approve|reject|revoke|extend|widen]`: the exclusion lifecycle.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Exclusion } from '../../store/index.js';
import { describeConditions } from '../../exclusions/model.js';
import { effectiveConditions } from '../../exclusions/compile.js';
import type { Impact } from '../../exclusions/impact.js';
import { parseDateTime } from '../../kql/values.js';
import { TriageError } from '../../triage/errors.js';
import { renderTable } from '../format.js';
import { createContext, withApp, type CliIo } from '../context.js';
import { formatOption, type CommonFlags } from '../options.js';

type Flags = CommonFlags & { format: 'json' | 'table'; by?: string; comment?: string; overrideTp?: string; days?: string; until?: string; state?: string; apply?: boolean };

const ACTIONS = ['list', 'show', 'approve', 'reject', 'revoke', 'extend', 'widen'] as const;

function exclusionId(text: string | undefined, action: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new TriageError('bad-input', `exclusions ${action}: give the exclusion number, e.g. \`triage exclusions ${action} 3\``);
  return Number(text);
}

function need(value: string | undefined, flag: string, action: string): string {
  if (!value?.trim()) throw new TriageError('bad-input', `exclusions ${action}: ${flag} is required`);
  return value;
}

export function exclusionSummary(x: Exclusion) {
  return {
    id: x.id, state: x.state, scope: x.scope, deviceId: x.deviceId, scenario: x.scenario,
    conditions: describeConditions(effectiveConditions({ scope: x.scope, deviceId: x.deviceId, conditions: x.conditions })),
    author: x.author, approver: x.approver, createdAt: x.createdAt, expiresAt: x.expiresAt, replaces: x.replaces,
  };
}

function impactSummary(i: Impact) {
  return { open: i.open, closed: i.closed, truePositives: i.truePositives, matched: i.matched.map((m) => ({ id: m.findingId, state: m.state, device: m.deviceName, url: m.remoteUrl, full: m.full })) };
}

export function registerExclusionCommands(program: Command, io: CliIo): void {
  formatOption(
    program
      .command('exclusions')
      .description('list and manage exclusions: list, show N, approve N, reject N, revoke N, extend N, widen')
      .argument('[action]', ACTIONS.join('|'), 'list')
      .argument('[id]', 'exclusion number')
      .option('--by <user>', 'who acts (approve, reject, revoke, extend, widen)')
      .option('--comment <text>', 'why (reject, revoke)')
      .option('--override-tp <reason>', 'approve despite matching a True Positive, and say why')
      .option('--days <n>', 'extend: days from now')
      .option('--until <iso>', 'extend: new expiry')
      .option('--apply', 'widen: create the proposed wider exclusions')
      .addOption(new Option('--state <state>', 'list: only this state').choices(['proposed', 'active', 'expired', 'revoked', 'rejected']))
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json'],
    'table',
  ).action(async (action: string, id: string | undefined, flags: Flags) => {
    if (!(ACTIONS as readonly string[]).includes(action)) throw new TriageError('bad-input', `exclusions: unknown action '${action}'; use ${ACTIONS.join(', ')}`);
    const ctx = createContext(io, flags);
    const out = (value: unknown, text: () => string) => io.stdout(flags.format === 'json' ? JSON.stringify(value, null, 2) + '\n' : text());
    await withApp(ctx, async (app) => {
      const svc = app.exclusions;
      switch (action) {
        case 'list': {
          svc.expireDue();
          const list = app.store.exclusions.list(flags.state ? { state: flags.state as Exclusion['state'] } : {}).map(exclusionSummary);
          return out(list, () => renderTable(['id', 'state', 'scope', 'scenario', 'conditions', 'author', 'approver', 'expires'],
            list.map((x) => [x.id, x.state, x.scope, x.scenario, x.conditions, x.author, x.approver, x.expiresAt])));
        }
        case 'show': {
          const n = exclusionId(id, action);
          const x = app.store.exclusions.get(n);
          if (!x) throw new TriageError('not-found', `exclusions show: no exclusion ${n}`);
          const impact = impactSummary(await svc.previewExclusion(n));
          const hits = app.store.exclusions.hitsFor(n);
          const view = { ...exclusionSummary(x), comment: x.comment, tpOverrideReason: x.tpOverrideReason, sources: app.store.exclusions.sources(n), hits, impact };
          return out(view, () => renderTable(['field', 'value'], Object.entries({ ...view, impact: `${impact.matched.length} finding(s): ${impact.open} open, ${impact.closed} closed`, hits: hits.map((h) => `run ${h.runId}: ${h.hits}`) }))
            + (impact.matched.length ? '\nwould match\n' + renderTable(['finding', 'state', 'device', 'url', 'coverage'], impact.matched.map((m) => [m.id, m.state, m.device, m.url, m.full ? 'all events' : 'some events'])) : ''));
        }
        case 'approve': {
          const res = await svc.approve(exclusionId(id, action), need(flags.by, '--by', action), { tpOverrideReason: flags.overrideTp });
          return out({ ...exclusionSummary(res.exclusion), closed: res.closed, superseded: res.superseded, reopened: res.reopened },
            () => `exclusion ${res.exclusion.id}: active until ${res.exclusion.expiresAt ?? 'revoked'}; closed ${res.closed.length} finding(s)${res.superseded.length ? `; superseded ${res.superseded.join(', ')}` : ''}\n`);
        }
        case 'reject': {
          const x = svc.reject(exclusionId(id, action), need(flags.by, '--by', action), flags.comment);
          return out(exclusionSummary(x), () => `exclusion ${x.id}: rejected\n`);
        }
        case 'revoke': {
          const res = svc.revoke(exclusionId(id, action), need(flags.by, '--by', action), flags.comment);
          return out({ ...exclusionSummary(res.exclusion), reopened: res.reopened }, () => `exclusion ${res.exclusion.id}: revoked; reopened ${res.reopened.length} finding(s)\n`);
        }
        case 'extend': {
          const n = exclusionId(id, action);
          const by = need(flags.by, '--by', action);
          let x: Exclusion;
          if (flags.days !== undefined) {
            if (!/^\d+$/.test(flags.days) || Number(flags.days) < 1) throw new TriageError('bad-input', `exclusions extend: --days ${JSON.stringify(flags.days)}: a positive whole number`);
            x = svc.extend(n, by, { days: Number(flags.days) });
          } else if (flags.until !== undefined) {
            const d = parseDateTime(flags.until);
            if (!d) throw new TriageError('bad-input', `exclusions extend: --until ${JSON.stringify(flags.until)}: not an ISO-8601 time`);
            x = svc.extend(n, by, { until: new Date(d.ms) });
          } else throw new TriageError('bad-input', 'exclusions extend: give --days N or --until ISO');
          return out(exclusionSummary(x), () => `exclusion ${x.id}: expires ${x.expiresAt}\n`);
        }
        case 'widen': {
          const rule = app.rules.length === 1 ? app.rules[0]! : app.rules.find((r) => r.id === ctx.config.defaultRule);
          if (!rule) throw new TriageError('bad-input', 'exclusions widen: name the rule with TRIAGE_RULE');
          const proposals = await svc.proposeWidening(rule.id);
          if (!flags.apply) {
            return out(proposals.map((p) => ({ scenario: p.scenario, column: p.column, explanation: p.explanation, replaces: p.replaces, impact: impactSummary(p.impact), refused: p.refusal?.message ?? null })),
              () => proposals.length ? proposals.map((p) => `scenario ${p.scenario}: ${p.explanation}${p.refusal ? ` (refused: ${p.refusal.message})` : ''}\n`).join('') : 'no widening to propose\n');
          }
          const by = need(flags.by, '--by', action);
          const applied = app.store.transaction(() => proposals.filter((p) => !p.refusal).map((p) => svc.applyWidening(p, { author: by })));
          return out(applied.map((a) => exclusionSummary(a.exclusion)), () => applied.map((a) => `exclusion ${a.exclusion.id}: ${a.exclusion.state} (widened)\n`).join('') || 'no widening to apply\n');
        }
      }
    });
  });
}
