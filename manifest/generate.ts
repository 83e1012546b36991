// Regenerates what manifest.json derives from manifest/commands.json (its commandLists, one per scope):
//   node --import tsx manifest/generate.ts
// Everything else in manifest.json is edited by hand; the icons come from manifest/icons.ts.
import { writeFileSync } from 'node:fs';
import { commandLists, loadCommands, MANIFEST_FILE, readManifest } from './appManifest.js';

const manifest = readManifest();
const bot = (manifest.bots as Array<Record<string, unknown>> | undefined)?.[0];
if (!bot) throw new Error('manifest: manifest.json has no bot');
bot.commandLists = commandLists(loadCommands());
writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(`wrote ${MANIFEST_FILE}\n`);
