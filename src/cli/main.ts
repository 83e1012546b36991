// The `triage` command line. Every failure is one line on stderr and a non-zero exit: scripts drive this, so
// no stack traces (set TRIAGE_DEBUG=1 to see one) and nothing but the result on stdout.
import { Command, CommanderError } from 'commander';
import { registerHuntCommands } from './commands/hunt.js';
import { registerFindingCommands } from './commands/findings.js';
import { registerMarkCommand } from './commands/mark.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerExclusionCommands } from './commands/exclusions.js';
import { registerExportCommands } from './commands/exports.js';
import type { CliIo } from './context.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function defaultIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('triage')
    .description('Exclusion-tuning triage for the parsec.app RMM hunting rule (MITRE T1219)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  registerHuntCommands(program, io);
  registerFindingCommands(program, io);
  registerMarkCommand(program, io);
  registerExclusionCommands(program, io);
  registerExportCommands(program, io);
  registerAuditCommand(program, io);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  return program;
}

/** The first line of an error's message: the part a person needs. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n').find((l) => l.trim()) ?? 'unknown error').trim();
}

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      io.stderr(`triage: ${oneLine(err).replace(/^error: /, '')}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`triage: ${oneLine(err)}\n`);
    if (io.env.TRIAGE_DEBUG && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return EXIT_FAILURE;
  }
}
