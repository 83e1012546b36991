// The one place that reads the environment. Everything else receives the validated, frozen Config, so a typo
// in a variable is one clear error at start-up instead of a surprise deep in a hunt.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseDateTime } from './kql/values.js';
import { isLoopback } from './loopback.js';
import { scheduleProblem } from './schedule/cron.js';
import { SAMPLE_FILE, SAMPLE_NOW } from '../data/sample/defaults.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_EVENTS = SAMPLE_FILE;
export const DEFAULT_DB = join(PROJECT_ROOT, 'var', 'triage.sqlite');

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const boolFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const isoInstant = z.string().refine((s) => parseDateTime(s) !== null && /[zZ]|[+-]\d{2}:?\d{2}$/.test(s.trim()), {
  message: 'must be an ISO-8601 instant with a zone, e.g. 2026-12-01T12:00:00Z',
});

const idList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

// Bot Framework endpoints (a sovereign cloud, a private channel, a local test server). Signing keys come over
// the OpenID one, so plain http is accepted only on loopback, where nothing crosses a network. (zod runs the
// refinements even after the URL check failed, hence `parsed`.)
const parsed = (s: string): URL | undefined => (URL.canParse(s) ? new URL(s) : undefined);
const endpointUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((s) => parsed(s)?.protocol !== 'http:' || isLoopback(parsed(s)!.hostname.replace(/^\[(.*)\]$/, '$1')), {
    message: 'must be an https URL (plain http only on loopback)',
  });

// MSAL takes no other scheme, and wants the tenant as the first path segment.
const loginUrl = z
  .url({ protocol: /^https$/, message: 'must be an https URL (MSAL accepts no other)' })
  .refine((s) => parsed(s)?.pathname.replace(/\/+$/, '') !== '', {
    message: 'must name the tenant, e.g. https://login.microsoftonline.com/botframework.com',
  });

const envSchema = z.object({
  TRIAGE_DB: z.string().min(1).optional(),
  TRIAGE_EVENTS: z.string().min(1).optional(),
  TRIAGE_NOW: isoInstant.optional(),
  TRIAGE_RULES_DIR: z.string().min(1).optional(),
  TRIAGE_LISTS_DIR: z.string().min(1).optional(),
  TRIAGE_RULE: z.string().min(1).optional(),
  LOG_ANALYTICS_WORKSPACE_ID: z.guid({ message: 'must be a workspace GUID' }).optional(),
  LOG_ANALYTICS_ENDPOINT: z.url().refine((u) => /\/v1\/?$/.test(u), { message: 'must end with /v1' }).optional(),
  LOG_ANALYTICS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).optional(),
  ToBotFromChannelOpenIdMetadataUrl: endpointUrl.optional(),
  ToBotFromChannelTokenIssuer: z.url({ message: 'must be a URL, e.g. https://api.botframework.com' }).optional(),
  ToChannelFromBotLoginUrl: loginUrl.optional(),
  ToChannelFromBotOAuthScope: z.url({ message: 'must be a URL, e.g. https://api.botframework.com' }).optional(),
  ValidateAuthority: boolFlag.optional(),
  REQUIRE_APPROVAL: boolFlag.optional(),
  EXCLUSION_TTL_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  WIDEN_THRESHOLD: z.coerce.number().int().min(2).max(1000).optional(),
  TRIAGE_ANALYSTS: idList.optional(),
  TRIAGE_LEADS: idList.optional(),
  HUNT_SCHEDULE: z
    .string()
    .superRefine((pattern, ctx) => {
      const problem = scheduleProblem(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: `not a cron schedule (five fields, or six with seconds, UTC): ${problem}` });
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export interface Config {
  readonly dbPath: string;
  readonly eventsPath: string;
  /** True when eventsPath is the committed sample (its clock is pinned unless TRIAGE_NOW says otherwise). */
  readonly eventsIsSample: boolean;
  /** The pinned clock, when one is set (flag, TRIAGE_NOW, or the sample's own clock). */
  readonly now: string | undefined;
  readonly nowSource: 'flag' | 'env' | 'sample' | 'system';
  readonly rulesDir: string;
  readonly listsDir: string;
  readonly defaultRule: string | undefined;
  readonly logAnalytics:
    | { readonly workspaceId: string; readonly endpoint: string | undefined; readonly timeoutSeconds: number }
    | undefined;
  readonly server: { readonly port: number; readonly host: string };
  readonly bot: {
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly tenantId: string | undefined;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    /**
     * Where the keys, the issuer and the tokens come from, under the SDK's own setting names. Undefined means
     * the SDK's public-cloud value.
     */
    readonly endpoints: {
      /** ToBotFromChannelOpenIdMetadataUrl: the OpenID document whose jwks_uri lists the channel's signing keys. */
      readonly openIdMetadataUrl: string | undefined;
      /** ToBotFromChannelTokenIssuer: the `iss` every inbound token must carry. */
      readonly tokenIssuer: string | undefined;
      /** ToChannelFromBotLoginUrl: the authority, tenant included, that the app's credentials get tokens from. */
      readonly loginUrl: string | undefined;
      /** ToChannelFromBotOAuthScope: the audience of those tokens (MSAL asks for `<scope>/.default`). */
      readonly oAuthScope: string | undefined;
      /** ValidateAuthority: false trusts loginUrl's host without MSAL's instance discovery (a private login host). */
      readonly validateAuthority: boolean;
    };
  };
  readonly exclusions: {
    readonly requireApproval: boolean;
    readonly ttlDays: number;
    readonly widenThreshold: number;
  };
  readonly authz: { readonly analysts: readonly string[]; readonly leads: readonly string[] };
  readonly huntSchedule: string | undefined;
  readonly logLevel: string;
}

/** What CLI flags may override; undefined means "not given". */
export interface ConfigOverrides {
  db?: string | undefined;
  events?: string | undefined;
  now?: string | undefined;
  rule?: string | undefined;
  port?: number | undefined;
  host?: string | undefined;
}

function absolute(p: string): string {
  return isAbsolute(p) ? p : resolve(process.cwd(), p);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  // Empty strings in .env files mean "unset", as dotenv users expect.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    throw new ConfigError(`config: ${key}=${JSON.stringify(cleaned[key])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (overrides.now !== undefined && !isoInstant.safeParse(overrides.now).success) {
    throw new ConfigError(`config: --now ${JSON.stringify(overrides.now)}: must be an ISO-8601 instant with a zone, e.g. 2026-12-01T12:00:00Z`);
  }

  const eventsPath = absolute(overrides.events ?? e.TRIAGE_EVENTS ?? DEFAULT_EVENTS);
  const eventsIsSample = eventsPath === DEFAULT_EVENTS;
  let now: string | undefined;
  let nowSource: Config['nowSource'] = 'system';
  if (overrides.now !== undefined) [now, nowSource] = [overrides.now, 'flag'];
  else if (e.TRIAGE_NOW !== undefined) [now, nowSource] = [e.TRIAGE_NOW, 'env'];
  else if (eventsIsSample && !e.LOG_ANALYTICS_WORKSPACE_ID) {
    // The sample is a fixed week of events: hunting it at today's clock would find nothing.
    [now, nowSource] = [SAMPLE_NOW, 'sample'];
  }

  const appId = e.MicrosoftAppId || undefined;
  if (appId !== undefined && e.ToChannelFromBotLoginUrl !== undefined) {
    const at = `config: ToChannelFromBotLoginUrl=${JSON.stringify(e.ToChannelFromBotLoginUrl)}`;
    if (e.MicrosoftAppType === 'UserAssignedMSI') {
      throw new ConfigError(`${at}: a managed identity gets its tokens from Azure, not from a login URL; unset one of them`);
    }
    if (!e.MicrosoftAppPassword) throw new ConfigError(`${at}: needs MicrosoftAppPassword, the secret the app exchanges there for tokens`);
  }
  const config: Config = {
    dbPath: absolute(overrides.db ?? e.TRIAGE_DB ?? DEFAULT_DB),
    eventsPath,
    eventsIsSample,
    now,
    nowSource,
    rulesDir: absolute(e.TRIAGE_RULES_DIR ?? join(PROJECT_ROOT, 'data', 'rules')),
    listsDir: absolute(e.TRIAGE_LISTS_DIR ?? join(PROJECT_ROOT, 'data', 'lists')),
    defaultRule: overrides.rule ?? e.TRIAGE_RULE,
    logAnalytics: e.LOG_ANALYTICS_WORKSPACE_ID
      ? {
          workspaceId: e.LOG_ANALYTICS_WORKSPACE_ID,
          endpoint: e.LOG_ANALYTICS_ENDPOINT,
          timeoutSeconds: e.LOG_ANALYTICS_TIMEOUT_SECONDS ?? 180,
        }
      : undefined,
    server: { port: overrides.port ?? e.PORT ?? 3978, host: overrides.host ?? e.HOST ?? '127.0.0.1' },
    bot: {
      appId,
      appPassword: e.MicrosoftAppPassword || undefined,
      tenantId: e.MicrosoftAppTenantId || undefined,
      appType: e.MicrosoftAppType || 'MultiTenant',
      endpoints: {
        openIdMetadataUrl: e.ToBotFromChannelOpenIdMetadataUrl,
        tokenIssuer: e.ToBotFromChannelTokenIssuer,
        loginUrl: e.ToChannelFromBotLoginUrl,
        oAuthScope: e.ToChannelFromBotOAuthScope,
        validateAuthority: e.ValidateAuthority ?? true,
      },
    },
    exclusions: {
      requireApproval: e.REQUIRE_APPROVAL ?? false,
      ttlDays: e.EXCLUSION_TTL_DAYS ?? 90,
      widenThreshold: e.WIDEN_THRESHOLD ?? 3,
    },
    authz: { analysts: e.TRIAGE_ANALYSTS ?? [], leads: e.TRIAGE_LEADS ?? [] },
    huntSchedule: e.HUNT_SCHEDULE || undefined,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
