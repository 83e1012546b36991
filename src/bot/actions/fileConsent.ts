// The answer to a file offer (fileConsent/invoke). On accept the file is made again from the offer's context
// (same format, same time, so the same bytes unless the exclusions changed since: then the current file goes,
// and the user is told), uploaded to the session Teams opened, and shown with a file card.
import { consentResponse, fileInfoAttachment, sha256 } from '../files/consent.js';
import { UploadError, uploadFile } from '../files/upload.js';
import { invalidLine } from '../replies.js';
import { result, type ActionResult, type BotServices, type Reply, type TurnInfo } from './context.js';
import { exportFiles } from './export.js';

export async function answerFileConsent(svc: BotServices, turn: TurnInfo, value: unknown): Promise<ActionResult> {
  const parsed = consentResponse.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const line = invalidLine(`file consent: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    svc.log.info({ actor: turn.actor.id, problem: line }, 'file consent refused');
    return result(line, { replies: [line] });
  }
  const answer = parsed.data;
  const { name, format } = answer.context;
  if (answer.action === 'decline') {
    const line = `You declined ${name}: nothing was uploaded. The KQL above is still yours to copy.`;
    return result(line, { replies: [line] });
  }

  const same = exportFiles(svc, format, new Date(answer.context.generatedAt)).files.find((f) => f.name === name);
  let file = same;
  const replies: Reply[] = [];
  if (!same || sha256(same.content) !== answer.context.sha256) {
    file = exportFiles(svc, format, svc.now()).files.find((f) => f.name === name);
    replies.push(`The exclusions changed since I offered ${name}; the file holds them as they stand now.`);
  }
  if (!file) {
    const line = invalidLine(`file consent: the offer names ${JSON.stringify(name)}, which a ${format} export does not make`);
    return result(line, { replies: [line] });
  }
  try {
    await uploadFile(answer.uploadInfo.uploadUrl, file.content);
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    svc.log.warn({ err: err.message, name, actor: turn.actor.id }, 'file upload failed');
    const line = `The upload of ${name} failed (${err.message.replace(/^upload: /, '')}). Nothing was shared; ask for the export again.`;
    return result(line, { replies: [line] });
  }
  svc.log.info({ name, format, bytes: Buffer.byteLength(file.content, 'utf8'), actor: turn.actor.id }, 'export uploaded');
  replies.push({ attachment: fileInfoAttachment(answer.uploadInfo) });
  return result(`Uploaded ${name}.`, { replies });
}
