// `triage hunt`, `triage query` and `triage kql`: the hunt pipeline from the command line.
import type { Command } from 'commander';
import { findRule } from '../../rules/loader.js';
import { runKql } from '../../kql/index.js';
import { openEventTable } from '../../sources/localEventSource.js';
import { createSource } from '../../sources/createSource.js';
import { huntQuery } from '../../hunt/runHunt.js';
import { recordHunt } from '../../triage/huntRecorder.js';
import { renderResult, type OutputFormat } from '../format.js';
import { createContext, progressReporter, withApp, type CliIo } from '../context.js';
import { formatOption, type CommonFlags } from '../options.js';

export function registerHuntCommands(program: Command, io: CliIo): void {
  formatOption(
    program
      .command('hunt')
      .description('run the rule over the events (local file or Log Analytics) and print its findings')
      .option('--rule <id>', 'rule id or name (default: the only rule, or TRIAGE_RULE)')
      .option('--events <file>', 'local event file, JSONL or CSV (env TRIAGE_EVENTS)')
      .option('--now <iso>', 'pin the clock (env TRIAGE_NOW)')
      .option('--db <path>', 'SQLite database (env TRIAGE_DB)'),
    ['table', 'json', 'csv'],
    'table',
  ).action(async (flags: CommonFlags & { format: OutputFormat }) => {
    const ctx = createContext(io, flags);
    const source = createSource(ctx.config, { now: ctx.now, onProgress: progressReporter(io) });
    await withApp(ctx, async (app) => {
      const rule = findRule(app.rules, ctx.config.defaultRule);
      const out = await recordHunt(
        { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
        { rule, source, now: ctx.now, pinned: ctx.pinnedNow !== undefined, actor: 'cli' },
      );
      for (const w of out.warnings) io.stderr(`warning: ${w}\n`);
      const m = out.merge;
      ctx.log.info(
        { run: out.run.id, rows: out.rows.length, new: m.created.length, reopened: m.reopened.length, suppressed: [...out.hits.values()].reduce((a, b) => a + b, 0) },
        `hunt finished (${out.run.status})`,
      );
      io.stdout(renderResult(flags.format, out.columns, out.rows));
    });
  });

  program
    .command('query')
    .description('print the exact final KQL the hunt would send')
    .option('--rule <id>', 'rule id or name')
    .option('--now <iso>', 'pin the clock: now() becomes a datetime literal')
    .option('--db <path>', 'SQLite database (env TRIAGE_DB)')
    .action(async (flags: CommonFlags) => {
      const ctx = createContext(io, flags);
      await withApp(ctx, (app) => {
        const rule = findRule(app.rules, ctx.config.defaultRule);
        io.stdout(huntQuery({ rule, now: ctx.pinnedNow, exclusions: app.exclusions.activeQueryExclusions(rule.id) }) + '\n');
      });
    });

  formatOption(
    program
      .command('kql')
      .description("run any KQL on the local engine, with the events as table DeviceNetworkEvents ('-' reads stdin)")
      .argument('<query>', 'the KQL text, or - for stdin')
      .option('--events <file>', 'local event file, JSONL or CSV (env TRIAGE_EVENTS)')
      .option('--now <iso>', 'pin the clock (env TRIAGE_NOW)'),
    ['table', 'json', 'csv'],
    'table',
  ).action(async (query: string, flags: CommonFlags & { format: OutputFormat }) => {
    const ctx = createContext(io, flags);
    const text = query === '-' ? await io.readStdin() : query;
    const table = openEventTable(ctx.config.eventsPath, { onProgress: progressReporter(io) });
    let res;
    try {
      res = await runKql(text, { tables: { DeviceNetworkEvents: table }, now: ctx.now });
    } catch (err) {
      // The engine may wrap a read failure; the table keeps the original, which names the file.
      throw table.failure ?? err;
    }
    for (const w of table.lastScan?.warnings ?? []) io.stderr(`warning: ${w}\n`);
    io.stdout(renderResult(flags.format, res.columns, res.rows));
  });
}
