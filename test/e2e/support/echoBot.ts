// A minimal bot for proving the browser harness on its own, before (and independently of) the triage bot:
// it answers every message with an Adaptive Card that carries the inputs the triage cards use (text, toggle,
// single and multi-select choice sets) and one Action.Execute button; the invoke answers with a new card, which
// the playground puts in place of the old one. Nothing here is product code.
import restify from 'restify';
import {
  ActivityHandler,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';

export const ECHO_VERB = 'echo.ack';

function card(body: unknown[], actions: unknown[] = []): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
  };
}

export function echoCard(text: string): Record<string, unknown> {
  return card(
    [
      { type: 'TextBlock', text: `Echo: ${text}`, wrap: true, weight: 'Bolder' },
      { type: 'Input.Text', id: 'comment', label: 'Comment', placeholder: 'Why?' },
      { type: 'Input.Toggle', id: 'exclude', title: 'Exclude going forward', value: 'false' },
      {
        type: 'Input.ChoiceSet',
        id: 'scenario',
        label: 'Scenario',
        value: '1',
        choices: [1, 2, 3].map((n) => ({ title: `Scenario ${n}`, value: String(n) })),
      },
      {
        type: 'Input.ChoiceSet',
        id: 'selected',
        label: 'Findings',
        isMultiSelect: true,
        style: 'expanded',
        choices: ['f1', 'f2', 'f3'].map((id) => ({ title: `Finding ${id}`, value: id })),
      },
      {
        type: 'Input.ChoiceSet',
        id: 'compactMulti',
        label: 'Compact multi',
        isMultiSelect: true,
        choices: ['a', 'b', 'c'].map((id) => ({ title: `Item ${id}`, value: id })),
      },
      {
        type: 'Input.ChoiceSet',
        id: 'fpReason',
        label: 'Reason',
        style: 'expanded',
        choices: [
          { title: 'Incorrect alert logic', value: 'IncorrectAlertLogic' },
          { title: 'Inaccurate data', value: 'InaccurateData' },
        ],
      },
    ],
    [
      { type: 'Action.Execute', title: 'Acknowledge', verb: ECHO_VERB, data: { verb: ECHO_VERB, echoed: text } },
      { type: 'Action.Submit', title: 'Submit', data: { verb: ECHO_VERB, echoed: text } },
      {
        type: 'Action.ShowCard',
        title: 'More',
        card: { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'inner', label: 'Inner' }], actions: [{ type: 'Action.Execute', title: 'Inner go', verb: ECHO_VERB, data: { verb: ECHO_VERB } }] },
      },
    ],
  );
}

export function acknowledgedCard(data: Record<string, unknown>): Record<string, unknown> {
  const fields = Object.keys(data)
    .filter((k) => k !== 'verb')
    .sort()
    .map((k) => `${k}=${String(data[k])}`)
    .join('; ');
  return card([
    { type: 'TextBlock', text: 'Acknowledged', weight: 'Bolder' },
    { type: 'TextBlock', text: fields, wrap: true },
  ]);
}

/** Exported for the card-action round-trip benchmark, which runs it in the product's own server. */
export class EchoBot extends ActivityHandler {
  /** Every invoke's merged data, for tests that check what the playground really sent. */
  readonly invokes: Array<Record<string, unknown>> = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const submitted = context.activity.value as Record<string, unknown> | undefined;
      const text = (context.activity.text ?? '').trim();
      if (submitted && context.activity.replyToId) {
        // Action.Submit: replace the card the button was on, as the triage bot does for every viewer.
        this.invokes.push({ via: 'submit', ...submitted });
        const updated = MessageFactory.attachment(CardFactory.adaptiveCard(acknowledgedCard(submitted)));
        updated.id = context.activity.replyToId;
        await context.updateActivity(updated);
      } else if (text.startsWith('say ')) {
        await context.sendActivity(text.slice(4));
      } else {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(echoCard(text))));
      }
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const value = (context.activity.value ?? {}) as { action?: { verb?: string; data?: Record<string, unknown> } };
    const data = value.action?.data ?? {};
    this.invokes.push({ verb: value.action?.verb, ...data });
    return {
      status: 200,
      body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: acknowledgedCard(data) },
    };
  }
}

export interface EchoBotServer {
  readonly endpoint: string;
  readonly invokes: ReadonlyArray<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:port (the playground needs the port before it starts, so the caller picks it). */
export async function startEchoBot(port: number): Promise<EchoBotServer> {
  // No app id: the adapter accepts the playground's unauthenticated requests and replies without a token.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    await context.sendActivity(`echo bot failed: ${error instanceof Error ? error.message : String(error)}`);
  };
  const bot = new EchoBot();
  const server = restify.createServer({ name: 'echo-bot' });
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process({ body: req.body as Record<string, unknown>, headers: req.headers, method: 'POST' }, res, (context) =>
      bot.run(context),
    );
  });
  server.get('/healthz', (_req, res, next) => {
    res.send({ status: 'ok' });
    next();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    invokes: bot.invokes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
