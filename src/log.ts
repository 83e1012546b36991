// Logs go to stderr, always: stdout carries only a command's result, so scripts can pipe it. A server logs
// JSON lines (for a log pipeline); the CLI logs one readable line per event, for the person at the terminal.
import { pino, type Logger } from 'pino';

export type { Logger };

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/** Turns pino's JSON line into `info: message (key=value …)`. */
function readableStderr(): { write(line: string): void } {
  return {
    write(line: string) {
      const { level, msg, time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const extras = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      process.stderr.write(`${LABELS[Number(level)] ?? 'log'}: ${String(msg ?? '')}${extras.length ? ` (${extras.join(' ')})` : ''}\n`);
    },
  };
}

export function createLogger(level: string = 'info', style: 'json' | 'readable' = 'json'): Logger {
  const dest = style === 'readable' ? readableStderr() : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: null, timestamp: pino.stdTimeFunctions.isoTime }, dest);
}

/** For library code and tests that take a logger but need none. */
export const silentLogger: Logger = pino({ level: 'silent' });
