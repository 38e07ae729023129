import { Column } from 'typeorm';

/** What every bearer credential has (API keys, sessions, OAuth clients): scopes and a lifetime. */
export abstract class CredentialLifetime {
  /** Permissions it grants (a session has its user's roles instead). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: string[];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  /** Set when revoked: refused from the next request on. */
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
