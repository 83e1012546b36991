// The rule seed as shipped in ../shared: the source of truth the catalogue and the hunt are checked against.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SEED = fileURLToPath(new URL('../../../shared/seeds/000_b58e645dea223ff4.txt', import.meta.url));

/** The seed's query: the block after "KQL Query", up to the YAML that repeats it. */
export function seedQuery(): string {
  const text = readFileSync(SEED, 'utf8');
  const body = text.split('KQL Query\n')[1]!;
  return body.slice(0, body.indexOf('\nid: ') + 1);
}
