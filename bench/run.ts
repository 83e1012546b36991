// `npm run bench`: every figure is a ratio against a baseline measured in the same run, on the same machine,
// so the numbers mean something wherever they are run. Workers run in child processes for clean peak memory.
// `npm run bench -- hunt` runs one section.
import { huntSection } from './sections/hunt.js';
import { bulkSection } from './sections/bulk.js';
import { exclusionsSection } from './sections/exclusions.js';
import { roundtripSection } from './sections/roundtrip.js';

const sections = [huntSection, bulkSection, exclusionsSection, roundtripSection];
const only = process.argv.slice(2);
for (const s of sections) {
  if (only.length && !only.includes(s.name)) continue;
  process.stdout.write(`\n## ${s.title}\n\n`);
  process.stdout.write(await s.run());
}
