// The welcome card (on install) and the help card (the answer to anything the bot does not understand).
import { adaptiveCard, callout, execute, facts, heading, text } from './elements.js';
import { clip, md } from './markdown.js';
import type { AdaptiveCard, CardAction, CardElement } from './types.js';
import { VERBS } from './verbs.js';

export interface CommandHelp {
  readonly title: string;
  readonly description: string;
}

const MAX_COMMANDS = 12;

function commandFacts(commands: readonly CommandHelp[]): CardElement[] {
  return commands.length ? [facts(commands.slice(0, MAX_COMMANDS).map((c) => [clip(c.title, 40), clip(c.description, 200)] as const))] : [];
}

function quickActions(): CardAction[] {
  return [
    execute('Run a hunt', { verb: VERBS.huntRun }, 'positive'),
    execute('Next finding', { verb: VERBS.triageNext }),
    execute('Bulk mark', { verb: VERBS.bulkOpen, groupBy: 'url', page: 1 }),
    execute('Exclusions', { verb: VERBS.exclusionsOpen }),
  ];
}

export function welcomeCard(w: { readonly open: boolean; readonly commands: readonly CommandHelp[]; readonly subscribed?: boolean }): AdaptiveCard {
  return adaptiveCard(
    [
      heading(md`Parsec exclusion triage`, { size: 'Large' }),
      text(
        md`I run the parsec.app hunting query (MITRE T1219), post each finding for you to mark, and learn exclusions from benign verdicts, showing what an exclusion would hide before anyone accepts it.`,
      ),
      ...(w.open ? [callout(md`No analyst or lead list is configured, so everyone here can mark findings and approve exclusions.`, 'warning')] : []),
      ...(w.subscribed ? [callout(md`This channel gets a summary after every scheduled hunt; type unsubscribe to stop it.`, 'info')] : []),
      heading(md`Commands`, { size: 'Default' }),
      ...commandFacts(w.commands),
    ],
    quickActions(),
  );
}

export function helpCard(commands: readonly CommandHelp[], note?: string): AdaptiveCard {
  return adaptiveCard(
    [...(note ? [callout(md`${clip(note, 400)}`, 'info')] : []), heading(md`Commands`), ...commandFacts(commands)],
    quickActions(),
  );
}
