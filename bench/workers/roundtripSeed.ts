// The card-action round trip's database: one real hunt (recordHunt on the local engine, as the bot's `hunt`
// does) of a generated sample into <dir>/template.sqlite, plus <dir>/findings.json listing the open findings
// (id, version) the simulated analysts act on. It runs in a process of its own, once per bench run, so the
// hunt's memory does not count in the bot server's peak RSS; each server copies the template.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { parseDateTime } from '../../src/kql/values.js';
import { findRule } from '../../src/rules/index.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { openApp } from '../../src/triage/app.js';
import { recordHunt } from '../../src/triage/huntRecorder.js';
import { elapsedMs, report } from './report.js';

const [file, nowIso, dir] = process.argv.slice(2);
const now = parseDateTime(nowIso!)!;
const app = openApp(loadConfig({ TRIAGE_DB: join(dir!, 'template.sqlite') }));
const t0 = process.hrtime.bigint();
await recordHunt(
  { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
  { rule: findRule(app.rules, undefined), source: new LocalEventSource({ path: file!, now }), now, pinned: true, actor: 'seed' },
);
const seedMs = elapsedMs(t0);
const open = app.store.findings.list({ state: 'open' }).map((f) => ({ id: f.id, version: f.version }));
app.close();
writeFileSync(join(dir!, 'findings.json'), JSON.stringify(open));
report({ open: open.length, seedMs });
