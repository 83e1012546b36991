// A throwaway TLS certificate for local HTTPS test servers, made at test time: nothing downloaded, no key
// committed. The certificate is its own CA, so a client trusts it by passing `cert` as its `ca`.
import { generate } from 'selfsigned';

export interface TestCertificate {
  /** PEM certificate, valid for 127.0.0.1, ::1 and localhost; also the CA to trust. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

let cached: Promise<TestCertificate> | undefined;

/** One certificate per test process: key generation is the slow part, and nothing needs two. */
export function selfSignedCert(): Promise<TestCertificate> {
  cached ??= (async () => {
    const now = Date.now();
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 86_400_000),
      notAfterDate: new Date(now + 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 7, ip: '::1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    return { cert: pems.cert, key: pems.private };
  })();
  return cached;
}
