// One error type for the store, so callers (CLI, bot) can print `message` as the one-line error and branch on
// `code` without parsing text.

export type StoreErrorCode =
  | 'open_failed'
  | 'schema_too_new'
  | 'not_found'
  | 'invalid'
  | 'illegal_transition'
  | 'duplicate';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: StoreErrorCode,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
