// Roles by Entra object id: open when nothing is configured, leads above analysts, four-eyes for approvals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authorizer } from '../../src/bot/authz.js';
import { loadConfig } from '../../src/config.js';

const ANALYST = 'aaaaaaaa-0000-4000-8000-000000000001';
const LEAD = 'bbbbbbbb-0000-4000-8000-000000000002';
const STRANGER = 'cccccccc-0000-4000-8000-000000000003';

test('with no list configured everyone is an analyst and a lead', () => {
  const authz = new Authorizer({ analysts: [], leads: [] });
  assert.equal(authz.open, true);
  for (const id of [ANALYST, STRANGER, undefined]) {
    assert.equal(authz.role(id), 'lead');
    assert.equal(authz.canMark(id), true);
    assert.equal(authz.canApprove(id, true), true);
    assert.equal(authz.canApprove(id, false), true);
  }
});

test('configured lists: analysts mark, leads mark and approve, others do neither', () => {
  const authz = new Authorizer({ analysts: [ANALYST], leads: [LEAD] });
  assert.equal(authz.open, false);
  assert.deepEqual(authz.counts, { analysts: 1, leads: 1 });

  assert.equal(authz.role(ANALYST), 'analyst');
  assert.equal(authz.canMark(ANALYST), true);
  assert.equal(authz.canApprove(ANALYST, true), false);
  assert.equal(authz.canApprove(ANALYST, false), true);

  assert.equal(authz.role(LEAD), 'lead');
  assert.equal(authz.canMark(LEAD), true);
  assert.equal(authz.canApprove(LEAD, true), true);

  for (const id of [STRANGER, undefined, '', '   ']) {
    assert.equal(authz.role(id), 'none');
    assert.equal(authz.canMark(id), false);
    assert.equal(authz.canApprove(id, true), false);
    assert.equal(authz.canApprove(id, false), false);
  }
});

test('ids match whatever their case or surrounding spaces', () => {
  const authz = new Authorizer({ analysts: [` ${ANALYST.toUpperCase()} `], leads: [] });
  assert.equal(authz.role(ANALYST), 'analyst');
  assert.equal(authz.role(` ${ANALYST.toUpperCase()}`), 'analyst');
  assert.equal(authz.role(LEAD), 'none');
});

test('only leads configured: the bot is closed and analysts are nobody', () => {
  const authz = new Authorizer({ analysts: [], leads: [LEAD] });
  assert.equal(authz.open, false);
  assert.equal(authz.canMark(ANALYST), false);
  assert.equal(authz.canMark(LEAD), true);
});

test('someone on both lists is a lead; blank entries are ignored', () => {
  const authz = new Authorizer({ analysts: [LEAD, ''], leads: [LEAD, ' '] });
  assert.equal(authz.role(LEAD), 'lead');
  assert.deepEqual(authz.counts, { analysts: 1, leads: 1 });
});

test('built from the config lists (TRIAGE_ANALYSTS / TRIAGE_LEADS)', () => {
  const config = loadConfig({ TRIAGE_ANALYSTS: `${ANALYST}, ${STRANGER}`, TRIAGE_LEADS: LEAD });
  const authz = new Authorizer(config.authz);
  assert.equal(authz.role(STRANGER), 'analyst');
  assert.equal(authz.role(LEAD), 'lead');
  assert.equal(new Authorizer(loadConfig({}).authz).open, true);
});
