// `triage findings` and `triage show`: what the store holds, for people (table) and scripts (json).
import type { Command } from 'commander';
import { Option } from 'commander';
import { findingView, dispositionView, eventTime } from '../../triage/findingView.js';
import { TriageError } from '../../triage/errors.js';
import { renderTable } from '../format.js';
import { createContext, withApp, type CliIo } from '../context.js';
import { formatOption, type CommonFlags } from '../options.js';

type Flags = CommonFlags & { format: 'json' | 'table'; state: 'open' | 'closed' | 'all' };

export function registerFindingCommands(program: Command, io: CliIo): void {
  formatOption(
    program
      .command('findings')
      .description('list stored findings with their state and latest disposition')
      .addOption(new Option('--state <state>', 'which findings').choices(['open', 'closed', 'all']).default('open'))
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json'],
    'table',
  ).action(async (flags: Flags) => {
    const ctx = createContext(io, flags);
    await withApp(ctx, (app) => {
      const list = app.store.findings.list({ state: flags.state });
      const latest = app.store.dispositions.latestForMany(list.map((f) => f.id));
      const views = list.map((f) => findingView(f, latest.get(f.id)));
      if (flags.format === 'json') return io.stdout(JSON.stringify(views, null, 2) + '\n');
      io.stdout(renderTable(
        ['id', 'state', 'DeviceName', 'RemoteUrl', 'LastSeen', 'Count', 'Accounts', 'ParentProcesses', 'disposition'],
        views.map((v) => [v.id, v.closedBy && v.closedBy !== 'disposition' ? `closed (${v.closedBy})` : v.state, v.DeviceName, v.RemoteUrl, v.LastSeen, v.Count,
          v.Accounts, v.ParentProcesses, v.disposition ? `${v.disposition.classification}${v.disposition.scenario ? ` #${v.disposition.scenario}` : ''} by ${v.disposition.by}` : '']),
      ));
    });
  });

  formatOption(
    program
      .command('show')
      .description('one finding: its context, every disposition, and the runs that saw it')
      .argument('<id>', 'finding id')
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json'],
    'table',
  ).action(async (id: string, flags: Flags) => {
    const ctx = createContext(io, flags);
    await withApp(ctx, (app) => {
      const f = app.store.findings.get(id);
      if (!f) throw new TriageError('not-found', `show: no finding ${JSON.stringify(id)}`);
      const history = app.store.dispositions.history(f.id);
      const view = { ...findingView(f, history.at(-1)), history: history.map(dispositionView), runs: app.store.findings.runs(f.id) };
      if (flags.format === 'json') return io.stdout(JSON.stringify(view, null, 2) + '\n');
      const facts: Array<[string, unknown]> = [
        ['id', view.id], ['state', view.closedBy ? `closed by ${view.closedBy}` : view.state], ['device', `${view.DeviceName} (${view.DeviceId})`],
        ['other names', view.DeviceNames.filter((n) => n !== view.DeviceName)], ['url', view.RemoteUrl],
        ['first seen', view.FirstSeen], ['last seen', view.LastSeen], ['count', view.Count], ['report ids', view.Report],
        ['processes', view.Processes], ['parents', view.ParentProcesses], ['accounts', view.Accounts], ['remote IPs', view.RemoteIPs],
        ['companies', view.Companies],
      ];
      io.stdout(renderTable(['field', 'value'], facts) + '\nhistory\n');
      io.stdout(history.length
        ? renderTable(['at', 'classification', 'reason', 'scenario', 'by', 'comment'], history.map((d) => [d.createdAt, d.classification, d.reason, d.scenario, d.analystId, d.comment]))
        : '(no dispositions)\n');
      io.stdout('\nruns\n' + renderTable(['run', 'started', 'status', 'count', 'first seen', 'last seen'],
        view.runs.map((r) => [r.runId, r.runStartedAt, r.runStatus, r.count, eventTime(r.firstSeen), eventTime(r.lastSeen)])));
    });
  });
}
