import { Injectable, Logger } from '@nestjs/common';
import { AppError, ROLE_NAMES } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import type * as Oidc from 'openid-client';
import { isLoopbackHost } from './access.config';
import { AccessService, LogInFrom } from './access.service';

/** Single sign-on settings (OpenID Connect, authorization code with PKCE). */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** Our callback as registered at the provider (…/auth/oidc/callback). */
  redirectUri: string;
  scopes: string;
  groupsClaim: string;
  /** Provider group → staff role. */
  roleOfGroup: Map<string, string>;
  tenant: string;
}

/** The settings from the environment, or null when single sign-on is not configured. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = env.TRADELANE_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const need = (name: string, v: string | undefined) => {
    if (!v?.trim()) throw new Error(`${name} is required when TRADELANE_OIDC_ISSUER is set`);
    return v.trim();
  };
  const roleOfGroup = new Map<string, string>();
  for (const pair of need('TRADELANE_OIDC_ROLE_MAP', env.TRADELANE_OIDC_ROLE_MAP).split(',')) {
    const [group, role] = pair.split('=').map((x) => x?.trim());
    if (!group || !role || !(ROLE_NAMES as string[]).includes(role))
      throw new Error(
        `TRADELANE_OIDC_ROLE_MAP: "${pair}" is not <group>=<role> with a role of ${ROLE_NAMES.join(', ')}`,
      );
    roleOfGroup.set(group, role);
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`TRADELANE_OIDC_ISSUER "${issuer}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname))
    throw new Error(`TRADELANE_OIDC_ISSUER must be https (plain http only on this machine): ${issuer}`);
  return {
    issuer: url,
    clientId: need('TRADELANE_OIDC_CLIENT_ID', env.TRADELANE_OIDC_CLIENT_ID),
    clientSecret: need('TRADELANE_OIDC_CLIENT_SECRET', env.TRADELANE_OIDC_CLIENT_SECRET),
    redirectUri: need('TRADELANE_OIDC_REDIRECT_URI', env.TRADELANE_OIDC_REDIRECT_URI),
    scopes: env.TRADELANE_OIDC_SCOPES?.trim() || 'openid email profile',
    groupsClaim: env.TRADELANE_OIDC_GROUPS_CLAIM?.trim() || 'groups',
    roleOfGroup,
    tenant: env.TRADELANE_OIDC_TENANT?.trim() || 'default',
  };
}

const STATE_TTL_MS = 10 * 60_000;

/** Only a path of this site (no `//host`, no scheme): the log-in never redirects elsewhere. */
export function safeReturnTo(raw: string | undefined): string {
  return raw && /^\/(?![/\\])[^\s]*$/.test(raw) ? raw : '/';
}

/**
 * Staff log-in through the enterprise's identity provider (`openid-client`, a certified relying
 * party): authorization code with PKCE, state and nonce kept server-side for ten minutes; the
 * provider's groups mapped to roles on every log-in (a user whose groups map to no role is
 * refused), the user created or updated by e-mail, then an ordinary session.
 */
@Injectable()
export class OidcLogin {
  private readonly log = new Logger('SSO');
  private readonly settings = oidcSettingsFromEnv();
  private config: Promise<Oidc.Configuration> | undefined;

  constructor(
    private readonly db: Database,
    private readonly access: AccessService,
  ) {}

  /** The origin of our registered callback (the callback URL is rebuilt on it, not on the Host header). */
  callbackBase(): string {
    return new URL(this.required().redirectUri).origin;
  }

  private required(): OidcSettings {
    if (!this.settings)
      throw new AppError('not-found', 'single sign-on is not configured (TRADELANE_OIDC_ISSUER)');
    return this.settings;
  }

  private async client(): Promise<{ oidc: typeof Oidc; config: Oidc.Configuration }> {
    const s = this.required();
    // openid-client 6 is an ES module: loaded on first use (Node 20.19+ requires it natively).
    const oidc = await import('openid-client');
    this.config ??= oidc
      // client_secret_basic: OpenID Connect's default token-endpoint authentication.
      .discovery(s.issuer, s.clientId, undefined, oidc.ClientSecretBasic(s.clientSecret), {
        execute: s.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((e: Error) => {
        this.config = undefined;
        throw new AppError(
          'unavailable',
          `the identity provider ${s.issuer.href} did not answer discovery: ${e.message}`,
        );
      });
    return { oidc, config: await this.config };
  }

  /** Where to send the browser: the provider's authorization URL, with state, nonce and PKCE kept here. */
  async start(returnTo: string | undefined): Promise<string> {
    const s = this.required();
    const { oidc, config } = await this.client();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.db.sql(`DELETE FROM auth_oidc_login WHERE created_at < now() - make_interval(secs => $1)`, [
      STATE_TTL_MS / 1000,
    ]);
    await this.db.sql(
      `INSERT INTO auth_oidc_login (state, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)`,
      [state, verifier, nonce, safeReturnTo(returnTo)],
    );
    return oidc
      .buildAuthorizationUrl(config, {
        redirect_uri: s.redirectUri,
        scope: s.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      .toString();
  }

  /** The provider sent the browser back: exchange the code, map groups to roles, open a session. */
  async finish(callbackUrl: URL, from: LogInFrom) {
    const s = this.required();
    const state = callbackUrl.searchParams.get('state') ?? '';
    const [pending] = await this.db.sql<{ code_verifier: string; nonce: string; return_to: string }>(
      `WITH taken AS (DELETE FROM auth_oidc_login WHERE state = $1 AND created_at > now() - make_interval(secs => $2)
         RETURNING code_verifier, nonce, return_to) SELECT * FROM taken`,
      [state, STATE_TTL_MS / 1000],
    );
    if (!pending)
      throw new AppError('unauthorized', 'this sign-in is unknown or older than ten minutes: start again');
    const { oidc, config } = await this.client();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      if (!(s.groupsClaim in claims) && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (e) {
      // A token-endpoint refusal carries the provider's error code and description (RFC 6749 §5.2).
      const r = e as { message: string; error?: string; error_description?: string };
      const why = r.error ? `${r.error}${r.error_description ? `: ${r.error_description}` : ''}` : r.message;
      this.log.warn(`sign-in refused by the token exchange: ${why}`);
      throw new AppError('unauthorized', `the identity provider's answer was refused: ${why}`);
    }
    const email = typeof claims.email === 'string' ? claims.email : null;
    if (!email) throw new AppError('forbidden', 'the identity provider gave no e-mail (scope email)');
    const raw = claims[s.groupsClaim];
    const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
    const roles = [
      ...new Set(groups.flatMap((g) => (s.roleOfGroup.has(g) ? [s.roleOfGroup.get(g) as string] : []))),
    ];
    if (!roles.length)
      throw new AppError(
        'forbidden',
        `${email}: none of your groups (${groups.join(', ') || 'none'}) grants a role here (TRADELANE_OIDC_ROLE_MAP)`,
      );
    const session = await this.access.logInExternal(s.tenant, {
      email,
      name: typeof claims.name === 'string' ? claims.name : email,
      roles,
      subject: `${s.issuer.href}#${String(claims.sub)}`,
      from,
    });
    return { ...session, returnTo: pending.return_to };
  }
}
