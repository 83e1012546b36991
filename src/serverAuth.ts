// Bot Framework authentication for the server, from the validated config only: who may call /api/messages
// (a JWT signed by a key from the channel's OpenID metadata, for this app id, from the configured issuer) and
// the credentials the bot's own calls to the connector carry (a token for the app id and its secret).
import type { AgentOptions } from 'node:https';
import { createRequire } from 'node:module';
import type * as Msal from '@azure/msal-node' with { 'resolution-mode': 'require' };
import {
  type Activity,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  StatusCodes,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  MsalServiceClientCredentialsFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from './config.js';
import type { Logger } from './log.js';

// The SDK requires MSAL's CommonJS build, and its types name that build's classes; an `import` would load the
// package's ESM build, a second MSAL with classes of the same name that TypeScript rightly tells apart.
const { ConfidentialClientApplication, LogLevel } = createRequire(import.meta.url)('@azure/msal-node') as typeof Msal;

export interface BotAuthOptions {
  /**
   * Options for the https.Agent that MSAL uses towards ToChannelFromBotLoginUrl (MSAL's own
   * `system.customAgentOptions`), e.g. `{ ca }` for a login host behind a private CA. Used only with a
   * configured login URL.
   */
  loginAgentOptions?: AgentOptions;
}

/** The settings ConfigurationBotFrameworkAuthentication reads, under its own names. */
export function botAuthOptions(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  const { appId, appPassword, tenantId, appType } = config.bot;
  const options: ConfigurationBotFrameworkAuthenticationOptions = { MicrosoftAppType: appType };
  if (appId !== undefined) options.MicrosoftAppId = appId;
  if (appPassword !== undefined) options.MicrosoftAppPassword = appPassword;
  if (tenantId !== undefined) options.MicrosoftAppTenantId = tenantId;
  return { ...options, ...cloudEndpoints(config) };
}

/**
 * Nothing configured: nothing given, and the SDK uses the public Azure cloud. Anything configured: everything
 * given, because BotFrameworkAuthenticationFactory then takes every setting as intended and an unset one would
 * be undefined rather than the public cloud's value. The gaps are filled from the SDK's own constants. CallerId
 * is left out on purpose: a bot with its own endpoints should not stamp activities `urn:botframework:azure`.
 */
function cloudEndpoints(config: Config): Partial<ConfigurationBotFrameworkAuthenticationOptions> {
  const e = config.bot.endpoints;
  if (e.openIdMetadataUrl === undefined && e.tokenIssuer === undefined && e.loginUrl === undefined && e.oAuthScope === undefined) {
    return {};
  }
  return {
    ToBotFromChannelOpenIdMetadataUrl: e.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: e.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: e.loginUrl ?? AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: e.oAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ValidateAuthority: e.validateAuthority,
  };
}

/**
 * With a configured ToChannelFromBotLoginUrl the bot builds the MSAL client itself and hands it to the SDK
 * through the SDK's documented seam for that, MsalServiceClientCredentialsFactory. The SDK's default builds its
 * client from the login URL alone: MSAL then asks Microsoft's instance discovery (login.microsoftonline.com)
 * about any host it does not know, which refuses a private login host (and needs the internet besides), and the
 * SDK drops ValidateAuthority on the way. Here ValidateAuthority=false names the host in `knownAuthorities`,
 * which is how MSAL skips that discovery; MSAL still reads the host's OpenID configuration for its token
 * endpoint, over https only. Without a login URL (the public cloud, or a managed identity) the SDK's own
 * factory is used, as configured by botAuthOptions.
 */
function credentialsFactory(config: Config, log: Logger, opts: BotAuthOptions): ServiceClientCredentialsFactory | undefined {
  const { appId, appPassword, appType, endpoints } = config.bot;
  if (appId === undefined || endpoints.loginUrl === undefined || appType === 'UserAssignedMSI') return undefined;
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: appId,
      // loadConfig refuses a login URL without a password.
      clientSecret: appPassword ?? '',
      authority: endpoints.loginUrl,
      knownAuthorities: endpoints.validateAuthority ? [] : [new URL(endpoints.loginUrl).host],
    },
    system: {
      ...(opts.loginAgentOptions ? { customAgentOptions: opts.loginAgentOptions } : {}),
      // Errors only: MSAL warns about every client-credentials answer (they never carry client info).
      loggerOptions: {
        logLevel: LogLevel.Error,
        piiLoggingEnabled: false,
        loggerCallback: (_level: Msal.LogLevel, message: string) => log.error({ component: 'msal' }, message),
      },
    },
  });
  return new MsalServiceClientCredentialsFactory(appId, client);
}

/** The adapter's authentication: the SDK's, configured from config, and strict about failures. */
export function createBotAuthentication(config: Config, log: Logger, opts: BotAuthOptions = {}): BotFrameworkAuthentication {
  return new StrictBotAuthentication(
    new ConfigurationBotFrameworkAuthentication(botAuthOptions(config), credentialsFactory(config, log, opts)),
    log,
  );
}

/**
 * The SDK's authentication with one thing made strict: a request it cannot authenticate is refused with 401,
 * whatever the reason, and logged. CloudAdapter answers 401 only for the SDK's own AuthenticationError; a token
 * whose key id is known but whose signature is forged (or one not valid yet) fails inside jsonwebtoken instead,
 * which CloudAdapter answers with 500, and a channel retries a 500. This wraps the SDK's public abstract class
 * and delegates everything else; nothing of the SDK is patched.
 */
class StrictBotAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly log: Logger,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (e) {
      throw this.refused(e, { channelId: activity.channelId, serviceUrl: activity.serviceUrl, activityType: activity.type });
    }
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (e) {
      throw this.refused(e, { channelId: channelIdHeader });
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await this.inner.authenticateChannelRequest(authHeader);
    } catch (e) {
      throw this.refused(e, {});
    }
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  private refused(e: unknown, fields: Record<string, unknown>): AuthenticationError {
    const reason = e instanceof Error ? e.message : String(e);
    this.log.warn({ ...fields, reason }, 'request not authenticated');
    return e instanceof AuthenticationError ? e : new AuthenticationError(`Unauthorized: ${reason}`, StatusCodes.UNAUTHORIZED);
  }
}
