import { AccessToken } from './access-token.entity';
import { AuditEntry } from './audit-entry.entity';
import { Access1700000020000 } from './migrations/1700000020000-access';
import { Audit1700000021000 } from './migrations/1700000021000-audit';
import { OAuthClients1700000022000 } from './migrations/1700000022000-oauth-clients';
import { SingleSignOn1700000023000 } from './migrations/1700000023000-single-sign-on';
import { RowLevelSecurity1700000024000 } from './migrations/1700000024000-row-level-security';
import { OAuthClient } from './oauth-client.entity';
import { OidcLoginState } from './oidc-login.entity';
import { SigningKey } from './signing-key.entity';
import { StaffUser } from './staff-user.entity';

/** Tables and reviewed migrations of identity and access (users, tokens, the audit log). */
export const ACCESS_SCHEMA = {
  entities: [StaffUser, AccessToken, AuditEntry, OAuthClient, SigningKey, OidcLoginState],
  migrations: [
    Access1700000020000,
    Audit1700000021000,
    OAuthClients1700000022000,
    SingleSignOn1700000023000,
    RowLevelSecurity1700000024000,
  ],
};
