// The card-action round trip at C concurrent analysts, through the product and through the echo bot.
// This process plays Teams: the analysts (real Teams-shaped invokes from test/support/botHttp.ts) and the local
// Bot Connector (test/support/connector.ts) the bots' updates go to. Each bot server runs in a child process of
// its own (roundtripServer.ts), so its figures and peak RSS are its own and it has a core to itself.
// Timed, per action: from just before the POST of an Action.Execute invoke that marks a finding until both the
// POST has been answered (the invoke response card) and the PUT of that card over the posted one has reached
// the connector. Each analyst has a personal chat and a block of findings of its own, so every mark stores a
// disposition (no stale-version refusals); the echo bot gets the same payloads.
// The machine is shared (2 cores, other work on it), so the two bots are measured in alternating rounds
// (echo, product, product, echo, ...): a burst of outside load lands on both rather than skewing the ratio.
import { fork, type ChildProcess } from 'node:child_process';
import { deepStrictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERBS } from '../../src/bot/cards/verbs.js';
import { botHttp, type BotHttp, type TestAccount } from '../../test/support/botHttp.js';
import { cardOf, startConnector, type ConnectorCall } from '../../test/support/connector.js';
import { report } from './report.js';

interface OpenFinding { id: string; version: number }
type Kind = 'echo' | 'product';
interface Bot { kind: Kind; child: ChildProcess; chats: BotHttp[]; samples: number[]; wallMs: number; cpuMs: number }

const CARD = 'application/vnd.microsoft.card.adaptive';
const [cText, samplesText, dir] = process.argv.slice(2);
const C = Number(cText);
const ROUNDS = 8;
const PER = Math.ceil(Number(samplesText) / C / ROUNDS) * ROUNDS;
// Enough turns per analyst to open its keep-alive connection and warm the JIT on both sides, ~100 in all.
const WARM = Math.max(3, Math.ceil(100 / C));

const findings = JSON.parse(readFileSync(join(dir!, 'findings.json'), 'utf8')) as OpenFinding[];
if (findings.length < C * (WARM + PER)) throw new Error(`roundtrip: ${findings.length} open findings, need ${C * (WARM + PER)}`);
const mine = Array.from({ length: C }, (_, i) => findings.slice(i * (WARM + PER), (i + 1) * (WARM + PER)));

// The marks that store a disposition and nothing else (Benign with "exclude" would also propose an exclusion).
const MARKS: Array<[string, Record<string, unknown>]> = [
  [VERBS.findingTp, {}],
  [VERBS.findingFp, { fpReason: 'InaccurateData' }],
  [VERBS.findingUndetermined, { comment: 'need the proxy logs' }],
];

const analyst = (i: number): TestAccount => ({
  id: `29:analyst-${i}`,
  name: `Analyst ${i}`,
  aadObjectId: `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
});

/** One request to a bot server over IPC, answered by its next message. */
function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(message);
  });
}

const connector = await startConnector();

async function startBot(kind: Kind): Promise<Bot> {
  const child = fork(join('bench', 'workers', 'roundtripServer.ts'), [kind, dir!], {
    // restify 11 loads spdy → http-deceiver, which touches process.binding('http_parser'): a deprecation
    // warning per server process, noise here.
    execArgv: ['--import', 'tsx', '--no-deprecation'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }));
    child.once('exit', (code) => reject(new Error(`roundtrip: the ${kind} server exited (${code}) before listening`)));
  });
  const chats = Array.from({ length: C }, (_, i) => botHttp(url, connector.url, { user: analyst(i) }));
  return { kind, child, chats, samples: [], wallMs: 0, cpuMs: 0 };
}

let marks = 0;

async function act(bot: Bot, chat: BotHttp, f: OpenFinding): Promise<number> {
  const [verb, extra] = MARKS[marks++ % MARKS.length]!;
  // The finding's card as on the analyst's screen: the bot PUTs the marked card over it (a card unknown to the
  // connector would answer 404, the product's failure path). Set up, like the wait, before the clock starts.
  const cardId = connector.seedActivity(chat.conversation.id, { type: 'message' });
  const updated = connector.waitFor((c: ConnectorCall) => c.route === 'update' && c.activityId === cardId && c.status === 200);
  const t0 = performance.now();
  const [res] = await Promise.all([chat.execute(verb, { verb, findingId: f.id, version: f.version, ...extra }, { replyToId: cardId }), updated]);
  const ms = performance.now() - t0;
  if (res.status !== 200 || res.body?.statusCode !== 200 || res.body?.type !== CARD) {
    throw new Error(`roundtrip: ${bot.kind} answered ${verb} on ${f.id} with ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  deepStrictEqual(cardOf(connector.activity(cardId)), res.body.value, 'the posted card shows what the invoke answered');
  return ms;
}

/** Each analyst works through its findings from..to one after another; C of these loops run at once. */
async function phase(bot: Bot, from: number, to: number, out: number[]): Promise<number> {
  connector.clearCalls();
  const t0 = performance.now();
  await Promise.all(bot.chats.map(async (chat, i) => {
    for (const f of mine[i]!.slice(from, to)) out.push(await act(bot, chat, f));
  }));
  const ms = performance.now() - t0;
  // Every action made exactly one connector call, its PUT: no error replies, no stray posts.
  if (connector.calls.length !== C * (to - from)) throw new Error(`roundtrip: ${bot.kind}: ${connector.calls.length} connector calls for ${C * (to - from)} actions`);
  return ms;
}

const bots = [await startBot('echo'), await startBot('product')];
for (const bot of bots) await phase(bot, 0, WARM, []);
const step = PER / ROUNDS;
for (let r = 0; r < ROUNDS; r++) {
  for (const bot of r % 2 ? [...bots].reverse() : bots) {
    const cpu0 = await ask<{ cpuMs: number }>(bot.child, 'cpu');
    bot.wallMs += await phase(bot, WARM + r * step, WARM + (r + 1) * step, bot.samples);
    bot.cpuMs += (await ask<{ cpuMs: number }>(bot.child, 'cpu')).cpuMs - cpu0.cpuMs;
  }
}

const results: Record<string, unknown> = { c: C, warmup: C * WARM };
for (const bot of bots) {
  const server = await ask<{ maxRssMb: number; dispositions: number }>(bot.child, 'stop');
  if (bot.kind === 'product' && server.dispositions !== C * (WARM + PER)) {
    throw new Error(`roundtrip: ${server.dispositions} dispositions stored for ${C * (WARM + PER)} marks`);
  }
  const s = bot.samples.sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  results[bot.kind] = {
    n: s.length, p50: pct(0.5), p99: pct(0.99), max: s.at(-1)!,
    perSecond: s.length / (bot.wallMs / 1000), serverCpuMsPerAction: bot.cpuMs / s.length, serverRssMb: server.maxRssMb,
  };
}
await connector.close();
report(results);
