// Teams' file flow in personal chat: the bot offers a file with a FileConsentCard, the user accepts or
// declines, and on accept Teams hands the bot an upload session (uploadUrl) in the user's OneDrive; after the
// upload a FileInfoCard shows the file in the chat. The offer's context comes back with the answer, through the
// client, so it is validated like any other submission.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EXPORT_FORMATS, type ExportFile, type ExportFormat } from '../../exclusions/export/index.js';

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** What the bot needs back to make the same file again: its format, name, the time it was made, its hash. */
export const offerContext = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  name: z.string().min(1).max(200),
  generatedAt: z.iso.datetime(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type OfferContext = z.infer<typeof offerContext>;

export const sha256 = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/** The FileConsentCard attachment offering one exported file. */
export function fileConsentAttachment(file: ExportFile, format: ExportFormat, generatedAt: Date, description: string) {
  const context: OfferContext = { format, name: file.name, generatedAt: generatedAt.toISOString(), sha256: sha256(file.content) };
  return {
    contentType: FILE_CONSENT_CARD,
    name: file.name,
    content: {
      description,
      sizeInBytes: Buffer.byteLength(file.content, 'utf8'),
      acceptContext: context,
      declineContext: context,
    },
  };
}

/** Teams' answer to an offer: the upload session comes only with an accept. */
const uploadInfo = z.looseObject({
  name: z.string().min(1),
  uploadUrl: z.url(),
  contentUrl: z.url(),
  uniqueId: z.string().min(1),
  fileType: z.string().optional(),
});

export const consentResponse = z.discriminatedUnion('action', [
  z.looseObject({ action: z.literal('accept'), context: offerContext, uploadInfo }),
  z.looseObject({ action: z.literal('decline'), context: offerContext }),
]);
export type ConsentResponse = z.infer<typeof consentResponse>;
export type UploadInfo = z.infer<typeof uploadInfo>;

/** The FileInfoCard that shows an uploaded file in the chat. */
export function fileInfoAttachment(info: UploadInfo) {
  const fileType = info.fileType ?? info.name.split('.').pop() ?? '';
  return { contentType: FILE_INFO_CARD, contentUrl: info.contentUrl, name: info.name, content: { uniqueId: info.uniqueId, fileType } };
}
