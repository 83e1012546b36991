// Card submissions as clients send them: toggles as "true"/"false", numbers as strings, empty text inputs
// left out (or sent as ""), multi-selects comma-separated. Anything else is refused with the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubmission } from '../../src/bot/submission.js';

test('a benign submission: toggle strings, string scenario, empty comment', () => {
  const r = parseSubmission({ findingId: 'esmt2h1y', version: 3, scenario: '4', exclude: 'true', scope: 'rule', comment: '' }, 'finding.benign');
  assert.ok(r.ok);
  assert.deepEqual(r.submission, { verb: 'finding.benign', findingId: 'esmt2h1y', version: 3, scenario: 4, exclude: true, scope: 'rule', comment: undefined });
  const off = parseSubmission({ verb: 'finding.benign', findingId: 'esmt2h1y', version: '3', exclude: 'false' });
  assert.ok(off.ok && off.submission.verb === 'finding.benign');
  assert.equal(off.ok && off.submission.verb === 'finding.benign' && off.submission.exclude, false);
  assert.equal(off.ok && off.submission.verb === 'finding.benign' && off.submission.version, 3, 'an Action.Submit may carry the version as text');
});

test('the Action.Execute verb wins over data.verb; unknown verbs are named', () => {
  const r = parseSubmission({ verb: 'finding.tp', findingId: 'esmt2h1y', version: 1 }, 'finding.undetermined');
  assert.ok(r.ok && r.submission.verb === 'finding.undetermined');
  const u = parseSubmission({ verb: 'finding.delete' });
  assert.deepEqual(u.ok ? null : [u.problem, u.verb], ['unknown-verb', 'finding.delete']);
  const none = parseSubmission({});
  assert.deepEqual(none.ok ? null : [none.problem, none.verb], ['unknown-verb', undefined]);
  assert.equal(parseSubmission('not an object', 7).ok, false);
});

test('invalid fields are refused with the field and a short piece of the value', () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ findingId: 'esmt2h1y' }, 'finding.tp', /finding\.tp: version missing/],
    [{ findingId: '../../etc', version: 1 }, 'finding.tp', /findingId "\.\.\/\.\.\/etc": is not a finding id/],
    [{ findingId: 'esmt2h1y', version: -1 }, 'finding.tp', /version -1/],
    [{ findingId: 'esmt2h1y', version: 1, exclude: 'yes' }, 'finding.benign', /exclude "yes"/],
    [{ findingId: 'esmt2h1y', version: 1, fpReason: 'Whatever' }, 'finding.fp', /fpReason "Whatever"/],
    [{ findingId: 'esmt2h1y', version: 1, comment: 'x'.repeat(5000) }, 'finding.tp', /comment "x{40}…": is over 1000 characters/],
    [{ exclusionId: 3, version: 1, days: '0' }, 'exclusion.extend', /days "0"/],
    [{ exclusionId: 'three', version: 1 }, 'exclusion.approve', /exclusionId "three"/],
    [{ selected: '', classification: 'tp' }, 'bulk.submit', /selected "": select at least one finding/],
    [{ selected: 'esmt2h1y', classification: 'maybe' }, 'bulk.submit', /classification "maybe"/],
    [{ groupBy: 'device' }, 'bulk.open', /groupBy "device"/],
  ];
  for (const [data, verb, re] of cases) {
    const r = parseSubmission(data, verb);
    assert.equal(r.ok, false, JSON.stringify(data));
    assert.match(r.ok ? '' : r.message, re);
  }
});

test('bulk: comma-separated selection, defaults for paging, versions by id', () => {
  const r = parseSubmission({ selected: ' aaaa1111, bbbb2222 ,cccc3333', classification: 'fp', versions: { aaaa1111: 2 } }, 'bulk.submit');
  assert.ok(r.ok && r.submission.verb === 'bulk.submit');
  if (!r.ok || r.submission.verb !== 'bulk.submit') return;
  assert.deepEqual(r.submission.selected, ['aaaa1111', 'bbbb2222', 'cccc3333']);
  assert.deepEqual([r.submission.groupBy, r.submission.page, r.submission.exclude], ['url', 1, false]);
  assert.deepEqual(r.submission.versions, { aaaa1111: 2 });
  const open = parseSubmission({ groupBy: 'parent', page: '3', filter: '' }, 'bulk.open');
  assert.ok(open.ok && open.submission.verb === 'bulk.open');
  assert.deepEqual(open.ok && open.submission.verb === 'bulk.open' ? [open.submission.groupBy, open.submission.page, open.submission.filter] : null, ['parent', 3, undefined]);
});

test('extend defaults to 30 days; unknown extra fields are dropped', () => {
  const r = parseSubmission({ exclusionId: '4', version: 2, injected: '<script>' }, 'exclusion.extend');
  assert.ok(r.ok);
  assert.deepEqual(r.submission, { verb: 'exclusion.extend', exclusionId: 4, version: 2, days: 30 });
});
