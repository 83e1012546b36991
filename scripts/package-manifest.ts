// `npm run package`: the Teams app package (manifest.json + both icons at the zip's root), validated first.
// The bot id comes from MicrosoftAppId when it is set; otherwise the committed placeholder stays, and Teams
// will refuse the upload until it is set.
//   npm run package [-- --out PATH]        (default dist/parsec-triage-app.zip)
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import {
  loadCommands,
  MANIFEST_DIR,
  packageErrors,
  PLACEHOLDER_BOT_ID,
  readManifest,
  withBotId,
  type Manifest,
} from '../manifest/appManifest.js';

export const DEFAULT_PACKAGE = join(PROJECT_ROOT, 'dist', 'parsec-triage-app.zip');
// A fixed timestamp: the same inputs give the same zip, so a rebuilt package diffs clean.
const ENTRY_TIME = new Date('2026-01-01T00:00:00Z');

export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`package: the app package is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'PackageError';
  }
}

function writeZip(out: string, entries: Array<[name: string, data: Buffer]>): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: ENTRY_TIME, mode: 0o100644 });
  zip.end();
  return new Promise((resolveWrite, reject) => {
    const file = createWriteStream(out);
    zip.outputStream.pipe(file).on('close', () => resolveWrite()).on('error', reject);
    zip.outputStream.on('error', reject);
  });
}

/** Validates, then writes the zip. Returns the manifest that went into it. */
export async function buildAppPackage(opts: { appId: string | undefined; out: string }): Promise<Manifest> {
  const commands = loadCommands();
  const manifest = opts.appId ? withBotId(readManifest(), opts.appId) : readManifest();
  const problems = await packageErrors(manifest, commands);
  if (problems.length) throw new PackageError(problems);
  const icons = manifest.icons as { color: string; outline: string };
  await writeZip(opts.out, [
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    [icons.color, readFileSync(join(MANIFEST_DIR, icons.color))],
    [icons.outline, readFileSync(join(MANIFEST_DIR, icons.outline))],
  ]);
  return manifest;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' } } });
  const out = resolve(values.out ?? DEFAULT_PACKAGE);
  try {
    const config = loadConfig(env);
    const manifest = await buildAppPackage({ appId: config.bot.appId, out });
    const botId = (manifest.bots as Array<{ botId: string }>)[0]!.botId;
    const shown = relative(process.cwd(), out);
    process.stdout.write(`wrote ${shown.startsWith('..') ? out : shown}\n`);
    if (botId === PLACEHOLDER_BOT_ID) {
      process.stderr.write('package: MicrosoftAppId is not set: the bot id is a placeholder that Teams will refuse\n');
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
