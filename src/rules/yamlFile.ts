// Reading a catalogue YAML file and validating it, with every problem as one line:
// `rules: data/rules/x.yaml: scenarios[2].template[0].column: unknown DeviceNetworkEvents column 'Foo'`.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath } from '../exclusions/model.js';

export type FileResult<T> = { ok: true; data: T } | { ok: false; lines: string[] };

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a mapping', array: 'a list', string: 'a string', int: 'a whole number', number: 'a number', boolean: 'true or false',
};

// zod's defaults ("Invalid input: expected string, received undefined") read poorly next to a YAML path.
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${kind(iss.input)}`;
    case 'unrecognized_keys':
      return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => String(v)).join(', ')}, got ${kind(iss.input)}`;
    case 'invalid_format':
      return iss.format === 'guid' ? `expected a GUID, got ${kind(iss.input)}` : undefined;
    case 'invalid_union': // the only unions in rule files are tactics / relevantTechniques
      return `expected a string or a list of strings, got ${kind(iss.input)}`;
    default:
      return undefined;
  }
};

export function problemLine(op: string, file: string, path: readonly PropertyKey[], message: string): string {
  const where = formatPath(path);
  return `${op}: ${file}: ${where ? `${where}: ` : ''}${message}`;
}

/** Parses YAML text; a syntax error comes back as `op: file: line L, column C: reason`. */
export function parseYamlText(op: string, file: string, text: string): FileResult<unknown> {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    return {
      ok: false,
      lines: doc.errors.map((e) => {
        const reason = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        const pos = e.linePos?.[0];
        return `${op}: ${file}: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${reason}`;
      }),
    };
  }
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
}

export function readYamlFile(op: string, file: string): FileResult<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, lines: [`${op}: ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  return parseYamlText(op, file, text);
}

export function validate<S extends z.ZodType>(op: string, file: string, schema: S, data: unknown): FileResult<z.output<S>> {
  const r = schema.safeParse(data, { error: errorMap });
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, lines: r.error.issues.map((i) => problemLine(op, file, i.path, i.message)) };
}
