// The bot server under test, alone in its process, forked by the round-trip driver (roundtrip.ts): its peak
// RSS is its own, and on a 2-core machine it has a core to itself while the driver (the analysts and the local
// Bot Connector) uses the other, as Teams and the bot are on different machines in production.
//   product: the real TriageBot, wired by composeBot as src/index.ts wires it (conversation references included;
//            the hunt scheduler plays no part in a card action), over its own copy of the seeded database.
//   echo:    the e2e echo bot, which answers the same invoke with a card; it also PUTs that card over the
//            posted one, as the product does for a mark, so both round trips end at the connector.
// Both run in startServer (restify 11 + CloudAdapter, no app id, 127.0.0.1). IPC with the driver: {url} once
// listening; 'cpu' → {cpuMs}; 'stop' → a graceful close, then {maxRssMb, dispositions}.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardFactory, type ActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { loadConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { EchoBot } from '../../test/e2e/support/echoBot.js';

class UpdatingEchoBot extends EchoBot {
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const res = await super.onInvokeActivity(context);
    const card = (res.body as { value?: Record<string, unknown> } | undefined)?.value;
    const replyToId = context.activity.replyToId;
    if (replyToId && card) await context.updateActivity({ id: replyToId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    return res;
  }
}

interface Subject {
  bot: ActivityHandler;
  config: Config;
  /** Closes what the bot holds; answers how many dispositions were stored (0 for the echo bot). */
  finish(): Promise<number>;
}

// An explicit environment, not process.env: a developer's .env must not change what is measured.
const env = { PORT: '0', HOST: '127.0.0.1' };

// The product's modules are imported only in the product's process: loaded into the echo bot's, they would
// count in its peak RSS (~50 MB) without doing anything.
async function product(templateDir: string): Promise<Subject> {
  const [{ openApp }, { composeBot }] = await Promise.all([import('../../src/triage/app.js'), import('../../src/bot/compose.js')]);
  const dir = mkdtempSync(join(tmpdir(), 'bench-roundtrip-'));
  // On every way out, the driver's stop or its disappearance.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'triage.sqlite');
  copyFileSync(join(templateDir, 'template.sqlite'), dbPath);
  const config = loadConfig({ ...env, TRIAGE_DB: dbPath });
  const app = openApp(config);
  const { bot } = composeBot(app, silentLogger);
  return {
    bot,
    config,
    async finish() {
      await bot.idle();
      const { n } = app.store.db.prepare('SELECT count(*) AS n FROM dispositions').get() as { n: number };
      app.close();
      return n;
    },
  };
}

const [kind, templateDir] = process.argv.slice(2);
const subject: Subject = kind === 'product' ? await product(templateDir!) : { bot: new UpdatingEchoBot(), config: loadConfig(env), finish: async () => 0 };
const server = await startServer({ config: subject.config, bot: subject.bot, log: silentLogger });
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
process.send!({ url: server.url });
// The driver gone (done, or failed mid-run): nothing left to serve, and no orphan server may linger.
process.once('disconnect', () => process.exit(0));
// 'cpu' asks for the CPU time used so far (the driver takes it around the measured phases); anything else stops.
process.on('message', async (m) => {
  if (m === 'cpu') return void process.send!({ cpuMs: cpuMs() });
  await server.close();
  const dispositions = await subject.finish();
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.send!({ maxRssMb, dispositions }, () => process.disconnect());
});
