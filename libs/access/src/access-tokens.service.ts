import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, Permission } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { exportJWK, generateKeyPair, importJWK, JWK, jwtVerify, KeyLike, SignJWT } from 'jose';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ACCESS_CONFIG, AccessConfig } from './access.config';
import { tokenHash } from './credentials';
import { OAuthClient } from './oauth-client.entity';
import { PartnerService } from './partner.service';
import { checkGrant, Principal } from './principal';
import { SECRET_SEAL, SecretSeal } from './secret-seal';

const ALG = 'ES256';
export const TOKEN_AUDIENCE = 'tradelane-api';
const SEAL_PURPOSE = 'auth_signing_key';

/** Does the string look like a JWT (three base64url parts)? */
export const looksLikeJwt = (s: string): boolean =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(s);

export const clientView = (c: OAuthClient) => ({
  id: c.id,
  clientId: c.clientId,
  name: c.name,
  scopes: c.scopes,
  partnerId: c.partnerId ?? null,
  expiresAt: c.expiresAt,
  revokedAt: c.revokedAt,
  lastUsedAt: c.lastUsedAt,
  createdAt: c.createdAt,
});

/**
 * OAuth2 client credentials (RFC 6749 §4.4): clients with scopes, JWT access tokens (RFC 9068
 * `at+jwt`, ES256, `jose`) signed with keys that rotate (TRADELANE_JWT_KEY_DAYS) and are published
 * as a JWKS; a token is checked for signature, issuer, audience, expiry and algorithm, and its
 * client for revocation, on every request.
 */
@Injectable()
export class AccessTokens {
  private readonly log = new Logger('Access');
  private signing: { kid: string; key: KeyLike; retiresAt: number } | undefined;
  private verifying = new Map<string, { key: KeyLike; expiresAt: number }>();

  constructor(
    private readonly db: Database,
    private readonly partners: PartnerService,
    @Inject(SECRET_SEAL) private readonly seal: SecretSeal,
    @Inject(ACCESS_CONFIG) private readonly config: AccessConfig,
  ) {}

  async createClient(
    tenant: string,
    input: { name: string; scopes: string[]; expiresInDays?: number; partnerId?: string },
    grantor: Principal,
  ) {
    const expiresAt = checkGrant(grantor, input.scopes, input.expiresInDays, 365, !!input.partnerId);
    if (input.partnerId) await this.partners.usable(tenant, input.partnerId);
    const clientId = `tlc_${randomBytes(12).toString('hex')}`;
    const clientSecret = `tls_${randomBytes(32).toString('base64url')}`;
    const c = await this.db.read((m) =>
      m.getRepository(OAuthClient).save(
        m.getRepository(OAuthClient).create({
          tenant,
          clientId,
          secretHash: tokenHash(clientSecret),
          name: input.name,
          scopes: [...new Set(input.scopes)],
          expiresAt,
          partnerId: input.partnerId ?? null,
        }),
      ),
    );
    return { ...clientView(c), clientSecret };
  }

  clients(tenant: string) {
    return this.db
      .read((m) => m.getRepository(OAuthClient).find({ where: { tenant }, order: { createdAt: 'DESC' } }))
      .then((rows) => rows.map(clientView));
  }

  async revokeClient(tenant: string, id: string): Promise<void> {
    const rows = await this.db.sql<{ id: string }>(
      `WITH revoked AS (UPDATE auth_client SET revoked_at = now() WHERE id = $1 AND tenant = $2 AND revoked_at IS NULL RETURNING id)
       SELECT id FROM revoked`,
      [id, tenant],
    );
    if (!rows.length) throw new AppError('not-found', `no live client ${id} in tenant ${tenant}`);
  }

  /** The client-credentials grant: an access token for a live client whose secret matches. */
  async grant(clientId: string, clientSecret: string, scope?: string) {
    const c = await this.db.read((m) => m.getRepository(OAuthClient).findOneBy({ clientId }));
    const given = Buffer.from(tokenHash(clientSecret), 'hex');
    const ok =
      !!c &&
      timingSafeEqual(given, Buffer.from(c.secretHash, 'hex')) &&
      !c.revokedAt &&
      c.expiresAt > new Date() &&
      (await this.partnerActive(c));
    if (!c || !ok)
      throw new OAuthError(
        'invalid_client',
        'unknown client, wrong secret, or the client is revoked or expired',
      );
    const asked = scope ? scope.split(/\s+/).filter(Boolean) : c.scopes;
    const beyond = asked.filter((s) => !c.scopes.includes(s));
    if (beyond.length) throw new OAuthError('invalid_scope', `the client does not hold ${beyond.join(', ')}`);
    const { kid, key } = await this.signingKey();
    const ttl = this.config.accessTokenTtlSeconds;
    const token = await new SignJWT({ scope: asked.join(' '), tenant: c.tenant, client_id: c.clientId })
      .setProtectedHeader({ alg: ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.config.issuer)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(c.clientId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(key);
    await this.db.sql(`UPDATE auth_client SET last_used_at = now() WHERE id = $1`, [c.id]);
    return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: asked.join(' ') };
  }

  /** The principal of a JWT access token, or null (bad signature, issuer, audience, expired, revoked client). */
  async authenticate(token: string): Promise<Principal | null> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.verificationKey(String(header.kid ?? '')), {
        issuer: this.config.issuer,
        audience: TOKEN_AUDIENCE,
        algorithms: [ALG],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch {
      return null;
    }
    const c = await this.db.read((m) =>
      m.getRepository(OAuthClient).findOneBy({ clientId: String(payload.sub) }),
    );
    if (!c || c.revokedAt || c.expiresAt <= new Date() || c.tenant !== payload.tenant) return null;
    if (!(await this.partnerActive(c))) return null;
    const scopes = String(payload.scope ?? '')
      .split(' ')
      .filter((s) => c.scopes.includes(s)) as Permission[];
    return {
      kind: 'client',
      id: c.id,
      tenant: c.tenant,
      name: c.name,
      roles: [],
      permissions: new Set(scopes),
      partner: c.partnerId ?? null,
      tokenId: String(payload.jti),
    };
  }

  /** A partner's client works while its partner organisation is active. */
  private async partnerActive(c: OAuthClient): Promise<boolean> {
    if (!c.partnerId) return true;
    return this.partners.active(c.tenant, c.partnerId);
  }

  /** The public keys that verify tokens now (GET /.well-known/jwks.json). */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.signingKey();
    const rows = await this.db.sql<{ kid: string; public_jwk: JWK }>(
      `SELECT kid, public_jwk FROM auth_signing_key WHERE expires_at > now() ORDER BY created_at DESC`,
    );
    return { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid, alg: ALG, use: 'sig' })) };
  }

  /** Makes a new signing key now (the previous ones keep verifying until they expire). */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = `${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
    const retiresAt = new Date(Date.now() + this.config.signingKeyDays * 86_400_000);
    const expiresAt = new Date(retiresAt.getTime() + this.config.accessTokenTtlSeconds * 1000 + 60_000);
    await this.db.sql(
      `INSERT INTO auth_signing_key (kid, alg, public_jwk, private_jwk, retires_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        kid,
        ALG,
        await exportJWK(publicKey),
        this.seal().seal(JSON.stringify(await exportJWK(privateKey)), SEAL_PURPOSE),
        retiresAt,
        expiresAt,
      ],
    );
    // Keys signing before this one retire now (they keep verifying until they expire).
    await this.db.sql(
      `UPDATE auth_signing_key SET retires_at = now() WHERE kid <> $1 AND retires_at > now()`,
      [kid],
    );
    this.signing = undefined;
    this.log.log(`access tokens: new signing key ${kid}`);
    return kid;
  }

  private async signingKey(): Promise<{ kid: string; key: KeyLike }> {
    if (this.signing && this.signing.retiresAt > Date.now()) return this.signing;
    const [row] = await this.db.sql<{ kid: string; private_jwk: string; retires_at: Date }>(
      `SELECT kid, private_jwk, retires_at FROM auth_signing_key WHERE retires_at > now() ORDER BY created_at DESC LIMIT 1`,
    );
    if (!row) {
      await this.rotate();
      return this.signingKey();
    }
    const jwk = JSON.parse(this.seal().open(row.private_jwk, SEAL_PURPOSE)) as JWK;
    this.signing = {
      kid: row.kid,
      key: (await importJWK(jwk, ALG)) as KeyLike,
      retiresAt: new Date(row.retires_at).getTime(),
    };
    return this.signing;
  }

  private async verificationKey(kid: string): Promise<KeyLike> {
    const known = this.verifying.get(kid);
    if (known && known.expiresAt > Date.now()) return known.key;
    const [row] = await this.db.sql<{ public_jwk: JWK; expires_at: Date }>(
      `SELECT public_jwk, expires_at FROM auth_signing_key WHERE kid = $1 AND expires_at > now()`,
      [kid],
    );
    if (!row) throw new Error(`no signing key ${kid}`);
    const key = (await importJWK(row.public_jwk, ALG)) as KeyLike;
    this.verifying.set(kid, { key, expiresAt: new Date(row.expires_at).getTime() });
    return key;
  }
}

/** An OAuth2 token-endpoint error (RFC 6749 §5.2): answered as `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_client' | 'invalid_scope' | 'invalid_request' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
  }
}
