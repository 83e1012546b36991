// A local Bot Connector: a real HTTP server on 127.0.0.1 (port 0) answering the REST calls a bot makes to the
// serviceUrl of an activity (send, reply, update, delete, create conversation, members, team channels). It
// records every call, assigns activity ids, keeps the current version of every activity it was given (so a
// test can see a card after updateActivity), and can be scripted to fail calls (429 with Retry-After, 502...).
// Waiting is event-based: waitFor resolves when a matching call is recorded, never by polling or sleeping.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorRoute =
  | 'send'
  | 'reply'
  | 'update'
  | 'delete'
  | 'createConversation'
  | 'member'
  | 'members'
  | 'pagedMembers'
  | 'teamChannels'
  | 'teamDetails'
  | 'unknown';

/** What the bot sent in an activity; loose, since bots send whatever the schema allows. */
export interface SentActivity {
  type?: string;
  text?: string;
  replyToId?: string;
  attachments?: Array<{ contentType: string; content?: any }>;
  value?: any;
  conversation?: { id: string };
  [key: string]: any;
}

export interface ConnectorCall {
  /** 1, 2, 3 ... in arrival order. */
  readonly seq: number;
  readonly method: string;
  /** The path as sent, percent-encoding kept. */
  readonly path: string;
  readonly route: ConnectorRoute;
  /** Decoded from the path, when the route has one. */
  readonly conversationId: string | undefined;
  /** The activity id in the path (reply target, updated or deleted activity). */
  readonly activityId: string | undefined;
  readonly memberId: string | undefined;
  readonly teamId: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON; the raw text when it is not JSON; undefined when empty. */
  readonly body: any;
  /** What the connector answered. */
  readonly status: number;
  /** The id the connector gave the activity a send/reply/createConversation carried. */
  readonly assignedId: string | undefined;
}

export interface ScriptedFailure {
  /** Which calls it applies to; all given criteria must match. */
  route?: ConnectorRoute;
  method?: string;
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching calls fail (default 1). */
  times?: number;
}

export interface Member {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
  [key: string]: unknown;
}

export interface WaitOptions {
  /** Resolve once this many matching calls are recorded (those already recorded count). Default 1. */
  count?: number;
  /** Fail (never succeed) after this long, naming what did arrive. Default 10 s. */
  timeoutMs?: number;
}

export interface Connector {
  /** The serviceUrl to put on activities (ends with '/', as Teams' do). */
  readonly url: string;
  readonly calls: readonly ConnectorCall[];
  /** Calls that carried an activity to the conversation (send and reply), oldest first. */
  sent(predicate?: (c: ConnectorCall) => boolean): ConnectorCall[];
  waitFor(predicate: (c: ConnectorCall) => boolean, opts?: WaitOptions): Promise<ConnectorCall[]>;
  /** Waits for `count` send/reply calls (matching `predicate`, if given) and returns them. */
  waitForSent(count?: number, predicate?: (c: ConnectorCall) => boolean): Promise<ConnectorCall[]>;
  /** The activity as it now stands after updates; undefined if unknown or deleted. */
  activity(activityId: string): SentActivity | undefined;
  /** Registers an activity the bot did not post (e.g. a card a test pretends is on screen); returns its id. */
  seedActivity(conversationId: string, activity: SentActivity): string;
  fail(...failures: ScriptedFailure[]): void;
  /** A member TeamsInfo.getMember / getPagedMembers returns (looked up by id or aadObjectId). */
  addMember(member: Member): void;
  setChannels(teamId: string, channels: Array<{ id: string; name?: string }>): void;
  /** Forgets recorded calls (activities, members and scripts stay). */
  clearCalls(): void;
  close(): Promise<void>;
}

function seg(s: string): string {
  return decodeURIComponent(s);
}

interface Routed {
  route: ConnectorRoute;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
}

function routeOf(method: string, path: string): Routed {
  const p = path.split('?')[0]!.replace(/\/+$/, '');
  let m: RegExpMatchArray | null;
  if ((m = p.match(/^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/))) {
    const ids = { conversationId: seg(m[1]!), activityId: seg(m[2]!) };
    if (method === 'POST') return { route: 'reply', ...ids };
    if (method === 'PUT') return { route: 'update', ...ids };
    if (method === 'DELETE') return { route: 'delete', ...ids };
  }
  if (method === 'POST' && (m = p.match(/^\/v3\/conversations\/([^/]+)\/activities$/))) {
    return { route: 'send', conversationId: seg(m[1]!) };
  }
  if (method === 'POST' && p === '/v3/conversations') return { route: 'createConversation' };
  if (method === 'GET' && (m = p.match(/^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/))) {
    return { route: 'member', conversationId: seg(m[1]!), memberId: seg(m[2]!) };
  }
  if (method === 'GET' && (m = p.match(/^\/v3\/conversations\/([^/]+)\/members$/))) {
    return { route: 'members', conversationId: seg(m[1]!) };
  }
  if (method === 'GET' && (m = p.match(/^\/v3\/conversations\/([^/]+)\/pagedmembers$/))) {
    return { route: 'pagedMembers', conversationId: seg(m[1]!) };
  }
  if (method === 'GET' && (m = p.match(/^\/v3\/teams\/([^/]+)\/conversations$/))) {
    return { route: 'teamChannels', teamId: seg(m[1]!) };
  }
  if (method === 'GET' && (m = p.match(/^\/v3\/teams\/([^/]+)$/))) return { route: 'teamDetails', teamId: seg(m[1]!) };
  return { route: 'unknown' };
}

interface Waiter {
  predicate: (c: ConnectorCall) => boolean;
  count: number;
  resolve: (calls: ConnectorCall[]) => void;
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });

export async function startConnector(): Promise<Connector> {
  const calls: ConnectorCall[] = [];
  const waiters = new Set<Waiter>();
  const activities = new Map<string, SentActivity>();
  const failures: Array<ScriptedFailure & { left: number }> = [];
  const members: Member[] = [];
  const channels = new Map<string, Array<{ id: string; name?: string }>>();
  let nextActivity = 0;
  let nextConversation = 0;
  let nextSeq = 0;
  let url = '';

  const newActivityId = () => `act-${++nextActivity}`;

  function record(call: ConnectorCall): void {
    calls.push(call);
    for (const w of [...waiters]) {
      const matched = calls.filter(w.predicate);
      if (matched.length >= w.count) {
        waiters.delete(w);
        w.resolve(matched);
      }
    }
  }

  function answer(r: Routed, method: string, body: any): { status: number; body?: unknown; assignedId?: string } {
    switch (r.route) {
      case 'send':
      case 'reply': {
        const id = newActivityId();
        activities.set(id, { ...(body ?? {}), id });
        return { status: 200, body: { id }, assignedId: id };
      }
      case 'update': {
        if (!activities.has(r.activityId!)) {
          return { status: 404, body: errorBody('ActivityNotFound', `activity ${r.activityId} not found`) };
        }
        activities.set(r.activityId!, { ...(body ?? {}), id: r.activityId! });
        return { status: 200, body: { id: r.activityId } };
      }
      case 'delete':
        if (!activities.delete(r.activityId!)) {
          return { status: 404, body: errorBody('ActivityNotFound', `activity ${r.activityId} not found`) };
        }
        return { status: 200 };
      case 'createConversation': {
        const id = `conv-${++nextConversation}`;
        const out: { id: string; serviceUrl: string; activityId?: string } = { id, serviceUrl: url };
        if (body?.activity) {
          out.activityId = newActivityId();
          activities.set(out.activityId, { ...body.activity, id: out.activityId, conversation: { id } });
        }
        return { status: 201, body: out, ...(out.activityId ? { assignedId: out.activityId } : {}) };
      }
      case 'member': {
        const m = members.find((x) => x.id === r.memberId || x.aadObjectId === r.memberId);
        return m
          ? { status: 200, body: m }
          : { status: 404, body: errorBody('MemberNotFoundInConversation', `member ${r.memberId} not found`) };
      }
      case 'members':
        return { status: 200, body: members };
      case 'pagedMembers':
        return { status: 200, body: { members } };
      case 'teamChannels':
        return { status: 200, body: { conversations: channels.get(r.teamId!) ?? [{ id: r.teamId, name: null }] } };
      case 'teamDetails':
        return { status: 200, body: { id: r.teamId, name: `Team ${r.teamId}`, aadGroupId: r.teamId } };
      default:
        return { status: 404, body: errorBody('NotFound', `no connector route for ${method}`) };
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const routed = routeOf(method, path);
      const i = failures.findIndex(
        (f) =>
          (f.route === undefined || f.route === routed.route) &&
          (f.method === undefined || f.method.toUpperCase() === method) &&
          (f.path === undefined || f.path.test(path)),
      );
      let out: { status: number; body?: unknown; assignedId?: string; headers?: Record<string, string> };
      if (i >= 0) {
        const f = failures[i]!;
        if (--f.left <= 0) failures.splice(i, 1);
        out = { status: f.status, body: f.body ?? errorBody('Scripted', `scripted ${f.status}`), headers: f.headers ?? {} };
      } else {
        out = answer(routed, method, body);
      }
      res.writeHead(out.status, { 'content-type': 'application/json', ...(out.headers ?? {}) });
      res.end(out.body === undefined ? '' : JSON.stringify(out.body));
      record({
        seq: ++nextSeq,
        method,
        path,
        route: routed.route,
        conversationId: routed.conversationId,
        activityId: routed.activityId,
        memberId: routed.memberId,
        teamId: routed.teamId,
        headers: req.headers,
        body,
        status: out.status,
        assignedId: out.assignedId,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const isSent = (c: ConnectorCall) => (c.route === 'send' || c.route === 'reply') && c.status < 300;

  const connector: Connector = {
    url,
    calls,
    sent: (predicate) => calls.filter((c) => isSent(c) && (!predicate || predicate(c))),
    waitFor(predicate, opts = {}) {
      const count = opts.count ?? 1;
      const matched = calls.filter(predicate);
      if (matched.length >= count) return Promise.resolve(matched);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = calls.map((c) => `${c.method} ${c.path} → ${c.status}${c.body?.text ? ` "${c.body.text}"` : ''}`);
          reject(new Error(`connector: waited for ${count} matching call(s); got ${calls.filter(predicate).length}. Calls:\n  ${seen.join('\n  ') || '(none)'}`));
        }, opts.timeoutMs ?? 10_000);
        const waiter: Waiter = {
          predicate,
          count,
          resolve: (c) => {
            clearTimeout(timer);
            resolve(c);
          },
        };
        waiters.add(waiter);
      });
    },
    waitForSent(count = 1, predicate) {
      return connector.waitFor((c) => isSent(c) && (!predicate || predicate(c)), { count });
    },
    activity: (id) => activities.get(id),
    seedActivity(conversationId, activity) {
      const id = newActivityId();
      activities.set(id, { ...activity, id, conversation: { id: conversationId } });
      return id;
    },
    fail: (...fs) => {
      for (const f of fs) failures.push({ ...f, left: f.times ?? 1 });
    },
    addMember: (m) => {
      members.push(m);
    },
    setChannels: (teamId, list) => {
      channels.set(teamId, list);
    },
    clearCalls: () => {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return connector;
}

/** The Adaptive Card content of a sent activity's first card attachment, if any. */
export function cardOf(activity: SentActivity | undefined): any {
  return activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
