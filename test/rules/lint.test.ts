import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clausesOf, lintFilter, parsePseudoFilter, PseudoFilterError, renderGrouped } from '../../src/rules/index.js';
import type { ImpliedFact } from '../../src/rules/lint.js';

const PARSEC: ImpliedFact[] = [{
  clause: 'process.name == "parsec.app"',
  meaning: 'the process is Parsec',
  by: "InitiatingProcessVersionInfoCompanyName has 'parsec'",
  note: "parsec.app is Parsec's domain",
}];

const codes = (text: string, implied: ImpliedFact[] = PARSEC): string[] => lintFilter(text, implied).map((n) => n.code);

describe('pseudo-filter parser', () => {
  it('binds and tighter than or, and keeps explicit parentheses', () => {
    assert.equal(renderGrouped(parsePseudoFilter('a == "1" and b == "2" or c == "3"')), '(a == "1" and b == "2") or c == "3"');
    assert.equal(renderGrouped(parsePseudoFilter('a == "1" or b == "2" and c == "3"')), 'a == "1" or (b == "2" and c == "3")');
    assert.equal(renderGrouped(parsePseudoFilter('a == "1" and (b == "2" or c == "3")')), 'a == "1" and (b == "2" or c == "3")');
    // Keywords are case-insensitive; the grouped rendering spells them in lower case.
    assert.equal(renderGrouped(parsePseudoFilter('A == "1" AND b != \'2\'')), 'A == "1" and b != \'2\'');
  });

  it('reads list membership over named lists and quoted values', () => {
    const [clause] = clausesOf(parsePseudoFilter('destination_ip in (known_vpn_subnet, "10.0.0.1")'));
    assert.deepEqual(clause, {
      kind: 'in', field: 'destination_ip', lists: ['known_vpn_subnet'], values: ['10.0.0.1'],
      text: 'destination_ip in (known_vpn_subnet, "10.0.0.1")', parens: false,
    });
  });

  it('keeps each clause\'s source text, in document order', () => {
    const clauses = clausesOf(parsePseudoFilter('process.name  ==  "parsec.app" or (user.name == "a\\"b")'));
    assert.deepEqual(clauses.map((c) => c.text), ['process.name  ==  "parsec.app"', 'user.name == "a\\"b"']);
    assert.equal(clauses[1].kind === 'compare' && clauses[1].value, 'a"b');
  });

  it('gives a positioned error for text outside the language', () => {
    const cases: [string, string][] = [
      ['a = "1"', 'column 3: unexpected character "="'],
      ['a == 1', 'column 6: unexpected character "1"'],
      ['a == "1" and', 'column 13: expected a field name, found the end'],
      ['(a == "1"', "column 10: expected ')', found the end"],
      ['a == "1" b == "2"', "column 10: expected 'and', 'or' or the end, found 'b'"],
      ['a in (x y)', "column 9: expected ',' or ')', found 'y'"],
      ['a == "open', 'column 6: unterminated string'],
      ['not a == "1"', "column 1: expected a field name, found 'not'"],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parsePseudoFilter(text), (e: unknown) => e instanceof PseudoFilterError && e.message === message, text);
    }
  });
});

describe('scenario linter', () => {
  it('finds an always-true disjunct from the rule\'s implied process', () => {
    const notes = lintFilter('process.name != "parsec.app" or process.parent.name == "System"', PARSEC);
    assert.deepEqual(notes.map((n) => n.code), ['always-true-disjunct']);
    assert.match(notes[0].message, /^as written the filter excludes every finding: `process\.name != "parsec\.app"` holds for every row/);
    // Without the rule's fact the same text is just two unknown clauses.
    assert.deepEqual(codes('process.name != "parsec.app" or process.parent.name == "System"', []), []);
    // Under `and`, an always-true clause is not a disjunct and does not make the filter always true.
    assert.deepEqual(codes('process.name != "parsec.app" and process.parent.name == "System"'), []);
  });

  it('flags a wholly always-true filter that is not an or', () => {
    assert.deepEqual(codes('process.name != "PARSEC.APP"'), ['always-true-filter']);
  });

  it('spells out the effective grouping of mixed and/or', () => {
    const [note] = lintFilter('x == "1" and y == "2" and z == "3" or w == "4" or v == "5"', []);
    assert.equal(note.code, 'mixed-and-or');
    assert.equal(note.message,
      '`and` binds tighter than `or`, so this reads as `(x == "1" and y == "2" and z == "3") or w == "4" or v == "5"`: '
      + '`w == "4"` and `v == "5"` each exclude a row, whether or not `x == "1"` and `y == "2"` hold; '
      + 'the likely intent is `x == "1" and y == "2" and (z == "3" or w == "4" or v == "5")`');
    const mixed = (text: string): string[] => codes(text, []).filter((c) => c === 'mixed-and-or');
    assert.deepEqual(mixed('a == "1" and (b == "2" or c == "3")'), []);
    assert.deepEqual(mixed('(a == "1" and b == "2") or c == "3"'), []);
    assert.deepEqual(mixed('a == "1" or b == "2" and c == "3"'), ['mixed-and-or']);
    const [other] = lintFilter('a == "1" and b == "2" or c == "3" and d == "4"', []);
    assert.equal(other.message, '`and` binds tighter than `or`, so this reads as `(a == "1" and b == "2") or (c == "3" and d == "4")`');
  });

  it('flags implied clauses, unmappable and unknown fields, and each named list once', () => {
    const notes = lintFilter(
      'process.name == "parsec.app" and event_id == "1" and (colour == "red" or event_id == "2") and destination_ip in (vpn, vpn, rdp)',
      PARSEC,
    );
    assert.deepEqual(notes.map((n) => n.code), ['implied-clause', 'unmappable-field', 'unknown-field', 'named-list', 'named-list']);
    assert.match(notes[1].message, /^`event_id` is unmappable: DeviceNetworkEvents has no event-id column/);
    assert.equal(notes[2].message, '`colour` is not a known pseudo field; its column has to be chosen in the mapping');
    assert.equal(notes[4].message, '`rdp` is a named list: configuration, not code; its entries live in data/lists/rdp.yaml');
  });

  it('says nothing about a clean filter', () => {
    assert.deepEqual(lintFilter('user.name == "ITSecurity" and process.parent.name == "msiexec.exe"', PARSEC), []);
  });
});
