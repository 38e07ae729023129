import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A single sign-on in progress: its state, PKCE verifier and nonce, for ten minutes. */
@Entity({ name: 'auth_oidc_login' })
export class OidcLoginState {
  @PrimaryColumn({ type: 'text' })
  state: string;

  @Column({ name: 'code_verifier', type: 'text' })
  codeVerifier: string;

  @Column({ type: 'text' })
  nonce: string;

  /** A path of this site to return to after the log-in. */
  @Column({ name: 'return_to', type: 'text' })
  returnTo: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
