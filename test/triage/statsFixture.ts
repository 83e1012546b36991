// A database with a story for the stats tests, built only through the real services: a hunt of the committed
// sample, marks of every kind (two findings re-marked, so a finding's latest verdict differs from its first),
// a second hunt, an hour later, over the sample plus two newer events (one reopens a closed finding, one is a new
// device; the later clock also takes in the sample's events just past its own clock, which may reopen others),
// and a hunt that fails. Each test gets its own SQLite file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { SAMPLE_FILE, SAMPLE_NOW } from '../../data/sample/defaults.js';
import { loadConfig } from '../../src/config.js';
import { parseDateTime } from '../../src/kql/values.js';
import { findRule, type Rule } from '../../src/rules/index.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { openApp, type TriageApp } from '../../src/triage/app.js';
import { recordHunt, type RecordedHunt } from '../../src/triage/huntRecorder.js';
import { markFindings } from '../../src/triage/marking.js';
import { parseVerdict } from '../../src/triage/taxonomy.js';
import type { Finding } from '../../src/store/index.js';

export interface EmptyApp {
  readonly app: TriageApp;
  readonly rule: Rule;
  readonly dir: string;
}

export function emptyApp(t: TestContext): EmptyApp {
  const dir = mkdtempSync(join(tmpdir(), 'stats-'));
  const app = openApp(loadConfig({ TRIAGE_DB: join(dir, 'triage.sqlite') }));
  t.after(() => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, rule: findRule(app.rules, undefined), dir };
}

export function hunt(app: TriageApp, rule: Rule, path: string, nowIso: string): Promise<RecordedHunt> {
  const now = parseDateTime(nowIso)!;
  return recordHunt(
    { store: app.store, activeExclusions: (id) => app.exclusions.activeQueryExclusions(id) },
    { rule, source: new LocalEventSource({ path, now }), now, pinned: true, actor: 'test' },
  );
}

export interface StoryApp extends EmptyApp {
  readonly first: RecordedHunt;
  readonly second: RecordedHunt;
  /** The closed finding the second hunt reopens. */
  readonly reopened: Finding;
}

const LATER = '2026-12-01T13:00:00Z';

/** The sample's event for this finding's key, moved later: the finding's device talks to its URL again. */
function laterEvent(f: Finding, over: Record<string, unknown>): string {
  const event = readFileSync(SAMPLE_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((ev) => ev.DeviceId === f.deviceId && ev.RemoteUrl === f.remoteUrl);
  if (!event) throw new Error(`stats fixture: no sample event for finding ${f.id}`);
  return JSON.stringify({ ...event, Timestamp: '2026-12-01T12:30:00.0000000Z', ...over });
}

export async function storyApp(t: TestContext): Promise<StoryApp> {
  const base = emptyApp(t);
  const { app, rule, dir } = base;
  const first = await hunt(app, rule, SAMPLE_FILE, SAMPLE_NOW);
  const open = app.store.findings.list({ ruleId: rule.id, state: 'open' });
  if (open.length < 8) throw new Error(`stats fixture: the sample gave ${open.length} open findings, 8 needed`);
  const [a, b, c, d, e, f, g, h] = open.map((x) => x.id) as [string, string, string, string, string, string, string, string];
  const mark = (ids: string[], word: string, scenario?: number, reason?: string) =>
    markFindings(app, { ids, verdict: parseVerdict(word, reason), ...(scenario === undefined ? {} : { scenario }), analyst: { id: 'alice' } });
  await mark([a], 'benign', 1);
  await mark([b, c], 'benign', 3);
  await mark([d], 'tp');
  await mark([e, g], 'fp', undefined, 'InaccurateData');
  await mark([f], 'undetermined');
  await mark([h], 'benign');
  // Re-marks: A was benign (scenario 1), now TP; G was FP, now benign under scenario 4.
  await mark([a], 'tp');
  await mark([g], 'benign', 4);

  const reopened = app.store.findings.get(b)!;
  const events = join(dir, 'events.jsonl');
  const extra = [laterEvent(reopened, { ReportId: 9_000_001 }), laterEvent(reopened, { ReportId: 9_000_002, DeviceId: 'f'.repeat(40), DeviceName: 'new-device.corp.contoso.com' })];
  writeFileSync(events, `${readFileSync(SAMPLE_FILE, 'utf8').trimEnd()}\n${extra.join('\n')}\n`);
  const second = await hunt(app, rule, events, LATER);
  // A run that fails looked at nothing: the stats must leave it out rather than chart it as zero findings.
  await hunt(app, rule, join(dir, 'missing.jsonl'), LATER).then(
    () => {
      throw new Error('stats fixture: the hunt over a missing file should have failed');
    },
    () => undefined,
  );
  return { ...base, first, second, reopened };
}
