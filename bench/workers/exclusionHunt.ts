// The hunt with K active exclusions: the final query (K `where not(...)` lines before the summarize) and the
// hits query (K countifs), both on the local engine over the same file. Exclusions look like learned ones:
// mostly device-scoped (DeviceId plus parent list), some rule-wide accounts; none of the made-up devices or
// accounts exist, plus one real exclusion so the filter does work.
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { findRule, loadRules } from '../../src/rules/index.js';
import { buildHitsQuery, buildHuntQuery, type QueryExclusion } from '../../src/hunt/buildQuery.js';
import { parseDateTime } from '../../src/kql/values.js';
import type { Condition } from '../../src/exclusions/model.js';
import { elapsedMs, report } from './report.js';

const [file, nowIso, kText] = process.argv.slice(2);
const K = Number(kText);
const now = parseDateTime(nowIso!)!;
const rule = findRule(loadRules('data/rules', 'data/lists'), undefined);

const exclusions: QueryExclusion[] = [];
for (let i = 0; i < K; i++) {
  const conditions: Condition[] = i % 4 === 3
    ? [{ column: 'InitiatingProcessAccountName', op: 'in~', values: [`svc-account-${i}`] }]
    : [
        { column: 'DeviceId', op: '==', values: [i.toString(16).padStart(40, '0')] },
        { column: 'InitiatingProcessParentFileName', op: 'in~', values: ['msiexec.exe', 'setup.exe'] },
      ];
  exclusions.push({ id: i + 1, conditions });
}
if (K > 0) exclusions[K - 1] = { id: K, conditions: [{ column: 'InitiatingProcessAccountName', op: 'in~', values: ['ITSecurity'] }] };

const source = new LocalEventSource({ path: file!, now });
const q = buildHuntQuery(rule.query, { now, exclusions });
const t0 = process.hrtime.bigint();
const res = await source.query(q);
const huntMs = elapsedMs(t0);
let hitsMs = 0;
const hitsQuery = buildHitsQuery(rule.query, { now, exclusions });
if (hitsQuery) {
  const t1 = process.hrtime.bigint();
  await source.query(hitsQuery);
  hitsMs = elapsedMs(t1);
}
report({ k: K, huntMs, hitsMs, rows: res.rows.length, queryChars: q.length });
