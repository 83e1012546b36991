// Finding ids: short, typeable, and derived from the finding's key alone, so the same finding gets the same id
// in every database (export/import and a rebuilt store rely on it). The id is the first 8 Crockford base32
// characters of sha256(key): 40 bits, so a collision is rare at the store's size, and when one happens the
// newcomer takes the shortest longer prefix that is free. That newcomer's id then depends on which key came
// first, which is why an import should carry ids rather than recompute them.
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const FINDING_ID_LENGTH = 8;

export type KeyHash = (keyText: string) => Uint8Array;

export const sha256Bytes: KeyHash = (keyText) => createHash('sha256').update(keyText, 'utf8').digest();

export function crockfordBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** The key's text: a JSON array, so no choice of separator can make two keys meet. */
export function findingKeyText(ruleId: string, deviceId: string, remoteUrl: string): string {
  return JSON.stringify([ruleId, deviceId, remoteUrl]);
}

/**
 * The id for a key: the shortest prefix (at least FINDING_ID_LENGTH) of its hash that `takenByOther` says no
 * other key holds.
 */
export function assignFindingId(
  ruleId: string,
  deviceId: string,
  remoteUrl: string,
  takenByOther: (id: string) => boolean,
  hash: KeyHash = sha256Bytes,
): string {
  const full = crockfordBase32(hash(findingKeyText(ruleId, deviceId, remoteUrl)));
  for (let len = FINDING_ID_LENGTH; len <= full.length; len++) {
    const id = full.slice(0, len);
    if (!takenByOther(id)) return id;
  }
  throw new Error(`findings: no free id for ${findingKeyText(ruleId, deviceId, remoteUrl)}`);
}

/**
 * What a person typed, made into an id: case-insensitive, hyphens and spaces ignored, and the letters
 * Crockford base32 leaves out read as the digits they look like (i, l → 1; o → 0).
 */
export function normalizeFindingId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/[il]/g, '1')
    .replace(/o/g, '0');
}
