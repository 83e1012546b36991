// A stand-in for the OneDrive upload session Teams hands a bot after a file consent: a real HTTP server on
// 127.0.0.1 (port 0) that records each PUT's headers and bytes and answers 201 Created, as Graph does for a
// one-piece upload.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upload {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface UploadReceiver {
  /** The upload URL to hand the bot (one path per test is fine: every request is recorded). */
  readonly url: string;
  readonly uploads: readonly Upload[];
  close(): Promise<void>;
}

export async function startUploadReceiver(): Promise<UploadReceiver> {
  const uploads: Upload[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'item-1', name: 'uploaded', size: Buffer.concat(chunks).length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/upload-session/abc`,
    uploads,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
