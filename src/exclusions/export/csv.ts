// `--format csv`: one row per exclusion, for people (reviews, audits, a spreadsheet). Every cell is guarded
// against spreadsheet formulas, since conditions and comments carry values from events and analysts. It starts
// with a UTF-8 byte order mark, which Excel needs to read non-ASCII text in a CSV correctly.
import { compileConditions, describeConditions } from '../model.js';
import type { Exclusion } from '../../store/types.js';
import { queryExclusion } from './applied.js';
import { csvText, neutralizeFormula } from './csvText.js';

const COLUMNS = ['id', 'state', 'scope', 'device', 'scenario', 'conditions', 'kql', 'author', 'approver', 'created', 'expires', 'comment'];

export function peopleCsv(exclusions: readonly Exclusion[], hits?: ReadonlyMap<number, number>): string {
  const header = hits ? [...COLUMNS, 'hits'] : COLUMNS;
  const rows = exclusions.map((x) => {
    const conditions = queryExclusion(x).conditions;
    const cells = [
      String(x.id),
      x.state,
      x.scope,
      x.deviceId ?? '',
      x.scenario === null ? '' : String(x.scenario),
      describeConditions(conditions),
      compileConditions(conditions),
      x.author,
      x.approver ?? '',
      x.createdAt,
      x.expiresAt ?? '',
      x.comment ?? '',
    ];
    if (hits) cells.push(String(hits.get(x.id) ?? 0));
    return cells.map(neutralizeFormula);
  });
  return `\uFEFF${csvText([header, ...rows])}`;
}
