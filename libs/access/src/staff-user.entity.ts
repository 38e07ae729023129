import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A staff user of one tenant: a local account (Argon2id password hash) with roles. Failed log-ins
 * count towards a lockout with back-off; a user is disabled, never deleted, so audit rows keep
 * their actor.
 */
@Entity({ name: 'auth_user' })
@Index('auth_user_email_uq', ['tenant', 'email'], { unique: true })
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Lower-cased; the log-in name. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  /** The partner organisation it belongs to (auth_partner); null for staff. */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  /** Argon2id PHC string; null for a user who signs in only through single sign-on. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: string[];

  @Column({ type: 'text', default: 'active' })
  status: 'active' | 'disabled';

  /** Failed log-ins since the last successful one. */
  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
