// Flags shared by several commands, declared once.
import { Option, type Command } from 'commander';

export interface CommonFlags {
  db?: string;
  events?: string;
  now?: string;
  rule?: string;
}

export function formatOption(cmd: Command, choices: readonly string[], fallback: string): Command {
  return cmd.addOption(new Option('--format <format>', 'output format').choices(choices).default(fallback));
}
