// Engine internals that the goldens reach only indirectly: the term matcher's edge cases, case folding
// beyond ASCII, grouping keys, and the aggregate name list staying in step with the aggregate table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGGREGATE_NAMES } from '../../src/kql/compile/names.js';
import { foldString, hasAnyMatcher, hasPrefixMatcher, hasSuffixMatcher } from '../../src/kql/compile/strings.js';
import { keyOf } from '../../src/kql/compile/valueops.js';
import { AGGREGATE_FUNCTIONS } from '../../src/kql/exec/aggregates.js';
import { KDateTime, KTimespan } from '../../src/kql/values.js';

test('every aggregate the compiler recognizes is implemented, and the reverse', () => {
  assert.deepEqual([...AGGREGATE_NAMES].sort(), [...AGGREGATE_FUNCTIONS].sort());
});

test('term matcher: punctuation-only and empty needles, several needles sharing a first term', () => {
  const m = hasAnyMatcher(['', '--', 'parsec.app', 'parsec.io'], false);
  assert.equal(m('a--b'), true); // a needle with no alphanumerics is a plain substring
  assert.equal(m('x.parsec.io'), true);
  assert.equal(m('parsec'), false);
  assert.equal(hasAnyMatcher([''], false)('anything'), false);
  assert.equal(hasAnyMatcher(['Ünïcode'], false)('x ÜNÏCODE y'), true);
  assert.equal(hasAnyMatcher(['abc'], true)('ABC'), false);
});

test('hasprefix and hassuffix check one side only', () => {
  assert.equal(hasPrefixMatcher('pars', false)('x.PARSEC.app'), true);
  assert.equal(hasPrefixMatcher('arsec', false)('x.parsec.app'), false);
  assert.equal(hasSuffixMatcher('sec', false)('x.parsec.app'), true);
  assert.equal(hasSuffixMatcher('pars', false)('x.parsec.app'), false);
});

test('foldString returns the same string when nothing changes', () => {
  const s = 'already lower 123';
  assert.equal(foldString(s), s);
  assert.equal(foldString('MiXeD'), 'mixed');
  assert.equal(foldString('ÄÖ'), 'äö');
});

test('grouping keys are injective across kinds', () => {
  const keys = [1, '1', true, 'true', null, new KDateTime(0, 1), new KDateTime(0, 2), new KTimespan(1), [1], '[1]'].map(keyOf);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(keyOf(new KDateTime(5, 3)), keyOf(new KDateTime(5, 3)));
});
