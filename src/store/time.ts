// The two timestamp forms the store keeps as TEXT. Each column holds one form only, so comparing the text
// compares the instants:
// - event time (first/last seen, a disposition's view of last seen): Kusto's 100 ns precision, always seven
//   fractional digits, e.g. 2024-05-01T10:00:00.1234567Z;
// - wall-clock time (created, updated, expiry, run windows): Date's milliseconds, e.g. 2024-05-01T10:00:00.123Z.
import { KDateTime, parseDateTime } from '../kql/values.js';

export function eventTime(v: string | KDateTime): string | null {
  const dt = typeof v === 'string' ? parseDateTime(v) : v;
  if (!dt || !Number.isFinite(dt.ms)) return null;
  const base = new Date(dt.ms).toISOString();
  return `${base.slice(0, -1)}${String(dt.sub).padStart(4, '0')}Z`;
}

export function wallTime(d: Date): string {
  return d.toISOString();
}
