// Uploading a file to the session Teams opened in the user's OneDrive (a Microsoft Graph upload session): one
// PUT of the whole file with its Content-Range. The URL arrives inside an activity, so it is checked before any
// byte leaves: https only, except a loopback http receiver (local tests and the playground have no TLS).
import { isLoopback } from '../../loopback.js';

export class UploadError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'UploadError';
  }
}

export function checkUploadUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UploadError('upload: the upload URL is not a URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(host))) return url;
  throw new UploadError(`upload: refusing to send the file to ${url.protocol}//${url.host}: only https upload URLs are accepted`);
}

export async function uploadFile(uploadUrl: string, content: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const url = checkUploadUrl(uploadUrl);
  const body = Buffer.from(content, 'utf8');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
        'content-range': `bytes 0-${Math.max(0, body.length - 1)}/${body.length}`,
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  } catch (err) {
    throw new UploadError(`upload: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A one-piece upload session answers 201 Created (or 200 OK when it replaced the file).
  if (res.status !== 200 && res.status !== 201) {
    const text = (await res.text().catch(() => '')).slice(0, 200);
    throw new UploadError(`upload: the upload session answered ${res.status}${text ? `: ${text}` : ''}`, res.status);
  }
  await res.body?.cancel();
}
