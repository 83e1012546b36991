// The one error an export raises, so the CLI and the bot print `message` as the one-line error and branch on
// `code` (an over-long query is a refusal with a way out, not a crash) without parsing text.

export type ExportErrorCode =
  /** The tuned query passes Sentinel's limit for a rule query: use the watchlist format. */
  | 'query_too_long'
  /** The request is unusable: an unknown format, a bad alias, an exclusion of another rule. */
  | 'invalid'
  /** A stored exclusion fails validation, or the output failed its own round-trip check. */
  | 'internal';

export class ExportError extends Error {
  constructor(
    message: string,
    readonly code: ExportErrorCode,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
