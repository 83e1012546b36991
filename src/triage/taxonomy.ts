// Sentinel's disposition taxonomy as analysts type it: short words on the CLI and in cards, Sentinel's own
// classification and reason values in the store.
import type { Classification, ClassificationReason } from '../store/index.js';
import { DISPOSITION_REASONS } from '../store/index.js';
import { TriageError } from './errors.js';

export const MARK_WORDS = ['benign', 'tp', 'fp', 'undetermined'] as const;
export type MarkWord = (typeof MARK_WORDS)[number];

const CLASSIFICATION: Record<MarkWord, Classification> = {
  benign: 'BenignPositive',
  tp: 'TruePositive',
  fp: 'FalsePositive',
  undetermined: 'Undetermined',
};

/** The reason a classification gets when none is given: the only one, or FP's most common. */
const DEFAULT_REASON: Record<Classification, ClassificationReason | null> = {
  TruePositive: 'SuspiciousActivity',
  BenignPositive: 'SuspiciousButExpected',
  FalsePositive: 'IncorrectAlertLogic',
  Undetermined: null,
};

export interface Verdict {
  readonly classification: Classification;
  readonly reason: ClassificationReason | null;
}

export function parseVerdict(word: string, reason?: string | undefined): Verdict {
  const w = word.trim().toLowerCase();
  const classification =
    CLASSIFICATION[w as MarkWord] ?? (Object.values(CLASSIFICATION).find((c) => c.toLowerCase() === w) as Classification | undefined);
  if (!classification) {
    throw new TriageError('bad-input', `mark: --as ${JSON.stringify(word)}: must be one of ${MARK_WORDS.join(', ')}`);
  }
  if (reason === undefined || reason === '') return { classification, reason: DEFAULT_REASON[classification] };
  const allowed = DISPOSITION_REASONS[classification];
  const match = allowed.find((r) => r !== null && r.toLowerCase() === reason.trim().toLowerCase());
  if (!match) {
    const list = allowed.filter((r) => r !== null).join(', ') || 'none';
    throw new TriageError('bad-input', `mark: --reason ${JSON.stringify(reason)} does not go with ${classification} (allowed: ${list})`);
  }
  return { classification, reason: match };
}

/** Which classifications close a finding: a verdict was reached. Undetermined leaves it open for more work. */
export function closes(c: Classification): boolean {
  return c !== 'Undetermined';
}
