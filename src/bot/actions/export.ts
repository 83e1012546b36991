// `export [format]` in Teams. The KQL block is shown inline, as a code block, everywhere: it is what an
// engineer pastes, and the Agents Playground has no file cards. In personal chat the requested format is
// also offered as a file (Teams' FileConsentCard: consent, upload, file card). Channels and group chats have
// no file API, so there the other formats come inline too, as long as a message can hold them.
import { EXPORT_FORMATS, ExportError, isExportFormat, type ExportFile, type ExportFormat } from '../../exclusions/export/index.js';
import { exportRuleExclusions } from '../../triage/exporting.js';
import { codeBlock } from '../cards/index.js';
import { fileConsentAttachment } from '../files/consent.js';
import { result, type ActionResult, type BotServices, type Reply, type TurnInfo } from './context.js';

/** Teams refuses messages past ~80 KB (the whole activity); the text of one stays well under it. */
export const MAX_INLINE_BYTES = 60_000;

const FENCE_LANG: Record<string, string> = { kql: 'kql', yaml: 'yaml', json: 'json', csv: 'csv' };

function inline(file: ExportFile, intro: string): string | undefined {
  const text = `${intro}\n\n${codeBlock(file.content, FENCE_LANG[file.name.split('.').pop() ?? ''] ?? '')}`;
  return Buffer.byteLength(text, 'utf8') <= MAX_INLINE_BYTES ? text : undefined;
}

const kb = (s: string) => `${Math.ceil(Buffer.byteLength(s, 'utf8') / 1024)} KB`;

export function exportFiles(svc: BotServices, format: ExportFormat, generatedAt: Date) {
  return exportRuleExclusions(svc.app.store, svc.rule(), format, { now: generatedAt });
}

/** The KQL block inline, always; it says so when a message cannot hold it. */
function kqlReply(file: ExportFile, turn: TurnInfo): string {
  const shown = inline(file, `**Tuned exclusions as KQL** (${file.name}): paste these lines right before the query's first \`summarize\`.`);
  if (shown) return shown;
  return turn.kind === 'personal'
    ? `The KQL block is ${kb(file.content)}, too long for a Teams message: ask for \`export kql\` to get it as a file, or \`export watchlist\`.`
    : `The KQL block is ${kb(file.content)}, too long for a Teams message: ask me for \`export kql\` in personal chat to get it as a file.`;
}

export function exportCommand(svc: BotServices, turn: TurnInfo, requested: string | undefined): ActionResult {
  const format = (requested ?? 'kql').toLowerCase();
  if (!isExportFormat(format)) {
    const line = `I can't export "${format.slice(0, 30)}". Formats: ${EXPORT_FORMATS.join(', ')} (for example: export json).`;
    return result(line, { replies: [line] });
  }
  const generatedAt = svc.now();
  const kql = exportFiles(svc, 'kql', generatedAt);
  const replies: Reply[] = [kqlReply(kql.files[0]!, turn)];
  let files: readonly ExportFile[] = [];
  try {
    const res = format === 'kql' ? kql : exportFiles(svc, format, generatedAt);
    files = res.files;
    for (const w of res.warnings) replies.push(`Note: ${w}`);
  } catch (err) {
    // An over-long tuned rule is a refusal with a way out (the watchlist), not a failure of the turn.
    if (!(err instanceof ExportError) || err.code === 'internal') throw err;
    replies.push(`Not exported as ${format}: ${err.message.replace(/^export: /, '')}`);
  }
  if (turn.kind === 'personal') {
    for (const f of files) replies.push({ attachment: fileConsentAttachment(f, format, generatedAt, `${format} export of the tuned exclusions (${f.name})`) });
  } else if (format !== 'kql') {
    for (const f of files) {
      replies.push(inline(f, `**${f.name}**`) ?? `${f.name} is ${kb(f.content)}, too long for a Teams message: ask me for \`export ${format}\` in personal chat to get it as a file.`);
    }
  }
  svc.log.info({ format, kind: turn.kind, files: files.map((f) => f.name), actor: turn.actor.id }, 'export');
  return result(`Exported ${format}.`, { replies });
}
