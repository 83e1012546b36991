// Config decides where events come from: a workspace id means Log Analytics; otherwise the local file.
import type { Config } from '../config.js';
import type { KDateTime } from '../kql/values.js';
import type { EventSource } from './eventSource.js';
import { LocalEventSource } from './localEventSource.js';
import { LogAnalyticsSource } from './logAnalyticsSource.js';

export interface SourceHooks {
  readonly now?: KDateTime | undefined;
  readonly onProgress?: (rowsRead: number, bytesRead: number, totalBytes: number) => void;
}

export function createSource(config: Config, hooks: SourceHooks = {}): EventSource {
  if (config.logAnalytics) {
    return new LogAnalyticsSource({
      workspaceId: config.logAnalytics.workspaceId,
      serverTimeoutSeconds: config.logAnalytics.timeoutSeconds,
      ...(config.logAnalytics.endpoint ? { endpoint: config.logAnalytics.endpoint } : {}),
    });
  }
  return new LocalEventSource({
    path: config.eventsPath,
    ...(hooks.now ? { now: hooks.now } : {}),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  });
}
