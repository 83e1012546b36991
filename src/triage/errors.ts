// Errors of the triage services: one clear line, with a code the bot maps to a reply and the CLI to an exit.
export type TriageErrorCode = 'bad-input' | 'not-found' | 'conflict' | 'forbidden' | 'stale';

export class TriageError extends Error {
  constructor(
    readonly code: TriageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TriageError';
  }
}
