import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A key that signs access tokens (ES256). The newest signs; older ones still verify until they
 * expire, so a rotation never refuses a token in flight. The private half is sealed (AES-256-GCM,
 * TRADELANE_SECRET_KEYS); the public half is published at /.well-known/jwks.json.
 */
@Entity({ name: 'auth_signing_key' })
export class SigningKey {
  @PrimaryColumn({ type: 'text' })
  kid: string;

  @Column({ type: 'text' })
  alg: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ name: 'private_jwk', type: 'text' })
  privateJwk: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** After this, the key no longer signs (a newer one does). */
  @Column({ name: 'retires_at', type: 'timestamptz' })
  retiresAt: Date;

  /** After this, tokens it signed are no longer accepted (retirement + the longest token life). */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
