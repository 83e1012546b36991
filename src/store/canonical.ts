// Canonical JSON (sorted keys, no whitespace) and sha256: the audit chain and the exclusion fingerprint hash
// the same value to the same text in any process, whatever the key order of the object that was built.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  // The native serializer does the work; the replacer only hands it each plain object with sorted keys.
  return JSON.stringify(value, sortedKeys) ?? 'null';
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return value;
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) out[k] = (value as Record<string, unknown>)[k];
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
