// The hand-placed cases every sample holds once, whatever its size: each rule domain, each scenario shape,
// each variant and near miss, each suspicious case, and the edges the engine must get exactly right (the
// inclusive window ends, duplicate ReportIds, one DeviceId under two names).
import type { SampleEvent, TaggedEvent } from './model.js';
import {
  lookalikeEvent, MALICIOUS, NEAR_MISSES, parsecRemote, PARSECD, PARSECD_USER, RULE_DOMAINS, suspiciousEvent, VARIANTS,
  type Time,
} from './parsec.js';
import { SCENARIO_VARIANTS, scenarioEvent, SCENARIOS, type ScenarioContext } from './scenarios.js';
import { makeEvent } from './traffic.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A time well inside the hunt's 5-day window, so curated findings are always found. */
export function insideWindow(ctx: ScenarioContext, nowMs: number): Time {
  return { ms: nowMs - 5 * DAY_MS + HOUR_MS + ctx.rng.int(5 * DAY_MS - 2 * HOUR_MS), sub: ctx.rng.int(10_000) };
}

function edgeCases(ctx: ScenarioContext, nowMs: number): TaggedEvent[] {
  const { fleet } = ctx;
  const device = fleet.parsecUsers[1 % fleet.parsecUsers.length];
  const at = (time: Time) =>
    makeEvent(ctx, device, device.user, time, PARSECD, parsecRemote(ctx, 'kessel-ws.parsec.app'));
  const start = nowMs - 5 * DAY_MS;
  return [
    { tag: 'edge-in', note: 'exactly now-5d (between is inclusive)', event: at({ ms: start, sub: 0 }) },
    { tag: 'edge-in', note: 'exactly now (between is inclusive)', event: at({ ms: nowMs, sub: 0 }) },
    { tag: 'edge-out', note: 'one tick before now-5d', event: at({ ms: start - 1, sub: 9_999 }) },
    { tag: 'edge-out', note: 'one tick after now', event: at({ ms: nowMs, sub: 1 }) },
  ];
}

function duplicateReports(ctx: ScenarioContext, nowMs: number): TaggedEvent[] {
  const { fleet } = ctx;
  const a = fleet.parsecUsers[2 % fleet.parsecUsers.length];
  const b = fleet.parsecUsers[3 % fleet.parsecUsers.length];
  const first = makeEvent(ctx, a, a.user, insideWindow(ctx, nowMs), PARSECD, parsecRemote(ctx, 'kessel-api.parsec.app'));
  const again: SampleEvent = { ...first, ...insideWindow(ctx, nowMs) };
  const elsewhere: SampleEvent = {
    ...makeEvent(ctx, b, b.user, insideWindow(ctx, nowMs), PARSECD, parsecRemote(ctx, 'kessel-api.parsec.app')),
    ReportId: first.ReportId,
  };
  return [
    { tag: 'duplicate-report', note: 'a ReportId reported once', event: first },
    { tag: 'duplicate-report', note: 'the same ReportId again, same device and URL (make_set keeps one)', event: again },
    { tag: 'duplicate-report', note: 'the same ReportId on another device', event: elsewhere },
  ];
}

function renamedDevice(ctx: ScenarioContext, nowMs: number): TaggedEvent[] {
  const { device, otherName } = ctx.fleet.renamed;
  const out: TaggedEvent[] = [];
  for (const name of [device.name, otherName]) {
    for (const url of ['kessel-ws.parsec.app', 'stun.parsec.app']) {
      out.push({
        tag: 'renamed-device',
        note: `DeviceId ${device.id} as ${name}`,
        event: makeEvent(ctx, device, device.user, insideWindow(ctx, nowMs), PARSECD_USER, parsecRemote(ctx, url), name),
      });
    }
  }
  return out;
}

export function curatedEvents(ctx: ScenarioContext, nowMs: number): TaggedEvent[] {
  const inside = () => insideWindow(ctx, nowMs);
  const out: TaggedEvent[] = [];
  for (const url of RULE_DOMAINS) {
    const d = ctx.rng.pick(ctx.fleet.parsecUsers);
    out.push({ tag: 'parsec', note: `routine use of ${url}`, event: makeEvent(ctx, d, d.user, inside(), PARSECD, parsecRemote(ctx, url)) });
  }
  for (const n of SCENARIOS) {
    for (let v = 0; v < SCENARIO_VARIANTS; v++) {
      out.push({ tag: `scenario-${n}`, note: `scenario ${n}, shape ${v + 1}`, event: scenarioEvent(ctx, n, v, inside()) });
    }
  }
  for (const l of VARIANTS) out.push({ tag: 'variant', note: l.note, event: lookalikeEvent(ctx, inside(), l) });
  for (const l of NEAR_MISSES) out.push({ tag: 'near-miss', note: l.note, event: lookalikeEvent(ctx, inside(), l) });
  for (const s of MALICIOUS) out.push({ tag: 'malicious', note: s.note, event: suspiciousEvent(ctx, inside(), s) });
  out.push(...edgeCases(ctx, nowMs), ...duplicateReports(ctx, nowMs), ...renamedDevice(ctx, nowMs));
  return out;
}
