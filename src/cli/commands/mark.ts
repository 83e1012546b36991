// `triage mark`: dispositions from the command line, one finding, a list, or a --where filter.
import type { Command } from 'commander';
import { Option } from 'commander';
import { markFindings } from '../../triage/marking.js';
import { parseVerdict, MARK_WORDS } from '../../triage/taxonomy.js';
import { parseFindingFilter } from '../../triage/findingFilter.js';
import { TriageError } from '../../triage/errors.js';
import { createContext, withApp, type CliIo } from '../context.js';
import { formatOption, type CommonFlags } from '../options.js';

interface MarkFlags extends CommonFlags {
  as: string;
  reason?: string;
  scenario?: string;
  comment?: string;
  exclude?: boolean;
  scope?: 'device' | 'rule';
  overrideTp?: string;
  by: string;
  name?: string;
  where?: string;
  format: 'json' | 'table';
}

function scenarioNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TriageError('bad-input', `mark: --scenario ${JSON.stringify(text)}: must be a scenario number`);
  return Number(text);
}

export function registerMarkCommand(program: Command, io: CliIo): void {
  formatOption(
    program
      .command('mark')
      .description('disposition findings (Sentinel taxonomy); with --exclude, learn an exclusion from a benign mark')
      .argument('[ids...]', 'finding ids (or use --where)')
      .requiredOption('--as <verdict>', `one of ${MARK_WORDS.join(', ')}`)
      .option('--reason <reason>', 'classification reason (FP: IncorrectAlertLogic or InaccurateData)')
      .option('--scenario <n>', 'the documented benign scenario (1-based)')
      .option('--comment <text>', 'why')
      .option('--exclude', 'learn an exclusion from this benign mark')
      .addOption(new Option('--scope <scope>', 'exclusion scope').choices(['device', 'rule']))
      .option('--override-tp <reason>', 'accept an exclusion that would also match a True Positive, and say why')
      .option('--where <filter>', 'mark every open finding matching e.g. "url=stun.parsec.app account=ITSecurity"')
      .requiredOption('--by <user>', 'who is marking (analyst id)')
      .option('--name <name>', "the analyst's display name")
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json'],
    'table',
  ).action(async (ids: string[], flags: MarkFlags) => {
    const ctx = createContext(io, flags);
    if (flags.scope && !flags.exclude) throw new TriageError('bad-input', 'mark: --scope goes with --exclude');
    const verdict = parseVerdict(flags.as, flags.reason);
    const where = flags.where !== undefined ? parseFindingFilter(flags.where) : undefined;
    await withApp(ctx, async (app) => {
      const out = await markFindings(app, {
        ids: ids.length ? ids : undefined,
        where,
        verdict,
        scenario: scenarioNumber(flags.scenario),
        comment: flags.comment,
        exclude: flags.exclude ? { scope: flags.scope, tpOverrideReason: flags.overrideTp } : undefined,
        analyst: { id: flags.by, name: flags.name },
      });
      const summary = {
        marked: out.marked.map((f) => f.id),
        unchanged: out.unchanged.map((f) => f.id),
        classification: verdict.classification,
        reason: verdict.reason,
        bulkId: out.bulkId,
        exclusions: out.exclusions.map((x) => ({ id: x.exclusion.id, state: x.exclusion.state, created: x.created, closedFindings: [...x.closed] })),
      };
      if (flags.format === 'json') return io.stdout(JSON.stringify(summary, null, 2) + '\n');
      io.stdout(`marked ${summary.marked.length} as ${verdict.classification}${verdict.reason ? ` (${verdict.reason})` : ''}` +
        `${summary.unchanged.length ? `; ${summary.unchanged.length} already so marked, unchanged` : ''}\n`);
      for (const x of summary.exclusions) {
        io.stdout(`exclusion ${x.id}: ${x.state}${x.created ? '' : ' (existing)'}${x.closedFindings.length ? `; closed ${x.closedFindings.length} more finding(s): ${x.closedFindings.join(', ')}` : ''}\n`);
      }
    });
  });
}
