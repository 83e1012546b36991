// A one-message card: a refusal, a stale-card reply, an error the user should read.
import { adaptiveCard, callout } from './elements.js';
import { clip, escapeBlock } from './markdown.js';
import type { AdaptiveCard } from './types.js';

export type NoticeCardKind = 'info' | 'warning' | 'error';

export function noticeCard(message: string, kind: NoticeCardKind = 'info'): AdaptiveCard {
  return adaptiveCard([callout(escapeBlock(clip(message, 4000)), kind)]);
}
