// Typed commands: the first word picks the command (whole word, any case), the rest are its arguments. The
// help text comes from the manifest's command list when it is there, so Teams' command menu and the bot's help
// card say the same thing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config.js';
import { GROUP_BYS, type GroupBy } from './cards/verbs.js';

export type Command =
  | { readonly name: 'hunt' }
  | { readonly name: 'next' }
  | { readonly name: 'bulk'; readonly groupBy: GroupBy | undefined; readonly filter: string | undefined }
  | { readonly name: 'exclusions'; readonly review: boolean }
  | { readonly name: 'export'; readonly format: string | undefined }
  | { readonly name: 'stats' }
  | { readonly name: 'subscribe' }
  | { readonly name: 'unsubscribe' }
  | { readonly name: 'help' }
  | { readonly name: 'unknown'; readonly text: string };

export interface CommandHelp {
  readonly title: string;
  readonly description: string;
}

/** What the bot answers to when the manifest's list cannot be read. */
export const BUILT_IN_COMMANDS: readonly CommandHelp[] = [
  { title: 'hunt', description: 'Run the hunting query now and post what is new' },
  { title: 'next', description: 'Walk through the open findings one card at a time (also: triage)' },
  { title: 'bulk', description: 'Mark many open findings at once: bulk [url|account|parent] [filter]' },
  { title: 'exclusions', description: 'Proposed, active and expired exclusions (exclusions review: decide proposals one by one)' },
  { title: 'export', description: 'export [kql|rule|watchlist|json|csv]: the tuned exclusions (KQL inline; a file in personal chat)' },
  { title: 'stats', description: 'Charts of dispositions, scenarios and findings per run' },
  { title: 'subscribe', description: 'Post a summary here after every scheduled hunt' },
  { title: 'unsubscribe', description: 'Stop the scheduled hunt summaries here' },
  { title: 'help', description: 'What I can do' },
];

const isGroupBy = (w: string | undefined): w is GroupBy => w !== undefined && (GROUP_BYS as readonly string[]).includes(w);

export function parseCommand(text: string): Command {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const word = first.toLowerCase();
  switch (word) {
    case 'hunt':
      return { name: 'hunt' };
    case 'next':
    case 'triage':
      return { name: 'next' };
    case 'bulk': {
      const arg = rest[0]?.toLowerCase();
      const groupBy = isGroupBy(arg) ? arg : undefined;
      const filter = (groupBy ? rest.slice(1) : rest).join(' ').trim();
      return { name: 'bulk', groupBy, filter: filter || undefined };
    }
    case 'exclusions':
    case 'exclusion':
      return { name: 'exclusions', review: rest[0]?.toLowerCase() === 'review' };
    case 'review':
      return { name: 'exclusions', review: true };
    case 'export':
      return { name: 'export', format: rest[0] };
    case 'stats':
      return { name: 'stats' };
    case 'subscribe':
      return { name: 'subscribe' };
    case 'unsubscribe':
      return { name: 'unsubscribe' };
    case 'help':
    case '?':
      return { name: 'help' };
    default:
      return { name: 'unknown', text: text.trim() };
  }
}

const commandList = z.array(z.object({ title: z.string().min(1).max(32), description: z.string().max(128) })).min(1).max(10);
const manifestCommands = z.union([commandList, z.object({ commands: commandList })]);

export const COMMANDS_FILE = join(PROJECT_ROOT, 'manifest', 'commands.json');

/**
 * The manifest's command list ({title, description}[], or {commands: [...]}); the built-in list when the file
 * is missing. A file that is there but wrong is an error: the manifest and the bot would disagree.
 */
export function loadCommandHelp(file: string = COMMANDS_FILE): readonly CommandHelp[] {
  if (!existsSync(file)) return BUILT_IN_COMMANDS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`commands: ${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = manifestCommands.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`commands: ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.commands;
}
