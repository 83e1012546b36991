// The composition root the CLI and the bot share: one store, the rule catalogue, the exclusion service.
import type { Config } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import { loadLists, loadRules, type NamedLists, type Rule } from '../rules/index.js';
import { ExclusionService } from '../exclusions/service.js';

export interface TriageApp {
  readonly config: Config;
  readonly store: Store;
  readonly rules: readonly Rule[];
  readonly lists: NamedLists;
  readonly exclusions: ExclusionService;
  close(): void;
}

export function openApp(config: Config, opts: { now?: () => Date } = {}): TriageApp {
  const now = opts.now ?? (() => new Date());
  const rules = loadRules(config.rulesDir, config.listsDir);
  const lists = loadLists(config.listsDir);
  const store = openStore(config.dbPath, { now });
  const exclusions = new ExclusionService({
    store,
    rules,
    lists,
    settings: {
      requireApproval: config.exclusions.requireApproval,
      ttlDays: config.exclusions.ttlDays,
      widenThreshold: config.exclusions.widenThreshold,
    },
    now,
  });
  return { config, store, rules, lists, exclusions, close: () => store.close() };
}
