// The product's own path: the seed rule's final query over a local file, on the local KQL engine.
import { loadRules, findRule } from '../../src/rules/loader.js';
import { LocalEventSource } from '../../src/sources/localEventSource.js';
import { runHunt } from '../../src/hunt/runHunt.js';
import { parseDateTime } from '../../src/kql/values.js';
import { report, elapsedMs } from './report.js';

const [file, nowIso] = process.argv.slice(2);
const now = parseDateTime(nowIso!)!;
const rule = findRule(loadRules('data/rules', 'data/lists'), undefined);
const start = process.hrtime.bigint();
const out = await runHunt({ rule, source: new LocalEventSource({ path: file!, now }), now });
report({ totalMs: elapsedMs(start), rows: out.rows.length, groups: out.rows.map((r) => `${r[0]}|${r[1]}|${r[2]}|${r[6]}`).sort() });
