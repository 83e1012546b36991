// botbuilder-testing's TestAdapter driving the real TriageBot: typed messages, Action.Execute invokes and
// Action.Submit messages shaped as Teams sends them; every reply, invoke response and message update is
// recorded for the test to read.
import { TestAdapter, type Activity, type ChannelAccount, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { TriageBot } from '../../src/bot/triageBot.js';

export const ALICE = { id: '29:alice', name: 'Alice Analyst', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
export const BOB = { id: '29:bob', name: 'Bob Lead', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
export const MALLORY = { id: '29:mallory', name: 'Mallory', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

type Account = ChannelAccount & { aadObjectId?: string };
const BOT: Account = { id: '28:bot', name: 'Triage', role: 'bot' };

class RecordingAdapter extends TestAdapter {
  readonly updates: Partial<Activity>[] = [];

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.updates.push(activity);
    return super.updateActivity(context, activity);
  }
}

export interface TurnOutput {
  /** Messages the bot posted (typing indicators and the invoke response left out). */
  readonly sent: Partial<Activity>[];
  /** The invoke response body (AdaptiveCardInvokeResponse), for invokes. */
  readonly invoke: any;
  /** Message updates made during the turn. */
  readonly updates: Partial<Activity>[];
}

export const cardOf = (a: Partial<Activity> | undefined): any => a?.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
export const cardsIn = (out: TurnOutput): any[] => out.sent.map(cardOf).filter(Boolean);
export const textsIn = (out: TurnOutput): string[] => out.sent.map((a) => a.text).filter((t): t is string => typeof t === 'string');

/** Every Action.Execute data object on a card (ShowCard sub-cards and ActionSets included). */
export function actionsOf(card: any): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const out: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'Action.Execute') out.push({ title: node.title, verb: node.verb, data: node.data });
    for (const v of Object.values(node)) if (v && typeof v === 'object' && v !== node.fallback) walk(v);
  };
  walk(card);
  return out;
}

/** All the text of a card, for asserting what it says. */
export function textOf(card: any): string {
  const parts: string[] = [];
  const walk = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && ['text', 'title', 'value'].includes(k)) parts.push(v);
      else walk(v);
    }
  };
  walk(card);
  return parts.join('\n');
}

export class Chat {
  readonly adapter: RecordingAdapter;
  private seq = 0;

  constructor(
    bot: TriageBot,
    readonly conversation: { id: string; conversationType: 'personal' | 'channel' } = { id: 'a:dm-alice', conversationType: 'personal' },
  ) {
    this.adapter = new RecordingAdapter((context) => bot.run(context));
  }

  async send(fields: Partial<Activity>, from: Account = ALICE): Promise<TurnOutput> {
    this.adapter.activeQueue.splice(0);
    const before = this.adapter.updates.length;
    await this.adapter.processActivity({
      id: `in-${++this.seq}`,
      channelId: 'msteams',
      serviceUrl: 'https://test.invalid/',
      conversation: { ...this.conversation, isGroup: this.conversation.conversationType !== 'personal' } as Activity['conversation'],
      recipient: BOT,
      from,
      ...fields,
    } as Partial<Activity>);
    const all = this.adapter.activeQueue.splice(0);
    const invoke = all.find((a) => a.type === 'invokeResponse');
    return {
      sent: all.filter((a) => a.type === 'message'),
      invoke: invoke ? (invoke.value as { body: unknown }).body : undefined,
      updates: this.adapter.updates.slice(before),
    };
  }

  say(text: string, from?: Account): Promise<TurnOutput> {
    return this.send({ type: 'message', text }, from);
  }

  execute(verb: string, data: Record<string, unknown>, replyToId: string | undefined, from?: Account): Promise<TurnOutput> {
    return this.send(
      { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, ...(replyToId ? { replyToId } : {}) },
      from,
    );
  }

  submit(value: Record<string, unknown>, replyToId: string, from?: Account): Promise<TurnOutput> {
    return this.send({ type: 'message', value, replyToId }, from);
  }
}

/** The finding id a finding card is about (its actions or refresh carry it). */
export function findingIdOf(card: any): string | undefined {
  return (card?.refresh?.action?.data?.findingId as string | undefined) ?? (actionsOf(card).find((a) => a.data?.findingId)?.data.findingId as string | undefined);
}
