// The committed sample's parameters, in one place: the CLI's defaults, the README and the drift test all
// read them here. Hunting over the committed sample needs --now (or TRIAGE_NOW) set to SAMPLE_NOW.
import { fileURLToPath } from 'node:url';

export const SAMPLE_ROWS = 2400;
export const SAMPLE_SEED = 1219;
export const SAMPLE_NOW = '2026-12-01T12:00:00Z';

export const SAMPLE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const SAMPLE_FILE = fileURLToPath(new URL('./events.jsonl', import.meta.url));
export const LISTS_DIR = fileURLToPath(new URL('../lists/', import.meta.url));
