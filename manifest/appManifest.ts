// The Teams app package's parts and every check they must pass before they are zipped: the v1.17 schema
// (the copy bundled in @microsoft/app-manifest, so validation never touches the network), the command list
// kept in step with commands.json, and icons of the sizes and colours Teams requires.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import pngjs from 'pngjs';
import { z } from 'zod';
import { ACCENT, COLOR_SIZE, OUTLINE_SIZE } from './icons.js';

export const MANIFEST_DIR = dirname(fileURLToPath(import.meta.url));
export const MANIFEST_FILE = join(MANIFEST_DIR, 'manifest.json');
export const COMMANDS_FILE = join(MANIFEST_DIR, 'commands.json');
/** Committed in place of a real bot id: Teams refuses it, so an unconfigured package cannot be mistaken for a real one. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';
export const SCOPES = ['personal', 'team', 'groupChat'] as const;
export const MANIFEST_VERSION = '1.17';
export const SCHEMA_URL = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Teams shows at most 10 commands per scope. */
export const MAX_COMMANDS = 10;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export type Manifest = Record<string, unknown>;
export interface Command {
  readonly title: string;
  readonly description: string;
}

const commandsSchema = z
  .array(
    z.strictObject({
      // One lower-case word: the bot matches commands as whole words, and Teams inserts the title verbatim.
      title: z.string().regex(/^[a-z]+$/, { message: 'must be one lower-case word' }).max(32),
      description: z.string().min(1).max(128),
    }),
  )
  .min(1)
  .max(MAX_COMMANDS)
  .refine((cs) => new Set(cs.map((c) => c.title)).size === cs.length, { message: 'titles must be unique' });

function where(file: string): string {
  return relative(dirname(MANIFEST_DIR), file);
}

/** The bot's command list: the manifest's commandLists are generated from it, and the bot's help reads it. */
export function loadCommands(file = COMMANDS_FILE): Command[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`manifest: ${where(file)}: ${(e as Error).message}`);
  }
  const parsed = commandsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new Error(`manifest: ${where(file)}: ${path || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** One list per scope, as the schema asks ("a separate command list should be used for each scope"). */
export function commandLists(commands: readonly Command[]): Array<{ scopes: string[]; commands: Command[] }> {
  return SCOPES.map((scope) => ({ scopes: [scope], commands: commands.map((c) => ({ title: c.title, description: c.description })) }));
}

export function readManifest(file = MANIFEST_FILE): Manifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new Error(`manifest: ${where(file)}: ${(e as Error).message}`);
  }
}

function bots(manifest: Manifest): Array<Record<string, unknown>> {
  return Array.isArray(manifest.bots) ? (manifest.bots as Array<Record<string, unknown>>) : [];
}

/** The manifest with `appId` as its bot's id (a copy; the committed file keeps the placeholder). */
export function withBotId(manifest: Manifest, appId: string): Manifest {
  if (!GUID.test(appId)) {
    throw new Error(`manifest: MicrosoftAppId=${JSON.stringify(appId)}: must be the bot's Entra app id (a GUID)`);
  }
  const copy = structuredClone(manifest);
  const [bot] = bots(copy);
  if (!bot) throw new Error('manifest: manifest.json has no bot to give an id to');
  bot.botId = appId;
  return copy;
}

type SchemaArg = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;
type ManifestArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>[0];

/** The v1.17 schema file inside @microsoft/app-manifest (it bundles each version it knows). */
export function bundledSchemaPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json');
  return join(dirname(pkg), 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, 'MicrosoftTeams.schema.json');
}

/** Schema violations, as "manifest.json: /path: message". The schema is passed in, so nothing is fetched. */
export async function schemaErrors(manifest: Manifest): Promise<string[]> {
  const schema = JSON.parse(readFileSync(bundledSchemaPath(), 'utf8')) as SchemaArg;
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as ManifestArg, schema);
  return errors.map((e) => `manifest.json: ${e.trim().replace(/^(\S*) /, (_m, path: string) => `${path || '/'}: `)}`);
}

/** What the schema cannot say: our version, scopes, and command lists generated from commands.json. */
export function consistencyErrors(manifest: Manifest, commands: readonly Command[]): string[] {
  const errors: string[] = [];
  if (manifest.$schema !== SCHEMA_URL) errors.push(`manifest.json: $schema must be ${SCHEMA_URL}`);
  if (manifest.manifestVersion !== MANIFEST_VERSION) errors.push(`manifest.json: manifestVersion must be ${MANIFEST_VERSION}`);
  if (manifest.accentColor !== ACCENT) errors.push(`manifest.json: accentColor must be the icons' ${ACCENT}`);
  const [bot] = bots(manifest);
  if (!bot) return [...errors, 'manifest.json: bots: one bot is required'];
  const scopes = Array.isArray(bot.scopes) ? [...(bot.scopes as string[])].sort() : [];
  if (JSON.stringify(scopes) !== JSON.stringify([...SCOPES].sort())) {
    errors.push(`manifest.json: bots[0].scopes must be ${JSON.stringify(SCOPES)}, got ${JSON.stringify(bot.scopes)}`);
  }
  // `export` offers files in personal chat through FileConsentCard, which Teams allows only to bots that say so.
  if (bot.supportsFiles !== true) errors.push('manifest.json: bots[0].supportsFiles must be true (export sends files in personal chat)');
  if (JSON.stringify(bot.commandLists) !== JSON.stringify(commandLists(commands))) {
    errors.push('manifest.json: bots[0].commandLists differ from manifest/commands.json (run: node --import tsx manifest/generate.ts)');
  }
  return errors;
}

/** Size, and for the outline: every pixel fully transparent or pure white (Teams' rule for outline icons). */
export function iconErrors(file: string, kind: 'color' | 'outline'): string[] {
  const name = where(file);
  let png;
  try {
    png = pngjs.PNG.sync.read(readFileSync(file));
  } catch (e) {
    return [`${name}: not a readable PNG (${(e as Error).message})`];
  }
  const size = kind === 'color' ? COLOR_SIZE : OUTLINE_SIZE;
  if (png.width !== size || png.height !== size) return [`${name}: must be ${size}x${size}, is ${png.width}x${png.height}`];
  const d = png.data;
  for (let i = 0; i < d.length; i += 4) {
    const [x, y] = [(i / 4) % size, Math.floor(i / 4 / size)];
    if (kind === 'outline' && d[i + 3]! > 0 && (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255)) {
      return [`${name}: pixel (${x},${y}) is rgb(${d[i]},${d[i + 1]},${d[i + 2]}); an outline icon is white on transparent`];
    }
    if (kind === 'color' && d[i + 3] !== 255) return [`${name}: pixel (${x},${y}) is transparent; the colour icon must be opaque`];
  }
  return [];
}

/** Every check, for the manifest as it will be zipped (icons resolved next to the committed manifest). */
export async function packageErrors(manifest: Manifest, commands: readonly Command[]): Promise<string[]> {
  const icons = (manifest.icons ?? {}) as { color?: unknown; outline?: unknown };
  const iconChecks = (['color', 'outline'] as const).flatMap((kind) => {
    const rel = icons[kind];
    return typeof rel === 'string' ? iconErrors(join(MANIFEST_DIR, rel), kind) : [`manifest.json: icons.${kind} is missing`];
  });
  return [...(await schemaErrors(manifest)), ...consistencyErrors(manifest, commands), ...iconChecks];
}
