// One error type for the rule catalogue: loading rule and list files, looking rules up, filling templates.
// Each problem is one line naming the operation, the file and the path; `lines` keeps them all.
export class RulesError extends Error {
  readonly lines: readonly string[];

  constructor(lines: string | readonly string[]) {
    const all = typeof lines === 'string' ? [lines] : lines;
    super(all.length === 1 ? all[0] : `${all[0]} (and ${all.length - 1} more problem${all.length > 2 ? 's' : ''})`);
    this.name = 'RulesError';
    this.lines = all;
  }
}
