// Instances of the rule's five documented benign scenarios, each in the shapes its filter names, so every
// scenario (and each alternative inside its filter) has findings to triage and exclusions to preview:
//   1. an admin on a server: parent services.exe / System;
//   2. a scheduled task: parent taskeng.exe / taskhostw.exe;
//   3. the IT teams: accounts ITSecurity / NetworkOps;
//   4. deployment through Intune: parent msiexec.exe / setup.exe;
//   5. VPN or remote desktop: RemoteIP inside known_vpn_subnet / known_rdp_subnet.
import { SYSTEM } from './fleet.js';
import type { SampleEvent } from './model.js';
import { hostIn, type Cidr } from './net.js';
import { parsecRemote, PARSECD, PSERVICE, RULE_DOMAINS, type Time } from './parsec.js';
import { makeEvent, type Context } from './traffic.js';

export type ScenarioNumber = 1 | 2 | 3 | 4 | 5;

export const SCENARIOS: readonly ScenarioNumber[] = [1, 2, 3, 4, 5];

export interface ScenarioContext extends Context {
  readonly vpn: readonly Cidr[];
  readonly rdp: readonly Cidr[];
}

/** How many shapes each scenario has; `variant` picks one of them. */
export const SCENARIO_VARIANTS = 2;

const SIGNALLING = RULE_DOMAINS.filter((d) => d !== 'stun6.parsec.app');
const DEPLOYMENT = ['builds.parsec.app', 'builds.parsecgaming.com', 'kessel-api.parsec.app'];

export function scenarioEvent(ctx: ScenarioContext, n: ScenarioNumber, variant: number, time: Time): SampleEvent {
  const { rng, fleet } = ctx;
  const second = variant % SCENARIO_VARIANTS === 1;
  switch (n) {
    case 1: {
      const device = rng.pick(fleet.adminServers);
      const account = rng.pick(fleet.admins);
      const proc = second ? { ...PARSECD, parent: 'System' } : { ...PSERVICE, parent: 'services.exe' };
      return makeEvent(ctx, device, account, time, proc, parsecRemote(ctx, rng.pick(SIGNALLING)));
    }
    case 2: {
      const device = rng.chance(0.5) ? rng.pick(fleet.parsecUsers) : rng.pick(fleet.adminServers);
      const account = second ? device.user : SYSTEM;
      const proc = { ...PARSECD, parent: second ? 'taskhostw.exe' : 'taskeng.exe' };
      return makeEvent(ctx, device, account, time, proc, parsecRemote(ctx, rng.pick(DEPLOYMENT)));
    }
    case 3: {
      const device = fleet.secops[second ? 1 : 0];
      return makeEvent(ctx, device, device.user, time, { ...PARSECD, parent: 'explorer.exe' },
        parsecRemote(ctx, rng.pick(RULE_DOMAINS)));
    }
    case 4: {
      const device = rng.pick(fleet.workstations);
      const proc = { ...(rng.chance(0.5) ? PARSECD : PSERVICE), parent: second ? 'setup.exe' : 'msiexec.exe' };
      return makeEvent(ctx, device, SYSTEM, time, proc, parsecRemote(ctx, rng.pick(DEPLOYMENT)));
    }
    case 5: {
      const device = rng.pick(fleet.parsecUsers);
      const subnet = rng.pick(second ? ctx.rdp : ctx.vpn);
      return makeEvent(ctx, device, device.user, time, { ...PARSECD, parent: 'explorer.exe' },
        parsecRemote(ctx, rng.pick(SIGNALLING), hostIn(rng, subnet)));
    }
  }
}
