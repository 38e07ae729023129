import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A machine client of the OAuth2 client-credentials grant: its id is public, its secret (256 random
 * bits, shown once) is stored as SHA-256. It gets short-lived JWT access tokens with its scopes;
 * revoking it refuses its tokens from the next request on.
 */
@Entity({ name: 'auth_client' })
@Index('auth_client_client_id_uq', ['clientId'], { unique: true })
export class OAuthClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** `tlc_<24 hex>`: what the client sends as client_id. */
  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes: string[];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
