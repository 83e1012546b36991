// One error type for learning and managing exclusions, so the CLI and the bot print `message` as the one-line
// error and branch on `code` (a refusal is not a crash) without parsing text.

export type ExclusionErrorCode =
  /** The finding's rule is not among the loaded rules. */
  | 'unknown_rule'
  /** The finding belongs to another rule than the one asked for. */
  | 'wrong_rule'
  | 'scenario_out_of_range'
  /** The finding's own context does not fit the scenario's template (resolveTemplate's reason). */
  | 'scenario_misfit'
  /** Only RemoteUrl conditions would be left: that would hide real abuse of the same domain. */
  | 'remote_url_only'
  /** No condition would be left (a rule-wide scope over a template that is only device conditions). */
  | 'no_conditions'
  /** Conditions that fail the model's validation (a stored row, an import). */
  | 'invalid_conditions'
  /** The exclusion would match findings marked True Positive, and no override reason was given. */
  | 'tp_overlap'
  /** Four-eyes: the author tried to approve their own exclusion. */
  | 'self_approval'
  | 'not_found'
  /** The exclusion is in a state the operation does not apply to. */
  | 'illegal_state'
  /** The exclusion changed between the impact computation and the write: run the operation again. */
  | 'stale'
  | 'invalid';

export class ExclusionError extends Error {
  constructor(
    message: string,
    readonly code: ExclusionErrorCode,
    /** Finding ids the error is about (the True Positives of a tp_overlap refusal). */
    readonly findingIds: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ExclusionError';
  }
}
