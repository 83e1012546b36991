// String operators with Kusto's semantics: term-based, case-insensitive has; the _cs variants; contains,
// startswith/endswith, hasprefix/hassuffix, in~ and has_any with many needles, matches regex.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { golden, run, table } from './helpers.js';

/** Evaluates `value <op> needle` for each value with print, returning one bool per value. */
async function check(op: string, needle: string, values: string[]): Promise<boolean[]> {
  const q = `print ${values.map((v, i) => `c${i} = ${JSON.stringify(v)} ${op} ${needle}`).join(', ')}`;
  const r = await run(q);
  return r.rows[0] as boolean[];
}

test('has is term-based: the needle must sit on term boundaries where its edge is alphanumeric', async () => {
  const values = ['kessel-ws.parsec.app', 'xparsec.app', 'parsec.apps', 'KESSEL-WS.PARSEC.APP', 'parsec.app', 'a.parsec.app/x', 'parsec_app', 'parsec-app'];
  assert.deepEqual(await check('has', '"parsec.app"', values), [true, false, false, true, true, true, false, false]);
  assert.deepEqual(await check('!has', '"parsec.app"', values), [false, true, true, false, false, false, true, true]);
  assert.deepEqual(await check('has_cs', '"parsec.app"', values), [true, false, false, false, true, true, false, false]);
  // A needle whose edge is punctuation matches mid-term on that side.
  assert.deepEqual(await check('has', '".app"', ['parsec.app', 'x.apps', '.app']), [true, false, true]);
  assert.deepEqual(await check('has', '"Parsec"', ['Parsec Cloud, Inc.', 'ParsecGaming', 'NotParsec', 'PARSEC']), [true, false, false, true]);
});

test('has_any with multi-part needles, lists and dynamic arrays; has_all needs every needle', async () => {
  const urls = ['builds.parsecgaming.com', 'xbuilds.parsecgaming.com', 'stun6.parsec.app', 'STUN.parsec.app', 'stun.parsec.apps'];
  assert.deepEqual(await check('has_any', "('builds.parsecgaming.com', 'stun.parsec.app')", urls), [true, false, false, true, false]);
  assert.deepEqual(await check('has_any', "(dynamic(['stun6.parsec.app']))", urls), [false, false, true, false, false]);
  assert.deepEqual(await check('has_all', "('parsec', 'app')", urls), [false, false, true, true, false]);
});

test('has_any over 10,000 needles', async () => {
  const needles = Array.from({ length: 10_000 }, (_, i) => `host${i}.example.com`);
  needles.push('solo', 'a-b');
  const list = needles.map((n) => JSON.stringify(n)).join(', ');
  const t = table('Urls', 'Url:string', [['x.HOST9999.example.com'], ['host10000.example.com'], ['ahost1.example.com'], ['SOLO'], ['xa-b'], ['a-b.c'], ['host5.example.com.']]);
  const r = await run(`Urls | where Url has_any (${list})`, { Urls: t });
  assert.deepEqual(r.rows, [['x.HOST9999.example.com'], ['SOLO'], ['a-b.c'], ['host5.example.com.']]);
});

test('contains, startswith, endswith, hasprefix, hassuffix and their variants', async () => {
  await golden(
    `print a = "FabriKam" contains "BRik", b = "FabriKam" contains_cs "brik", c = "Fabrikam" !contains "xyz",
      d = "Fabrikam" startswith "fab", e = "Fabrikam" startswith_cs "fab", f = "Fabrikam" endswith "KAM", g = "Fabrikam" !endswith "kam",
      h = "North America" hasprefix "ame", i = "North America" hasprefix "mer", j = "North America" hassuffix "ica", k = "North America" hassuffix "ame"`,
    {
      columns: ['a:bool', 'b:bool', 'c:bool', 'd:bool', 'e:bool', 'f:bool', 'g:bool', 'h:bool', 'i:bool', 'j:bool', 'k:bool'],
      rows: [[true, false, true, true, false, true, false, true, false, true, false]],
    },
  );
});

test('== is case-sensitive; =~, !~, in~ and !in~ are not', async () => {
  await golden(
    `print a = "Abc" == "abc", b = "Abc" =~ "aBC", c = "Abc" !~ "abd", d = "Abc" in ("abc"), e = "Abc" in~ ("ABC", "x"), f = "Abc" !in~ ("abc"), g = "ü" =~ "Ü"`,
    { columns: ['a:bool', 'b:bool', 'c:bool', 'd:bool', 'e:bool', 'f:bool', 'g:bool'], rows: [[false, true, true, false, true, false, true]] },
  );
});

test('matches regex, including an inline (?i) flag', async () => {
  await golden(`print a = "parsecd.exe" matches regex @"^parsec.*\\.exe$", b = "PARSECD.EXE" matches regex "(?i)^parsecd", c = "x" matches regex "^y"`, {
    columns: ['a:bool', 'b:bool', 'c:bool'], rows: [[true, true, false]],
  });
});

test('string functions', async () => {
  await golden(`print a = strcat("a", 1, "b"), b = strlen("héllo"), c = tolower("ABC"), d = toupper("abc"), e = isempty(""), f = isnotempty(" "), g = substring("abcdef", 1, 3), h = replace_string("a.b.c", ".", "-")`, {
    columns: ['a:string', 'b:long', 'c:string', 'd:string', 'e:bool', 'f:bool', 'g:string', 'h:string'],
    rows: [['a1b', 5, 'abc', 'ABC', true, true, 'bcd', 'a-b-c']],
  });
});
