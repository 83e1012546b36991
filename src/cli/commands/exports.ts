// `triage export` and `triage import`: the tuned exclusions out (kql, rule, watchlist, json, csv) and back in.
import type { Command } from 'commander';
import { Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../../exclusions/export/index.js';
import { importExclusions } from '../../exclusions/import.js';
import { findRule } from '../../rules/index.js';
import { exportRuleExclusions } from '../../triage/exporting.js';
import { TriageError } from '../../triage/errors.js';
import { createContext, withApp, type CliIo } from '../context.js';
import type { CommonFlags } from '../options.js';

export function registerExportCommands(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('the tuned exclusions, as a KQL block, the tuned rule YAML, a Sentinel watchlist, json (importable) or csv')
    .addOption(new Option('--format <format>', 'export format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .option('--out <path>', 'write to this file (watchlist: this folder, for its two files) instead of stdout')
    .option('--alias <name>', 'watchlist alias for _GetWatchlist', 'parsec_exclusions')
    .option('--rule <id>', 'rule id or name')
    .option('--db <path>', 'SQLite database (env TRIAGE_DB)')
    .action(async (flags: CommonFlags & { format: ExportFormat; out?: string; alias: string }) => {
      const ctx = createContext(io, flags);
      await withApp(ctx, (app) => {
        const rule = findRule(app.rules, ctx.config.defaultRule);
        const res = exportRuleExclusions(app.store, rule, flags.format, { now: new Date(), watchlistAlias: flags.alias });
        for (const w of res.warnings) io.stderr(`warning: ${w}\n`);
        if (flags.out === undefined) {
          if (res.files.length > 1) throw new TriageError('bad-input', `export: ${flags.format} makes ${res.files.length} files (${res.files.map((f) => f.name).join(', ')}); give --out FOLDER`);
          return io.stdout(res.files[0]!.content);
        }
        if (res.files.length > 1) {
          mkdirSync(flags.out, { recursive: true });
          for (const f of res.files) writeFileSync(join(flags.out, f.name), f.content);
          io.stderr(`wrote ${res.files.map((f) => join(flags.out!, f.name)).join(', ')}\n`);
        } else {
          writeFileSync(flags.out, res.files[0]!.content);
          io.stderr(`wrote ${flags.out}\n`);
        }
      });
    });

  program
    .command('import')
    .description('merge an exported json file of exclusions into the database, by identity')
    .argument('<file>', 'a file written by `triage export --format json`')
    .option('--by <user>', 'who imports (for the audit log)', 'import')
    .option('--db <path>', 'SQLite database (env TRIAGE_DB)')
    .action(async (file: string, flags: CommonFlags & { by: string }) => {
      const ctx = createContext(io, flags);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new TriageError('not-found', `import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      await withApp(ctx, (app) => {
        const report = importExclusions(app.store, text, { actor: flags.by, file });
        for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
        io.stdout(JSON.stringify(report, null, 2) + '\n');
      });
    });
}
