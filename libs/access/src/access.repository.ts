import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { AccessToken, TokenKind } from './access-token.entity';
import { StaffUser } from './staff-user.entity';

/** A live bearer token with what its principal needs. */
export interface LiveCredential {
  id: string;
  kind: TokenKind;
  tenant: string;
  name: string | null;
  prefix: string;
  scopes: string[];
  lastUsedAt: Date | null;
  userId: string | null;
  email: string | null;
  roles: string[] | null;
  userStatus: string | null;
  partnerId: string | null;
}

/** The access tables: staff users and bearer tokens. */
@Injectable()
export class AccessRepository {
  constructor(private readonly db: Database) {}

  userByEmail(tenant: string, email: string): Promise<StaffUser | null> {
    return this.db.read((m) => m.getRepository(StaffUser).findOneBy({ tenant, email }));
  }

  userById(id: string): Promise<StaffUser | null> {
    return this.db.read((m) => m.getRepository(StaffUser).findOneBy({ id }));
  }

  async countUsers(tenant: string): Promise<number> {
    return this.db.read((m) => m.getRepository(StaffUser).countBy({ tenant }));
  }

  async users(tenant: string, limit: number, offset: number): Promise<[StaffUser[], number]> {
    return this.db.read((m) =>
      m.getRepository(StaffUser).findAndCount({
        where: { tenant },
        order: { email: 'ASC' },
        take: limit,
        skip: offset,
      }),
    );
  }

  insertUser(
    u: Pick<StaffUser, 'tenant' | 'email' | 'name' | 'passwordHash' | 'roles'> & {
      partnerId?: string | null;
    },
  ): Promise<StaffUser> {
    return this.db.read((m) => m.getRepository(StaffUser).save(m.getRepository(StaffUser).create(u)));
  }

  async updateUser(
    id: string,
    patch: Partial<Pick<StaffUser, 'roles' | 'status' | 'name' | 'passwordHash'>>,
  ) {
    await this.db.read((m) => m.getRepository(StaffUser).update({ id }, { ...patch, updatedAt: new Date() }));
  }

  /** Counts a failed log-in; locks the user until `lockedUntil` when given. */
  async failedLogin(id: string, lockedUntil: Date | null): Promise<void> {
    await this.db.sql(
      `UPDATE auth_user SET failed_logins = failed_logins + 1, locked_until = coalesce($2, locked_until), updated_at = now()
        WHERE id = $1`,
      [id, lockedUntil],
    );
  }

  async succeededLogin(id: string): Promise<void> {
    await this.db.sql(
      `UPDATE auth_user SET failed_logins = 0, locked_until = NULL, last_login_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  insertToken(
    t: Pick<
      AccessToken,
      'kind' | 'tenant' | 'userId' | 'name' | 'prefix' | 'hash' | 'scopes' | 'expiresAt'
    > & {
      partnerId?: string | null;
    },
  ): Promise<AccessToken> {
    return this.db.read((m) => m.getRepository(AccessToken).save(m.getRepository(AccessToken).create(t)));
  }

  /** The live token with this hash (not expired, not revoked) and its user, in one query. */
  async liveCredential(hash: string): Promise<LiveCredential | null> {
    const [row] = await this.db.sql<LiveCredential>(
      `SELECT t.id, t.kind, t.tenant, t.name, t.prefix, t.scopes, t.last_used_at AS "lastUsedAt",
              u.id AS "userId", u.email, u.roles, u.status AS "userStatus",
              coalesce(t.partner_id, u.partner_id) AS "partnerId"
         FROM auth_token t LEFT JOIN auth_user u ON u.id = t.user_id AND t.kind = 'session'
        WHERE t.hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
          AND (coalesce(t.partner_id, u.partner_id) IS NULL
               OR EXISTS (SELECT 1 FROM auth_partner p
                           WHERE p.id = coalesce(t.partner_id, u.partner_id) AND p.status = 'active'))`,
      [hash],
    );
    return row ?? null;
  }

  /** Takes a live password-reset token (once: it is revoked in the same statement). */
  async consumeResetToken(hash: string): Promise<{ userId: string | null } | null> {
    const [row] = await this.db.sql<{ userId: string | null }>(
      `WITH taken AS (UPDATE auth_token SET revoked_at = now()
          WHERE hash = $1 AND kind = 'password-reset' AND revoked_at IS NULL AND expires_at > now()
          RETURNING user_id)
       SELECT user_id AS "userId" FROM taken`,
      [hash],
    );
    return row ?? null;
  }

  async touch(id: string): Promise<void> {
    await this.db.sql(`UPDATE auth_token SET last_used_at = now() WHERE id = $1`, [id]);
  }

  tokens(tenant: string, kind: TokenKind): Promise<AccessToken[]> {
    return this.db.read((m) =>
      m.getRepository(AccessToken).find({ where: { tenant, kind }, order: { createdAt: 'DESC' } }),
    );
  }

  /** Revokes a token of the tenant; false when there is none (or it was revoked already). */
  async revoke(tenant: string, id: string): Promise<boolean> {
    const rows = await this.db.sql<{ id: string }>(
      `WITH revoked AS (UPDATE auth_token SET revoked_at = now() WHERE id = $1 AND tenant = $2 AND revoked_at IS NULL RETURNING id)
       SELECT id FROM revoked`,
      [id, tenant],
    );
    return rows.length > 0;
  }

  /** Revokes every session of a user (password changed, user disabled). */
  /**
   * Erases a user's person: e-mail and name replaced (`erased+<id>@erased.invalid`), no password,
   * disabled, every token revoked. The row stays, so audit rows keep their actor id.
   */
  async erase(userId: string): Promise<void> {
    await this.db.sql(
      `UPDATE auth_user SET email = 'erased+' || id || '@erased.invalid', name = '[erased]', password_hash = NULL,
              status = 'disabled', updated_at = now() WHERE id = $1`,
      [userId],
    );
    await this.db.sql(`UPDATE auth_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
    ]);
  }

  async revokeSessionsOf(userId: string): Promise<void> {
    await this.db.sql(
      `UPDATE auth_token SET revoked_at = now() WHERE user_id = $1 AND kind = 'session' AND revoked_at IS NULL`,
      [userId],
    );
  }
}
