import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CredentialLifetime } from './credential.entity';

/** A session after a log-in, an API key, or a one-time password-reset (or first-start setup) token. */
export type TokenKind = 'session' | 'api-key' | 'password-reset';

/**
 * A bearer credential: a session after a log-in, or an API key for a script. Only the SHA-256 of
 * the secret is stored (the secret is 256 random bits, shown once); the prefix stays visible so
 * support can tell keys apart. Revocation takes effect on the next request.
 */
@Entity({ name: 'auth_token' })
@Index('auth_token_hash_uq', ['hash'], { unique: true })
@Index('auth_token_user_idx', ['userId'])
export class AccessToken extends CredentialLifetime {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: TokenKind;

  @Column({ type: 'text' })
  tenant: string;

  /** The staff user it acts for (sessions; API keys made by a user keep who made them). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** The partner organisation it belongs to (auth_partner); null for staff. */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  /** A label for API keys ("nightly ERP export"). */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** First characters of the token, shown in lists (`tl_key_3f9a1c`). */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 (hex) of the whole token. */
  @Column({ type: 'text' })
  hash: string;
}
