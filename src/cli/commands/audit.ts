// `triage audit` lists the append-only log; `triage audit verify` walks its hash chain and fails loudly on
// the first row that was edited, removed or reordered.
import type { Command } from 'commander';
import { renderTable } from '../format.js';
import { createContext, withApp, type CliIo } from '../context.js';
import { formatOption, type CommonFlags } from '../options.js';

export function registerAuditCommand(program: Command, io: CliIo): void {
  formatOption(
    program
      .command('audit')
      .description('the audit log (newest first); `audit verify` checks its hash chain')
      .argument('[action]', 'verify')
      .option('--limit <n>', 'how many entries', '50')
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json'],
    'table',
  ).action(async (action: string | undefined, flags: CommonFlags & { limit: string; format: 'json' | 'table' }) => {
    if (action !== undefined && action !== 'verify') throw new Error(`audit: unknown action ${JSON.stringify(action)}; use 'triage audit' or 'triage audit verify'`);
    const limit = Number(flags.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`audit: --limit ${JSON.stringify(flags.limit)}: must be a positive whole number`);
    const ctx = createContext(io, flags);
    await withApp(ctx, (app) => {
      if (action === 'verify') {
        const res = app.store.audit.verify();
        if (flags.format === 'json') io.stdout(JSON.stringify(res) + '\n');
        if (!res.ok) throw new Error(`audit: chain broken at entry ${res.brokenAt}: ${res.reason}`);
        if (flags.format !== 'json') io.stdout(`audit chain ok: ${res.count} entries\n`);
        return;
      }
      const rows = app.store.audit.list({ limit });
      if (flags.format === 'json') return io.stdout(JSON.stringify(rows, null, 2) + '\n');
      io.stdout(renderTable(['id', 'at', 'actor', 'action', 'entity', 'after'], rows.map((r) => [r.id, r.at, r.actor, r.action, `${r.entity} ${r.entityId ?? ''}`, r.after])));
    });
  });
}
