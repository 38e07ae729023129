import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CredentialLifetime } from './credential.entity';

/**
 * A machine client of the OAuth2 client-credentials grant: its id is public, its secret (256 random
 * bits, shown once) is stored as SHA-256. It gets short-lived JWT access tokens with its scopes;
 * revoking it refuses its tokens from the next request on.
 */
@Entity({ name: 'auth_client' })
@Index('auth_client_client_id_uq', ['clientId'], { unique: true })
export class OAuthClient extends CredentialLifetime {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** The partner organisation it belongs to (auth_partner); null for staff. */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  /** `tlc_<24 hex>`: what the client sends as client_id. */
  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ type: 'text' })
  name: string;
}
