import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { PROJECT_ROOT } from '../../src/config.js';
import {
  bundledSchemaPath,
  commandLists,
  consistencyErrors,
  iconErrors,
  loadCommands,
  MANIFEST_DIR,
  packageErrors,
  PLACEHOLDER_BOT_ID,
  readManifest,
  schemaErrors,
  withBotId,
  type Manifest,
} from '../../manifest/appManifest.js';
import { drawColorIcon, drawOutlineIcon } from '../../manifest/icons.js';
import { zipEntries } from './zipEntries.js';
import { parseCommand } from '../../src/bot/commands.js';

const { PNG } = pngjs;
const ISSUE_COMMANDS = ['hunt', 'next', 'bulk', 'exclusions', 'export', 'stats', 'subscribe', 'unsubscribe', 'help'];
const BOT_ID = '5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'triage-manifest-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function bot(m: Manifest): Record<string, unknown> {
  return (m.bots as Array<Record<string, unknown>>)[0]!;
}

test('manifest.json is valid against the bundled v1.17 schema, without the network', async (t) => {
  assert.match(bundledSchemaPath(), /json-schemas[/\\]teams[/\\]v1\.17[/\\]MicrosoftTeams\.schema\.json$/);
  assert.ok(existsSync(bundledSchemaPath()));
  // Any attempt to download the schema fails the test instead of passing quietly online.
  t.mock.method(globalThis, 'fetch', () => {
    throw new Error('schema validation must not use the network');
  });
  const manifest = readManifest();
  assert.equal(manifest.manifestVersion, '1.17');
  assert.deepEqual(await schemaErrors(manifest), []);
  assert.deepEqual(await schemaErrors(withBotId(manifest, BOT_ID)), []);
});

test('the schema check catches what Teams would refuse', async () => {
  const broken = structuredClone(readManifest());
  bot(broken).botId = 'not-a-guid';
  bot(broken).commandLists = [
    { scopes: ['personal'], commands: Array.from({ length: 11 }, (_, i) => ({ title: `c${i}`, description: 'x' })) },
  ];
  (broken.name as Record<string, string>).short = 'a name far longer than thirty characters';
  const errors = await schemaErrors(broken);
  assert.ok(errors.some((e) => e.startsWith('manifest.json: /bots/0/botId: must match pattern')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('manifest.json: /bots/0/commandLists/0/commands: must NOT have more than 10 items')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('manifest.json: /name/short: must NOT have more than 30 characters')), errors.join('\n'));
});

test('the bot has the three scopes, and one command list per scope generated from commands.json', () => {
  const manifest = readManifest();
  const commands = loadCommands();
  assert.deepEqual(consistencyErrors(manifest, commands), []);
  assert.deepEqual(bot(manifest).scopes, ['personal', 'team', 'groupChat']);
  assert.equal(bot(manifest).botId, PLACEHOLDER_BOT_ID, 'the committed file keeps the placeholder');
  const lists = bot(manifest).commandLists as Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
  assert.deepEqual(lists.map((l) => l.scopes), [['personal'], ['team'], ['groupChat']]);
  for (const list of lists) {
    assert.ok(list.commands.length <= 10, `${list.scopes[0]}: ${list.commands.length} commands, Teams shows 10`);
    // commands.json is also what the bot's help lists, so every manifest command is one the bot answers.
    assert.deepEqual(list.commands.map((c) => c.title), commands.map((c) => c.title));
  }
  assert.deepEqual(commands.map((c) => c.title), ISSUE_COMMANDS);
  for (const c of commands) assert.notEqual(parseCommand(c.title).name, 'unknown', `the bot answers "${c.title}"`);
  assert.equal(bot(manifest).supportsFiles, true, 'export offers files in personal chat (FileConsentCard)');
});

test('a command list out of step with commands.json is reported, with the command that fixes it', () => {
  const commands = [...loadCommands(), { title: 'snooze', description: 'Hide a finding for a while' }];
  assert.deepEqual(consistencyErrors(readManifest(), commands), [
    'manifest.json: bots[0].commandLists differ from manifest/commands.json (run: node --import tsx manifest/generate.ts)',
  ]);
  assert.equal(commandLists(commands)[0]!.commands.at(-1)!.title, 'snooze');
  const noFiles = structuredClone(readManifest());
  bot(noFiles).supportsFiles = false;
  assert.deepEqual(consistencyErrors(noFiles, loadCommands()), ['manifest.json: bots[0].supportsFiles must be true (export sends files in personal chat)']);
});

test('commands.json is validated, and its errors name the file and the entry', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'commands.json');
  writeFileSync(file, JSON.stringify([{ title: 'hunt', description: 'ok' }, { title: 'Bulk Mark', description: 'x' }]));
  assert.throws(() => loadCommands(file), /commands\.json: \[1\]\.title: must be one lower-case word/);
  writeFileSync(file, JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ title: `c${'x'.repeat(i)}`, description: 'd' }))));
  assert.throws(() => loadCommands(file), /commands\.json: \(root\): Too big/i);
  writeFileSync(file, '[{"title": "hunt"');
  assert.throws(() => loadCommands(file), /commands\.json: .*JSON/);
});

test('the icons have Teams sizes; the outline is white on transparent; both match their generator', () => {
  const color = PNG.sync.read(readFileSync(join(MANIFEST_DIR, 'color.png')));
  const outline = PNG.sync.read(readFileSync(join(MANIFEST_DIR, 'outline.png')));
  assert.deepEqual([color.width, color.height, outline.width, outline.height], [192, 192, 32, 32]);
  assert.deepEqual(iconErrors(join(MANIFEST_DIR, 'color.png'), 'color'), []);
  assert.deepEqual(iconErrors(join(MANIFEST_DIR, 'outline.png'), 'outline'), []);
  let [clear, white] = [0, 0];
  for (let i = 0; i < outline.data.length; i += 4) {
    const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
    if (a === 0) clear++;
    else if (r === 255 && g === 255 && b === 255) white++;
    else assert.fail(`outline pixel ${i / 4} is rgba(${r},${g},${b},${a})`);
  }
  assert.ok(clear > 0 && white > 0, `a glyph on a transparent field (${white} white, ${clear} clear)`);
  // Regenerating must reproduce the committed pixels (run manifest/icons.ts after changing the drawing).
  assert.ok(PNG.sync.read(drawColorIcon()).data.equals(color.data), 'color.png is stale');
  assert.ok(PNG.sync.read(drawOutlineIcon()).data.equals(outline.data), 'outline.png is stale');
});

test('icon checks reject a wrong size and a grey outline', (t) => {
  const dir = tempDir(t);
  const grey = new PNG({ width: 32, height: 32 });
  grey.data.fill(0);
  grey.data.set([128, 128, 128, 255], (5 * 32 + 7) * 4);
  writeFileSync(join(dir, 'grey.png'), PNG.sync.write(grey));
  assert.equal(iconErrors(join(dir, 'grey.png'), 'outline').length, 1);
  assert.match(iconErrors(join(dir, 'grey.png'), 'outline')[0]!, /pixel \(7,5\) is rgb\(128,128,128\); an outline icon is white on transparent/);
  assert.match(iconErrors(join(dir, 'grey.png'), 'color')[0]!, /must be 192x192, is 32x32/);
  writeFileSync(join(dir, 'junk.png'), 'not a png');
  assert.match(iconErrors(join(dir, 'junk.png'), 'color')[0]!, /not a readable PNG/);
});

test('an invalid MicrosoftAppId is refused before anything is written', () => {
  assert.throws(() => withBotId(readManifest(), 'my-bot'), /MicrosoftAppId="my-bot": must be the bot's Entra app id \(a GUID\)/);
});

function packageCli(out: string, extraEnv: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MicrosoftApp|TRIAGE_)/.test(k)));
  return spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'package-manifest.ts'), '--out', out], {
    cwd: PROJECT_ROOT,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });
}

test('npm run package writes a zip with the manifest (bot id from MicrosoftAppId) and both icons', async (t) => {
  const out = join(tempDir(t), 'app.zip');
  const run = packageCli(out, { MicrosoftAppId: BOT_ID });
  assert.equal(run.status, 0, run.stderr);
  const entries = zipEntries(readFileSync(out));
  assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
  const zipped = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Manifest;
  assert.equal(bot(zipped).botId, BOT_ID);
  assert.deepEqual(await schemaErrors(zipped), []);
  assert.deepEqual(await packageErrors(zipped, loadCommands()), []);
  assert.ok(entries.get('color.png')!.equals(readFileSync(join(MANIFEST_DIR, 'color.png'))));
  assert.ok(entries.get('outline.png')!.equals(readFileSync(join(MANIFEST_DIR, 'outline.png'))));
  // Same inputs, same bytes: the package is reproducible.
  const again = join(tempDir(t), 'again.zip');
  assert.equal(packageCli(again, { MicrosoftAppId: BOT_ID }).status, 0);
  assert.ok(readFileSync(again).equals(readFileSync(out)));
});

test('npm run package without MicrosoftAppId keeps the placeholder and says so; a bad one fails', (t) => {
  const dir = tempDir(t);
  const plain = packageCli(join(dir, 'plain.zip'), {});
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stderr, /MicrosoftAppId is not set: the bot id is a placeholder/);
  const zipped = JSON.parse(zipEntries(readFileSync(join(dir, 'plain.zip'))).get('manifest.json')!.toString('utf8')) as Manifest;
  assert.equal(bot(zipped).botId, PLACEHOLDER_BOT_ID);

  const bad = packageCli(join(dir, 'bad.zip'), { MicrosoftAppId: 'not-a-guid' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /MicrosoftAppId="not-a-guid": must be the bot's Entra app id/);
  assert.equal(existsSync(join(dir, 'bad.zip')), false);
});
