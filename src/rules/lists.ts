// Named lists (data/lists/*.yaml): the site's own subnets, accounts and process names that scenario templates
// refer to by name. They are configuration, so they live in data files, one list per file, named by the file.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { CASE_INSENSITIVE_OPS, ipv4RangeContains, type ConditionOp } from '../exclusions/model.js';
import { RulesError } from './rulesError.js';
import { ListFileSchema } from './schema.js';
import type { NamedList, NamedLists } from './types.js';
import { readYamlFile, validate } from './yamlFile.js';

const LIST_FILE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function yamlFilesIn(op: string, dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RulesError(`${op}: ${dir}: no such directory`);
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** Loads every list file in `dir`; all problems of all files are reported together. */
export function loadLists(dir = 'data/lists'): NamedLists {
  const { lists, lines } = collectLists(dir);
  if (lines.length) throw new RulesError(lines);
  return lists;
}

/** As loadLists, but returning the problems, so the rule loader can report them with its own. */
export function collectLists(dir: string): { lists: Map<string, NamedList>; lines: string[] } {
  const lists = new Map<string, NamedList>();
  const lines: string[] = [];
  for (const file of yamlFilesIn('lists', dir)) {
    const name = basename(file, extname(file));
    if (!LIST_FILE_NAME_RE.test(name)) {
      lines.push(`lists: ${file}: a list's file name is its name and must be letters, digits and _ (as in known_vpn_subnet.yaml)`);
      continue;
    }
    if (lists.has(name)) {
      lines.push(`lists: ${file}: duplicate list '${name}' (also in ${lists.get(name)?.file})`);
      continue;
    }
    const raw = readYamlFile('lists', file);
    const parsed = raw.ok ? validate('lists', file, ListFileSchema, raw.data) : raw;
    if (!parsed.ok) {
      lines.push(...parsed.lines);
      continue;
    }
    if (parsed.data.name !== name) {
      lines.push(`lists: ${file}: name: '${parsed.data.name}' must match the file name '${name}'`);
      continue;
    }
    lists.set(name, { ...parsed.data, name, file });
  }
  return { lists, lines };
}

/** The entries of the named lists, in order, without repeats. */
export function listEntries(lists: NamedLists, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const list = lists.get(n);
    if (!list) throw new RulesError(`lists: unknown list '${n}' (known: ${[...lists.keys()].join(', ') || 'none'})`);
    for (const v of list.values) if (!out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * The list entries that one of the finding's values matches under `op`: equal (case-insensitively for `=~`
 * and `in~`), or, for ipv4_is_in_any_range, a range holding the address. The entries keep the list's spelling.
 */
export function entriesMatching(entries: readonly string[], op: ConditionOp, findingValues: readonly string[]): string[] {
  if (op === 'ipv4_is_in_any_range') return entries.filter((range) => findingValues.some((ip) => ipv4RangeContains(range, ip)));
  if (CASE_INSENSITIVE_OPS.has(op)) {
    const wanted = new Set(findingValues.map((v) => v.toLowerCase()));
    return entries.filter((e) => wanted.has(e.toLowerCase()));
  }
  const wanted = new Set(findingValues);
  return entries.filter((e) => wanted.has(e));
}
