import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import {
  AppError,
  noteChange,
  PARTNER_ROLE,
  Permission,
  permissionsOfRoles,
  Role,
  ROLE_NAMES,
} from '@tradelane/http';
import { sqlState } from '@tradelane/persistence';
import { AccessToken } from './access-token.entity';
import { ACCESS_CONFIG, AccessConfig } from './access.config';
import { AccessRepository } from './access.repository';
import { AuditService } from './audit.service';
import { looksLikeToken, newToken, randomPassword, tokenHash } from './credentials';
import { PartnerService } from './partner.service';
import { checkGrant, Principal } from './principal';
import { StaffUser } from './staff-user.entity';

/** OWASP's Argon2id parameters (19 MiB, 2 passes, 1 lane). */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const MIN_PASSWORD = 12;

/** A hash to verify against when the e-mail is unknown, so both answers take as long. */
let decoy: Promise<string> | undefined;

/** Where a log-in came from (for the audit log). */
export interface LogInFrom {
  ip?: string;
  userAgent?: string;
}

export interface UserView {
  id: string;
  tenant: string;
  email: string;
  name: string;
  roles: string[];
  /** The partner organisation of a partner's user; null for staff. */
  partnerId: string | null;
  status: string;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export const userView = (u: StaffUser): UserView => ({
  id: u.id,
  tenant: u.tenant,
  email: u.email,
  name: u.name,
  roles: u.roles,
  partnerId: u.partnerId ?? null,
  status: u.status,
  lockedUntil: u.lockedUntil,
  lastLoginAt: u.lastLoginAt,
  createdAt: u.createdAt,
});

export const tokenView = (t: AccessToken) => ({
  id: t.id,
  kind: t.kind,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  partnerId: t.partnerId ?? null,
  userId: t.userId,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
  lastUsedAt: t.lastUsedAt,
  createdAt: t.createdAt,
});

/**
 * Staff accounts, log-in with lockout, sessions and API keys, and who a bearer token is. Passwords
 * are Argon2id (`@node-rs/argon2`); tokens are random and stored as SHA-256.
 */
@Injectable()
export class AccessService {
  private readonly log = new Logger('Access');

  constructor(
    private readonly store: AccessRepository,
    private readonly audit: AuditService,
    private readonly partners: PartnerService,
    @Inject(ACCESS_CONFIG) readonly config: AccessConfig,
  ) {}

  /** The principal of a bearer token, or null (unknown, expired, revoked, its user disabled). */
  async authenticate(token: string): Promise<Principal | null> {
    if (!looksLikeToken(token)) return null;
    // One query per request (token and its user together): this runs before every call.
    const t = await this.store.liveCredential(tokenHash(token));
    if (!t) return null;
    if (!t.lastUsedAt || Date.now() - new Date(t.lastUsedAt).getTime() > 60_000) void this.touch(t.id);
    if (t.kind === 'api-key')
      return {
        kind: 'api-key',
        id: t.id,
        tenant: t.tenant,
        name: t.name ?? t.prefix,
        roles: [],
        permissions: new Set(t.scopes as Permission[]),
        partner: t.partnerId,
        tokenId: t.id,
      };
    if (t.kind !== 'session' || !t.userId || t.userStatus !== 'active') return null;
    return {
      kind: 'user',
      id: t.userId,
      tenant: t.tenant,
      name: t.email ?? t.userId,
      roles: t.roles ?? [],
      permissions: permissionsOfRoles(t.roles ?? []),
      partner: t.partnerId,
      tokenId: t.id,
    };
  }

  /** Notes when a token was last used (at most once a minute; never in the request's way). */
  private async touch(id: string): Promise<void> {
    await this.store
      .touch(id)
      .catch((e: Error) => this.log.warn(`last use of a token not noted: ${e.message}`));
  }

  /**
   * Checks e-mail and password; after `lockoutAfter` failures the account is locked for a minute,
   * doubling with each further failure (up to an hour). Every refusal says the same thing, so an
   * answer does not tell whether the e-mail exists.
   */
  async logIn(tenant: string, email: string, password: string, from: LogInFrom = {}) {
    const u = await this.store.userByEmail(tenant, email.trim().toLowerCase());
    const refused = async (why: string) => {
      await this.recordLogIn(tenant, u, email, 'auth.login-failed', from, why);
      return new AppError('unauthorized', 'wrong e-mail or password, or the account is locked');
    };
    if (!u || !u.passwordHash) {
      await argon2Verify(await (decoy ??= argon2Hash(randomPassword(), ARGON2)), password).catch(() => false);
      throw await refused(u ? 'no password (single sign-on only)' : 'unknown e-mail');
    }
    if (u.lockedUntil && u.lockedUntil > new Date()) {
      this.log.warn(`log-in refused: ${u.email} (${tenant}) is locked until ${u.lockedUntil.toISOString()}`);
      throw await refused(`locked until ${u.lockedUntil.toISOString()}`);
    }
    const ok = await argon2Verify(u.passwordHash, password).catch(() => false);
    if (!ok || u.status !== 'active') {
      const failures = u.failedLogins + 1;
      const over = failures - this.config.lockoutAfter;
      const lockedUntil =
        over >= 0
          ? new Date(Date.now() + Math.min(this.config.lockoutBaseMs * 2 ** over, this.config.lockoutMaxMs))
          : null;
      await this.store.failedLogin(u.id, lockedUntil);
      this.log.warn(
        `log-in failed: ${u.email} (${tenant}), ${failures} in a row` +
          (lockedUntil ? `; locked until ${lockedUntil.toISOString()}` : ''),
      );
      throw await refused(
        u.status !== 'active'
          ? 'disabled'
          : `wrong password, ${failures} in a row${lockedUntil ? `; locked until ${lockedUntil.toISOString()}` : ''}`,
      );
    }
    if (u.partnerId && !(await this.partners.active(tenant, u.partnerId)))
      throw await refused('its partner organisation is disabled');
    await this.store.succeededLogin(u.id);
    await this.recordLogIn(tenant, u, email, 'auth.login', from, null);
    return this.openSession(u);
  }

  /**
   * A log-in vouched for by the identity provider (single sign-on): the user is created or updated
   * by e-mail with the roles its groups map to (replacing those it had), then a session opens.
   */
  async logInExternal(
    tenant: string,
    who: { email: string; name: string; roles: string[]; subject: string; from: LogInFrom },
  ) {
    const email = who.email.trim().toLowerCase();
    checkRoles(who.roles);
    let u = await this.store.userByEmail(tenant, email);
    if (u?.partnerId) {
      await this.recordLogIn(
        tenant,
        u,
        email,
        'auth.login-failed',
        who.from,
        'a partner user (single sign-on)',
      );
      throw new AppError('forbidden', `${email} is a partner's user: it logs in with its password`);
    }
    if (u && u.status !== 'active') {
      await this.recordLogIn(tenant, u, email, 'auth.login-failed', who.from, 'disabled (single sign-on)');
      throw new AppError('forbidden', `${email} is disabled here`);
    }
    if (!u)
      u = await this.store.insertUser({
        tenant,
        email,
        name: who.name,
        passwordHash: null,
        roles: who.roles,
      });
    else await this.store.updateUser(u.id, { roles: who.roles, name: who.name });
    await this.store.succeededLogin(u.id);
    const after = (await this.store.userById(u.id)) as StaffUser;
    await this.audit
      .record({
        tenant,
        actorKind: 'user',
        actorId: u.id,
        actorName: email,
        action: 'auth.login',
        targetType: 'user',
        targetId: u.id,
        route: 'GET /auth/oidc/callback',
        ip: who.from.ip ?? null,
        userAgent: who.from.userAgent ?? null,
        before: null,
        after: { via: 'oidc', subject: who.subject, roles: after.roles },
      })
      .catch((e: Error) => this.log.error(`audit row of a log-in not written: ${e.message}`));
    return this.openSession(after);
  }

  private async openSession(u: StaffUser) {
    const { token, prefix, hash } = newToken('session');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    await this.store.insertToken({
      kind: 'session',
      tenant: u.tenant,
      userId: u.id,
      name: null,
      prefix,
      hash,
      scopes: [],
      expiresAt,
    });
    return { token, expiresAt, user: userView(u) };
  }

  /** One audit row per log-in, failed or not (no password, ever). */
  private async recordLogIn(
    tenant: string,
    u: StaffUser | null,
    email: string,
    action: 'auth.login' | 'auth.login-failed',
    from: LogInFrom,
    why: string | null,
  ): Promise<void> {
    await this.audit
      .record({
        tenant,
        actorKind: u ? 'user' : 'anonymous',
        actorId: u?.id ?? null,
        actorName: u?.email ?? email.trim().toLowerCase().slice(0, 320),
        action,
        targetType: 'user',
        targetId: u?.id ?? null,
        route: 'POST /auth/login',
        ip: from.ip ?? null,
        userAgent: from.userAgent ?? null,
        before: null,
        after: why ? { refused: why } : null,
      })
      .catch((e: Error) => this.log.error(`audit row of a log-in not written: ${e.message}`));
  }

  async logOut(p: Principal): Promise<void> {
    if (p.tokenId && p.kind === 'user') await this.store.revoke(p.tenant, p.tokenId);
  }

  async createUser(
    tenant: string,
    input: { email: string; name?: string; password: string; roles?: string[]; partnerId?: string },
  ): Promise<UserView> {
    const email = input.email.trim().toLowerCase();
    // A partner's user has the partner role (what its organisation may see), never a staff role.
    if (input.partnerId) {
      await this.partners.usable(tenant, input.partnerId);
      if (input.roles?.some((r) => r !== PARTNER_ROLE))
        throw new AppError('invalid', `roles: a partner's user has the ${PARTNER_ROLE} role only`);
    } else {
      if (!input.roles?.length) throw new AppError('invalid', 'roles: a staff user needs at least one role');
      checkRoles(input.roles);
    }
    checkPassword(input.password);
    if (await this.store.userByEmail(tenant, email))
      throw new AppError('conflict', `a user ${email} exists in tenant ${tenant}`);
    const u = await this.store.insertUser({
      tenant,
      email,
      name: input.name ?? email,
      passwordHash: await argon2Hash(input.password, ARGON2),
      roles: input.partnerId ? [PARTNER_ROLE] : [...new Set(input.roles)],
      partnerId: input.partnerId ?? null,
    });
    noteChange({ targetType: 'user', targetId: u.id, before: null, after: { ...userView(u) } });
    return userView(u);
  }

  async users(tenant: string, limit: number, offset: number) {
    const [rows, total] = await this.store.users(tenant, limit, offset);
    return { items: rows.map(userView), total, limit, offset };
  }

  /** The tenant's user with this e-mail (a staff or portal user), as a person's data export shows it. */
  async personalData(tenant: string, email: string): Promise<UserView[]> {
    const u = await this.store.userByEmail(tenant, email.trim().toLowerCase());
    return u ? [userView(u)] : [];
  }

  /** Erases the person of the tenant's user with this e-mail (privacy erasure); answers how many. */
  async erasePerson(tenant: string, email: string): Promise<number> {
    const u = await this.store.userByEmail(tenant, email.trim().toLowerCase());
    if (!u) return 0;
    await this.store.erase(u.id);
    return 1;
  }

  /** Changes roles or status; disabling a user ends its sessions at once. */
  async updateUser(
    tenant: string,
    id: string,
    patch: { roles?: string[]; status?: 'active' | 'disabled'; name?: string; password?: string },
  ): Promise<UserView> {
    const u = await this.store.userById(id);
    if (!u || u.tenant !== tenant) throw new AppError('not-found', `user ${id} not found`);
    if (patch.roles && u.partnerId)
      throw new AppError('invalid', `roles: a partner's user has the ${PARTNER_ROLE} role only`);
    if (patch.roles) checkRoles(patch.roles);
    if (patch.password !== undefined) checkPassword(patch.password);
    await this.store.updateUser(id, {
      ...(patch.roles ? { roles: [...new Set(patch.roles)] } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.password !== undefined ? { passwordHash: await argon2Hash(patch.password, ARGON2) } : {}),
    });
    if (patch.status === 'disabled' || patch.password !== undefined) await this.store.revokeSessionsOf(id);
    const after = userView((await this.store.userById(id)) as StaffUser);
    const changed = (['roles', 'status', 'name'] as const).filter((k) => patch[k] !== undefined);
    noteChange({
      targetType: 'user',
      targetId: id,
      before: Object.fromEntries(changed.map((k) => [k, userView(u)[k]])),
      after: {
        ...Object.fromEntries(changed.map((k) => [k, after[k]])),
        ...(patch.password !== undefined ? { password: 'changed' } : {}),
      },
    });
    return after;
  }

  /** A new API key with these scopes; the token is in the answer only. */
  async createApiKey(
    p: Principal,
    input: { name: string; scopes: string[]; expiresInDays?: number; partnerId?: string },
  ): Promise<ReturnType<typeof tokenView> & { token: string }> {
    const expiresAt = checkGrant(p, input.scopes, input.expiresInDays, 90, !!input.partnerId);
    if (input.partnerId) await this.partners.usable(p.tenant, input.partnerId);
    const { token, prefix, hash } = newToken('api-key');
    const t = await this.store.insertToken({
      kind: 'api-key',
      tenant: p.tenant,
      userId: p.kind === 'user' ? p.id : null,
      name: input.name,
      prefix,
      hash,
      scopes: [...new Set(input.scopes)],
      expiresAt,
      partnerId: input.partnerId ?? null,
    });
    noteChange({ targetType: 'api-key', targetId: t.id, before: null, after: { ...tokenView(t) } });
    return { ...tokenView(t), token };
  }

  async apiKeys(tenant: string) {
    return (await this.store.tokens(tenant, 'api-key')).map(tokenView);
  }

  async revokeApiKey(tenant: string, id: string): Promise<void> {
    if (!(await this.store.revoke(tenant, id)))
      throw new AppError('not-found', `no live API key ${id} in tenant ${tenant}`);
    noteChange({
      targetType: 'api-key',
      targetId: id,
      before: { revokedAt: null },
      after: { revokedAt: new Date() },
    });
  }

  /**
   * A one-time token that sets a user's password (an administrator hands it over: the e-mail channel
   * comes with the e-mail issue). Valid `hours`; using it ends the user's sessions and its lockout.
   */
  async createPasswordReset(tenant: string, userId: string, hours = 1) {
    const u = await this.store.userById(userId);
    if (!u || u.tenant !== tenant) throw new AppError('not-found', `user ${userId} not found`);
    const { token, prefix, hash } = newToken('password-reset');
    const expiresAt = new Date(Date.now() + hours * 3_600_000);
    await this.store.insertToken({
      kind: 'password-reset',
      tenant,
      userId,
      name: null,
      prefix,
      hash,
      scopes: [],
      expiresAt,
    });
    noteChange({
      targetType: 'user',
      targetId: userId,
      before: null,
      after: { passwordReset: 'issued', expiresAt },
    });
    return { token, expiresAt, userId };
  }

  /** Sets the password with a one-time token (consumed, whether or not the password is accepted after). */
  async resetPassword(token: string, password: string, from: LogInFrom = {}): Promise<void> {
    checkPassword(password);
    const refused = () => new AppError('unauthorized', 'this reset token is unknown, used or expired');
    if (!looksLikeToken(token, ['password-reset'])) throw refused();
    const t = await this.store.consumeResetToken(tokenHash(token));
    if (!t?.userId) throw refused();
    const u = await this.store.userById(t.userId);
    if (!u || u.status !== 'active') throw refused();
    await this.store.updateUser(u.id, { passwordHash: await argon2Hash(password, ARGON2) });
    await this.store.succeededLogin(u.id); // the lockout ends with a new password
    await this.store.revokeSessionsOf(u.id);
    await this.audit
      .record({
        tenant: u.tenant,
        actorKind: 'user',
        actorId: u.id,
        actorName: u.email,
        action: 'auth.password-reset',
        targetType: 'user',
        targetId: u.id,
        route: 'POST /auth/password-reset',
        ip: from.ip ?? null,
        userAgent: from.userAgent ?? null,
        before: null,
        after: { password: 'changed', sessions: 'ended' },
      })
      .catch((e: Error) => this.log.error(`audit row of a password reset not written: ${e.message}`));
  }

  /**
   * A fresh tenant's first administrator (`admin@localhost`) with a random password, logged once;
   * nothing when the tenant has a user. Answers the password when it made one.
   */
  async ensureFirstAdmin(tenant = 'default'): Promise<string | null> {
    return (await this.ensureFirstAdminWithSetup(tenant))?.password ?? null;
  }

  /** {@link ensureFirstAdmin}, with a one-time setup token (24 h) to set one's own password instead. */
  async ensureFirstAdminWithSetup(
    tenant = 'default',
  ): Promise<{ password: string; setupToken: string } | null> {
    if ((await this.store.countUsers(tenant)) > 0) return null;
    const password = process.env.TRADELANE_ADMIN_PASSWORD || randomPassword();
    let admin: UserView;
    try {
      admin = await this.createUser(tenant, {
        email: 'admin@localhost',
        name: 'Administrator',
        password,
        roles: ['admin'],
      });
    } catch (e) {
      // Two processes starting at once: the other one made it (the unique e-mail index decides).
      if (sqlState(e) === '23505' || (e instanceof AppError && e.kind === 'conflict')) return null;
      throw e;
    }
    const { token } = await this.createPasswordReset(tenant, admin.id, 24);
    return { password, setupToken: token };
  }
}

function checkRoles(roles: string[]): void {
  const unknown = roles.filter((r) => !(ROLE_NAMES as string[]).includes(r));
  if (unknown.length)
    throw new AppError('invalid', `roles: unknown ${unknown.join(', ')} (known: ${ROLE_NAMES.join(', ')})`);
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD || password.length > 1024)
    throw new AppError('invalid', `password must have ${MIN_PASSWORD} to 1024 characters`);
}

export type { Role };
